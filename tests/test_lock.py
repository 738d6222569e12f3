"""The pinned set installs on the machines learners own.

``constraints.txt`` is one lock for every platform (``make lock``: ``uv pip
compile --universal``). For each platform below, uv resolves
``requirements.txt`` against the lock for that platform's wheel tags, without
installing anything: a pinned version with no wheel (or sdist) for that
platform fails here, as ``tensorflow-cpu`` would on a Mac or on Linux aarch64.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
# The oldest Python the lock allows (soupsieve 4.1.2 needs 3.11.5).
PYTHON = "3.11.5"
# uv's platform names, and which TensorFlow distribution each should get.
PLATFORMS = {
    "x86_64-manylinux_2_28": "tensorflow-cpu",  # Linux x86_64, Binder, Colab-like machines
    "aarch64-manylinux_2_28": "tensorflow",  # Linux ARM: Docker on a Mac, ARM servers
    "aarch64-apple-darwin": "tensorflow",  # macOS on Apple silicon
    "x86_64-pc-windows-msvc": "tensorflow-cpu",  # Windows amd64
}


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(text: str) -> dict[str, str]:
    """{normalized name: version} of every ``name==version`` line (markers ignored)."""
    pins = {}
    for line in text.splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if match:
            pins[_name(match[1])] = match[2]
    return pins


def _uv() -> str:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is missing: it is pinned in requirements.txt (run make .venv/.installed)"
    return uv


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_lock_resolves_for_platform(platform):
    result = subprocess.run(
        [_uv(), "pip", "compile", "requirements.txt", "-c", str(LOCK), "--python-platform", platform,
         "--python-version", PYTHON, "--no-header", "--no-annotate", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"the lock does not resolve for {platform}:\n{result.stderr}"
    resolved = _pins(result.stdout)
    locked = _pins(LOCK.read_text())
    # Every resolved package comes from the lock, at the locked version: a package
    # added to requirements.txt without `make lock` would resolve unpinned.
    unlocked = sorted(set(resolved) - set(locked))
    assert not unlocked, f"resolved for {platform} but missing from constraints.txt (run make lock): {unlocked}"
    assert {n: v for n, v in resolved.items() if locked[n] != v} == {}
    expected = PLATFORMS[platform]
    other = {"tensorflow": "tensorflow-cpu", "tensorflow-cpu": "tensorflow"}[expected]
    assert expected in resolved and other not in resolved, (
        f"{platform} should get {expected} only; got {sorted(n for n in resolved if n.startswith('tensorflow'))}")


def test_lock_pins_every_requirement_at_its_version():
    locked = _pins(LOCK.read_text())
    wanted = _pins((ROOT / "requirements.txt").read_text())
    assert wanted, "requirements.txt pins nothing?"
    stale = {n: (v, locked.get(n)) for n, v in wanted.items() if locked.get(n) != v}
    assert stale == {}, f"requirements.txt and constraints.txt disagree (run make lock): {stale}"
