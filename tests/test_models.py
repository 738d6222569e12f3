"""losslab.models builds the tutorial's MLPs."""

import numpy as np
import pytest

import losslab
from losslab import models


def test_circles_mlp_has_the_tutorials_shape():
    model = models.mlp(2, (50,), output_activation="sigmoid")
    dense = model.layers
    assert [layer.units for layer in dense] == [50, 1]
    assert dense[0].get_config()["activation"] == "relu"
    assert dense[0].get_config()["kernel_initializer"]["class_name"] == "HeUniform"
    assert dense[1].get_config()["activation"] == "sigmoid"
    assert model.count_params() == 2 * 50 + 50 + 50 + 1


def test_same_seed_same_initial_weights():
    losslab.set_seed(7)
    a = models.mlp(3, (4, 5), output_units=2, output_activation=None)
    losslab.set_seed(7)
    b = models.mlp(3, (4, 5), output_units=2, output_activation=None)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    losslab.set_seed(8)
    c = models.mlp(3, (4, 5), output_units=2, output_activation=None)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


@pytest.mark.parametrize("args,kwargs,message", [
    ((0,), {}, "n_inputs must be a positive integer"),
    ((2, (50, 0)), {}, "hidden must list positive layer sizes"),
    ((2,), {"output_units": 0}, "output_units must be a positive integer"),
])
def test_bad_sizes_raise(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.mlp(*args, **kwargs)
