"""The appendix "Every Keras loss" lists every loss the pinned Keras ships, and each formula on it is Keras's.

The losses are found by enumerating ``keras.losses`` (its ``Loss`` subclasses
and its loss functions), so a Keras upgrade that adds one fails here until the
page describes it. Each loss except CTC is computed by its numpy reference in
``losslab.losses`` and by Keras (the function, and the class with
``reduction=None``) on the same inputs, and the two must agree to float32
rounding.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import keras
import numpy as np
import pytest

from losslab import losses

PAGE = Path(__file__).resolve().parents[1] / "appendix" / "keras_losses.md"
NOT_LOSSES = {"Loss", "deserialize", "get", "serialize"}
WITHOUT_REFERENCE = {"CTC": "ctc"}  # described on the page without a numpy reference


def keras_loss_classes() -> list[str]:
    return sorted(name for name, obj in vars(keras.losses).items()
                  if inspect.isclass(obj) and issubclass(obj, keras.losses.Loss) and name not in NOT_LOSSES)


def keras_loss_functions() -> list[str]:
    return sorted(name for name, obj in vars(keras.losses).items()
                  if inspect.isfunction(obj) and not name.startswith("_") and name not in NOT_LOSSES)


# ---------------------------------------------------------------- inputs
RNG = np.random.default_rng(0)
N, K = 12, 4


def _f32(*arrays):
    return tuple(np.asarray(a, dtype=np.float32) for a in arrays)


def _probs(n=N, k=K):
    p = RNG.uniform(0.02, 1.0, size=(n, k))
    return p / p.sum(axis=1, keepdims=True)


def _onehot(n=N, k=K):
    return np.eye(k)[RNG.integers(0, k, size=n)]


REAL = _f32(RNG.normal(size=(N, K)), RNG.normal(size=(N, K)))
POSITIVE = _f32(RNG.uniform(0, 3, size=(N, K)), RNG.uniform(0.1, 3, size=(N, K)))
COUNTS = _f32(RNG.poisson(2.0, size=(N, K)), RNG.uniform(0.2, 4, size=(N, K)))
NONZERO = _f32(RNG.choice([-1, 1], size=(N, K)) * RNG.uniform(0.5, 3, size=(N, K)), RNG.normal(size=(N, K)))
BINARY = _f32(RNG.integers(0, 2, size=(N, K)), RNG.uniform(0.01, 0.99, size=(N, K)))
BINARY_LOGITS = _f32(BINARY[0], RNG.normal(0, 3, size=(N, K)))
ONEHOT = _f32(_onehot(), _probs())
ONEHOT_SCORES = _f32(ONEHOT[0], RNG.normal(size=(N, K)))
UNNORMALISED = _f32(ONEHOT[0], RNG.uniform(0.05, 1, size=(N, K)))  # rows need not sum to 1
SOFT = _f32(_probs(), _probs())
SPARSE = _f32(RNG.integers(0, K, size=N), _probs())
MASKS = _f32(RNG.integers(0, 2, size=(N, K)), RNG.uniform(0, 1, size=(N, K)))
_E = RNG.normal(size=(N, 3))
EMBEDDINGS = _f32(RNG.integers(0, 3, size=N), _E / np.linalg.norm(_E, axis=1, keepdims=True))
REAL_WITH_ZERO_ROW = _f32(np.vstack([REAL[0][:-1], np.zeros(K)]), REAL[1])


def _optional(name: str):
    """A reference that the chapter on predicting more than a mean adds to losslab.losses."""
    def reference(*args, **kwargs):
        fn = getattr(losses, name, None)
        if fn is None:
            pytest.skip(f"losslab.losses has no {name!r} reference in this checkout")
        return fn(*args, **kwargs)
    reference.__name__ = name
    return reference


# Keras class -> (its function in keras.losses, numpy reference, [(inputs, keyword arguments), ...])
CASES = {
    "MeanSquaredError": ("mean_squared_error", losses.mse, [(REAL, {})]),
    "MeanAbsoluteError": ("mean_absolute_error", losses.mae, [(REAL, {})]),
    "MeanSquaredLogarithmicError": ("mean_squared_logarithmic_error", losses.msle, [(POSITIVE, {})]),
    "MeanAbsolutePercentageError": ("mean_absolute_percentage_error", _optional("mape"), [(NONZERO, {})]),
    "Huber": ("huber", losses.huber, [(REAL, {}), (REAL, {"delta": 0.5})]),
    "LogCosh": ("log_cosh", losses.log_cosh, [(REAL, {})]),
    "Poisson": ("poisson", _optional("poisson"), [(COUNTS, {})]),
    "CosineSimilarity": ("cosine_similarity", losses.cosine_similarity, [(REAL_WITH_ZERO_ROW, {})]),
    "BinaryCrossentropy": ("binary_crossentropy", losses.binary_cross_entropy,
                           [(BINARY, {}), (BINARY_LOGITS, {"from_logits": True})]),
    "BinaryFocalCrossentropy": ("binary_focal_crossentropy", losses.binary_focal_cross_entropy, [
        (BINARY, {}),
        (BINARY, {"gamma": 1.5, "alpha": 0.3, "apply_class_balancing": True, "label_smoothing": 0.1}),
        (BINARY_LOGITS, {"from_logits": True})]),
    "Hinge": ("hinge", losses.hinge, [(_f32(BINARY[0], REAL[1]), {})]),
    "SquaredHinge": ("squared_hinge", losses.squared_hinge, [(_f32(BINARY[0], REAL[1]), {})]),
    "CategoricalHinge": ("categorical_hinge", losses.categorical_hinge, [(ONEHOT_SCORES, {})]),
    "CategoricalCrossentropy": ("categorical_crossentropy", losses.categorical_cross_entropy,
                                [(ONEHOT, {}), (ONEHOT_SCORES, {"from_logits": True})]),
    "SparseCategoricalCrossentropy": ("sparse_categorical_crossentropy", losses.sparse_categorical_cross_entropy,
                                      [(SPARSE, {})]),
    "KLDivergence": ("kl_divergence", losses.kl_divergence, [(SOFT, {})]),
    "CategoricalFocalCrossentropy": ("categorical_focal_crossentropy", losses.categorical_focal_cross_entropy, [
        (UNNORMALISED, {}), (ONEHOT, {"gamma": 1.0, "alpha": 0.5, "label_smoothing": 0.1}),
        (ONEHOT_SCORES, {"from_logits": True})]),
    "CategoricalGeneralizedCrossEntropy": ("categorical_generalized_cross_entropy",
                                           losses.categorical_generalized_cross_entropy,
                                           [(SPARSE, {"q": 0.5}), (SPARSE, {"q": 0.9})]),
    "Dice": ("dice", losses.dice, [(MASKS, {}), (MASKS, {"axis": 1})]),
    "Tversky": ("tversky", losses.tversky, [(MASKS, {}), (MASKS, {"alpha": 0.7, "beta": 0.3, "axis": 1})]),
    "Circle": ("circle", losses.circle, [(EMBEDDINGS, {}), (EMBEDDINGS, {"gamma": 2.0, "margin": 0.25})]),
}
PARAMS = [(name, i) for name, (_, _, inputs) in CASES.items() for i in range(len(inputs))]


def page_text() -> str:
    return PAGE.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the page lists them all
def test_keras_still_ships_the_losses_the_page_was_written_for():
    """The enumeration finds Keras's losses (a guard against an enumeration that finds nothing)."""
    classes, functions = keras_loss_classes(), keras_loss_functions()
    assert {"MeanSquaredError", "Poisson", "Tversky", "CTC"} <= set(classes)
    assert {"mean_squared_error", "poisson", "tversky", "ctc"} <= set(functions)
    assert len(classes) >= 22 and len(functions) >= 22


@pytest.mark.parametrize("name", keras_loss_classes() + keras_loss_functions())
def test_every_keras_loss_is_on_the_page(name):
    assert f"`{name}`" in page_text(), (
        f"keras.losses.{name} is not described in {PAGE.name}: add it to the table "
        "(formula, labels, output layer, when to use it, where the book treats it).")


def test_every_keras_loss_class_has_a_numpy_check():
    unchecked = set(keras_loss_classes()) - set(CASES) - set(WITHOUT_REFERENCE)
    assert not unchecked, f"no numpy reference checked against Keras for {sorted(unchecked)}"


def test_every_keras_loss_function_belongs_to_a_checked_class():
    covered = {fn for fn, _, _ in CASES.values()} | set(WITHOUT_REFERENCE.values())
    missing = set(keras_loss_functions()) - covered
    assert not missing, f"keras.losses functions without a numpy check: {sorted(missing)}"


def test_the_page_names_each_reference_and_says_which_loss_has_none():
    text = page_text()
    for name, (_, reference, _) in CASES.items():
        assert f"losses.{reference.__name__}" in text, f"the row of {name} does not name losses.{reference.__name__}"
    ctc_row = next(line for line in text.splitlines() if line.startswith("|") and "`CTC`" in line)
    assert "no numpy reference" in ctc_row


def test_every_chapter_link_on_the_page_points_to_a_chapter():
    targets = set(re.findall(r"\{doc\}`[^`<]*<(\.\./chapters/\w+)>`", page_text()))
    assert len(targets) >= 5, "the page links to too few chapters"
    for target in targets:
        path = (PAGE.parent / f"{target}.ipynb").resolve()
        if path.name == "beyond_the_mean.ipynb" and not path.exists():
            continue  # checked once that chapter is in the checkout
        assert path.exists(), f"{PAGE.name} links to {target}, which is not a chapter"


# ---------------------------------------------------------------- the formulas are Keras's
def _keras_values(name, y_true, y_pred, kwargs):
    function_name = CASES[name][0]
    from_function = np.asarray(getattr(keras.losses, function_name)(y_true, y_pred, **kwargs))
    from_class = np.asarray(getattr(keras.losses, name)(reduction=None, **kwargs)(y_true, y_pred))
    return from_function, from_class


@pytest.mark.parametrize("name,case", PARAMS)
def test_numpy_reference_equals_keras(name, case):
    _, reference, inputs = CASES[name]
    (y_true, y_pred), kwargs = inputs[case]
    expected = np.asarray(reference(y_true, y_pred, **kwargs))
    assert np.all(np.isfinite(expected))
    for what, got in zip(["function", "class"], _keras_values(name, y_true, y_pred, kwargs)):
        assert got.shape == expected.shape, f"{what}: Keras gives shape {got.shape}, numpy {expected.shape}"
        np.testing.assert_allclose(expected, got, rtol=2e-5, atol=2e-6, err_msg=f"{name} ({what}) {kwargs}")


def test_the_checks_see_differences_between_examples():
    """Per-example references must not be constant (a check of a constant would prove little)."""
    for name, (_, reference, inputs) in CASES.items():
        if name in ("Dice", "Tversky", "MeanAbsolutePercentageError", "Poisson"):
            continue  # Dice/Tversky default to one number per batch; the optional two are checked above
        (y_true, y_pred), kwargs = inputs[0]
        values = np.asarray(reference(y_true, y_pred, **kwargs))
        assert values.shape == (N,) and np.ptp(values) > 1e-3, name


def test_generalized_cross_entropy_needs_integer_labels_of_rank_one():
    """Keras's GCE one-hot encodes y_true itself; labels of shape (n, 1) broadcast to an (n, n) table."""
    y, p = SPARSE
    right = keras.losses.CategoricalGeneralizedCrossEntropy(reduction=None)(y, p)
    column = keras.losses.CategoricalGeneralizedCrossEntropy(reduction=None)(y[:, None], p)
    assert np.asarray(right).shape == (N,)
    assert np.asarray(column).shape == (N, N)
    # with the default reduction (what compile uses) the table is averaged into one number, without an error
    averaged = float(keras.losses.CategoricalGeneralizedCrossEntropy()(y[:, None], p))
    assert averaged == pytest.approx(float(np.mean(column)), rel=1e-6)
    assert averaged != pytest.approx(float(np.mean(right)), rel=1e-3)


def test_keras_tversky_alpha_weights_the_missed_positives():
    """With alpha=1, beta=0 Keras's Tversky ignores false alarms: predicting every pixel costs nothing."""
    y_true = np.array([[1.0, 1.0, 0.0, 0.0]], np.float32)
    everything = np.ones_like(y_true)
    assert float(keras.losses.tversky(y_true, everything, alpha=1.0, beta=0.0)) == pytest.approx(0.0, abs=1e-6)
    assert float(keras.losses.tversky(y_true, everything, alpha=0.0, beta=1.0)) == pytest.approx(0.5, abs=1e-6)


def test_cross_entropies_on_a_keras_sigmoid_or_softmax_use_its_logits_not_the_clipped_probabilities():
    """The page's one exception to clipping: -log p is exact (30), not -log(1e-7) = 16.1, on TensorFlow."""
    z = np.array([[30.0, 0.0, 0.0]], np.float32)
    assert float(keras.losses.binary_crossentropy([[0.0]], keras.ops.sigmoid(z[:, :1]))[0]) == pytest.approx(30.0)
    onehot, softmax = [[0.0, 1.0, 0.0]], keras.ops.softmax(z)
    assert float(keras.losses.categorical_crossentropy(onehot, softmax)[0]) == pytest.approx(30.0, rel=1e-4)
    sparse = keras.losses.sparse_categorical_crossentropy(np.array([1]), softmax)
    assert float(sparse[0]) == pytest.approx(30.0, rel=1e-4)
    # the same probabilities without the logits attached are clipped at 1e-7
    plain = np.asarray(softmax)
    assert float(keras.losses.categorical_crossentropy(onehot, plain)[0]) == pytest.approx(-np.log(1e-7), rel=1e-4)
