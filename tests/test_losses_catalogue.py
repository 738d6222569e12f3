"""losslab.losses.catalogue: the facts the appendix "Every Keras loss" states about each loss, and clear errors.

That each reference equals Keras is checked in tests/test_keras_losses.py;
these tests check what the page says the formulas do.
"""

import numpy as np
import pytest

from losslab import losses

RNG = np.random.default_rng(1)
PROBS = RNG.dirichlet(np.ones(4), size=20)
LABELS = RNG.integers(0, 4, size=20)
ONEHOT = np.eye(4)[LABELS]


def test_generalized_cross_entropy_tends_to_cross_entropy_and_to_one_minus_p():
    ce = losses.sparse_categorical_cross_entropy(LABELS, PROBS)
    near_zero = losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=1e-6)
    np.testing.assert_allclose(near_zero, ce, rtol=1e-4)
    near_one = losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=1 - 1e-9)
    np.testing.assert_allclose(near_one, 1 - PROBS[np.arange(20), LABELS], atol=1e-6)


def test_generalized_cross_entropy_gradient_is_p_to_the_q_times_cross_entropys():
    """By finite differences in the true class's probability: d GCE / d p = p**q * d CE / d p."""
    q, h = 0.5, 1e-6
    p = PROBS[np.arange(20), LABELS]
    up = PROBS.copy()
    up[np.arange(20), LABELS] += h
    d_gce = (losses.categorical_generalized_cross_entropy(LABELS, up, q=q)
             - losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=q)) / h
    np.testing.assert_allclose(d_gce, p**q * (-1 / p), rtol=1e-4)


def test_focal_losses_with_gamma_zero_are_weighted_cross_entropies():
    bce = losses.binary_cross_entropy(ONEHOT, PROBS)
    np.testing.assert_allclose(losses.binary_focal_cross_entropy(ONEHOT, PROBS, gamma=0.0), bce, rtol=1e-10)
    cce = losses.categorical_cross_entropy(ONEHOT, PROBS)
    np.testing.assert_allclose(losses.categorical_focal_cross_entropy(ONEHOT, PROBS, gamma=0.0), 0.25 * cce,
                               rtol=1e-6)


def test_focal_loss_weighs_well_classified_outputs_less():
    easy, hard = np.array([[1.0]]), np.array([[1.0]])
    ratio_easy = losses.binary_focal_cross_entropy(easy, [[0.95]]) / losses.binary_cross_entropy(easy, [[0.95]])
    ratio_hard = losses.binary_focal_cross_entropy(hard, [[0.3]]) / losses.binary_cross_entropy(hard, [[0.3]])
    assert ratio_easy[0] == pytest.approx(0.05**2) and ratio_hard[0] == pytest.approx(0.7**2)


def test_cosine_similarity_ignores_length_and_is_zero_for_a_zero_vector():
    y, p = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    np.testing.assert_allclose(losses.cosine_similarity(y, 7.0 * p), losses.cosine_similarity(y, p), rtol=1e-12)
    np.testing.assert_allclose(losses.cosine_similarity(y, y), -1.0)
    assert losses.cosine_similarity([[1.0, 2.0]], [[0.0, 0.0]])[0] == 0.0


def test_categorical_hinge_is_zero_once_the_margin_is_met():
    assert losses.categorical_hinge([[0, 1, 0]], [[0.2, 1.3, 0.1]])[0] == 0.0
    assert losses.categorical_hinge([[0, 1, 0]], [[0.2, 1.0, 0.1]])[0] == pytest.approx(0.2)
    # every score negative: the true class enters the max as 0, so the "best other" is 0
    assert losses.categorical_hinge([[0, 1, 0]], [[-2.0, -0.5, -3.0]])[0] == pytest.approx(1.5)


def test_tversky_with_equal_weights_is_dice_and_alpha_weighs_missed_positives():
    y, p = RNG.integers(0, 2, size=(6, 5)).astype(float), RNG.uniform(size=(6, 5))
    np.testing.assert_allclose(losses.tversky(y, p, 0.5, 0.5), losses.dice(y, p), rtol=1e-6)
    np.testing.assert_allclose(losses.tversky(y, p, 0.5, 0.5, axis=1), losses.dice(y, p, axis=1), rtol=1e-6)
    y_true, everything = np.array([[1.0, 1.0, 0.0, 0.0]]), np.ones((1, 4))
    assert losses.tversky(y_true, everything, alpha=1.0, beta=0.0) == pytest.approx(0.0, abs=1e-6)
    assert losses.tversky(y_true, everything, alpha=0.0, beta=1.0) == pytest.approx(0.5, abs=1e-6)


def test_dice_reduces_over_the_whole_batch_by_default():
    y, p = RNG.integers(0, 2, size=(6, 5)), RNG.uniform(size=(6, 5))
    assert np.ndim(losses.dice(y, p)) == 0 and losses.dice(y, p, axis=1).shape == (6,)


def test_circle_loss_is_small_for_separated_classes_and_large_for_swapped_ones():
    labels = np.array([0, 0, 1, 1])
    good = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    bad = good[[0, 2, 1, 3]]  # each example next to the other class
    assert losses.circle(labels, good).max() < 1e-6 and losses.circle(labels, bad).min() > 10
    alone = losses.circle(np.array([0, 1]), np.eye(2))  # no positive in the batch: softplus(-inf) = 0
    np.testing.assert_array_equal(alone, [0.0, 0.0])


@pytest.mark.parametrize("call,match", [
    (lambda: losses.categorical_generalized_cross_entropy(ONEHOT, PROBS), "integer labels of shape"),
    (lambda: losses.categorical_generalized_cross_entropy(LABELS[:, None], PROBS), r"y\.ravel\(\)"),
    (lambda: losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=1.5), r"q must lie in \(0, 1\)"),
    (lambda: losses.categorical_generalized_cross_entropy(LABELS + 4, PROBS), "class indices 0 to 3"),
    (lambda: losses.binary_focal_cross_entropy([[2.0]], [[0.5]]), "Labels are 0 or 1"),
    (lambda: losses.binary_focal_cross_entropy([[1.0]], [[3.0]]), "from_logits=True"),
    (lambda: losses.circle([0, 1, 1], np.eye(2)), "embeddings of shape"),
    (lambda: losses.dice([[1.0, 0.0]], [[np.nan, 0.5]]), "NaN"),
    (lambda: losses.categorical_hinge([[0, 1]], [[0.2, 0.3, 0.5]]), "must match"),
])
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
