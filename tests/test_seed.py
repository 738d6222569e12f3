"""losslab.set_seed makes runs repeatable and rejects what is not a seed."""

import numpy as np
import pytest

import losslab


def test_same_seed_same_numbers_from_every_generator():
    import random

    import keras

    draws = []
    for _ in range(2):
        losslab.set_seed(11)
        draws.append((random.random(), np.random.rand(), float(keras.random.uniform((1,))[0])))
    assert draws[0] == draws[1]


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_set_seed_rejects_non_integers(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        losslab.set_seed(seed)
