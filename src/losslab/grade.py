"""Grade submitted student notebooks: ``python -m losslab.grade SUBMISSIONS``.

Each ``.ipynb`` file under the SUBMISSIONS folder is copied to a temporary
folder and run there, top to bottom, in a fresh Python kernel with a time
limit for the whole notebook. Every ``losslab.exercises.check(label, answer)``
the notebook calls is recorded (through the ``LOSSLAB_GRADE_LOG`` file); the
last result for each of the chapter's checked exercises becomes one row of
``grades.csv``: submission, label, passed, feedback.

- The chapter comes from the file name (``ana_xor.ipynb``, ``ana/xor.ipynb``)
  or, failing that, from the exercise labels the notebook mentions.
- A cell that raises is recorded and the next cells still run, so one broken
  exercise does not sink the others; exercises whose check never ran get a
  row saying why.
- A malformed file, a kernel that dies or a notebook that runs out of time
  gives error rows for that submission, and the batch goes on.
- Nothing in the SUBMISSIONS folder is written to.

This runs the students' code with your permissions. It is **not a sandbox**:
a submission can read, write or delete your files. Grade on a machine or
account with nothing to lose, or inside a container.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat

from losslab import exercises

__all__ = ["Row", "grade_notebook", "grade_folder", "main"]

FIELDS = ["submission", "label", "passed", "feedback"]
NOTEBOOK = "(notebook)"
"""The label of a row about a whole submission that no exercise can be tied to."""


@dataclass(frozen=True)
class Row:
    submission: str
    label: str
    passed: bool
    feedback: str


def _chapters() -> list[str]:
    return sorted({exercises.chapter_of(label) for label in exercises.labels()}, key=len, reverse=True)


def chapter_for(name: str, text: str) -> str | None:
    """The chapter a submission answers.

    From its file name first, then from its folders, nearest first (``ana_xor.ipynb``,
    ``xor/ana.ipynb``); failing that, from the exercise labels the notebook mentions.

    Args:
        name: the submission's path relative to the submissions folder.
        text: the notebook file's text.
    """
    parts = Path(name).parts
    for part in reversed(parts):
        for chapter in _chapters():  # longest names first
            if chapter in part.lower():
                return chapter
    mentioned = {exercises.chapter_of(label) for label in exercises.labels() if label in text}
    return mentioned.pop() if len(mentioned) == 1 else None


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def _kernel_env(log: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({exercises.GRADE_LOG: str(log), "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2",
                "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"})
    return env


def _run(nb: nbformat.NotebookNode, workdir: Path, log: Path, time_limit: float) -> list[str]:
    """Run every code cell with a total time limit; return the problems met, in order."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    problems: list[str] = []
    client = NotebookClient(nb, timeout=int(time_limit), kernel_name="python3", allow_errors=False,
                            shutdown_kernel="immediate", resources={"metadata": {"path": str(workdir)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no start-up notices
    deadline = time.monotonic() + time_limit
    try:
        with client.setup_kernel(env=_kernel_env(log)):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    problems.append(f"ran out of its {time_limit:g} s before code cell {index}")
                    break
                client.timeout = max(1, int(left))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    problems.append(f"cell {index} was still running when the notebook's {time_limit:g} s "
                                    "ran out (an endless loop?)")
                    break
                except DeadKernelError:
                    problems.append(f"the kernel died in cell {index} (a crash, or out of memory)")
                    break
                except CellExecutionError as error:
                    problems.append(f"cell {index} raised {error.ename}: {_one_line(error.evalue)[:200]}")
    except DeadKernelError:
        problems.append("the kernel died (a crash, or out of memory)")
    except Exception as error:  # the kernel could not start, or the notebook could not be run at all
        problems.append(f"the notebook could not be run ({type(error).__name__}: {_one_line(error)[:200]})")
    return problems


def _logged(log: Path) -> dict[str, tuple[bool, str]]:
    """The last logged result of each label."""
    results: dict[str, tuple[bool, str]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
                results[str(entry["label"])] = (entry["passed"] is True, _one_line(entry["feedback"]))
            except (ValueError, KeyError, TypeError):
                continue  # a line the notebook itself wrote into the log: ignore it
    return results


def grade_notebook(path: Path, name: str, time_limit: float = 600.0) -> list[Row]:
    """Grade one submitted notebook; never raises for anything inside the submission."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Row(name, NOTEBOOK, False, f"error: the file cannot be read ({type(error).__name__}: {error})")]
    chapter = chapter_for(name, text)
    if chapter is None:
        return [Row(name, NOTEBOOK, False, "error: cannot tell which chapter this answers; name the file after "
                                           f"the chapter (one of {', '.join(sorted(_chapters()))}).")]
    expected = exercises.labels(chapter)
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as error:
        why = f"error: not a valid notebook ({type(error).__name__}: {_one_line(error)[:200]})"
        return [Row(name, label, False, why) for label in expected]
    with tempfile.TemporaryDirectory(prefix="losslab-grade-") as tmp:
        workdir, log = Path(tmp) / "work", Path(tmp) / "checks.jsonl"
        workdir.mkdir()
        shutil.copy(path, workdir / path.name)  # the student's copy is never touched
        problems = _run(nb, workdir, log, time_limit)
        results = _logged(log)
    rows = []
    for label in expected:
        if label in results:
            passed, feedback = results[label]
            rows.append(Row(name, label, passed, feedback))
        else:
            why = "; ".join(problems) if problems else "the notebook never called check() for it"
            rows.append(Row(name, label, False, f"error: no check ran for this exercise: {why}"))
    return rows


def grade_folder(folder: Path, out: Path, time_limit: float = 600.0, echo=print) -> list[Row]:
    """Grade every notebook under ``folder``; write ``out`` (CSV) and print a summary."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder; pass the folder that holds the submitted notebooks.")
    out = out.resolve()
    if out == folder or folder in out.parents:
        raise ValueError(f"{out} is inside the submissions folder; write grades.csv somewhere else.")
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    rows: list[Row] = []
    for n, path in enumerate(paths, 1):
        name = path.relative_to(folder).as_posix()
        echo(f"[{n}/{len(paths)}] {name}")
        rows += grade_notebook(path, name, time_limit)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        writer.writerows([r.submission, r.label, str(r.passed).lower(), r.feedback] for r in rows)
    echo(summary(rows, len(paths)))
    echo(f"Wrote {out}")
    return rows


def summary(rows: list[Row], submissions: int) -> str:
    """Per exercise: how many submissions passed; then the submissions with errors."""
    per_label: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        per_label[row.label].append(row)
    width = max([len("exercise")] + [len(label) for label in per_label])
    lines = [f"{submissions} submissions", f"{'exercise':<{width}}  passed  errors"]
    for label in sorted(per_label):
        group = per_label[label]
        errors = sum(r.feedback.startswith("error:") for r in group)
        lines.append(f"{label:<{width}}  {sum(r.passed for r in group):>2} of {len(group):<2} {errors:>5}")
    broken = sorted({r.submission for r in rows if r.feedback.startswith("error:")})
    if broken:
        lines.append("submissions with errors (see grades.csv): " + ", ".join(broken))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m losslab.grade",
                                     description="Run submitted notebooks and their self-checks; write grades.csv. "
                                                 "Not a sandbox: it runs the students' code as you.")
    parser.add_argument("submissions", type=Path, help="folder holding the submitted .ipynb files")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write (default grades.csv)")
    parser.add_argument("--time-limit", type=float, default=600.0,
                        help="seconds each notebook may run in total (default 600)")
    args = parser.parse_args(argv)
    try:
        grade_folder(args.submissions, args.out, args.time_limit)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
