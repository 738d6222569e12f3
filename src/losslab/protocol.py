r"""The book's fair comparison protocol, in one call.

Comparing two losses (or optimizers) at one shared learning rate compares
step sizes, not losses: while errors are small, Huber at learning rate
:math:`\eta` takes the same steps as squared error at :math:`\eta / 2`. So
every contender is treated alike:

1. train it at each learning rate of a small log-spaced grid, over the same
   seeds, long enough that its validation curve is flat or turns up, and
   keep each run's weights from its best validation epoch (early stopping);
2. choose its learning rate by the mean over seeds of a validation score
   that is the same for all contenders (validation MSE, accuracy...);
3. score it on the test set, once per seed, at that rate.

:func:`tune` does steps 1 and 2 with :func:`losslab.sweep.train` (all rates
and seeds in one batched run); :class:`Tuned` gives the chosen rate, the
grid and the models' test predictions for step 3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import keras
import numpy as np

from losslab.stats import mean_std, median_quartiles
from losslab.sweep import Sweep, train

__all__ = ["Tuned", "tune", "grid_rows"]


@dataclass
class Tuned:
    """One contender after :func:`tune`: its sweep and the learning rate chosen.

    Attributes:
        sweep: every (seed, learning rate) member's history and weights.
        select: the history key the rate was chosen by, e.g. ``"val_mse"``.
        mode: ``"min"`` or ``"max"``: whether a lower or a higher score is better.
    """

    sweep: Sweep
    select: str
    mode: str

    @property
    def grid(self) -> np.ndarray:
        """Mean over seeds of the ``select`` score at the kept epoch, one per learning rate."""
        return self.sweep.at_best(self.select).mean(axis=0)

    @property
    def index(self) -> int:
        """Index of the chosen learning rate in ``sweep.learning_rates``."""
        grid = np.where(np.isfinite(self.grid), self.grid, np.inf if self.mode == "min" else -np.inf)
        return int(np.argmin(grid) if self.mode == "min" else np.argmax(grid))

    @property
    def learning_rate(self) -> float:
        """The chosen learning rate."""
        return self.sweep.learning_rates[self.index]

    @property
    def at_edge(self) -> bool:
        """Whether the chosen rate is the smallest or largest of the grid (then widen the grid)."""
        return self.index in (0, len(self.sweep.learning_rates) - 1)

    def history(self, key: str) -> np.ndarray:
        """``history[key]`` of every seed at the chosen rate, shape (seeds, epochs)."""
        return self.sweep._values(key)[:, self.index]

    def final(self, key: str) -> np.ndarray:
        """``history[key]`` of every seed at the chosen rate, at the kept (best) epoch."""
        return self.sweep.at_best(key)[:, self.index]

    @property
    def best_epoch(self) -> np.ndarray:
        """Each seed's kept epoch (1-based) at the chosen rate."""
        if self.sweep.best_epoch is None:
            return np.full(len(self.sweep.seeds), self.sweep.epochs)
        return self.sweep.best_epoch[:, self.index] + 1

    def predict(self, x) -> np.ndarray:
        """Outputs for ``x`` of every seed's model at the chosen rate, shape (seeds, n, outputs)."""
        return self.sweep.predict(x)[:, self.index]

    def score(self, fn: Callable[[np.ndarray], float], x) -> np.ndarray:
        """``fn(outputs)`` for every seed's model at the chosen rate: one score per seed."""
        return np.array([float(fn(p)) for p in self.predict(x)])

    def flatness(self, key: str | None = None, last: float = 0.2) -> float:
        """Relative change of the seed-mean ``key`` curve over its last ``last`` share of epochs.

        Near 0 when training has converged; a large value says "train longer".
        """
        curve = self.history(key or self.select).mean(axis=0)
        start = curve[int(len(curve) * (1 - last)) - 1]
        return float(abs(curve[-1] - start) / max(abs(curve[-1]), 1e-12))


def tune(
    build: Callable[[], keras.Model],
    x,
    y,
    *,
    validation_data: tuple,
    learning_rates: Sequence[float],
    seeds: Iterable[int],
    epochs: int,
    select: str = "val_loss",
    mode: str = "min",
    early_stopping: bool = True,
    **train_kwargs,
) -> Tuned:
    r"""Train ``build()``'s model at every rate and seed; choose the rate on validation data.

    With ``early_stopping`` each run keeps its weights from the epoch where
    its ``select`` score was best (else from the last epoch). The rate chosen
    is the one whose kept ``select`` score, averaged over seeds, is best. Give a score that means the same for every
    contender (``"val_mse"`` for regression losses, ``"val_accuracy"``...), not
    each contender's own loss.

    Args:
        build: returns a new compiled model (a stack of Dense layers).
        x, y: training data.
        validation_data: ``(x_val, y_val)``, used to choose the rate.
        learning_rates: the grid, e.g. ``[0.001, 0.003, 0.01, 0.03, 0.1]``.
        seeds: e.g. ``range(10)``.
        epochs: enough for the validation curves to flatten.
        select: history key of the selection score.
        mode: ``"min"`` (errors, losses) or ``"max"`` (accuracy).
        early_stopping: keep each run's best-epoch weights.
        **train_kwargs: passed on to :func:`losslab.sweep.train`.

    Returns:
        :class:`Tuned`.

    Example:
        >>> mse = tune(build("mse"), x_train, y_train, validation_data=(x_val, y_val),
        ...            learning_rates=[0.001, 0.003, 0.01, 0.03], seeds=range(10),
        ...            epochs=300, select="val_mse")
        >>> mse.learning_rate, mse.final("val_mse")
    """
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' (lower is better) or 'max'; got {mode!r}.")
    if len(learning_rates) < 2:
        raise ValueError("give at least two learning rates to choose from, e.g. [0.003, 0.01, 0.03].")
    if validation_data is None:
        raise ValueError("tune needs validation_data=(x_val, y_val): the rate is chosen on it, "
                         "never on the test set.")
    if not str(select).startswith("val_"):
        raise ValueError(f"select must be a validation key such as 'val_mse' or 'val_accuracy'; got {select!r}.")
    sweep = train(build, x, y, seeds=seeds, epochs=epochs, learning_rates=learning_rates,
                  validation_data=validation_data, restore_best=select if early_stopping else None,
                  mode=mode, **train_kwargs)
    if select not in sweep.history:
        raise ValueError(f"select={select!r} is not recorded; choose one of {sorted(sweep.history)} "
                         "(add the metric to compile(metrics=...)).")
    return Tuned(sweep=sweep, select=select, mode=mode)


def grid_rows(contenders: Mapping[str, Tuned], decimals: int = 3) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a table: each contender's validation score at every rate, chosen one marked.

    All contenders must share the grid. Each cell is mean ± std over seeds of
    the kept (best-epoch) score. Where runs went to NaN or infinity after
    their kept epoch, ``(k diverged)`` counts them and the cell shows the
    median and quartiles instead (such a spread is not bell-shaped);
    "diverged" alone means no run had a finite score. The chosen rate's cell
    ends with ``*``.

    Example:
        >>> header, rows = grid_rows({"MSE": mse, "Huber": huber})
        >>> print(report.table(header, rows))
    """
    tuned = list(contenders.values())
    if not tuned:
        raise ValueError("grid_rows needs at least one contender.")
    rates = tuned[0].sweep.learning_rates
    if any(t.sweep.learning_rates != rates for t in tuned):
        raise ValueError("the contenders were tuned on different grids; give them the same learning_rates.")
    header = ["contender"] + [f"lr {r:g}" for r in rates]
    rows = []
    for name, t in contenders.items():
        kept, last = t.sweep.at_best(t.select), t.sweep.final(t.select)
        cells = []
        for j in range(len(rates)):
            v = kept[:, j]
            blown = int(np.sum(~np.isfinite(last[:, j])))
            if not np.isfinite(v).all():
                cell = "diverged"
            elif blown:
                cell = f"{median_quartiles(v, decimals)} ({blown} diverged)"
            else:
                cell = mean_std(v, decimals)
            cells.append(cell + (" *" if j == t.index else ""))
        rows.append([name] + cells)
    return header, rows
