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
from numpy.typing import ArrayLike

EPSILON = 1e-7
"""Keras's fuzz factor, ``keras.config.epsilon()``."""

ONE_MINUS_EPSILON = float(np.float32(1.0) - np.float32(EPSILON))
"""The upper clipping bound as Keras meets it in float32: 1 - 1e-7 rounds to
1 - 1.19e-7, so a prediction of exactly 1 costs -log(1.19e-7) = 15.94, not 16.12."""


# --------------------------------------------------------------------------
# Input checks shared by every loss
# --------------------------------------------------------------------------

def _array(x: ArrayLike, name: str, loss: str) -> np.ndarray:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be an array of numbers for {loss}; got {type(x).__name__} "
            f"that numpy cannot turn into floats."
        ) from None
    if np.isnan(a).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(a))[0])
        raise ValueError(
            f"{name} contains NaN (first at index {where}) for {loss}. "
            "A NaN usually comes from an earlier division by zero or log of 0; "
            "find where it appears before computing the loss."
        )
    return a


def _pair(y_true: ArrayLike, y_pred: ArrayLike, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays as float64 with the same shape, as Keras pairs them."""
    t = _array(y_true, "y_true", loss)
    p = _array(y_pred, "y_pred", loss)
    if t.shape != p.shape:
        if t.shape + (1,) == p.shape or t.shape == p.shape + (1,):
            t = t.reshape(p.shape)  # Keras squeezes or expands a trailing 1
        else:
            raise ValueError(
                f"y_true has shape {t.shape} but y_pred has shape {p.shape} for {loss}; "
                "they must match (one row per example). A common cause is labels of "
                "shape (n,) against predictions of shape (n, k): one-hot encode the "
                "labels, or use the sparse loss for integer labels."
            )
    return t, p


def _check_range(a: np.ndarray, name: str, loss: str, low: float, high: float, hint: str) -> None:
    bad = (a < low) | (a > high)
    if bad.any():
        found = np.unique(a[bad])[:3].tolist()
        raise ValueError(
            f"{name} must lie in [{low:g}, {high:g}] for {loss}; found {_fmt(found)}. {hint}"
        )


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


_PROB_HINT = (
    "If these are raw scores (logits) from a layer without an activation, "
    "pass from_logits=True."
)


def _reduce(per_element: np.ndarray) -> np.ndarray:
    """Per-example loss: mean over the outputs of each example (last axis)."""
    return per_element if per_element.ndim <= 1 else per_element.mean(axis=-1)


def _scale_grad(grad: np.ndarray) -> np.ndarray:
    """Gradient of the mean over the last axis: each element weighs 1/k."""
    return grad if grad.ndim <= 1 else grad / grad.shape[-1]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid, finite for any z (no overflow in exp)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _clip_mask(p: np.ndarray, low: float, high: float) -> np.ndarray:
    """1 where clipping leaves p unchanged (its gradient passes), else 0."""
    return ((p >= low) & (p <= high)).astype(np.float64)


# --------------------------------------------------------------------------
# Regression losses
# --------------------------------------------------------------------------

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


def _positive(value: float, name: str, loss: str) -> float:
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number for {loss}; got {value!r}.")
    return float(value)


# --------------------------------------------------------------------------
# Binary classification
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Multi-class classification
# --------------------------------------------------------------------------

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
}
"""Keras's name of each loss -> (numpy loss, numpy gradient)."""
