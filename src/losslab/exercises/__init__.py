"""Self-checks for the book's exercises: ``check(label, answer)``.

Each exercise whose answer is code or a number has a checker, registered
under the exercise's label (the ``:label:`` of its ``exercise`` directive).
A checker has two halves:

- its **probe** (``losslab.exercises.probes``) runs the answer where it lives,
  the learner's kernel, on the check's inputs and returns plain data only:
  numbers, arrays as lists, the text of an error;
- its **judge** turns that data into a verdict and feedback, comparing with a
  reference, without running any of the learner's code.

``check(label, answer)`` does both at once. The grader (``losslab.grade``)
runs only the probes inside the submission's sandbox and judges their data in
its own process, so nothing a notebook does can write a verdict.
This module is the framework (results, judges' helpers); each chapter's checks
live in a module of their own, named after the chapter's notebook
(``losslab/exercises/regression.py``...), in book order. A check never raises:
a wrong, crashing or malformed answer is feedback too.

Example:
    >>> result = check("bce-from-scratch", my_bce)
    >>> bool(result), result.feedback
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from losslab.exercises import probes as _probes

__all__ = ["CheckResult", "check", "labels", "chapter_of", "register", "probe", "judge", "write_probes"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: truthy when the answer is right.

    Attributes:
        label: the exercise's label.
        passed: whether every probe gave the expected result.
        feedback: what was tried and what came back, for a person to read.
    """

    label: str
    passed: bool
    feedback: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        mark = "correct" if self.passed else "not yet"
        return f"[{self.label}] {mark}: {self.feedback}"


@dataclass(frozen=True)
class _Check:
    probe: Callable[[Any], dict]
    judge: Callable[[dict], tuple[bool, str]]


_CHECKS: dict[str, _Check] = {}
_CHAPTERS: dict[str, str] = {}
_ANSWERS: dict[str, Any] = {}
"""The last answer given to ``check`` for each label, for the grader's own probe cells."""

MISSING = {"kind": "missing"}
"""The probe data of an exercise whose ``check`` was never called."""


def register(label: str, probe: Callable[[Any], dict]):
    """Decorator: the judge of exercise ``label``, with its probe, in the chapter named by the module.

    Each chapter's checks live in ``losslab/exercises/<chapter>.py``; the
    module's name is the chapter's notebook name, so a check is registered
    with the chapter it belongs to.

    Example (in ``losslab/exercises/regression.py``)::

        @register("reg-msle-by-hand", probes.number)
        def _msle_by_hand(data) -> tuple[bool, str]: ...
    """
    import inspect

    module = inspect.currentframe().f_back.f_globals["__name__"]
    chapter = module.rsplit(".", 1)[-1]

    def decorate(fn):
        if label in _CHECKS:
            raise ValueError(f"two checks are registered as {label!r}; exercise labels must be unique.")
        _CHECKS[label] = _Check(probe, fn)
        _CHAPTERS[label] = chapter
        return fn
    return decorate


def labels(chapter: str | None = None) -> list[str]:
    """The labels of every exercise that has a self-check, or of one chapter's.

    Args:
        chapter: a chapter's notebook name without ``.ipynb``, e.g. ``"binary_classification"``.

    Example:
        >>> labels("binary_classification")
        ['bce-from-scratch', 'bce-mse-gradient']
    """
    return sorted(label for label in _CHECKS if chapter is None or _CHAPTERS[label] == chapter)


def chapter_of(label: str) -> str:
    """The chapter (notebook name without ``.ipynb``) an exercise label belongs to."""
    if label not in _CHAPTERS:
        raise ValueError(f"there is no self-check called {label!r}; the checked exercises are "
                         f"{', '.join(labels())}.")
    return _CHAPTERS[label]


def _unknown(label: Any) -> CheckResult:
    return CheckResult(str(label), False, f"there is no self-check called {label!r}; "
                                          f"the checked exercises are {', '.join(labels())}.")


def probe(label: str, answer: Any) -> dict:
    """Run ``answer`` on the check's inputs; return plain data (JSON-safe) for :func:`judge`."""
    try:
        return _CHECKS[label].probe(answer)
    except Exception as error:  # the probe itself must never take a notebook down
        return {"kind": "probe_failed", "error": f"{type(error).__name__}: {_probes._text(error)}"}


def judge(label: str, data: Any) -> CheckResult:
    """The verdict on plain probe data; never runs the learner's code and never raises.

    Args:
        label: the exercise's label.
        data: what :func:`probe` returned, possibly after a JSON round trip (or anything at all:
            data that is not a probe's gets a failing verdict).
    """
    if not isinstance(label, str) or label not in _CHECKS:
        return _unknown(label)
    try:
        if isinstance(data, dict) and data.get("kind") == "probe_failed":
            raise RuntimeError(str(data.get("error"))[:300])
        passed, feedback = _CHECKS[label].judge(data)
    except Exception as error:  # the checker itself must never take a notebook down
        passed, feedback = False, f"the check could not run on this answer ({type(error).__name__}: {error})."
    return CheckResult(label, bool(passed) is True, str(feedback))


def check(label: str, answer: Any) -> CheckResult:
    """Check ``answer`` to the exercise labelled ``label``; never raises.

    Args:
        label: the exercise's label, e.g. ``"bce-from-scratch"``.
        answer: what the exercise asks for (a function, a number...).

    Returns:
        :class:`CheckResult`, truthy when correct, with specific feedback.

    Example:
        >>> check("bce-from-scratch", my_bce)
    """
    if not isinstance(label, str) or label not in _CHECKS:
        return _unknown(label)
    _ANSWERS[label] = answer
    return judge(label, probe(label, answer))


def write_probes(path: str, wanted: list[str]) -> None:
    """Write, as JSON, the probe data of the last answer given to ``check`` for each label in ``wanted``.

    The grader appends a cell calling this to each submission; the file holds
    plain data only and is judged outside the submission's kernel.
    """
    data = {label: probe(label, _ANSWERS[label]) if label in _ANSWERS else MISSING
            for label in wanted if label in _CHECKS}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


# ---- the judges' helpers: plain probe data in, a problem (text) or None out ----------------------

def _fmt(values) -> str:
    a = np.round(np.asarray(values, dtype=float), 3) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{a.item():.3f}" if a.size == 1 else np.array2string(np.round(a, 3), separator=", ")


def _kind(data: Any, *kinds: str) -> str:
    if not isinstance(data, dict) or data.get("kind") not in kinds:
        raise ValueError("this is not the data of this exercise's probe")
    return data["kind"]


def _not_callable(data: Any, signature: str) -> str | None:
    if _kind(data, "function", "not_callable") == "function":
        return None
    return (f"expected a function {signature}; got {str(data.get('type'))[:80]}. "
            "Pass the function itself, without calling it.")


def _calls(data: Any, count: int) -> list[dict]:
    _kind(data, "function")
    results = data.get("calls")
    if not isinstance(results, list) or len(results) != count or not all(isinstance(r, dict) for r in results):
        raise ValueError("the probe data has the wrong number of calls")
    return results


def _result(record: dict) -> tuple[tuple[int, ...], np.ndarray | None]:
    """The shape and float values of a call's outcome (see :func:`probes.outcome`); raises if malformed.

    The values are None when the result was too large to keep (only its shape was).
    """
    shape = record.get("shape")
    if not (isinstance(shape, list) and len(shape) <= 32
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        raise ValueError("malformed shape in the probe data")
    values = record.get("values")
    if values is None:
        return tuple(shape), None
    if not (isinstance(values, list) and len(values) == math.prod(shape)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)):
        raise ValueError("malformed values in the probe data")
    return tuple(shape), np.array(values, dtype=float).reshape(shape)


def _other_outcome(record: dict, description: str) -> str | None:
    """The feedback for a call that raised, returned None or returned no numbers; None otherwise."""
    if "error" in record:
        return f"{description} your function raised {str(record['error'])[:300]}."
    if record.get("none") is True:
        return f"{description} your function returns None: is its `return` missing?"
    if "type" in record:
        return f"{description} your function returned {str(record['type'])[:80]}, not numbers."
    return None


def _compare(results: list[dict], inputs, reference: Callable, shape_hint: str = "",
             nonfinite_hint: str = "", diagnose: Callable | None = None) -> str | None:
    """Compare each call's outcome with ``reference`` on its input; return the first problem, or None.

    Each input is ``(description, args, kwargs)``; ``description`` names the input
    in the feedback ("for y_true=1.000, y_pred=0.900").
    """
    for (description, args, kwargs), record in zip(inputs, results):
        expected = np.asarray(reference(*args, **kwargs), dtype=float)
        problem = _other_outcome(record, description)
        if problem:
            return problem
        shape, got = _result(record)
        if shape != expected.shape:
            return (f"{description} your function returns shape {shape}; "
                    f"expected {expected.shape}. {shape_hint}").strip()
        if got is None:
            raise ValueError("the probe data lacks the values of a result of the expected shape")
        if not np.isfinite(got).all() and np.isfinite(expected).all():
            return (f"{description} your function returns {_fmt(got)}; "
                    f"expected {_fmt(expected)}. {nonfinite_hint}").strip()
        if not np.allclose(got, expected, rtol=1e-4, atol=1e-4):
            extra = diagnose(got, expected, args, kwargs) if diagnose else ""
            return f"{description} your function returns {_fmt(got)}; expected {_fmt(expected)}. {extra}".strip()
    return None


def _function_check(data: Any, signature: str, inputs, reference: Callable, right: str,
                    **compare_options) -> tuple[bool, str]:
    """A function answer: callable, then every input matches ``reference`` (see :func:`_compare`)."""
    problem = _not_callable(data, signature) or _compare(_calls(data, len(inputs)), inputs, reference,
                                                         **compare_options)
    return (False, problem) if problem else (True, right)


def _number(data: Any, expected: float, right: str, mistakes: list[tuple[float, str]],
            rel_tol: float = 1e-2) -> tuple[bool, str]:
    """Compare a number answer's probe data with the expected number; name the mistake when it is a known one.

    The feedback never prints the expected value: the number is the exercise.
    """
    kind = _kind(data, "number", "ellipsis", "not_a_number")
    if kind == "ellipsis":
        return False, "no answer yet: replace the ... with your number."
    if kind == "not_a_number":
        return False, f"expected a number; got {str(data.get('repr'))[:200]}."
    value = data.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError("malformed number in the probe data")
    value = float(value)
    if not math.isfinite(value):
        return False, f"expected a finite number; got {value}."
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=1e-12):
        return True, f"{value:.5g}: {right}"
    for wrong, message in mistakes:
        if math.isclose(value, wrong, rel_tol=rel_tol, abs_tol=1e-12):
            return False, f"you gave {value:.5g}: {message}"
    if value == 0.0 or (value > 0) != (expected > 0):
        return False, f"you gave {value:.5g}; the answer has the opposite sign or is not zero."
    ratio = value / expected
    direction = f"{ratio:.3g} times too large" if ratio > 1 else f"{1 / ratio:.3g} times too small"
    return False, f"you gave {value:.5g}, which is {direction} (within {rel_tol:.0%} counts as right)."


def _magnitude(data: Any) -> Any:
    """The probe data of |answer| when the answer is a number (a step or gradient may be given with either sign)."""
    if isinstance(data, dict) and data.get("kind") == "number" and isinstance(data.get("value"), (int, float)):
        return {"kind": "number", "value": abs(float(data["value"]))}
    return data


def _per_example_hint() -> str:
    return "One loss per example: did you take the mean over all examples? Leave that to the caller."


# Each chapter's checks, in book order (they register themselves on import).
from losslab.exercises import (  # noqa: E402, F401
    beyond_the_mean,
    binary_classification,
    custom_losses,
    intro,
    multiclass_classification,
    optimizers,
    regression,
    xor,
)
