"""Facts a reader relies on about losslab.calibration."""

import numpy as np
import pytest

from losslab import calibration


def test_calibrated_synthetic_predictor_has_ece_near_zero():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, size=200_000)
    y = (rng.uniform(0, 1, size=p.size) < p).astype(int)   # labels drawn with probability p
    assert calibration.expected_calibration_error(y, p) < 0.01


def test_overconfident_predictor_has_large_ece():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, size=100_000)
    y = (rng.uniform(0, 1, size=p.size) < p).astype(int)
    sharpened = np.where(p > 0.5, 1.0, 0.0)
    assert calibration.expected_calibration_error(y, sharpened) > 0.2


def test_ece_small_example_by_hand():
    assert calibration.expected_calibration_error([0, 1], [0.2, 0.6], n_bins=2) == pytest.approx(0.3)


def test_brier_of_constant_half_on_balanced_labels_is_quarter():
    y = np.array([0, 1] * 50)
    assert calibration.brier_score(y, np.full(100, 0.5)) == pytest.approx(0.25)


def test_reliability_curve_bins_and_counts():
    curve = calibration.reliability_curve([0, 1, 1, 1], [0.1, 0.9, 0.8, 0.7], n_bins=2)
    np.testing.assert_allclose(curve.centres, [0.25, 0.75])
    np.testing.assert_array_equal(curve.counts, [1, 3])
    np.testing.assert_allclose(curve.observed, [0.0, 1.0])
    np.testing.assert_allclose(curve.mean_predicted, [0.1, 0.8])
    empty = calibration.reliability_curve([0, 1], [0.05, 0.95], n_bins=4)
    assert np.isnan(empty.observed[1]) and empty.counts[1] == 0


def test_probability_one_falls_in_last_bin():
    curve = calibration.reliability_curve([1], [1.0], n_bins=10)
    assert curve.counts[-1] == 1


def test_prior_correction_recovers_unweighted_posterior():
    # class weights w_pos:w_neg act like positives being w_pos/w_neg times as common:
    # a Bayes-optimal weighted model predicts odds r * p / (1 - p).
    p = np.array([0.01, 0.1, 0.3, 0.5, 0.9, 0.99])
    r = 9.0 / 1.0
    weighted = r * p / (r * p + 1 - p)
    np.testing.assert_allclose(calibration.prior_correction(weighted, 9.0, 1.0), p)
    np.testing.assert_allclose(calibration.prior_correction(weighted, 18.0, 2.0), p)
    assert calibration.prior_correction(0.5, 9.0) == pytest.approx(0.1)


def test_platt_scaling_recovers_known_logistic():
    rng = np.random.default_rng(2)
    s = rng.normal(0, 2, size=100_000)
    a, b = 1.7, -0.4
    y = (rng.uniform(size=s.size) < 1 / (1 + np.exp(-(a * s + b)))).astype(int)
    calibrate = calibration.platt_scaling(s, y)
    assert calibrate.a == pytest.approx(a, abs=0.05)
    assert calibrate.b == pytest.approx(b, abs=0.05)
    np.testing.assert_allclose(calibrate(np.array([[0.0]])), [[1 / (1 + np.exp(-calibrate.b))]])


@pytest.mark.parametrize("call", [
    lambda: calibration.expected_calibration_error([0, 2], [0.1, 0.2]),
    lambda: calibration.expected_calibration_error([-1, 1], [0.1, 0.2]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1, 1.2]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1]),
    lambda: calibration.expected_calibration_error([0, 1], [0.1, 0.2], n_bins=0),
    lambda: calibration.brier_score([], []),
    lambda: calibration.brier_score([0, 1], [np.nan, 0.5]),
    lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], n_bins=2.5),
    lambda: calibration.platt_scaling([0.1, 0.2], [1, 1]),
    lambda: calibration.platt_scaling([0.1, 0.2, 0.3], [0, 1]),
    lambda: calibration.prior_correction([0.2], w_pos=0.0),
    lambda: calibration.prior_correction([1.5], w_pos=9.0),
])
def test_bad_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_error_message_names_the_problem():
    with pytest.raises(ValueError, match="only 0 and 1"):
        calibration.brier_score([-1, 1], [0.2, 0.8])
    with pytest.raises(ValueError, match="probabilities in"):
        calibration.brier_score([0, 1], [-0.5, 2.0])
