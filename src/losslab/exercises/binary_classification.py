"""Self-checks of the chapter "Binary classification" (``chapters/binary_classification.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab import losses
from losslab.exercises import (
    _calls,
    _compare,
    _magnitude,
    _not_callable,
    _number,
    _other_outcome,
    _per_example_hint,
    _result,
    probes,
    register,
)

_BCE_INPUTS = [
    ("for y_true=1.000, y_pred=0.900 (a confident right answer)", ([1.0], [0.9]), {}),
    ("for y_true=0.000, y_pred=0.200 (label 0)", ([0.0], [0.2]), {}),
    ("for y_true=1.000, y_pred=0.100 (a confident wrong answer)", ([1.0], [0.1]), {}),
    ("for four examples at once", ([0.0, 1.0, 1.0, 0.0], [0.1, 0.9, 0.8, 0.2]), {}),
]
_BCE_EXTREMES = [(f"for y_true={t:.3f}, y_pred={p:.3f} (a prediction of exactly 0 or 1)", ([t], [p]), {})
                 for t, p in [(1.0, 0.0), (0.0, 1.0)]]


@register("bce-from-scratch", probes.calls(_BCE_INPUTS + _BCE_EXTREMES))
def _bce_from_scratch(data) -> tuple[bool, str]:
    problem = _not_callable(data, "(y_true, y_pred) -> per-example losses")
    if problem:
        return False, problem
    results = _calls(data, len(_BCE_INPUTS) + len(_BCE_EXTREMES))

    def diagnose(got, expected, args, kwargs):
        swapped = losses.binary_cross_entropy(1 - np.asarray(args[0], dtype=float), args[1])
        return "Your function scores the opposite label: -log(p) belongs to y_true = 1." \
            if np.allclose(got, swapped, rtol=1e-4) else ""

    problem = _compare(results[:len(_BCE_INPUTS)], _BCE_INPUTS, losses.binary_cross_entropy,
                       shape_hint=_per_example_hint(), diagnose=diagnose)
    if problem:
        return False, problem
    for (call, _, _), record in zip(_BCE_EXTREMES, results[len(_BCE_INPUTS):]):
        if "error" in record:
            return False, _other_outcome(record, call)
        if record.get("none") is True:
            value = math.nan  # what float(np.asarray(None, dtype=float)) gives
        else:
            problem = _other_outcome(record, call)
            if problem:
                return False, problem
            values = _result(record)[1]
            if values is None or values.size == 0:
                return False, f"{call} your function returns no value; expected one loss per example."
            value = float(values.ravel()[0])
        if not math.isfinite(value):
            return False, f"{call} your function returns {value}; clip y_pred away from 0 and 1 before the log."
        if value < 10:
            return False, (f"{call} your function returns {value:.3f}; a confidently wrong prediction should "
                           "cost a lot (about 16 with eps=1e-7).")
    return True, "matches binary cross-entropy on every probe, including predictions of exactly 0 and 1."


@register("bce-mse-gradient", probes.number)
def _bce_mse_gradient(data) -> tuple[bool, str]:
    # |dL/dz| of squared error at z = -6 for label 1: 2 (1 - p) p (1 - p), p = sigmoid(-6)
    p = 1.0 / (1.0 + math.exp(6.0))
    return _number(_magnitude(data), 2.0 * (1.0 - p) * p * (1.0 - p),
                   "squared error barely pushes this confident mistake.",
                   [(1.0 - p, "that is cross-entropy's gradient; the exercise asks for squared error's."),
                    (2.0 * (1.0 - p), "that is the gradient with respect to the probability; multiply by the "
                                      "sigmoid's slope p(1 - p) to get it with respect to the logit.")])
