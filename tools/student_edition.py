"""The student edition: the book and its notebooks with every solution removed.

``python tools/student_edition.py`` (or ``make student``) writes

- ``_build/student/notebooks/<chapter>.ipynb``: each chapter with its solution
  cells removed, a stub in place of each one (the solution's ``student_stub``
  metadata, or an empty cell to fill in), and no outputs in exercise cells;
- ``_build/student/html``: the book built from those notebooks.

How solutions are written in a chapter (sphinx-exercise's directives):

- a *gated* solution: a markdown cell starting ``:::{solution-start} <label>``,
  the solution's cells, and a markdown cell starting ``:::{solution-end}``.
  All of them are removed. The first code cell may carry a ``student_stub``
  in its metadata: the code the student starts from.
- a *plain* solution: a ``:::{solution} <label>`` ... ``:::`` block inside a
  markdown cell. The block is removed and a cell to answer in follows.

This replaces sphinx-exercise's ``hide_solutions`` option, which fails on gated
solutions.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

__all__ = ["student_notebook", "build"]

_START = re.compile(r"^:::\{solution-start\}\s+([\w-]+)")
_END = re.compile(r"^:::\{solution-end\}")
_PLAIN = re.compile(r"\n*^:::\{solution\}\s+([\w-]+)[^\n]*\n.*?^:::[ \t]*$", re.MULTILINE | re.DOTALL)

ANSWER_HERE = "**Your answer:** write it here."
CODE_HERE = "# Your code here."

# What the student edition's source tree leaves out of the book's.
_NOT_COPIED = {".git", ".venv", "_build", "src", "tests", ".ipynb_checkpoints",
               "__pycache__", ".github", ".ci"}


def _stub_cell(label: str, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"stub-{label}"[:64]
    cell.metadata["student_exercise"] = label
    return cell


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of a chapter notebook with every solution removed and stubs in place.

    Args:
        nb: the chapter, as read by ``nbformat.read(path, 4)``.

    Returns:
        A new notebook; ``nb`` is not modified.

    Raises:
        ValueError: a gated solution that is not closed, or one nested in another.
    """
    out = copy.deepcopy(nb)
    cells, label, stub = [], None, None
    for cell in out.cells:
        text = cell.source.lstrip() if cell.cell_type == "markdown" else ""
        start = _START.match(text)
        if start:
            if label is not None:
                raise ValueError(f"solution {start.group(1)!r} starts inside solution {label!r}; "
                                 "close the first one with :::{solution-end} before.")
            label, stub = start.group(1), None
            continue
        if label is not None:
            if _END.match(text):
                cells.append(_stub_cell(label, stub if stub is not None else CODE_HERE))
                label = None
            elif cell.cell_type == "code" and stub is None:
                stub = cell.metadata.get("student_stub")
            continue
        plain = _PLAIN.search(cell.source) if cell.cell_type == "markdown" else None
        if plain:
            cell.source = _PLAIN.sub("", cell.source).rstrip()
            cells.append(cell)
            answer = nbformat.v4.new_markdown_cell(ANSWER_HERE)
            answer.id = f"answer-{plain.group(1)}"[:64]
            answer.metadata["student_exercise"] = plain.group(1)
            cells.append(answer)
            continue
        if cell.cell_type == "code":
            cell.metadata.pop("student_stub", None)
        cells.append(cell)
    if label is not None:
        raise ValueError(f"solution {label!r} has no :::{{solution-end}} cell after it.")
    out.cells = cells
    _clear_exercise_outputs(out)
    out.metadata["losslab"] = {"edition": "student"}
    return out


def _clear_exercise_outputs(nb: nbformat.NotebookNode) -> None:
    """No outputs in the exercises section (from its heading up to the quiz)."""
    inside = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = cell.source.lstrip()
            if heading.startswith("## Exercises"):
                inside = True
            elif heading.startswith("## "):
                inside = False
        elif inside:
            cell.outputs, cell.execution_count = [], None


def _copy_source(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=lambda folder, names: [n for n in names if n in _NOT_COPIED])
    config = target / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r"^title: (.*)$", r"title: \1 (student edition)", text, count=1, flags=re.MULTILINE)
    if n != 1:
        raise ValueError(f"{config}: no 'title:' line to mark as the student edition.")
    config.write_text(text, encoding="utf-8")


def build(source: Path = Path("."), out: Path = Path("_build/student"), html: bool = True) -> Path:
    """Write the student notebooks and (if ``html``) build the student book; return ``out``."""
    source, out = source.resolve(), out.resolve()
    notebooks = out / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    tree = out / "source"
    if html:
        _copy_source(source, tree)
    for path in sorted((source / "chapters").glob("*.ipynb")):
        student = student_notebook(nbformat.read(path, 4))
        nbformat.write(student, notebooks / path.name)
        if html:
            nbformat.write(student, tree / "chapters" / path.name)
    if html:
        cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(tree), "-W", "--keep-going",
               "--path-output", str(out)]
        subprocess.run(cmd, check=True)
        if (out / "html").exists():
            shutil.rmtree(out / "html")
        (out / "_build" / "html").rename(out / "html")
        shutil.rmtree(out / "_build")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python tools/student_edition.py", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("."), help="the book's folder (default: .)")
    parser.add_argument("--out", type=Path, default=Path("_build/student"), help="where to write the edition")
    parser.add_argument("--notebooks-only", action="store_true", help="write the notebooks, skip the HTML book")
    args = parser.parse_args(argv)
    out = build(args.source, args.out, html=not args.notebooks_only)
    print(f"Student notebooks: {out / 'notebooks'}")
    if not args.notebooks_only:
        print(f"Student book: {out / 'html' / 'index.html'}")


if __name__ == "__main__":
    main()
