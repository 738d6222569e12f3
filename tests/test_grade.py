"""losslab.grade without a kernel: the CSV, its order, --resume after a crash, refusals and clear errors.

The sandboxed runs themselves (right, wrong and hostile notebooks) are in tests/test_grade_hostile.py;
Gradescope's run in tests/test_grade_gradescope.py.
"""

import csv
import pathlib
import sys
import uuid

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from losslab import exercises, grade, sandbox


def fill(folder: pathlib.Path) -> None:
    """Submissions that need no kernel: each is refused before anything runs."""
    (folder / "fay_xor.ipynb").write_text('{"cells": [ this is not json', encoding="utf-8")
    (folder / "gus_notes.ipynb").write_text(nbformat.writes(new_notebook(cells=[new_code_cell("1")])),
                                            encoding="utf-8")
    (folder / "hal").mkdir()
    (folder / "hal" / "regression.ipynb").write_text('{"cells": "not a list", "nbformat": 4}', encoding="utf-8")
    (folder / "ivy_intro.ipynb").write_bytes(b"\xff\xfe not utf-8")


def read(out):
    with out.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_refused_submissions_get_rows_that_say_why(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill(folder)
    rows = grade.grade_folder(folder, tmp_path / "grades.csv", jobs=2, sandboxed=False, echo=lambda _: 0)
    by_name = {(r.submission, r.label): r for r in rows}
    assert all(not by_name["fay_xor.ipynb", label].passed and "not a valid notebook" in by_name[
        "fay_xor.ipynb", label].feedback for label in exercises.labels("xor"))
    assert "which chapter" in by_name["gus_notes.ipynb", grade.NOTEBOOK].feedback
    assert {label for name, label in by_name if name == "hal/regression.ipynb"} == set(exercises.labels("regression"))
    assert "cannot be read" in by_name["ivy_intro.ipynb", grade.NOTEBOOK].feedback
    assert [(r["submission"], r["label"]) for r in read(tmp_path / "grades.csv")] == [
        (r.submission, r.label) for r in rows]


def test_a_grader_crash_keeps_the_rows_written_and_resume_skips_them(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "grades.csv"
    folder.mkdir()
    fill(folder)

    def crash_after_the_first(line):
        if line.startswith("[1/"):
            raise KeyboardInterrupt("the grader is stopped")

    with pytest.raises(KeyboardInterrupt):
        grade.grade_folder(folder, out, jobs=1, sandboxed=False, echo=crash_after_the_first)
    first = read(out)
    assert len({r["submission"] for r in first}) == 1  # the first submission's rows were on disk at once
    marked = [{**r, "feedback": "graded before the crash"} for r in first]
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, grade.FIELDS)
        writer.writeheader()
        writer.writerows(marked)
    printed = []
    grade.grade_folder(folder, out, jobs=2, resume=True, sandboxed=False, echo=printed.append)
    rows = read(out)
    names = [r["submission"] for r in rows]
    assert names == sorted(names) and set(names) == {"fay_xor.ipynb", "gus_notes.ipynb", "hal/regression.ipynb",
                                                     "ivy_intro.ipynb"}
    assert [r for r in rows if r["submission"] == first[0]["submission"]] == marked  # not graded again
    assert "resuming: 1 submissions already" in "\n".join(printed)


def test_the_csv_order_does_not_depend_on_which_job_ends_first(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill(folder)
    one = grade.grade_folder(folder, tmp_path / "one.csv", jobs=1, sandboxed=False, echo=lambda _: 0)
    four = grade.grade_folder(folder, tmp_path / "four.csv", jobs=4, sandboxed=False, echo=lambda _: 0)
    assert one == four and (tmp_path / "one.csv").read_bytes() == (tmp_path / "four.csv").read_bytes()


def test_without_bubblewrap_the_grader_refuses_unless_told_it_is_unsafe(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    with pytest.raises(ValueError, match="bubblewrap is not installed.*--unsafe-no-sandbox"):
        grade.grade_folder(tmp_path, tmp_path.parent / "grades.csv")
    assert grade.main([str(tmp_path), "--out", str(tmp_path.parent / "g.csv")]) == 2
    assert "--unsafe-no-sandbox" in capsys.readouterr().err
    assert grade.main([str(tmp_path), "--out", str(tmp_path.parent / "g.csv"), "--unsafe-no-sandbox"]) == 0
    assert "NOT SANDBOXED" in capsys.readouterr().out


def test_a_bubblewrap_that_cannot_start_a_sandbox_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: "/bin/false")  # installed, but every sandbox fails
    with pytest.raises(ValueError, match="cannot start a sandbox here.*--unsafe-no-sandbox"):
        grade.grade_folder(tmp_path, tmp_path.parent / "grades.csv")
    assert not (tmp_path.parent / "grades.csv").exists()


def test_summary_counts_per_exercise_and_says_how_the_notebooks_ran():
    rows = [grade.Row("a.ipynb", "xor-by-hand", True, "ok"), grade.Row("b.ipynb", "xor-by-hand", False, "error: x")]
    text = grade.summary(rows, 2)
    assert "2 submissions" in text and any(line.startswith("xor-by-hand") and "1 of 2" in line
                                           for line in text.splitlines())
    assert "submissions with errors (see grades.csv): b.ipynb" in text and "bubblewrap sandbox" in text
    assert "NOT SANDBOXED" in grade.summary(rows, 2, sandboxed=False)


def test_forged_reports_are_judged_not_trusted():
    report = {"problems": ["x" * 5000, 7], "probes": {"xor-by-hand": {"passed": True},
                                                      "xor-linear-floor": {"kind": "number", "value": 0.5}}}
    rows = grade._judge("s.ipynb", exercises.labels("xor"), report)
    assert [r.passed for r in rows] == [False, False]
    assert rows[1].feedback == exercises.check("xor-linear-floor", 0.5).feedback
    assert all(r.label in exercises.labels("xor") for r in grade._judge("s.ipynb", exercises.labels("xor"),
                                                                         {"probes": "all passed"}))


def test_chapter_is_read_from_the_file_name_then_folders_then_labels():
    assert grade.chapter_for("ana_binary_classification.ipynb", "") == "binary_classification"
    assert grade.chapter_for("xor/ana.ipynb", "") == "xor"
    assert grade.chapter_for("regression_week/ana_xor.ipynb", "") == "xor"  # the file's own name wins
    assert grade.chapter_for("ana.ipynb", 'check("reg-msle-by-hand", v)') == "regression"
    assert grade.chapter_for("ana.ipynb", "nothing here") is None


def test_bad_folders_limits_and_options_are_clear_errors(tmp_path, capsys):
    with pytest.raises(ValueError, match="is not a folder"):
        grade.grade_folder(tmp_path / "missing", tmp_path / "grades.csv")
    with pytest.raises(ValueError, match="inside the submissions folder"):
        grade.grade_folder(tmp_path, tmp_path / "grades.csv")
    package = pathlib.Path(grade.__file__).resolve().parent  # every sandbox can read it
    with pytest.raises(ValueError, match="which every sandbox can read"):
        grade.grade_folder(package, tmp_path / "grades.csv")
    with pytest.raises(ValueError, match="memory limit must be positive"):
        grade.Limits(memory=0)
    assert grade.Limits(memory=4 * 2**30, output=10 * 2**20).describe("memory") == "memory limit (4 GiB)"
    assert grade.main([str(tmp_path), "--jobs", "0"]) == 2 and "--jobs" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        grade.main([str(tmp_path), "--memory", "lots"])


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("sandboxed", [True, False])
def test_a_runner_past_the_hard_wall_time_is_killed_with_everything_it_started(tmp_path, monkeypatch, sandboxed):
    if sandboxed and sandbox.bwrap_path() is None:
        pytest.skip("needs bubblewrap")
    marker = f"losslab-test-{uuid.uuid4().hex}"
    hang = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', " \
           f"'{marker}']); time.sleep(600)"
    monkeypatch.setattr(sandbox, "_runner_argv", lambda limits, labels: [sys.executable, "-c", hang, marker])
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(nbformat.writes(new_notebook()), encoding="utf-8")
    limits = grade.Limits(time=1, probe_time=1, startup=1)
    outcome = sandbox.run(notebook, ["xor-by-hand"], limits, tmp_path / "work", sandbox=sandboxed)
    assert outcome.report is None and "hard wall-time limit (3 s" in outcome.problem
    assert processes_with(marker) == []


def test_a_runner_that_floods_its_report_gives_no_report(tmp_path, monkeypatch):
    flood = "import sys\nfor _ in range(80):\n    sys.stdout.write('x' * 2**20)"
    monkeypatch.setattr(sandbox, "_runner_argv", lambda limits, labels: [sys.executable, "-c", flood])
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(nbformat.writes(new_notebook()), encoding="utf-8")
    outcome = sandbox.run(notebook, ["xor-by-hand"], grade.Limits(), tmp_path / "work", sandbox=False)
    assert outcome.report is None and "more than 64 MiB" in outcome.problem
