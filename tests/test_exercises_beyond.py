"""Self-checks of "Predicting more than a mean": every solution passes; plausible wrong answers fail specifically."""

import math

import numpy as np
import pytest

from losslab.exercises import CheckResult, check, labels


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


@pytest.mark.parametrize("label", sorted(CASES))
def test_solution_passes(label):
    result = check(label, CASES[label][0])
    assert isinstance(result, CheckResult) and result.passed, result.feedback


@pytest.mark.parametrize("label", sorted(CASES))
def test_plausible_wrong_answers_fail_with_specific_feedback(label):
    wrong_answers = CASES[label][1]
    assert len(wrong_answers) >= 2
    for answer, words in wrong_answers:
        result = check(label, answer)
        assert not result, f"{label}: a wrong answer passed"
        assert words in result.feedback, result.feedback


@pytest.mark.parametrize("label", sorted(CASES))
@pytest.mark.parametrize("answer", [None, "0.5", [1, 2], float("nan"), lambda *a, **k: 1 / 0,
                                    lambda *a, **k: "text"])
def test_malformed_or_crashing_answers_are_feedback_not_crashes(label, answer):
    result = check(label, answer)
    assert not result and result.feedback


@pytest.mark.parametrize("label", sorted(CASES))
def test_untouched_stubs_say_what_is_missing(label):
    def stub(*args, **kwargs):
        ...

    result = check(label, stub if callable(CASES[label][0]) else ...)
    assert not result
    assert ("None" in result.feedback and "return" in result.feedback) or "no answer yet" in result.feedback, \
        result.feedback


def test_number_feedback_does_not_give_the_answer_away():
    result = check("beyond-poisson-constant", 3.0)
    assert not result and "times too large" in result.feedback and "2.0" not in result.feedback
