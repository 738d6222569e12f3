"""What :func:`losslab.sweep.train` can stack along its member axis, read off a Keras model.

A sweep trains many copies of one small model as one batched model, so it
must know exactly what the model computes: a stack of ``Dense`` layers (their
activations and biases), one Keras loss, Keras metrics. Anything else raises
a ``ValueError`` naming what is unsupported, rather than training something
else. Labels are aligned with the outputs as Keras's loss wrapper aligns them.
"""

from __future__ import annotations

import keras
import numpy as np

from losslab.member_updates import unsupported

__all__ = ["align_labels", "dense_layers", "loss_object", "metric_objects"]


def dense_layers(model: keras.Model) -> list[tuple[str, bool]]:
    """``[(activation name, use_bias), ...]`` of a stack of Dense layers, or ValueError."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if type(layer) is not keras.layers.Dense:
            raise unsupported(f"a {type(layer).__name__} layer ({layer.name!r}); only Dense layers are supported")
        config = layer.get_config()
        for key in ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "bias_constraint", "lora_rank"):
            if config.get(key):
                raise unsupported(f"a Dense layer with {key} ({layer.name!r})")
        if layer.dtype != "float32":
            raise unsupported(f"a Dense layer of dtype {layer.dtype} ({layer.name!r}); only float32")
        activation = config["activation"]
        if not isinstance(activation, str):
            raise unsupported(f"the activation {activation!r} ({layer.name!r}); give activations by name")
        layers.append((activation, bool(config["use_bias"])))
    if not layers:
        raise unsupported("a model without Dense layers")
    if model.losses:
        raise unsupported("a model with regularization losses")
    return layers


def loss_object(model: keras.Model) -> keras.losses.Loss:
    compiled = model._compile_loss  # what model.compile made of `loss`
    flat = getattr(compiled, "_flat_losses", None)
    if not flat or len(flat) != 1 or flat[0].loss_weights not in (None, 1, 1.0):
        raise unsupported("a model with several losses or loss weights")
    loss = flat[0].loss
    if getattr(loss, "reduction", None) != "sum_over_batch_size":
        raise unsupported(f"a loss with reduction={getattr(loss, 'reduction', None)!r}; only the default")
    return loss


def metric_objects(model: keras.Model) -> list:
    compiled = model._compile_metrics
    if compiled is None:
        return []
    if getattr(compiled, "_flat_weighted_metrics", None) and any(compiled._flat_weighted_metrics):
        raise unsupported("weighted_metrics")
    found = []
    for metric in compiled.metrics:
        if not isinstance(metric, keras.metrics.MeanMetricWrapper):
            raise unsupported(f"the metric {metric.name!r} ({type(metric).__name__}); only metrics that "
                               "average a value per example (accuracy, mse, mae, ...)")
        found.append(metric)
    return found


def align_labels(loss, y: np.ndarray, output_shape) -> np.ndarray:
    """``y`` reshaped as Keras's loss wrapper aligns it with one example's output.

    ``compile(loss=...)`` turns labels of shape (n,) into (n, 1) next to an
    output of shape (n, 1). With a member axis in front the ranks change, so
    the alignment is done once here, on the examples' own shapes.
    """
    from keras.src.losses.loss import squeeze_or_expand_to_same_rank
    from keras.src.losses.losses import LossFunctionWrapper

    out_rank = len(output_shape)
    if isinstance(loss, LossFunctionWrapper):
        dummy_pred = np.zeros((1,) + tuple(output_shape[1:]), np.float32)
        aligned, pred = squeeze_or_expand_to_same_rank(y[:1], dummy_pred)
        if len(pred.shape) != out_rank:
            raise unsupported(f"labels of shape {y.shape} with outputs of shape {tuple(output_shape)}")
        return y.reshape((len(y),) + tuple(aligned.shape[1:]))
    if y.ndim != out_rank:
        raise ValueError(f"the loss {type(loss).__name__} is a Loss subclass, which Keras does not "
                         f"align with the outputs: give labels of rank {out_rank} (e.g. y.reshape(-1, 1)); "
                         f"got shape {y.shape}.")
    return y
