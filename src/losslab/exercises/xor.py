"""Self-checks of the chapter "XOR: why a network needs hidden layers" (``chapters/xor.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab.exercises import _calls, _fmt, _not_callable, _number, _other_outcome, _result, probes, register

_XOR_POINTS = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])


@register("xor-by-hand", probes.calls([("", (_XOR_POINTS,), {})]))
def _xor_by_hand(data) -> tuple[bool, str]:
    problem = _not_callable(data, "(x) -> probability of class 1 for each row of x")
    if problem:
        return False, problem
    expected = np.array([0, 1, 1, 0])
    record = _calls(data, 1)[0]
    if "error" in record:
        return False, f"for the four points {_XOR_POINTS.tolist()} your network raised {str(record['error'])[:300]}."
    problem = _other_outcome(record, "")
    if problem:
        return False, problem.replace(" your function", "your network", 1)
    shape, got = _result(record)
    if got is None or got.size != 4:
        return False, f"for 4 points your network returns {shape}; expected one probability per point."
    p = got.reshape(-1)
    if not (np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()):
        return False, f"your network returns {_fmt(p)}; probabilities must lie in [0, 1] (end with a sigmoid)."
    for point, target, value in zip(_XOR_POINTS, expected, p):
        if (value > 0.5) != bool(target):
            side = "above" if target else "below"
            return False, (f"for x=({point[0]:.0f}, {point[1]:.0f}) your network outputs {value:.3f}; XOR is "
                           f"{target}, so it must be {side} 0.5.")
    return True, f"outputs {_fmt(p)} for {_XOR_POINTS.astype(int).tolist()}: XOR, with no training."


@register("xor-linear-floor", probes.number)
def _xor_linear_floor(data) -> tuple[bool, str]:
    return _number(data, math.log(2.0), "by symmetry the best logistic regression predicts 0.5 everywhere, "
                   "and -log(0.5) = log 2 is the floor no linear model gets under.",
                   [(0.5, "that is the predicted probability; the loss is -log(0.5)."),
                    (1.0, "that is log base 2 of 2 (one bit); Keras uses the natural log."),
                    (0.25, "that is the squared error of predicting 0.5; the question asks for cross-entropy."),
                    (0.0, "a loss of 0 would need perfect predictions, which no line gives on XOR.")])
