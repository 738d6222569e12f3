"""Self-checks of the chapter "Optimizers" (``chapters/optimizers.ipynb``)."""

from __future__ import annotations

import math

import numpy as np

from losslab.exercises import _calls, _compare, _fmt, _magnitude, _not_callable, _number, probes, register


def _nesterov_steps(fn, w, gradients, **kwargs):
    w = np.asarray(w, dtype=float)
    v = np.zeros_like(w)
    for g in np.asarray(gradients, dtype=float):
        result = fn(w, g, v, **kwargs)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(f"it must return a pair (new w, new v); it returned {type(result).__name__}")
        w, v = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
    return w


def _keras_nesterov(w, g, v, lr=0.01, momentum=0.9):
    v = momentum * v - lr * g
    return w + momentum * v - lr * g, v


_RNG = np.random.default_rng(0)
_W0, _GRADIENTS = _RNG.normal(size=3), [_RNG.normal(size=3) for _ in range(3)]
_NESTEROV_INPUTS = [
    ("after one step from w=[0.0], v=[0.0] with g=[1.0]", ([0.0], [[1.0]]), {}),
    (f"after three steps from w={_fmt(_W0)}", (_W0, _GRADIENTS), {}),
    ("after three steps with lr=0.1, momentum=0.5", (_W0, _GRADIENTS), {"lr": 0.1, "momentum": 0.5}),
]


@register("opt-nesterov-from-scratch", probes.calls(_NESTEROV_INPUTS, caller=_nesterov_steps))
def _opt_nesterov(data) -> tuple[bool, str]:
    problem = _not_callable(data, "(w, g, v, lr=0.01, momentum=0.9) -> (new w, new v)")
    if problem:
        return False, problem

    def reference(w, gradients, **kwargs):
        return _nesterov_steps(_keras_nesterov, w, gradients, **kwargs)

    def diagnose(got, expected, args, kwargs):
        plain = _nesterov_steps(lambda w, g, v, lr=0.01, momentum=0.9: (w + momentum * v - lr * g,
                                                                        momentum * v - lr * g), *args, **kwargs)
        return "That is plain momentum: Nesterov steps from the look-ahead, w + momentum * v_new - lr * g." \
            if np.allclose(got, plain, rtol=1e-4) else ""

    problem = _compare(_calls(data, len(_NESTEROV_INPUTS)), _NESTEROV_INPUTS, reference, diagnose=diagnose)
    if problem:
        return False, problem
    return True, "makes the same updates as keras.optimizers.SGD(momentum=..., nesterov=True)."


@register("opt-adam-first-step", probes.number)
def _opt_adam_first_step(data) -> tuple[bool, str]:
    lr, g, beta_1, beta_2, eps = 0.01, 0.001, 0.9, 0.999, 1e-7
    m, s = (1 - beta_1) * g, (1 - beta_2) * g**2
    alpha = lr * math.sqrt(1 - beta_2) / (1 - beta_1)
    step = alpha * m / (math.sqrt(s) + eps)
    return _number(_magnitude(data), step, "about the learning rate, whatever the gradient's size: "
                   "Adam's first step is close to lr * g / |g|.",
                   [(lr * g, "that is plain SGD's step, lr * g; Adam divides by the gradient's running size."),
                    (lr * m / (math.sqrt(s) + eps), "that leaves out the bias correction of the first step.")])
