"""Regression losses: squared, absolute, squared log, Huber and log-cosh errors."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._common import (
    EPSILON,
    _pair,
    _positive,
    _reduce,
    _scale_grad,
)


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Mean squared error, Keras ``"mse"``: :math:`\frac{1}{k}\sum_j (y_j - \hat{y}_j)^2`.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, k)``.
        y_pred: predictions, same shape.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> mse([1.0, 2.0], [1.5, 2.0])   # array([0.25, 0.  ])
    """
    t, p = _pair(y_true, y_pred, "mean squared error")
    return _reduce((t - p) ** 2)


def mse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`mse`: :math:`\frac{2}{k}(\hat{y}_j - y_j)`, shape of ``y_pred``.

    Example:
        >>> mse_grad([1.0], [1.5])   # array([1.])
    """
    t, p = _pair(y_true, y_pred, "mean squared error")
    return _scale_grad(2.0 * (p - t))


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Mean absolute error, Keras ``"mae"``: :math:`\frac{1}{k}\sum_j |y_j - \hat{y}_j|`.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, k)``.
        y_pred: predictions, same shape.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> mae([1.0, 2.0], [1.5, 2.0])   # array([0.5, 0. ])
    """
    t, p = _pair(y_true, y_pred, "mean absolute error")
    return _reduce(np.abs(t - p))


def mae_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`mae`: :math:`\frac{1}{k}\operatorname{sign}(\hat{y}_j - y_j)` (0 where equal).

    Example:
        >>> mae_grad([1.0], [1.5])   # array([1.])
    """
    t, p = _pair(y_true, y_pred, "mean absolute error")
    return _scale_grad(np.sign(p - t))


def msle(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Mean squared logarithmic error, Keras ``"msle"``.

    :math:`\frac{1}{k}\sum_j \big(\log(1 + \max(\hat{y}_j, \epsilon)) - \log(1 + \max(y_j, \epsilon))\big)^2`

    Keras replaces every value below :math:`\epsilon = 10^{-7}` (every negative
    target or prediction) by :math:`\epsilon` before the logarithm, silently:
    for standardized targets, half of which are negative, those targets all
    look like 0.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, k)``.
        y_pred: predictions, same shape.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> msle([0.0], [np.e - 1])   # array([1.])
    """
    t, p = _pair(y_true, y_pred, "mean squared logarithmic error")
    diff = np.log1p(np.maximum(p, EPSILON)) - np.log1p(np.maximum(t, EPSILON))
    return _reduce(diff**2)


def msle_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`msle`.

    :math:`\frac{2}{k}\,\frac{\log(1+\hat{y}_j) - \log(1+y_j)}{1 + \hat{y}_j}` where
    :math:`\hat{y}_j \ge \epsilon`, else 0.

    Example:
        >>> msle_grad([0.0], [-3.0])   # array([0.]): negative predictions get no gradient
    """
    t, p = _pair(y_true, y_pred, "mean squared logarithmic error")
    pc = np.maximum(p, EPSILON)
    diff = np.log1p(pc) - np.log1p(np.maximum(t, EPSILON))
    return _scale_grad(2.0 * diff / (1.0 + pc) * (p >= EPSILON))


def huber(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0) -> np.ndarray:
    r"""Huber loss, Keras ``"huber"``: quadratic for small errors, linear for large ones.

    With :math:`e = \hat{y} - y`, each output costs :math:`\tfrac{1}{2}e^2` if
    :math:`|e| \le \delta`, else :math:`\delta|e| - \tfrac{1}{2}\delta^2`; averaged
    over the last axis.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, k)``.
        y_pred: predictions, same shape.
        delta: where the quadratic part turns linear; positive.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> huber([0.0, 0.0], [0.5, 3.0])   # array([0.125, 2.5  ])
    """
    t, p = _pair(y_true, y_pred, "Huber loss")
    delta = _positive(delta, "delta", "Huber loss")
    e = np.abs(p - t)
    return _reduce(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2))


def huber_grad(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0) -> np.ndarray:
    r"""Gradient of :func:`huber`.

    :math:`\frac{1}{k}e` where :math:`|e| \le \delta`, else :math:`\frac{1}{k}\delta\operatorname{sign}(e)`.

    Example:
        >>> huber_grad([0.0, 0.0], [0.5, 3.0])   # array([0.5, 1. ])
    """
    t, p = _pair(y_true, y_pred, "Huber loss")
    delta = _positive(delta, "delta", "Huber loss")
    e = p - t
    return _scale_grad(np.where(np.abs(e) <= delta, e, delta * np.sign(e)))


def log_cosh(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Log-cosh loss, Keras ``"log_cosh"``: :math:`\frac{1}{k}\sum_j \log\cosh(\hat{y}_j - y_j)`.

    About :math:`e^2/2` for small errors and :math:`|e| - \log 2` for large ones;
    computed as :math:`e + \log(1 + e^{-2e}) - \log 2`, finite for any error.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> log_cosh([0.0], [1.0])   # array([0.43378083])
    """
    t, p = _pair(y_true, y_pred, "log-cosh loss")
    e = p - t
    return _reduce(e + np.logaddexp(0.0, -2.0 * e) - np.log(2.0))


def log_cosh_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`log_cosh`: :math:`\frac{1}{k}\tanh(\hat{y}_j - y_j)`.

    Example:
        >>> log_cosh_grad([0.0], [1.0])   # array([0.76159416])
    """
    t, p = _pair(y_true, y_pred, "log-cosh loss")
    return _scale_grad(np.tanh(p - t))
