"""losslab.plots draws labelled, colour-blind-safe figures and rejects bad input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from losslab import plots  # noqa: E402
from losslab.runs import SeedRuns  # noqa: E402
from losslab.training import History  # noqa: E402


def teardown_function():
    plt.close("all")


def _history(epochs=5, offset=0.0):
    base = np.linspace(1, 0.5, epochs) + offset
    return {"loss": list(base), "val_loss": list(base + 0.1),
            "accuracy": list(1 - base), "val_accuracy": list(0.9 - base)}


def test_learning_curves_panels_labels_and_train_test_styles():
    fig = plots.learning_curves(History(_history()), "accuracy", loss_label="BCE", title="t")
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_ylabel() == "BCE" and acc_ax.get_ylabel() == "accuracy"
    assert loss_ax.get_xlabel() == "epoch"
    train, test = loss_ax.get_lines()
    assert train.get_linestyle() != test.get_linestyle()  # told apart without colour
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["train", "test"]
    np.testing.assert_allclose(test.get_ydata(), _history()["val_loss"])


def test_learning_curves_from_seed_runs_draws_mean_and_band():
    runs = SeedRuns(seeds=[0, 1], histories=[_history(), _history(offset=0.2)], scores={})
    fig = plots.learning_curves(runs, None)
    (ax,) = fig.axes
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), np.linspace(1, 0.5, 5) + 0.1)
    assert len(ax.collections) == 2  # one band for train, one for test


def test_learning_curves_names_missing_keys():
    with pytest.raises(ValueError, match="has no 'val_mae'"):
        plots.learning_curves({"loss": [1.0], "val_loss": [1.0], "mae": [1.0]}, "mae")


def test_lines_uses_distinct_colours_and_dashes():
    ax = plots.lines(np.arange(3), {"a": np.ones(3), "b": np.zeros(3)}, title="t", xlabel="x", ylabel="y")
    a, b = ax.get_lines()
    assert a.get_color() != b.get_color() and a.get_linestyle() != b.get_linestyle()
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("t", "x", "y")


def test_scatter_one_marker_per_class_and_shape_check():
    x = np.array([[0, 0], [1, 1], [2, 2]], dtype=float)
    ax = plots.scatter(x, np.array([0, 1, 1]), title="data")
    assert len(ax.collections) == 2
    with pytest.raises(ValueError, match="x of shape \\(n, 2\\)"):
        plots.scatter(np.zeros((3, 3)), np.zeros(3), title="bad")


def test_decision_boundary_evaluates_the_model_on_a_grid():
    x = np.array([[-1.0, 0.0], [1.0, 0.0]])
    seen = []

    def predict(points):
        seen.append(points.shape)
        return (points[:, 0] > 0).astype(float)

    ax = plots.decision_boundary(predict, x, np.array([0, 1]), title="b", resolution=30)
    assert seen == [(900, 2)]
    assert ax.get_title() == "b"
    assert plots.COLORS[:2] == ["#0072B2", "#E69F00"]


def test_compare_runs_draws_one_band_per_experiment():
    runs = {name: SeedRuns(seeds=[0, 1], histories=[_history(), _history(offset=0.2)], scores={})
            for name in ["SGD", "Adam"]}
    ax = plots.compare_runs(runs, "loss", title="t", ylabel="loss")
    assert [line.get_label() for line in ax.get_lines()] == ["SGD", "Adam"]
    assert len(ax.collections) == 2
    assert ax.get_lines()[0].get_linestyle() != ax.get_lines()[1].get_linestyle()
    with pytest.raises(ValueError, match="no history key 'acc'"):
        plots.compare_runs(runs, "acc", title="t", ylabel="y")


def test_runs_draws_every_run_and_the_median_never_a_band():
    losses = np.array([[0.7, 0.5, 0.35], [0.7, 0.3, 0.01], [0.7, 0.2, 0.001]])
    ax = plots.runs({"SGD": losses, "Adam": losses / 2}, title="t", ylabel="loss", logy=True)
    lines = ax.get_lines()
    assert len(lines) == 2 * (3 + 1) + 1  # three runs and a median each, and the legend's key
    np.testing.assert_allclose(lines[3].get_ydata(), [0.7, 0.3, 0.01])  # the median, epoch by epoch
    assert lines[3].get_linewidth() > lines[0].get_linewidth()
    assert not ax.collections  # no shaded band that could dip below zero
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    assert lines[3].get_color() != lines[7].get_color()
    with pytest.raises(ValueError, match=r"shape \(runs, points\)"):
        plots.runs({"SGD": np.ones(3)}, title="t", ylabel="y")
    with pytest.raises(ValueError, match="x has 2 values"):
        plots.runs({"SGD": losses}, title="t", ylabel="y", x=[1, 2])


def test_runs_median_ignores_a_diverged_run_without_a_warning(recwarn):
    values = np.array([[1.0, np.nan], [3.0, np.nan], [np.nan, np.nan]])
    ax = plots.runs({"a": values}, title="t", ylabel="y")
    np.testing.assert_allclose(ax.get_lines()[3].get_ydata(), [2.0, np.nan])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_rate_sweep_draws_median_with_quartiles_on_a_log_axis():
    values = np.array([[1.0, 0.1], [2.0, 0.2], [3.0, np.inf], [4.0, 0.4], [5.0, 0.5]])
    ax = plots.rate_sweep([0.01, 0.1], {"SGD": values}, title="t", ylabel="final loss")
    (line,) = ax.get_lines()[:1]
    np.testing.assert_allclose(line.get_ydata(), [3.0, 0.3])  # the diverged run is left out
    np.testing.assert_allclose(line.get_xdata(), [0.01, 0.1])
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "learning rate (log scale)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD: median and quartiles"]
    with pytest.raises(ValueError, match=r"shape \(seeds, 2\)"):
        plots.rate_sweep([0.01, 0.1], {"SGD": np.ones((3, 3))}, title="t", ylabel="y")
    with pytest.raises(ValueError, match="positive learning rates"):
        plots.rate_sweep([0.0, 0.1], {"SGD": np.ones((3, 2))}, title="t", ylabel="y")


def test_shares_bars_are_wilson_intervals_inside_zero_one():
    from losslab.stats import wilson

    ax = plots.shares([0.01, 0.1, 1.0], {"SGD": [0, 7, 20]}, 20, title="t", ylabel="share solved")
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [0.0, 0.35, 1.0])
    (bars,) = [c for c in ax.collections]
    segments = bars.get_segments()
    np.testing.assert_allclose([s[:, 1] for s in segments], [wilson(0, 20), wilson(7, 20), wilson(20, 20)])
    assert ax.get_ylim()[0] < 0 < 1 < ax.get_ylim()[1]
    with pytest.raises(ValueError, match="one count per x"):
        plots.shares([0.1, 1.0], {"SGD": [1]}, 20, title="t", ylabel="y")
