"""Metrics the book needs that Keras does not ship."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops


def _sign_agreement(y_true, y_pred):
    y_true = ops.reshape(ops.cast(y_true, y_pred.dtype), ops.shape(y_pred))
    return ops.cast(ops.equal(y_true > 0, y_pred > 0), "float32")


class SignAccuracy(keras.metrics.MeanMetricWrapper):
    r"""Accuracy for a score whose sign is the class: :math:`\frac{1}{n}\sum_i [\,(y_i > 0) = (\hat{y}_i > 0)\,]`.

    Use it with hinge losses and a tanh output, where labels are -1/1 (0/1
    labels work too: 0 counts as the negative class). Keras's
    ``metrics=['accuracy']`` compares ``y_pred > 0.5`` with the label itself,
    which is wrong for -1/1 labels.

    Example:
        >>> model.compile(loss="hinge", optimizer="sgd", metrics=[SignAccuracy()])
    """

    def __init__(self, name: str = "sign_accuracy", dtype=None):
        super().__init__(fn=_sign_agreement, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def binary_accuracy(y_true, y_score, threshold: float = 0.5) -> float:
    r"""Share of examples on the right side of ``threshold``: :math:`\frac{1}{n}\sum_i [\,(s_i > t) = (y_i = 1)\,]`.

    Works for 0/1 and -1/1 labels alike (1 is the positive class). Use
    ``threshold=0.5`` for probabilities, ``0`` for tanh scores or logits.

    Args:
        y_true: labels, shape ``(n,)`` or ``(n, 1)``.
        y_score: scores, same number of examples.
        threshold: the score above which an example is called positive.

    Returns:
        accuracy as a float in [0, 1].

    Example:
        >>> binary_accuracy([0, 1, 1], [0.2, 0.7, 0.4])   # 0.666...
    """
    y_true = np.asarray(y_true).ravel()
    y_score = np.asarray(y_score, dtype=float).ravel()
    if y_true.shape != y_score.shape:
        raise ValueError(
            f"y_true has {y_true.size} labels but y_score has {y_score.size} scores; "
            "give one score per example (model output of shape (n, 1) is fine)."
        )
    if not np.isin(y_true, (-1, 0, 1)).all():
        raise ValueError("binary_accuracy expects labels 0/1 or -1/1; found "
                         f"{np.unique(y_true[~np.isin(y_true, (-1, 0, 1))])[:3].tolist()}.")
    return float(np.mean((y_score > threshold) == (y_true == 1)))


# ---------------------------------------------------------------- multi-label
def _multilabel(y_true, y_score, what: str) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(y_true)
    s = np.asarray(y_score, dtype=float)
    if t.ndim != 2 or t.shape != s.shape:
        raise ValueError(f"{what} needs y_true and y_score of the same shape (examples, labels); "
                         f"got {t.shape} and {s.shape}. Give one column per label (multi-hot rows).")
    if not np.isin(t, (0, 1)).all():
        raise ValueError(f"{what} expects multi-hot labels of 0 and 1; found "
                         f"{np.unique(t[~np.isin(t, (0, 1))])[:3].tolist()}.")
    if np.isnan(s).any():
        raise ValueError(f"{what}: y_score contains NaN (a diverged model?).")
    return t.astype(bool), s


def hamming_loss(y_true, y_score, threshold: float = 0.5) -> float:
    r"""Share of (example, label) decisions that are wrong.

    :math:`\frac{1}{nL}\sum_{i,c} [\,(s_{ic} > t) \ne y_{ic}\,]`: what
    ``1 - keras.metrics.BinaryAccuracy(threshold=t)`` gives on multi-hot rows.

    Args:
        y_true: multi-hot labels, shape ``(n, L)``.
        y_score: scores (e.g. one sigmoid per label), shape ``(n, L)``.
        threshold: a label is predicted where its score exceeds it.

    Example:
        >>> hamming_loss([[1, 0], [1, 1]], [[0.9, 0.6], [0.8, 0.3]])   # 2 wrong of 4: 0.5
    """
    t, s = _multilabel(y_true, y_score, "hamming_loss")
    return float(np.mean((s > threshold) != t))


def subset_accuracy(y_true, y_score, threshold: float = 0.5) -> float:
    r"""Share of examples whose whole label set is right (exact match).

    :math:`\frac{1}{n}\sum_i [\,\forall c:\ (s_{ic} > t) = y_{ic}\,]`.

    Example:
        >>> subset_accuracy([[1, 0], [1, 1]], [[0.9, 0.2], [0.8, 0.3]])   # 0.5
    """
    t, s = _multilabel(y_true, y_score, "subset_accuracy")
    return float(np.mean(np.all((s > threshold) == t, axis=1)))


def per_label_f1(y_true, y_score, threshold: float = 0.5) -> dict[str, np.ndarray]:
    r"""Precision, recall and F1 of each label, shape ``(L,)`` each.

    :math:`P_c = TP_c / (TP_c + FP_c)`, :math:`R_c = TP_c / (TP_c + FN_c)`,
    :math:`F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c)`; a ratio with nothing to
    count (no prediction, no positive) is 0, as in scikit-learn.

    Example:
        >>> per_label_f1([[1, 0], [1, 1]], [[0.9, 0.6], [0.8, 0.3]])["f1"]   # array([1., 0.])
    """
    t, s = _multilabel(y_true, y_score, "per_label_f1")
    p = s > threshold
    tp, fp, fn = (p & t).sum(0), (p & ~t).sum(0), (~p & t).sum(0)

    def ratio(a, b):
        return np.where(b > 0, a / np.maximum(b, 1), 0.0)

    return {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}


def average_precision(y_true, y_score) -> np.ndarray:
    r"""Average precision of each label (area under its precision-recall steps), shape ``(L,)``.

    For label :math:`c`, rank the examples by score; with :math:`P_c(k)` the
    precision among the top :math:`k` and :math:`\Delta R_c(k)` the recall
    gained at rank :math:`k`, :math:`AP_c = \sum_k P_c(k)\, \Delta R_c(k)`
    (tied scores enter together, as in scikit-learn). Threshold-free: it
    scores how well a label's scores rank its positives first. A label
    without positives gets NaN.

    Example:
        >>> average_precision([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.4, 0.8], [0.6, 0.1]])
    """
    t, s = _multilabel(y_true, y_score, "average_precision")
    out = np.full(t.shape[1], np.nan)
    for c in range(t.shape[1]):
        positives = t[:, c].sum()
        if positives == 0:
            continue
        order = np.argsort(-s[:, c], kind="stable")
        scores, hits = s[order, c], t[order, c]
        last = np.r_[np.flatnonzero(np.diff(scores) != 0), len(scores) - 1]  # end of each tie group
        tp = np.cumsum(hits)[last]
        precision, recall = tp / (last + 1), tp / positives
        out[c] = np.sum(np.diff(np.r_[0.0, recall]) * precision)
    return out

