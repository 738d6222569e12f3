"""The book's figures, in one style.

Colours are the Okabe-Ito palette, which stays distinguishable with the
common forms of colour blindness; lines also differ by dash pattern and
classes by marker, so nothing depends on colour alone. Every function draws
on a Matplotlib ``Axes`` (a new figure when ``ax`` is None), sets a title and
axis labels, and returns what it drew on. No global Matplotlib state changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""Okabe-Ito colours: blue, orange, green, purple, sky blue, vermilion, yellow, black."""
LINESTYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "^", "s", "D", "v", "P"]
TRAIN_TEST = {"train": (COLORS[0], "-"), "test": (COLORS[1], "--")}


def _axes(ax: Axes | None, figsize=(6.0, 4.0)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _finish(ax: Axes, title: str, xlabel: str, ylabel: str, legend: bool = True) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    if legend:
        ax.legend(frameon=False)


def _curves(history: Any, key: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Mean curve and optional spread from a History, a dict, or SeedRuns."""
    if hasattr(history, "curve"):  # SeedRuns: mean and standard deviation over seeds
        return history.curve(key)
    values = history.history if hasattr(history, "history") else history
    if key not in values:
        raise ValueError(f"the history has no {key!r}; it has {sorted(values)}.")
    return np.asarray(values[key], dtype=float), None


def learning_curves(history: Any, metric: str | None = "accuracy", *, title: str = "",
                    loss_label: str = "loss") -> Figure:
    """Loss (left) and ``metric`` (right) per epoch, train against test.

    Args:
        history: a Keras ``History``, a :class:`losslab.training.History`, its
            ``.history`` dict, or :class:`losslab.runs.SeedRuns` (then the
            line is the mean over seeds and the band one standard deviation).
        metric: the metric's history key (``None`` for the loss alone);
            test values are read from ``"val_" + key``.
        title: figure title.
        loss_label: y-axis label of the loss panel, e.g. "binary cross-entropy".

    Returns:
        the figure.

    Example:
        >>> learning_curves(history, "accuracy", title="BCE on circles")
    """
    keys = ["loss"] + ([metric] if metric else [])
    fig, axes = plt.subplots(1, len(keys), figsize=(5.0 * len(keys), 3.6), layout="constrained",
                             squeeze=False)
    for ax, key in zip(axes[0], keys):
        for split, prefix in (("train", ""), ("test", "val_")):
            colour, style = TRAIN_TEST[split]
            _band(ax, *_curves(history, prefix + key), colour, style, split)
        ylabel = loss_label if key == "loss" else key.replace("_", " ")
        _finish(ax, ylabel, "epoch", ylabel)
    if title:
        fig.suptitle(title)
    return fig


def _band(ax: Axes, mean: np.ndarray, spread: np.ndarray | None, colour: str, style: str, label: str) -> None:
    """A per-epoch line, with a shaded band of ±spread when there is one."""
    epochs = np.arange(1, len(mean) + 1)
    ax.plot(epochs, mean, color=colour, linestyle=style, linewidth=2, label=label)
    if spread is not None:
        ax.fill_between(epochs, mean - spread, mean + spread, color=colour, alpha=0.2, linewidth=0)


def compare_runs(runs: Mapping[str, Any], key: str, *, title: str, ylabel: str,
                 ax: Axes | None = None, logy: bool = False) -> Axes:
    """One history key per epoch for several experiments, each as mean ± std over its seeds.

    Args:
        runs: ``{label: SeedRuns}`` (a History or dict draws a plain line).
        key: the history key, e.g. ``"loss"`` or ``"val_accuracy"``.
        title, ylabel: the plot's title and y-axis label.
        logy: log-scaled y axis.

    Example:
        >>> compare_runs({"SGD": sgd_runs, "Adam": adam_runs}, "loss", title="XOR", ylabel="loss")
    """
    ax = _axes(ax, figsize=(7.0, 4.0))
    for i, (label, r) in enumerate(runs.items()):
        _band(ax, *_curves(r, key), COLORS[i % len(COLORS)], LINESTYLES[i % len(LINESTYLES)], label)
    if logy:
        ax.set_yscale("log")
    _finish(ax, title, "epoch", ylabel)
    return ax


def lines(x: np.ndarray, ys: Mapping[str, np.ndarray], *, title: str, xlabel: str, ylabel: str,
          ax: Axes | None = None, logy: bool = False) -> Axes:
    """Several curves over the same x, told apart by colour and dash pattern.

    Example:
        >>> lines(p, {"BCE": bce, "MSE": mse}, title="y = 1", xlabel="predicted p", ylabel="loss")
    """
    ax = _axes(ax)
    for i, (label, y) in enumerate(ys.items()):
        ax.plot(x, y, color=COLORS[i % len(COLORS)], linestyle=LINESTYLES[i % len(LINESTYLES)],
                linewidth=2, label=label)
    if logy:
        ax.set_yscale("log")
    _finish(ax, title, xlabel, ylabel, legend=len(ys) > 1)
    return ax


def scatter(x: np.ndarray, y: np.ndarray, *, title: str, ax: Axes | None = None,
            class_names: Sequence[str] | None = None, xlabel: str = "$x_1$",
            ylabel: str = "$x_2$") -> Axes:
    """A 2-D dataset, one colour and marker per class.

    Example:
        >>> scatter(x_train, y_train, title="circles (training set)")
    """
    ax = _axes(ax, figsize=(4.8, 4.4))
    x = np.asarray(x)
    y = np.asarray(y).ravel()
    if x.ndim != 2 or x.shape[1] != 2 or len(x) != len(y):
        raise ValueError(f"scatter needs x of shape (n, 2) and y of shape (n,); got {x.shape} and {y.shape}.")
    for i, label in enumerate(np.unique(y)):
        name = class_names[i] if class_names else f"class {label:g}"
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, color=COLORS[i % len(COLORS)],
                   marker=MARKERS[i % len(MARKERS)], alpha=0.8, label=name, edgecolors="none")
    ax.set_aspect("equal", adjustable="datalim")
    _finish(ax, title, xlabel, ylabel)
    return ax


def decision_boundary(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, y: np.ndarray, *,
                      title: str, threshold: float = 0.5, ax: Axes | None = None,
                      resolution: int = 200, margin: float = 0.5, value_label: str = "P(class 1)",
                      point_size: float = 16) -> Axes:
    """A classifier's output over the plane (filled contours), its boundary, and the data.

    Args:
        predict: maps an array of points, shape (m, 2), to one score per point,
            e.g. ``lambda pts: model(pts).numpy()[:, 0]``.
        x, y: the points to draw on top and their labels.
        threshold: the score where the class changes (0.5 for a sigmoid output,
            0 for a tanh output or a logit); drawn as a black line.
        resolution: grid points per axis.
        margin: how far the grid extends beyond the data.
        value_label: the colour bar's label.
        point_size: marker area of the data points (larger for a few points).

    Example:
        >>> decision_boundary(lambda p: model(p).numpy()[:, 0], x_test, y_test, title="BCE")
    """
    ax = _axes(ax, figsize=(5.4, 4.4))
    x = np.asarray(x)
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()]).astype(np.float32)
    z = np.asarray(predict(grid), dtype=float).reshape(g0.shape)
    cmap = ListedColormap(plt.get_cmap("cividis")(np.linspace(0.15, 0.95, 256)))
    filled = ax.contourf(g0, g1, z, levels=20, cmap=cmap, alpha=0.85)
    ax.contour(g0, g1, z, levels=[threshold], colors="black", linewidths=2)
    ax.figure.colorbar(filled, ax=ax, label=value_label)
    y = np.asarray(y).ravel()
    for i, label in enumerate(np.unique(y)):
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=point_size, marker=MARKERS[i % len(MARKERS)], facecolors="white",
                   edgecolors="black", linewidths=0.6, label=f"class {label:g}")
    _finish(ax, title, "$x_1$", "$x_2$")
    return ax


def _quiet_nan_stat(fn, values: np.ndarray, *args, **kwargs) -> np.ndarray:
    """``fn`` (a NaN-ignoring NumPy statistic) without the warning on an all-NaN column."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(values, *args, **kwargs)


def runs(curves: Mapping[str, np.ndarray], *, title: str, ylabel: str, xlabel: str = "epoch",
         x: np.ndarray | None = None, ax: Axes | None = None, logy: bool = False,
         colors: Sequence[str] | None = None) -> Axes:
    r"""Every run as a thin line and the median over runs as a thick one, for each contender.

    When runs split into groups (some solve a problem, some stall), their mean
    :math:`\pm` one standard deviation describes no run at all and can cross a
    bound such as zero loss; the runs themselves and their median do not.

    Args:
        curves: ``{label: array of shape (runs, points)}``, e.g. every seed's
            loss per epoch. NaN (a diverged run) leaves a gap.
        title, ylabel, xlabel: the plot's title and axis labels.
        x: the shared x values; by default 1, 2, ... (epochs).
        logy: log-scaled y axis (losses that approach 0).
        colors: one colour per contender; by default the Okabe-Ito order.

    Example:
        >>> runs({"SGD": sweep.history["loss"][:, 0]}, title="XOR", ylabel="loss", logy=True)
    """
    ax = _axes(ax, figsize=(7.0, 4.0))
    if not curves:
        raise ValueError("runs needs at least one contender, e.g. {'SGD': losses of shape (seeds, epochs)}.")
    colors = list(colors) if colors is not None else COLORS
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[0] < 1:
            raise ValueError(f"curves[{label!r}] must have shape (runs, points); got {values.shape}.")
        xs = np.arange(1, values.shape[1] + 1) if x is None else np.asarray(x)
        if xs.shape != (values.shape[1],):
            raise ValueError(f"x has {xs.size} values but curves[{label!r}] has {values.shape[1]} points per run.")
        colour = colors[i % len(colors)]
        for run in values:
            ax.plot(xs, run, color=colour, linewidth=0.8, alpha=0.35)
        median = _quiet_nan_stat(np.nanmedian, values, axis=0)
        ax.plot(xs, median, color=colour, linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2.5,
                label=f"{label}: median of {len(values)} runs")
    ax.plot([], [], color="grey", linewidth=0.8, alpha=0.6, label="thin lines: single runs")
    if logy:
        ax.set_yscale("log")
    _finish(ax, title, xlabel, ylabel)
    return ax


def rate_sweep(rates: Sequence[float], values: Mapping[str, np.ndarray], *, title: str, ylabel: str,
               xlabel: str = "learning rate (log scale)", ax: Axes | None = None,
               logy: bool = False) -> Axes:
    """Each run's result at every learning rate of a grid: the runs as dots, the median and quartiles.

    Contenders are shifted a little sideways so their dots do not hide each
    other. Runs whose value is NaN or infinite (diverged) are left out of the
    dots, the median and the quartiles; report how many there were.

    Args:
        rates: the grid, e.g. ``[0.001, 0.01, 0.1, 1.0]``.
        values: ``{label: array of shape (seeds, rates)}``, e.g. final losses.
        logy: log-scaled y axis.

    Example:
        >>> rate_sweep(rates, {"SGD": sweep.final("loss")}, title="XOR", ylabel="final loss")
    """
    ax = _axes(ax, figsize=(7.0, 4.0))
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or rates.size < 1 or np.any(rates <= 0):
        raise ValueError(f"rates must be positive learning rates, e.g. [0.01, 0.1, 1.0]; got {rates}.")
    k = len(values)
    for i, (label, v) in enumerate(values.items()):
        v = np.asarray(v, dtype=float)
        if v.ndim != 2 or v.shape[1] != rates.size:
            raise ValueError(f"values[{label!r}] must have shape (seeds, {rates.size}); got {v.shape}.")
        v = np.where(np.isfinite(v), v, np.nan)
        shift = rates * 10 ** (0.05 * (i - (k - 1) / 2))
        colour = COLORS[i % len(COLORS)]
        seeds_x = np.broadcast_to(shift, v.shape)
        ax.scatter(seeds_x.ravel(), v.ravel(), s=10, color=colour, alpha=0.35, edgecolors="none",
                   marker=MARKERS[i % len(MARKERS)])
        q1, median, q3 = _quiet_nan_stat(np.nanpercentile, v, [25, 50, 75], axis=0)
        ax.errorbar(shift, median, yerr=[median - q1, q3 - median], color=colour, capsize=3,
                    linestyle=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i % len(MARKERS)],
                    linewidth=2, label=f"{label}: median and quartiles")
    ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    _finish(ax, title, xlabel, ylabel)
    return ax


def shares(x: Sequence[float], successes: Mapping[str, Sequence[int]], trials: int, *, title: str,
           ylabel: str, xlabel: str = "learning rate (log scale)", ax: Axes | None = None,
           logx: bool = True) -> Axes:
    r"""The share of runs that succeeded at each x, with its Wilson 95 % interval as a bar.

    A count of successes out of a few runs is uncertain; the bar is
    :func:`losslab.stats.wilson`'s interval, which stays within [0, 1].

    Args:
        x: where each count was taken, e.g. the learning rates of a grid.
        successes: ``{label: successes at each x}``, e.g. runs that solved XOR.
        trials: runs per count.
        logx: log-scaled x axis (learning rates).

    Example:
        >>> shares(rates, {"SGD": [0, 4, 11, 11]}, 20, title="XOR", ylabel="share of runs solved")
    """
    from losslab.stats import wilson

    ax = _axes(ax, figsize=(7.0, 4.0))
    x = np.asarray(x, dtype=float)
    k = len(successes)
    for i, (label, counts) in enumerate(successes.items()):
        counts = np.asarray(counts)
        if counts.shape != x.shape:
            raise ValueError(f"successes[{label!r}] needs one count per x ({x.size}); got {counts.size}.")
        low, high = np.array([wilson(int(c), int(trials)) for c in counts]).T
        p = counts / trials
        shift = x * 10 ** (0.04 * (i - (k - 1) / 2)) if logx else x
        ax.errorbar(shift, p, yerr=[p - low, high - p], color=COLORS[i % len(COLORS)], capsize=3,
                    linestyle=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i % len(MARKERS)],
                    linewidth=2, label=label)
    if logx:
        ax.set_xscale("log")
    ax.set_ylim(-0.03, 1.03)
    _finish(ax, title, xlabel, ylabel)
    return ax
