# make book   set up .venv if needed, build the HTML book into _build/html
# make test   set up, then lint, unit tests, strict nbval over every chapter, a -W book build,
#             the student edition built and checked for leaked solutions, and the built
#             book checked in headless Chromium (needs Debian's chromium)
# make student  the student edition: _build/student/html and _build/student/notebooks
# make grade SUBMISSIONS=dir  run each submitted notebook in a bubblewrap sandbox, judge its
#             exercises, write grades.csv (GRADES=file, JOBS=n at once (default: cores),
#             TIME_LIMIT=seconds per notebook, MEMORY=4G, RESUME=1 to skip those already graded)
# make autograder  Gradescope autograders: _build/autograder/<chapter>.zip
# make lint   ruff over the package, the tests and the scripts (configured in pyproject.toml)
# make nbval [NB=chapters/x.ipynb]    strict nbval over every chapter, or one
# make outputs [NB=chapters/x.ipynb]  re-execute chapters in place, storing their outputs
# make bench  time model.fit against losslab.training.fit (writes benchmarks/results.json)
# make times  execute every chapter once, timed (writes benchmarks/notebook_times.md, versions.md)
# make lab    open the chapters in JupyterLab with the venv's kernel
# make dist   the package's sdist and wheel in dist/, checked by twine (BOOK_REPOSITORY=https://github.com/
#             OWNER/NAME gives it project URLs; the release workflow sets it)
# make offrepo  build the wheel, then run each chapter alone in an empty folder, in a fresh venv with a
#             hosted-notebook-like set (not the pinned one) and no losslab: the chapter's install cell
#             installs the wheel from dist/. Fails when a cell raises or TensorFlow/Keras/numpy change
# make install-cell  write or update every chapter's install cell (%pip install losslab==<pyproject's
#             version>); run after a version bump. Running it twice changes nothing
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

.PHONY: book test lint unit nbval outputs build-check student student-check browser-test bench times lab grade autograder \
        compat lock clean dist offrepo install-cell

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --keep-going --all
	@echo "Book: $(CURDIR)/_build/html/index.html"

test: lint unit nbval build-check student-check browser-test

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks figures _ext tools

unit: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests --ignore=tests/browser --ignore=tests/build

# NB=chapters/x.ipynb for one chapter (default: every chapter)
NB ?= chapters
# The plugin tests/nbval_figures.py makes nbval compare the figures too (within a small tolerance).
nbval: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m pytest -p no:cacheprovider -p nbval_figures -n 2 --dist loadfile \
	  --nbval --nbval-current-env --ignore=_build $(NB)

# Re-execute chapters in place and store their outputs (NB=chapters/x.ipynb for one).
outputs: $(STAMP)
	for nb in $(if $(filter %.ipynb,$(NB)),$(NB),$(wildcard $(NB)/*.ipynb)); do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=1200 "$$nb" || exit 1; \
	done

# --all: Sphinx skips copying _static/ when no page changed, so a CSS edit would not show.
build-check: $(STAMP)
	$(BIN)/jupyter-book build . -W --keep-going --all

student: $(STAMP)
	$(BIN)/python tools/student_edition.py

student-check: student
	$(BIN)/python -m pytest -p no:cacheprovider tests/build

GRADES     ?= grades.csv
TIME_LIMIT ?= 600
MEMORY     ?= 4G
JOBS       ?=
RESUME     ?=
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-notebooks [GRADES=grades.csv] [JOBS=n] [TIME_LIMIT=600] [MEMORY=4G] [RESUME=1]"; exit 2; }
	$(BIN)/python -m losslab.grade "$(SUBMISSIONS)" --out "$(GRADES)" --time-limit $(TIME_LIMIT) --memory $(MEMORY) \
	  $(if $(JOBS),--jobs $(JOBS)) $(if $(RESUME),--resume)

autograder: $(STAMP)
	$(BIN)/python -m losslab.gradescope build --project . --out _build/autograder

# Depends on the builds it checks (a stale _build is never tested). The book is built once more,
# HTML only (seconds), for a repository the launch-button test knows.
TEST_REPOSITORY := https://github.com/example-org/loss-book
browser-test: build-check student
	BOOK_REPOSITORY=$(TEST_REPOSITORY) BOOK_BRANCH=main $(BIN)/jupyter-book build . -W --keep-going
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

# Packaging tools in their own venv, so the book's pinned set stays as it is.
DIST_VENV  := _build/dist-tools
DIST_TOOLS := build==1.6.1 twine==7.0.0
$(DIST_VENV)/.installed:
	test -x $(DIST_VENV)/bin/python || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet $(DIST_TOOLS)
	touch $@

dist: $(DIST_VENV)/.installed
	rm -rf dist build
	$(DIST_VENV)/bin/python -m build --outdir dist .
	$(DIST_VENV)/bin/python -m twine check --strict dist/*

# A hosted-notebook-like set, deliberately not the pinned one.
OFFREPO_VENV := _build/offrepo/venv
OFFREPO_SET  := "tensorflow-cpu==2.19.*" "keras==3.10.*" ipykernel nbclient
offrepo: dist
	rm -rf $(OFFREPO_VENV)
	$(PYTHON) -m venv $(OFFREPO_VENV)
	$(OFFREPO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OFFREPO_VENV)/bin/python -m pip install --quiet $(OFFREPO_SET)
	$(OFFREPO_VENV)/bin/python tools/offrepo.py --dist dist --work _build/offrepo

install-cell: $(STAMP)
	$(BIN)/python tools/install_cell.py
