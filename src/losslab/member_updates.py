"""Keras's optimizer update rules, written for weights with a leading member axis.

:func:`losslab.sweep.train` keeps every member's weights and optimizer state in
one variable per layer, shape ``(members, ...)``. These are the updates Keras's
``SGD`` (with momentum, Nesterov), ``RMSprop`` (with momentum) and ``Adam``
make, term for term, with one learning rate per member; ``tests/test_sweep.py``
checks the weights they produce against ``model.fit``.
"""

from __future__ import annotations

import tensorflow as tf

__all__ = ["optimizer_settings", "apply_update", "n_slots", "unsupported"]


def unsupported(what: str) -> ValueError:
    return ValueError(f"losslab.sweep cannot train {what}; use losslab.training.fit for this model.")


_OPTIMIZERS = {"SGD": ("momentum", "nesterov"), "RMSprop": ("rho", "momentum", "epsilon"),
               "Adam": ("beta_1", "beta_2", "epsilon")}


def optimizer_settings(optimizer) -> tuple[str, dict]:
    name = type(optimizer).__name__
    if name not in _OPTIMIZERS or type(optimizer).__module__.split(".")[0] != "keras":
        raise unsupported(f"the optimizer {name}; supported: {', '.join(_OPTIMIZERS)}")
    config = optimizer.get_config()
    for key in ("weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "loss_scale_factor",
                "gradient_accumulation_steps", "use_ema", "centered", "amsgrad"):
        if config.get(key):
            raise unsupported(f"an optimizer with {key}={config[key]!r}")
    if not isinstance(config["learning_rate"], float):
        raise unsupported("a learning-rate schedule; give a number")
    return name, {key: config[key] for key in _OPTIMIZERS[name]}


def _per_lr(lr, variable):
    return tf.reshape(lr, [-1] + [1] * (variable.shape.rank - 1))


def apply_update(kind, settings, params, slots, grads, lr, iterations):
    """One optimizer step for every member, with Keras's update rules."""
    f32 = tf.float32
    for i, (p, g) in enumerate(zip(params, grads)):
        rate = _per_lr(lr, p)
        if kind == "SGD":
            momentum = settings["momentum"]
            if momentum != 0:
                m = slots[0][i]
                m.assign(m * tf.constant(momentum, f32) - g * rate)
                if settings["nesterov"]:
                    p.assign_add(m * tf.constant(momentum, f32) - g * rate)
                else:
                    p.assign_add(m)
            else:
                p.assign_sub(g * rate)
        elif kind == "RMSprop":
            rho, momentum = settings["rho"], settings["momentum"]
            v = slots[0][i]
            v.assign(tf.constant(rho, f32) * v + tf.constant(1 - rho, f32) * tf.square(g))
            increment = (rate * g) / tf.sqrt(v + tf.constant(settings["epsilon"], f32))
            if momentum > 0:
                m = slots[1][i]
                m.assign(tf.constant(momentum, f32) * m + increment)
                p.assign_sub(m)
            else:
                p.assign_sub(increment)
        else:  # Adam
            b1, b2 = settings["beta_1"], settings["beta_2"]
            step = tf.cast(iterations + 1, f32)
            b1_power = tf.pow(tf.constant(b1, f32), step)
            b2_power = tf.pow(tf.constant(b2, f32), step)
            alpha = rate * tf.sqrt(1 - b2_power) / (1 - b1_power)
            m, v = slots[0][i], slots[1][i]
            m.assign_add((g - m) * tf.constant(1 - b1, f32))
            v.assign_add((tf.square(g) - v) * tf.constant(1 - b2, f32))
            p.assign_sub((m * alpha) / (tf.sqrt(v) + tf.constant(settings["epsilon"], f32)))


def n_slots(kind, settings):
    if kind == "SGD":
        return 1 if settings["momentum"] != 0 else 0
    if kind == "RMSprop":
        return 2 if settings["momentum"] > 0 else 1
    return 2
