"""Each chapter's install cell: installs losslab where it is missing (Colab, Binder, any Jupyter).

The install cell is the first code cell of every chapter, just before the
visible setup cell. It runs ``%pip install losslab==<version>`` only when
``import losslab`` fails, so it prints nothing where losslab is installed
(the book's own venv, nbval) and its stored output is empty. Its tag
``remove-cell`` keeps it out of the HTML book.

    python tools/install_cell.py          # write or update it in every chapter (make install-cell)
    python tools/install_cell.py --check  # exit 1 when a chapter's install cell is missing or stale

The version is ``pyproject.toml``'s; run ``make install-cell`` after a version
bump. Running it twice changes nothing. It touches only the install cell, so
it can be re-run after the chapters have changed.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CELL_ID = "install-losslab"
TAG = "remove-cell"


def package_version(root: Path = ROOT) -> str:
    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def source(version: str) -> str:
    return ("# Colab, Binder or a fresh Jupyter: install the book's package losslab\n"
            "try:\n"
            "    import losslab\n"
            "except ImportError:\n"
            f"    %pip install losslab=={version}")


def _is_install_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.get("id") == CELL_ID


def problems(nb: nbformat.NotebookNode, version: str) -> list[str]:
    """What is wrong with the notebook's install cell; empty when it is right."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not any(_is_install_cell(c) for c in code):
        return ["no install cell"]
    cell, found = code[0], []
    if not _is_install_cell(cell):
        return ["the install cell is not the first code cell"]
    if cell.source != source(version):
        found.append(f"its source is not the one for losslab=={version}")
    if TAG not in cell.metadata.get("tags", []):
        found.append(f"it lacks the tag {TAG!r}")
    if cell.outputs:
        found.append("it has stored outputs")
    if sum(_is_install_cell(c) for c in code) > 1:
        found.append("there are several install cells")
    return found


def with_install_cell(nb: nbformat.NotebookNode, version: str) -> nbformat.NotebookNode:
    """The notebook with its install cell (new or updated) just before its first other code cell."""
    old = next((c for c in nb.cells if _is_install_cell(c)), None)
    cell = nbformat.v4.new_code_cell(source(version), metadata=old.metadata if old is not None else {})
    cell["id"] = CELL_ID
    if old is not None:
        cell.execution_count = old.execution_count
    cell.metadata["tags"] = [TAG] + [t for t in cell.metadata.get("tags", []) if t != TAG]
    cells = [c for c in nb.cells if not _is_install_cell(c)]
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    nb.cells = cells[:first_code] + [cell] + cells[first_code:]
    return nb


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "chapters").glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale chapters and exit 1, write nothing")
    args = parser.parse_args(argv)
    version, stale = package_version(), 0
    for path in chapters():
        nb = nbformat.read(path, 4)
        found = problems(nb, version)
        if not found:
            continue
        stale += 1
        if args.check:
            print(f"chapters/{path.name}: {'; '.join(found)} (run `make install-cell`)")
        else:
            nbformat.write(with_install_cell(nb, version), path)
            print(f"chapters/{path.name}: install cell for losslab=={version} ({'; '.join(found)} before)")
    if not stale:
        print(f"every chapter's install cell is up to date (losslab=={version})")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
