"""losslab.grade against a class's worth of mischief, in one sandboxed batch of two parallel jobs.

Each hostile submission gets its own rows naming what stopped it; no forged pass; every other
submission's rows are what its answers earn on their own; nothing outside the work folders changes.
Short limits keep the batch quick.
"""

import csv
import fcntl
import hashlib
import json
import math
import os
import pathlib
import uuid

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from losslab import exercises, grade, sandbox

pytestmark = pytest.mark.skipif(sandbox.bwrap_path() is None, reason="needs bubblewrap (apt-get install bubblewrap)")

LIMITS = grade.Limits(time=20, probe_time=5, cpu=3, memory=2**30, processes=64, output=100 * 2**10, disk=16 * 2**20,
                      startup=40)
SRC = pathlib.Path(grade.__file__).resolve().parent

RIGHT_NETWORK = '''
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
def xor_by_hand(x):
    h_or = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 10)
    h_and = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 30)
    return sigmoid(20 * h_or - 20 * h_and - 10)
'''
OR_NETWORK = "import numpy as np\ndef xor_by_hand(x):\n    return 1 / (1 + np.exp(-(20 * x.sum(axis=1) - 10)))"
CHECK_BOTH = ['check("xor-by-hand", xor_by_hand)', f'check("xor-linear-floor", {math.log(2)!r})']

FORGER = '''
import json, os
import losslab.exercises as ex
from losslab.exercises import CheckResult
for label in ["xor-by-hand", "xor-linear-floor"]:
    with open(os.environ.get("LOSSLAB_GRADE_LOG", "grade-log.jsonl"), "a") as log:
        log.write(json.dumps({"label": label, "passed": True, "feedback": "correct"}) + "\\n")
ex.check = lambda label, answer: CheckResult(label, True, "correct")
ex.judge = lambda label, data: CheckResult(label, True, "correct")
def forged(path, wanted):
    with open(path, "w") as f:
        json.dump({label: {"passed": True, "kind": "function", "feedback": "correct"} for label in wanted}, f)
ex.write_probes = forged
print("[xor-by-hand] correct")
'''

SNOOP = '''
import math, os, socket
escaped = []
for target in {targets!r}:
    try:
        with open(target, "a") as f:
            f.write("escaped")
        escaped.append(target)
    except OSError:
        pass
for folder in {folders!r}:
    try:
        os.listdir(folder)
        escaped.append(folder)
    except OSError:
        pass
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1).close()
    escaped.append("network")
except OSError:
    pass
with open({host_tmp!r}, "w") as f:  # the sandbox's own /tmp: allowed, and gone afterwards
    f.write("private")
print(escaped)
'''


FLOODS = {
    "": "while True:\n    print('x' * 10000)",
    "_caught": "while True:\n    try:\n        print('x' * 10000)\n    except Exception:\n        pass",
    "_display": "from IPython.display import display\nwhile True:\n    display({'text/plain': 'x' * 10000}, raw=True)",
    "_fd": "import os\nwhile True:\n    os.write(1, b'x' * 10000)",
    "_thread": "import threading, time\ndef flood():\n    while True:\n        print('x' * 10000)\n"
               "threading.Thread(target=flood, daemon=True).start()\nwhile True:\n    time.sleep(0.01)",
}
"""Output floods the kernel's own cap stops: printed, printed in a loop that catches Exception, displayed,
written to file descriptor 1 as C code would, printed from a thread."""
MORE_FLOODS = {
    "hidden_xor.ipynb": (  # output sent under another cell's name, the cap's stop caught: still seen, still named
        "import sys\nsys.stdout.parent_header = {'msg_id': 'elsewhere'}\ntry:\n    while True:\n"
        "        print('x' * 10000)\nexcept BaseException:\n    pass"),
    "comm_xor.ipynb": ("from comm import create_comm\nchannel = create_comm(target_name='t', data={})\nwhile True:\n"
                       "    channel.send(data={'state': 'x' * 10**5})"),
}
"""Floods by other routes: a hidden parent (with the cap's exception caught), widget (comm) messages."""
HONEST = ("from IPython.display import HTML, clear_output, display\nfor i in range(30):  # a live plot, redrawn\n"
          "    clear_output(wait=True)\n    display(HTML('<pre>' + str(i) * 10000 + '</pre>'))\n"
          "display(HTML('<p>' + 'é' * 18000 + '</p>'))  # 18 000 characters, 108 000 as JSON escapes")
"""What an honest notebook may show: 300 000 characters drawn, 10 000 left after each redraw, and accents."""
BIG_ERROR = "raise ValueError('x' * 3 * 10**6)"
PRINTING_ANSWER = (
    "import numpy as np\n"
    "LOUD = False\n"
    "def xor_by_hand(x):  # right, but once LOUD it prints three million characters at each call\n"
    "    if LOUD:\n"
    "        print('z' * 3 * 10**6)\n"
    "    h_or = 1 / (1 + np.exp(-(20 * x[:, 0] + 20 * x[:, 1] - 10)))\n"
    "    h_and = 1 / (1 + np.exp(-(20 * x[:, 0] + 20 * x[:, 1] - 30)))\n"
    "    return 1 / (1 + np.exp(-(20 * h_or - 20 * h_and - 10)))")
UNCAPPED = "from losslab import output_cap\noutput_cap.lift()\nwhile True:\n    print('x' * 10000)"
N_SUBMISSIONS = 14 + len(FLOODS) + len(MORE_FLOODS)


def submission(*cells):
    return new_notebook(cells=[new_code_cell("from losslab.exercises import check")]
                        + [new_code_cell(c) for c in cells])


def snapshot(*folders):
    """Every file's hash; Python's bytecode caches are left out (any process importing losslab writes them)."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def grade_the_class(root: pathlib.Path) -> dict:
    folder, out_dir, home = root / "submissions", root / "out", root / "home"
    for d in (folder, out_dir, home):
        d.mkdir()
    (home / "secret.txt").write_text("the instructor's", encoding="utf-8")
    host_tmp = f"/tmp/losslab-escape-{uuid.uuid4().hex}"
    snoop = SNOOP.format(targets=[str(folder / "stolen.txt"), str(home / "secret.txt"), str(out_dir / "grades.csv"),
                                  str(SRC / "escaped.py"), "/root/losslab-escaped.txt", "/losslab-escaped.txt"],
                         folders=[str(folder), str(home)], host_tmp=host_tmp)
    notebooks = {
        "ana_xor.ipynb": submission(RIGHT_NETWORK, *CHECK_BOTH),
        "ben_xor.ipynb": submission('check("xor-by-hand", undefined_function)', OR_NETWORK,
                                    'check("xor-by-hand", xor_by_hand)', 'check("xor-linear-floor", 0.5)'),
        "forger_xor.ipynb": submission(FORGER, 'check("xor-by-hand", lambda x: x)', 'check("xor-linear-floor", 7)'),
        "snoop_xor.ipynb": submission(snoop, 'check("xor-linear-floor", 0.5 if escaped else math.log(2))'),
        "killparent_xor.ipynb": submission("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", *CHECK_BOTH),
        "killall_xor.ipynb": submission("import os, signal\nos.kill(-1, signal.SIGKILL)", *CHECK_BOTH),
        "forkbomb_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], "import os, time\nwhile True:\n"
                                         "    if os.fork() == 0:\n        time.sleep(1000)", CHECK_BOTH[1]),
        "hog_xor.ipynb": submission("hog = bytearray(3 * 2**30)",
                                    "with open('big', 'wb') as f:\n    while True:\n        f.write(b'0' * 2**20)",
                                    RIGHT_NETWORK, *CHECK_BOTH),
        **{f"flood{kind}_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], flood, CHECK_BOTH[1])
           for kind, flood in FLOODS.items()},
        "sleeper_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], "import time\nwhile True:\n    time.sleep(0.1)",
                                        CHECK_BOTH[1]),
        "spinner_xor.ipynb": submission("while True:\n    pass", *CHECK_BOTH),
        "uncapped_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], UNCAPPED, CHECK_BOTH[1]),
        **{name: submission(RIGHT_NETWORK, CHECK_BOTH[0], flood, CHECK_BOTH[1]) for name, flood in MORE_FLOODS.items()},
        "honest_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], HONEST, CHECK_BOTH[1]),
        "bigerror_xor.ipynb": submission(RIGHT_NETWORK, CHECK_BOTH[0], BIG_ERROR, CHECK_BOTH[1]),
        "chatty_xor.ipynb": submission(PRINTING_ANSWER, CHECK_BOTH[0], "LOUD = True", CHECK_BOTH[1]),
    }
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    before = [snapshot(folder, home), snapshot(SRC)]
    out = out_dir / "grades.csv"
    printed = []
    grade.grade_folder(folder, out, LIMITS, jobs=2, echo=printed.append)
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {"folder": str(folder), "home": str(home), "out_dir": str(out_dir), "before": before, "rows": rows,
            "printed": "\n".join(printed), "host_tmp": host_tmp}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The batch runs once per test session, even when pytest-xdist spreads these tests over workers."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, common to its workers
    with open(shared / "hostile.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "hostile.json"
        if not done.exists():
            root = shared / "hostile"
            root.mkdir()
            done.write_text(json.dumps(grade_the_class(root)), encoding="utf-8")
        data = json.loads(done.read_text(encoding="utf-8"))
    return {**data, **{k: pathlib.Path(data[k]) for k in ["folder", "home", "out_dir"]}}


def rows_of(graded, name):
    return {r["label"]: r for r in graded["rows"] if r["submission"] == name}


def expected_row(label, answer):
    result = exercises.check(label, answer)  # what the answer earns, judged here without any sandbox
    return {"passed": str(result.passed).lower(), "feedback": result.feedback}


def xor_by_hand_right():
    namespace = {}
    exec(RIGHT_NETWORK, namespace)
    return namespace["xor_by_hand"]


def test_every_submission_has_one_row_per_exercise_in_a_stable_order(graded):
    names = [r["submission"] for r in graded["rows"]]
    assert names == sorted(names) and len(set(names)) == N_SUBMISSIONS
    for name in set(names):
        assert [r["label"] for r in graded["rows"] if r["submission"] == name] == ["xor-by-hand", "xor-linear-floor"]


def test_other_submissions_get_what_their_answers_earn(graded):
    """ben's first cell raises NameError: the next cells still run, and the last answer counts."""
    ana, ben = rows_of(graded, "ana_xor.ipynb"), rows_of(graded, "ben_xor.ipynb")
    assert {k: v["passed"] for k, v in ana.items()} == {"xor-by-hand": "true", "xor-linear-floor": "true"}
    assert {k: {"passed": v["passed"], "feedback": v["feedback"]} for k, v in ana.items()} == {
        "xor-by-hand": expected_row("xor-by-hand", xor_by_hand_right()),
        "xor-linear-floor": expected_row("xor-linear-floor", math.log(2))}
    namespace = {}
    exec(OR_NETWORK, namespace)
    assert {k: {"passed": v["passed"], "feedback": v["feedback"]} for k, v in ben.items()} == {
        "xor-by-hand": expected_row("xor-by-hand", namespace["xor_by_hand"]),
        "xor-linear-floor": expected_row("xor-linear-floor", 0.5)}


def test_logging_patching_and_printing_forge_no_pass(graded):
    forger = rows_of(graded, "forger_xor.ipynb")
    assert all(r["passed"] == "false" for r in forger.values()), forger


def test_the_sandbox_hides_and_protects_everything_outside_it(graded):
    snoop = rows_of(graded, "snoop_xor.ipynb")
    assert snoop["xor-linear-floor"]["passed"] == "true", snoop  # it wrote, listed and connected nothing
    assert [snapshot(graded["folder"], graded["home"]), snapshot(SRC)] == graded["before"]
    assert sorted(p.name for p in graded["out_dir"].iterdir()) == ["grades.csv"]
    assert not os.path.exists(graded["host_tmp"]) and not os.path.exists("/root/losslab-escaped.txt")


@pytest.mark.parametrize("name", ["killparent_xor.ipynb", "killall_xor.ipynb"])
def test_killing_the_runner_gives_error_rows(graded, name):
    rows = rows_of(graded, name)
    assert all(r["passed"] == "false" and r["feedback"].startswith("error:") and "without a report" in r["feedback"]
               for r in rows.values()), rows


@pytest.mark.parametrize("name, limit", [("forkbomb_xor.ipynb", "process limit (64)"),
                                         ("hog_xor.ipynb", "memory limit (1 GiB)"),
                                         ("hog_xor.ipynb", "disk limit (16 MiB)"),
                                         ("sleeper_xor.ipynb", "wall-time limit (20 s)"),
                                         ("spinner_xor.ipynb", "CPU-time limit (3 s)")])
def test_each_limit_hit_is_named_in_the_rows(graded, name, limit):
    rows = rows_of(graded, name)
    assert all(limit in r["feedback"] for r in rows.values()), rows


def test_answers_given_before_a_limit_was_hit_are_still_judged(graded):
    for name in ["forkbomb_xor.ipynb", "sleeper_xor.ipynb"]:
        rows = rows_of(graded, name)
        assert rows["xor-by-hand"]["passed"] == "true", rows
        assert rows["xor-by-hand"]["feedback"].startswith(expected_row("xor-by-hand", xor_by_hand_right())["feedback"])
    hog = rows_of(graded, "hog_xor.ipynb")  # MemoryError and a full disk are errors in a cell: the next cells run
    assert all(r["passed"] == "true" for r in hog.values()), hog
    for name in ["sleeper_xor.ipynb", "spinner_xor.ipynb"]:
        assert rows_of(graded, name)["xor-linear-floor"]["feedback"].startswith("error: no check ran"), name


@pytest.mark.parametrize("kind", FLOODS)
def test_an_output_flood_is_stopped_at_the_output_limit(graded, kind):
    rows = rows_of(graded, f"flood{kind}_xor.ipynb")
    assert all("cell 3 printed more than the output limit (100 KiB)" in r["feedback"] for r in rows.values()), rows
    assert rows["xor-by-hand"]["passed"] == "true", rows
    assert rows["xor-linear-floor"]["feedback"].startswith("error: no check ran"), rows


@pytest.mark.parametrize("name", MORE_FLOODS)
def test_a_flood_by_another_route_is_stopped_at_the_output_limit(graded, name):
    rows = rows_of(graded, name)
    assert all("cell 3 printed more than the output limit (100 KiB)" in r["feedback"] for r in rows.values()), rows
    assert rows["xor-by-hand"]["passed"] == "true", rows
    assert rows["xor-linear-floor"]["feedback"].startswith("error: no check ran"), rows


def test_a_redrawn_plot_and_accented_text_are_not_taken_for_a_flood(graded):
    rows = rows_of(graded, "honest_xor.ipynb")
    assert all(r["passed"] == "true" and "[the notebook was stopped" not in r["feedback"] for r in rows.values()), rows


def test_a_huge_error_message_is_an_error_in_a_cell_and_the_next_cells_run(graded):
    rows = rows_of(graded, "bigerror_xor.ipynb")
    assert all(r["passed"] == "true" for r in rows.values()), rows


def test_an_answer_that_floods_when_the_grader_probes_it_is_capped_and_still_judged(graded):
    """Each probe has a cap of its own: what the answer prints is dropped past it, and the answer is judged."""
    rows = rows_of(graded, "chatty_xor.ipynb")
    assert {k: {"passed": v["passed"], "feedback": v["feedback"]} for k, v in rows.items()} == {
        "xor-by-hand": expected_row("xor-by-hand", xor_by_hand_right()),
        "xor-linear-floor": expected_row("xor-linear-floor", math.log(2))}


def test_a_flood_that_lifts_the_kernels_cap_still_ends_in_rows_saying_what_stopped_it(graded):
    """Undoing the cap is the notebook's own choice: the grader's count, the memory or the CPU limit, or a
    message too large for the grader to read stops it, whichever comes first; the answer before is judged."""
    rows = rows_of(graded, "uncapped_xor.ipynb")
    assert all("[the notebook was stopped: " in r["feedback"] or r["feedback"].startswith("error: no check ran")
               for r in rows.values()), rows
    assert rows["xor-by-hand"]["passed"] == "true" and "[the notebook was stopped: " in rows["xor-by-hand"]["feedback"]


def test_summary_counts_and_says_it_was_sandboxed(graded):
    printed = graded["printed"]
    assert f"{N_SUBMISSIONS} submissions" in printed and "bubblewrap sandbox" in printed
    passed = sum(r["passed"] == "true" for r in graded["rows"] if r["label"] == "xor-by-hand")
    assert any(line.startswith("xor-by-hand") and f"{passed} of {N_SUBMISSIONS}" in line
               for line in printed.splitlines())
