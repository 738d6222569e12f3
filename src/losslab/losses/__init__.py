r"""Reference implementations of Keras's losses in numpy, with their gradients.

Every loss returns **per-example** losses, exactly what ``keras.losses.<name>``
computes before any reduction, so that ``loss.mean()`` is what
``model.compile(loss=...)`` reports for a batch. Every ``<name>_grad`` returns
the derivative of those per-example losses with respect to ``y_pred``, with
the shape of ``y_pred``: what ``tf.GradientTape`` gives for the sum of the
per-example losses.

Shapes. ``y_pred`` of shape ``(n, k)`` holds ``n`` examples with ``k`` outputs
each; the loss averages over the last axis and returns shape ``(n,)``, as
Keras does. A 1-D ``y_pred`` of shape ``(n,)`` holds ``n`` examples with one
output each and gives ``n`` losses (Keras treats ``(n, 1)`` the same way). As
in Keras, ``y_true`` of shape ``(n,)`` goes with ``y_pred`` of shape ``(n, 1)``.

Keras clips probabilities to ``[eps, 1 - eps]`` with ``eps = 1e-7`` before
taking logarithms. Where a prediction is clipped, the loss stops changing and
its gradient is zero: the numpy gradients here reproduce that.
"""


from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._common import EPSILON, ONE_MINUS_EPSILON
from .binary import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    hinge,
    hinge_grad,
    squared_hinge,
    squared_hinge_grad,
)
from .catalogue import (
    binary_focal_cross_entropy,
    categorical_focal_cross_entropy,
    categorical_generalized_cross_entropy,
    categorical_hinge,
    circle,
    cosine_similarity,
    dice,
    tversky,
)
from .distribution import (
    gaussian_nll,
    gaussian_nll_grad,
    gaussian_variance,
    mape,
    mape_grad,
    pinball,
    pinball_grad,
    poisson,
    poisson_grad,
)
from .multiclass import (
    categorical_cross_entropy,
    categorical_cross_entropy_grad,
    kl_divergence,
    kl_divergence_grad,
    sparse_categorical_cross_entropy,
    sparse_categorical_cross_entropy_grad,
)
from .regression import (
    huber,
    huber_grad,
    log_cosh,
    log_cosh_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    msle,
    msle_grad,
)

__all__ = [
    "EPSILON",
    "ONE_MINUS_EPSILON",
    "LOSSES",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_focal_cross_entropy",
    "categorical_focal_cross_entropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "dice",
    "tversky",
    "categorical_cross_entropy",
    "categorical_cross_entropy_grad",
    "gaussian_nll",
    "gaussian_nll_grad",
    "gaussian_variance",
    "hinge",
    "hinge_grad",
    "huber",
    "huber_grad",
    "kl_divergence",
    "kl_divergence_grad",
    "log_cosh",
    "log_cosh_grad",
    "mae",
    "mae_grad",
    "mape",
    "mape_grad",
    "mse",
    "mse_grad",
    "msle",
    "msle_grad",
    "pinball",
    "pinball_grad",
    "poisson",
    "poisson_grad",
    "sparse_categorical_cross_entropy",
    "sparse_categorical_cross_entropy_grad",
    "squared_hinge",
    "squared_hinge_grad",
]

LOSSES: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "mean_squared_error": (mse, mse_grad),
    "mean_absolute_error": (mae, mae_grad),
    "mean_squared_logarithmic_error": (msle, msle_grad),
    "huber": (huber, huber_grad),
    "log_cosh": (log_cosh, log_cosh_grad),
    "binary_crossentropy": (binary_cross_entropy, binary_cross_entropy_grad),
    "hinge": (hinge, hinge_grad),
    "squared_hinge": (squared_hinge, squared_hinge_grad),
    "categorical_crossentropy": (categorical_cross_entropy, categorical_cross_entropy_grad),
    "sparse_categorical_crossentropy": (sparse_categorical_cross_entropy, sparse_categorical_cross_entropy_grad),
    "kl_divergence": (kl_divergence, kl_divergence_grad),
    "poisson": (poisson, poisson_grad),
    "mean_absolute_percentage_error": (mape, mape_grad),
}
"""Keras's name of each loss -> (numpy loss, numpy gradient)."""
