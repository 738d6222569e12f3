"""losslab.metrics.SignAccuracy scores -1/1 labels correctly where 'accuracy' does not."""

import keras
import numpy as np
import pytest

from losslab.metrics import SignAccuracy


def test_sign_accuracy_counts_matching_signs():
    y_true = np.array([-1.0, 1.0, 1.0, -1.0])
    y_pred = np.array([[-0.2], [0.9], [-0.1], [-0.8]])  # 3 of 4 on the right side of 0
    metric = SignAccuracy()
    metric.update_state(y_true, y_pred)
    assert float(metric.result()) == 0.75
    metric.reset_state()
    metric.update_state((y_true > 0).astype(float), y_pred)  # 0/1 labels: the same answer
    assert float(metric.result()) == 0.75


def test_keras_accuracy_is_wrong_on_minus_one_labels():
    # the pitfall the binary chapter shows: every prediction has the right sign,
    # yet Keras's accuracy (threshold 0.5, compare with the label) says 0.5
    y_true = np.array([-1.0, 1.0, 1.0, -1.0])
    y_pred = np.array([[-0.9], [0.9], [0.9], [-0.9]])
    keras_acc = keras.metrics.BinaryAccuracy()
    keras_acc.update_state(y_true, y_pred)
    ours = SignAccuracy()
    ours.update_state(y_true, y_pred)
    assert float(ours.result()) == 1.0
    assert float(keras_acc.result()) == 0.5


def test_binary_accuracy_for_both_label_conventions():
    import pytest

    from losslab.metrics import binary_accuracy

    assert binary_accuracy([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]) == 0.5
    assert binary_accuracy([-1, 1, 1, -1], np.array([[-0.3], [0.1], [0.2], [-0.9]]), threshold=0.0) == 1.0
    with pytest.raises(ValueError, match="3 labels but y_score has 2"):
        binary_accuracy([0, 1, 1], [0.2, 0.7])
    with pytest.raises(ValueError, match="found \\[2\\]"):
        binary_accuracy([0, 2], [0.2, 0.7])


# ---------------------------------------------------------------- multi-label metrics against scikit-learn
def _multilabel_case(seed=0, n=300, labels=4):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, labels)) < [0.1, 0.3, 0.5, 0.7]).astype(int)
    score = np.clip(0.6 * y + rng.normal(0.2, 0.25, size=y.shape), 0, 1)
    score[:20] = np.round(score[:20], 1)  # some ties
    return y, score


def test_multilabel_metrics_equal_scikit_learn():
    from sklearn import metrics as sk

    from losslab import metrics as lm
    y, score = _multilabel_case()
    for t in (0.3, 0.5):
        pred = (score > t).astype(int)
        assert lm.hamming_loss(y, score, t) == pytest.approx(sk.hamming_loss(y, pred))
        assert lm.subset_accuracy(y, score, t) == pytest.approx(sk.accuracy_score(y, pred))
        got = lm.per_label_f1(y, score, t)
        for key, fn in [("precision", sk.precision_score), ("recall", sk.recall_score), ("f1", sk.f1_score)]:
            np.testing.assert_allclose(got[key], fn(y, pred, average=None, zero_division=0), err_msg=key)
    np.testing.assert_allclose(lm.average_precision(y, score), sk.average_precision_score(y, score, average=None))


def test_multilabel_metrics_refuse_bad_labels():
    from losslab import metrics as lm
    with pytest.raises(ValueError, match="multi-hot labels of 0 and 1"):
        lm.hamming_loss([[0, 2]], [[0.1, 0.9]])
    with pytest.raises(ValueError, match="same shape"):
        lm.per_label_f1([0, 1], [[0.1, 0.9]])
    assert np.isnan(lm.average_precision([[0, 1], [0, 0]], [[0.2, 0.9], [0.3, 0.1]])[0])  # no positive: NaN
