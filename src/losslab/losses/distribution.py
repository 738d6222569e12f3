r"""Losses that predict more than a mean: Poisson, Gaussian with a variance, quantiles, MAPE.

Each returns per-example losses, as the other reference losses do, and has a
``<name>_grad`` with respect to ``y_pred`` (shape of ``y_pred``). Keras ships
``"poisson"`` and ``"mean_absolute_percentage_error"``; it has no Gaussian
negative log-likelihood with a predicted variance and no quantile (pinball)
loss, so :func:`gaussian_nll` and :func:`pinball` are the formulas a custom
Keras loss written with ``keras.ops`` must reproduce.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._common import EPSILON, _array, _pair, _reduce, _scale_grad, _sigmoid

LOG_2PI = float(np.log(2.0 * np.pi))
"""log(2 pi), the constant of the Gaussian log-density."""


# ---------------------------------------------------------------- Poisson
def _poisson_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    t, p = _pair(y_true, y_pred, "the Poisson loss")
    if (t < 0).any():
        raise ValueError(f"y_true must be counts (0, 1, 2, ...) for the Poisson loss; found a negative "
                         f"value {t[t < 0].flat[0]:g}. Do not standardize count targets.")
    if (p + EPSILON <= 0).any():
        raise ValueError(f"y_pred must be a positive rate for the Poisson loss; found {p[p + EPSILON <= 0].flat[0]:g}. "
                         "Use an output that cannot go negative: Dense(1, activation='exponential') or 'softplus'.")
    return t, p


def poisson(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Poisson negative log-likelihood as Keras computes it, ``"poisson"``.

    :math:`\frac{1}{k}\sum_j \big(\hat{y}_j - y_j \log(\hat{y}_j + \epsilon)\big)`, with
    :math:`\epsilon = 10^{-7}`. This is :math:`-\log P(y \mid \text{rate } \hat{y})` up to
    :math:`\log y!`, which does not depend on the prediction; it is smallest at
    :math:`\hat{y} = y` and, over many examples with the same input, at their mean.

    Args:
        y_true: counts, shape ``(n,)`` or ``(n, k)``; never negative.
        y_pred: predicted rates (means), same shape; positive.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> poisson([2.0], [2.0])   # array([0.61370564]): 2 - 2 log 2
    """
    t, p = _poisson_pair(y_true, y_pred)
    return _reduce(p - t * np.log(p + EPSILON))


def poisson_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`poisson`: :math:`\frac{1}{k}\big(1 - y_j / (\hat{y}_j + \epsilon)\big)`.

    With an exponential output :math:`\hat{y} = e^z` the chain rule gives
    :math:`\hat{y} - y` per output: the error itself, as for squared error.

    Example:
        >>> poisson_grad([2.0], [1.0])   # array([-1.]): predict more
    """
    t, p = _poisson_pair(y_true, y_pred)
    return _scale_grad(1.0 - t / (p + EPSILON))


# ---------------------------------------------------------------- Gaussian with a predicted variance
def _mean_and_raw(y_true: ArrayLike, y_pred: ArrayLike, loss: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = _array(y_true, "y_true", loss)
    p = _array(y_pred, "y_pred", loss)
    if p.ndim != 2 or p.shape[1] != 2:
        raise ValueError(f"y_pred must have shape (n, 2) for {loss}: one column for the mean and one for the "
                         f"variance (before softplus); got {p.shape}. Give the model Dense(2) as its last layer.")
    if t.shape not in ((len(p),), (len(p), 1)):
        raise ValueError(f"y_true must have shape ({len(p)},) or ({len(p)}, 1), one target per example, "
                         f"for {loss}; got {t.shape}.")
    return t.reshape(-1), p[:, 0], p[:, 1]


def _check_variance_options(min_variance: float, beta: float, loss: str) -> None:
    if not np.isfinite(min_variance) or min_variance <= 0:
        raise ValueError(f"min_variance must be a small positive number for {loss}, e.g. 1e-6; got {min_variance!r}.")
    if not np.isfinite(beta) or not 0 <= beta <= 1:
        raise ValueError(f"beta must lie in [0, 1] for {loss} (0: the plain likelihood, 0.5: beta-NLL, "
                         f"1: MSE-like steps for the mean); got {beta!r}.")


def gaussian_nll(y_true: ArrayLike, y_pred: ArrayLike, *, min_variance: float = 1e-6,
                 beta: float = 0.0) -> np.ndarray:
    r"""Gaussian negative log-likelihood with a predicted mean and variance.

    ``y_pred[:, 0]`` is the mean :math:`\mu`; ``y_pred[:, 1]`` is a raw score
    :math:`s` turned into a variance that is always positive,
    :math:`\sigma^2 = \operatorname{softplus}(s) + \sigma^2_{\min}`. Per example

    .. math::

        \tfrac12\Big(\log 2\pi + \log\sigma^2 + \frac{(y - \mu)^2}{\sigma^2}\Big).

    With ``beta > 0`` this is multiplied by :math:`(\sigma^2)^\beta` held
    constant in the gradient (:math:`\beta`-NLL): the mean's step then no
    longer shrinks by :math:`1/\sigma^2` where the predicted variance is large.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, 1)``.
        y_pred: ``(n, 2)``: mean and raw variance score.
        min_variance: the floor :math:`\sigma^2_{\min}` of the variance.
        beta: the exponent of :math:`\beta`-NLL, in [0, 1]; 0 for the plain likelihood.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> gaussian_nll([0.0], [[0.0, 0.5413]])   # sigma^2 = softplus(0.5413) = 1: 0.919 = log(2 pi) / 2
    """
    loss = "the Gaussian negative log-likelihood"
    t, mu, s = _mean_and_raw(y_true, y_pred, loss)
    _check_variance_options(min_variance, beta, loss)
    var = np.logaddexp(0.0, s) + min_variance
    nll = 0.5 * (LOG_2PI + np.log(var) + (t - mu) ** 2 / var)
    return nll * var**beta


def gaussian_nll_grad(y_true: ArrayLike, y_pred: ArrayLike, *, min_variance: float = 1e-6,
                      beta: float = 0.0) -> np.ndarray:
    r"""Gradient of :func:`gaussian_nll`, shape ``(n, 2)``.

    :math:`\partial/\partial\mu = (\sigma^2)^\beta(\mu - y)/\sigma^2` and
    :math:`\partial/\partial s = (\sigma^2)^\beta\,\tfrac12\big(1/\sigma^2 - (y-\mu)^2/\sigma^4\big)
    \operatorname{sigmoid}(s)`.

    Example:
        >>> gaussian_nll_grad([1.0], [[0.0, 0.5413]])   # about [[-1., 0.]]: sigma^2 = 1 fits an error of 1
    """
    loss = "the Gaussian negative log-likelihood"
    t, mu, s = _mean_and_raw(y_true, y_pred, loss)
    _check_variance_options(min_variance, beta, loss)
    var = np.logaddexp(0.0, s) + min_variance
    weight = var**beta
    d_mu = (mu - t) / var
    d_s = 0.5 * (1.0 / var - (t - mu) ** 2 / var**2) * _sigmoid(s)
    return np.stack([weight * d_mu, weight * d_s], axis=1)


def gaussian_variance(y_pred: ArrayLike, *, min_variance: float = 1e-6) -> np.ndarray:
    r"""The variance :math:`\operatorname{softplus}(s) + \sigma^2_{\min}` from ``y_pred[..., 1]``.

    Example:
        >>> gaussian_variance([[0.0, 0.5413]])   # array([1.])
    """
    p = _array(y_pred, "y_pred", "the Gaussian variance")
    if p.ndim < 1 or p.shape[-1] != 2:
        raise ValueError(f"y_pred must have 2 columns (mean, raw variance score); got shape {p.shape}.")
    return np.logaddexp(0.0, p[..., 1]) + min_variance


# ---------------------------------------------------------------- quantiles
def _quantile_pair(y_true: ArrayLike, y_pred: ArrayLike,
                   quantiles: float | Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    loss = "the pinball loss"
    p = _array(y_pred, "y_pred", loss)
    t = _array(y_true, "y_true", loss)
    q = np.atleast_1d(_array(quantiles, "quantiles", loss))
    if q.ndim != 1 or ((q <= 0) | (q >= 1)).any():
        raise ValueError(f"quantiles must lie strictly between 0 and 1 for the pinball loss, e.g. 0.9 or "
                         f"[0.1, 0.5, 0.9]; got {q.tolist()}.")
    if p.ndim == 1:
        p = p[:, None]
    if p.ndim != 2 or p.shape[1] != len(q):
        raise ValueError(f"y_pred must have one column per quantile for the pinball loss: shape (n, {len(q)}) "
                         f"for quantiles {q.tolist()}; got {p.shape}.")
    if t.shape not in ((len(p),), (len(p), 1)):
        raise ValueError(f"y_true must have shape ({len(p)},) or ({len(p)}, 1), one target per example, for the "
                         f"pinball loss; got {t.shape}.")
    return t.reshape(-1, 1), p, q


def pinball(y_true: ArrayLike, y_pred: ArrayLike, quantiles: float | Sequence[float] = 0.5) -> np.ndarray:
    r"""Quantile (pinball) loss, one column of ``y_pred`` per quantile.

    With :math:`e_j = y - \hat{y}_j` and quantile :math:`q_j`, each column costs
    :math:`\max(q_j e_j, (q_j - 1) e_j)`: :math:`q_j` per unit of
    under-prediction, :math:`1 - q_j` per unit of over-prediction; averaged
    over the columns. Minimized by the :math:`q_j`-quantile of the targets;
    ``quantiles=0.5`` gives half the absolute error.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, 1)``.
        y_pred: ``(n, k)``, one column per quantile (``(n,)`` when k = 1).
        quantiles: a quantile or a list of k, each strictly between 0 and 1.

    Returns:
        per-example losses, shape ``(n,)``.

    Example:
        >>> pinball([1.0], [0.0], 0.9)   # array([0.9]): under-predicting the 0.9-quantile costs 0.9 per unit
    """
    t, p, q = _quantile_pair(y_true, y_pred, quantiles)
    e = t - p
    return np.maximum(q * e, (q - 1.0) * e).mean(axis=1)


def pinball_grad(y_true: ArrayLike, y_pred: ArrayLike, quantiles: float | Sequence[float] = 0.5) -> np.ndarray:
    r"""Gradient of :func:`pinball`: :math:`-q_j/k` where :math:`y \ge \hat{y}_j`, else :math:`(1 - q_j)/k`.

    At :math:`y = \hat{y}_j` it is :math:`-q_j/k`, as TensorFlow's ``maximum``
    passes a tie's gradient to its first argument (:math:`q_j e_j`).

    Example:
        >>> pinball_grad([1.0], [0.0], 0.9)   # array([-0.9])
    """
    t, p, q = _quantile_pair(y_true, y_pred, quantiles)
    grad = np.where(t - p >= 0, -q, 1.0 - q) / p.shape[1]
    return grad[:, 0] if np.ndim(y_pred) == 1 else grad


# ---------------------------------------------------------------- MAPE
def mape(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Mean absolute percentage error, Keras ``"mape"``.

    :math:`\frac{100}{k}\sum_j \frac{|y_j - \hat{y}_j|}{\max(|y_j|, \epsilon)}`. An
    error on a small target costs more than the same error on a large one, and
    predicting 0 for a positive target costs exactly 100 while over-predicting
    has no ceiling: the constant that minimizes it sits below the median.

    Args:
        y_true: targets, shape ``(n,)`` or ``(n, k)``; best all of one sign and far from 0.
        y_pred: predictions, same shape.

    Returns:
        per-example losses in percent, shape ``(n,)``.

    Example:
        >>> mape([10.0, 10.0], [5.0, 20.0])   # array([ 50., 100.])
    """
    t, p = _pair(y_true, y_pred, "mean absolute percentage error")
    return _reduce(100.0 * np.abs(t - p) / np.maximum(np.abs(t), EPSILON))


def mape_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`mape`: :math:`\frac{100}{k}\operatorname{sign}(\hat{y}_j - y_j)/\max(|y_j|, \epsilon)`.

    Example:
        >>> mape_grad([10.0, 1.0], [20.0, 2.0])   # array([ 10., 100.]): small targets pull hardest
    """
    t, p = _pair(y_true, y_pred, "mean absolute percentage error")
    return _scale_grad(100.0 * np.sign(p - t) / np.maximum(np.abs(t), EPSILON))
