"""Self-checks of the chapter "What a loss function is for" (``chapters/intro.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab import losses
from losslab.exercises import _function_check, _number, probes, register


def _cross_entropy(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)
    return -terms.sum(axis=-1)


_P, _Q = [0.10, 0.40, 0.50], [0.80, 0.15, 0.05]
_CE_INPUTS = [
    (f"for p={_P}, q={_Q}", ([_P], [_Q]), {}),
    ("for two rows at once, p=[[0.5, 0.5], [0.9, 0.1]], q=[[0.5, 0.5], [0.6, 0.4]]",
     ([[0.5, 0.5], [0.9, 0.1]], [[0.5, 0.5], [0.6, 0.4]]), {}),
    ("for p=[[0.0, 1.0]], q=[[0.0, 1.0]] (a class with p = 0 and q = 0)", ([[0.0, 1.0]], [[0.0, 1.0]]), {}),
]


@register("intro-cross-entropy", probes.calls(_CE_INPUTS))
def _intro_cross_entropy(data) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        if np.allclose(got * math.log(2), expected, rtol=1e-4):
            return "You used log base 2 (bits); the book measures in nats, with the natural log."
        if np.allclose(got, _cross_entropy(args[1], args[0]), rtol=1e-4):
            return "You swapped p and q: H(P, Q) weights the log of Q by the probabilities of P."
        return ""

    return _function_check(data, "(p, q) -> cross-entropy of each row", _CE_INPUTS, _cross_entropy,
        "matches H(P, Q) in nats on every probe, including classes with p = 0.",
        shape_hint="Sum over the classes (the last axis), one value per row.",
        nonfinite_hint="A class with p = 0 contributes 0, even where q = 0: skip those terms (np.where).",
        diagnose=diagnose)


@register("intro-huber-constant", probes.number)
def _intro_huber_constant(data) -> tuple[bool, str]:
    y = np.array([1.0, 1.2, 1.4, 1.5, 1.7, 2.0, 9.0])
    c = np.linspace(0, 10, 10001)  # candidate constants, 0.001 apart
    best = c[losses.huber(np.tile(y, (len(c), 1)), np.repeat(c[:, None], len(y), axis=1)).argmin()]
    return _number(data, float(best), "between the median and the mean: Huber treats the small "
                   "errors like squared error and the outlier like absolute error.",
                   [(float(y.mean()), "that is the mean, what squared error picks."),
                    (float(np.median(y)), "that is the median, what absolute error picks.")],
                   rel_tol=5e-3)
