r"""Calibration: does a predicted probability of 0.8 come true 8 times in 10?

A binary classifier is *calibrated* when, among the examples it gives a
probability near :math:`p`, a share near :math:`p` are positive. Accuracy
cannot see this; these functions measure it (:func:`expected_calibration_error`,
:func:`brier_score`, :func:`reliability_curve`) and repair it
(:func:`platt_scaling` for scores that are not probabilities,
:func:`prior_correction` for probabilities trained with class weights).
All work on numpy arrays; labels are 0/1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ReliabilityCurve", "expected_calibration_error", "brier_score", "reliability_curve",
           "platt_scaling", "prior_correction"]


def _labels(y_true, what: str = "y_true") -> np.ndarray:
    y = np.asarray(y_true, dtype=float).ravel()
    if y.size == 0:
        raise ValueError(f"{what} is empty; give one 0/1 label per example.")
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        raise ValueError(f"{what} must contain only 0 and 1 (convert -1/1 labels with (y + 1) / 2); "
                         f"found {np.unique(y[bad])[:3].tolist()}.")
    return y


def _probabilities(y_prob, n: int, what: str = "y_prob") -> np.ndarray:
    p = np.asarray(y_prob, dtype=float).ravel()
    if p.size != n:
        raise ValueError(f"{what} has {p.size} values but there are {n} labels; give one probability "
                         "per example (a model output of shape (n, 1) is fine).")
    if not np.isfinite(p).all():
        raise ValueError(f"{what} contains NaN or infinity.")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"{what} must be probabilities in [0, 1]; found values from {p.min():.3g} to "
                         f"{p.max():.3g} (scores or logits? calibrate them first, e.g. platt_scaling).")
    return p


def _bins(n_bins: int) -> np.ndarray:
    if isinstance(n_bins, bool) or int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, e.g. 10; got {n_bins!r}.")
    return np.linspace(0.0, 1.0, int(n_bins) + 1)


def _bin_index(p: np.ndarray, edges: np.ndarray) -> np.ndarray:
    # bins [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]: the last bin includes 1
    return np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)


@dataclass(frozen=True)
class ReliabilityCurve:
    """What :func:`reliability_curve` returns; every array has one entry per bin.

    Attributes:
        centres: the middle of each equal-width bin of predicted probability.
        mean_predicted: mean predicted probability of the examples in the bin (NaN if empty).
        observed: share of positive labels among them (NaN if empty).
        counts: number of examples in the bin.
    """

    centres: np.ndarray
    mean_predicted: np.ndarray
    observed: np.ndarray
    counts: np.ndarray


def reliability_curve(y_true, y_prob, n_bins: int = 10) -> ReliabilityCurve:
    r"""Observed frequency of the positive class against predicted probability, per bin.

    The predictions are put into ``n_bins`` equal-width bins :math:`B_b` of
    :math:`[0, 1]`; for each bin, :math:`\bar p_b = \frac{1}{|B_b|}\sum_{i \in B_b} p_i`
    and :math:`\bar y_b = \frac{1}{|B_b|}\sum_{i \in B_b} y_i`. A calibrated
    model has :math:`\bar y_b \approx \bar p_b`: its points lie on the diagonal.

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, same number of examples.
        n_bins: number of equal-width bins.

    Returns:
        :class:`ReliabilityCurve` of arrays of shape (n_bins,).

    Example:
        >>> reliability_curve([0, 1, 1, 1], [0.1, 0.9, 0.8, 0.7], n_bins=2).observed
        array([0., 1.])
    """
    y = _labels(y_true)
    p = _probabilities(y_prob, y.size)
    edges = _bins(n_bins)
    index = _bin_index(p, edges)
    counts = np.bincount(index, minlength=len(edges) - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(index, weights=p, minlength=len(edges) - 1) / counts
        observed = np.bincount(index, weights=y, minlength=len(edges) - 1) / counts
    return ReliabilityCurve(centres=(edges[:-1] + edges[1:]) / 2, mean_predicted=mean_p,
                            observed=observed, counts=counts)


def expected_calibration_error(y_true, y_prob, n_bins: int = 10) -> float:
    r"""Expected calibration error (ECE) with equal-width bins.

    .. math::

        \mathrm{ECE} = \sum_{b=1}^{B} \frac{|B_b|}{n}\,\big|\bar y_b - \bar p_b\big|,

    the gap between observed frequency and mean predicted probability in each
    bin, weighted by the share of examples in the bin. 0 for a calibrated
    model; it ignores how well the model separates the classes.

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, same number of examples.
        n_bins: number of equal-width bins of [0, 1].

    Returns:
        the ECE, a float in [0, 1].

    Example:
        >>> expected_calibration_error([0, 1], [0.2, 0.6], n_bins=2)   # (0.2 + 0.4) / 2
        0.3
    """
    curve = reliability_curve(y_true, y_prob, n_bins)
    filled = curve.counts > 0
    gaps = np.abs(curve.observed[filled] - curve.mean_predicted[filled])
    return float(np.sum(curve.counts[filled] * gaps) / curve.counts.sum())


def brier_score(y_true, y_prob) -> float:
    r"""Brier score, the mean squared error of the probabilities: :math:`\frac{1}{n}\sum_i (p_i - y_i)^2`.

    A proper score: it is lowest, in expectation, for the true probabilities,
    so it rewards both separating the classes and being calibrated.

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, same number of examples.

    Returns:
        the score, a float in [0, 1].

    Example:
        >>> brier_score([0, 1], [0.5, 0.5])
        0.25
    """
    y = _labels(y_true)
    p = _probabilities(y_prob, y.size)
    return float(np.mean((p - y) ** 2))


def platt_scaling(scores, y_true, *, steps: int = 100) -> Callable[[np.ndarray], np.ndarray]:
    r"""Fit :math:`p = \sigma(a s + b)` to scores :math:`s` and 0/1 labels; return that function.

    Platt's method turns any score whose sign or size says the class (a hinge
    model's output, a logit) into a probability: the one-feature logistic
    regression of the labels on the score, fitted by Newton's method on the
    mean binary cross-entropy. Fit it on *validation* data, never on the data
    the scores' model was trained on, which it fits too confidently.

    Args:
        scores: real-valued scores, shape (n,) or (n, 1).
        y_true: 0/1 labels, same number of examples; both classes must occur.
        steps: at most this many Newton steps (it stops when the step is tiny).

    Returns:
        a function mapping scores of any shape to probabilities of the same shape,
        with the fitted ``a`` and ``b`` as its attributes ``a`` and ``b``.

    Example:
        >>> calibrate = platt_scaling(val_scores, y_val); p_test = calibrate(test_scores)
    """
    y = _labels(y_true)
    s = np.asarray(scores, dtype=float).ravel()
    if s.size != y.size:
        raise ValueError(f"scores has {s.size} values but there are {y.size} labels; give one score per example.")
    if not np.isfinite(s).all():
        raise ValueError("scores contains NaN or infinity.")
    if y.min() == y.max():
        raise ValueError("platt_scaling needs both classes among the labels; found only "
                         f"{int(y[0])}.")
    features = np.stack([s, np.ones_like(s)], axis=1)
    theta = np.zeros(2)
    for _ in range(int(steps)):
        p = 1.0 / (1.0 + np.exp(-np.clip(features @ theta, -500, 500)))
        gradient = features.T @ (p - y) / y.size
        hessian = (features * (p * (1 - p))[:, None]).T @ features / y.size + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    a, b = float(theta[0]), float(theta[1])

    def calibrate(new_scores):
        z = a * np.asarray(new_scores, dtype=float) + b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))

    calibrate.a, calibrate.b = a, b
    return calibrate


def prior_correction(y_prob, w_pos: float, w_neg: float = 1.0) -> np.ndarray:
    r"""Undo class weights: the probability the model would give without them.

    Training with weight :math:`w_+` on positives and :math:`w_-` on negatives
    is training on data where positives are :math:`w_+/w_-` times as common, so
    a calibrated weighted model predicts odds :math:`\frac{p_w}{1-p_w} = \frac{w_+}{w_-}\,\frac{p}{1-p}`.
    Dividing the odds by :math:`w_+/w_-` gives back

    .. math::

        p = \frac{p_w / r}{p_w / r + 1 - p_w}, \qquad r = w_+ / w_-.

    Args:
        y_prob: probabilities from the weighted model, any shape, in [0, 1].
        w_pos: weight of the positive class (class 1), > 0.
        w_neg: weight of the negative class (class 0), > 0.

    Returns:
        corrected probabilities, same shape.

    Example:
        >>> round(prior_correction(0.5, w_pos=9.0), 3)    # odds 1 -> 1/9
        0.1
    """
    for name, w in (("w_pos", w_pos), ("w_neg", w_neg)):
        if not np.isfinite(w) or w <= 0:
            raise ValueError(f"{name} must be a positive class weight, e.g. 9.0; got {w!r}.")
    p = np.asarray(y_prob, dtype=float)
    if not np.isfinite(p).all() or p.min(initial=0.0) < 0 or p.max(initial=1.0) > 1:
        raise ValueError("y_prob must be probabilities in [0, 1].")
    r = w_pos / w_neg
    corrected = (p / r) / (p / r + 1.0 - p)
    return corrected if corrected.ndim else float(corrected)
