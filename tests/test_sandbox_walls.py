"""The sandbox's walls, seen from inside: what a process in it can write, see and reach.

Both ways bubblewrap is run are checked on this machine: as root (no user namespace; the
grader's runner then drops to a user id of its own) and with a user namespace (how an
unprivileged instructor runs it), which root can use too.
"""

import json
import os
import subprocess
import sys

import pytest

from losslab import sandbox

pytestmark = pytest.mark.skipif(sandbox.bwrap_path() is None, reason="needs bubblewrap (apt-get install bubblewrap)")

LOOK = r'''
import json, os, socket, sys
import losslab
result = {"written": [], "refused": [], "seen": [], "connected": False}
for path in WRITE:
    try:
        with open(path, "a") as f:
            f.write("x")
        result["written"].append(path)
    except OSError:
        result["refused"].append(path)
for path in HIDDEN:
    if os.path.exists(path):
        result["seen"].append(path)
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    result["connected"] = True
except OSError:
    pass
print(json.dumps(result))
'''


def look_inside(tmp_path, as_root, write, hidden):
    host_dir = tmp_path / "in"
    host_dir.mkdir()
    (host_dir / "submission.ipynb").write_text("{}", encoding="utf-8")
    os.chmod(host_dir, 0o755)
    cmd = sandbox.bwrap_command(sandbox.bwrap_path(), host_dir, sandbox.Limits(), as_root)
    code = f"WRITE = {write!r}\nHIDDEN = {hidden!r}\n" + LOOK
    done = subprocess.run(cmd + [sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("as_root", [True, False], ids=["as-root", "user-namespace"])
def test_only_the_in_memory_folders_are_writable(tmp_path, as_root):
    if as_root and os.geteuid() != 0:
        pytest.skip("bubblewrap runs without a user namespace only as root")
    import losslab

    package = os.path.dirname(os.path.realpath(losslab.__file__))
    python = os.path.realpath(sys.prefix)
    private = ("/tmp", "/dev/shm")  # in the sandbox, its own small in-memory folders: writable
    made = sorted({os.path.dirname(p) for p in (python, package)  # folders the sandbox makes on its own root
                   if not any(p == f or p.startswith(f + "/") for f in private)})
    allowed = [f"{sandbox.SANDBOX_HOME}/work.txt", "/tmp/scratch.txt", "/dev/shm/scratch",
               f"{sandbox.PROBES_DIR}/0.json"]
    walls = ["/escaped.txt", *[f"{folder}/escaped.txt" for folder in made], f"{python}/escaped.txt",
             f"{package}/escaped.py", "/usr/escaped.txt", "/etc/escaped.txt",
             f"{sandbox.GRADER_DIR}/submission.ipynb"]
    seen = look_inside(tmp_path, as_root, allowed + walls, [])
    assert seen["written"] == allowed and seen["refused"] == walls
    assert not os.path.exists(f"{package}/escaped.py") and not os.path.exists("/escaped.txt")


@pytest.mark.parametrize("as_root", [True, False], ids=["as-root", "user-namespace"])
def test_the_hosts_other_folders_and_the_network_are_out_of_sight(tmp_path, as_root):
    if as_root and os.geteuid() != 0:
        pytest.skip("bubblewrap runs without a user namespace only as root")
    secret = tmp_path / "submissions" / "other_student.ipynb"
    secret.parent.mkdir()
    secret.write_text("{}", encoding="utf-8")
    hidden = [str(secret), str(secret.parent), os.path.expanduser("~"), "/work", "/home"]
    hidden = [p for p in hidden if os.path.exists(p) and not any(
        p == e or p.startswith(e.rstrip("/") + "/") or e.startswith(p.rstrip("/") + "/")
        for e in sandbox.exposed_paths())]  # a folder on the way to Python is shown (empty but for it)
    assert str(secret) in hidden
    seen = look_inside(tmp_path, as_root, [], hidden)
    assert seen["seen"] == [] and seen["connected"] is False
