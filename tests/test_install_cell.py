"""Every chapter's first code cell installs losslab==<pyproject's version> where losslab is missing, and only there."""

import copy
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from install_cell import CELL_ID, TAG, problems, source, with_install_cell
from IPython.core.inputtransformer2 import TransformerManager

import losslab

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_the_install_cell_for_pyprojects_version(path):
    nb = nbformat.read(path, 4)
    assert problems(nb, VERSION) == [], f"{path.name}: run `make install-cell`"
    first, second = [c for c in nb.cells if c.cell_type == "code"][:2]
    assert f"%pip install losslab=={VERSION}" in first.source
    assert "losslab.set_seed(" in second.source, "the visible setup cell follows the install cell"


def test_the_package_says_the_version_pyproject_says():
    assert losslab.__version__ == VERSION


def test_a_chapter_for_another_version_is_reported_and_updated_in_place():
    nb = with_install_cell(nbformat.read(CHAPTERS[0], 4), "0.0.1")
    assert problems(nb, VERSION) == [f"its source is not the one for losslab=={VERSION}"]
    before = copy.deepcopy(nb)
    updated = with_install_cell(nb, VERSION)
    assert problems(updated, VERSION) == []
    assert len(updated.cells) == len(before.cells)
    changed = [i for i, (a, b) in enumerate(zip(before.cells, updated.cells)) if a != b]
    assert [updated.cells[i].get("id") for i in changed] == [CELL_ID]


def test_writing_the_install_cell_twice_changes_nothing():
    nb = nbformat.read(CHAPTERS[0], 4)
    nb.cells = [c for c in nb.cells if c.get("id") != CELL_ID]  # a chapter without one
    once = nbformat.writes(with_install_cell(nb, VERSION))
    twice = nbformat.writes(with_install_cell(nbformat.reads(once, 4), VERSION))
    assert once == twice
    assert problems(nbformat.reads(once, 4), VERSION) == []


def test_stored_output_or_a_missing_tag_is_reported():
    nb = with_install_cell(nbformat.read(CHAPTERS[0], 4), VERSION)
    cell = next(c for c in nb.cells if c.get("id") == CELL_ID)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Successfully installed losslab\n")]
    cell.metadata["tags"] = []
    assert problems(nb, VERSION) == [f"it lacks the tag {TAG!r}", "it has stored outputs"]


class _Shell:
    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def _run_install_cell(monkeypatch, importable):
    shell = _Shell()
    if not importable:
        monkeypatch.setitem(sys.modules, "losslab", None)  # `import losslab` raises ImportError
    code = TransformerManager().transform_cell(source(VERSION))
    exec(compile(code, "<install cell>", "exec"), {"get_ipython": lambda: shell})
    return shell.magics


def test_install_cell_installs_nothing_where_losslab_is_importable(monkeypatch, capsys):
    assert _run_install_cell(monkeypatch, importable=True) == []
    assert capsys.readouterr() == ("", "")


def test_install_cell_pip_installs_the_pinned_version_where_losslab_is_missing(monkeypatch):
    assert _run_install_cell(monkeypatch, importable=False) == [("pip", f"install losslab=={VERSION}")]
