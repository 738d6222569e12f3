"""losslab.grade: a folder of submissions in, the right grades.csv out; no submission can stop the batch."""

import csv
import hashlib
import math

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from losslab import grade

RIGHT_NETWORK = '''
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
def xor_by_hand(x):
    h_or = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 10)
    h_and = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 30)
    return sigmoid(20 * h_or - 20 * h_and - 10)
'''
OR_NETWORK = "import numpy as np\ndef xor_by_hand(x):\n    return 1 / (1 + np.exp(-(20 * x.sum(axis=1) - 10)))"


def submission(*cells):
    return new_notebook(cells=[new_markdown_cell("# XOR exercises"),
                               new_code_cell("from losslab.exercises import check")]
                              + [new_code_cell(c) for c in cells])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    notebooks = {
        "ana_xor.ipynb": submission(RIGHT_NETWORK, 'check("xor-by-hand", xor_by_hand)',
                                    f'check("xor-linear-floor", {math.log(2)!r})'),
        "ben_xor.ipynb": submission(OR_NETWORK, 'check("xor-by-hand", xor_by_hand)', 'check("xor-linear-floor", 0.5)'),
        "cara/xor.ipynb": submission(RIGHT_NETWORK, 'check("xor-by-hand", xor_by_hand)', "while True:\n    pass",
                                     'check("xor-linear-floor", 0.6931)'),
        "dan_xor.ipynb": submission('check("xor-by-hand", undefined_function)', 'check("xor-linear-floor", 0.6931)'),
        "eve_xor.ipynb": submission("import os\nos._exit(1)", 'check("xor-by-hand", None)'),
        "gus_notes.ipynb": submission("print('hello')"),
    }
    for name, nb in notebooks.items():
        (folder / name).parent.mkdir(exist_ok=True)
        nbformat.write(nb, folder / name)
    (folder / "fay_xor.ipynb").write_text('{"cells": [ this is not json', encoding="utf-8")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    printed = []
    grade.grade_folder(folder, out, time_limit=20, echo=printed.append)
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return folder, before, rows, "\n".join(printed)


def rows_of(rows, submission):
    return {r["label"]: r for r in rows if r["submission"] == submission}


def test_csv_has_the_columns_and_one_row_per_submission_and_exercise(graded):
    _, _, rows, _ = graded
    assert list(rows[0]) == ["submission", "label", "passed", "feedback"]
    assert {r["submission"] for r in rows} == {"ana_xor.ipynb", "ben_xor.ipynb", "cara/xor.ipynb", "dan_xor.ipynb",
                                               "eve_xor.ipynb", "fay_xor.ipynb", "gus_notes.ipynb"}
    for name in ["ana_xor.ipynb", "ben_xor.ipynb", "cara/xor.ipynb", "dan_xor.ipynb", "eve_xor.ipynb", "fay_xor.ipynb"]:
        assert set(rows_of(rows, name)) == {"xor-by-hand", "xor-linear-floor"}


def test_correct_submission_passes(graded):
    ana = rows_of(graded[2], "ana_xor.ipynb")
    assert all(r["passed"] == "true" for r in ana.values())


def test_wrong_submission_fails_with_the_checks_feedback(graded):
    ben = rows_of(graded[2], "ben_xor.ipynb")
    assert ben["xor-by-hand"]["passed"] == "false" and "for x=(1, 1)" in ben["xor-by-hand"]["feedback"]
    assert ben["xor-linear-floor"]["passed"] == "false"
    assert "predicted probability" in ben["xor-linear-floor"]["feedback"]


def test_endless_loop_is_stopped_and_earlier_results_kept(graded):
    cara = rows_of(graded[2], "cara/xor.ipynb")
    assert cara["xor-by-hand"]["passed"] == "true"
    assert cara["xor-linear-floor"]["passed"] == "false"
    assert "still running when the notebook's 20 s ran out" in cara["xor-linear-floor"]["feedback"]


def test_exception_in_one_cell_does_not_stop_the_next(graded):
    dan = rows_of(graded[2], "dan_xor.ipynb")
    assert dan["xor-by-hand"]["passed"] == "false" and "NameError" in dan["xor-by-hand"]["feedback"]
    assert dan["xor-linear-floor"]["passed"] == "true"


def test_crashing_kernel_and_malformed_file_give_error_rows(graded):
    rows = graded[2]
    eve = rows_of(rows, "eve_xor.ipynb")
    assert all(r["passed"] == "false" and "kernel died" in r["feedback"] for r in eve.values())
    fay = rows_of(rows, "fay_xor.ipynb")
    assert all(r["passed"] == "false" and "not a valid notebook" in r["feedback"] for r in fay.values())
    gus = rows_of(rows, "gus_notes.ipynb")
    assert gus[grade.NOTEBOOK]["passed"] == "false" and "which chapter" in gus[grade.NOTEBOOK]["feedback"]


def test_summary_counts_per_exercise(graded):
    printed = graded[3]
    assert "7 submissions" in printed
    assert any(line.startswith("xor-by-hand") and "2 of 6" in line for line in printed.splitlines())


def test_submissions_folder_is_not_modified(graded):
    folder, before, _, _ = graded
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()} == before


def test_chapter_is_read_from_the_file_name_then_folders_then_labels():
    assert grade.chapter_for("ana_binary_classification.ipynb", "") == "binary_classification"
    assert grade.chapter_for("xor/ana.ipynb", "") == "xor"
    assert grade.chapter_for("regression_week/ana_xor.ipynb", "") == "xor"  # the file's own name wins
    assert grade.chapter_for("ana.ipynb", 'check("reg-msle-by-hand", v)') == "regression"
    assert grade.chapter_for("ana.ipynb", "nothing here") is None


def test_bad_folders_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="is not a folder"):
        grade.grade_folder(tmp_path / "missing", tmp_path / "grades.csv")
    with pytest.raises(ValueError, match="inside the submissions folder"):
        grade.grade_folder(tmp_path, tmp_path / "grades.csv")
