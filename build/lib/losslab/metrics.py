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
