"""Run one submission's notebook inside a bubblewrap sandbox, with limits.

The grader (``losslab.grade``) calls :func:`run` once per submission. It
starts ``python -m losslab.grade_run`` (the runner: it executes the notebook
in a Jupyter kernel, then the grader's probe cells) inside ``bwrap``:

- a new mount namespace that shows only the system (``/usr``, ``/etc``), the
  Python installation, the virtual environment and the ``losslab`` package,
  all read-only, plus a private copy of the one notebook. The submissions
  folder, the grades file and the instructor's home are not there at all;
- the only writable folders are size-limited in-memory ones (``/sandbox``, the
  working folder and ``HOME``; ``/tmp``; ``/dev/shm``; ``/probes``, where the
  grader's own cells write), gone when it ends;
- new PID, network (loopback only), IPC, UTS and cgroup namespaces: it cannot
  see or signal the grader, and has no network;
- when the grader runs as root, the notebook runs as an unprivileged user id of
  its own (one per parallel job), so the process limit holds;
- limits: wall time (killed from outside), CPU time, memory (address space),
  processes and threads, output size (capped inside the kernel by
  ``losslab.output_cap``, counted again by the runner) and disk (the in-memory
  folders' size).

Everything the sandbox returns is the runner's report on its standard
output: plain JSON, read up to a size limit and judged by the grader.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Limits", "Outcome", "bwrap_path", "preflight", "run"]

SANDBOX_HOME = "/sandbox"
PROBES_DIR = "/probes"
"""Where the grader's probe cells write, apart from the notebook's own folder (a full disk there is no excuse)."""
PROBES_SIZE = 16 * 2**20
GRADER_DIR = "/grader"
def slot_uid(slot: int) -> int:
    """The user id job slot ``slot`` runs its notebooks as, when the grader runs as root.

    Unused by any account, and distinct between graders running at once on one machine, so that each
    job's process limit counts only its own processes (and cleaning up after one never touches another).
    """
    if not 0 <= slot < 1000:
        raise ValueError(f"job slots run from 0 to 999; got {slot}.")
    return 2_000_000 + (os.getpid() % 100_000) * 1000 + slot


def _size(n: int) -> str:
    for unit, factor in [("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)]:
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"


@dataclass(frozen=True)
class Limits:
    """Per-submission limits; each one hit gives rows that name it.

    Attributes:
        time: wall-clock seconds for the notebook's own cells, all together.
        probe_time: wall-clock seconds for each of the grader's probe cells.
        cpu: CPU seconds per process (the kernel's threads together); default 2 x ``time``.
        memory: bytes of address space per process (TensorFlow needs about 2 GiB).
        processes: processes and threads at once.
        output: characters the notebook may print and display, all cells together.
        disk: bytes in each writable in-memory folder.
        startup: extra wall seconds for starting the sandbox, Python and the kernel.
    """

    time: float = 600.0
    probe_time: float = 30.0
    cpu: float | None = None
    memory: int = 4 * 2**30
    processes: int = 512
    output: int = 10 * 2**20
    disk: int = 512 * 2**20
    startup: float = 60.0

    def __post_init__(self):
        for name in ["time", "probe_time", "memory", "processes", "output", "disk", "startup"]:
            if not getattr(self, name) > 0:
                raise ValueError(f"the {name} limit must be positive; got {getattr(self, name)!r}.")
        if self.cpu is not None and not self.cpu > 0:
            raise ValueError(f"the cpu limit must be positive; got {self.cpu!r}.")

    @property
    def cpu_seconds(self) -> float:
        return self.cpu if self.cpu is not None else 2 * self.time

    def wall(self, probes: int) -> float:
        """The hard wall-time limit of a whole run with ``probes`` probe cells."""
        return self.time + probes * self.probe_time + self.startup

    def describe(self, name: str) -> str:
        """A limit in words, for feedback: ``describe("memory")`` -> ``"memory limit (4 GiB)"``."""
        value = {"time": f"{self.time:g} s", "cpu": f"{self.cpu_seconds:g} s", "memory": _size(self.memory),
                 "processes": f"{self.processes}", "output": _size(self.output), "disk": _size(self.disk),
                 "probe_time": f"{self.probe_time:g} s"}[name]
        words = {"time": "wall-time limit", "cpu": "CPU-time limit", "memory": "memory limit",
                 "processes": "process limit", "output": "output limit", "disk": "disk limit",
                 "probe_time": "probe time limit"}[name]
        return f"{words} ({value})"

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "cpu": self.cpu_seconds})


@dataclass(frozen=True)
class Outcome:
    """What came out of a sandboxed run: the runner's report, or why there is none."""

    report: dict | None
    problem: str | None


def bwrap_path() -> str | None:
    """The ``bwrap`` executable, or None when bubblewrap is not installed."""
    return shutil.which("bwrap")


def _read_only_paths() -> list[str]:
    """The host folders the runner needs, read-only: the system, Python, the venv, losslab."""
    import losslab

    paths = ["/usr", "/etc"]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        paths.append(os.path.realpath(prefix))
    paths.append(os.path.realpath(os.path.dirname(os.path.realpath(sys.executable))))
    paths += [os.path.realpath(p) for p in losslab.__path__]
    spec = importlib.util.find_spec("losslab.quizzes")
    if spec is not None and spec.submodule_search_locations:
        paths += [os.path.realpath(p) for p in spec.submodule_search_locations]
    for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]:
        if os.path.isdir(top) and not os.path.islink(top):
            paths.append(top)
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count("/"), p)):
        if os.path.isdir(path) and not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def others_can_run_python() -> bool:
    """Whether another user can read Python, the venv and losslab (each folder on their way has o+x)."""
    for path in _read_only_paths():
        for folder in [Path(path), *Path(path).parents]:
            if not folder.stat().st_mode & 0o001:
                return False
    return True


def exposed_paths() -> list[str]:
    """The host folders a sandboxed notebook can read (the grader refuses submissions or grades inside them)."""
    return _read_only_paths()


def bwrap_command(bwrap: str, host_dir: Path, limits: Limits, as_root: bool) -> list[str]:
    """The ``bwrap`` arguments for one run; ``host_dir`` (holding the notebook) appears read-only at /grader."""
    cmd = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    if not as_root:
        cmd.append("--unshare-user")  # an unprivileged bwrap needs it; then the process limit counts only ours
    # The private /tmp (and /dev/shm) first: a read-only path that lives below one of them (a checkout
    # or venv under /tmp) is then bound on top of it instead of being hidden by it.
    disk = str(limits.disk)
    cmd += ["--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--size", disk, "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", disk, "--tmpfs", "/tmp"]
    made = {"/", "/dev", "/dev/shm", "/proc", "/tmp"}
    for path in _read_only_paths():
        parents = Path(path).parents
        for parent in sorted((str(p) for p in parents), key=len):
            if parent not in made:
                cmd += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        cmd += ["--ro-bind", path, path]
        made.add(path)
    for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]:
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
    cmd += ["--perms", "0777", "--size", disk, "--tmpfs", SANDBOX_HOME,
            "--perms", "0777", "--size", str(PROBES_SIZE), "--tmpfs", PROBES_DIR,
            "--ro-bind", str(host_dir), GRADER_DIR,
            # The sandbox's own root (and the folders made on it above) read-only: without a user namespace
            # they belong to root, but with one they belong to the notebook's user, which could otherwise
            # write there without the disk limit (the root is an unlimited in-memory folder).
            "--remount-ro", "/", "--chdir", SANDBOX_HOME, "--clearenv"]
    for name, value in kernel_env(SANDBOX_HOME).items():
        cmd += ["--setenv", name, value]
    if as_root:
        cmd += ["--cap-add", "CAP_SETUID,CAP_SETGID"]  # only for the runner to drop to its own user id
    return cmd


def kernel_env(home: str) -> dict[str, str]:
    """The whole environment of a sandboxed run: nothing of the instructor's."""
    return {"PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin", "HOME": home,
            "LANG": "C.UTF-8", "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.matplotlib", "IPYTHONDIR": f"{home}/.ipython",
            "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter/runtime", "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
            "JUPYTER_DATA_DIR": f"{home}/.jupyter/data", "JUPYTER_PLATFORM_DIRS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def preflight(limits: Limits) -> str | None:
    """Start an empty sandbox running Python once; return why it fails, or None when it works."""
    with tempfile.TemporaryDirectory(prefix="losslab-preflight-") as tmp:
        os.chmod(tmp, 0o755)
        cmd = bwrap_command(bwrap_path() or "bwrap", Path(tmp), limits, os.geteuid() == 0)
        try:
            done = subprocess.run(cmd + [sys.executable, "-c", "import losslab.exercises"], capture_output=True,
                                  text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{type(error).__name__}: {error}"
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines()
        return lines[-1][:300] if lines else f"exit status {done.returncode}"
    return None


def _drain(stream, keep: int, into: bytearray, over: threading.Event) -> None:
    """Read ``stream`` to its end, keeping at most ``keep`` bytes; flag when there was more."""
    while True:
        chunk = stream.read(65536)
        if not chunk:
            return
        if len(into) + len(chunk) > keep:
            over.set()
            into.extend(chunk[:max(0, keep - len(into))])
        else:
            into.extend(chunk)


def _runner_argv(limits: Limits, labels: list[str]) -> list[str]:
    return [sys.executable, "-m", "losslab.grade_run", "--limits", limits.to_json(), "--labels", json.dumps(labels)]


def run(notebook: Path, labels: list[str], limits: Limits, work: Path, slot: int = 0,
        sandbox: bool = True) -> Outcome:
    """Run ``notebook`` and then the probe cells of ``labels``; return the runner's report.

    Args:
        notebook: the prepared copy of the submission (never the student's file itself).
        labels: the exercises whose probes the grader's own cells run.
        limits: the per-submission limits.
        work: a private, empty host folder for this run (used only without the sandbox, and for
            the read-only copy of the notebook).
        slot: the parallel job's number (its own user id when the grader runs as root).
        sandbox: False runs the notebook as the grader's own user, unconfined (``--unsafe-no-sandbox``).
    """
    host_dir = work / "in"
    host_dir.mkdir(parents=True)
    shutil.copy(notebook, host_dir / "submission.ipynb")
    os.chmod(host_dir, 0o755)
    os.chmod(host_dir / "submission.ipynb", 0o644)
    as_root = os.geteuid() == 0
    runner = _runner_argv(limits, labels)
    if sandbox:
        bwrap = bwrap_path()
        if bwrap is None:
            raise RuntimeError("bubblewrap (bwrap) is not installed")
        cmd = bwrap_command(bwrap, host_dir, limits, as_root) + runner + [
            "--notebook", f"{GRADER_DIR}/submission.ipynb", "--workdir", SANDBOX_HOME, "--probes", PROBES_DIR]
        if as_root:
            cmd += ["--uid", str(slot_uid(slot))]
        env, cwd = None, None
    else:
        home, probes = work / "home", work / "probes"
        home.mkdir()
        probes.mkdir()
        cmd = runner + ["--notebook", str(host_dir / "submission.ipynb"), "--workdir", str(home),
                        "--probes", str(probes)]
        if as_root and others_can_run_python():  # not even a container's root: the notebook runs as a user of its own
            top = Path(tempfile.gettempdir()).resolve()
            for folder in [work.resolve(), *work.resolve().parents]:
                if top not in folder.parents:
                    break
                os.chmod(folder, folder.stat().st_mode | 0o711)  # the private temp folders: traversable
            for folder in [home, probes]:
                os.chown(folder, slot_uid(slot), slot_uid(slot))
            cmd += ["--uid", str(slot_uid(slot))]
        env, cwd = {**kernel_env(str(home)), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}, home
    keep = 64 * 2**20  # the report: probe data of a few exercises, far below this
    out, err = bytearray(), bytearray()
    over, err_over = threading.Event(), threading.Event()
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, cwd=cwd, start_new_session=True)
    readers = [threading.Thread(target=_drain, args=(process.stdout, keep, out, over), daemon=True),
               threading.Thread(target=_drain, args=(process.stderr, 4096, err, err_over), daemon=True)]
    for reader in readers:
        reader.start()
    wall = limits.wall(len(labels))
    killed = False
    try:
        process.wait(timeout=wall)
    except subprocess.TimeoutExpired:
        killed = True
        _kill(process)
    if "--uid" in cmd and not sandbox:
        _kill_user(slot_uid(slot))  # what the notebook left behind (in the sandbox, its PID namespace ends)
    for reader in readers:
        reader.join(timeout=10)
    if killed:
        return Outcome(None, f"the sandbox was still running at the hard wall-time limit ({wall:g} s: "
                             f"{limits.time:g} s for the notebook, {limits.probe_time:g} s per probe cell and "
                             f"{limits.startup:g} s to start) and was stopped")
    if over.is_set():
        return Outcome(None, f"the sandbox wrote more than {_size(keep)} where only the grader's report belongs")
    try:
        report = json.loads(out.decode("utf-8"))
        if not isinstance(report, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError):  # not JSON, or nested past what the parser takes
        detail = err.decode("utf-8", "replace").strip().splitlines()
        why = f" ({detail[-1][:200]})" if detail else ""
        code = process.returncode
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        return Outcome(None, f"the notebook's runner {how} without a report{why} (did the notebook kill it?)")
    return Outcome(report, None)


def _kill_user(uid: int) -> None:
    """SIGKILL every process of ``uid`` (a job slot's own user id), as root."""
    for _ in range(3):  # a process forking as it dies: go round again
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and entry.stat().st_uid == uid:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ValueError):
                continue


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # bwrap and, through --die-with-parent, everything inside
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
