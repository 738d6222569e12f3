"""Gradescope autograders for the book's chapters: ``python -m losslab.gradescope``.

``build`` writes ``<out>/<chapter>.zip`` for every chapter with checked
exercises, in Gradescope's autograder format: at the root of the archive,
``setup.sh`` (run once, as root, when Gradescope builds the image: installs
Python 3.11, the pinned set of ``requirements.txt`` + ``constraints.txt`` and
``losslab``) and ``run_autograder`` (run for each submission, in a container
of its own). ``run`` is what ``run_autograder`` calls: it grades the submitted
notebook in ``$AUTOGRADER_ROOT/submission`` (default ``/autograder``) and
writes ``$AUTOGRADER_ROOT/results/results.json``: ``score`` and one entry of
``tests`` per checked exercise (name = the exercise's label, score,
max_score, output = the feedback).

Gradescope's container is each submission's sandbox (no bubblewrap inside
it); the notebook still runs with the grader's limits, and as an unprivileged
user of its own when the grader is root, so it cannot write the results.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from losslab import exercises, grade, sandbox

__all__ = ["build", "run", "main"]

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the
# autograder's image: Python 3.11, the book's pinned set and losslab.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if python3.11 -c 'import sys; assert sys.version_info >= (3, 11, 5)' 2>/dev/null; then
  PYTHON=python3.11
else  # the image's own Python is too old for the pinned set: a standalone 3.11 through uv
  apt-get install -y -qq python3-venv python3-pip
  python3 -m venv /autograder/uv
  /autograder/uv/bin/pip install --quiet uv
  export UV_PYTHON_INSTALL_DIR=/opt/uv-python  # not under /root: the notebooks run as another user
  /autograder/uv/bin/uv python install 3.11
  PYTHON="$(/autograder/uv/bin/uv python find 3.11)"
fi
"$PYTHON" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
/autograder/venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt
/autograder/venv/bin/python -m pip install --quiet --no-deps ./losslab
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for each submission: grade the notebook in
# $AUTOGRADER_ROOT/submission, write $AUTOGRADER_ROOT/results/results.json.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
export TF_ENABLE_ONEDNN_OPTS=0 TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0
exec "$ROOT/venv/bin/python" -m losslab.gradescope run --chapter {chapter} --root "$ROOT"
"""

_PACKAGE_FILES = ["pyproject.toml", "setup.py", "LICENSE", "src/losslab/README.md"]
"""What building losslab needs besides its sources: its metadata and the files the metadata names."""


def _add(archive: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # the same bytes on every build
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def build(project: Path, out: Path, chapters: list[str] | None = None) -> list[Path]:
    """Write one autograder zip per chapter into ``out``; return their paths.

    Args:
        project: the book's checkout (``requirements.txt``, ``constraints.txt``, ``pyproject.toml``, ``src/``).
        out: the folder to write ``<chapter>.zip`` into.
        chapters: which chapters (default: every chapter with a checked exercise).
    """
    project = project.resolve()
    missing = [f for f in ["requirements.txt", "constraints.txt", *_PACKAGE_FILES, "src/losslab"]
               if not (project / f).exists()]
    if missing:
        raise ValueError(f"{project} is not the book's checkout: it lacks {', '.join(missing)}.")
    every = sorted({exercises.chapter_of(label) for label in exercises.labels()})
    for chapter in chapters or []:
        if chapter not in every:
            raise ValueError(f"there is no chapter {chapter!r} with checked exercises; the chapters are "
                             f"{', '.join(every)}.")
    sources = sorted(p for p in (project / "src" / "losslab").rglob("*.py") if "__pycache__" not in p.parts)
    quizzes = sorted((project / "chapters" / "quizzes").glob("*.yml"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters or every:
        path = out / f"{chapter}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            _add(archive, "setup.sh", SETUP_SH, executable=True)
            _add(archive, "run_autograder", RUN_AUTOGRADER.format(chapter=chapter), executable=True)
            for name in ["requirements.txt", "constraints.txt"]:
                _add(archive, name, (project / name).read_text(encoding="utf-8"))
            for name in _PACKAGE_FILES:
                _add(archive, f"losslab/{name}", (project / name).read_text(encoding="utf-8"))
            for file in sources + quizzes:
                _add(archive, f"losslab/{file.relative_to(project).as_posix()}", file.read_text(encoding="utf-8"))
        written.append(path)
    return written


def _pick(notebooks: list[Path], chapter: str) -> tuple[Path | None, str]:
    if not notebooks:
        return None, "No notebook was submitted: upload the chapter's .ipynb file."
    named = [p for p in notebooks if chapter in p.name.lower()]
    chosen = (named or notebooks)[0]
    note = f"Graded {chosen.name}."
    if len(notebooks) > 1:
        note += " Ignored: " + ", ".join(p.name for p in notebooks if p != chosen) + "."
    return chosen, note


def results(rows: list[grade.Row], labels: list[str], note: str) -> dict:
    """The results.json document: one test per exercise, one point each."""
    by_label = {row.label: row for row in rows}
    tests = []
    for label in labels:
        row = by_label.get(label)
        passed = bool(row and row.passed)
        feedback = row.feedback if row else next((r.feedback for r in rows), "not graded")
        tests.append({"name": label, "score": 1.0 if passed else 0.0, "max_score": 1.0,
                      "status": "passed" if passed else "failed", "output": feedback})
    return {"score": sum(t["score"] for t in tests), "output": note, "tests": tests}


def run(root: Path, chapter: str, limits: grade.Limits | None = None) -> dict:
    """Grade the submission under ``root/submission``; write and return ``root/results/results.json``."""
    labels = exercises.labels(chapter)
    notebooks = sorted(p for p in (root / "submission").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    chosen, note = _pick(notebooks, chapter)
    if chosen is None:
        rows = [grade.Row("", label, False, "error: no notebook was submitted") for label in labels]
    else:
        with tempfile.TemporaryDirectory(prefix="losslab-submission-") as tmp:
            copy = Path(tmp) / chosen.name  # read from a copy: the submission folder stays as it came
            shutil.copy(chosen, copy)
            rows = grade.grade_notebook(copy, chosen.name, limits, chapter=chapter, sandboxed=False)
    if os.geteuid() == 0:
        note += (" The notebook ran as an unprivileged user." if sandbox.others_can_run_python() else
                 " The notebook ran as root: Python or the venv is not readable by other users.")
    document = results(rows, labels, note)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m losslab.gradescope",
                                     description="Build Gradescope autograders, or run one on a submission.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write <out>/<chapter>.zip for each chapter")
    make.add_argument("--project", type=Path, default=Path("."), help="the book's checkout (default .)")
    make.add_argument("--out", type=Path, default=Path("_build/autograder"))
    make.add_argument("--chapter", action="append", default=None, help="only this chapter (repeatable)")
    grade_one = commands.add_parser("run", help="grade $ROOT/submission into $ROOT/results/results.json")
    grade_one.add_argument("--chapter", required=True)
    grade_one.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    grade_one.add_argument("--time-limit", type=float, default=600.0)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            for path in build(args.project, args.out, args.chapter):
                print(f"Wrote {path}")
        else:
            if args.chapter not in {exercises.chapter_of(label) for label in exercises.labels()}:
                raise ValueError(f"there is no chapter {args.chapter!r} with checked exercises.")
            document = run(args.root, args.chapter, grade.Limits(time=args.time_limit))
            print(f"{document['score']:g} of {len(document['tests'])}: {document['output']}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
