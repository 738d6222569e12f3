"""The runner the grader starts inside each submission's sandbox: ``python -m losslab.grade_run``.

It sets the limits on itself (they pass to the kernel), drops to its own
user id when started as root, runs the notebook's code cells in a fresh
kernel with a time limit for all of them (output capped inside the kernel by
``losslab.output_cap``, and counted here as well), then runs the grader's own cells:
one per checked exercise, each writing the probe data of the last answer the
notebook gave to ``check`` (``losslab.exercises.write_probes``). Its only
output is one JSON report on standard output: the problems met, in order,
and the probe data, as plain data. The grader judges that data itself; this
process is as untrusted as the notebook it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from losslab import output_cap

_PROBE_BYTES = 2**20
"""Probe data of one exercise larger than this is dropped (a right answer's is a few hundred bytes)."""


_CAP_NOTICE = output_cap.NOTICE.strip().format(output_cap._Cap(1).message()).split(" (")[0]
"""How the kernel's cap begins its one line: "[output stopped: this notebook printed more than the output limit"."""


def _one_line(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def _set_limits(limits: dict, uid: int | None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["disk"], limits["disk"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if uid is not None:  # started as root inside the sandbox: become nobody in particular
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _limit_cpu(pid: int, limits: dict) -> None:
    """The CPU-time limit, on the kernel only (this runner's own waiting must not count)."""
    cpu = int(limits["cpu"])
    resource.prlimit(pid, resource.RLIMIT_CPU, (cpu, cpu + 5))  # SIGXCPU at the soft limit, SIGKILL 5 s later


def _describe(limits: dict, name: str) -> str:
    from losslab.sandbox import Limits

    return Limits(**{k: v for k, v in limits.items() if k in Limits.__dataclass_fields__}).describe(name)


def _limit_hint(ename: str, evalue: str, limits: dict) -> str:
    """Which limit an error in a cell most likely comes from, in words, or ''."""
    if ename == "OutputLimitExceeded":
        return f" (the {_describe(limits, 'output')})"
    if ename == "MemoryError" or "Cannot allocate memory" in evalue or "bad_alloc" in evalue:
        return f" (the {_describe(limits, 'memory')})"
    if "Resource temporarily unavailable" in evalue or "can't start new thread" in evalue:
        return f" (the {_describe(limits, 'processes')})"
    if "No space left on device" in evalue or "File too large" in evalue:
        return f" (the {_describe(limits, 'disk')})"
    return ""


def _death(returncode: int | None, limits: dict) -> str:
    if returncode == -signal.SIGXCPU:
        return f"it hit the {_describe(limits, 'cpu')}"
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.Signals._value2member_map_ else -returncode
        return f"killed by {name}: a crash, or the {_describe(limits, 'memory')} or {_describe(limits, 'cpu')}"
    return "it exited" if returncode is None else f"exit status {returncode}"


def run(notebook: Path, workdir: Path, probes_dir: Path, labels: list[str], limits: dict) -> dict:
    """Run the notebook, then the probe cells; return the report (problems and probe data)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError
    from nbclient.util import ensure_async, run_sync
    from nbformat.v4 import new_code_cell

    class Client(NotebookClient):
        """Outputs are counted, not kept: the grader never reads them, and a flood must not fill memory.

        The kernel caps its own output (``losslab.output_cap``); this count is the backstop for a notebook
        that undoes that cap, and interrupts the kernel at twice the limit (plus the messages' envelopes).
        """

        printed = 0
        flooded = False  # interrupted from here (the kernel's own cap was undone)
        capped = False  # the kernel's cap stopped the output (its notice came)
        error: tuple[str, str] | None = None
        current = -1

        in_cell = 0  # of which, shown by the running cell (given back when it clears its output)

        def count(self, msg) -> None:
            """Count one message's output; past the backstop, interrupt the kernel (once)."""
            content = msg.get("content") or {}
            if msg.get("msg_type") == "stream":
                text = str(content.get("text", ""))
                self.capped = self.capped or _CAP_NOTICE in text
                size = len(text)
            elif msg.get("msg_type") == "clear_output":
                self.printed, self.in_cell, size = self.printed - self.in_cell, 0, 0
            else:
                size = len(json.dumps(content.get("data", content), default=str, ensure_ascii=False))
            self.printed += size
            self.in_cell += size
            if self.printed > backstop and not self.flooded:
                self.flooded = True
                try:
                    os.killpg(self.km.provisioner.process.pid, signal.SIGINT)
                except Exception:
                    pass

        def output(self, outs, msg, display_id, cell_index):
            if msg.get("msg_type") == "error" and cell_index == self.current:  # not a stopped cell's late error
                content = msg.get("content") or {}
                self.error = (str(content.get("ename", "")), str(content.get("evalue", "")))
            self.count(msg)
            return None

        def clear_output(self, outs, msg, cell_index):
            self.count(msg)

        def handle_comm_msg(self, outs, msg, cell_index):  # counted, and no widget state kept
            self.count(msg)

        def _update_display_id(self, display_id, msg):
            self.count(msg)

        async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
            """nbclient's loop, except that output sent under another cell's name is counted too (the
            notebook chooses that name: it must not hide a flood, or the cap's notice, by changing it)."""
            while True:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
                if msg["parent_header"].get("msg_id") == parent_msg_id:
                    try:
                        self.process_message(msg, cell, cell_index)
                    except CellExecutionComplete:
                        return
                elif msg.get("msg_type") not in ("status", "execute_input"):
                    self.count(msg)

        async def _check_raise_for_error(self, cell, cell_index, exec_reply):
            """The cell's error from its reply, which comes on its own channel: the error message on the
            output channel can still be queued behind megabytes of output when the cell is over."""
            content = (exec_reply or {}).get("content", {})
            if content.get("status") == "error" and cell_index == self.current:
                self.error = (str(content.get("ename", "")), str(content.get("evalue", "")))
            return await super()._check_raise_for_error(cell, cell_index, exec_reply)

        def returncode(self):
            try:
                process = self.km.provisioner.process
                process.wait(timeout=2)
                return process.returncode
            except Exception:
                return None

    backstop = 2 * limits["output"] + 2**16
    problems: list[str] = []
    probes: dict[str, object] = {}
    nb = nbformat.read(notebook, as_version=4)
    workdir.mkdir(parents=True, exist_ok=True)
    for sub in [".matplotlib", ".ipython", ".jupyter/runtime"]:
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    probes_dir.mkdir(parents=True, exist_ok=True)
    cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first_probe = len(nb.cells)
    install_cap = f"from losslab.output_cap import install as _losslab_cap\n_losslab_cap({int(limits['output'])})"
    for n, label in enumerate(labels):
        path = probes_dir / f"{n}.json"
        nb.cells.append(new_code_cell(f"{install_cap}\n"  # each probe: its own fresh budget of output
                                      f"from losslab.exercises import write_probes as _losslab_write_probes\n"
                                      f"_losslab_write_probes({str(path)!r}, [{label!r}])"))
    cap = len(nb.cells)
    nb.cells.append(new_code_cell(install_cap))
    client = Client(nb, timeout=int(limits["time"]), kernel_name="python3", allow_errors=True,
                    shutdown_kernel="immediate", resources={"metadata": {"path": str(workdir)}},
                    store_widget_state=False, extra_arguments=["--IPKernelApp.log_level=ERROR"])
    deadline = time.monotonic() + limits["time"]
    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            _limit_cpu(client.km.provisioner.process.pid, limits)
            client.current = cap
            client.execute_cell(nb.cells[cap], cap)
            if client.error is not None:  # the grader's own cell: not the notebook's doing; the backstop remains
                problems.append(f"the grader could not cap the output inside the kernel ({client.error[0]}); "
                                "it was counted outside only")
            for index, cell in cells:
                left = deadline - time.monotonic()
                if left <= 0:
                    problems.append(f"the {_describe(limits, 'time')} ran out before code cell {index}")
                    break
                client.timeout = max(1, int(left))
                client.error, client.current, client.in_cell = None, index, 0
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    problems.append(f"cell {index} was still running when the notebook's "
                                    f"{_describe(limits, 'time')} ran out (an endless loop?)")
                    run_sync(client.km.interrupt_kernel)()  # its answers so far still get probed
                    break
                except DeadKernelError:
                    problems.append(f"the kernel died in cell {index} ({_death(client.returncode(), limits)})")
                    return {"problems": problems, "probes": probes}
                except Exception as error:  # a message that could not be read: stop the notebook, still probe
                    name = type(error).__name__
                    problems.append(f"the grader could not read what the kernel sent in cell {index} ({name}: "
                                    f"{_one_line(error)[:80]}{_limit_hint(name, str(error), limits)}); the notebook "
                                    "was stopped there")
                    run_sync(client.km.interrupt_kernel)()
                    break
                if client.flooded or client.capped or (client.error or ("",))[0] == "OutputLimitExceeded":
                    problems.append(f"cell {index} printed more than the {_describe(limits, 'output')}")
                    break
                if client.error is not None:  # a cell that raises: noted, and the next cells still run
                    ename, evalue = client.error
                    hint = _limit_hint(ename, evalue, limits)
                    problems.append(f"cell {index} raised {ename}: {_one_line(evalue)[:200]}{hint}")
            for n, label in enumerate(labels):
                index = first_probe + n
                (probes_dir / f"{n}.json").unlink(missing_ok=True)  # only what the grader's own cell writes
                client.timeout = max(1, int(limits["probe_time"]))
                client.error, client.current, client.in_cell = None, index, 0
                client.printed, client.flooded = 0, False  # the answer, probed, may print: a fresh count too
                try:
                    client.execute_cell(nb.cells[index], index)
                except CellTimeoutError:
                    problems.append(f"the grader's probe of {label} was still running after the "
                                    f"{_describe(limits, 'probe_time')} (does the answer loop?)")
                    run_sync(client.km.interrupt_kernel)()
                except DeadKernelError:
                    problems.append(f"the kernel died while the grader probed {label} "
                                    f"({_death(client.returncode(), limits)})")
                    break
                if client.error is not None:
                    ename, evalue = client.error
                    problems.append(f"the grader's probe of {label} raised {ename}: {_one_line(evalue)[:200]}"
                                    f"{_limit_hint(ename, evalue, limits)}")
    except DeadKernelError:
        problems.append("the kernel died")
    except Exception as error:  # the kernel could not start, or the notebook could not be run at all
        problems.append(f"the notebook could not be run ({type(error).__name__}: {_one_line(error)[:200]})")
    for n, label in enumerate(labels):
        path = probes_dir / f"{n}.json"
        try:
            if path.is_file() and path.stat().st_size <= _PROBE_BYTES:
                probes[label] = json.loads(path.read_text(encoding="utf-8")).get(label)
        except (OSError, ValueError, AttributeError):
            continue
    return {"problems": problems, "probes": probes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m losslab.grade_run")
    parser.add_argument("--notebook", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--probes", type=Path, required=True, help="the folder the grader's probe cells write to")
    parser.add_argument("--labels", required=True, help="JSON list of the exercises to probe")
    parser.add_argument("--limits", required=True, help="JSON object of losslab.sandbox.Limits")
    parser.add_argument("--uid", type=int, default=None, help="user id to run as (when started as root)")
    args = parser.parse_args(argv)
    report_fd = os.dup(1)  # the report goes here; everything else printed goes nowhere
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    limits, labels = json.loads(args.limits), json.loads(args.labels)
    try:
        _set_limits(limits, args.uid)
        report = run(args.notebook, args.workdir, args.probes, labels, limits)
    except Exception as error:
        report = {"problems": [f"the grader's runner failed ({type(error).__name__}: {_one_line(error)[:200]})"],
                  "probes": {}}
    with os.fdopen(report_fd, "w", encoding="utf-8") as out:
        json.dump(report, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
