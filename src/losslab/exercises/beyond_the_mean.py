"""Self-checks of the chapter "Predicting more than a mean" (``chapters/beyond_the_mean.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab.exercises import _function_check, _number, probes, register

_DAYS = np.array([0.0, 1.0, 1.0, 2.0, 6.0])
_THREE = np.array([1.0, 2.0, 10.0])

_NLL_INPUTS = [
    ("for y_true=[0.0], mean=[0.0], variance=[1.0]", ([0.0], [0.0], [1.0]), {}),
    ("for y_true=[1.0, 2.0], mean=[0.0, 2.5], variance=[4.0, 0.25]",
     ([1.0, 2.0], [0.0, 2.5], [4.0, 0.25]), {}),
    ("for y_true=[3.0, -1.0, 0.5], mean=[1.0, -1.0, 0.0], variance=[0.5, 2.0, 9.0]",
     ([3.0, -1.0, 0.5], [1.0, -1.0, 0.0], [0.5, 2.0, 9.0]), {}),
]
_COVERAGE_INPUTS = [
    ("for y=[0.0, 1.0, 2.0, 3.0], lower=[-1, -1, -1, -1], upper=[1.5, 1.5, 1.5, 1.5]",
     ([0.0, 1.0, 2.0, 3.0], [-1.0] * 4, [1.5] * 4), {}),
    ("for y=[1.0, 2.0, 5.0], lower=[1.0, 0.0, 0.0], upper=[3.0, 2.0, 4.0] (targets on the bounds)",
     ([1.0, 2.0, 5.0], [1.0, 0.0, 0.0], [3.0, 2.0, 4.0]), {}),
    ("for y=[0.5, -2.0, 4.0, 1.0, 0.0], lower=[0, -1, 3, 2, -1], upper=[1, 1, 5, 3, 1]",
     ([0.5, -2.0, 4.0, 1.0, 0.0], [0.0, -1.0, 3.0, 2.0, -1.0], [1.0, 1.0, 5.0, 3.0, 1.0]), {}),
]


def _gaussian_nll(y_true, mean, variance):
    y, m, v = (np.asarray(a, dtype=float) for a in (y_true, mean, variance))
    return 0.5 * (math.log(2 * math.pi) + np.log(v) + (y - m) ** 2 / v)


def _coverage(y, lower, upper):
    y, lo, hi = (np.asarray(a, dtype=float) for a in (y, lower, upper))
    return float(np.mean((y >= lo) & (y <= hi)))


@register("beyond-poisson-constant", probes.number)
def _poisson_constant(data) -> tuple[bool, str]:
    return _number(data, float(_DAYS.mean()),
                   "the derivative 1 - mean(y) / rate is zero at the mean: Poisson NLL estimates the mean.",
                   [(float(np.median(_DAYS)), "that is the median (and the most frequent count); the "
                                              "Poisson loss's best constant is another statistic."),
                    (float(np.expm1(np.log1p(_DAYS).mean())), "that is exp(mean of log(1 + y)) - 1, what "
                                                               "squared error on log(1 + y) gives, not Poisson."),
                    (float(np.exp(np.log(_DAYS[_DAYS > 0]).mean())), "that is a geometric mean of the non-zero "
                                                                     "counts; set the derivative to zero."),
                    (float(_DAYS.sum()), "that is the total; the loss is averaged over the days.")])


@register("beyond-mape-constant", probes.number)
def _mape_constant(data) -> tuple[bool, str]:
    return _number(data, 1.0,
                   "each target weighs 1/y, so the smallest target wins: MAPE's constant is a weighted median "
                   "below the median.",
                   [(float(np.median(_THREE)), "that is the median, which minimizes the absolute error; MAPE "
                                               "divides each error by its target."),
                    (float(_THREE.mean()), "that is the mean, which minimizes the squared error."),
                    (float(3 / np.sum(1 / _THREE)), "that is the harmonic mean; MAPE's loss is piecewise linear, "
                                                    "so its minimum sits at one of the targets.")])


@register("beyond-gaussian-nll", probes.calls(_NLL_INPUTS))
def _gaussian_nll_check(data) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        y, m, v = (np.asarray(a, dtype=float) for a in args)
        if np.allclose(got, expected - 0.5 * math.log(2 * math.pi), rtol=1e-4, atol=1e-4):
            return "You left out the constant 0.5 * log(2 pi): the loss trains the same, but it is not the NLL."
        if np.allclose(got, 2 * expected, rtol=1e-4, atol=1e-4):
            return "Your values are twice the NLL: the whole bracket is multiplied by 0.5."
        if np.allclose(got, _gaussian_nll(y, m, v ** 2), rtol=1e-4, atol=1e-4):
            return "The third argument is the variance sigma^2, not the standard deviation: do not square it."
        if np.allclose(got, 0.5 * (math.log(2 * math.pi) + np.log(v) + (y - m) ** 2), rtol=1e-4, atol=1e-4):
            return "Divide the squared error by the variance."
        if np.allclose(got, expected + 0.5 * np.log(v), rtol=1e-4, atol=1e-4):
            return ("log(variance) needs the factor 0.5 as well: 0.5 * log(sigma^2) = log(sigma), "
                    "the whole bracket is halved.")
        return ""

    return _function_check(data, "(y_true, mean, variance) -> per-example losses", _NLL_INPUTS, _gaussian_nll,
        "matches the Gaussian negative log-likelihood for small and large variances.",
        shape_hint="One loss per example: leave the mean over examples to the caller.", diagnose=diagnose)


@register("beyond-coverage", probes.calls(_COVERAGE_INPUTS))
def _coverage_check(data) -> tuple[bool, str]:
    def diagnose(got, expected, args, kwargs):
        y, lo, hi = (np.asarray(a, dtype=float) for a in args)
        if np.isclose(got, np.mean((y > lo) & (y < hi))):
            return "A target exactly on a bound is inside the interval: use <= and >=."
        if np.isclose(got, np.sum((y >= lo) & (y <= hi))):
            return "That is a count; divide by the number of targets for a share."
        if np.isclose(got, 1 - expected):
            return "That is the share outside the interval."
        if np.isclose(got, 100 * expected):
            return "That is a percentage; return a share between 0 and 1 (0.8 for 80 %)."
        return ""

    return _function_check(data, "(y, lower, upper) -> a share between 0 and 1", _COVERAGE_INPUTS, _coverage,
        "counts the targets inside the interval, bounds included, as a share.",
        shape_hint="Return one number, the share of all targets inside their interval.", diagnose=diagnose)
