"""Multi-class losses: categorical and sparse categorical cross-entropy, KL divergence."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._common import (
    _PROB_HINT,
    EPSILON,
    ONE_MINUS_EPSILON,
    _array,
    _check_range,
    _clip_mask,
    _fmt,
    _log_softmax,
    _pair,
)


def _check_distribution(t: np.ndarray, loss: str) -> None:
    """Each row of a categorical target must be a probability distribution (sum 1)."""
    if t.ndim == 0:
        return
    sums = t.sum(axis=-1)
    bad = np.flatnonzero(np.abs(np.ravel(sums) - 1.0) > 1e-3)
    if bad.size:
        raise ValueError(
            f"each row of y_true must sum to 1 for {loss} (one-hot, or a probability "
            f"distribution such as smoothed labels); row {int(bad[0])} sums to "
            f"{float(np.ravel(sums)[bad[0]]):.4g}. Integer labels need sparse categorical "
            "cross-entropy or keras.utils.to_categorical first; multi-label rows (several "
            "classes on) need binary cross-entropy per class."
        )


def _cce_inputs(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool, loss: str) -> tuple[np.ndarray, np.ndarray]:
    t = _array(y_true, "y_true", loss)
    p = _array(y_pred, "y_pred", loss)
    if p.ndim == 0 or t.shape != p.shape:
        hint = (" Integer labels of shape (n,) need sparse categorical cross-entropy, or "
                "one-hot encoding first." if t.ndim == p.ndim - 1 else "")
        raise ValueError(
            f"y_true has shape {t.shape} but y_pred has shape {p.shape} for {loss}; they "
            f"must be equal, one row of class probabilities per example.{hint}"
        )
    _check_range(t, "y_true", loss, 0.0, 1.0, "Each row should be one-hot (or a probability distribution).")
    _check_distribution(t, loss)
    if not from_logits:
        _check_range(p, "y_pred", loss, 0.0, 1.0, _PROB_HINT)
        if (p.sum(axis=-1) <= 0).any():
            raise ValueError(
                f"a row of y_pred sums to 0 for {loss}; each row must hold class "
                "probabilities (a softmax output), not all zeros."
            )
    return t, p


def categorical_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False) -> np.ndarray:
    r"""Categorical cross-entropy, Keras ``"categorical_crossentropy"``: :math:`-\sum_c y_c \log \hat{p}_c`.

    Like Keras, each row of probabilities is first rescaled to sum to 1 and
    then clipped to :math:`[\epsilon, 1-\epsilon]`. With ``from_logits=True``,
    :math:`\log\hat{p} = \operatorname{log\,softmax}(z)`, finite for any logits.

    Args:
        y_true: one-hot rows (or distributions), shape ``(n, c)``.
        y_pred: class probabilities, or logits if ``from_logits``; shape ``(n, c)``.
        from_logits: whether ``y_pred`` holds logits.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> categorical_cross_entropy([[0, 1, 0]], [[0.2, 0.7, 0.1]])   # array([0.35667494])
    """
    loss = "categorical cross-entropy"
    t, p = _cce_inputs(y_true, y_pred, from_logits, loss)
    if from_logits:
        return -(t * _log_softmax(p)).sum(axis=-1)
    q = np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, ONE_MINUS_EPSILON)
    return -(t * np.log(q)).sum(axis=-1)


def categorical_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False) -> np.ndarray:
    r"""Gradient of :func:`categorical_cross_entropy` with respect to ``y_pred``.

    For logits: :math:`\operatorname{softmax}(z)\sum_c y_c - y`. For
    probabilities, through the rescaling :math:`q = \hat{p} / S` with
    :math:`S = \sum_c \hat{p}_c`: :math:`(g - \sum_c g_c q_c) / S` where
    :math:`g_c = -y_c / q_c` (0 where :math:`q_c` was clipped).

    Example:
        >>> categorical_cross_entropy_grad([[0, 1]], [[0.0, 0.0]], from_logits=True)   # array([[ 0.5, -0.5]])
    """
    t, p = _cce_inputs(y_true, y_pred, from_logits, "categorical cross-entropy")
    if from_logits:
        return np.exp(_log_softmax(p)) * t.sum(axis=-1, keepdims=True) - t
    s = p.sum(axis=-1, keepdims=True)
    q = p / s
    g = -t / np.clip(q, EPSILON, ONE_MINUS_EPSILON) * _clip_mask(q, EPSILON, ONE_MINUS_EPSILON)
    return (g - (g * q).sum(axis=-1, keepdims=True)) / s


def _sparse_inputs(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool) -> tuple[np.ndarray, np.ndarray]:
    loss = "sparse categorical cross-entropy"
    t = _array(y_true, "y_true", loss)
    p = _array(y_pred, "y_pred", loss)
    if t.ndim == p.ndim and t.ndim > 0 and t.shape[-1] == 1:
        t = t[..., 0]  # labels of shape (n, 1), as Keras accepts
    if p.ndim == 0 or t.shape != p.shape[:-1]:
        hint = (" For one-hot labels use categorical cross-entropy."
                if t.shape == p.shape else "")
        raise ValueError(
            f"y_true has shape {t.shape} but y_pred has shape {p.shape} for {loss}; "
            f"y_true must hold one integer class index per row of y_pred, shape {p.shape[:-1]}.{hint}"
        )
    n_classes = p.shape[-1]
    bad = (t != np.round(t)) | (t < 0) | (t >= n_classes)
    if bad.any():
        raise ValueError(
            f"y_true must hold integer class indices 0 to {n_classes - 1} for {loss} "
            f"(y_pred has {n_classes} columns); found {_fmt(np.unique(t[bad])[:3].tolist())}."
        )
    if not from_logits:
        _check_range(p, "y_pred", loss, 0.0, 1.0, _PROB_HINT)
    return t.astype(np.int64), p


def sparse_categorical_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False) -> np.ndarray:
    r"""Sparse categorical cross-entropy, Keras ``"sparse_categorical_crossentropy"``: :math:`-\log \hat{p}_{y}`.

    The same loss as :func:`categorical_cross_entropy` with the label given as
    a class index instead of a one-hot row. Keras clips the probabilities to
    :math:`[\epsilon, 1-\epsilon]` first and then renormalizes each row.

    Args:
        y_true: integer class indices, shape ``(n,)`` (or ``(n, 1)``).
        y_pred: class probabilities, or logits if ``from_logits``; shape ``(n, c)``.
        from_logits: whether ``y_pred`` holds logits.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> sparse_categorical_cross_entropy([1], [[0.2, 0.7, 0.1]])   # array([0.35667494])
    """
    t, p = _sparse_inputs(y_true, y_pred, from_logits)
    z = p if from_logits else np.log(np.clip(p, EPSILON, ONE_MINUS_EPSILON))
    return -np.take_along_axis(_log_softmax(z), t[..., None], axis=-1)[..., 0]


def sparse_categorical_cross_entropy_grad(
    y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False
) -> np.ndarray:
    r"""Gradient of :func:`sparse_categorical_cross_entropy` with respect to ``y_pred``.

    For logits: :math:`\operatorname{softmax}(z) - \operatorname{onehot}(y)`. For
    probabilities (clipped to :math:`c`): :math:`1/\sum_j c_j - [j = y]/c_j`, 0 where clipped.

    Example:
        >>> sparse_categorical_cross_entropy_grad([1], [[0.0, 0.0]], from_logits=True)   # array([[ 0.5, -0.5]])
    """
    t, p = _sparse_inputs(y_true, y_pred, from_logits)
    onehot = np.zeros_like(p)
    np.put_along_axis(onehot, t[..., None], 1.0, axis=-1)
    if from_logits:
        return np.exp(_log_softmax(p)) - onehot
    c = np.clip(p, EPSILON, ONE_MINUS_EPSILON)
    grad = 1.0 / c.sum(axis=-1, keepdims=True) - onehot / c
    return grad * _clip_mask(p, EPSILON, ONE_MINUS_EPSILON)


def _kl_inputs(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    loss = "KL divergence"
    t, p = _pair(y_true, y_pred, loss)
    _check_range(t, "y_true", loss, 0.0, 1.0, "y_true must hold probabilities (one-hot rows, say).")
    _check_distribution(t, loss)
    _check_range(p, "y_pred", loss, 0.0, 1.0, "y_pred must hold probabilities (a softmax output).")
    return t, p


def kl_divergence(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Kullback-Leibler divergence, Keras ``"kl_divergence"``: :math:`\sum_c y_c \log(y_c / \hat{p}_c)`.

    Both arguments are clipped to :math:`[\epsilon, 1]` first, so zero entries of
    ``y_true`` contribute (almost) nothing. Note the sum, not the mean, over the
    last axis, as in Keras.

    Args:
        y_true: probabilities, shape ``(n, c)``.
        y_pred: probabilities, same shape.

    Returns:
        per-example losses, shape ``(n,)`` (a 1-D input is one distribution: a scalar).

    Example:
        >>> kl_divergence([[0, 1, 0]], [[0.2, 0.7, 0.1]])   # about array([0.35667494])
    """
    t, p = _kl_inputs(y_true, y_pred)
    tc = np.clip(t, EPSILON, 1.0)
    return (tc * np.log(tc / np.clip(p, EPSILON, 1.0))).sum(axis=-1)


def kl_divergence_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`kl_divergence`.

    :math:`-y_c / \hat{p}_c` (clipped values), 0 where :math:`\hat{p}_c` was clipped.

    Example:
        >>> kl_divergence_grad([[0.5, 0.5]], [[0.5, 0.5]])   # array([[-1., -1.]])
    """
    t, p = _kl_inputs(y_true, y_pred)
    tc = np.clip(t, EPSILON, 1.0)
    return -tc / np.clip(p, EPSILON, 1.0) * _clip_mask(p, EPSILON, 1.0)
