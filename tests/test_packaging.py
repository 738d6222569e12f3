"""pyproject.toml declares every third-party package the installed losslab imports."""

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# import name -> distribution name, where they differ
DISTRIBUTION = {"sklearn": "scikit-learn", "yaml": "pyyaml", "IPython": "ipython", "zmq": "pyzmq"}
# modules only instructors run (the student edition, grading): their imports may be the extra "instructor"
INSTRUCTOR_MODULES = {"student.py", "grade.py", "grade_run.py", "gradescope.py", "sandbox.py", "output_cap.py"}


def _name(requirement):
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower()


def imports(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
    return {n for n in found if n not in sys.stdlib_module_names and n != "losslab"}


def test_every_third_party_import_is_declared():
    required = {_name(r) for r in PROJECT["dependencies"]}
    extras = {extra: {_name(r) for r in reqs} for extra, reqs in PROJECT["optional-dependencies"].items()}
    undeclared = []
    for path in sorted((ROOT / "src" / "losslab").rglob("*.py")):
        allowed = required | extras["tensorflow"]
        if path.name in INSTRUCTOR_MODULES:
            allowed |= extras["instructor"]
        undeclared += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(imports(path))
                       if DISTRIBUTION.get(name, name).lower() not in allowed]
    assert undeclared == []


def test_the_check_sees_the_imports_it_should():
    assert {"numpy", "keras", "tensorflow", "IPython"} <= set().union(
        *(imports(p) for p in (ROOT / "src" / "losslab").rglob("*.py")))


def test_the_package_readme_names_only_modules_that_exist():
    text = (ROOT / "src" / "losslab" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(losslab(?:\.\w+)+)`", text))
    missing = [name for name in sorted(named)
               if not (ROOT / "src" / Path(*name.split("."))).with_suffix(".py").is_file()
               and not (ROOT / "src" / Path(*name.split("."))).is_dir()]
    assert named and missing == []
