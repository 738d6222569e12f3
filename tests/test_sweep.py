"""losslab.sweep: every member trains exactly as model.fit would train it alone."""

import keras
import numpy as np
import pytest

from losslab import data, metrics, models, set_seed, sweep

(X, Y), (X_VAL, Y_VAL) = data.circles()
X, Y, X_VAL, Y_VAL = X[:70], Y[:70], X_VAL[:40], Y_VAL[:40]
SEEDS = [0, 3]
RATES = [0.01, 0.05]
EPOCHS = 3
# Members checked against model.fit: one per seed, at different rates (each
# model.fit costs a second or two; the other members train in the same graph).
CHECKED = [(0, 0), (1, 1)]

OPTIMIZERS = {
    "SGD": lambda lr: keras.optimizers.SGD(lr),
    "SGD momentum": lambda lr: keras.optimizers.SGD(lr, momentum=0.9),
    "SGD Nesterov": lambda lr: keras.optimizers.SGD(lr, momentum=0.9, nesterov=True),
    "RMSprop": lambda lr: keras.optimizers.RMSprop(lr),
    "RMSprop momentum": lambda lr: keras.optimizers.RMSprop(lr, momentum=0.5),
    "Adam": lambda lr: keras.optimizers.Adam(lr),
}


def builder(optimizer, loss="binary_crossentropy", output="sigmoid", units=1, metrics_=("accuracy",),
            n_inputs=2, hidden=(6,), learning_rate=0.01):
    def build():
        model = models.mlp(n_inputs, hidden, output_units=units, output_activation=output)
        model.compile(loss=loss, optimizer=OPTIMIZERS[optimizer](learning_rate), metrics=list(metrics_))
        return model
    return build


def fit_alone(build, seed, lr, x, y, batch_size, validation_data, **kwargs):
    set_seed(seed)
    model = build()
    model.optimizer.learning_rate.assign(lr)
    history = model.fit(x, y, epochs=EPOCHS, batch_size=batch_size or len(x), shuffle=False, verbose=0,
                        validation_data=validation_data, **kwargs)
    return model, history.history


def assert_members_match_fit(build, x, y, *, batch_size, validation_data=None, checked=CHECKED, **kwargs):
    result = sweep.train(build, x, y, seeds=SEEDS, learning_rates=RATES, epochs=EPOCHS, batch_size=batch_size,
                         shuffle=False, validation_data=validation_data, **kwargs)
    for i, j in checked:
        seed, lr = SEEDS[i], RATES[j]
        model, expected = fit_alone(build, seed, lr, x, y, batch_size, validation_data, **kwargs)
        member = i * len(RATES) + j
        for keras_w, ours in zip(model.get_weights(), result.params):
            np.testing.assert_allclose(ours[member], keras_w, rtol=1e-4, atol=1e-6)
        got = result.member_history(seed, lr)
        assert sorted(got) == sorted(expected)
        for key in expected:
            first = 1 if key == "sign_accuracy" else 0
            # (model.fit's first epoch of a custom metric also counts the two
            # examples of its symbolic build: 38/72 where the epoch has 37/70)
            np.testing.assert_allclose(got[key][first:], expected[key][first:], rtol=1e-4, atol=1e-6,
                                       err_msg=key)
    return result


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("batch_size", [16, None])
def test_every_member_equals_model_fit(optimizer, batch_size):
    """Weights and per-epoch loss/metrics of each (seed, rate) member equal model.fit's, to 1e-4."""
    validation = (X_VAL, Y_VAL) if batch_size else None  # both with and without validation data
    assert_members_match_fit(builder(optimizer), X, Y, batch_size=batch_size, validation_data=validation)


def test_validation_and_class_weights_match_model_fit():
    result = assert_members_match_fit(builder("SGD momentum"), X, Y, batch_size=16,
                                      validation_data=(X_VAL, Y_VAL), class_weight={0: 1.0, 1: 3.0})
    assert set(result.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert result.history["loss"].shape == (len(SEEDS), len(RATES), EPOCHS)


def test_sample_weights_match_model_fit():
    weights = np.linspace(0.5, 2.0, len(X)).astype(np.float32)
    assert_members_match_fit(builder("Adam"), X, Y, batch_size=16, sample_weight=weights)


@pytest.mark.parametrize("loss,output,labels", [
    ("hinge", "tanh", "pm"), ("squared_hinge", "tanh", "pm"), ("mse", "sigmoid", "01"),
])
def test_other_binary_losses_match_model_fit(loss, output, labels):
    y = data.to_hinge_labels(Y) if labels == "pm" else Y
    y_val = data.to_hinge_labels(Y_VAL) if labels == "pm" else Y_VAL
    build = builder("SGD momentum", loss=loss, output=output, metrics_=[metrics.SignAccuracy()])
    assert_members_match_fit(build, X, y, batch_size=16, validation_data=(X_VAL, y_val), checked=[(1, 1)])


@pytest.mark.parametrize("loss,one_hot", [("sparse_categorical_crossentropy", False),
                                          ("categorical_crossentropy", True), ("kl_divergence", True)])
def test_multiclass_losses_match_model_fit(loss, one_hot):
    (x, y), _ = data.blobs()
    x, y = x[:60] / 10, y[:60]
    target = keras.utils.to_categorical(y, 3) if one_hot else y
    build = builder("SGD momentum", loss=loss, output="softmax", units=3)
    assert_members_match_fit(build, x, target, batch_size=16, validation_data=(x[:20], target[:20]), checked=[(1, 1)])


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "log_cosh", "msle"])
def test_regression_losses_match_model_fit(loss):
    (x, y), _ = data.regression()
    build = builder("SGD momentum", loss=loss, output=None, metrics_=["mse"], n_inputs=20)
    assert_members_match_fit(build, x[:64], y[:64], batch_size=16, validation_data=(x[64:96], y[64:96]),
                             checked=[(1, 1)])


def test_a_loss_object_matches_model_fit():
    build = builder("Adam", loss=keras.losses.BinaryFocalCrossentropy(gamma=2.0))
    assert_members_match_fit(build, X, Y, batch_size=16, checked=[(1, 1)])



@pytest.mark.parametrize("loss,labels", [
    (keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5), "integer"),  # one-hot encodes integer labels itself
    (keras.losses.CategoricalCrossentropy(label_smoothing=0.1), "one-hot"),
])
def test_noisy_label_losses_match_model_fit(loss, labels):
    (x, y), _ = data.blobs()
    x, y = x[:60] / 10, y[:60]
    target = keras.utils.to_categorical(y, 3) if labels == "one-hot" else y
    build = builder("SGD momentum", loss=loss, output="softmax", units=3)
    assert_members_match_fit(build, x, target, batch_size=16, validation_data=(x[:20], target[:20]), checked=[(1, 1)])


def test_multi_label_sigmoids_with_thresholded_accuracies_match_model_fit():
    rng = np.random.default_rng(0)
    y, y_val = ((rng.random((n, 3)) < 0.4).astype(np.float32) for n in (len(X), len(X_VAL)))

    def build():  # new metric objects for every model, as a chapter's build() makes them
        model = models.mlp(2, (6,), output_units=3, output_activation="sigmoid")
        model.compile(loss="binary_crossentropy", optimizer=OPTIMIZERS["SGD momentum"](0.01),
                      metrics=[keras.metrics.BinaryAccuracy(threshold=t, name=f"label_accuracy_{t:g}")
                               for t in (0.3, 0.5)])
        return model

    result = assert_members_match_fit(build, X, y, batch_size=16, validation_data=(X_VAL, y_val), checked=[(1, 1)])
    assert {"val_label_accuracy_0.3", "val_label_accuracy_0.5"} <= set(result.history)

def test_restore_best_keeps_the_best_validation_epoch():
    """With restore_best, each member ends with the weights of its best validation epoch."""
    build = builder("SGD momentum", learning_rate=0.5)
    result = sweep.train(build, X, Y, seeds=SEEDS, learning_rates=[0.05, 2.0], epochs=12, batch_size=16,
                         validation_data=(X_VAL, Y_VAL), restore_best="val_loss")
    val_loss = result.history["val_loss"]
    np.testing.assert_array_equal(result.best_epoch, val_loss.argmin(axis=-1))
    best = result.at_best("val_loss")
    assert np.all(best <= result.final("val_loss"))
    # the kept weights really are that epoch's: their validation loss is the recorded best
    probs = np.clip(result.predict(X_VAL)[..., 0], 1e-7, 1 - 1e-7)
    bce = -(Y_VAL * np.log(probs) + (1 - Y_VAL) * np.log(1 - probs)).mean(axis=-1)
    np.testing.assert_allclose(bce, best, rtol=1e-3)


def test_members_of_one_seed_share_initial_weights_and_shuffling():
    """Two rates with the same seed start alike; one epoch at a tiny rate barely moves them."""
    build = builder("SGD")
    result = sweep.train(build, X, Y, seeds=[5], learning_rates=[1e-9, 1e-9 * 1.0001], epochs=1)
    np.testing.assert_allclose(result.params[0][0], result.params[0][1], rtol=1e-6)
    set_seed(5)
    np.testing.assert_allclose(result.params[0][0], build().get_weights()[0], rtol=1e-6)


def test_shuffled_sweeps_are_reproducible_and_differ_by_seed():
    build = builder("SGD momentum")
    a = sweep.train(build, X, Y, seeds=[0, 1], learning_rates=[0.05], epochs=3, batch_size=8)
    b = sweep.train(build, X, Y, seeds=[0, 1], learning_rates=[0.05], epochs=3, batch_size=8)
    np.testing.assert_array_equal(a.history["loss"], b.history["loss"])
    assert not np.allclose(a.history["loss"][0], a.history["loss"][1])


def test_model_rebuilds_a_member_as_a_keras_model():
    build = builder("Adam")
    result = sweep.train(build, X, Y, seeds=SEEDS, learning_rates=RATES, epochs=2)
    model = result.model(3, 0.05)
    np.testing.assert_allclose(np.asarray(model(X_VAL)), result.predict(X_VAL)[1, 1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make,match", [
    (lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(4), keras.layers.Dropout(0.5),
                               keras.layers.Dense(1, activation="sigmoid")]), "Dropout"),
    (lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, kernel_regularizer="l2"),
                               keras.layers.Dense(1, activation="sigmoid")]), "kernel_regularizer"),
])
def test_unsupported_layers_are_named(make, match):
    def build():
        model = make()
        model.compile(loss="binary_crossentropy", optimizer="sgd")
        return model
    with pytest.raises(ValueError, match=match):
        sweep.train(build, X, Y, seeds=[0], epochs=1)


@pytest.mark.parametrize("optimizer,match", [
    (lambda: keras.optimizers.Adagrad(0.01), "Adagrad"),
    (lambda: keras.optimizers.SGD(0.01, clipnorm=1.0), "clipnorm"),
    (lambda: keras.optimizers.AdamW(0.01), "AdamW"),
    (lambda: keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)), "schedule"),
])
def test_unsupported_optimizers_are_named(optimizer, match):
    def build():
        model = models.mlp(2, (4,))
        model.compile(loss="binary_crossentropy", optimizer=optimizer())
        return model
    with pytest.raises(ValueError, match=match):
        sweep.train(build, X, Y, seeds=[0], epochs=1)


def test_unsupported_metric_is_named():
    def build():
        model = models.mlp(2, (4,))
        model.compile(loss="binary_crossentropy", optimizer="sgd", metrics=[keras.metrics.AUC()])
        return model
    with pytest.raises(ValueError, match="AUC"):
        sweep.train(build, X, Y, seeds=[0], epochs=1)


@pytest.mark.parametrize("kwargs,match", [
    (dict(seeds=[]), "seeds"), (dict(seeds=[1, 1]), "distinct"), (dict(epochs=0), "epochs"),
    (dict(learning_rates=[0.1, -1.0]), "learning_rates"), (dict(batch_size=0), "batch_size"),
    (dict(restore_best="val_loss"), "validation_data"), (dict(class_weight={0: 1.0}), "class"),
])
def test_bad_arguments_get_clear_errors(kwargs, match):
    args = dict(seeds=[0], epochs=1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sweep.train(builder("SGD"), X, Y, **args)


def test_uncompiled_model_is_refused():
    with pytest.raises(ValueError, match="compiled"):
        sweep.train(lambda: models.mlp(2, (4,)), X, Y, seeds=[0], epochs=1)


def test_unknown_member_is_refused():
    result = sweep.train(builder("SGD"), X, Y, seeds=[0], learning_rates=[0.1, 0.2], epochs=1)
    with pytest.raises(ValueError, match="seed 7"):
        result.member_history(7, 0.1)
    with pytest.raises(ValueError, match="learning rate 0.3"):
        result.member_history(0, 0.3)
