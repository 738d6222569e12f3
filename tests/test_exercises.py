"""losslab.exercises: every solution passes its check; plausible wrong answers fail with specific feedback."""

import json
import math
import pathlib
import re

import numpy as np
import pytest
from test_exercises_beyond import CASES as BEYOND_CASES

from losslab import exercises
from losslab.exercises import CheckResult, check, labels

CHAPTERS = pathlib.Path(__file__).resolve().parents[1] / "chapters"


# ---- answers a learner might give ------------------------------------------------------------

def bce(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, eps, 1 - eps)
    return -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def cross_entropy(p, q):
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    return np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))


def sparse_ce_from_logits(labels, logits):
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(labels)), labels]


def xor_by_hand(x):
    h_or = 1 / (1 + np.exp(-(20 * x[:, 0] + 20 * x[:, 1] - 10)))
    h_and = 1 / (1 + np.exp(-(20 * x[:, 0] + 20 * x[:, 1] - 30)))
    return 1 / (1 + np.exp(-(20 * h_or - 20 * h_and - 10)))


def nesterov(w, g, v, lr=0.01, momentum=0.9):
    v = momentum * v - lr * g
    return w + momentum * v - lr * g, v


def pinball(y_true, y_pred, q=0.9):
    e = y_true - y_pred
    return np.mean(np.maximum(q * e, (q - 1) * e), axis=-1)


P_Z6 = 1 / (1 + math.exp(6))

# label -> (a right answer, [(a plausible wrong answer, words its feedback must contain), ...])
CASES = {
    "bce-from-scratch": (bce, [
        (lambda t, p: bce(1 - t, p), "for y_true=1.000, y_pred=0.900"),
        (lambda t, p: bce(t, p).mean(), "One loss per example"),
        (lambda t, p: -(t * np.log(p) + (1 - t) * np.log(1 - p)), "clip y_pred"),
    ]),
    "bce-mse-gradient": (-2 * (1 - P_Z6) * P_Z6 * (1 - P_Z6), [
        (P_Z6 - 1, "cross-entropy's gradient"),
        (-2 * (1 - P_Z6), "sigmoid's slope"),
    ]),
    "intro-cross-entropy": (cross_entropy, [
        (lambda p, q: -np.sum(p * np.log(q), axis=-1), "p = 0 contributes 0"),
        (lambda p, q: -np.sum(p * np.log2(np.where(p > 0, q, 1.0)), axis=-1), "log base 2"),
        (lambda p, q: cross_entropy(q, p), "swapped p and q"),
        (lambda p, q: cross_entropy(p, q).sum(), "Sum over the classes"),
    ]),
    "intro-huber-constant": (9.8 / 6, [(2.5428571, "the mean"), (1.5, "the median")]),
    "reg-huber-from-scratch": (huber, [
        (lambda t, p, delta=1.0: 2 * huber(t, p, delta), "0.5 * e**2"),
        (lambda t, p, delta=1.0: 0.5 * (p - t) ** 2, "grows linearly"),
        (lambda t, p, delta=1.0: huber(t, p), "ignores its delta"),
        (lambda t, p, delta=1.0: huber(t, p, delta).mean(), "One loss per example"),
    ]),
    "reg-msle-by-hand": ((math.log(4) - math.log(2)) ** 2, [
        ((math.log(3) - math.log(1)) ** 2, "adds 1 first"),
        ((math.log10(4) - math.log10(2)) ** 2, "base-10"),
        (math.log(2), "square it"),
    ]),
    "mc-sparse-from-logits": (sparse_ce_from_logits, [
        (lambda y, z: -np.log(np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True))[np.arange(len(y)), y],
         "log-sum-exp"),
        (lambda y, z: sparse_ce_from_logits(y, z).mean(), "One loss per example"),
        (lambda y, z: sparse_ce_from_logits(np.zeros_like(y), z), "for labels=[2, 1]"),
    ]),
    "mc-uniform-loss": (-math.log(1 / 3), [(math.log2(3), "base 2"), (1 / 3, "minus its log")]),
    "mc-softmax-none": (0.25, [(0.5, "usual threshold"), (1 / 3, "three labels")]),
    "mc-gce-weight": (0.2, [(5.0, "over GCE's"), (0.04, "p_y itself")]),
    "xor-by-hand": (xor_by_hand, [
        (lambda x: 1 / (1 + np.exp(-(20 * x[:, 0] + 20 * x[:, 1] - 10))), "for x=(1, 1)"),
        (lambda x: np.full(len(x), 0.2), "must be above 0.5"),
        (lambda x: 2 * xor_by_hand(x), "must lie in [0, 1]"),
    ]),
    "xor-linear-floor": (math.log(2), [(0.5, "predicted probability"), (1.0, "base 2"), (0.25, "squared error")]),
    "opt-nesterov-from-scratch": (nesterov, [
        (lambda w, g, v, lr=0.01, momentum=0.9: (w + momentum * v - lr * g, momentum * v - lr * g),
         "plain momentum"),
        (lambda w, g, v, lr=0.01, momentum=0.9: w - lr * g, "must return a pair"),
        (lambda w, g, v, lr=0.01, momentum=0.9: nesterov(w, g, v), "with lr=0.1, momentum=0.5"),
    ]),
    "opt-adam-first-step": (0.009968, [(1e-5, "plain SGD"), (0.03152, "bias correction")]),
    "custom-pinball": (pinball, [
        (lambda t, p, q=0.9: pinball(t, p, 1 - q), "swapped"),
        (lambda t, p, q=0.9: np.maximum(q * (t - p), (q - 1) * (t - p)), "shape (n,)"),
        (lambda t, p, q=0.9: pinball(t, p), "ignores its q"),
    ]),
    "custom-focal-weight": (0.01, [(0.1, "power 1"), (0.81, "p_t squared")]),
}


CASES.update(BEYOND_CASES)  # "Predicting more than a mean" keeps its cases in test_exercises_beyond.py


def test_every_check_is_covered_here():
    assert set(CASES) == set(labels())


@pytest.mark.parametrize("label", sorted(CASES))
def test_solution_passes(label):
    result = check(label, CASES[label][0])
    assert isinstance(result, CheckResult) and result.passed and bool(result), result.feedback


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

    answer = stub if callable(CASES[label][0]) else ...
    result = check(label, answer)
    assert not result
    assert ("None" in result.feedback and "return" in result.feedback) or "no answer yet" in result.feedback, \
        result.feedback


def test_feedback_names_the_input_and_both_values():
    result = check("bce-from-scratch", lambda t, p: bce(1 - t, p))
    assert "for y_true=1.000, y_pred=0.900" in result.feedback
    assert "returns 2.303; expected 0.105" in result.feedback


def test_number_feedback_does_not_give_the_answer_away():
    result = check("reg-msle-by-hand", 0.3)
    assert not result and "times too small" in result.feedback and "0.48" not in result.feedback


def test_unknown_label_lists_the_checks():
    unknown = check("no-such-exercise", 1)
    assert not unknown and "bce-from-scratch" in unknown.feedback
    assert not check(["not", "a", "label"], 1)
    assert repr(unknown).startswith("[no-such-exercise] not yet:")
    with pytest.raises(ValueError, match="no self-check called"):
        exercises.chapter_of("no-such-exercise")


def every_answer():
    for label, (right, wrong_answers) in sorted(CASES.items()):
        yield label, right
        for answer, _ in wrong_answers:
            yield label, answer
        for answer in [None, "0.5", float("nan"), lambda *a, **k: 1 / 0, lambda *a, **k: "text", ...]:
            yield label, answer


def test_judging_a_probes_plain_data_after_json_gives_the_checks_verdict():
    """What the grader does (probe in the kernel, JSON, judge outside) is what check() says."""
    for label, answer in every_answer():
        data = exercises.probe(label, answer)
        text = json.dumps(data)  # plain data only: this raises on anything else
        assert exercises.judge(label, json.loads(text)) == check(label, answer), label


@pytest.mark.parametrize("label", sorted(CASES))
@pytest.mark.parametrize("forged", [{"passed": True}, {"kind": "function"}, {"kind": "function", "calls": "yes"},
                                    {"kind": "number", "value": "0.69"}, {"kind": "number", "value": True},
                                    {"kind": "function", "calls": [{"shape": [-1], "values": []}] * 6},
                                    {"kind": "function", "calls": [{"shape": [10 ** 6]}] * 6},
                                    {"kind": "probe_failed", "error": "correct"}, "correct", None, [1, 2]])
def test_forged_or_malformed_probe_data_never_passes(label, forged):
    result = exercises.judge(label, forged)
    assert not result and result.feedback


def test_write_probes_records_the_last_answer_given_to_check_and_marks_the_rest_missing(tmp_path):
    check("xor-linear-floor", 0.5)
    check("xor-linear-floor", math.log(2))
    exercises._ANSWERS.pop("xor-by-hand", None)
    path = tmp_path / "probes.json"
    exercises.write_probes(str(path), ["xor-by-hand", "xor-linear-floor", "not-a-label"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"xor-by-hand": exercises.MISSING, "xor-linear-floor": {"kind": "number", "value": math.log(2)}}
    assert exercises.judge("xor-linear-floor", data["xor-linear-floor"]).passed


def test_every_checked_label_is_an_exercise_of_its_chapter():
    for label in labels():
        text = (CHAPTERS / f"{exercises.chapter_of(label)}.ipynb").read_text(encoding="utf-8")
        assert f":label: {label}" in text, f"{label} is not an exercise of {exercises.chapter_of(label)}"


def test_every_chapter_has_four_exercises_with_unique_labels_and_solutions():
    seen = []
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        found = re.findall(r":::\{exercise\}[^\n]*\n:label: ([\w-]+)", text)
        assert len(found) >= 4, f"{path.name} has {len(found)} exercises"
        for label in found:
            assert re.search(r"\{solution(-start)?\} " + re.escape(label) + r"\b", text), f"{label} has no solution"
        seen += found
    assert len(seen) == len(set(seen)), "duplicate exercise labels"


def test_instructors_page_lists_every_exercise():
    page = (CHAPTERS.parent / "appendix" / "instructors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\{ref\}`([\w-]+) <\1>`", page))  # the label is the link text
    in_chapters = set()
    for path in CHAPTERS.glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        in_chapters |= set(re.findall(r":::\{exercise\}[^\n]*\n:label: ([\w-]+)", text))
    assert listed == in_chapters
