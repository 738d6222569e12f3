"""Self-checks of the chapter "Regression" (``chapters/regression.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab import losses
from losslab.exercises import _function_check, _number, _per_example_hint, probes, register

_HUBER_INPUTS = [
    ("for y_true=[0.0], y_pred=[0.5] (an error inside delta = 1)", ([0.0], [0.5]), {}),
    ("for y_true=[0.0], y_pred=[3.0] (an error past delta = 1)", ([0.0], [3.0]), {}),
    ("for y_true=[1.0, 2.0, 3.0], y_pred=[1.5, 0.0, 3.0]", ([1.0, 2.0, 3.0], [1.5, 0.0, 3.0]), {}),
    ("for y_true=[0.0, 0.0], y_pred=[1.0, -4.0], delta=2.0", ([0.0, 0.0], [1.0, -4.0]), {"delta": 2.0}),
]


@register("reg-huber-from-scratch", probes.calls(_HUBER_INPUTS))
def _reg_huber(data) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        error = np.abs(np.asarray(args[1], dtype=float) - np.asarray(args[0], dtype=float))
        if np.allclose(got, 2 * expected, rtol=1e-4):
            return "Your values are twice Huber's: the quadratic part is 0.5 * e**2."
        if np.allclose(got, 0.5 * error ** 2, rtol=1e-4):
            return "Past delta the loss grows linearly: delta * (|e| - 0.5 * delta)."
        if "delta" in kwargs and np.allclose(got, losses.huber(args[0], args[1]), rtol=1e-4):
            return "Your function ignores its delta argument."
        return ""

    return _function_check(data, "(y_true, y_pred, delta=1.0) -> per-example losses", _HUBER_INPUTS, losses.huber,
        "matches Keras's Huber loss on both sides of delta and for another delta.",
        shape_hint=_per_example_hint(), diagnose=diagnose)


@register("reg-msle-by-hand", probes.number)
def _reg_msle_by_hand(data) -> tuple[bool, str]:
    expected = (math.log1p(3.0) - math.log1p(1.0)) ** 2
    return _number(data, expected, "(log 4 - log 2)^2 = (log 2)^2: MSLE sees a factor of 2, not a "
                   "difference of 2.",
                   [((math.log(3.0) - math.log(1.0)) ** 2, "that is (log 3 - log 1)^2; MSLE adds 1 first: log(1 + y)."),
                    ((math.log10(4.0) - math.log10(2.0)) ** 2, "that uses base-10 logs; Keras uses the natural log."),
                    (math.log1p(3.0) - math.log1p(1.0), "that is the log difference; square it."),
                    (4.0, "that is the squared error (3 - 1)^2, not the squared log error.")])
