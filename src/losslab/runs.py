r"""Many seeds, one run after another: :func:`run_seeds` and :class:`SeedRuns`.

:func:`run_seeds` repeats one experiment per seed with :func:`losslab.training.fit`
and keeps every seed's history and scores. When every seed builds the same
setup (same layers, loss, optimizer and metrics), the first model is trained
again from each seed's initial weights, so the compiled loop is traced once.

For a grid of seeds and learning rates of a Dense network,
:func:`losslab.sweep.train` trains all the runs at once and is much faster;
:func:`run_seeds` takes any Keras model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import keras
import numpy as np

from losslab.seed import set_seed
from losslab.training import fit

__all__ = ["SeedRuns", "run_seeds"]


def _without_names(config):
    """A config with every "name" entry removed (Keras numbers names: dense_1, sgd_2...)."""
    if isinstance(config, dict):
        return {k: _without_names(v) for k, v in config.items() if k != "name"}
    if isinstance(config, (list, tuple)):
        return [_without_names(v) for v in config]
    return config


def _setup_signature(model: keras.Model) -> str:
    layers = [(type(layer).__name__, layer.get_config()) for layer in model.layers]
    return repr(_without_names((type(model).__name__, layers, model.get_compile_config())))


def _same_setup(a: keras.Model, b: keras.Model) -> bool:
    """Whether two models have the same layers, loss, optimizer and metrics."""
    try:
        return _setup_signature(a) == _setup_signature(b)
    except NotImplementedError:
        # A custom layer, loss or metric without get_config cannot be compared:
        # each seed then trains its own freshly built model (correct, just slower).
        return False


@dataclass
class SeedRuns:
    """Results of one experiment repeated over several seeds.

    Attributes:
        seeds: the seeds, in order.
        histories: one ``History.history`` dict per seed.
        scores: ``{name: array over seeds}`` of what ``evaluate`` returned.
    """

    seeds: list[int]
    histories: list[dict[str, list[float]]]
    scores: dict[str, np.ndarray]

    def _values(self, key: str) -> np.ndarray:
        """``history[key]`` of every seed, shape (seeds, epochs)."""
        if key not in self.histories[0]:
            raise ValueError(f"no history key {key!r}; the runs recorded {sorted(self.histories[0])}.")
        return np.array([h[key] for h in self.histories])

    def curve(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Per-epoch mean and standard deviation over seeds of ``history[key]``."""
        values = self._values(key)
        return values.mean(axis=0), values.std(axis=0)

    def final(self, key: str) -> np.ndarray:
        """The last epoch's ``history[key]`` of every seed."""
        return self._values(key)[:, -1]

    def summary(self, decimals: int = 3) -> dict[str, str]:
        """``{score name: "mean ± std"}`` over seeds, rounded to ``decimals``."""
        return {k: f"{v.mean():.{decimals}f} ± {v.std():.{decimals}f}" for k, v in self.scores.items()}


def run_seeds(
    build: Callable[[], keras.Model],
    x,
    y,
    *,
    seeds: Iterable[int],
    epochs: int,
    evaluate: Callable[[keras.Model], dict[str, float]] | None = None,
    **fit_kwargs,
) -> SeedRuns:
    r"""Run one experiment once per seed: ``set_seed(s)``, ``build()``, :func:`fit`, ``evaluate``.

    Report :math:`\bar{m} \pm s` (mean and standard deviation over seeds) of each
    score instead of one run's number.

    Args:
        build: returns a new compiled model; called after each ``set_seed``.
        x, y: training data.
        seeds: the seeds, e.g. ``range(10)``.
        epochs: epochs per run.
        evaluate: ``model -> {name: value}`` after training, e.g. test accuracy.
        **fit_kwargs: passed on to :func:`fit` (``batch_size``, ``validation_data``...).

    Returns:
        :class:`SeedRuns`.

    Example:
        >>> runs = run_seeds(build, x_train, y_train, seeds=range(10), epochs=200,
        ...                  evaluate=lambda m: {"test_acc": accuracy(m, x_test, y_test)})
        >>> runs.summary()   # {'test_acc': '0.839 ± 0.006'}
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed, e.g. seeds=range(10).")
    histories, scores = [], {}
    first, first_optimizer_state = None, []
    for s in seeds:
        set_seed(s)
        model = build()
        if first is None:
            first = model
            if not model.optimizer.built:
                model.optimizer.build(model.trainable_variables)
            first_optimizer_state = [v.numpy() for v in model.optimizer.variables]
        elif _same_setup(first, model):
            # Train the first model again from this seed's initial weights and
            # its untrained optimizer state: the same run as training `model`,
            # and the compiled loop is reused instead of traced again.
            first.set_weights(model.get_weights())
            for variable, value in zip(first.optimizer.variables, first_optimizer_state):
                variable.assign(value)
            model = first
        histories.append(fit(model, x, y, epochs=epochs, **fit_kwargs).history)
        for name, value in (evaluate(model) if evaluate else {}).items():
            scores.setdefault(name, []).append(float(value))
    return SeedRuns(seeds=seeds, histories=histories, scores={k: np.array(v) for k, v in scores.items()})
