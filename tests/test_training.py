"""losslab.training.fit makes the same updates as model.fit; losslab.runs.run_seeds repeats it over seeds."""

import keras
import numpy as np
import pytest

import losslab
from losslab import data, metrics, models, runs, training

(X_TRAIN, Y_TRAIN), (X_TEST, Y_TEST) = data.circles()

OPTIMIZERS = {
    "sgd_momentum": lambda: keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    "adam": lambda: keras.optimizers.Adam(learning_rate=0.01),
    "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=0.01),
}


def _twin_models(optimizer, loss="binary_crossentropy", metrics=("accuracy",)):
    losslab.set_seed(3)
    first = models.mlp(2, (8,))
    second = models.mlp(2, (8,))
    second.set_weights(first.get_weights())
    for model in (first, second):
        model.compile(loss=loss, optimizer=OPTIMIZERS[optimizer](), metrics=list(metrics))
    return first, second


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("batch_size", [32, None], ids=["batch32-partial-last", "full-batch"])
def test_fit_matches_keras_fit_weights_and_history(optimizer, batch_size):
    ours, keras_model = _twin_models(optimizer)
    assert len(X_TRAIN) % 32 != 0  # so batch 32 ends on a partial batch
    epochs = 6
    mine = training.fit(ours, X_TRAIN, Y_TRAIN, epochs=epochs, batch_size=batch_size,
                        shuffle=False, validation_data=(X_TEST, Y_TEST))
    ref = keras_model.fit(X_TRAIN, Y_TRAIN, epochs=epochs, batch_size=batch_size or len(X_TRAIN),
                          shuffle=False, validation_data=(X_TEST, Y_TEST), verbose=0)
    for w_ours, w_ref in zip(ours.get_weights(), keras_model.get_weights()):
        assert np.abs(w_ours - w_ref).max() < 1e-4
    assert set(mine.history) == set(ref.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for key in ref.history:
        assert len(mine.history[key]) == epochs
        np.testing.assert_allclose(mine.history[key], ref.history[key], atol=1e-5, err_msg=key)
    assert mine.epoch == list(range(epochs))


def test_history_uses_keras_metric_names():
    model = models.mlp(2, (4,), output_activation="tanh")
    model.compile(loss="hinge", optimizer="sgd", metrics=[metrics.SignAccuracy(), "mae"])
    history = training.fit(model, X_TRAIN, data.to_hinge_labels(Y_TRAIN), epochs=2)
    assert set(history.history) == {"loss", "sign_accuracy", "mae"}


def test_shuffled_training_is_reproducible_and_differs_from_unshuffled():
    def run(shuffle):
        losslab.set_seed(5)
        model = models.mlp(2, (8,))
        model.compile(loss="binary_crossentropy", optimizer="sgd")
        return training.fit(model, X_TRAIN, Y_TRAIN, epochs=3, shuffle=shuffle).history["loss"]

    assert run(True) == run(True)
    assert run(True) != run(False)


def test_progress_line_goes_to_stderr_only_when_asked(capsys):
    model = models.mlp(2, (4,))
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    quiet = training.fit(model, X_TRAIN, Y_TRAIN, epochs=20, shuffle=False)
    assert capsys.readouterr().err == ""
    model.set_weights([w * 0 for w in model.get_weights()])
    training.fit(model, X_TRAIN, Y_TRAIN, epochs=20, progress=True)
    err = capsys.readouterr().err
    assert "epoch 20/20" in err and "epoch 2/20" in err
    assert len(quiet.history["loss"]) == 20


def _build_circles_model():
    model = models.mlp(2, (8,))
    model.compile(loss="binary_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                  metrics=["accuracy"])
    return model


def test_run_seeds_equals_training_each_seed_separately():
    def test_accuracy(model):
        return {"test_acc": float(np.mean((model.predict(X_TEST, verbose=0)[:, 0] > 0.5) == Y_TEST))}

    result = runs.run_seeds(_build_circles_model, X_TRAIN, Y_TRAIN, seeds=[1, 2, 3], epochs=4,
                                evaluate=test_accuracy)
    for i, seed in enumerate([1, 2, 3]):
        losslab.set_seed(seed)
        model = _build_circles_model()
        alone = training.fit(model, X_TRAIN, Y_TRAIN, epochs=4).history
        np.testing.assert_allclose(result.histories[i]["loss"], alone["loss"], rtol=1e-6)
        assert result.scores["test_acc"][i] == test_accuracy(model)["test_acc"]
    mean, std = result.curve("loss")
    assert mean.shape == std.shape == (4,)
    np.testing.assert_allclose(result.final("accuracy"), [h["accuracy"][-1] for h in result.histories])
    acc = result.scores["test_acc"]
    assert result.summary()["test_acc"] == f"{acc.mean():.3f} ± {acc.std():.3f}"
    assert len(set(result.final("loss"))) == 3  # different seeds, different runs


@pytest.mark.parametrize("kwargs,message", [
    ({"epochs": 0}, "epochs must be a positive integer"),
    ({"epochs": 2, "batch_size": 0}, "batch_size must be a positive integer or None"),
    ({"epochs": 2, "validation_data": (X_TEST,)}, "validation_data must be a pair"),
])
def test_fit_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        training.fit(_build_circles_model(), X_TRAIN, Y_TRAIN, **kwargs)


def test_fit_rejects_uncompiled_model_and_mismatched_data():
    with pytest.raises(ValueError, match="must be compiled"):
        training.fit(models.mlp(2, (4,)), X_TRAIN, Y_TRAIN, epochs=1)
    with pytest.raises(ValueError, match="same number of rows"):
        training.fit(_build_circles_model(), X_TRAIN, Y_TRAIN[:10], epochs=1)
    with pytest.raises(ValueError, match="contains NaN"):
        training.fit(_build_circles_model(), np.full((4, 2), np.nan), np.zeros(4), epochs=1)
    with pytest.raises(ValueError, match="seeds is empty"):
        runs.run_seeds(_build_circles_model, X_TRAIN, Y_TRAIN, seeds=[], epochs=1)


def test_class_weight_matches_keras_fit():
    ours, keras_model = _twin_models("sgd_momentum")
    weights = {0: 1.0, 1: 4.0}
    mine = training.fit(ours, X_TRAIN, Y_TRAIN, epochs=4, shuffle=False, class_weight=weights,
                        validation_data=(X_TEST, Y_TEST))
    ref = keras_model.fit(X_TRAIN, Y_TRAIN, epochs=4, batch_size=32, shuffle=False, class_weight=weights,
                          validation_data=(X_TEST, Y_TEST), verbose=0)
    for w_ours, w_ref in zip(ours.get_weights(), keras_model.get_weights()):
        assert np.abs(w_ours - w_ref).max() < 1e-4
    for key in ref.history:
        np.testing.assert_allclose(mine.history[key], ref.history[key], atol=1e-5, err_msg=key)
    # and the weights matter: an unweighted run ends elsewhere
    unweighted, _ = _twin_models("sgd_momentum")
    training.fit(unweighted, X_TRAIN, Y_TRAIN, epochs=4, shuffle=False)
    assert np.abs(unweighted.get_weights()[0] - ours.get_weights()[0]).max() > 1e-3


def test_class_weight_rejects_missing_classes():
    with pytest.raises(ValueError, match="no weight for class\\(es\\) \\[1\\]"):
        training.fit(_build_circles_model(), X_TRAIN, Y_TRAIN, epochs=1, class_weight={0: 1.0})


def test_run_seeds_reuses_one_model_for_identical_setups():
    # the speed of run_seeds rests on this: same layers, loss and optimizer -> same setup
    assert runs._same_setup(_build_circles_model(), _build_circles_model())

    def other_lr():
        model = models.mlp(2, (8,))
        model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.5),
                      metrics=["accuracy"])
        return model

    assert not runs._same_setup(_build_circles_model(), other_lr())
