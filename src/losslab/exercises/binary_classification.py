"""Self-checks of the chapter "Binary classification" (``chapters/binary_classification.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab import losses
from losslab.exercises import _call, _compare, _magnitude, _not_callable, _number, _per_example_hint, register


@register("bce-from-scratch")
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


@register("bce-mse-gradient")
def _bce_mse_gradient(answer) -> tuple[bool, str]:
    # |dL/dz| of squared error at z = -6 for label 1: 2 (1 - p) p (1 - p), p = sigmoid(-6)
    p = 1.0 / (1.0 + math.exp(6.0))
    return _number(_magnitude(answer), 2.0 * (1.0 - p) * p * (1.0 - p),
                   "squared error barely pushes this confident mistake.",
                   [(1.0 - p, "that is cross-entropy's gradient; the exercise asks for squared error's."),
                    (2.0 * (1.0 - p), "that is the gradient with respect to the probability; multiply by the "
                                      "sigmoid's slope p(1 - p) to get it with respect to the logit.")])
