r"""Fast training: Keras's own update steps, with the epoch loop compiled.

``model.fit`` spends almost all its time on the book's small problems in
per-epoch and per-step Python overhead (data adapters, callbacks, one graph
call per batch). :func:`fit` runs Keras's own ``train_step`` and ``test_step``
but puts the whole loop (epochs, shuffling, mini-batches, validation) into
one ``tf.function``, so training is one graph call. The updates are the ones
``model.fit`` makes; ``tests/test_training.py`` checks the weights against
``model.fit`` for several optimizers and batch sizes.

Many seeds: :func:`losslab.runs.run_seeds` (any model, one run after another)
and :func:`losslab.sweep.train` (a grid of Dense networks, all at once).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

__all__ = ["History", "fit", "predict"]


@dataclass
class History:
    """What :func:`fit` returns: like ``keras.callbacks.History``.

    Attributes:
        history: per-epoch values, ``{"loss": [...], "accuracy": [...],
            "val_loss": [...], ...}``, keyed by Keras's metric names.
        epoch: the epoch indices, ``[0, 1, ..., epochs - 1]``.
    """

    history: dict[str, list[float]]
    epoch: list[int] = field(default_factory=list)


# Compiled loops per model, keyed by metric names, shuffle, validation, class
# weights and full batch; dropped with the model.
_LOOPS: weakref.WeakKeyDictionary[keras.Model, dict] = weakref.WeakKeyDictionary()


def _check_arrays(x, y, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim < 1 or y.ndim < 1 or len(x) != len(y):
        raise ValueError(
            f"{what}: x and y must have one row per example and the same number of rows; "
            f"got x of shape {x.shape} and y of shape {y.shape}."
        )
    if len(x) == 0:
        raise ValueError(f"{what}: there are no examples to train on (x is empty).")
    if not np.issubdtype(x.dtype, np.number) or not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"{what}: x and y must be numeric arrays; got {x.dtype} and {y.dtype}.")
    if np.isnan(x.astype(np.float64)).any() or np.isnan(y.astype(np.float64)).any():
        raise ValueError(f"{what}: x or y contains NaN; clean the data before training.")
    return x.astype(np.float32), y


def _class_weights(y: np.ndarray, class_weight: dict | None) -> np.ndarray | None:
    """Per-example weights from ``{class: weight}``, or None without class weights."""
    if class_weight is None:
        return None
    labels = y.reshape(len(y), -1)
    if labels.shape[1] != 1 or not np.all(labels == np.round(labels)):
        raise ValueError("class_weight needs integer class labels of shape (n,) or (n, 1); "
                         f"got y of shape {y.shape}.")
    labels = labels[:, 0].astype(np.int64)
    missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
    if missing:
        raise ValueError(f"class_weight has no weight for class(es) {missing}; give one for every label in y.")
    return np.array([class_weight[c] for c in labels], dtype=np.float32)


def _prepare(model: keras.Model, x: np.ndarray, y: np.ndarray) -> list[str]:
    """Build the optimizer and the compiled metrics outside the graph; return the metric names."""
    if not getattr(model, "compiled", False) or model.optimizer is None:
        raise ValueError(
            "the model must be compiled before training: call "
            "model.compile(loss=..., optimizer=..., metrics=[...]) first."
        )
    if not model.built:
        model.build((None,) + x.shape[1:])
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    # One evaluation step on two examples builds the loss and metric objects
    # (Keras builds them lazily); it changes no weight.
    model.test_step((tf.constant(x[:2]), tf.constant(y[:2])))
    for metric in model.metrics:
        metric.reset_state()
    return list(model.get_metrics_result().keys())


def _make_loop(model: keras.Model, keys: Sequence[str], shuffle: bool, validate: bool, weighted: bool,
               full_batch: bool):
    def reset_metrics():
        for metric in model.metrics:
            metric.reset_state()

    @tf.function(reduce_retracing=True)
    def loop(x, y, weights, x_val, y_val, start, stop, batch_size, seed):
        n = tf.shape(x)[0]
        steps = (n + batch_size - 1) // batch_size
        rows = tf.TensorArray(tf.float32, size=stop - start)

        def train_on(idx):
            batch = (x, y, weights) if idx is None else tuple(tf.gather(a, idx) for a in (x, y, weights))
            model.train_step(batch if weighted else batch[:2])

        for epoch in tf.range(start, stop):
            reset_metrics()
            if full_batch:  # one step on all the data; the order of examples cannot matter
                train_on(None)
            else:
                if shuffle:
                    order = tf.random.experimental.stateless_shuffle(
                        tf.range(n), seed=tf.stack([seed, tf.cast(epoch, tf.int64)]))
                else:
                    order = tf.range(n)
                for step in tf.range(steps):
                    train_on(order[step * batch_size: tf.minimum((step + 1) * batch_size, n)])
            logs = model.get_metrics_result()
            row = [tf.cast(logs[k], tf.float32) for k in keys]
            if validate:
                reset_metrics()
                val_logs = model.test_step((x_val, y_val))
                row += [tf.cast(val_logs[k], tf.float32) for k in keys]
            rows = rows.write(epoch - start, tf.stack(row))
        return rows.stack()

    return loop


@contextlib.contextmanager
def _quiet_retracing_notice():
    """Hide TensorFlow's 'triggered tf.function retracing' notice during one call.

    Each new model gets its own compiled loop, and TensorFlow logs a notice
    after a few such traces; here that is expected, not a mistake to report.
    The logger's level is restored afterwards.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def fit(
    model: keras.Model,
    x,
    y,
    *,
    epochs: int,
    batch_size: int | None = 32,
    validation_data: tuple | None = None,
    shuffle: bool = True,
    class_weight: dict[int, float] | None = None,
    seed: int | None = None,
    progress: bool = False,
) -> History:
    r"""Train a compiled Keras model like ``model.fit(..., verbose=0)``, in one graph call.

    Each epoch runs ``model.train_step`` on mini-batches of ``batch_size``
    (the last one partial), in a new random order when ``shuffle``; after it,
    ``model.test_step`` on the whole validation set. Per-epoch values go into
    ``History.history`` under Keras's names.

    Same as ``model.fit``: the updates (Keras's ``train_step``, with the
    model's own loss, optimizer and metrics), the epoch ``loss`` (the running
    mean of batch losses weighted by batch size) and the training metrics
    (accumulated over the epoch's batches). With ``batch_size`` of at least
    the number of examples, each epoch is one step on all of them, unshuffled
    (order cannot change a full-batch gradient). With ``shuffle=False`` the
    weights equal ``model.fit``'s, with or without ``class_weight``.
    Different: the shuffling order (a stateless shuffle seeded by ``seed`` and
    the epoch, not ``tf.data``'s), and validation in
    one batch; for metrics that are means over examples (loss, accuracy) one
    batch gives the same value as Keras's batch-by-batch evaluation, up to
    float rounding. No callbacks and no ``sample_weight``.

    Args:
        model: a compiled ``keras.Model``.
        x, y: training inputs and targets, one row per example.
        epochs: number of passes over the training data.
        batch_size: examples per update; ``None`` for the full batch.
        validation_data: ``(x_val, y_val)`` evaluated after every epoch.
        shuffle: reshuffle the training data before every epoch.
        class_weight: ``{class: weight}`` for integer labels, as in
            ``model.fit``: each training example's loss is multiplied by its
            class's weight (validation stays unweighted).
        seed: seed of the shuffling order; by default drawn from NumPy's
            global generator, which :func:`losslab.set_seed` fixes.
        progress: print a progress line to stderr (for long local runs; it
            splits training into ten graph calls).

    Returns:
        :class:`History` with ``.history`` as in Keras.

    Example:
        >>> history = fit(model, x_train, y_train, epochs=200, validation_data=(x_test, y_test))
        >>> history.history["val_accuracy"][-1]
    """
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be a positive integer; got {epochs!r}.")
    x, y = _check_arrays(x, y, "training data")
    n = len(x)
    batch_size = n if batch_size is None else batch_size
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer or None (full batch); got {batch_size!r}.")
    validate = validation_data is not None
    if validate:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (x_val, y_val).")
        x_val, y_val = _check_arrays(*validation_data, "validation_data")
    else:
        x_val, y_val = x[:1], y[:1]  # unused placeholders keep one signature
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))

    weights = _class_weights(y, class_weight)
    keys = _prepare(model, x, y)
    cache = _LOOPS.setdefault(model, {})
    full_batch = batch_size >= n
    setup = (tuple(keys), bool(shuffle), validate, weights is not None, full_batch)
    if setup not in cache:
        cache[setup] = _make_loop(model, keys, shuffle, validate, weights is not None, full_batch)
    loop = cache[setup]

    weights = np.ones(len(x), np.float32) if weights is None else weights
    tensors = [tf.constant(a) for a in (x, y, weights, x_val, y_val)]
    bounds = np.linspace(0, int(epochs), 11 if progress else 2).astype(int)
    chunks = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        if stop == start:
            continue
        with _quiet_retracing_notice():
            rows = loop(*tensors, tf.constant(start, tf.int32), tf.constant(stop, tf.int32),
                        tf.constant(int(batch_size), tf.int32), tf.constant(seed, tf.int64))
        chunks.append(rows.numpy())
        if progress:
            print(f"\rlosslab.training.fit: epoch {stop}/{epochs}", end="" if stop < epochs else "\n",
                  file=sys.stderr, flush=True)
    table = np.concatenate(chunks).astype(np.float64)
    names = keys + [f"val_{k}" for k in keys] if validate else keys
    history = {name: table[:, i].tolist() for i, name in enumerate(names)}
    return History(history=history, epoch=list(range(int(epochs))))




def predict(model: keras.Model, x) -> np.ndarray:
    """The model's outputs for ``x`` as a numpy array, in one call (no batching, no progress bar).

    Example:
        >>> p = predict(model, x_test)[:, 0]
    """
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False))
