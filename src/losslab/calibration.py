r"""Calibration of a binary classifier: does a predicted 0.8 come true 8 times in 10?

A model's probabilities are *calibrated* when, among the examples given a
probability near :math:`p`, a share near :math:`p` belong to class 1.
Accuracy cannot see this: a model that says 0.51 for every positive and 0.49
for every negative is as accurate as one that says 0.99 and 0.01.

Measure: :func:`reliability_curve` (the points of a reliability diagram),
:func:`expected_calibration_error` (their weighted gap to the diagonal),
:func:`calibrated_ece` (the gap a perfectly calibrated model would still show
on this many examples) and :func:`brier_score` (the mean squared error of the
probabilities). Repair: :func:`platt_scaling` turns scores that are not
probabilities (a hinge model's output) into probabilities, and
:func:`prior_correction` undoes the shift that class weights cause.

Labels are 0/1 (convert -1/1 labels with ``(y + 1) // 2``); every function
takes numpy arrays of shape (n,) or (n, 1) and checks them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ReliabilityCurve", "reliability_curve", "expected_calibration_error", "calibrated_ece",
           "brier_score", "PlattScaling", "platt_scaling", "prior_correction"]


# ---------------------------------------------------------------- input checks
def _labels(y_true) -> np.ndarray:
    y = np.asarray(y_true, dtype=float).ravel()
    if y.size == 0:
        raise ValueError("y_true is empty; give one 0/1 label per example.")
    wrong = ~np.isin(y, (0.0, 1.0))
    if wrong.any():
        raise ValueError("y_true must contain only 0 and 1 (for -1/1 labels use (y + 1) // 2); "
                         f"found {np.unique(y[wrong])[:3].tolist()}.")
    return y


def _probabilities(y_prob, n: int) -> np.ndarray:
    p = np.asarray(y_prob, dtype=float).ravel()
    if p.size != n:
        raise ValueError(f"y_prob has {p.size} values for {n} labels; give one probability per example "
                         "(a model's output of shape (n, 1) is fine).")
    if not np.isfinite(p).all():
        raise ValueError("y_prob contains NaN or infinity.")
    if p.min() < 0.0 or p.max() > 1.0:
        raise ValueError(f"y_prob must be probabilities in [0, 1]; found {p.min():.3g} to {p.max():.3g}. "
                         "Scores or logits are not probabilities: calibrate them first (platt_scaling).")
    return p


def _edges(n_bins) -> np.ndarray:
    if isinstance(n_bins, bool) or not float(n_bins).is_integer() or n_bins < 1:
        raise ValueError(f"n_bins must be a positive whole number, e.g. 10; got {n_bins!r}.")
    return np.linspace(0.0, 1.0, int(n_bins) + 1)


# ---------------------------------------------------------------- measuring
@dataclass(frozen=True)
class ReliabilityCurve:
    """The points of a reliability diagram; each array has one entry per bin.

    Attributes:
        centres: the middle of each bin of predicted probability.
        mean_predicted: mean predicted probability of the bin's examples (NaN if none).
        observed: share of class-1 labels among them (NaN if none).
        counts: number of examples in the bin.
    """

    centres: np.ndarray
    mean_predicted: np.ndarray
    observed: np.ndarray
    counts: np.ndarray


def reliability_curve(y_true, y_prob, n_bins: int = 10) -> ReliabilityCurve:
    r"""Observed frequency of class 1 against mean predicted probability, in equal-width bins.

    Bin :math:`b` holds the examples whose probability falls in
    :math:`[\frac{b-1}{B}, \frac{b}{B})` (the last bin includes 1). For each,
    :math:`\bar p_b` is the mean predicted probability and :math:`\bar y_b` the
    share of positive labels. A calibrated model has :math:`\bar y_b \approx
    \bar p_b`: its points lie on the diagonal.

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, one per label.
        n_bins: number of bins :math:`B` of [0, 1].

    Returns:
        :class:`ReliabilityCurve`, arrays of shape (n_bins,).

    Example:
        >>> reliability_curve([0, 1, 1, 1], [0.1, 0.9, 0.8, 0.7], n_bins=2).observed
        array([0., 1.])
    """
    y = _labels(y_true)
    p = _probabilities(y_prob, y.size)
    edges = _edges(n_bins)
    k = len(edges) - 1
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, k - 1)  # p = 1: the last bin
    counts = np.bincount(index, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(index, weights=p, minlength=k) / counts
        observed = np.bincount(index, weights=y, minlength=k) / counts
    return ReliabilityCurve(centres=(edges[:-1] + edges[1:]) / 2, mean_predicted=mean_p,
                            observed=observed, counts=counts)


def expected_calibration_error(y_true, y_prob, n_bins: int = 10) -> float:
    r"""Expected calibration error (ECE), equal-width bins.

    .. math::

        \mathrm{ECE} = \sum_{b=1}^{B} \frac{n_b}{n}\,\bigl|\bar y_b - \bar p_b\bigr|

    with :math:`n_b` examples in bin :math:`b` (see :func:`reliability_curve`):
    the gap between what happened and what was predicted, bin by bin, weighted
    by the bin's share of the examples. 0 for a calibrated model on infinitely
    many examples; on :math:`n` examples even a calibrated model shows a gap of
    about :func:`calibrated_ece`. It does not measure how well the model
    separates the classes (a constant at the base rate has ECE 0).

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, one per label.
        n_bins: number of bins of [0, 1].

    Returns:
        the ECE, a float in [0, 1].

    Example:
        >>> round(expected_calibration_error([0, 1], [0.2, 0.6], n_bins=2), 3)   # (0.2 + 0.4) / 2
        0.3
    """
    curve = reliability_curve(y_true, y_prob, n_bins)
    filled = curve.counts > 0
    gaps = np.abs(curve.observed[filled] - curve.mean_predicted[filled])
    return float(np.sum(curve.counts[filled] * gaps) / curve.counts.sum())


def calibrated_ece(y_prob, n_bins: int = 10, *, draws: int = 200, seed: int = 0) -> float:
    r"""The ECE a perfectly calibrated model with these predictions would show, on average.

    Labels are drawn from the predictions themselves, :math:`y_i \sim
    \mathrm{Bernoulli}(p_i)`, ``draws`` times; the mean of their ECEs is the
    gap that sampling alone leaves on this many examples. An ECE near it is
    as small as this test set can show.

    Args:
        y_prob: predicted probabilities of class 1, shape (n,) or (n, 1).
        n_bins: number of bins, as in :func:`expected_calibration_error`.
        draws: how many label sets to draw.
        seed: seed of the random draws.

    Returns:
        the mean ECE over the draws.

    Example:
        >>> round(calibrated_ece(np.full(500, 0.3)), 2)   # one bin, 500 coin flips
        0.02
    """
    n = np.asarray(y_prob).size
    if n == 0:
        raise ValueError("y_prob is empty; give one probability per example.")
    p = _probabilities(y_prob, n)
    if isinstance(draws, bool) or int(draws) != draws or draws < 1:
        raise ValueError(f"draws must be a positive whole number, e.g. 200; got {draws!r}.")
    rng = np.random.default_rng(seed)
    labels = rng.uniform(size=(int(draws), p.size)) < p
    return float(np.mean([expected_calibration_error(y, p, n_bins) for y in labels.astype(float)]))


def brier_score(y_true, y_prob) -> float:
    r"""Brier score, the mean squared error of the probabilities: :math:`\frac{1}{n}\sum_i (p_i - y_i)^2`.

    A proper score: in expectation it is lowest for the true probabilities, so
    it rewards calibration and separation of the classes together. Always
    saying 0.5 scores 0.25.

    Args:
        y_true: 0/1 labels, shape (n,) or (n, 1).
        y_prob: predicted probabilities of class 1, one per label.

    Returns:
        the score, a float in [0, 1].

    Example:
        >>> brier_score([0, 1], [0.5, 0.5])
        0.25
    """
    y = _labels(y_true)
    p = _probabilities(y_prob, y.size)
    return float(np.mean((p - y) ** 2))


# ---------------------------------------------------------------- repairing
@dataclass(frozen=True)
class PlattScaling:
    r"""A fitted Platt scaling :math:`p = \sigma(a s + b)`; call it on scores to get probabilities.

    Attributes:
        a: the slope on the score.
        b: the intercept.
    """

    a: float
    b: float

    def __call__(self, scores) -> np.ndarray:
        """Probabilities for ``scores`` of any shape (same shape out)."""
        z = self.a * np.asarray(scores, dtype=float) + self.b
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid, without overflow


def platt_scaling(scores, y_true, *, steps: int = 100) -> PlattScaling:
    r"""Fit :math:`p = \sigma(a s + b)` to real-valued scores :math:`s` and 0/1 labels (Platt, 1999).

    The logistic regression of the labels on one feature, the score: ``a`` and
    ``b`` minimize the mean binary cross-entropy, found by Newton's method.
    Any score whose sign or size says the class (a hinge model's output, a
    logit) becomes a probability. Fit it on *validation* data: on the data the
    model was trained on, its scores look more reliable than they are.

    Args:
        scores: shape (n,) or (n, 1), finite.
        y_true: 0/1 labels, one per score; both classes must occur.
        steps: at most this many Newton steps (it stops once a step is tiny).

    Returns:
        :class:`PlattScaling`: ``platt(scores)`` gives probabilities.

    Example:
        >>> platt = platt_scaling([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0], [0, 0, 1, 0, 1, 1])
        >>> platt([-1.0, 0.0, 1.0]).round(3)      # in a chapter: fit on validation, apply to test
        array([0.206, 0.5  , 0.794])
    """
    y = _labels(y_true)
    s = np.asarray(scores, dtype=float).ravel()
    if s.size != y.size:
        raise ValueError(f"scores has {s.size} values for {y.size} labels; give one score per example.")
    if not np.isfinite(s).all():
        raise ValueError("scores contains NaN or infinity.")
    if y.min() == y.max():
        raise ValueError(f"platt_scaling needs both classes among the labels; all are {int(y[0])}.")
    features = np.column_stack([s, np.ones_like(s)])
    theta = np.zeros(2)
    for _ in range(int(steps)):
        p = 0.5 * (1.0 + np.tanh(0.5 * (features @ theta)))
        gradient = features.T @ (p - y) / y.size
        hessian = (features * (p * (1.0 - p))[:, None]).T @ features / y.size
        step = np.linalg.solve(hessian + 1e-9 * np.eye(2), gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return PlattScaling(a=float(theta[0]), b=float(theta[1]))


def prior_correction(y_prob, w_pos: float, w_neg: float = 1.0):
    r"""The probability a model trained with class weights would give without them.

    Weighting class 1 by :math:`w_+` and class 0 by :math:`w_-` is training on
    data in which class 1 is :math:`r = w_+ / w_-` times as frequent. A model
    that learns that data's probabilities predicts odds :math:`r` times the
    true odds; dividing the odds by :math:`r` undoes it:

    .. math::

        \frac{p}{1 - p} = \frac{1}{r}\,\frac{p_w}{1 - p_w}
        \quad\Longleftrightarrow\quad
        p = \frac{p_w}{p_w + r\,(1 - p_w)}.

    Args:
        y_prob: probabilities from the weighted model, any shape, in [0, 1].
        w_pos: weight of class 1, > 0.
        w_neg: weight of class 0, > 0.

    Returns:
        the corrected probabilities, same shape (a float for a scalar input).

    Example:
        >>> prior_correction(0.5, w_pos=9.0)    # odds 1 become 1/9
        0.1
    """
    for name, w in (("w_pos", w_pos), ("w_neg", w_neg)):
        if isinstance(w, bool) or not np.isfinite(w) or w <= 0:
            raise ValueError(f"{name} must be a positive class weight, e.g. 9.0; got {w!r}.")
    p = np.asarray(y_prob, dtype=float)
    if p.size == 0 or not np.isfinite(p).all() or p.min() < 0.0 or p.max() > 1.0:
        raise ValueError("y_prob must be probabilities in [0, 1], at least one.")
    r = w_pos / w_neg
    corrected = p / (p + r * (1.0 - p))
    return float(corrected) if corrected.ndim == 0 else corrected
