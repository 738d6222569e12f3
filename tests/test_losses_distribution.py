"""losslab.losses.distribution: Poisson, Gaussian NLL with a variance, pinball and MAPE.

Each reference equals what Keras computes (the built-in loss, or the same
formula written with ``keras.ops``), its gradient equals ``tf.GradientTape``'s,
and bad input raises a ValueError that says how to fix it.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from losslab import losses as L
from losslab.losses.distribution import LOG_2PI

RNG = np.random.default_rng(0)
N = 64


def _tape(fn, y_true, y_pred):
    """Per-example loss and d(sum of losses)/d(y_pred), in float32 TensorFlow."""
    pred = tf.Variable(np.asarray(y_pred, np.float32))
    with tf.GradientTape() as tape:
        per_example = fn(tf.constant(np.asarray(y_true, np.float32)), pred)
        total = tf.reduce_sum(per_example)
    return per_example.numpy(), tape.gradient(total, pred).numpy()


# ---- the two losses written with keras.ops, as the chapter writes them
def keras_gaussian_nll(y_true, y_pred, min_variance=1e-6, beta=0.0):
    mean = y_pred[..., :1]
    variance = ops.softplus(y_pred[..., 1:]) + min_variance
    nll = 0.5 * (LOG_2PI + ops.log(variance) + ops.square(y_true - mean) / variance)
    if beta:
        nll = nll * ops.stop_gradient(variance ** beta)
    return ops.mean(nll, axis=-1)


def keras_pinball(quantiles):
    def pinball(y_true, y_pred):
        q = ops.convert_to_tensor(quantiles, dtype=y_pred.dtype)
        error = y_true - y_pred
        return ops.mean(ops.maximum(q * error, (q - 1) * error), axis=-1)
    return pinball


def _counts(shape):
    return RNG.poisson(3.0, size=shape).astype(np.float32)


# ---- Poisson and MAPE: against Keras's own losses
BUILT_IN = {
    "poisson (n, 1)": ("poisson", _counts((N, 1)), RNG.uniform(0.05, 8.0, (N, 1)).astype(np.float32)),
    "poisson (n, 3) with zeros and tiny rates": (
        "poisson", np.r_[np.zeros((4, 3)), _counts((N, 3))].astype(np.float32),
        np.r_[np.full((4, 3), 1e-6), RNG.uniform(0.01, 8.0, (N, 3))].astype(np.float32)),
    "mape (n, 1)": ("mean_absolute_percentage_error", RNG.uniform(0.5, 10.0, (N, 1)).astype(np.float32),
                    RNG.normal(3.0, 3.0, (N, 1)).astype(np.float32)),
    "mape (n, 3), negative targets": ("mean_absolute_percentage_error",
                                      -RNG.uniform(0.5, 10.0, (N, 3)).astype(np.float32),
                                      RNG.normal(0.0, 5.0, (N, 3)).astype(np.float32)),
}


@pytest.mark.parametrize("case", list(BUILT_IN))
def test_loss_and_gradient_equal_keras_built_in(case):
    name, y_true, y_pred = BUILT_IN[case]
    expected, expected_grad = _tape(keras.losses.get(name), y_true, y_pred)
    loss, grad = L.LOSSES[name]
    np.testing.assert_allclose(loss(y_true, y_pred), expected, rtol=1e-5, atol=1e-4)
    got_grad = grad(y_true, y_pred)
    assert got_grad.shape == y_pred.shape
    np.testing.assert_allclose(got_grad, expected_grad, rtol=1e-4, atol=1e-4)


def test_poisson_and_mape_are_registered_under_keras_names():
    assert L.LOSSES["poisson"] == (L.poisson, L.poisson_grad)
    assert L.LOSSES["mean_absolute_percentage_error"] == (L.mape, L.mape_grad)
    assert keras.losses.get("mape") is keras.losses.get("mean_absolute_percentage_error")


# ---- Gaussian NLL with a predicted variance
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("min_variance", [1e-6, 0.01])
def test_gaussian_nll_equals_the_keras_ops_loss_and_its_gradient(beta, min_variance):
    y_true = RNG.normal(0.0, 2.0, (N, 1)).astype(np.float32)
    y_pred = np.c_[RNG.normal(0.0, 2.0, N), RNG.normal(0.0, 3.0, N)].astype(np.float32)
    y_pred[:3, 1] = [-20.0, 15.0, 0.0]  # variance at its floor, large, softplus(0)

    def fn(t, p):
        return keras_gaussian_nll(t, p, min_variance, beta)

    expected, expected_grad = _tape(fn, y_true, y_pred)
    got = L.gaussian_nll(y_true, y_pred, min_variance=min_variance, beta=beta)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(L.gaussian_nll_grad(y_true[:, 0], y_pred, min_variance=min_variance, beta=beta),
                               expected_grad, rtol=1e-3, atol=1e-4)


def test_beta_nll_holds_its_weight_constant_as_seitzer_et_al_do():
    """beta-NLL's mean step is (sigma^2)^(beta - 1) (mu - y), and its variance step is the NLL's times the weight;
    a weight left live in the gradient gives another variance step (and another minimizer)."""
    y_true = np.array([[1.0], [-2.0], [0.5]], np.float32)
    y_pred = np.array([[0.0, 0.3], [1.0, 2.0], [0.5, -1.0]], np.float32)
    var = L.gaussian_variance(y_pred)
    grad = L.gaussian_nll_grad(y_true[:, 0], y_pred, beta=0.5)
    np.testing.assert_allclose(grad[:, 0], var ** -0.5 * (y_pred[:, 0] - y_true[:, 0]), rtol=1e-6)
    np.testing.assert_allclose(grad[:, 1], var ** 0.5 * L.gaussian_nll_grad(y_true[:, 0], y_pred)[:, 1], rtol=1e-6)

    def live_weight(t, p):
        variance = ops.softplus(p[..., 1:]) + 1e-6
        return ops.mean(keras_gaussian_nll(t, p)[:, None] * variance ** 0.5, axis=-1)

    _, live = _tape(live_weight, y_true, y_pred)
    assert np.abs(live[:, 1] - grad[:, 1]).max() > 1e-2


def test_gaussian_nll_stays_finite_for_extreme_raw_scores():
    y_pred = np.array([[0.0, -1e4], [0.0, 1e4], [0.0, 80.0]])
    for beta in (0.0, 0.5):
        assert np.all(np.isfinite(L.gaussian_nll([1.0, 1.0, 1.0], y_pred, beta=beta)))
        assert np.all(np.isfinite(L.gaussian_nll_grad([1.0, 1.0, 1.0], y_pred, beta=beta)))
    _, grad = _tape(keras_gaussian_nll, np.ones((3, 1), np.float32), y_pred.astype(np.float32))
    assert np.all(np.isfinite(grad))


def test_gaussian_nll_is_the_log_density_and_is_smallest_at_the_right_variance():
    y, mu, sigma2 = 1.3, 0.4, 2.5
    raw = np.log(np.expm1(sigma2 - 1e-6))  # softplus(raw) + 1e-6 = sigma2
    from scipy.stats import norm
    assert L.gaussian_nll([y], [[mu, raw]])[0] == pytest.approx(-norm.logpdf(y, mu, np.sqrt(sigma2)), rel=1e-9)
    assert L.gaussian_variance([[mu, raw]])[0] == pytest.approx(sigma2)
    # for one error e, the loss over sigma^2 is smallest at sigma^2 = e^2
    raws = np.linspace(-3, 3, 601)
    e = 1.5
    values = L.gaussian_nll(np.full(601, e), np.c_[np.zeros(601), raws])
    assert L.gaussian_variance(np.c_[np.zeros(601), raws])[np.argmin(values)] == pytest.approx(e**2, rel=0.01)


# ---- pinball
@pytest.mark.parametrize("quantiles", [0.9, (0.1, 0.5, 0.9), (0.05, 0.25, 0.5, 0.75, 0.95)])
def test_pinball_equals_the_keras_ops_loss_and_its_gradient(quantiles):
    k = len(np.atleast_1d(quantiles))
    y_true = RNG.normal(0.0, 2.0, (N, 1)).astype(np.float32)
    y_pred = RNG.normal(0.0, 2.0, (N, k)).astype(np.float32)
    y_pred[0, 0] = y_true[0, 0]  # a tie: TensorFlow's maximum sends the gradient to q * e
    expected, expected_grad = _tape(keras_pinball(quantiles), y_true, y_pred)
    np.testing.assert_allclose(L.pinball(y_true, y_pred, quantiles), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(L.pinball_grad(y_true, y_pred, quantiles), expected_grad, rtol=1e-5, atol=1e-6)


def test_pinball_is_smallest_at_the_quantile_and_one_column_may_be_1d():
    y = RNG.lognormal(0.0, 1.0, 4001)
    grid = np.quantile(y, np.linspace(0.5, 0.99, 99))
    for q in (0.7, 0.9):
        values = [L.pinball(y, np.full(len(y), c), q).mean() for c in grid]
        assert grid[np.argmin(values)] == pytest.approx(np.quantile(y, q), rel=0.02)
    assert L.pinball([1.0, 2.0], [0.0, 3.0], 0.9).tolist() == pytest.approx([0.9, 0.1])
    assert L.pinball_grad([1.0, 2.0], [0.0, 3.0], 0.9).shape == (2,)
    # the median level is half the absolute error
    np.testing.assert_allclose(L.pinball(y[:50], y[50:100], 0.5), 0.5 * np.abs(y[:50] - y[50:100]))


def test_poisson_is_smallest_at_the_mean_and_mape_below_the_median():
    counts = RNG.poisson(2.5, 2001).astype(float)
    rates = np.linspace(1.5, 3.5, 2001)
    best = rates[np.argmin([L.poisson(counts, np.full(len(counts), r)).mean() for r in rates])]
    assert best == pytest.approx(counts.mean(), abs=2e-3)
    y = RNG.lognormal(0.0, 0.75, 2001)
    cands = np.linspace(0.1, 3.0, 2901)
    best = cands[np.argmin([L.mape(y, np.full(len(y), c)).mean() for c in cands])]
    assert best < 0.8 * np.median(y)


# ---- bad input
BAD_INPUTS = [
    (L.poisson, ([1.0, -2.0], [1.0, 1.0]), "y_true must be counts.*negative value -2"),
    (L.poisson, ([1.0, 2.0], [1.0, -0.5]), "positive rate.*exponential"),
    (L.poisson_grad, ([1.0], [-3.0]), "positive rate"),
    (L.poisson, ([1.0, 2.0], [1.0, 2.0, 3.0]), "must match"),
    (L.gaussian_nll, ([1.0, 2.0], [0.0, 1.0]), "shape \\(n, 2\\).*Dense\\(2\\)"),
    (L.gaussian_nll, ([1.0, 2.0, 3.0], [[0.0, 1.0]] * 2), "y_true must have shape \\(2,\\) or \\(2, 1\\)"),
    (L.gaussian_nll_grad, ([1.0], [[0.0, 1.0]], 0.0), "min_variance must be a small positive number"),
    (L.gaussian_nll, ([1.0], [[0.0, 1.0]], 1e-6, 2.0), "beta must lie in \\[0, 1\\]"),
    (L.gaussian_variance, ([[0.0, 1.0, 2.0]],), "2 columns"),
    (L.pinball, ([1.0], [0.0], 1.0), "strictly between 0 and 1"),
    (L.pinball, ([1.0], [[0.0, 1.0]], 0.5), "one column per quantile.*\\(n, 1\\)"),
    (L.pinball_grad, ([1.0, 2.0], [[0.0, 1.0]] * 3, (0.1, 0.9)), "y_true must have shape \\(3,\\)"),
    (L.mape, ([1.0, np.nan], [1.0, 1.0]), "y_true contains NaN"),
    (L.mape_grad, (np.zeros(3), np.zeros((3, 2))), "must match"),
]


@pytest.mark.parametrize("fn,args,message", BAD_INPUTS, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD_INPUTS)])
def test_bad_input_raises_a_clear_value_error(fn, args, message):
    kwargs = {}
    if fn in (L.gaussian_nll, L.gaussian_nll_grad) and len(args) > 2:
        kwargs = dict(zip(["min_variance", "beta"], args[2:]))
        args = args[:2]
    with pytest.raises(ValueError, match=message):
        fn(*args, **kwargs)


def test_every_function_has_a_docstring_with_a_formula_and_an_example():
    for fn in (L.poisson, L.poisson_grad, L.gaussian_nll, L.gaussian_nll_grad, L.gaussian_variance,
               L.pinball, L.pinball_grad, L.mape, L.mape_grad):
        assert fn.__doc__ and ":math:" in fn.__doc__ and ">>>" in fn.__doc__, fn.__name__
