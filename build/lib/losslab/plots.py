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
            ``.history`` dict, or :class:`losslab.training.SeedRuns` (then the
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
