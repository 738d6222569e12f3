r"""Train a grid of seeds × learning rates as one batched model.

A fair comparison trains every contender at several learning rates and over
many seeds. The book's models are small (a few hundred weights, a few hundred
examples), so one run's arithmetic takes microseconds and its cost is the
overhead of launching operations. :func:`train` therefore trains all the
*members* of a sweep at once: every weight matrix gets a leading member axis,

.. math::

    W_\ell \in \mathbb{R}^{M \times n_{\ell-1} \times n_\ell}, \qquad
    h_\ell = g_\ell\big(h_{\ell-1} W_\ell + b_\ell\big) \quad
    \text{(one batched matrix product for all } M \text{ members)},

and the optimizer state gets the same axis. Member :math:`m` has its own
initial weights (those ``build()`` draws after ``set_seed(seed)``), its own
shuffling order, its own learning rate and its own history. The loss summed
over members has, for each member's weights, exactly that member's gradient,
so one gradient computation serves them all. The whole loop (epochs,
mini-batches, validation) is one ``tf.function``.

The update rules are Keras's own (SGD with momentum or Nesterov, RMSprop,
Adam), written for the member axis; ``tests/test_sweep.py`` checks every
member's weights and per-epoch loss against ``model.fit``. Anything else (a
layer other than ``Dense``, a regularizer, a learning-rate schedule, gradient
clipping...) raises a ``ValueError`` naming it: use
:func:`losslab.training.fit` for such models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from losslab.member_updates import apply_update, n_slots, optimizer_settings
from losslab.seed import set_seed
from losslab.sweep_support import align_labels, dense_layers, loss_object, metric_objects
from losslab.training import _quiet_retracing_notice

__all__ = ["Sweep", "train"]


# ---------------------------------------------------------------- the batched model
def _forward(params, layers, x, shared_input: bool):
    """Outputs of every member: ``x`` is (n, d) when shared, else (M, n, d)."""
    h = x[None] if shared_input else x
    i = 0
    for activation, use_bias in layers:
        h = tf.matmul(h, params[i])
        i += 1
        if use_bias:
            h = h + params[i][:, None, :]
            i += 1
        h = keras.activations.get(activation)(h)
    return h


def _samplewise(values, n_members):
    """Reduce per-example values of shape (M, B, ...) to (M, B)."""
    values = tf.cast(values, tf.float32)
    while values.shape.rank > 2:
        values = tf.reduce_mean(values, axis=-1)
    return values


# ---------------------------------------------------------------- results
@dataclass
class Sweep:
    """The result of :func:`train`: every member's history and final weights.

    Members are indexed by seed and learning rate: ``history[key]`` has shape
    ``(len(seeds), len(learning_rates), epochs)``.

    Attributes:
        seeds: the seeds, in order.
        learning_rates: the learning rates, in order.
        history: ``{key: array (seeds, rates, epochs)}``, keys as in Keras
            (``"loss"``, ``"accuracy"``, ``"val_loss"``, ...).
        params: final weights, each with a leading member axis.
    """

    seeds: list[int]
    learning_rates: list[float]
    history: dict[str, np.ndarray]
    params: list[np.ndarray] = field(repr=False)
    layers: list[tuple[str, bool]] = field(repr=False)
    build: Callable[[], keras.Model] = field(repr=False)
    best_epoch: np.ndarray | None = None
    """With ``restore_best``: each member's best epoch (0-based), shape (seeds, rates)."""

    @property
    def epochs(self) -> int:
        return next(iter(self.history.values())).shape[-1]

    def final(self, key: str) -> np.ndarray:
        """The last epoch's ``history[key]``, shape (seeds, rates)."""
        return self._values(key)[..., -1]

    def at_best(self, key: str) -> np.ndarray:
        """``history[key]`` at each member's kept epoch (best with ``restore_best``, else the last)."""
        values = self._values(key)
        if self.best_epoch is None:
            return values[..., -1]
        return np.take_along_axis(values, self.best_epoch[..., None], axis=-1)[..., 0]

    def _values(self, key: str) -> np.ndarray:
        if key not in self.history:
            raise ValueError(f"no history key {key!r}; this sweep recorded {sorted(self.history)}.")
        return self.history[key]

    def _index(self, seed: int, learning_rate: float) -> tuple[int, int]:
        if seed not in self.seeds:
            raise ValueError(f"seed {seed!r} is not in this sweep; its seeds are {self.seeds}.")
        rates = np.asarray(self.learning_rates)
        close = np.flatnonzero(np.isclose(rates, learning_rate, rtol=1e-6, atol=0))
        if len(close) != 1:
            raise ValueError(f"learning rate {learning_rate!r} is not in this sweep; "
                             f"its rates are {self.learning_rates}.")
        return self.seeds.index(seed), int(close[0])

    def member_history(self, seed: int, learning_rate: float) -> dict[str, list[float]]:
        """One member's history, as ``model.fit(...).history`` would give it."""
        i, j = self._index(seed, learning_rate)
        return {key: values[i, j].tolist() for key, values in self.history.items()}

    def predict(self, x) -> np.ndarray:
        """Every member's outputs for ``x``: shape (seeds, rates, n, outputs)."""
        x = tf.constant(np.asarray(x, dtype=np.float32))
        out = _forward([tf.constant(p) for p in self.params], self.layers, x, shared_input=True).numpy()
        return out.reshape(len(self.seeds), len(self.learning_rates), *out.shape[1:])

    def model(self, seed: int, learning_rate: float) -> keras.Model:
        """A Keras model with one member's final weights (built by ``build``)."""
        i, j = self._index(seed, learning_rate)
        member = i * len(self.learning_rates) + j
        set_seed(seed)
        model = self.build()
        model.set_weights([p[member] for p in self.params])
        return model


# ---------------------------------------------------------------- training
def _as_arrays(x, y, what):
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or y.ndim < 1 or len(x) != len(y) or len(x) == 0:
        raise ValueError(f"{what}: x must be (examples, features) and y have one row per example; "
                         f"got x of shape {x.shape} and y of shape {y.shape}.")
    if not np.issubdtype(x.dtype, np.number) or not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"{what}: x and y must be numeric arrays; got {x.dtype} and {y.dtype}.")
    if not np.isfinite(x).all() or not np.isfinite(y.astype(np.float64)).all():
        raise ValueError(f"{what}: x or y contains NaN or infinity; clean the data before training.")
    return x.astype(np.float32), y


def _example_weights(y, class_weight, sample_weight) -> np.ndarray | None:
    if class_weight is not None and sample_weight is not None:
        raise ValueError("give class_weight or sample_weight, not both.")
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=np.float32)
        if w.shape != (len(y),):
            raise ValueError(f"sample_weight needs one weight per example, shape ({len(y)},); got {w.shape}.")
        return w
    if class_weight is None:
        return None
    labels = np.asarray(y).reshape(len(y), -1)
    if labels.shape[1] != 1 or not np.all(labels == np.round(labels)):
        raise ValueError(f"class_weight needs integer class labels of shape (n,) or (n, 1); got {y.shape}.")
    missing = sorted(set(np.unique(labels).astype(int).tolist()) - set(class_weight))
    if missing:
        raise ValueError(f"class_weight has no weight for class(es) {missing}; give one for every label.")
    return np.array([class_weight[int(c)] for c in labels[:, 0]], dtype=np.float32)


def train(
    build: Callable[[], keras.Model],
    x,
    y,
    *,
    seeds: Iterable[int],
    epochs: int,
    learning_rates: Sequence[float] | None = None,
    batch_size: int | None = 32,
    validation_data: tuple | None = None,
    shuffle: bool = True,
    class_weight: dict[int, float] | None = None,
    sample_weight=None,
    restore_best: str | None = None,
    mode: str = "min",
    jit_compile: bool = False,
) -> Sweep:
    r"""Train one member per (seed, learning rate), all at once.

    For each seed, ``set_seed(seed)`` then ``build()`` gives the member's
    architecture, loss, optimizer, metrics and initial weights, exactly as a
    single run would; the optimizer's learning rate is replaced by each rate
    of ``learning_rates``. Members of the same seed start from the same
    weights and see the same shuffling order, so their comparison is paired.

    Same as ``model.fit(x, y, epochs, batch_size, validation_data, shuffle=False)``
    for every member: the updates, the epoch ``loss`` (mean of the batch
    losses weighted by batch size), the training metrics (averaged over the
    epoch's examples) and the validation values (computed on the whole
    validation set at the end of each epoch). With ``shuffle=True`` each seed
    draws its own order every epoch, from ``numpy.random.default_rng(seed)``.

    Args:
        build: returns a new compiled model (a stack of Dense layers).
        x, y: training data, one row per example.
        seeds: e.g. ``range(10)``.
        epochs: passes over the training data.
        learning_rates: e.g. ``[0.003, 0.01, 0.03]``; ``None`` keeps the
            optimizer's own.
        batch_size: examples per update; ``None`` for the full batch.
        validation_data: ``(x_val, y_val)`` evaluated after every epoch.
        shuffle: reshuffle the training data before every epoch.
        class_weight: ``{class: weight}`` for integer labels, as in Keras.
        sample_weight: one weight per training example, as in Keras.
        restore_best: a validation key such as ``"val_loss"``: each member
            ends with its weights from the epoch where that value was best
            (early stopping without stopping, as Keras's ``EarlyStopping``
            with ``restore_best_weights=True`` and unlimited patience);
            ``Sweep.best_epoch`` says which epoch.
        mode: ``"min"`` or ``"max"``: which way ``restore_best`` is better.

    Returns:
        :class:`Sweep`, with histories of shape (seeds, rates, epochs).

    Example:
        >>> sweep = train(build, x_train, y_train, seeds=range(10), epochs=200,
        ...               learning_rates=[0.003, 0.01, 0.03],
        ...               validation_data=(x_val, y_val))
        >>> sweep.final("val_accuracy").mean(axis=0)   # one value per rate
    """
    seeds = [int(s) for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct and not empty, e.g. range(10); got {seeds}.")
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be a positive integer; got {epochs!r}.")
    epochs = int(epochs)
    x, y = _as_arrays(x, y, "training data")
    n = len(x)
    batch_size = n if batch_size is None else batch_size
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer or None (full batch); got {batch_size!r}.")
    batch_size = int(min(batch_size, n))
    validate = validation_data is not None
    if validate:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (x_val, y_val).")
        x_val, y_val = _as_arrays(*validation_data, "validation_data")
    weights = _example_weights(y, class_weight, sample_weight)
    if restore_best is not None and not validate:
        raise ValueError("restore_best needs validation_data: the best epoch is judged on it.")
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max'; got {mode!r}.")

    # One model per seed: its initial weights; the first also gives the setup.
    initial, template = [], None
    for s in seeds:
        set_seed(s)
        model = build()
        if not getattr(model, "compiled", False) or model.optimizer is None:
            raise ValueError("build() must return a compiled model: call "
                             "model.compile(loss=..., optimizer=..., metrics=[...]) in it.")
        if not model.built:
            model.build((None, x.shape[1]))
        if template is None:
            template = model
            layers = dense_layers(model)
            kind, settings = optimizer_settings(model.optimizer)
            model.test_step((tf.constant(x[:2]), tf.constant(y[:2])))  # builds loss and metrics
            loss_fn = loss_object(model)
            metric_objs = metric_objects(model)
            y = align_labels(loss_fn, y, template.output_shape)
            if validate:
                y_val = align_labels(loss_fn, y_val, template.output_shape)
            own_rate = float(model.optimizer.get_config()["learning_rate"])
        elif len(model.get_weights()) != len(template.get_weights()):
            raise ValueError("build() returned models of different shapes for different seeds.")
        initial.append(model.get_weights())
    rates = [own_rate] if learning_rates is None else [float(r) for r in learning_rates]
    if not rates or any(not np.isfinite(r) or r <= 0 for r in rates):
        raise ValueError(f"learning_rates must be positive numbers, e.g. [0.003, 0.01, 0.03]; got {rates}.")

    n_seeds, n_rates = len(seeds), len(rates)
    members = n_seeds * n_rates
    params = [tf.Variable(np.repeat(np.stack([w[k] for w in initial]), n_rates, axis=0))
              for k in range(len(initial[0]))]
    slots = [[tf.Variable(tf.zeros_like(p)) for p in params] for _ in range(n_slots(kind, settings))]
    lr = tf.constant(np.tile(np.array(rates, np.float32), n_seeds))
    iterations = tf.Variable(0, dtype=tf.int64)
    keys = ["loss"] + [m.name for m in metric_objs]
    names = keys + ([f"val_{k}" for k in keys] if validate else [])
    if restore_best is not None and restore_best not in names[len(keys):]:
        raise ValueError(f"restore_best={restore_best!r} is not recorded; choose one of {names[len(keys):]}.")
    watch = names.index(restore_best) if restore_best else None
    sign = 1.0 if mode == "min" else -1.0
    best_params = [tf.Variable(p) for p in params]
    best_value = tf.Variable(tf.fill([members], np.float32(np.inf)))
    best_epoch = tf.Variable(tf.zeros([members], tf.int32))

    full_batch = batch_size >= n
    if shuffle and not full_batch:
        orders = np.stack([np.stack([rng.permutation(n) for _ in range(epochs)])
                           for rng in (np.random.default_rng(s) for s in seeds)])  # (seeds, epochs, n)
        orders = orders.transpose(1, 0, 2)                                          # (epochs, seeds, n)
    else:
        orders = np.broadcast_to(np.arange(n), (1, n_seeds, n))
    steps = -(-n // batch_size)
    # Every step takes exactly batch_size indices (static shapes compile well); the
    # last batch is padded with index 0 and a mask of 0 that removes the padding.
    pad = steps * batch_size - n
    orders = np.concatenate([orders, np.zeros(orders.shape[:2] + (pad,), orders.dtype)], axis=2)
    orders_t = tf.constant(orders.astype(np.int32))
    mask_t = tf.constant(np.r_[np.ones(n), np.zeros(pad)].astype(np.float32))
    x_t, y_t = tf.constant(x), tf.constant(y)
    w_t = tf.constant(np.ones(n, np.float32) if weights is None else weights)
    if validate:
        x_val_t, y_val_t = tf.constant(x_val), tf.constant(y_val)

    def values_of(x_in, y_in, shared):
        """Per-member per-example loss (M, B) and metric values [(M, B), ...]."""
        out = _forward(params, layers, x_in, shared)
        y_full = tf.broadcast_to(y_in, [members] + y_in.shape.as_list()) if shared else y_in
        per_example = _samplewise(loss_fn.call(tf.cast(y_full, tf.float32), out), members)
        metric_values = [_samplewise(m._fn(y_full, out, **m._fn_kwargs), members) for m in metric_objs]
        return per_example, metric_values

    @tf.function(jit_compile=jit_compile)
    def loop():
        rows = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            order = tf.repeat(orders_t[0] if orders.shape[0] == 1 else orders_t[epoch], n_rates, axis=0)
            sums = tf.zeros([members, len(keys)])
            for step in tf.range(steps):
                start = step * batch_size
                if full_batch:
                    xb, yb, wb, mb, shared = x_t, y_t, w_t, mask_t, True
                else:
                    idx = tf.slice(order, [0, start], [members, batch_size])
                    mb = tf.slice(mask_t, [start], [batch_size])
                    xb, yb, wb, shared = tf.gather(x_t, idx), tf.gather(y_t, idx), tf.gather(w_t, idx), False
                size = tf.reduce_sum(mb)
                with tf.GradientTape() as tape:
                    per_example, metric_values = values_of(xb, yb, shared)
                    member_loss = tf.reduce_sum(per_example * wb * mb, axis=1) / size
                    total = tf.reduce_sum(member_loss)
                grads = tape.gradient(total, params)
                apply_update(kind, settings, params, slots, grads, lr, iterations)
                iterations.assign_add(1)
                batch = [member_loss * size] + [tf.reduce_sum(v * mb, axis=1) for v in metric_values]
                sums += tf.stack(batch, axis=1)
            row = sums / tf.cast(n, tf.float32)
            if validate:
                per_example, metric_values = values_of(x_val_t, y_val_t, True)
                val = [tf.reduce_mean(per_example, axis=1)] + [tf.reduce_mean(v, axis=1) for v in metric_values]
                row = tf.concat([row, tf.stack(val, axis=1)], axis=1)
            if watch is not None:
                value = sign * row[:, watch]
                better = value < best_value  # NaN (a diverged member) is never better
                best_value.assign(tf.where(better, value, best_value))
                best_epoch.assign(tf.where(better, epoch, best_epoch))
                for keep, p in zip(best_params, params):
                    keep.assign(tf.where(tf.reshape(better, [-1] + [1] * (p.shape.rank - 1)), p, keep))
            rows = rows.write(epoch, row)
        return rows.stack()  # (epochs, members, keys)

    with _quiet_retracing_notice():
        table = loop().numpy().astype(np.float64)
    history = {name: table[:, :, i].T.reshape(n_seeds, n_rates, epochs) for i, name in enumerate(names)}
    final = best_params if watch is not None else params
    best = best_epoch.numpy().reshape(n_seeds, n_rates) if watch is not None else None
    return Sweep(seeds=seeds, learning_rates=rates, history=history,
                 params=[p.numpy() for p in final], layers=layers, build=build, best_epoch=best)
