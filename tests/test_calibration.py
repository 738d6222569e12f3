"""Facts a reader relies on about losslab.calibration."""

import numpy as np
import pytest

from losslab import calibration


def _calibrated_sample(n, seed):
    """Probabilities, and labels drawn from them: a perfectly calibrated predictor."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 1.0, size=n)
    return p, (rng.uniform(size=n) < p).astype(int)


def test_a_perfectly_calibrated_predictor_has_ece_near_zero():
    p, y = _calibrated_sample(200_000, seed=0)
    assert calibration.expected_calibration_error(y, p) < 0.005


def test_an_overconfident_predictor_has_a_large_ece():
    p, y = _calibrated_sample(100_000, seed=1)
    assert calibration.expected_calibration_error(y, np.round(p)) > 0.2  # says 0 or 1, right only ~75%


def test_ece_by_hand_on_two_examples():
    # bin [0, 0.5): predicted 0.2, observed 0; bin [0.5, 1]: predicted 0.6, observed 1
    assert calibration.expected_calibration_error([0, 1], [0.2, 0.6], n_bins=2) == pytest.approx(0.3)


def test_ece_of_a_calibrated_model_on_few_examples_is_about_calibrated_ece():
    p, _ = _calibrated_sample(500, seed=2)
    floor = calibration.calibrated_ece(p, draws=400, seed=3)
    rng = np.random.default_rng(4)
    eces = [calibration.expected_calibration_error((rng.uniform(size=p.size) < p).astype(int), p)
            for _ in range(400)]
    assert 0.02 < floor < 0.08                       # sampling alone leaves a gap on 500 examples
    assert np.mean(eces) == pytest.approx(floor, rel=0.1)
    big, _ = _calibrated_sample(50_000, seed=5)
    assert calibration.calibrated_ece(big, draws=20) < 0.01


def test_brier_of_a_constant_half_on_balanced_labels_is_a_quarter():
    assert calibration.brier_score([0, 1] * 50, np.full(100, 0.5)) == pytest.approx(0.25)


def test_brier_accepts_model_output_shape():
    y = np.array([0, 1, 1])
    p = np.array([[0.1], [0.8], [0.6]])
    assert calibration.brier_score(y, p) == pytest.approx((0.01 + 0.04 + 0.16) / 3)


def test_reliability_curve_bins_means_and_counts():
    curve = calibration.reliability_curve([0, 1, 1, 1], [0.1, 0.9, 0.8, 0.7], n_bins=2)
    np.testing.assert_allclose(curve.centres, [0.25, 0.75])
    np.testing.assert_array_equal(curve.counts, [1, 3])
    np.testing.assert_allclose(curve.mean_predicted, [0.1, 0.8])
    np.testing.assert_allclose(curve.observed, [0.0, 1.0])


def test_reliability_curve_empty_bins_are_nan_and_one_falls_in_the_last_bin():
    curve = calibration.reliability_curve([0, 1, 1], [0.05, 0.95, 1.0], n_bins=4)
    assert np.isnan(curve.observed[1]) and curve.counts[1] == 0
    assert curve.counts[-1] == 2


def test_prior_correction_recovers_the_unweighted_posterior():
    # weights 9:1 act like positives 9 times as common: the weighted posterior has 9 times the odds
    p = np.array([0.01, 0.1, 0.3, 0.5, 0.9, 0.99])
    weighted = 9 * p / (9 * p + 1 - p)
    np.testing.assert_allclose(calibration.prior_correction(weighted, w_pos=9.0), p)
    np.testing.assert_allclose(calibration.prior_correction(weighted, w_pos=18.0, w_neg=2.0), p)
    assert calibration.prior_correction(0.5, w_pos=9.0) == pytest.approx(0.1)
    assert calibration.prior_correction(p, w_pos=1.0) == pytest.approx(p)


def test_prior_correction_undoes_weighted_logistic_regression():
    # the minimizer of weighted BCE for a constant prediction is the weighted share of positives
    y = np.array([1] * 10 + [0] * 90)
    weighted_share = 9 * 10 / (9 * 10 + 90)
    assert calibration.prior_correction(weighted_share, w_pos=9.0) == pytest.approx(y.mean())


def test_platt_scaling_recovers_a_known_logistic_model():
    rng = np.random.default_rng(6)
    s = rng.normal(0.0, 2.0, size=100_000)
    y = (rng.uniform(size=s.size) < 1 / (1 + np.exp(-(1.7 * s - 0.4)))).astype(int)
    platt = calibration.platt_scaling(s, y)
    assert platt.a == pytest.approx(1.7, abs=0.05) and platt.b == pytest.approx(-0.4, abs=0.05)
    assert platt(np.array([[0.0]])).shape == (1, 1)
    assert platt(0.0) == pytest.approx(1 / (1 + np.exp(0.4)), abs=0.02)


def test_platt_scaling_calibrates_scores_that_are_not_probabilities():
    rng = np.random.default_rng(7)
    z = rng.normal(0.0, 2.0, size=50_000)
    y = (rng.uniform(size=z.size) < 1 / (1 + np.exp(-z))).astype(int)
    scores = 3 * z                              # right order, three times too confident
    platt = calibration.platt_scaling(scores, y)
    naive = calibration.expected_calibration_error(y, 1 / (1 + np.exp(-scores)))
    fitted = calibration.expected_calibration_error(y, platt(scores))
    assert platt.a == pytest.approx(1 / 3, abs=0.02)
    assert fitted < 0.01 < 0.05 < naive


def test_platt_scaling_stays_finite_on_separable_scores():
    platt = calibration.platt_scaling([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1])
    assert np.isfinite([platt.a, platt.b]).all() and platt(1.0) > 0.99


@pytest.mark.parametrize("call", [
    lambda: calibration.expected_calibration_error([0, 2], [0.1, 0.2]),
    lambda: calibration.expected_calibration_error([-1, 1], [0.1, 0.2]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1, 1.2]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1, 0.2], n_bins=0),
    lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], n_bins=2.5),
    lambda: calibration.brier_score([], []),
    lambda: calibration.brier_score([0, 1], [np.nan, 0.5]),
    lambda: calibration.calibrated_ece([]),
    lambda: calibration.calibrated_ece([0.5], draws=0),
    lambda: calibration.platt_scaling([0.1, 0.2], [1, 1]),
    lambda: calibration.platt_scaling([0.1, 0.2, 0.3], [0, 1]),
    lambda: calibration.platt_scaling([0.1, np.inf], [0, 1]),
    lambda: calibration.prior_correction([0.2], w_pos=0.0),
    lambda: calibration.prior_correction([0.2], w_pos=9.0, w_neg=-1.0),
    lambda: calibration.prior_correction([1.5], w_pos=9.0),
])
def test_bad_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_error_messages_name_the_problem():
    with pytest.raises(ValueError, match="only 0 and 1"):
        calibration.brier_score([-1, 1], [0.2, 0.8])
    with pytest.raises(ValueError, match="platt_scaling"):
        calibration.brier_score([0, 1], [-0.5, 2.0])
    with pytest.raises(ValueError, match="both classes"):
        calibration.platt_scaling([0.1, 0.2], [0, 0])
