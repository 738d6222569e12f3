"""Self-checks for the book's exercises: ``check(label, answer)``.

Each exercise whose answer is code or a number has a checker here, registered
under the exercise's label (the ``:label:`` of its ``exercise`` directive) and
the chapter it belongs to. A check never raises: a wrong, crashing or malformed
answer is feedback too.

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
_CHAPTERS: dict[str, str] = {}

GRADE_LOG = "LOSSLAB_GRADE_LOG"
"""Environment variable: a file to which every check appends its result (JSON lines)."""


def _register(label: str, chapter: str):
    def decorate(fn):
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
            return f"{description} your function returns shape {got.shape}; expected {expected.shape}. {shape_hint}".strip()
        if not np.isfinite(got).all() and np.isfinite(expected).all():
            return f"{description} your function returns {_fmt(got)}; expected {_fmt(expected)}. {nonfinite_hint}".strip()
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


# --------------------------------------------------------------------------
# What a loss function is for (intro)
# --------------------------------------------------------------------------

def _cross_entropy(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)
    return -terms.sum(axis=-1)


@_register("intro-cross-entropy", "intro")
def _intro_cross_entropy(fn) -> tuple[bool, str]:
    P, Q = [0.10, 0.40, 0.50], [0.80, 0.15, 0.05]

    def diagnose(got, expected, args, kwargs):
        if np.allclose(got * math.log(2), expected, rtol=1e-4):
            return "You used log base 2 (bits); the book measures in nats, with the natural log."
        if np.allclose(got, _cross_entropy(args[1], args[0]), rtol=1e-4):
            return "You swapped p and q: H(P, Q) weights the log of Q by the probabilities of P."
        return ""

    return _function_check(fn, "(p, q) -> cross-entropy of each row", [
        (f"for p={P}, q={Q}", ([P], [Q]), {}),
        ("for two rows at once, p=[[0.5, 0.5], [0.9, 0.1]], q=[[0.5, 0.5], [0.6, 0.4]]",
         ([[0.5, 0.5], [0.9, 0.1]], [[0.5, 0.5], [0.6, 0.4]]), {}),
        ("for p=[[0.0, 1.0]], q=[[0.0, 1.0]] (a class with p = 0 and q = 0)", ([[0.0, 1.0]], [[0.0, 1.0]]), {}),
    ], _cross_entropy, "matches H(P, Q) in nats on every probe, including classes with p = 0.",
        shape_hint="Sum over the classes (the last axis), one value per row.",
        nonfinite_hint="A class with p = 0 contributes 0, even where q = 0: skip those terms (np.where).",
        diagnose=diagnose)


@_register("intro-huber-constant", "intro")
def _intro_huber_constant(answer) -> tuple[bool, str]:
    y = np.array([1.0, 1.2, 1.4, 1.5, 1.7, 2.0, 9.0])
    c = np.linspace(0, 10, 10001)  # candidate constants, 0.001 apart
    best = c[losses.huber(np.tile(y, (len(c), 1)), np.repeat(c[:, None], len(y), axis=1)).argmin()]
    return _number(answer, float(best), "between the median and the mean: Huber treats the small "
                   "errors like squared error and the outlier like absolute error.",
                   [(float(y.mean()), "that is the mean, what squared error picks."),
                    (float(np.median(y)), "that is the median, what absolute error picks.")],
                   rel_tol=5e-3)


# --------------------------------------------------------------------------
# Regression chapter
# --------------------------------------------------------------------------

@_register("reg-huber-from-scratch", "regression")
def _reg_huber(fn) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        error = np.abs(np.asarray(args[1], dtype=float) - np.asarray(args[0], dtype=float))
        if np.allclose(got, 2 * expected, rtol=1e-4):
            return "Your values are twice Huber's: the quadratic part is 0.5 * e**2."
        if np.allclose(got, 0.5 * error ** 2, rtol=1e-4):
            return "Past delta the loss grows linearly: delta * (|e| - 0.5 * delta)."
        if "delta" in kwargs and np.allclose(got, losses.huber(args[0], args[1]), rtol=1e-4):
            return "Your function ignores its delta argument."
        return ""

    return _function_check(fn, "(y_true, y_pred, delta=1.0) -> per-example losses", [
        ("for y_true=[0.0], y_pred=[0.5] (an error inside delta = 1)", ([0.0], [0.5]), {}),
        ("for y_true=[0.0], y_pred=[3.0] (an error past delta = 1)", ([0.0], [3.0]), {}),
        ("for y_true=[1.0, 2.0, 3.0], y_pred=[1.5, 0.0, 3.0]", ([1.0, 2.0, 3.0], [1.5, 0.0, 3.0]), {}),
        ("for y_true=[0.0, 0.0], y_pred=[1.0, -4.0], delta=2.0", ([0.0, 0.0], [1.0, -4.0]), {"delta": 2.0}),
    ], losses.huber, "matches Keras's Huber loss on both sides of delta and for another delta.",
        shape_hint=_per_example_hint(), diagnose=diagnose)


@_register("reg-msle-by-hand", "regression")
def _reg_msle_by_hand(answer) -> tuple[bool, str]:
    expected = (math.log1p(3.0) - math.log1p(1.0)) ** 2
    return _number(answer, expected, "(log 4 - log 2)^2 = (log 2)^2: MSLE sees a factor of 2, not a "
                   "difference of 2.",
                   [((math.log(3.0) - math.log(1.0)) ** 2, "that is (log 3 - log 1)^2; MSLE adds 1 first: log(1 + y)."),
                    ((math.log10(4.0) - math.log10(2.0)) ** 2, "that uses base-10 logs; Keras uses the natural log."),
                    (math.log1p(3.0) - math.log1p(1.0), "that is the log difference; square it."),
                    (4.0, "that is the squared error (3 - 1)^2, not the squared log error.")])


# --------------------------------------------------------------------------
# Multi-class chapter
# --------------------------------------------------------------------------

@_register("mc-sparse-from-logits", "multiclass_classification")
def _mc_sparse_from_logits(fn) -> tuple[bool, str]:
    def reference(labels, logits):
        return losses.sparse_categorical_cross_entropy(labels, logits, from_logits=True)

    return _function_check(fn, "(labels, logits) -> per-example losses", [
        ("for labels=[0], logits=[[2.0, 1.0, 0.1]]", ([0], [[2.0, 1.0, 0.1]]), {}),
        ("for labels=[2, 1], logits=[[0.5, 2.5, 0.3], [1.0, 1.0, 1.0]]", ([2, 1], [[0.5, 2.5, 0.3], [1.0, 1.0, 1.0]]), {}),
        ("for labels=[1, 0], logits=[[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]] (large logits)",
         ([1, 0], [[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]]), {}),
    ], reference, "matches sparse categorical cross-entropy from logits, and stays finite for logits of 1000.",
        shape_hint=_per_example_hint(),
        nonfinite_hint="exp(1000) overflows: subtract each row's largest logit before exponentiating "
                       "(the log-sum-exp trick).")


@_register("mc-uniform-loss", "multiclass_classification")
def _mc_uniform_loss(answer) -> tuple[bool, str]:
    return _number(answer, math.log(3.0), "-log(1/3) = log 3, the loss of a model that knows nothing; "
                   "a trained model must get below it.",
                   [(math.log2(3.0), "that is log base 2 (bits); Keras uses the natural log."),
                    (1 / 3, "that is the probability given to the right class; the loss is minus its log."),
                    (math.log(3.0) / 3, "that divides by the number of classes; cross-entropy sums over them.")])


# --------------------------------------------------------------------------
# XOR chapter
# --------------------------------------------------------------------------

_XOR_POINTS = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])


@_register("xor-by-hand", "xor")
def _xor_by_hand(fn) -> tuple[bool, str]:
    problem = _not_callable(fn, "(x) -> probability of class 1 for each row of x")
    if problem:
        return False, problem
    expected = np.array([0, 1, 1, 0])
    got, error = _call(fn, _XOR_POINTS.copy())
    if error:
        return False, f"for the four points {_XOR_POINTS.tolist()} your network raised {error}."
    if got is None:
        return False, "your network returns None: is its `return` missing?"
    try:
        p = np.asarray(got, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return False, f"your network returned {type(got).__name__}, not numbers."
    if p.shape != (4,):
        return False, f"for 4 points your network returns {np.asarray(got).shape}; expected one probability per point."
    if not (np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()):
        return False, f"your network returns {_fmt(p)}; probabilities must lie in [0, 1] (end with a sigmoid)."
    for point, target, value in zip(_XOR_POINTS, expected, p):
        if (value > 0.5) != bool(target):
            side = "above" if target else "below"
            return False, (f"for x=({point[0]:.0f}, {point[1]:.0f}) your network outputs {value:.3f}; XOR is "
                           f"{target}, so it must be {side} 0.5.")
    return True, f"outputs {_fmt(p)} for {_XOR_POINTS.astype(int).tolist()}: XOR, with no training."


@_register("xor-linear-floor", "xor")
def _xor_linear_floor(answer) -> tuple[bool, str]:
    return _number(answer, math.log(2.0), "by symmetry the best logistic regression predicts 0.5 everywhere, "
                   "and -log(0.5) = log 2 is the floor no linear model gets under.",
                   [(0.5, "that is the predicted probability; the loss is -log(0.5)."),
                    (1.0, "that is log base 2 of 2 (one bit); Keras uses the natural log."),
                    (0.25, "that is the squared error of predicting 0.5; the question asks for cross-entropy."),
                    (0.0, "a loss of 0 would need perfect predictions, which no line gives on XOR.")])


# --------------------------------------------------------------------------
# Optimizers chapter
# --------------------------------------------------------------------------

def _nesterov_steps(fn, w, gradients, **kwargs):
    w = np.asarray(w, dtype=float)
    v = np.zeros_like(w)
    for g in np.asarray(gradients, dtype=float):
        result = fn(w, g, v, **kwargs)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(f"it must return a pair (new w, new v); it returned {type(result).__name__}")
        w, v = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
    return w


def _keras_nesterov(w, g, v, lr=0.01, momentum=0.9):
    v = momentum * v - lr * g
    return w + momentum * v - lr * g, v


@_register("opt-nesterov-from-scratch", "optimizers")
def _opt_nesterov(fn) -> tuple[bool, str]:
    problem = _not_callable(fn, "(w, g, v, lr=0.01, momentum=0.9) -> (new w, new v)")
    if problem:
        return False, problem
    rng = np.random.default_rng(0)
    w0, gradients = rng.normal(size=3), [rng.normal(size=3) for _ in range(3)]

    def reference(w, gradients, **kwargs):
        return _nesterov_steps(_keras_nesterov, w, gradients, **kwargs)

    def diagnose(got, expected, args, kwargs):
        plain = _nesterov_steps(lambda w, g, v, lr=0.01, momentum=0.9: (w + momentum * v - lr * g,
                                                                        momentum * v - lr * g), *args, **kwargs)
        return "That is plain momentum: Nesterov steps from the look-ahead, w + momentum * v_new - lr * g." \
            if np.allclose(got, plain, rtol=1e-4) else ""

    def learner(w, gradients, **kwargs):
        return _nesterov_steps(fn, w, gradients, **kwargs)

    problem = _compare(learner, [
        ("after one step from w=[0.0], v=[0.0] with g=[1.0]", ([0.0], [[1.0]]), {}),
        (f"after three steps from w={_fmt(w0)}", (w0, gradients), {}),
        ("after three steps with lr=0.1, momentum=0.5", (w0, gradients), {"lr": 0.1, "momentum": 0.5}),
    ], reference, diagnose=diagnose)
    if problem:
        return False, problem
    return True, "makes the same updates as keras.optimizers.SGD(momentum=..., nesterov=True)."


@_register("opt-adam-first-step", "optimizers")
def _opt_adam_first_step(answer) -> tuple[bool, str]:
    lr, g, beta_1, beta_2, eps = 0.01, 0.001, 0.9, 0.999, 1e-7
    m, s = (1 - beta_1) * g, (1 - beta_2) * g**2
    alpha = lr * math.sqrt(1 - beta_2) / (1 - beta_1)
    step = alpha * m / (math.sqrt(s) + eps)
    return _number(_magnitude(answer), step, "about the learning rate, whatever the gradient's size: "
                   "Adam's first step is close to lr * g / |g|.",
                   [(lr * g, "that is plain SGD's step, lr * g; Adam divides by the gradient's running size."),
                    (lr * m / (math.sqrt(s) + eps), "that leaves out the bias correction of the first step.")])


# --------------------------------------------------------------------------
# Binary classification chapter
# --------------------------------------------------------------------------

@_register("bce-from-scratch", "binary_classification")
def _bce_from_scratch(fn) -> tuple[bool, str]:
    problem = _not_callable(fn, "(y_true, y_pred) -> per-example losses")
    if problem:
        return False, problem

    def diagnose(got, expected, args, kwargs):
        swapped = losses.binary_cross_entropy(1 - np.asarray(args[0], dtype=float), args[1])
        return "Your function scores the opposite label: -log(p) belongs to y_true = 1." \
            if np.allclose(got, swapped, rtol=1e-4) else ""

    problem = _compare(fn, [
        ("for y_true=1.000, y_pred=0.900 (a confident right answer)", ([1.0], [0.9]), {}),
        ("for y_true=0.000, y_pred=0.200 (label 0)", ([0.0], [0.2]), {}),
        ("for y_true=1.000, y_pred=0.100 (a confident wrong answer)", ([1.0], [0.1]), {}),
        ("for four examples at once", ([0.0, 1.0, 1.0, 0.0], [0.1, 0.9, 0.8, 0.2]), {}),
    ], losses.binary_cross_entropy, shape_hint=_per_example_hint(), diagnose=diagnose)
    if problem:
        return False, problem
    for y_true, y_pred in [(1.0, 0.0), (0.0, 1.0)]:
        call = f"for y_true={y_true:.3f}, y_pred={y_pred:.3f} (a prediction of exactly 0 or 1)"
        got, error = _call(fn, np.array([y_true]), np.array([y_pred]))
        if error:
            return False, f"{call} your function raised {error}."
        value = float(np.asarray(got, dtype=float).ravel()[0])
        if not math.isfinite(value):
            return False, f"{call} your function returns {value}; clip y_pred away from 0 and 1 before the log."
        if value < 10:
            return False, (f"{call} your function returns {value:.3f}; a confidently wrong prediction should "
                           "cost a lot (about 16 with eps=1e-7).")
    return True, "matches binary cross-entropy on every probe, including predictions of exactly 0 and 1."


@_register("bce-mse-gradient", "binary_classification")
def _bce_mse_gradient(answer) -> tuple[bool, str]:
    # |dL/dz| of squared error at z = -6 for label 1: 2 (1 - p) p (1 - p), p = sigmoid(-6)
    p = 1.0 / (1.0 + math.exp(6.0))
    return _number(_magnitude(answer), 2.0 * (1.0 - p) * p * (1.0 - p),
                   "squared error barely pushes this confident mistake.",
                   [(1.0 - p, "that is cross-entropy's gradient; the exercise asks for squared error's."),
                    (2.0 * (1.0 - p), "that is the gradient with respect to the probability; multiply by the "
                                      "sigmoid's slope p(1 - p) to get it with respect to the logit.")])


# --------------------------------------------------------------------------
# Writing your own loss chapter
# --------------------------------------------------------------------------

def _pinball(y_true, y_pred, q=0.9):
    error = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return np.mean(np.maximum(q * error, (q - 1) * error), axis=-1)


@_register("custom-pinball", "custom_losses")
def _custom_pinball(fn) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        q = kwargs.get("q", 0.9)
        if np.allclose(got, _pinball(args[0], args[1], 1 - q), rtol=1e-4):
            return "q and 1 - q are swapped: under-predicting (y_true > y_pred) must cost q per unit."
        if np.allclose(got, _pinball(args[0], args[1], 0.9), rtol=1e-4):
            return "Your function ignores its q argument."
        return ""

    col = np.float32
    return _function_check(fn, "(y_true, y_pred, q=0.9) -> per-example losses", [
        ("for y_true=[[1.0]], y_pred=[[0.0]] (under-predicting by 1)", (np.array([[1.0]], col), np.array([[0.0]], col)), {}),
        ("for y_true=[[0.0]], y_pred=[[1.0]] (over-predicting by 1)", (np.array([[0.0]], col), np.array([[1.0]], col)), {}),
        ("for y_true=[[2.0], [-1.0], [0.5]], y_pred=[[1.5], [0.0], [0.5]], q=0.25",
         (np.array([[2.0], [-1.0], [0.5]], col), np.array([[1.5], [0.0], [0.5]], col)), {"q": 0.25}),
    ], _pinball, "matches the pinball loss for both signs of the error and for another q, with Keras's shapes.",
        shape_hint="Keras passes (n, 1) arrays: average over the last axis only, giving shape (n,).",
        diagnose=diagnose)


@_register("custom-focal-weight", "custom_losses")
def _custom_focal_weight(answer) -> tuple[bool, str]:
    return _number(answer, (1 - 0.9) ** 2, "(1 - 0.9)^2: an easy example counts a hundred times less.",
                   [(0.1, "that is (1 - p_t) to the power 1; gamma is 2."),
                    (0.81, "that is p_t squared; the factor is (1 - p_t) ** gamma."),
                    (0.99, "that is 1 minus the factor; the question asks for the factor itself.")])
