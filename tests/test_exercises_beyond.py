"""Self-checks of "Predicting more than a mean": its CASES (run by the generic tests in test_exercises.py)."""

import math

import numpy as np

from losslab.exercises import check, labels


def gaussian_nll(y_true, mean, variance):
    return 0.5 * (np.log(2 * np.pi) + np.log(variance) + (y_true - mean) ** 2 / variance)


def coverage(y, lower, upper):
    return float(np.mean((y >= lower) & (y <= upper)))


DAYS = np.array([0.0, 1.0, 1.0, 2.0, 6.0])

# label -> (a right answer, [(a plausible wrong answer, words its feedback must contain), ...])
CASES = {
    "beyond-poisson-constant": (2.0, [
        (1.0, "median"),
        (float(np.expm1(np.log1p(DAYS).mean())), "log(1 + y)"),
        (10.0, "total"),
    ]),
    "beyond-mape-constant": (1.0, [
        (2.0, "median"),
        (13 / 3, "mean, which minimizes the squared error"),
        (3 / 1.6, "harmonic mean"),
    ]),
    "beyond-gaussian-nll": (gaussian_nll, [
        (lambda y, m, v: gaussian_nll(y, m, v) - 0.5 * math.log(2 * math.pi), "0.5 * log(2 pi)"),
        (lambda y, m, v: 2 * gaussian_nll(y, m, v), "twice the NLL"),
        (lambda y, m, v: gaussian_nll(y, m, v ** 2), "not the standard deviation"),
        (lambda y, m, v: 0.5 * (np.log(2 * np.pi) + np.log(v) + (y - m) ** 2), "Divide the squared error"),
        (lambda y, m, v: gaussian_nll(y, m, v).mean(), "One loss per example"),
        (lambda y, m, v: gaussian_nll(y, m, v) + 0.5 * np.log(v), "needs the factor 0.5"),
    ]),
    "beyond-coverage": (coverage, [
        (lambda y, lo, hi: float(np.mean((y > lo) & (y < hi))), "use <= and >="),
        (lambda y, lo, hi: float(np.sum((y >= lo) & (y <= hi))), "That is a count"),
        (lambda y, lo, hi: 1 - coverage(y, lo, hi), "share outside"),
        (lambda y, lo, hi: 100 * coverage(y, lo, hi), "percentage"),
        (lambda y, lo, hi: (y >= lo) & (y <= hi), "Return one number"),
    ]),
}


def test_every_check_of_the_chapter_is_covered_here():
    assert set(CASES) == set(labels("beyond_the_mean"))


def test_number_feedback_does_not_give_the_answer_away():
    result = check("beyond-poisson-constant", 3.0)
    assert not result and "times too large" in result.feedback and "2.0" not in result.feedback
