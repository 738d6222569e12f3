"""losslab.gradescope: the autograder zip has Gradescope's layout, and its run_autograder, run here with
AUTOGRADER_ROOT on a sample submission, writes a results.json in Gradescope's format with the right scores."""

import json
import math
import os
import pathlib
import stat
import subprocess
import sys
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from losslab import exercises, gradescope

PROJECT = pathlib.Path(__file__).resolve().parents[1]
RIGHT_NETWORK = '''import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
def xor_by_hand(x):
    h_or = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 10)
    h_and = sigmoid(20 * x[:, 0] + 20 * x[:, 1] - 30)
    return sigmoid(20 * h_or - 20 * h_and - 10)'''


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    out = tmp_path_factory.mktemp("autograder")
    return {path.stem: path for path in gradescope.build(PROJECT, out)}


def test_one_zip_per_chapter_with_setup_and_run_autograder_at_its_root(zips):
    assert set(zips) == {exercises.chapter_of(label) for label in exercises.labels()}
    with zipfile.ZipFile(zips["xor"]) as archive:
        names = archive.namelist()
        assert {"setup.sh", "run_autograder", "requirements.txt", "constraints.txt"} <= set(names)
        for name in ["setup.sh", "run_autograder"]:
            assert archive.getinfo(name).external_attr >> 16 & stat.S_IXUSR, f"{name} is not executable"
        for name in ["requirements.txt", "constraints.txt"]:  # the pinned set, as the book is tested with
            assert archive.read(name) == (PROJECT / name).read_bytes()
        assert "losslab/pyproject.toml" in names and "losslab/src/losslab/grade_run.py" in names
        assert any(n.startswith("losslab/chapters/quizzes/") for n in names)
        setup = archive.read("setup.sh").decode()
        assert "-r requirements.txt -c constraints.txt" in setup and "./losslab" in setup
        assert "--chapter xor" in archive.read("run_autograder").decode()


def test_setup_sh_and_run_autograder_are_valid_bash(zips, tmp_path):
    with zipfile.ZipFile(zips["regression"]) as archive:
        archive.extractall(tmp_path)
    for name in ["setup.sh", "run_autograder"]:
        subprocess.run(["bash", "-n", str(tmp_path / name)], check=True)


def test_the_package_in_the_zip_builds_losslab_whole_and_without_warnings(zips, tmp_path):
    """What setup.sh's `pip install ./losslab` builds: every module, the quizzes, the readme."""
    with zipfile.ZipFile(zips["xor"]) as archive:
        archive.extractall(tmp_path / "zip")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                            "--wheel-dir", str(tmp_path / "wheel"), str(tmp_path / "zip" / "losslab")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0 and "cannot be found" not in built.stderr, built.stderr[-2000:]
    [wheel] = (tmp_path / "wheel").glob("losslab-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    sources = {p.relative_to(PROJECT / "src").as_posix() for p in (PROJECT / "src" / "losslab").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert sources <= names and "losslab/quizzes/xor.yml" in names
    assert (PROJECT / "src" / "losslab" / "README.md").read_text(encoding="utf-8").splitlines()[0] in metadata


def test_building_twice_gives_the_same_bytes(zips, tmp_path):
    again = gradescope.build(PROJECT, tmp_path, ["xor"])[0]
    assert again.read_bytes() == zips["xor"].read_bytes()


def test_run_autograder_writes_results_json_in_gradescopes_format(zips, tmp_path):
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zips["xor"]) as archive:
        archive.extractall(root / "source")
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "venv").symlink_to(pathlib.Path(sys.prefix))  # what setup.sh makes on Gradescope
    (root / "submission").mkdir()
    nb = new_notebook(cells=[new_code_cell("from losslab.exercises import check"), new_code_cell(RIGHT_NETWORK),
                             new_code_cell('check("xor-by-hand", xor_by_hand)'),
                             new_code_cell('check("xor-linear-floor", 0.5)')])
    nbformat.write(nb, root / "submission" / "homework.ipynb")
    before = (root / "submission" / "homework.ipynb").read_bytes()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    document = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert set(document) <= {"score", "execution_time", "output", "visibility", "stdout_visibility", "extra_data",
                             "tests", "leaderboard"}
    assert [t["name"] for t in document["tests"]] == exercises.labels("xor")
    for test in document["tests"]:
        assert set(test) <= {"score", "max_score", "status", "name", "number", "output", "tags", "visibility",
                             "extra_data"}
        assert isinstance(test["score"], float) and test["max_score"] == 1.0 and isinstance(test["output"], str)
    tests = {t["name"]: t for t in document["tests"]}
    assert tests["xor-by-hand"]["score"] == 1.0 and tests["xor-by-hand"]["status"] == "passed"
    assert tests["xor-linear-floor"]["score"] == 0.0
    assert tests["xor-linear-floor"]["output"] == exercises.check("xor-linear-floor", 0.5).feedback
    assert math.isclose(document["score"], sum(t["score"] for t in document["tests"]))
    assert "homework.ipynb" in document["output"]
    assert (root / "submission" / "homework.ipynb").read_bytes() == before


def test_no_submission_gives_zero_with_a_reason(tmp_path):
    (tmp_path / "submission").mkdir()
    document = gradescope.run(tmp_path, "xor")
    assert document["score"] == 0 and "No notebook" in document["output"]
    assert json.loads((tmp_path / "results" / "results.json").read_text()) == document


def test_build_refuses_a_folder_that_is_not_the_book(tmp_path):
    with pytest.raises(ValueError, match="not the book's checkout"):
        gradescope.build(tmp_path, tmp_path / "out")
    with pytest.raises(ValueError, match="no chapter 'nope'"):
        gradescope.build(PROJECT, tmp_path / "out", ["nope"])
