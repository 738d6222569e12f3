"""Self-checks of the chapter "XOR: why a network needs hidden layers" (``chapters/xor.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab.exercises import _call, _fmt, _not_callable, _number, register

_XOR_POINTS = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])


@register("xor-by-hand")
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


@register("xor-linear-floor")
def _xor_linear_floor(answer) -> tuple[bool, str]:
    return _number(answer, math.log(2.0), "by symmetry the best logistic regression predicts 0.5 everywhere, "
                   "and -log(0.5) = log 2 is the floor no linear model gets under.",
                   [(0.5, "that is the predicted probability; the loss is -log(0.5)."),
                    (1.0, "that is log base 2 of 2 (one bit); Keras uses the natural log."),
                    (0.25, "that is the squared error of predicting 0.5; the question asks for cross-entropy."),
                    (0.0, "a loss of 0 would need perfect predictions, which no line gives on XOR.")])
