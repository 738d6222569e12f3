"""Binary classification losses: cross-entropy (on probabilities or logits) and hinges."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._common import (
    _PROB_HINT,
    EPSILON,
    ONE_MINUS_EPSILON,
    _check_range,
    _clip_mask,
    _fmt,
    _pair,
    _reduce,
    _scale_grad,
    _sigmoid,
)


def _bce_inputs(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool) -> tuple[np.ndarray, np.ndarray]:
    name = "binary cross-entropy"
    t, p = _pair(y_true, y_pred, name)
    _check_range(t, "y_true", name, 0.0, 1.0,
                 "Use labels 0 and 1 (or soft labels between them); -1/1 labels belong to hinge losses.")
    if not from_logits:
        _check_range(p, "y_pred", name, 0.0, 1.0, _PROB_HINT)
    return t, p


def binary_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False) -> np.ndarray:
    r"""Binary cross-entropy, Keras ``"binary_crossentropy"``.

    .. math:: \ell = -\big(y \log \hat{p} + (1 - y)\log(1 - \hat{p})\big)

    with :math:`\hat{p}` clipped to :math:`[\epsilon, 1-\epsilon]`, averaged over
    the last axis. With ``from_logits=True``, ``y_pred`` holds logits :math:`z`
    and :math:`\hat{p} = \sigma(z)`, computed in the overflow-free form
    :math:`\max(z, 0) - zy + \log(1 + e^{-|z|})` (finite for any :math:`z`).

    Args:
        y_true: labels in [0, 1] (usually 0 or 1), shape ``(n,)`` or ``(n, k)``.
        y_pred: probabilities in [0, 1], or logits if ``from_logits``; same shape.
        from_logits: whether ``y_pred`` holds logits.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> binary_cross_entropy([1, 0], [0.9, 0.2])   # array([0.10536052, 0.22314355])
    """
    t, p = _bce_inputs(y_true, y_pred, from_logits)
    if from_logits:
        per_element = np.maximum(p, 0.0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        c = np.clip(p, EPSILON, ONE_MINUS_EPSILON)
        per_element = -(t * np.log(c) + (1.0 - t) * np.log(1.0 - c))
    return _reduce(per_element)


def binary_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``y_pred``.

    For probabilities: :math:`\frac{1}{k}\left(\frac{1-y}{1-\hat{p}} - \frac{y}{\hat{p}}\right)`,
    0 where :math:`\hat{p}` was clipped. For logits: :math:`\frac{1}{k}(\sigma(z) - y)`.

    Example:
        >>> binary_cross_entropy_grad([1], [0.0], from_logits=True)   # array([-0.5])
    """
    t, p = _bce_inputs(y_true, y_pred, from_logits)
    if from_logits:
        grad = _sigmoid(p) - t
    else:
        c = np.clip(p, EPSILON, ONE_MINUS_EPSILON)
        grad = ((1.0 - t) / (1.0 - c) - t / c) * _clip_mask(p, EPSILON, ONE_MINUS_EPSILON)
    return _scale_grad(grad)


def _hinge_labels(y_true: ArrayLike, y_pred: ArrayLike, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels as -1/1: Keras converts all-0/1 labels by 2y - 1."""
    t, p = _pair(y_true, y_pred, loss)
    if np.isin(t, (0.0, 1.0)).all():
        return 2.0 * t - 1.0, p
    if not np.isin(t, (-1.0, 1.0)).all():
        found = np.unique(t[~np.isin(t, (-1.0, 0.0, 1.0))])[:3].tolist() or [-1.0, 0.0, 1.0]
        raise ValueError(
            f"y_true must contain only -1 and 1 (or only 0 and 1) for {loss}; found "
            f"{_fmt(found)}. Convert 0/1 labels with losslab.data.to_hinge_labels."
        )
    return t, p


def hinge(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Hinge loss, Keras ``"hinge"``: :math:`\frac{1}{k}\sum_j \max(0,\ 1 - y_j \hat{y}_j)`.

    Labels are -1 and 1; like Keras, labels that are all 0 and 1 are first
    mapped to -1 and 1. ``y_pred`` is a score of any sign (a tanh output, say).

    Args:
        y_true: labels in {-1, 1} or {0, 1}, shape ``(n,)`` or ``(n, k)``.
        y_pred: scores, same shape.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> hinge([1, -1], [0.3, -2.0])   # array([0.7, 0. ])
    """
    t, p = _hinge_labels(y_true, y_pred, "hinge loss")
    return _reduce(np.maximum(1.0 - t * p, 0.0))


def hinge_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`hinge`: :math:`-\frac{y_j}{k}` where :math:`y_j\hat{y}_j \le 1`, else 0.

    Example:
        >>> hinge_grad([1, -1], [0.3, -2.0])   # array([-1., -0.])
    """
    t, p = _hinge_labels(y_true, y_pred, "hinge loss")
    return _scale_grad(-t * (1.0 - t * p >= 0.0))


def squared_hinge(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Squared hinge loss, Keras ``"squared_hinge"``: :math:`\frac{1}{k}\sum_j \max(0,\ 1 - y_j \hat{y}_j)^2`.

    Labels as for :func:`hinge`.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> squared_hinge([1, -1], [0.3, -2.0])   # array([0.49, 0.  ])
    """
    t, p = _hinge_labels(y_true, y_pred, "squared hinge loss")
    return _reduce(np.maximum(1.0 - t * p, 0.0) ** 2)


def squared_hinge_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`squared_hinge`: :math:`-\frac{2}{k}\,y_j \max(0,\ 1 - y_j \hat{y}_j)`.

    Example:
        >>> squared_hinge_grad([1], [0.3])   # array([-1.4])
    """
    t, p = _hinge_labels(y_true, y_pred, "squared hinge loss")
    return _scale_grad(-2.0 * t * np.maximum(1.0 - t * p, 0.0))
