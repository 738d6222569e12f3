"""Builders for the small multilayer perceptrons the book trains."""

from __future__ import annotations

from collections.abc import Sequence

import keras


def mlp(
    n_inputs: int,
    hidden: Sequence[int] = (50,),
    *,
    output_units: int = 1,
    output_activation: str | None = "sigmoid",
    hidden_activation: str = "relu",
    kernel_initializer: str = "he_uniform",
) -> keras.Sequential:
    r"""A fully connected network: ``n_inputs -> hidden... -> output_units``.

    Each hidden layer computes :math:`h = g(Wx + b)` with ``hidden_activation``
    :math:`g`; the output layer applies ``output_activation`` (``None`` or
    ``"linear"`` for raw scores/logits). Weights start from
    ``kernel_initializer``, drawn from the seed set by :func:`losslab.set_seed`.

    Args:
        n_inputs: number of input features.
        hidden: units of each hidden layer, e.g. ``(50,)``; ``()`` for none.
        output_units: units of the output layer.
        output_activation: activation of the output layer.
        hidden_activation: activation of every hidden layer.
        kernel_initializer: initializer of every hidden layer's weights.

    Returns:
        an uncompiled ``keras.Sequential``.

    Example:
        >>> model = mlp(2, (50,), output_activation="sigmoid")   # the circles model
    """
    if int(n_inputs) != n_inputs or n_inputs < 1:
        raise ValueError(f"n_inputs must be a positive integer (the number of features); got {n_inputs!r}.")
    if any(int(h) != h or h < 1 for h in hidden):
        raise ValueError(f"hidden must list positive layer sizes such as (50,); got {tuple(hidden)!r}.")
    if int(output_units) != output_units or output_units < 1:
        raise ValueError(f"output_units must be a positive integer; got {output_units!r}.")
    layers: list[keras.layers.Layer] = [keras.Input(shape=(int(n_inputs),))]
    for units in hidden:
        layers.append(keras.layers.Dense(int(units), activation=hidden_activation,
                                         kernel_initializer=kernel_initializer))
    layers.append(keras.layers.Dense(int(output_units), activation=output_activation))
    return keras.Sequential(layers)
