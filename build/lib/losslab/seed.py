"""One place that fixes every source of randomness the book uses."""

from __future__ import annotations

import random

import numpy as np


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and the Keras backend with ``seed``.

    After ``set_seed(s)``, building a model draws the same initial weights and
    training shuffles the same way, so a notebook prints the same numbers on
    every run.

    Args:
        seed: a non-negative integer.

    Example:
        >>> set_seed(1)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(
            f"seed must be a non-negative integer such as 1; got {seed!r}."
        )
    random.seed(int(seed))
    np.random.seed(int(seed))
    import keras  # imported here so that `import losslab` stays light

    keras.utils.set_random_seed(int(seed))
