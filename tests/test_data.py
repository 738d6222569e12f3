"""losslab.data reproduces the tutorial's datasets and split."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_circles, make_regression

from losslab import data


@pytest.mark.parametrize("make,generate,n_features", [
    (data.circles, lambda: make_circles(n_samples=1000, noise=0.1, random_state=1), 2),
    (data.blobs, lambda: make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2), 2),
])
def test_classification_sets_are_the_tutorials_first_and_last_500(make, generate, n_features):
    (x_train, y_train), (x_test, y_test) = make()
    x, y = generate()
    assert x_train.shape == x_test.shape == (500, n_features)
    np.testing.assert_allclose(np.concatenate([x_train, x_test]), x, rtol=1e-6)
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), y)


def test_regression_is_standardized_over_all_1000_samples():
    (x_train, y_train), (x_test, y_test) = data.regression()
    x = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test])
    assert x.shape == (1000, 20) and y.shape == (1000,)
    np.testing.assert_allclose(x.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(x.std(axis=0), 1, atol=1e-5)
    assert abs(y.mean()) < 1e-5 and abs(y.std() - 1) < 1e-5
    _, raw_y = make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1)
    np.testing.assert_allclose(y, (raw_y - raw_y.mean()) / raw_y.std(), rtol=1e-4, atol=1e-5)
    (_, y_raw_train), _ = data.regression(standardize_target=False)
    np.testing.assert_allclose(y_raw_train, raw_y[:500], rtol=1e-5)


def test_xor_truth_table():
    x, y = data.xor()
    np.testing.assert_array_equal(y, np.logical_xor(x[:, 0], x[:, 1]).astype(int))
    assert x.shape == (4, 2)


def test_hinge_labels():
    np.testing.assert_array_equal(data.to_hinge_labels(np.array([0, 1, 1])), [-1, 1, 1])
    with pytest.raises(ValueError, match="expects labels 0 and 1; found \\[-1\\]"):
        data.to_hinge_labels(np.array([-1, 1]))


def test_contaminate_moves_exactly_the_share_and_is_reproducible():
    (_, y), _ = data.regression()
    dirty = data.contaminate(y, 0.1, size=10.0, seed=3)
    moved = dirty != y
    assert moved.sum() == 50
    np.testing.assert_allclose(np.abs(dirty[moved] - y[moved]), 10.0, rtol=1e-6)
    np.testing.assert_array_equal(dirty, data.contaminate(y, 0.1, size=10.0, seed=3))
    assert (data.contaminate(y, 0.0) == y).all()
    with pytest.raises(ValueError, match="share must be a fraction"):
        data.contaminate(y, 1.5)


def test_imbalanced_circles_has_the_requested_share_in_both_halves():
    (x_train, y_train), (x_test, y_test) = data.imbalanced_circles(0.1)
    assert len(x_train) == 555 and len(x_test) == 556
    y = np.concatenate([y_train, y_test])
    assert y.sum() == 111 and abs(y.mean() - 0.1) < 1e-3
    assert 0.07 < y_train.mean() < 0.13 and 0.07 < y_test.mean() < 0.13
    again = data.imbalanced_circles(0.1)
    np.testing.assert_array_equal(again[0][0], x_train)
    with pytest.raises(ValueError, match="positive_share must be between 0 and 0.5"):
        data.imbalanced_circles(0.6)


@pytest.mark.parametrize("make", [data.circles, data.blobs, data.regression])
def test_validation_splits_are_three_disjoint_parts_of_500(make):
    splits = make(validation=True)
    assert len(splits) == 3
    assert [len(x) for x, _ in splits] == [500, 500, 500]
    rows = np.concatenate([x for x, _ in splits])
    assert len(np.unique(rows, axis=0)) == 1500


def test_imbalanced_validation_splits_keep_the_positive_share():
    splits = data.imbalanced_circles(0.1, validation=True)
    assert [len(x) for x, _ in splits] == [370, 370, 371]
    for _, y in splits:
        assert 0.05 < y.mean() < 0.15


def test_regression_noise_is_a_real_noise_level():
    (_, clean), _ = data.regression(standardize_target=False)
    (_, noisy), _ = data.regression(standardize_target=False, noise=50.0)
    assert np.std(noisy - clean) > 30  # same features and coefficients, noise added


@pytest.mark.parametrize("kwargs", [dict(noise=-1.0), dict(validation="yes")])
def test_bad_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        data.regression(**kwargs)
