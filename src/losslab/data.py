"""The book's datasets, generated (never downloaded) with fixed settings.

Every generator returns ``(x_train, y_train), (x_test, y_test)`` like
``keras.datasets``, split 50/50 in the order the samples were generated: the
first 500 of the 1000 samples train, the last 500 test. ``xor`` has no split.

With ``validation=True`` a generator draws 1500 samples instead and returns
three splits of 500, ``(train, validation, test)``: the book's fair
comparisons choose each contender's learning rate on the validation split and
report the test split only once.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_blobs, make_circles, make_regression

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

N_SAMPLES = 1000
N_TRAIN = 500


N_SAMPLES_WITH_VALIDATION = 1500


def _split(x: np.ndarray, y: np.ndarray, n_train: int = N_TRAIN) -> Split:
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def _thirds(x: np.ndarray, y: np.ndarray):
    k = len(x) // 3
    return (x[:k], y[:k]), (x[k:2 * k], y[k:2 * k]), (x[2 * k:], y[2 * k:])


def _n_samples(validation: bool) -> int:
    if not isinstance(validation, bool):
        raise ValueError(f"validation must be True or False; got {validation!r}.")
    return N_SAMPLES_WITH_VALIDATION if validation else N_SAMPLES


def _standardize(a: np.ndarray) -> np.ndarray:
    """Subtract the mean and divide by the standard deviation, per column."""
    return (a - a.mean(axis=0)) / a.std(axis=0)


def regression(standardize_target: bool = True, *, noise: float = 0.1, validation: bool = False) -> Split:
    r"""The regression problem: 20 Gaussian features, 10 of them informative.

    ``make_regression(n_samples=1000, n_features=20, noise=noise, random_state=1)``,
    every feature standardized, :math:`x' = (x - \bar{x}) / s_x`, and the
    target too unless ``standardize_target=False``. As in the tutorial the
    scaling statistics come from all the samples. The tutorial's ``noise=0.1``
    is a noise standard deviation of 0.1 on a target whose standard deviation
    is about 140: practically noise-free. With ``noise=50`` about 8 % of the
    target's variance is noise (measured on the 1500 examples of
    ``validation=True``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with ``x`` of shape (500, 20)
        and ``y`` of shape (500,), all float32.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = regression()
    """
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise is a standard deviation: a number >= 0; got {noise!r}.")
    x, y = make_regression(n_samples=_n_samples(validation), n_features=20, noise=noise, random_state=1)
    x = _standardize(x)
    if standardize_target:
        y = _standardize(y)
    x, y = x.astype(np.float32), y.astype(np.float32)
    return _thirds(x, y) if validation else _split(x, y)


def circles(*, validation: bool = False) -> Split:
    """Two concentric circles of points, labels 0 (outer) and 1 (inner).

    ``make_circles(n_samples=1000, noise=0.1, random_state=1)``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with ``x`` of shape (500, 2)
        float32 and ``y`` of shape (500,) int64 in {0, 1}.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = circles()
    """
    x, y = make_circles(n_samples=_n_samples(validation), noise=0.1, random_state=1)
    x, y = x.astype(np.float32), y.astype(np.int64)
    return _thirds(x, y) if validation else _split(x, y)


def imbalanced_circles(positive_share: float = 0.1, n_negative: int = 1000, *,
                       validation: bool = False) -> Split:
    """The circles problem with a rare positive class (the inner ring).

    From ``make_circles(n_samples=2 * n_negative, noise=0.1, random_state=1)``
    keep every outer-ring point (label 0) and only as many inner-ring points
    (label 1) as make up ``positive_share`` of the result; shuffle with a fixed
    seed and split 50/50.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``; with the defaults 1111 points,
        10% of them positive, 555 for training.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = imbalanced_circles(0.1)   # 1 positive in 10
    """
    if not 0.0 < positive_share < 0.5:
        raise ValueError(f"positive_share must be between 0 and 0.5 (a minority class); got {positive_share!r}.")
    x, y = make_circles(n_samples=2 * n_negative, noise=0.1, random_state=1)
    n_positive = int(round(n_negative * positive_share / (1.0 - positive_share)))
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:n_positive]])
    keep = np.random.default_rng(0).permutation(keep)
    x, y = x[keep].astype(np.float32), y[keep].astype(np.int64)
    if _n_samples(validation) == N_SAMPLES_WITH_VALIDATION:
        return _thirds(x, y)
    return _split(x, y, n_train=len(keep) // 2)


def blobs(*, validation: bool = False) -> Split:
    """Three Gaussian blobs in the plane, labels 0, 1 and 2.

    ``make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2,
    random_state=2)``; features left unscaled, as in the tutorial.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with ``x`` of shape (500, 2)
        float32 and ``y`` of shape (500,) int64 in {0, 1, 2}.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = blobs()
    """
    x, y = make_blobs(n_samples=_n_samples(validation), centers=3, n_features=2, cluster_std=2,
                      random_state=2)
    x, y = x.astype(np.float32), y.astype(np.int64)
    return _thirds(x, y) if validation else _split(x, y)


def xor() -> tuple[np.ndarray, np.ndarray]:
    r"""The four points of XOR: :math:`y = x_1 \oplus x_2`.

    Returns:
        ``(x, y)``: ``x`` of shape (4, 2) float32, ``y`` of shape (4,) int64.

    Example:
        >>> x, y = xor()   # y is [0, 1, 1, 0]
    """
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return x, y


def to_hinge_labels(y: np.ndarray) -> np.ndarray:
    r"""Map 0/1 labels to the -1/1 labels hinge losses are written for: :math:`2y - 1`.

    Args:
        y: array of 0s and 1s, any shape.

    Returns:
        float32 array of -1s and 1s, same shape.

    Example:
        >>> to_hinge_labels(np.array([0, 1]))   # array([-1.,  1.])
    """
    y = np.asarray(y)
    if y.size and not np.isin(y, (0, 1)).all():
        found = np.unique(y[~np.isin(y, (0, 1))])[:5].tolist()
        raise ValueError(
            f"to_hinge_labels expects labels 0 and 1; found {found}. "
            "Labels that are already -1/1 need no conversion."
        )
    return (2 * y - 1).astype(np.float32)


def contaminate(y: np.ndarray, share: float, *, size: float = 10.0, seed: int = 0) -> np.ndarray:
    r"""A copy of ``y`` with a ``share`` of its entries turned into outliers.

    The chosen entries get :math:`y_i \pm \text{size}` (random sign), e.g.
    10 standard deviations away for a standardized target. Which entries and
    which signs depend only on ``seed``, so every model sees the same data.

    Args:
        y: targets, shape ``(n,)``.
        share: fraction of entries to corrupt, in [0, 1).
        size: how far each outlier is moved.
        seed: seed of the choice.

    Returns:
        the corrupted copy, same shape and dtype.

    Example:
        >>> y_dirty = contaminate(y_train, 0.1)   # 10% of targets moved by ±10
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"contaminate expects a 1-D array of targets; got shape {y.shape}.")
    if not 0.0 <= share < 1.0:
        raise ValueError(f"share must be a fraction in [0, 1), e.g. 0.1 for 10%; got {share!r}.")
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(y), size=int(round(share * len(y))), replace=False)
    out = y.copy()
    out[chosen] = out[chosen] + rng.choice([-size, size], size=len(chosen)).astype(y.dtype)
    return out
