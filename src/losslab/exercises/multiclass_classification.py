"""Self-checks of the chapter "Multi-class classification" (``chapters/multiclass_classification.ipynb``)."""

from __future__ import annotations

import math

from losslab import losses
from losslab.exercises import _function_check, _number, _per_example_hint, probes, register

_SPARSE_INPUTS = [
    ("for labels=[0], logits=[[2.0, 1.0, 0.1]]", ([0], [[2.0, 1.0, 0.1]]), {}),
    ("for labels=[2, 1], logits=[[0.5, 2.5, 0.3], [1.0, 1.0, 1.0]]",
     ([2, 1], [[0.5, 2.5, 0.3], [1.0, 1.0, 1.0]]), {}),
    ("for labels=[1, 0], logits=[[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]] (large logits)",
     ([1, 0], [[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]]), {}),
]


@register("mc-sparse-from-logits", probes.calls(_SPARSE_INPUTS))
def _mc_sparse_from_logits(data) -> tuple[bool, str]:
    def reference(labels, logits):
        return losses.sparse_categorical_cross_entropy(labels, logits, from_logits=True)

    return _function_check(data, "(labels, logits) -> per-example losses", _SPARSE_INPUTS, reference,
        "matches sparse categorical cross-entropy from logits, and stays finite for logits of 1000.",
        shape_hint=_per_example_hint(),
        nonfinite_hint="exp(1000) overflows: subtract each row's largest logit before exponentiating "
                       "(the log-sum-exp trick).")


@register("mc-uniform-loss", probes.number)
def _mc_uniform_loss(data) -> tuple[bool, str]:
    return _number(data, math.log(3.0), "-log(1/3) = log 3, the loss of a model that knows nothing; "
                   "a trained model must get below it.",
                   [(math.log2(3.0), "that is log base 2 (bits); Keras uses the natural log."),
                    (1 / 3, "that is the probability given to the right class; the loss is minus its log."),
                    (math.log(3.0) / 3, "that divides by the number of classes; cross-entropy sums over them.")])


@register("mc-softmax-none", probes.number)
def _mc_softmax_none(data) -> tuple[bool, str]:
    return _number(data, 0.25, "the largest of four probabilities summing to 1 is at least 1/4, so only a "
                   "threshold of 1/4 or more lets every label stay below it (and then all four can never "
                   "be predicted).",
                   [(0.5, "0.5 is the usual threshold, but a softmax can say 'no label' below it already."),
                    (0.2, "that is 1/(L + 1); the probabilities of L = 4 labels share a total of 1."),
                    (1 / 3, "that is 1/3, the bound for three labels; this model has four.")])


@register("mc-gce-weight", probes.number)
def _mc_gce_weight(data) -> tuple[bool, str]:
    return _number(data, 0.2, "GCE's gradient is p_y ** q times cross-entropy's: 0.04 ** 0.5 = 0.2.",
                   [(5.0, "that is cross-entropy's gradient over GCE's; the question asks GCE's over "
                          "cross-entropy's."),
                    (0.04, "that is p_y itself; the factor is p_y ** q with q = 0.5."),
                    (0.0016, "that squares p_y; the factor is p_y ** q with q = 0.5.")])
