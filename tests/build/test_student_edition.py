"""The built student edition (make student) holds no solution text: not in its notebooks, not in its HTML.

The solution text is taken from the chapters themselves: every line of a
solution (gated or plain), 20 characters or longer, that appears nowhere else
in its chapter, not even inside a longer line, and is not part of a stub. Each
must be absent from the student notebooks and from the text of every student
HTML page.
"""

import functools
import html
import json
import os
import pathlib
import re

import nbformat
import pytest
from student_edition import _END, _PLAIN, _START

ROOT = pathlib.Path(__file__).resolve().parents[2]
STUDENT = pathlib.Path(os.environ.get("LOSSLAB_STUDENT_DIR", ROOT / "_build" / "student"))
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def solution_lines(nb):
    """(lines inside solutions, lines elsewhere in the chapter, including stubs)."""
    inside, outside, in_solution = [], [], False
    for cell in nb.cells:
        text = cell.source.lstrip() if cell.cell_type == "markdown" else ""
        if _START.match(text):
            in_solution = True
            inside += cell.source.splitlines()[3:]  # the prose after the directive's own lines
            continue
        if in_solution:
            if _END.match(text):
                in_solution = False
            else:
                inside += cell.source.splitlines()
            outside += cell.metadata.get("student_stub", "").splitlines()
            continue
        for block in _PLAIN.finditer(cell.source) if cell.cell_type == "markdown" else []:
            inside += block.group(0).strip().splitlines()[1:-1]
        text = _PLAIN.sub("", cell.source) if cell.cell_type == "markdown" else cell.source
        outside += text.splitlines()
    return inside, outside


@functools.cache
def fragments():
    found = {}
    for path in CHAPTERS:
        inside, outside = solution_lines(nbformat.read(path, 4))
        elsewhere = "\n".join(outside)
        found[path.stem] = sorted({line.strip() for line in inside
                                   if len(line.strip()) >= 20 and line.strip() not in elsewhere
                                   and not line.strip().startswith((":class:", ":::"))})
    return found


def page_text(path):
    text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return html.unescape(text)


@pytest.fixture(scope="module")
def student():
    assert (STUDENT / "html" / "index.html").exists() and (STUDENT / "notebooks").is_dir(), \
        f"no student edition in {STUDENT}: run `make student` first"
    return STUDENT


def test_the_fragments_are_real_solution_text():
    found = fragments()
    assert all(len(lines) >= 8 for lines in found.values()), {k: len(v) for k, v in found.items()}
    assert any("np.clip(y_pred, eps, 1 - eps)" in line for line in found["binary_classification"])


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_student_notebook_has_no_solution_text(student, chapter):
    nb = nbformat.read(student / "notebooks" / f"{chapter}.ipynb", 4)
    nbformat.validate(nb)
    text = "\n".join(c.source for c in nb.cells) + json.dumps([c.get("outputs", []) for c in nb.cells])
    leaked = [line for line in fragments()[chapter] if line in text]
    assert not leaked, leaked[:3]
    assert "solution-start" not in text and ":::{solution}" not in text


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_student_html_has_no_solution_text(student, chapter):
    page = student / "html" / "chapters" / f"{chapter}.html"
    raw = page.read_text(encoding="utf-8")
    assert 'class="solution' not in raw and "solution-start" not in raw
    assert 'class="exercise' in raw  # the exercises themselves are still there
    text = page_text(page)
    leaked = [line for line in fragments()[chapter] if line in text]
    assert not leaked, leaked[:3]


def test_no_other_student_page_has_solution_text(student):
    anywhere = "\n".join(line for path in CHAPTERS for line in solution_lines(nbformat.read(path, 4))[1])
    every = [line for lines in fragments().values() for line in lines if line not in anywhere]
    for page in (student / "html").rglob("*.html"):
        text = page_text(page)
        leaked = [line for line in every if line in text]
        assert not leaked, (page.name, leaked[:3])
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (student / "html" / "_sources").rglob("*.ipynb"))
    assert not [line for line in every if line in sources]
