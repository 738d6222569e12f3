"""losslab.losses agrees with keras.losses and tf.GradientTape, and rejects bad input."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from losslab import losses as L

RNG = np.random.default_rng(0)
N, K = 64, 3


def _probs(shape, extreme=False):
    p = RNG.uniform(0.0, 1.0, size=shape)
    if extreme:
        # exact 0 and 1, values clipped by Keras, and values right at the edge
        p.flat[: 6] = [0.0, 1.0, 1e-12, 1.0 - 1e-12, 1e-3, 0.999]
    return p.astype(np.float32)


def _softmax_rows(shape, extreme=False):
    z = RNG.normal(0.0, 3.0 if not extreme else 30.0, size=shape)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    if extreme:
        p[0] = [1.0] + [0.0] * (shape[-1] - 1)
    return p.astype(np.float32)


def _onehot(labels, k):
    return np.eye(k, dtype=np.float32)[labels]


def _cases(extreme):
    """(keras name, keras kwargs, y_true, y_pred) on shape (N, K) or (N, 1)."""
    labels = RNG.integers(0, K, size=N)
    reals = RNG.normal(0.0, 2.0, size=(N, K)).astype(np.float32)
    positive = np.abs(RNG.normal(0.0, 2.0, size=(N, K))).astype(np.float32)
    binary = RNG.integers(0, 2, size=(N, 1)).astype(np.float32)
    logits = RNG.normal(0.0, 3.0, size=(N, 1)).astype(np.float32)
    many_logits = RNG.normal(0.0, 3.0, size=(N, K)).astype(np.float32)
    if extreme:
        logits[:4, 0] = [1e4, -1e4, 80.0, -80.0]
        many_logits[:2] = [[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]]
        reals[:2] = 0.0
    return [
        ("mean_squared_error", {}, reals, RNG.normal(size=(N, K)).astype(np.float32)),
        ("mean_absolute_error", {}, reals, RNG.normal(size=(N, K)).astype(np.float32)),
        ("mean_squared_logarithmic_error", {}, positive, reals),
        ("mean_squared_logarithmic_error", {}, reals, positive),
        ("huber", {}, reals, 3 * RNG.normal(size=(N, K)).astype(np.float32)),
        ("huber", {"delta": 0.5}, reals, 3 * RNG.normal(size=(N, K)).astype(np.float32)),
        ("log_cosh", {}, reals, 3 * RNG.normal(size=(N, K)).astype(np.float32)),
        ("binary_crossentropy", {}, binary, _probs((N, 1), extreme)),
        ("binary_crossentropy", {"from_logits": True}, binary, logits),
        ("binary_crossentropy", {}, (RNG.uniform(size=(N, K)) > 0.5).astype(np.float32), _probs((N, K), extreme)),
        ("hinge", {}, binary, np.tanh(logits)),
        ("hinge", {}, 2 * binary - 1, logits),
        ("squared_hinge", {}, binary, np.tanh(logits)),
        ("squared_hinge", {}, 2 * binary - 1, logits),
        ("categorical_crossentropy", {}, _onehot(labels, K), _softmax_rows((N, K), extreme)),
        ("categorical_crossentropy", {"from_logits": True}, _onehot(labels, K), many_logits),
        ("sparse_categorical_crossentropy", {}, labels, _softmax_rows((N, K), extreme)),
        ("sparse_categorical_crossentropy", {"from_logits": True}, labels, many_logits),
        ("kl_divergence", {}, _softmax_rows((N, K)), _softmax_rows((N, K), extreme)),
        ("kl_divergence", {}, _onehot(labels, K), _softmax_rows((N, K), extreme)),
    ]


def _case_id(case):
    name, kwargs, _, _ = case
    return name + "".join(f"-{k}" for k in kwargs)


ALL_CASES = [(c, False) for c in _cases(False)] + [(c, True) for c in _cases(True)]
IDS = [_case_id(c) + ("-extreme" if e else "-random") for c, e in ALL_CASES]


def _keras_loss_and_grad(name, kwargs, y_true, y_pred):
    fn = keras.losses.get(name)
    pred = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        per_example = fn(tf.constant(y_true), pred, **kwargs)
        total = tf.reduce_sum(per_example)
    return per_example.numpy(), tape.gradient(total, pred).numpy()


@pytest.mark.parametrize("case,extreme", ALL_CASES, ids=IDS)
def test_numpy_loss_equals_keras_loss(case, extreme):
    name, kwargs, y_true, y_pred = case
    expected, _ = _keras_loss_and_grad(name, kwargs, y_true, y_pred)
    loss, _ = L.LOSSES[name]
    got = loss(y_true, y_pred, **kwargs)
    assert got.shape == expected.shape
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case,extreme", ALL_CASES, ids=IDS)
def test_numpy_gradient_equals_gradient_tape(case, extreme):
    name, kwargs, y_true, y_pred = case
    _, expected = _keras_loss_and_grad(name, kwargs, y_true, y_pred)
    _, grad = L.LOSSES[name]
    got = grad(y_true, y_pred, **kwargs)
    assert got.shape == np.shape(y_pred)
    assert np.isfinite(got).all()
    # float32 Keras against float64 numpy: relative tolerance, with an absolute
    # floor scaled to the gradient's size (1/eps = 1e7 where clipping bites).
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(expected).max() * 1e-3))


def test_tutorial_good_and_bad_predictions():
    y_true = [0, 1, 1, 0]
    good = L.binary_cross_entropy(y_true, [0.1, 0.9, 0.8, 0.2])
    bad = L.binary_cross_entropy(y_true, [0.9, 0.1, 0.3, 0.8])
    np.testing.assert_allclose(good, [0.10536052, 0.10536052, 0.22314355, 0.22314355], rtol=1e-7)
    assert good.mean() == pytest.approx(0.164252033486018, abs=1e-12)
    assert bad.mean() == pytest.approx(1.854645225687032, abs=1e-12)


def test_one_dimensional_input_gives_one_loss_per_example():
    # Keras reads (n, 1) as n examples; a 1-D array here means the same thing
    col = L.binary_cross_entropy(np.array([[1.0], [0.0]]), np.array([[0.9], [0.2]]))
    flat = L.binary_cross_entropy([1.0, 0.0], [0.9, 0.2])
    mixed = L.binary_cross_entropy([1.0, 0.0], np.array([[0.9], [0.2]]))
    np.testing.assert_array_equal(col, flat)
    np.testing.assert_array_equal(col, mixed)


@pytest.mark.parametrize("z", [1e4, -1e4, 1e6])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_from_logits_is_finite_for_huge_logits(z, label):
    loss = L.binary_cross_entropy([label], [z], from_logits=True)[0]
    grad = L.binary_cross_entropy_grad([label], [z], from_logits=True)[0]
    wrong = (z > 0) != (label == 1.0)
    assert np.isfinite(loss) and np.isfinite(grad)
    assert loss == pytest.approx(abs(z) if wrong else 0.0)
    assert grad == pytest.approx(np.sign(z) if wrong else 0.0)
    z3 = np.array([[z, -z, 0.0]])
    assert np.isfinite(L.categorical_cross_entropy([[0, 1, 0]], z3, from_logits=True)).all()
    assert np.isfinite(L.sparse_categorical_cross_entropy_grad([1], z3, from_logits=True)).all()


def test_clipped_prediction_gets_no_gradient():
    # Keras clips p=0 to 1e-7: the loss is capped at -log(1e-7) and stops moving
    assert L.binary_cross_entropy([1.0], [0.0])[0] == pytest.approx(-np.log(1e-7))
    assert L.binary_cross_entropy_grad([1.0], [0.0])[0] == 0.0


def test_log_cosh_is_finite_for_huge_errors():
    assert L.log_cosh([0.0, 0.0], [1e4, -1e4]) == pytest.approx([1e4 - np.log(2)] * 2)
    np.testing.assert_allclose(L.log_cosh_grad([0.0, 0.0], [1e4, -1e4]), [1.0, -1.0])


def test_msle_treats_negative_values_as_zero():
    np.testing.assert_allclose(L.msle([-2.0, -0.5], [0.0, 0.0]), [0.0, 0.0], atol=1e-12)
    np.testing.assert_array_equal(L.msle_grad([1.0], [-1.0]), [0.0])


BAD_INPUTS = [
    (L.binary_cross_entropy, ([0, 2], [0.5, 0.5]), "y_true must lie in \\[0, 1\\].*found 2"),
    (L.binary_cross_entropy, ([-1, 1], [0.5, 0.5]), "-1/1 labels belong to hinge"),
    (L.binary_cross_entropy, ([0, 1], [0.5, 1.5]), "y_pred must lie in \\[0, 1\\].*from_logits=True"),
    (L.binary_cross_entropy_grad, ([0, 1], [-3.0, 0.5]), "y_pred must lie in \\[0, 1\\]"),
    (L.binary_cross_entropy, ([0, 1], [0.5, np.nan]), "y_pred contains NaN \\(first at index \\(1,\\)\\)"),
    (L.mse, ([np.nan], [0.0]), "y_true contains NaN"),
    (L.mse, (np.zeros(4), np.zeros((4, 3))), "shape \\(4,\\) but y_pred has shape \\(4, 3\\)"),
    (L.mae, (np.zeros(3), np.zeros(4)), "must match"),
    (L.mse, (["a"], [1.0]), "array of numbers"),
    (L.hinge, ([-1, 0, 1], [0.1, 0.2, 0.3]), "only -1 and 1 \\(or only 0 and 1\\)"),
    (L.squared_hinge_grad, ([2, 1], [0.1, 0.2]), "found 2.*to_hinge_labels"),
    (L.categorical_cross_entropy, ([0, 1, 2], np.full((3, 3), 1 / 3)), "sparse categorical"),
    (L.categorical_cross_entropy, ([[0, 1]], [[2.0, -1.0]]), "from_logits=True"),
    (L.categorical_cross_entropy, ([[0, 1]], [[0.0, 0.0]]), "sums to 0"),
    (L.sparse_categorical_cross_entropy, ([0, 3], np.full((2, 3), 1 / 3)), "indices 0 to 2.*found 3"),
    (L.sparse_categorical_cross_entropy, ([0, 1.5], np.full((2, 3), 1 / 3)), "found 1.5"),
    (L.sparse_categorical_cross_entropy_grad, (np.eye(3), np.full((3, 3), 1 / 3)), "one-hot labels use categorical"),
    (L.kl_divergence, ([[0.5, 0.5]], [[1.2, -0.2]]), "y_pred must lie in \\[0, 1\\]"),
    # targets that are not distributions: multi-hot rows, rows of zeros
    (L.categorical_cross_entropy, ([[1, 1, 0]], [[0.4, 0.4, 0.2]]), "row 0 sums to 2.*binary cross-entropy"),
    (L.categorical_cross_entropy_grad, ([[1, 0], [0, 0]], [[0.5, 0.5]] * 2), "row 1 sums to 0"),
    (L.kl_divergence, ([[0.2, 0.2]], [[0.5, 0.5]]), "must sum to 1.*sums to 0.4"),
    (L.huber, ([0.0], [1.0], 0.0), "delta must be a positive number"),
]


@pytest.mark.parametrize("fn,args,message", BAD_INPUTS, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD_INPUTS)])
def test_bad_input_raises_a_clear_value_error(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_every_loss_has_a_docstring_with_a_formula_and_an_example():
    for loss, grad in L.LOSSES.values():
        for fn in (loss, grad):
            assert fn.__doc__ and ":math:" in fn.__doc__, fn.__name__
            assert ">>>" in fn.__doc__, fn.__name__
