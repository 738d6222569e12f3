r"""Keras's other built-in losses, in numpy: the references behind the appendix "Every Keras loss".

Each function computes what the Keras function of the same name computes in
Keras 3.15.1 (``keras/src/losses/losses.py``), clipping and small constants
included, so ``tests/test_keras_losses.py`` can check the page's formula
against Keras to float32 rounding. Shapes follow Keras: ``y_pred`` of shape
``(n, k)`` gives one loss per example, shape ``(n,)``, except where noted
(Dice and Tversky reduce over every axis unless given ``axis``; Circle
compares every pair of examples in the batch).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._common import EPSILON, ONE_MINUS_EPSILON, _array, _check_range, _pair, _positive, _sigmoid

__all__ = [
    "binary_focal_cross_entropy",
    "categorical_focal_cross_entropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "dice",
    "tversky",
]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cosine_similarity(y_true: ArrayLike, y_pred: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Negative cosine similarity, Keras ``"cosine_similarity"``.

    .. math:: \ell = -\frac{y \cdot \hat{y}}{\max(\lVert y\rVert, \epsilon)\,\max(\lVert \hat{y}\rVert, \epsilon)}

    From -1 (same direction) to 1 (opposite); 0 when either vector is zero.
    Only the direction of ``y_pred`` counts, not its length.

    Example:
        >>> cosine_similarity([[0.0, 1.0]], [[0.0, 3.0]])   # array([-1.])
    """
    t, p = _pair(y_true, y_pred, "cosine similarity")

    def unit(a):
        return a / np.maximum(np.sqrt(np.sum(a * a, axis=axis, keepdims=True)), EPSILON)

    return -np.sum(unit(t) * unit(p), axis=axis)


def categorical_hinge(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Categorical hinge, Keras ``"categorical_hinge"``: a margin between the true class's score and the best other.

    .. math:: \ell = \max\big(0,\ 1 + \max_{c}\,(1 - y_c)\,s_c - \textstyle\sum_c y_c s_c\big)

    for one-hot rows :math:`y` and scores :math:`s` (logits or any real
    outputs). Zero once the true class's score beats every other by 1.
    (Note the :math:`\max` runs over :math:`(1-y_c) s_c`, so the true class
    enters it as 0: with every score negative, the best "other" is 0.)

    Example:
        >>> categorical_hinge([[0, 1, 0]], [[0.2, 1.5, 0.1]])   # array([0.])
    """
    t, p = _pair(y_true, y_pred, "categorical hinge")
    pos = np.sum(t * p, axis=-1)
    neg = np.max((1.0 - t) * p, axis=-1)
    return np.maximum(neg - pos + 1.0, 0.0)


def binary_focal_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, *, gamma: float = 2.0,
                               alpha: float = 0.25, apply_class_balancing: bool = False,
                               from_logits: bool = False, label_smoothing: float = 0.0) -> np.ndarray:
    r"""Binary focal cross-entropy, Keras ``"binary_focal_crossentropy"``.

    .. math:: \ell = (1 - p_t)^\gamma\,\mathrm{BCE}(y, \hat{p}), \qquad p_t = y\hat{p} + (1-y)(1-\hat{p}),

    averaged over the last axis; with ``apply_class_balancing`` each element
    is also weighted by :math:`\alpha` (label 1) or :math:`1-\alpha` (label 0).
    Well-classified elements (:math:`p_t` near 1) are down-weighted. Label
    smoothing moves labels to :math:`y(1-s) + s/2`. The BCE is Keras's: from
    probabilities clipped to :math:`[\epsilon, 1-\epsilon]`, or exact from
    the logits with ``from_logits`` (then :math:`\hat{p} = \sigma(z)` in
    :math:`p_t`).

    Example:
        >>> binary_focal_cross_entropy([[0, 1]], [[0.6, 0.4]])   # array([0.33...])
    """
    t, p = _pair(y_true, y_pred, "binary focal cross-entropy")
    _check_range(t, "y_true", "binary focal cross-entropy", 0.0, 1.0, "Labels are 0 or 1 here.")
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = np.maximum(p, 0.0) - p * t + np.log1p(np.exp(-np.abs(p)))
        p = _sigmoid(p)
    else:
        _check_range(p, "y_pred", "binary focal cross-entropy", 0.0, 1.0,
                     "If these are logits, pass from_logits=True.")
        c = np.clip(p, EPSILON, ONE_MINUS_EPSILON)
        bce = -(t * np.log(c) + (1.0 - t) * np.log(1.0 - c))
    p_t = t * p + (1.0 - t) * (1.0 - p)
    focal = (1.0 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal = (t * alpha + (1.0 - t) * (1.0 - alpha)) * focal
    return focal if focal.ndim <= 1 else focal.mean(axis=-1)


def categorical_focal_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, *, gamma: float = 2.0,
                                    alpha: float = 0.25, from_logits: bool = False,
                                    label_smoothing: float = 0.0) -> np.ndarray:
    r"""Categorical focal cross-entropy, Keras ``"categorical_focal_crossentropy"``.

    .. math:: \ell = -\sum_c \alpha\,(1 - \hat{p}_c)^\gamma\, y_c \log \hat{p}_c

    with :math:`\hat{p}` rescaled to sum to 1 and clipped to
    :math:`[\epsilon, 1-\epsilon]`; with ``from_logits`` a softmax comes first.
    Label smoothing moves one-hot rows to :math:`y(1-s) + s/C`. With
    :math:`\gamma = 0` it is :math:`\alpha` times categorical cross-entropy
    (note Keras's default :math:`\alpha = 0.25` scales the whole loss).

    Example:
        >>> categorical_focal_cross_entropy([[0, 1, 0]], [[0.05, 0.9, 0.05]])   # array([0.000263...])
    """
    t, p = _pair(y_true, y_pred, "categorical focal cross-entropy")
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits:
        p = _softmax(p)
    out = np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, ONE_MINUS_EPSILON)
    return np.sum(alpha * (1.0 - out) ** gamma * -t * np.log(out), axis=-1)


def categorical_generalized_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, q: float = 0.5) -> np.ndarray:
    r"""Generalized cross-entropy, Keras ``CategoricalGeneralizedCrossEntropy`` (Zhang and Sabuncu, 2018).

    .. math:: \ell = \frac{1 - \hat{p}_y^{\,q}}{q}, \qquad 0 < q < 1,

    for integer labels :math:`y` and probabilities :math:`\hat{p}`. As
    :math:`q \to 0` it tends to cross-entropy :math:`-\log \hat{p}_y`; at
    :math:`q = 1` it is :math:`1 - \hat{p}_y`, the mean absolute error against
    a one-hot row up to a factor :math:`2/C`. Its gradient with respect to
    the logits is :math:`\hat{p}_y^{\,q}` times cross-entropy's: an example
    the model finds very unlikely (perhaps a wrong label) pushes less. So
    does a hard example whose label is right, which is why GCE learns more
    slowly than cross-entropy and can underfit.

    Args:
        y_true: integer class indices, shape ``(n,)`` (not one-hot).
        y_pred: probabilities, shape ``(n, C)``.
        q: in (0, 1); Keras's default is 0.5.

    Example:
        >>> categorical_generalized_cross_entropy([1], [[0.2, 0.8]])   # array([0.2111...])
    """
    name = "generalized cross-entropy"
    p = _array(y_pred, "y_pred", name)
    labels = _array(y_true, "y_true", name)
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must lie in (0, 1) for {name}, as Keras requires; got {q!r}.")
    if p.ndim != 2 or labels.shape != p.shape[:1]:
        raise ValueError(f"{name} takes integer labels of shape (n,) and probabilities of shape (n, C); "
                         f"got {labels.shape} and {p.shape}. One-hot labels: pass y.argmax(axis=1); "
                         "labels of shape (n, 1): pass y.ravel() (Keras would silently broadcast them "
                         "to an (n, n) table).")
    if not np.all((labels == np.round(labels)) & (labels >= 0) & (labels < p.shape[1])):
        raise ValueError(f"y_true must hold class indices 0 to {p.shape[1] - 1} for {name}.")
    p_true = p[np.arange(len(p)), labels.astype(int)]
    return (1.0 - p_true**q) / q


def dice(y_true: ArrayLike, y_pred: ArrayLike, axis=None) -> np.ndarray:
    r"""Dice loss, Keras ``"dice"``: one minus the soft overlap of prediction and target.

    .. math:: \ell = 1 - \frac{2\sum y\hat{y}}{\sum y + \sum \hat{y} + \epsilon}

    The sums run over ``axis`` (every axis by default: one number for the
    whole batch; ``axis=(1, 2, 3)`` for one loss per image of a batch of
    masks).

    Example:
        >>> dice([[1.0, 0.0]], [[1.0, 0.0]])   # 1 - 2/(2 + 1e-7): about 0
    """
    t, p = _pair(y_true, y_pred, "Dice loss")
    return 1.0 - 2.0 * np.sum(t * p, axis=axis) / (np.sum(t, axis=axis) + np.sum(p, axis=axis) + EPSILON)


def tversky(y_true: ArrayLike, y_pred: ArrayLike, alpha: float = 0.5, beta: float = 0.5,
            axis=None) -> np.ndarray:
    r"""Tversky loss, Keras ``"tversky"``, as Keras 3.15.1 computes it.

    .. math::

        \ell = 1 - \frac{\sum y\hat{y}}
                        {\sum y\hat{y} + \alpha \sum y(1-\hat{y}) + \beta \sum (1-y)\hat{y} + \epsilon}

    In Keras's code :math:`\alpha` multiplies :math:`\sum y(1-\hat{y})`, the
    missed positives, and :math:`\beta` the false alarms (its docstring
    says the opposite). With :math:`\alpha = \beta = 0.5` it is the Dice loss
    up to the :math:`\epsilon` term.

    Example:
        >>> tversky([[1.0, 1.0, 0.0]], [[1.0, 0.0, 0.0]], alpha=1.0, beta=0.0)   # 1 - 1/2
    """
    t, p = _pair(y_true, y_pred, "Tversky loss")
    tp = np.sum(t * p, axis=axis)
    missed = np.sum((1.0 - p) * t, axis=axis)
    false_alarm = np.sum(p * (1.0 - t), axis=axis)
    return 1.0 - tp / (tp + alpha * missed + beta * false_alarm + EPSILON)


def circle(y_true: ArrayLike, y_pred: ArrayLike, *, gamma: float = 80.0, margin: float = 0.4,
           remove_diagonal: bool = True) -> np.ndarray:
    r"""Circle loss (Sun et al., 2020), Keras ``"circle"``: metric learning on unit-length embeddings.

    For example :math:`i`, with cosine distances :math:`d_{ij} = \max(0, 1 - e_i \cdot e_j)`
    to the other examples of the batch, positives :math:`P_i` (same label,
    :math:`j \ne i`) and negatives :math:`N_i` (other labels), and margin :math:`m`:

    .. math::

        \ell_i = \operatorname{softplus}\Big(
            \log\sum_{j \in P_i} e^{-\gamma\,[m + d_{ij}]_+\,(m - d_{ij})}
          + \log\sum_{j \in N_i} e^{\gamma\,[1 + m - d_{ij}]_+\,(1 - m - d_{ij})}\Big)

    Args:
        y_true: integer labels, shape ``(n,)``.
        y_pred: L2-normalized embeddings, shape ``(n, d)``.

    Returns:
        one loss per example, shape ``(n,)``; an example with no positive or
        no negative in the batch gets ``softplus(-inf) = 0``.

    Example:
        >>> e = np.eye(2)[[0, 0, 1]]           # two identical embeddings of class 0, one of class 1
        >>> circle([0, 0, 1], e)               # small for the first two
    """
    name = "Circle loss"
    e = _array(y_pred, "y_pred", name)
    labels = _array(y_true, "y_true", name).astype(int).ravel()
    if e.ndim != 2 or len(labels) != len(e):
        raise ValueError(f"{name} takes integer labels of shape (n,) and embeddings of shape (n, d); "
                         f"got {labels.shape} and {e.shape}.")
    _positive(gamma, "gamma", name)
    d = np.maximum(1.0 - e @ e.T, 0.0)
    positive = labels[:, None] == labels[None, :]
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(len(e), dtype=bool)
    pos_w = np.maximum((margin + d) * positive, 0.0)
    neg_w = np.maximum((1.0 + margin - d) * negative, 0.0)
    pos_logits = np.where(positive, -gamma * pos_w * (margin - d), -np.inf)
    neg_logits = np.where(negative, gamma * neg_w * (1.0 - margin - d), -np.inf)

    def logsumexp(a):
        top = a.max(axis=1, keepdims=True)
        safe = np.where(np.isfinite(top), top, 0.0)
        with np.errstate(divide="ignore"):
            return (safe + np.log(np.exp(a - safe).sum(axis=1, keepdims=True)))[:, 0]

    s = logsumexp(pos_logits) + logsumexp(neg_logits)
    return np.where(np.isfinite(s), np.maximum(s, 0.0) + np.log1p(np.exp(-np.abs(s))), 0.0)
