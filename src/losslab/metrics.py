"""Metrics the book needs that Keras does not ship."""

from __future__ import annotations

import keras
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
