"""Self-checks of the chapter "Writing your own loss" (``chapters/custom_losses.ipynb``)."""

from __future__ import annotations

import numpy as np

from losslab.exercises import _function_check, _number, probes, register


def _pinball(y_true, y_pred, q=0.9):
    error = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return np.mean(np.maximum(q * error, (q - 1) * error), axis=-1)


_COL = np.float32
_PINBALL_INPUTS = [
    ("for y_true=[[1.0]], y_pred=[[0.0]] (under-predicting by 1)",
     (np.array([[1.0]], _COL), np.array([[0.0]], _COL)), {}),
    ("for y_true=[[0.0]], y_pred=[[1.0]] (over-predicting by 1)",
     (np.array([[0.0]], _COL), np.array([[1.0]], _COL)), {}),
    ("for y_true=[[2.0], [-1.0], [0.5]], y_pred=[[1.5], [0.0], [0.5]], q=0.25",
     (np.array([[2.0], [-1.0], [0.5]], _COL), np.array([[1.5], [0.0], [0.5]], _COL)), {"q": 0.25}),
]


@register("custom-pinball", probes.calls(_PINBALL_INPUTS))
def _custom_pinball(data) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        q = kwargs.get("q", 0.9)
        if np.allclose(got, _pinball(args[0], args[1], 1 - q), rtol=1e-4):
            return "q and 1 - q are swapped: under-predicting (y_true > y_pred) must cost q per unit."
        if np.allclose(got, _pinball(args[0], args[1], 0.9), rtol=1e-4):
            return "Your function ignores its q argument."
        return ""

    return _function_check(data, "(y_true, y_pred, q=0.9) -> per-example losses", _PINBALL_INPUTS, _pinball,
        "matches the pinball loss for both signs of the error and for another q, with Keras's shapes.",
        shape_hint="Keras passes (n, 1) arrays: average over the last axis only, giving shape (n,).",
        diagnose=diagnose)


@register("custom-focal-weight", probes.number)
def _custom_focal_weight(data) -> tuple[bool, str]:
    return _number(data, (1 - 0.9) ** 2, "(1 - 0.9)^2: an easy example counts a hundred times less.",
                   [(0.1, "that is (1 - p_t) to the power 1; gamma is 2."),
                    (0.81, "that is p_t squared; the factor is (1 - p_t) ** gamma."),
                    (0.99, "that is 1 minus the factor; the question asks for the factor itself.")])
