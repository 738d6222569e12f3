"""Grade submitted student notebooks: ``python -m losslab.grade SUBMISSIONS``.

Each ``.ipynb`` file under the SUBMISSIONS folder is run, top to bottom, in a
fresh Python kernel inside a bubblewrap sandbox (``losslab.sandbox``) with
limits on wall time, CPU time, memory, processes, output and disk. After the
notebook's own cells the grader runs its own, one per checked exercise of the
chapter: each runs the exercise's probe on the last answer the notebook gave
to ``losslab.exercises.check`` and writes plain data (numbers, arrays as
lists). The grader judges that data in its own process: one row of
``grades.csv`` per exercise (submission, label, passed, feedback). Nothing a
notebook prints, logs or patches can write a verdict.

- The chapter comes from the file name (``ana_xor.ipynb``, ``ana/xor.ipynb``)
  or, failing that, from the exercise labels the notebook mentions.
- A cell that raises is recorded and the next cells still run; exercises whose
  check never ran get a row saying why, naming the limit hit if one was.
- A malformed file, a kernel that dies, a notebook that kills its runner or
  runs out of a limit gives error rows for that submission; the batch goes on.
- Submissions are graded ``--jobs`` at a time; each one's rows are appended to
  the CSV as it ends (``--resume`` skips those already there), and the CSV is
  rewritten in a stable order at the end.
- Without ``bwrap`` the grader refuses to run, unless given
  ``--unsafe-no-sandbox`` (the notebooks then run as you; the summary says so).
"""

from __future__ import annotations

import argparse
import csv
import os
import queue
import re
import sys
import tempfile
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from losslab import exercises, sandbox
from losslab.sandbox import Limits

__all__ = ["Row", "Limits", "grade_notebook", "grade_folder", "chapter_for", "main"]

FIELDS = ["submission", "label", "passed", "feedback"]
NOTEBOOK = "(notebook)"
"""The label of a row about a whole submission that no exercise can be tied to."""
UNSANDBOXED = ("NOT SANDBOXED (--unsafe-no-sandbox): the notebooks ran as you, with your files and network; "
               "the limits on time, CPU, memory, processes and output still applied.")


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


_LIMIT = re.compile(r"\b(wall-time|CPU-time|memory|process|output|disk) limit \(")
_STOPPED = "the notebook was stopped there"
"""How the runner ends a problem that stopped the notebook without a limit (a message it could not read)."""


def _judge(name: str, expected: list[str], report: dict) -> list[Row]:
    """Rows from a runner's report: plain data, judged here; anything malformed is a failing row."""
    raw = report.get("problems")
    problems = [_one_line(p)[:300] for p in raw[:20] if isinstance(p, str)] if isinstance(raw, list) else []
    probes = report.get("probes") if isinstance(report.get("probes"), dict) else {}
    stopped = [p for p in problems if _LIMIT.search(p) or _STOPPED in p]
    note = f" [the notebook was stopped: {'; '.join(stopped)}]" if stopped else ""
    rows = []
    for label in expected:
        data = probes.get(label)
        if data is None or data == exercises.MISSING:
            why = "; ".join(problems) if problems else "the notebook never called check() for it"
            rows.append(Row(name, label, False, f"error: no check ran for this exercise: {why}"))
        else:
            result = exercises.judge(label, data)
            rows.append(Row(name, label, result.passed, _one_line(result.feedback)[:1000] + note))
    return rows


def grade_notebook(path: Path, name: str, limits: Limits | None = None, chapter: str | None = None,
                   slot: int = 0, sandboxed: bool = True) -> list[Row]:
    """Grade one submitted notebook; never raises for anything inside the submission.

    Args:
        path: the submitted file (read, never written).
        name: the submission's name in the rows.
        limits: the per-submission limits (default :class:`Limits`).
        chapter: the chapter it answers; default: from ``name`` or the notebook's text.
        slot: the parallel job's number (see :func:`losslab.sandbox.run`).
        sandboxed: False only for ``--unsafe-no-sandbox``.
    """
    limits = limits or Limits()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Row(name, NOTEBOOK, False, f"error: the file cannot be read ({type(error).__name__}: {error})")]
    chapter = chapter or chapter_for(name, text)
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
        copy = Path(tmp) / "submission.ipynb"
        nbformat.write(nb, copy)  # the student's file is never touched, nor shown to the sandbox
        outcome = sandbox.run(copy, expected, limits, Path(tmp) / "run", slot=slot, sandbox=sandboxed)
    if outcome.report is None:
        return [Row(name, label, False, f"error: {outcome.problem}") for label in expected]
    return _judge(name, expected, outcome.report)


def _read_done(out: Path) -> dict[str, list[Row]]:
    """The rows already in ``out``, by submission (for ``--resume``)."""
    done: dict[str, list[Row]] = defaultdict(list)
    if out.exists():
        with out.open(newline="", encoding="utf-8") as f:
            for entry in csv.DictReader(f):
                if None in entry.values() or set(entry) != set(FIELDS):
                    continue  # a line cut short by a crash
                done[entry["submission"]].append(Row(entry["submission"], entry["label"],
                                                     entry["passed"] == "true", entry["feedback"]))
    return done


def _csv_lines(rows: list[Row]) -> list[list[str]]:
    return [[r.submission, r.label, str(r.passed).lower(), r.feedback] for r in rows]


def _check_paths(folder: Path, out: Path, sandboxed: bool) -> None:
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder; pass the folder that holds the submitted notebooks.")
    if out == folder or folder in out.parents:
        raise ValueError(f"{out} is inside the submissions folder; write grades.csv somewhere else.")
    if sandboxed:
        for exposed in map(Path, sandbox.exposed_paths()):
            if folder == exposed or exposed in folder.parents or exposed in out.parents:
                raise ValueError(f"{folder if exposed in folder.parents or folder == exposed else out} is inside "
                                 f"{exposed}, which every sandbox can read; move it elsewhere.")


def grade_folder(folder: Path, out: Path, limits: Limits | None = None, jobs: int | None = None,
                 resume: bool = False, sandboxed: bool = True, chapter: str | None = None, echo=print) -> list[Row]:
    """Grade every notebook under ``folder``, ``jobs`` at a time; write ``out`` (CSV) and print a summary.

    Each submission's rows are appended to ``out`` as soon as it is graded; at the
    end ``out`` is rewritten sorted by submission, then exercise.
    """
    folder, out = folder.resolve(), out.resolve()
    _check_paths(folder, out, sandboxed)
    if sandboxed and sandbox.bwrap_path() is None:
        raise ValueError("bubblewrap is not installed, and the grader does not run students' code without a "
                         "sandbox: install it (Debian/Ubuntu: apt-get install bubblewrap), or pass "
                         "--unsafe-no-sandbox to run the notebooks as yourself.")
    limits = limits or Limits()
    if sandboxed:
        failure = sandbox.preflight(limits)
        if failure:
            raise ValueError(f"bubblewrap is installed but cannot start a sandbox here ({failure}). Unprivileged "
                             "user namespaces may be turned off on this machine: allow them for bwrap, or grade "
                             "inside a throw-away container with --unsafe-no-sandbox.")
    jobs = jobs or os.cpu_count() or 1
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    names = [p.relative_to(folder).as_posix() for p in paths]
    done = _read_done(out) if resume else {}
    todo = [(p, n) for p, n in zip(paths, names) if n not in done]
    out.parent.mkdir(parents=True, exist_ok=True)
    if not (resume and out.exists()):
        with out.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerow(FIELDS)
    if done:
        echo(f"resuming: {sum(n in done for n in names)} submissions already in {out}")
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)
    lock = threading.Lock()

    def grade_one(path: Path, name: str) -> list[Row]:
        slot = slots.get()
        try:
            return grade_notebook(path, name, limits, chapter=chapter, slot=slot, sandboxed=sandboxed)
        except Exception as error:  # a bug of the grader's own: this submission's rows say so, the batch goes on
            return [Row(name, NOTEBOOK, False, f"error: the grader failed on this submission "
                                               f"({type(error).__name__}: {_one_line(error)[:200]})")]
        finally:
            slots.put(slot)

    graded: dict[str, list[Row]] = dict(done)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_one, p, n): n for p, n in todo}
        for count, future in enumerate(as_completed(futures), 1):
            name, rows = futures[future], future.result()
            graded[name] = rows
            with lock, out.open("a", newline="", encoding="utf-8") as f:
                csv.writer(f).writerows(_csv_lines(rows))
                f.flush()
                os.fsync(f.fileno())
            passed = sum(r.passed for r in rows)
            echo(f"[{count}/{len(todo)}] {name}: {passed} of {len(rows)} passed")
    order = {n: i for i, n in enumerate(names)}
    everything = [r for n in sorted(graded, key=lambda n: (order.get(n, len(order)), n)) for r in graded[n]]
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        writer.writerows(_csv_lines(everything))
    os.replace(partial, out)
    echo(summary(everything, len(graded), sandboxed))
    echo(f"Wrote {out}")
    return everything


def summary(rows: list[Row], submissions: int, sandboxed: bool = True) -> str:
    """Per exercise: how many submissions passed; then the submissions with errors, and how they ran."""
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
    lines.append("each notebook ran in a bubblewrap sandbox (no network, read-only system, no other files)"
                 if sandboxed else UNSANDBOXED)
    return "\n".join(lines)


def _bytes(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", text, re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; write e.g. 4G, 512M or 1000000.")
    return int(float(match[1]) * {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}[match[2].upper()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m losslab.grade",
                                     description="Run submitted notebooks in a sandbox, judge their exercises' "
                                                 "answers, write grades.csv.")
    parser.add_argument("submissions", type=Path, help="folder holding the submitted .ipynb files")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write (default grades.csv)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: CPU cores)")
    parser.add_argument("--resume", action="store_true", help="skip submissions already in the CSV")
    parser.add_argument("--chapter", default=None, help="the chapter every submission answers (default: from names)")
    parser.add_argument("--time-limit", type=float, default=600.0,
                        help="wall seconds for each notebook's cells, all together (default 600)")
    parser.add_argument("--cpu-limit", type=float, default=None, help="CPU seconds per process (default 2 x time)")
    parser.add_argument("--memory", type=_bytes, default=4 * 2**30, help="address space per process (default 4G)")
    parser.add_argument("--processes", type=int, default=512, help="processes and threads at once (default 512)")
    parser.add_argument("--output-limit", type=_bytes, default=10 * 2**20,
                        help="characters a notebook may print and display (default 10M)")
    parser.add_argument("--disk", type=_bytes, default=512 * 2**20, help="bytes per writable folder (default 512M)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run the notebooks as yourself when bubblewrap is missing (only in a throw-away "
                             "container, such as Gradescope's)")
    args = parser.parse_args(argv)
    try:
        if args.jobs is not None and not 1 <= args.jobs <= 999:
            raise ValueError(f"--jobs must be from 1 to 999; got {args.jobs}.")
        if args.chapter is not None and args.chapter not in _chapters():
            raise ValueError(f"there is no chapter {args.chapter!r}; the chapters are "
                             f"{', '.join(sorted(_chapters()))}.")
        limits = Limits(time=args.time_limit, cpu=args.cpu_limit, memory=args.memory, processes=args.processes,
                        output=args.output_limit, disk=args.disk)
        grade_folder(args.submissions, args.out, limits, jobs=args.jobs, resume=args.resume,
                     sandboxed=not args.unsafe_no_sandbox, chapter=args.chapter)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
