"""Input checks and numerical pieces shared by the reference losses."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

EPSILON = 1e-7
"""Keras's fuzz factor, ``keras.config.epsilon()``."""

ONE_MINUS_EPSILON = float(np.float32(1.0) - np.float32(EPSILON))
"""The upper clipping bound as Keras meets it in float32: 1 - 1e-7 rounds to
1 - 1.19e-7, so a prediction of exactly 1 costs -log(1.19e-7) = 15.94, not 16.12."""


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


def _positive(value: float, name: str, loss: str) -> float:
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number for {loss}; got {value!r}.")
    return float(value)

