"""Execute every chapter in a fresh kernel, time it, and record the versions used.

Writes two Markdown tables that the book's reproducibility page includes:
benchmarks/notebook_times.md (seconds per chapter on this machine) and
benchmarks/versions.md (the packages the chapters were executed with).
Timings are kept here, never in a chapter's outputs, because nbval compares
those and timings change from run to run.

Usage: python benchmarks/time_notebooks.py   (or: make times)
"""

from __future__ import annotations

import os
import platform
import time
from importlib.metadata import version
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["tensorflow-cpu", "keras", "numpy", "scikit-learn", "matplotlib", "jupyter-book", "myst-nb",
            "sphinx", "nbval", "ipykernel"]


def chapters() -> list[Path]:
    toc = (ROOT / "_toc.yml").read_text()
    names = [line.split("file:")[1].strip() for line in toc.splitlines() if "file: chapters/" in line]
    return [ROOT / f"{name}.ipynb" for name in names]


def main() -> None:
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    rows = []
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                       extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()  # no start-up notices
        seconds = time.perf_counter() - start
        rows.append(f"| `{path.relative_to(ROOT)}` | {seconds:.0f} |")
        print(f"{path.name}: {seconds:.1f} s", flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (ROOT / "benchmarks" / "notebook_times.md").write_text(
        f"| chapter | seconds, top to bottom in a fresh kernel ({machine}) |\n|---|---:|\n"
        + "\n".join(rows) + "\n")
    (ROOT / "benchmarks" / "versions.md").write_text(
        "| package | version |\n|---|---|\n" + f"| Python | {platform.python_version()} |\n"
        + "\n".join(f"| {name} | {version(name)} |" for name in PACKAGES) + "\n")
    print("written benchmarks/notebook_times.md and benchmarks/versions.md")


if __name__ == "__main__":
    main()
