"""Each chapter, run as a reader outside the repository would run it (`make offrepo`).

Run with the Python of a fresh venv that holds a hosted-notebook-like set (not
the book's pinned one) and no losslab. For each chapter: checks that losslab is
not installed, copies the chapter alone into an empty folder, and executes it
there with nbclient and ``PIP_FIND_LINKS=<dist>``, so the chapter's own install
cell installs the wheel just built. Passes when the wheel holds the package and
its quizzes, no cell raises, every chapter ran, and TensorFlow, Keras and numpy
have the same versions after as before. Prints, per chapter, how many cells'
outputs differ from the stored ones (the install cell aside): a difference is
reported, not a failure, since this set is not the one the outputs come from.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ["tensorflow-cpu", "keras", "numpy"]
INSTALL_CELL_ID = "install-losslab"


def versions() -> dict[str, str | None]:
    found = {}
    for name in WATCHED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def losslab_installed() -> bool:
    importlib.invalidate_caches()
    return importlib.util.find_spec("losslab") is not None


def check_wheel(dist: Path) -> Path:
    wheels = sorted(dist.glob("losslab-*.whl"))
    assert len(wheels) == 1, f"expected one losslab wheel in {dist}, found {wheels}; run `make dist`"
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    expected = {f"losslab/{p.relative_to(ROOT / 'src' / 'losslab').as_posix()}"
                for p in (ROOT / "src" / "losslab").rglob("*.py")}
    expected |= {f"losslab/quizzes/{p.name}" for p in (ROOT / "chapters" / "quizzes").glob("*.yml")}
    missing = sorted(expected - names)
    assert not missing, f"{wheels[0].name} lacks {missing}"
    return wheels[0]


def _texts(cell) -> list[str]:
    """What nbval compares, roughly: each stream as one text (as nbval joins them), text/plain,
    text/html, errors; not images."""
    streams, out = {}, []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            streams[o.name] = streams.get(o.name, "") + o.text
        elif o.output_type in ("execute_result", "display_data"):
            out += [f"{k}:{o.data[k]}" for k in ("text/plain", "text/html") if k in o.data]
        elif o.output_type == "error":
            out.append(f"error:{o.ename}:{o.evalue}")
    return [f"{name}:{text}" for name, text in sorted(streams.items())] + out


def differing_cells(stored, executed) -> int:
    return sum(a.cell_type == "code" and a.get("id") != INSTALL_CELL_ID and _texts(a) != _texts(b)
               for a, b in zip(stored.cells, executed.cells))


def run_chapter(path: Path, folder: Path, dist: Path, timeout: int) -> tuple[str | None, int]:
    """(error or None, number of cells whose outputs differ from the stored ones)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(path, folder / path.name)
    stored = nbformat.read(folder / path.name, 4)
    nb = nbformat.read(folder / path.name, 4)
    os.environ["PIP_FIND_LINKS"] = str(dist.resolve())
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    error = None
    try:
        client.execute(cwd=str(folder))
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1]
    except Exception as exc:  # a dead kernel or a timeout is a failure of this chapter, not of the run
        error = f"{type(exc).__name__}: {exc}"
    nbformat.write(nb, folder / path.name)
    return error, differing_cells(stored, nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "_build" / "offrepo")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("chapters", nargs="*", type=Path, help="default: every chapter")
    args = parser.parse_args(argv)
    wheel = check_wheel(args.dist)
    chapters = args.chapters or sorted((ROOT / "chapters").glob("*.ipynb"))
    before = versions()
    print(f"offrepo: {wheel.name}; Python {sys.version.split()[0]}; before: {before}", flush=True)
    failures = []
    for path in chapters:
        if losslab_installed():
            subprocess.run([sys.executable, "-m", "pip", "uninstall", "--quiet", "--yes", "losslab"], check=True)
        if losslab_installed():
            failures.append(f"{path.name}: losslab is still installed before the chapter runs")
            continue
        start = time.perf_counter()
        error, differ = run_chapter(path, args.work / "chapters" / path.stem, args.dist, args.timeout)
        installed = losslab_installed() and importlib.metadata.version("losslab") == wheel.name.split("-")[1]
        print(f"{path.name}: {'ERROR ' + error if error else 'ran'}; {differ} cells' outputs differ from the "
              f"stored ones; install cell installed losslab: {installed} ({time.perf_counter() - start:.0f} s)",
              flush=True)
        if error:
            failures.append(f"{path.name}: {error}")
        elif not installed:
            failures.append(f"{path.name}: the install cell did not install losslab from {args.dist}")
    after = versions()
    if after != before:
        failures.append(f"versions changed: before {before}, after {after}")
    print(f"after: {after}")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"offrepo: {len(chapters)} chapters run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
