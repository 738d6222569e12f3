r"""Verdicts from statistics: differences with intervals, counts with intervals.

A sentence such as "Huber is better than MSE here" is only as good as the
statistic behind it. :func:`compare` turns two sets of per-seed results into
the mean difference, its 95 % confidence interval and a verdict word;
:func:`wilson` gives the interval of a count of successes (e.g. runs that
solved XOR). The chapters glue these words into their prose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _scipy_stats

__all__ = ["Verdict", "compare", "compare_counts", "wilson", "mean_std", "median_quartiles"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`compare`.

    Attributes:
        word: ``"better"``, ``"worse"`` or ``"indistinguishable at N seeds"``,
            said of the first set against the second.
        difference: mean of ``a - b`` (paired) or ``mean(a) - mean(b)``.
        low, high: the confidence interval of the difference.
        n: seeds per set.
        paired: whether the differences were taken seed by seed.
    """

    word: str
    difference: float
    low: float
    high: float
    n: int
    paired: bool

    def interval(self, decimals: int = 3) -> str:
        """``"+0.012 (95% interval +0.004 to +0.020)"``."""
        d = decimals
        return f"{self.difference:+.{d}f} (95% interval {self.low:+.{d}f} to {self.high:+.{d}f})"

    def __str__(self) -> str:
        return f"{self.word}: difference {self.interval()}"


def _values(a, what: str) -> np.ndarray:
    a = np.asarray(a, dtype=float).ravel()
    if a.size < 2:
        raise ValueError(f"{what} needs at least two results (one per seed) to give an interval; "
                         f"got {a.size}.")
    if not np.isfinite(a).all():
        raise ValueError(f"{what} contains NaN or infinity (a diverged run?); report those runs "
                         "separately, e.g. as a count, and compare the rest.")
    return a


def compare(a, b, *, higher_is_better: bool, paired: bool = True, level: float = 0.95) -> Verdict:
    r"""Is ``a`` better than ``b``? The mean difference with a t-interval, and a word.

    Paired (the same seeds on both sides, as in :func:`losslab.sweep.train`):
    the differences :math:`d_i = a_i - b_i` give
    :math:`\bar d \pm t_{n-1}\, s_d / \sqrt{n}`. Unpaired: Welch's interval
    for :math:`\bar a - \bar b`. The verdict is "better" or "worse" when the
    interval excludes 0, and "indistinguishable at n seeds" when it does not:
    more seeds might still tell them apart.

    Args:
        a, b: one result per seed, e.g. test accuracies.
        higher_is_better: True for accuracy, False for an error or a loss.
        paired: whether ``a[i]`` and ``b[i]`` share seed ``i``.
        level: confidence level of the interval.

    Returns:
        :class:`Verdict`.

    Example:
        >>> compare([0.85, 0.86, 0.84], [0.80, 0.82, 0.81], higher_is_better=True).word
        'better'
    """
    a, b = _values(a, "a"), _values(b, "b")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, e.g. 0.95; got {level!r}.")
    if paired and a.size != b.size:
        raise ValueError(f"paired results need one value per seed on both sides; got {a.size} and {b.size}.")
    if paired:
        d = a - b
        diff, se, df = d.mean(), d.std(ddof=1) / np.sqrt(d.size), d.size - 1
    else:
        va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
        diff, se = a.mean() - b.mean(), np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)) if va + vb > 0 else 1.0
    half = float(_scipy_stats.t.ppf(0.5 + level / 2, df)) * se
    low, high = diff - half, diff + half
    n = min(a.size, b.size)
    if low > 0 or high < 0:
        word = "better" if (low > 0) == higher_is_better else "worse"
    else:
        word = f"indistinguishable at {n} seeds"
    return Verdict(word=word, difference=float(diff), low=float(low), high=float(high), n=n, paired=paired)


def wilson(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    r"""Wilson's interval for a proportion of ``successes`` out of ``trials``.

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + \frac{z^2}{n}}

    Unlike :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}` it stays inside
    [0, 1] and is not empty at 0 or n successes.

    Example:
        >>> [round(v, 3) for v in wilson(7, 10)]
        [0.397, 0.892]
    """
    if isinstance(successes, bool) or int(successes) != successes or int(trials) != trials:
        raise ValueError(f"successes and trials must be whole numbers; got {successes!r} and {trials!r}.")
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1; got {successes} of {trials}.")
    z = float(_scipy_stats.norm.ppf(0.5 + level / 2))
    p, n = successes / trials, trials
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def compare_counts(successes_a: int, successes_b: int, trials: int, level: float = 0.95) -> Verdict:
    r"""Do runs succeed more often with ``a`` than with ``b``? The difference of the shares, and a word.

    The interval of :math:`\hat p_a - \hat p_b` is Newcombe's (his method 10),
    built from the two Wilson intervals :math:`[l_a, u_a]`, :math:`[l_b, u_b]`:

    .. math::

        \hat p_a - \hat p_b - \sqrt{(\hat p_a - l_a)^2 + (u_b - \hat p_b)^2},\quad
        \hat p_a - \hat p_b + \sqrt{(u_a - \hat p_a)^2 + (\hat p_b - l_b)^2}.

    The verdict is "higher" or "lower" when the interval excludes 0, else
    "indistinguishable at n seeds". It treats the two counts as independent
    (different seeds, or the same seeds whose outcomes are not paired).

    Example:
        >>> v = compare_counts(18, 7, 20)
        >>> v.word, v.interval(2)
        ('higher', '+0.55 (95% interval +0.25 to +0.73)')
    """
    for k in (successes_a, successes_b):
        wilson(k, trials, level)  # validates the counts
    low_a, high_a = wilson(successes_a, trials, level)
    low_b, high_b = wilson(successes_b, trials, level)
    p_a, p_b = successes_a / trials, successes_b / trials
    diff = p_a - p_b
    low = diff - float(np.hypot(p_a - low_a, high_b - p_b))
    high = diff + float(np.hypot(high_a - p_a, p_b - low_b))
    word = "higher" if low > 0 else "lower" if high < 0 else f"indistinguishable at {trials} seeds"
    return Verdict(word=word, difference=diff, low=low, high=high, n=trials, paired=False)


def mean_std(values, decimals: int = 3) -> str:
    """``"0.848 ± 0.005"``: mean and standard deviation over seeds, rounded.

    Example:
        >>> mean_std([0.84, 0.85, 0.86])
        '0.850 ± 0.008'
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0:
        raise ValueError("mean_std needs at least one value.")
    return f"{v.mean():.{decimals}f} ± {v.std():.{decimals}f}"


def median_quartiles(values, decimals: int = 3) -> str:
    """``"0.350 [0.001, 0.351]"``: median and quartiles, for outcomes that are not bell-shaped.

    Example:
        >>> median_quartiles([0.0, 0.0, 0.35, 0.35, 0.35])
        '0.350 [0.000, 0.350]'
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0:
        raise ValueError("median_quartiles needs at least one value.")
    q1, q2, q3 = np.percentile(v, [25, 50, 75])
    return f"{q2:.{decimals}f} [{q1:.{decimals}f}, {q3:.{decimals}f}]"
