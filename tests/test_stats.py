"""losslab.stats: verdicts and intervals that a chapter's sentences rely on."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from losslab import stats

RNG = np.random.default_rng(0)


def test_paired_interval_is_the_t_interval_of_the_differences():
    a = RNG.normal(0.85, 0.01, 10)
    b = a - RNG.normal(0.01, 0.005, 10)
    v = stats.compare(a, b, higher_is_better=True)
    d = a - b
    half = scipy_stats.t.ppf(0.975, 9) * d.std(ddof=1) / np.sqrt(10)
    assert v.difference == pytest.approx(d.mean())
    assert (v.low, v.high) == pytest.approx((d.mean() - half, d.mean() + half))
    assert v.word == "better" and v.paired and v.n == 10


def test_direction_of_the_word_follows_higher_is_better():
    low_error, high_error = [0.10, 0.11, 0.12, 0.10], [0.20, 0.21, 0.22, 0.21]
    assert stats.compare(low_error, high_error, higher_is_better=False).word == "better"
    assert stats.compare(high_error, low_error, higher_is_better=False).word == "worse"
    assert stats.compare(high_error, low_error, higher_is_better=True).word == "better"


def test_overlapping_results_are_indistinguishable_and_say_how_many_seeds():
    a = RNG.normal(0.0, 1.0, 10)
    b = a + RNG.normal(0.0, 1.0, 10) * np.array([1, -1] * 5)  # differences centred on 0
    b = a - (b - a).mean() + (b - a)  # force a mean difference of exactly 0
    v = stats.compare(a, b, higher_is_better=True)
    assert v.low < 0 < v.high
    assert v.word == "indistinguishable at 10 seeds"


def test_pairing_detects_what_an_unpaired_comparison_cannot():
    """Seeds vary a lot, the per-seed gain is small but steady: pairing sees it."""
    base = RNG.normal(0.8, 0.05, 10)
    a, b = base + 0.01 + RNG.normal(0, 0.001, 10), base
    assert stats.compare(a, b, higher_is_better=True).word == "better"
    assert stats.compare(a, b, higher_is_better=True, paired=False).word.startswith("indistinguishable")


def test_interval_text_is_rounded_and_signed():
    v = stats.Verdict("better", 0.01234, 0.0051, 0.0196, 10, True)
    assert v.interval() == "+0.012 (95% interval +0.005 to +0.020)"
    assert str(v).startswith("better: difference +0.012")


@pytest.mark.parametrize("a,b,kwargs,match", [
    ([0.5], [0.4], {}, "at least two"),
    ([0.5, np.nan], [0.4, 0.3], {}, "NaN"),
    ([0.5, 0.6, 0.7], [0.4, 0.3], {}, "one value per seed"),
    ([0.5, 0.6], [0.4, 0.3], {"level": 95}, "level"),
])
def test_bad_input_to_compare(a, b, kwargs, match):
    with pytest.raises(ValueError, match=match):
        stats.compare(a, b, higher_is_better=True, **kwargs)


def test_wilson_matches_the_textbook_values_and_stays_in_bounds():
    low, high = stats.wilson(7, 10)
    assert (round(low, 3), round(high, 3)) == (0.397, 0.892)
    assert stats.wilson(0, 20)[0] == 0.0 and stats.wilson(0, 20)[1] > 0.1
    assert stats.wilson(20, 20)[1] == 1.0 and stats.wilson(20, 20)[0] < 0.9


def test_wilson_covers_the_true_proportion_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    hits = [lo <= 0.3 <= hi for lo, hi in (stats.wilson(int(k), 20) for k in rng.binomial(20, 0.3, 2000))]
    assert 0.93 <= np.mean(hits) <= 0.98


@pytest.mark.parametrize("k,n", [(3, 2), (-1, 5), (1.5, 4), (1, 0), (True, 3)])
def test_bad_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        stats.wilson(k, n)


def test_summaries():
    assert stats.mean_std([0.84, 0.85, 0.86]) == "0.850 ± 0.008"
    assert stats.median_quartiles([0.0, 0.0, 0.35, 0.35, 0.35]) == "0.350 [0.000, 0.350]"
    with pytest.raises(ValueError):
        stats.mean_std([])


def test_compare_counts_is_newcombes_interval_from_two_wilson_intervals():
    v = stats.compare_counts(18, 7, 20)
    (la, ua), (lb, ub) = stats.wilson(18, 20), stats.wilson(7, 20)
    d = 0.9 - 0.35
    assert v.difference == pytest.approx(d)
    assert v.low == pytest.approx(d - np.hypot(0.9 - la, ub - 0.35))
    assert v.high == pytest.approx(d + np.hypot(ua - 0.9, 0.35 - lb))
    assert v.word == "higher" and not v.paired
    assert stats.compare_counts(7, 18, 20).word == "lower"
    assert stats.compare_counts(7, 9, 20).word == "indistinguishable at 20 seeds"


def test_compare_counts_refuses_impossible_counts():
    with pytest.raises(ValueError):
        stats.compare_counts(21, 3, 20)
