"""losslab.metrics.SignAccuracy scores -1/1 labels correctly where 'accuracy' does not."""

import keras
import numpy as np

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
