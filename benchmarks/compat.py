"""Execute every chapter in fresh environments and measure how far its outputs move.

Four environments, each a fresh venv under _build/compat/ (uv installs from its
cache, so only the first run downloads):

- oldest:  the oldest TensorFlow, Keras, numpy, matplotlib, scikit-learn and
  scipy that pyproject.toml allows (its lower bounds, installed exactly);
- newest:  the newest TensorFlow and Keras on the package index (and the newest
  numpy, matplotlib, scikit-learn, scipy they allow);
- oneDNN:  the pinned set (constraints.txt) with TF_ENABLE_ONEDNN_OPTS=1;
- 1 thread: the pinned set with TensorFlow limited to one intra-op and one
  inter-op thread (TF_NUM_INTRAOP_THREADS=1, TF_NUM_INTEROP_THREADS=1, read by
  TensorFlow when it creates its thread pools).

oneDNN and one thread stand in for other hardware: both change the order of
floating-point sums. Each chapter runs top to bottom (nbclient, errors
allowed, so one raising cell does not hide the others); then every code
cell's text outputs are compared with the stored ones, every "mean ± std"
with the stored one, and every glued verdict with the stored word.

A probe cell appended to each chapter (and removed afterwards) records what
the kernel really ran with: versions, the oneDNN variable, TensorFlow's thread
pools. A hook registered before the chapter's first cell records how many
values each `losslab.stats.mean_std` call summarized, for the standard error.

Writes benchmarks/compat.md (included by the reproducibility page). Exits 1
when a chapter fails to run or a cell raises in any environment.

Usage: python benchmarks/compat.py [--only ENV ...] [--chapters xor ...] [--out FILE]
       (make compat runs everything)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build" / "compat"
LOCK = ROOT / "constraints.txt"
# What a chapter needs beyond losslab's own dependencies: a kernel, the
# executor, and myst-nb (losslab.report.glue writes its outputs only where
# myst-nb is installed). Installed at the locked versions in every venv.
TOOLS = ["ipykernel", "nbclient", "nbformat", "myst-nb"]
# The packages whose range pyproject.toml promises and this script tests.
RANGED = ["tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scipy"]
SHOWN = ["tensorflow", "keras", "numpy", "scipy", "scikit-learn", "matplotlib", "ml-dtypes", "protobuf"]
MEAN_STD = re.compile(r"(-?\d+(?:\.\d+)?) ± (\d+(?:\.\d+)?)")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
GLUE = "application/papermill.record/"


def shape(text: str) -> str:
    """A text with its numbers masked and its runs of spaces collapsed (columns widen with digits)."""
    return re.sub(r"\s+", " ", NUMBER.sub("#", text))

# Runs first in the kernel (removed from the results): once losslab.stats is
# imported, wrap mean_std wherever losslab holds it, recording the formatted
# string and how many values it summarized, by execution count.
HOOK = """\
def _compat_hook(*_):
    import sys
    stats = sys.modules.get("losslab.stats")
    if stats is None or getattr(stats.mean_std, "compat_wrapped", False):
        return
    original = stats.mean_std

    def mean_std(values, decimals=3):
        import numpy
        text = original(values, decimals)
        _compat_sizes.append([get_ipython().execution_count, text,
                              int(numpy.asarray(values).size)])
        return text

    mean_std.compat_wrapped = True
    for name, module in list(sys.modules.items()):
        if name.startswith("losslab") and getattr(module, "mean_std", None) is original:
            module.mean_std = mean_std


_compat_sizes = []
get_ipython().events.register("post_run_cell", _compat_hook)
"""

# Runs last: what the kernel really ran with.
PROBE = """\
import json as _json, os as _os, sys as _sys
from collections import Counter as _Counter
from importlib import metadata as _metadata
def _version(name):
    try:
        return _metadata.version(name)
    except _metadata.PackageNotFoundError:
        return None
_threads = _Counter()
for _t in _os.listdir("/proc/self/task") if _os.path.isdir("/proc/self/task") else []:
    with open(f"/proc/self/task/{_t}/comm") as _f:
        _threads[_f.read().strip()] += 1
print("COMPAT-PROBE " + _json.dumps({
    "python": _sys.version.split()[0], "executable": _sys.executable,
    "versions": {n: _version(n) for n in %(packages)r},
    "environ": {k: _os.environ.get(k) for k in ["TF_ENABLE_ONEDNN_OPTS", "TF_NUM_INTRAOP_THREADS",
                                                 "TF_NUM_INTEROP_THREADS"]},
    "threads": dict(_threads), "sizes": _compat_sizes}))
"""


@dataclass
class Env:
    name: str
    what: str
    venv: str
    variables: dict[str, str] = field(default_factory=dict)
    onednn: bool = False


ENVS = [
    Env("oldest", "the oldest versions pyproject.toml allows", "oldest"),
    Env("newest", "the newest TensorFlow and Keras on the package index", "newest"),
    Env("oneDNN", "the pinned set, TF_ENABLE_ONEDNN_OPTS=1", "pinned", onednn=True,
        variables={"TF_ENABLE_ONEDNN_OPTS": "1"}),
    Env("1 thread", "the pinned set, one TensorFlow intra-op and inter-op thread", "pinned",
        variables={"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}),
]


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def tensorflow_distribution() -> str:
    """tensorflow-cpu where it has wheels (as requirements.txt's markers say), else tensorflow."""
    machine = platform.machine()
    cpu = (sys.platform == "linux" and machine == "x86_64") or (sys.platform == "win32" and machine == "AMD64")
    return "tensorflow-cpu" if cpu else "tensorflow"


def locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if match:
            pins[norm(match[1])] = match[2]
    return pins


def lower_bounds() -> dict[str, str]:
    """{package: lower bound} of RANGED, from pyproject.toml's dependencies and tensorflow extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = {}
    for requirement in project["dependencies"] + project["optional-dependencies"]["tensorflow"]:
        match = re.match(r"([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9.]*)", requirement)
        if match and norm(match[1]) in RANGED:
            bounds[norm(match[1])] = match[2]
    missing = set(RANGED) - set(bounds)
    if missing:
        sys.exit(f"pyproject.toml has no lower bound for {sorted(missing)}")
    return bounds


def requirements(venv: str) -> tuple[list[str], bool]:
    """The requirement lines of a venv, and whether constraints.txt constrains them."""
    pins = locked()
    tools = [f"{name}=={pins[norm(name)]}" for name in TOOLS]
    tf = tensorflow_distribution()
    if venv == "oldest":
        bounds = lower_bounds()
        return [f"{tf if n == 'tensorflow' else n}=={v}" for n, v in bounds.items()] + ["pyyaml"] + tools, False
    if venv == "newest":
        return [tf, "keras", "numpy", "matplotlib", "scikit-learn", "scipy", "pyyaml"] + tools, False
    return [tf, "keras", "numpy", "matplotlib", "scikit-learn", "scipy", "pyyaml"] + TOOLS, True


def uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if not found:
        sys.exit("uv not found: it is pinned in requirements.txt (make .venv/.installed)")
    return found


def base_python() -> str:
    """The interpreter the project's venv was made from (a venv of a venv would share its packages)."""
    name = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    candidate = Path(sys.base_prefix) / "bin" / name
    return str(candidate if candidate.exists() else sys.executable)


def install(venv: str, log) -> float:
    start = time.perf_counter()
    path = BUILD / venv
    shutil.rmtree(path, ignore_errors=True)
    lines, constrained = requirements(venv)
    req = BUILD / f"{venv}-requirements.txt"
    req.write_text("\n".join(lines) + "\n")
    run = [uv(), "pip", "install", "--python", str(path / "bin" / "python"), "--quiet"]
    subprocess.run([uv(), "venv", "--quiet", "--python", base_python(), str(path)], check=True)
    subprocess.run(run + ["-r", str(req)] + (["-c", str(LOCK)] if constrained else []), check=True)
    # losslab itself, without touching what was just installed
    subprocess.run(run + ["--no-deps", "-e", str(ROOT)], check=True)
    seconds = time.perf_counter() - start
    log(f"[{venv}] installed in {seconds:.0f} s")
    return seconds


def execute(src: Path, dst: Path) -> None:
    """Run inside a compat venv: execute one chapter, errors allowed, and store it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(src, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(HOOK))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE % {"packages": SHOWN + ["tensorflow-cpu"]}))
    NotebookClient(nb, timeout=1200, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(src.parent)}},
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    nbformat.write(nb, dst)


def chapters(selected: list[str] | None) -> list[Path]:
    toc = (ROOT / "_toc.yml").read_text()
    names = [line.split("file:")[1].strip() for line in toc.splitlines() if "file: chapters/" in line]
    paths = [ROOT / f"{name}.ipynb" for name in names]
    if selected:
        paths = [p for p in paths if p.stem in selected]
    # longest first, so two at a time finish together (times from make times, if any)
    times = {}
    table = ROOT / "benchmarks" / "notebook_times.md"
    if table.exists():
        times = {m[1]: int(m[2]) for m in re.finditer(r"`chapters/(\w+)\.ipynb` \| (\d+)", table.read_text())}
    return sorted(paths, key=lambda p: -times.get(p.stem, 0))


def run_env(env: Env, paths: list[Path], log) -> tuple[dict[str, Path], float]:
    """Execute the chapters two at a time in the env's venv; {chapter: executed copy}."""
    start = time.perf_counter()
    folder = BUILD / "runs" / env.name.replace(" ", "-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    python = BUILD / env.venv / "bin" / "python"
    variables = dict(os.environ, TF_ENABLE_ONEDNN_OPTS="0", TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0")
    variables.update(env.variables)
    variables["PATH"] = f"{python.parent}{os.pathsep}{variables['PATH']}"

    def one(path: Path) -> tuple[str, Path]:
        src = path
        if env.onednn:
            # Each chapter's setup cell forces oneDNN off; this copy leaves it to the environment.
            nb = json.loads(path.read_text())
            forced = 'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"'
            setup = next((c for c in nb["cells"] if c["cell_type"] == "code" and forced in "".join(c["source"])),
                         None)
            if setup is None:
                raise SystemExit(f"{path.name}: no cell sets {forced}; update compat.py")
            setup["source"] = "".join(setup["source"]).replace(
                forced, 'os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")')
            src = path.parent / f".compat-{path.name}"
            src.write_text(json.dumps(nb))
        dst = folder / path.name
        try:
            done = subprocess.run([str(python), __file__, "--execute", str(src), str(dst)], env=variables,
                                  capture_output=True, text=True)
        finally:
            if src != path:
                src.unlink()
        if done.returncode != 0:
            log(f"[{env.name}] {path.stem}: did not run\n{done.stderr[-2000:]}")
        else:
            log(f"[{env.name}] {path.stem}: executed")
        return path.stem, dst

    with ThreadPoolExecutor(2) as pool:
        results = dict(pool.map(one, paths))
    return results, time.perf_counter() - start


# ---- comparison -------------------------------------------------------------------------------

def texts(outputs: list[dict]) -> list[tuple[str, str]]:
    """What nbval would compare, as (kind, text): streams, text data, glue, errors; no images."""
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            parts.append((out["name"], "".join(out["text"])))
        elif kind == "error":
            parts.append(("error", f"{out['ename']}: {out['evalue']}"))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            for mime in sorted(data):
                if mime.startswith("image/") and mime != "image/svg+xml":
                    continue
                value = data[mime]
                value = "".join(value) if isinstance(value, list) else str(value)
                parts.append((f"glue {name}" if mime.startswith(GLUE) else mime, value))
    # streams arrive in pieces that depend on timing: join consecutive ones
    joined: list[tuple[str, str]] = []
    for kind, text in parts:
        if joined and kind in ("stdout", "stderr") and joined[-1][0] == kind:
            joined[-1] = (kind, joined[-1][1] + text)
        else:
            joined.append((kind, text))
    return joined


def mean_stds(parts: list[tuple[str, str]]) -> list[tuple[float, float, str]]:
    """Every "mean ± std" a cell shows once: from its HTML where it has one, else its plain text."""
    found = []
    has_html = any(kind == "text/html" for kind, _ in parts)
    for kind, text in parts:
        if kind in ("stdout", "text/html") or (kind == "text/plain" and not has_html):
            for m in MEAN_STD.finditer(text):
                found.append((float(m[1]), float(m[2]), m[0]))
    return found


def first_difference(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> str:
    """The first line that differs in more than its digits (else in its digits), stored → new,
    cut around the first differing character, as two code spans a Markdown table can hold."""
    def span(line: str, start: int) -> str:
        cut = line[start:start + 100]
        cut = ("…" if start else "") + cut + ("…" if len(line) > start + 100 else "")
        return "`" + cut.replace("`", "'").replace("|", "\\|") + "`"

    old_lines = [f"{k}: {line}" for k, t in old for line in t.splitlines()]
    new_lines = [f"{k}: {line}" for k, t in new for line in t.splitlines()]
    pairs = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    if len(old_lines) != len(new_lines):
        gone, extra = old_lines[len(new_lines):], new_lines[len(old_lines):]
        pairs.append(((gone or ["(nothing)"])[0], (extra or ["(nothing)"])[0]))
    if not pairs:
        return "order of outputs"
    texty = [(a, b) for a, b in pairs if shape(a) != shape(b)]
    a, b = (texty or pairs)[0]
    # Show the first table cell or column (HTML tags and runs of spaces split them) that differs.
    cells_a, cells_b = re.split(r"<[^>]+>|\s{2,}", a), re.split(r"<[^>]+>|\s{2,}", b)
    if texty and len(cells_a) == len(cells_b):
        for x, y in zip(cells_a, cells_b):
            if shape(x) != shape(y):
                return f"{span(x, 0)} → {span(y, 0)}"
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - 40) if at > 60 else 0
    return f"{span(a, start)} → {span(b, start)}"


@dataclass
class ChapterResult:
    ran: bool
    cells: int = 0
    raising: list[int] = field(default_factory=list)
    differing: dict[int, str] = field(default_factory=dict)  # cell -> "stderr only" / "numbers" / "text"
    details: dict[int, str] = field(default_factory=dict)
    drift_std: list[float] = field(default_factory=list)
    drift_se: list[float] = field(default_factory=list)
    unmatched: int = 0
    flips: list[str] = field(default_factory=list)
    probe: dict = field(default_factory=dict)


def compare(stored_path: Path, executed_path: Path) -> ChapterResult:
    if not executed_path.exists():
        return ChapterResult(ran=False)
    stored = [c for c in json.loads(stored_path.read_text())["cells"] if c["cell_type"] == "code"]
    executed = [c for c in json.loads(executed_path.read_text())["cells"] if c["cell_type"] == "code"]
    hook, probe_cell, executed = executed[0], executed[-1], executed[1:-1]
    result = ChapterResult(ran=True, cells=len(stored))
    for cell in (hook, probe_cell):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            result.ran = False
    probe_text = "".join("".join(o.get("text", "")) for o in probe_cell.get("outputs", []))
    match = re.search(r"COMPAT-PROBE (.*)", probe_text)
    result.probe = json.loads(match[1]) if match else {}
    sizes: dict[tuple[int, str], int] = {}
    for count, text, n in result.probe.get("sizes", []):
        sizes[(count, text)] = n
    for index, (old_cell, new_cell) in enumerate(zip(stored, executed)):
        old, new = texts(old_cell.get("outputs", [])), texts(new_cell.get("outputs", []))
        if any(kind == "error" for kind, _ in new) and not any(kind == "error" for kind, _ in old):
            result.raising.append(index)
        if old != new:
            if [p for p in old if p[0] != "stderr"] == [p for p in new if p[0] != "stderr"]:
                result.differing[index] = "stderr only"
            elif [(k, shape(t)) for k, t in old] == [(k, shape(t)) for k, t in new]:
                result.differing[index] = "numbers"
            else:
                result.differing[index] = "text"
            result.details[index] = first_difference(old, new)
        verdict_old = {k: t for k, t in old if k.startswith("glue ") and "verdict" in k}
        verdict_new = {k: t for k, t in new if k.startswith("glue ") and "verdict" in k}
        for key in sorted(set(verdict_old) | set(verdict_new)):
            if verdict_old.get(key) != verdict_new.get(key):
                result.flips.append(f"{key[5:]}: {verdict_old.get(key)} → {verdict_new.get(key)}")
        old_ms, new_ms = mean_stds(old), mean_stds(new)
        if len(old_ms) != len(new_ms):
            result.unmatched += max(len(old_ms), len(new_ms))
            continue
        for (m0, s0, _), (m1, _, text) in zip(old_ms, new_ms):
            moved = abs(m1 - m0)
            result.drift_std.append(0.0 if moved == 0 else (moved / s0 if s0 else math.inf))
            # the hook reads IPython's counter while the cell runs, one ahead of the cell's number
            count = new_cell.get("execution_count") or 0
            n = sizes.get((count + 1, text)) or sizes.get((count, text))
            if n:
                result.drift_se.append(result.drift_std[-1] * math.sqrt(n))
            else:
                result.unmatched += 1
    return result


# ---- report -----------------------------------------------------------------------------------

def fmt(x: float) -> str:
    return "–" if math.isnan(x) else "∞" if math.isinf(x) else f"{x:.2f}"


def unlike_lock(venv: str) -> str:
    """The venv's packages installed at another version than constraints.txt's, and those it lacks."""
    path = BUILD / venv / "bin" / "python"
    if not path.exists():
        return "?"
    frozen = subprocess.run([uv(), "pip", "freeze", "--python", str(path)], capture_output=True, text=True).stdout
    pins = locked()
    other, extra = [], []
    for line in frozen.splitlines():
        if "==" not in line:
            continue
        name, version = line.split("==", 1)
        if norm(name) == "losslab":
            continue
        if norm(name) not in pins:
            extra.append(f"{name} {version}")
        elif pins[norm(name)] != version:
            other.append(f"{name} {version}")
    if not other and not extra:
        return "none"
    return "; ".join(filter(None, [", ".join(other), extra and "not in the lock: " + ", ".join(extra)]))


def report(results: dict[str, dict[str, ChapterResult]], seconds: dict[str, float], total: float,
           n_chapters: int) -> str:
    lines = [
        "Every chapter executed top to bottom in a fresh venv per environment (`make compat`, "
        f"`benchmarks/compat.py`), on {platform.machine()} Linux with {os.cpu_count()} cores, and compared "
        "with its stored outputs. *Differs* counts code cells whose text outputs (stdout, stderr, text, "
        "HTML, glued values, errors; not images) are not identical: *stderr only* where the rest is "
        "identical, *numbers* where only digits changed, *text* otherwise.",
        "",
        "| environment | Python | TensorFlow | Keras | numpy | scipy | scikit-learn | matplotlib | chapters run "
        "| cells raising | cells differing (stderr only / numbers / text) | glued verdicts changed |",
        "|---|---|---|---|---|---|---|---|---|---:|---|---:|",
    ]
    for env in ENVS:
        if env.name not in results:
            continue
        chapters_ = results[env.name]
        probe = next((r.probe for r in chapters_.values() if r.probe), {})
        v = probe.get("versions", {})
        tf = f"{v.get('tensorflow-cpu')} (cpu)" if v.get("tensorflow-cpu") else v.get("tensorflow")
        ran = sum(r.ran for r in chapters_.values())
        raising = sum(len(r.raising) for r in chapters_.values())
        cells = sum(r.cells for r in chapters_.values())
        kinds = [k for r in chapters_.values() for k in r.differing.values()]
        flips = sum(len(r.flips) for r in chapters_.values())
        lines.append(
            f"| {env.name}: {env.what} | {probe.get('python')} | {tf} | {v.get('keras')} | {v.get('numpy')} "
            f"| {v.get('scipy')} | {v.get('scikit-learn')} | {v.get('matplotlib')} | {ran}/{n_chapters} "
            f"| {raising} | {len(kinds)} of {cells} ({kinds.count('stderr only')} / {kinds.count('numbers')} / "
            f"{kinds.count('text')}) | {flips} |")
    everything = [(env.name, chapter, r) for env in ENVS for chapter, r in results.get(env.name, {}).items()]
    raised = [f"{e}: {c}" for e, c, r in everything if not r.ran or r.raising]
    flipped = [f"{e}: {c}, {flip}" for e, c, r in everything for flip in r.flips]
    moves = [(max(r.drift_std), max(r.drift_se or [math.nan]), e, c) for e, c, r in everything if r.drift_std]
    summary = [f"In this run: chapters that did not run or had a cell raise: {'; '.join(raised) or 'none'}. "
               f"Glued verdicts that changed word: {'; '.join(flipped) or 'none'}."]
    for env in ENVS:
        mine = [m for m in moves if m[2] == env.name]
        if mine:
            worst = max(mine, key=lambda m: m[0])
            if worst[0] == 0:
                summary.append(f"{env.name}: every printed mean ± std has the stored digits.")
                continue
            summary.append(f"{env.name}: the printed mean that moved most moved {fmt(worst[0])} of its std "
                           f"({fmt(worst[1])} standard errors), in {worst[3]}.")
    lines += ["", " ".join(summary)]
    lines += [
        "",
        "How far each chapter's printed means moved, for every \"mean ± std\" it prints (the stored std; "
        "standard error = std / √n, n the number of values the mean summarizes, as recorded during the run). "
        "Largest and median over the chapter's means; 0.00 where every mean printed the same digits. "
        "*Unpaired*: means in a cell that printed a different number of them (a rate whose runs all "
        "diverged prints a count instead), left out.",
        "",
        "| environment | chapter | means | largest, in stds | median, in stds | largest, in standard errors "
        "| median, in standard errors | glued verdicts changed |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for env in ENVS:
        for chapter, r in results.get(env.name, {}).items():
            if not r.ran:
                lines.append(f"| {env.name} | {chapter} | did not run | | | | | |")
                continue
            if not r.drift_std:
                continue
            se = r.drift_se or [math.nan]
            lines.append(
                f"| {env.name} | {chapter} | {len(r.drift_std)}{f' ({r.unmatched} unpaired)' if r.unmatched else ''} "
                f"| {fmt(max(r.drift_std))} | {fmt(statistics.median(r.drift_std))} | {fmt(max(se))} "
                f"| {fmt(statistics.median(se))} | {'; '.join(r.flips) or 'none'} |")
    text_cells = [(env.name, chapter, i, r.details[i]) for env in ENVS
                  for chapter, r in results.get(env.name, {}).items() for i, k in r.differing.items()
                  if k != "numbers"]
    if text_cells:
        lines += ["", "Cells whose output changed in more than its digits (code cells numbered from 0, as nbval "
                  "does; the first line that differs, stored → this run):", "",
                  "| environment | chapter | cell | first difference |", "|---|---|---:|---|"]
        lines += [f"| {e} | {c} | {i} | {d} |" for e, c, i, d in text_cells]
    lines += ["", "What each kernel ran with, from a probe cell appended to each chapter (TensorFlow's inter-op "
              "pool threads are named `tf_Compute`; intra-op threads are counted among all the kernel's threads):",
              "", "| environment | TF_ENABLE_ONEDNN_OPTS | TF_NUM_INTRAOP_THREADS / INTEROP | `tf_Compute` threads "
              "| all threads | install, s | chapters, s (two at a time) |", "|---|---|---|---:|---:|---:|---:|"]
    for env in ENVS:
        probes = [r.probe for r in results.get(env.name, {}).values() if r.probe]
        if not probes:
            continue
        environ = probes[0]["environ"]
        compute = sorted({p["threads"].get("tf_Compute", 0) for p in probes})
        total_threads = sorted({sum(p["threads"].values()) for p in probes})
        lines.append(
            f"| {env.name} | {environ['TF_ENABLE_ONEDNN_OPTS']} | {environ['TF_NUM_INTRAOP_THREADS'] or '-'} / "
            f"{environ['TF_NUM_INTEROP_THREADS'] or '-'} | {', '.join(map(str, compute))} "
            f"| {min(total_threads)}–{max(total_threads)} | {seconds.get('install ' + env.venv, 0):.0f} "
            f"| {seconds.get(env.name, 0):.0f} |")
    lines += ["", "Packages each venv installed at another version than `constraints.txt` pins:", "",
              "| venv | packages |", "|---|---|"]
    for venv in dict.fromkeys(env.venv for env in ENVS if env.name in results):
        lines.append(f"| {venv} | {unlike_lock(venv)} |")
    if total:
        lines += ["", f"The whole run took {total / 60:.1f} minutes (shared venvs installed once)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="environment names (default: all)")
    parser.add_argument("--chapters", nargs="*", help="chapter stems, e.g. xor (default: all)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "compat.md"))
    parser.add_argument("--no-install", action="store_true", help="reuse the venvs of the last run")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the report from the last run's executed chapters, without running them")
    parser.add_argument("--execute", nargs=2, metavar=("SRC", "DST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.execute:
        execute(Path(args.execute[0]), Path(args.execute[1]))
        return
    start = time.perf_counter()
    BUILD.mkdir(parents=True, exist_ok=True)
    envs = [e for e in ENVS if not args.only or e.name in args.only]
    paths = chapters(args.chapters)

    def log(message: str) -> None:
        print(message, flush=True)

    seconds: dict[str, float] = {}
    results: dict[str, dict[str, ChapterResult]] = {}
    timing = BUILD / "runs" / "seconds.json"
    if args.report_only:
        seconds = json.loads(timing.read_text()) if timing.exists() else {}
        for env in envs:
            folder = BUILD / "runs" / env.name.replace(" ", "-")
            results[env.name] = {p.stem: compare(p, folder / p.name) for p in sorted(paths)}
        Path(args.out).write_text(report(results, seconds, seconds.get("total", 0.0), len(paths)))
        log(f"written {args.out} from the last run")
        return
    venvs = list(dict.fromkeys(e.venv for e in envs))
    # Install the next venv while the previous one's chapters run (installing is mostly I/O).
    with ThreadPoolExecutor(1) as installer:
        installs = {v: installer.submit(lambda v=v: 0.0 if args.no_install else install(v, log)) for v in venvs}
        for env in envs:
            seconds["install " + env.venv] = installs[env.venv].result()
            executed, seconds[env.name] = run_env(env, paths, log)
            results[env.name] = {stem: compare(ROOT / "chapters" / f"{stem}.ipynb", dst)
                                 for stem, dst in sorted(executed.items(), key=lambda kv: kv[0])}
    total = time.perf_counter() - start
    # A partial run (--only, --chapters) updates the last run's timings and has no total.
    full = not args.only and not args.chapters
    previous = json.loads(timing.read_text()) if timing.exists() and not full else {}
    total = total if full else 0.0
    timing.write_text(json.dumps(dict(previous, **seconds, total=total)))
    Path(args.out).write_text(report(results, seconds, total, len(paths)))
    log(f"written {args.out} ({total / 60:.1f} min)")
    bad = [(e, c) for e, rs in results.items() for c, r in rs.items() if not r.ran or r.raising]
    if bad:
        log(f"FAILED: chapters that did not run or raised: {bad}")
        sys.exit(1)


if __name__ == "__main__":
    main()
