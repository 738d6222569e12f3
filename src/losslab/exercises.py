"""Self-checks for the book's exercises: ``check(label, answer)``.

Each exercise whose answer is code or a number has a checker here, registered
under the exercise's label (the ``:label:`` of its ``exercise`` directive).
A check never raises: a wrong, crashing or malformed answer is feedback too.

Example:
    >>> result = check("bce-from-scratch", my_bce)
    >>> bool(result), result.feedback
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from losslab import losses

__all__ = ["CheckResult", "check", "labels"]


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


_CHECKS: dict[str, Callable[[Any], tuple[bool, str]]] = {}


def _register(label: str):
    def decorate(fn):
        _CHECKS[label] = fn
        return fn
    return decorate


def labels() -> list[str]:
    """The labels of every exercise that has a self-check."""
    return sorted(_CHECKS)


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
    if label not in _CHECKS:
        return CheckResult(str(label), False, f"there is no self-check called {label!r}; "
                                              f"the checked exercises are {', '.join(labels())}.")
    try:
        passed, feedback = _CHECKS[label](answer)
    except Exception as error:  # the checker itself must never take a notebook down
        passed, feedback = False, f"the check could not run on this answer ({type(error).__name__}: {error})."
    return CheckResult(label, passed, feedback)


def _call(fn: Callable, *args) -> tuple[Any, str | None]:
    """Call the learner's function; return (result, None) or (None, what went wrong)."""
    try:
        return fn(*args), None
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"


def _fmt(values) -> str:
    a = np.asarray(values, dtype=float)
    return f"{a.item():.3f}" if a.size == 1 else np.array2string(np.round(a, 3), separator=", ")


# --------------------------------------------------------------------------
# Binary classification chapter
# --------------------------------------------------------------------------

@_register("bce-from-scratch")
def _bce_from_scratch(fn) -> tuple[bool, str]:
    if not callable(fn):
        return False, f"expected a function (y_true, y_pred) -> per-example losses; got {type(fn).__name__}."
    probes = [
        ([1.0], [0.9], "a confident right answer"),
        ([0.0], [0.2], "label 0"),
        ([1.0], [0.1], "a confident wrong answer"),
        ([0.0, 1.0, 1.0, 0.0], [0.1, 0.9, 0.8, 0.2], "four examples at once"),
    ]
    for y_true, y_pred, what in probes:
        expected = losses.binary_cross_entropy(y_true, y_pred)
        got, error = _call(fn, np.array(y_true), np.array(y_pred))
        call = f"for y_true={_fmt(y_true)}, y_pred={_fmt(y_pred)} ({what})"
        if error:
            return False, f"{call} your function raised {error}."
        got = np.asarray(got, dtype=float)
        if got.shape != expected.shape:
            return False, (f"{call} your function returns shape {got.shape}; expected {expected.shape}, one loss "
                           "per example. Did you take the mean? Leave that to the caller.")
        if not np.allclose(got, expected, atol=1e-3):
            return False, f"{call} your function returns {_fmt(got)}; expected {_fmt(expected)}."
    for y_true, y_pred in [([1.0], [0.0]), ([0.0], [1.0])]:
        got, error = _call(fn, np.array(y_true), np.array(y_pred))
        call = f"for y_true={_fmt(y_true)}, y_pred={_fmt(y_pred)} (a prediction of exactly 0 or 1)"
        if error:
            return False, f"{call} your function raised {error}."
        value = float(np.asarray(got, dtype=float).ravel()[0])
        if not math.isfinite(value):
            return False, f"{call} your function returns {value}; clip y_pred away from 0 and 1 before the log."
        if value < 10:
            return False, f"{call} your function returns {value:.3f}; a confidently wrong prediction should cost a lot (about 16 with eps=1e-7)."
    return True, "matches binary cross-entropy on every probe, including predictions of exactly 0 and 1."


@_register("bce-mse-gradient")
def _bce_mse_gradient(answer) -> tuple[bool, str]:
    # |dL/dz| of squared error at z = -6 for label 1: 2 (1 - p) p (1 - p), p = sigmoid(-6)
    p = 1.0 / (1.0 + math.exp(6.0))
    expected = 2.0 * (1.0 - p) * p * (1.0 - p)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False, f"expected a number; got {answer!r}."
    if not math.isfinite(value):
        return False, f"expected a finite number; got {value}."
    if math.isclose(abs(value), expected, rel_tol=1e-2):
        return True, f"|dL/dz| = {abs(value):.5f}: squared error barely pushes this confident mistake."
    if math.isclose(abs(value), 1.0 - p, rel_tol=1e-2):
        return False, f"{value:.5f} is cross-entropy's gradient; the exercise asks for squared error's."
    if math.isclose(abs(value), 2.0 * (1.0 - p), rel_tol=1e-2):
        return False, (f"{value:.5f} is the gradient with respect to the probability; multiply by the "
                       "sigmoid's slope p(1 - p) to get it with respect to the logit.")
    return False, f"you gave {value:.5f}; expected about {expected:.5f}."
