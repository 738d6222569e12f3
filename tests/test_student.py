"""tools/student_edition.py: the student copy of a chapter keeps the exercises and drops every solution."""

import copy
import json
import pathlib

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from student_edition import ANSWER_HERE, CODE_HERE, student_notebook

CHAPTERS = pathlib.Path(__file__).resolve().parents[1] / "chapters"


def chapter_like():
    solution_code = new_code_cell("def secret_answer():\n    return 42", outputs=[])
    solution_code.metadata["student_stub"] = "def secret_answer():\n    ...  # your code here"
    return new_notebook(cells=[
        new_markdown_cell("# A chapter"),
        new_code_cell("x = 1"),
        new_markdown_cell("## Exercises"),
        new_code_cell("from losslab.exercises import check", execution_count=3),
        new_markdown_cell(":::{exercise} One\n:label: ex-one\n\nWrite it.\n:::"),
        new_markdown_cell(":::{solution-start} ex-one\n:class: dropdown\n:::\n\nThe plan: hidden reasoning."),
        solution_code,
        new_code_cell("print('second solution cell')"),
        new_markdown_cell(":::{solution-end}\n:::"),
        new_markdown_cell(":::{exercise} Two\n:label: ex-two\n\nExplain.\n:::"),
        new_markdown_cell(":::{solution-start} ex-two\n:::"),
        new_code_cell("print('no stub here')"),
        new_markdown_cell(":::{solution-end}\n:::"),
        new_markdown_cell(":::{exercise} Three\n:label: ex-three\n\nWhy?\n:::\n\n"
                          ":::{solution} ex-three\n:class: dropdown\n\nBecause of a secret reason.\n:::"),
        new_markdown_cell("## Quiz"),
        new_code_cell("quiz.show('x')", outputs=[nbformat.v4.new_output("stream", text="quiz\n")]),
    ])


def test_solutions_are_replaced_by_stubs_and_answer_cells():
    student = student_notebook(chapter_like())
    text = json.dumps(student)
    for secret in ["return 42", "hidden reasoning", "second solution cell", "no stub here", "secret reason",
                   "solution-start", "solution-end", "{solution}"]:
        assert secret not in text, secret
    stubs = {c.metadata["student_exercise"]: c for c in student.cells if "student_exercise" in c.metadata}
    assert stubs["ex-one"].source == "def secret_answer():\n    ...  # your code here"
    assert stubs["ex-two"].source == CODE_HERE
    assert stubs["ex-three"].cell_type == "markdown" and stubs["ex-three"].source == ANSWER_HERE
    assert [c.source.split("\n")[0] for c in student.cells if c.cell_type == "markdown"][:3] == \
        ["# A chapter", "## Exercises", ":::{exercise} One"]
    nbformat.validate(student)


def test_exercise_outputs_are_cleared_and_the_rest_kept():
    student = student_notebook(chapter_like())
    exercise_import = next(c for c in student.cells if c.source == "from losslab.exercises import check")
    assert exercise_import.execution_count is None and exercise_import.outputs == []
    assert next(c for c in student.cells if c.source.startswith("quiz.show")).outputs  # the quiz still displays


def test_the_chapter_itself_is_not_modified():
    nb = chapter_like()
    before = copy.deepcopy(nb)
    student_notebook(nb)
    assert nb == before


@pytest.mark.parametrize("cells, message", [
    ([new_markdown_cell(":::{solution-start} a\n:::"), new_code_cell("x")], "no :::{solution-end}"),
    ([new_markdown_cell(":::{solution-start} a\n:::"), new_markdown_cell(":::{solution-start} b\n:::")],
     "starts inside solution 'a'"),
])
def test_broken_solution_markup_is_an_error_not_a_leak(cells, message):
    with pytest.raises(ValueError, match=message):
        student_notebook(new_notebook(cells=cells))


@pytest.mark.parametrize("path", sorted(CHAPTERS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_chapter_converts_with_one_stub_or_answer_cell_per_exercise(path):
    nb = nbformat.read(path, 4)
    student = student_notebook(nb)
    exercises = [line.split()[1] for c in nb.cells if c.cell_type == "markdown"
                 for line in c.source.splitlines() if line.startswith(":label:")]
    places = [c.metadata["student_exercise"] for c in student.cells if "student_exercise" in c.metadata]
    assert places == exercises
