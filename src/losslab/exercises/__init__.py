"""Self-checks for the book's exercises: ``check(label, answer)``.

Each exercise whose answer is code or a number has a checker, registered
under the exercise's label (the ``:label:`` of its ``exercise`` directive).
This module is the framework (results, feedback helpers, the grade log);
each chapter's checks live in a module of their own, named after the
chapter's notebook (``losslab/exercises/regression.py``...), in book order.
A check never raises: a wrong, crashing or malformed answer is feedback too.

When the environment variable ``LOSSLAB_GRADE_LOG`` names a file, every check
also appends its result to that file as one JSON line: this is how
``python -m losslab.grade`` collects results from a submitted notebook.

Example:
    >>> result = check("bce-from-scratch", my_bce)
    >>> bool(result), result.feedback
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CheckResult", "check", "labels", "chapter_of", "register"]


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
_CHAPTERS: dict[str, str] = {}

GRADE_LOG = "LOSSLAB_GRADE_LOG"
"""Environment variable: a file to which every check appends its result (JSON lines)."""


def register(label: str):
    """Decorator: the check of exercise ``label``, in the chapter named by the module.

    Each chapter's checks live in ``losslab/exercises/<chapter>.py``; the
    module's name is the chapter's notebook name, so a check is registered
    with the chapter it belongs to.

    Example (in ``losslab/exercises/regression.py``)::

        @register("reg-msle-by-hand")
        def _msle_by_hand(answer) -> tuple[bool, str]: ...
    """
    import inspect

    module = inspect.currentframe().f_back.f_globals["__name__"]
    chapter = module.rsplit(".", 1)[-1]

    def decorate(fn):
        if label in _CHECKS:
            raise ValueError(f"two checks are registered as {label!r}; exercise labels must be unique.")
        _CHECKS[label] = fn
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
        return CheckResult(str(label), False, f"there is no self-check called {label!r}; "
                                              f"the checked exercises are {', '.join(labels())}.")
    try:
        passed, feedback = _CHECKS[label](answer)
    except Exception as error:  # the checker itself must never take a notebook down
        passed, feedback = False, f"the check could not run on this answer ({type(error).__name__}: {error})."
    result = CheckResult(label, bool(passed), feedback)
    _log(result)
    return result


def _log(result: CheckResult) -> None:
    """Append the result to the grader's log, when the grader asked for one."""
    path = os.environ.get(GRADE_LOG)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"label": result.label, "passed": result.passed,
                                  "feedback": result.feedback}) + "\n")


def _call(fn: Callable, *args, **kwargs) -> tuple[Any, str | None]:
    """Call the learner's function; return (result, None) or (None, what went wrong)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a careless answer's warnings become feedback, not noise
            return fn(*args, **kwargs), None
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"


def _fmt(values) -> str:
    a = np.round(np.asarray(values, dtype=float), 3) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{a.item():.3f}" if a.size == 1 else np.array2string(np.round(a, 3), separator=", ")


def _not_callable(fn: Any, signature: str) -> str | None:
    if callable(fn):
        return None
    return f"expected a function {signature}; got {type(fn).__name__}. Pass the function itself, without calling it."


def _compare(fn: Callable, probes, reference: Callable, shape_hint: str = "",
             nonfinite_hint: str = "", diagnose: Callable | None = None) -> str | None:
    """Run ``fn`` on each probe and compare with ``reference``; return the first problem, or None.

    Each probe is ``(description, args, kwargs)``; ``description`` names the input
    in the feedback ("for y_true=1.000, y_pred=0.900").
    """
    for description, args, kwargs in probes:
        expected = np.asarray(reference(*args, **kwargs), dtype=float)
        got, error = _call(fn, *[np.array(a) for a in args], **kwargs)
        if error:
            return f"{description} your function raised {error}."
        if got is None:
            return f"{description} your function returns None: is its `return` missing?"
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return f"{description} your function returned {type(got).__name__}, not numbers."
        if got.shape != expected.shape:
            return (f"{description} your function returns shape {got.shape}; "
                    f"expected {expected.shape}. {shape_hint}").strip()
        if not np.isfinite(got).all() and np.isfinite(expected).all():
            return (f"{description} your function returns {_fmt(got)}; "
                    f"expected {_fmt(expected)}. {nonfinite_hint}").strip()
        if not np.allclose(got, expected, rtol=1e-4, atol=1e-4):
            extra = diagnose(got, expected, args, kwargs) if diagnose else ""
            return f"{description} your function returns {_fmt(got)}; expected {_fmt(expected)}. {extra}".strip()
    return None


def _function_check(fn: Any, signature: str, probes, reference: Callable, right: str,
                    **compare_options) -> tuple[bool, str]:
    """A function answer: callable, then every probe matches ``reference`` (see :func:`_compare`)."""
    problem = _not_callable(fn, signature) or _compare(fn, probes, reference, **compare_options)
    return (False, problem) if problem else (True, right)


def _number(answer: Any, expected: float, right: str, mistakes: list[tuple[float, str]],
            rel_tol: float = 1e-2) -> tuple[bool, str]:
    """Compare a number with the expected one; name the mistake when it is a known one.

    The feedback never prints the expected value: the number is the exercise.
    """
    if answer is Ellipsis:
        return False, "no answer yet: replace the ... with your number."
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False, f"expected a number; got {answer!r}."
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


def _magnitude(answer: Any) -> Any:
    """|answer| when it is a number (a step or gradient may be given with either sign), else as is."""
    if answer is Ellipsis:
        return answer
    try:
        return abs(float(answer))
    except (TypeError, ValueError):
        return answer


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
