"""losslab.protocol: the learning rate is chosen on validation data, per contender."""

import functools

import keras
import numpy as np
import pytest

from losslab import data, models, protocol, report

(X, Y), (X_VAL, Y_VAL), (X_TEST, Y_TEST) = data.regression(noise=50, validation=True)
X, Y, X_VAL, Y_VAL = X[:120], Y[:120], X_VAL[:100], Y_VAL[:100]
RATES = [0.001, 0.01, 0.1, 1.0]


def build(loss):
    model = models.mlp(20, (8,), output_activation=None)
    model.compile(loss=loss, metrics=["mse"], optimizer=keras.optimizers.SGD(0.01, momentum=0.9))
    return model


@pytest.fixture(scope="module")
def tuned():
    return {loss: protocol.tune(functools.partial(build, loss), X, Y, validation_data=(X_VAL, Y_VAL),
                                learning_rates=RATES, seeds=range(3), epochs=30, batch_size=None,
                                select="val_mse")
            for loss in ["mse", "huber"]}


def test_the_chosen_rate_has_the_best_mean_validation_score(tuned):
    for t in tuned.values():
        kept = t.sweep.at_best("val_mse")
        assert t.grid == pytest.approx(kept.mean(axis=0))
        finite = np.where(np.isfinite(t.grid), t.grid, np.inf)
        assert t.learning_rate == RATES[int(np.argmin(finite))]
        assert t.at_edge == (t.index in (0, len(RATES) - 1))


def test_early_stopping_keeps_each_runs_best_epoch(tuned):
    t = tuned["mse"]
    curves = t.history("val_mse")
    np.testing.assert_array_equal(t.best_epoch, np.nanargmin(curves, axis=1) + 1)
    np.testing.assert_allclose(t.final("val_mse"), np.nanmin(curves, axis=1))
    # the kept weights are the ones scored: their validation MSE is the recorded best
    val_mse = t.score(lambda p: np.mean((p[:, 0] - Y_VAL) ** 2), X_VAL)
    np.testing.assert_allclose(val_mse, t.final("val_mse"), rtol=1e-4)


def test_the_largest_rate_diverges_and_is_not_chosen(tuned):
    assert not np.isfinite(tuned["mse"].sweep.final("val_mse")[:, -1]).all()
    assert tuned["mse"].learning_rate != 1.0


def test_grid_rows_show_every_rate_and_mark_the_chosen_one(tuned):
    header, rows = protocol.grid_rows(tuned)
    assert header == ["contender", "lr 0.001", "lr 0.01", "lr 0.1", "lr 1"]
    assert [r[0] for r in rows] == ["mse", "huber"]
    for row, t in zip(rows, tuned.values()):
        marked = [i for i, cell in enumerate(row[1:]) if cell.endswith(" *")]
        assert marked == [t.index]
    # its kept epoch came before it blew up: median [quartiles], not mean ± std
    assert rows[0][-1].endswith("] (3 diverged)") and "±" not in rows[0][-1]
    assert "lr 0.01" in report.table(header, rows)


def test_predictions_are_one_per_seed_at_the_chosen_rate(tuned):
    t = tuned["huber"]
    out = t.predict(X_TEST)
    assert out.shape == (3, len(X_TEST), 1)
    np.testing.assert_allclose(out, t.sweep.predict(X_TEST)[:, t.index])


@pytest.mark.parametrize("kwargs,match", [
    (dict(learning_rates=[0.01]), "at least two"),
    (dict(validation_data=None), "validation_data"),
    (dict(select="mse"), "validation key"),
    (dict(select="val_accuracy"), "not recorded"),
    (dict(mode="lowest"), "mode"),
])
def test_misuse_is_refused(kwargs, match):
    args = dict(validation_data=(X_VAL, Y_VAL), learning_rates=[0.01, 0.1], seeds=[0], epochs=1,
                select="val_mse")
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        protocol.tune(functools.partial(build, "mse"), X, Y, **args)
