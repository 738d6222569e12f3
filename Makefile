# make book   set up .venv if needed, build the HTML book into _build/html
# make test   set up, then lint, unit tests, strict nbval over every chapter, a -W book build,
#             the student edition built and checked for leaked solutions, and the built
#             book checked in headless Chromium (needs Debian's chromium)
# make student  the student edition: _build/student/html and _build/student/notebooks
# make grade SUBMISSIONS=dir  run submitted notebooks and their checks, write grades.csv
#             (GRADES=file to write elsewhere, TIME_LIMIT=seconds per notebook; runs
#             the students' code as you: it is not a sandbox)
# make lint   ruff over the package, the tests and the scripts (configured in pyproject.toml)
# make nbval [NB=chapters/x.ipynb]    strict nbval over every chapter, or one
# make outputs [NB=chapters/x.ipynb]  re-execute chapters in place, storing their outputs
# make bench  time model.fit against losslab.training.fit (writes benchmarks/results.json)
# make times  execute every chapter once, timed (writes benchmarks/notebook_times.md, versions.md)
# make lab    open the chapters in JupyterLab with the venv's kernel
# make compat execute every chapter in fresh venvs (oldest allowed versions, newest TensorFlow
#             and Keras, the pinned set with oneDNN on, and with one TensorFlow thread); writes
#             benchmarks/compat.md
# make lock   regenerate constraints.txt, one lock for Linux, macOS and Windows, from
#             requirements.txt (keeps the locked versions; UPGRADE=--upgrade to refresh them)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Deterministic TensorFlow on the CPU, and no oneDNN/absl log lines in outputs.
export TF_ENABLE_ONEDNN_OPTS := 0
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: book test lint unit nbval outputs build-check student student-check browser-test bench times lab grade compat lock clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --keep-going
	@echo "Book: $(CURDIR)/_build/html/index.html"

test: lint unit nbval build-check student-check browser-test

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks figures _ext

unit: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests --ignore=tests/browser --ignore=tests/build

# NB=chapters/x.ipynb for one chapter (default: every chapter)
NB ?= chapters
nbval: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile --nbval --nbval-current-env --ignore=_build $(NB)

# Re-execute chapters in place and store their outputs (NB=chapters/x.ipynb for one).
outputs: $(STAMP)
	for nb in $(if $(filter %.ipynb,$(NB)),$(NB),$(wildcard $(NB)/*.ipynb)); do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=1200 "$$nb" || exit 1; \
	done

build-check: $(STAMP)
	$(BIN)/jupyter-book build . -W --keep-going

student: $(STAMP)
	$(BIN)/python -m losslab.student

student-check: student
	$(BIN)/python -m pytest -p no:cacheprovider tests/build

GRADES     ?= grades.csv
TIME_LIMIT ?= 600
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-notebooks [GRADES=grades.csv] [TIME_LIMIT=600]"; exit 2; }
	$(BIN)/python -m losslab.grade "$(SUBMISSIONS)" --out "$(GRADES)" --time-limit $(TIME_LIMIT)

# Depends on the builds it checks (a stale _build is never tested).
browser-test: build-check student
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py --json benchmarks/results.json --markdown benchmarks/results.md

times: $(STAMP)
	$(BIN)/python benchmarks/time_notebooks.py

compat: $(STAMP)
	$(BIN)/python benchmarks/compat.py

# constraints.txt needs Python >= 3.11.5 (soupsieve 4.1.2); tests/test_lock.py resolves it per platform.
# Needs only uv (not the venv the lock installs, which may be out of date when requirements.txt changed).
lock:
	test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet "$$(grep '^uv==' requirements.txt)"; }
	$(BIN)/uv pip compile requirements.txt --universal --python-version 3.11.5 $(UPGRADE) \
	  --custom-compile-command "make lock" --quiet --output-file constraints.txt

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
