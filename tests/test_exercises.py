"""losslab.exercises: solutions pass, plausible wrong answers fail with specific feedback."""

import math

import numpy as np

from losslab.exercises import CheckResult, check, labels


def bce_solution(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, eps, 1 - eps)
    return -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_without_clipping(y_true, y_pred):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))


def bce_mean(y_true, y_pred):
    return bce_solution(y_true, y_pred).mean()


def bce_swapped(y_true, y_pred):
    return bce_solution(1 - y_true, y_pred)


def bce_crashes(y_true, y_pred):
    raise RuntimeError("not written yet")


def test_bce_solution_passes():
    result = check("bce-from-scratch", bce_solution)
    assert isinstance(result, CheckResult) and result and result.passed


def test_bce_wrong_answers_fail_with_specific_feedback():
    swapped = check("bce-from-scratch", bce_swapped)
    assert not swapped
    assert "for y_true=1.000, y_pred=0.900" in swapped.feedback and "expected 0.105" in swapped.feedback
    mean = check("bce-from-scratch", bce_mean)
    assert not mean and "one loss per example" in mean.feedback
    unclipped = check("bce-from-scratch", bce_without_clipping)
    assert not unclipped and "clip y_pred" in unclipped.feedback


def test_broken_and_malformed_answers_are_feedback_not_crashes():
    crashed = check("bce-from-scratch", bce_crashes)
    assert not crashed and "raised RuntimeError: not written yet" in crashed.feedback
    not_a_function = check("bce-from-scratch", 0.105)
    assert not not_a_function and "expected a function" in not_a_function.feedback
    assert not check("bce-mse-gradient", "a lot") and "expected a number" in check("bce-mse-gradient", "a lot").feedback
    unknown = check("no-such-exercise", 1)
    assert not unknown and "bce-from-scratch" in unknown.feedback
    assert repr(unknown).startswith("[no-such-exercise] not yet:")


def test_mse_gradient_solution_and_plausible_mistakes():
    p = 1 / (1 + math.exp(6))
    assert check("bce-mse-gradient", -2 * (1 - p) * p * (1 - p))
    bce_instead = check("bce-mse-gradient", p - 1)
    assert not bce_instead and "cross-entropy's gradient" in bce_instead.feedback
    forgot_chain_rule = check("bce-mse-gradient", -2 * (1 - p))
    assert not forgot_chain_rule and "sigmoid's slope" in forgot_chain_rule.feedback


def test_every_check_has_a_passing_and_failing_case_above():
    assert labels() == ["bce-from-scratch", "bce-mse-gradient"]


def test_every_checked_label_is_an_exercise_in_a_chapter():
    import pathlib
    import re

    chapters = pathlib.Path(__file__).resolve().parents[1] / "chapters"
    text = "".join(p.read_text(encoding="utf-8") for p in chapters.glob("*.ipynb"))
    exercise_labels = set(re.findall(r":label: ([\w-]+)", text))
    assert set(labels()) <= exercise_labels, set(labels()) - exercise_labels
