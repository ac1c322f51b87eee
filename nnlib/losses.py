"""Loss functions and accuracy.

Contract: ``loss = loss_fn.forward(y_pred, y_true)`` returns the mean loss over the batch as a
Python float; ``loss_fn.backward()`` returns (and stores as ``dinputs``) the gradient of that
mean with respect to ``y_pred``. Class labels may be integers, shape (n_samples,), or one-hot,
shape (n_samples, n_classes).

Numerical safety: probabilities are clipped to [1e-7, 1 - 1e-7] before a logarithm (so a
prediction of exactly 0 or 1 gives a large but finite loss), and ``SoftmaxCrossEntropy``
works on raw scores with the log-sum-exp trick, so scores of +-1000 are fine.
"""

import numpy as np

from .activations import sigmoid, softmax
from .checks import as_float_array, check_batch, check_ndim, class_labels

#: how far probabilities are kept from 0 and 1 before taking a logarithm
EPSILON = 1e-7


class Loss:
    """Shared bookkeeping: remember the inputs of ``forward`` for ``backward``."""

    #: True for losses whose predictions are class scores (``fit`` then reports accuracy)
    is_classification = True

    def __init__(self):
        self.y_pred = None
        self.y_true = None
        self.dinputs = None

    def _require_forward(self):
        if self.y_pred is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward(): compute the "
                "loss first"
            )

    def __call__(self, y_pred, y_true):
        return self.forward(y_pred, y_true)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """mean((y_true - y_pred)**2) over samples and outputs; for regression.

    ``y_pred`` is (n_samples, n_outputs); ``y_true`` the same shape, or (n_samples,) when there
    is one output.
    """

    is_classification = False

    def forward(self, y_pred, y_true):
        self.y_pred = _predictions_2d(y_pred, "MeanSquaredError")
        self.y_true = _targets_like(y_true, self.y_pred, "MeanSquaredError")
        return float(np.mean((self.y_true - self.y_pred) ** 2))

    def backward(self):
        self._require_forward()
        self.dinputs = 2.0 * (self.y_pred - self.y_true) / self.y_pred.size
        return self.dinputs


class BinaryCrossEntropy(Loss):
    """-mean(y log p + (1 - y) log(1 - p)) for probabilities ``p`` from a sigmoid.

    ``y_pred`` is (n_samples, n_outputs) of probabilities; ``y_true`` holds 0/1 targets of the
    same shape, or (n_samples,) with one output.
    """

    def forward(self, y_pred, y_true):
        self.y_pred = _predictions_2d(y_pred, "BinaryCrossEntropy")
        self.y_true = _targets_like(y_true, self.y_pred, "BinaryCrossEntropy")
        if np.any((self.y_true < 0) | (self.y_true > 1)):
            raise ValueError("BinaryCrossEntropy targets must lie in [0, 1] (usually 0 or 1)")
        p = np.clip(self.y_pred, EPSILON, 1 - EPSILON)
        return float(-np.mean(self.y_true * np.log(p) + (1 - self.y_true) * np.log(1 - p)))

    def backward(self):
        self._require_forward()
        p = np.clip(self.y_pred, EPSILON, 1 - EPSILON)
        self.dinputs = (p - self.y_true) / (p * (1 - p)) / self.y_pred.size
        return self.dinputs


class CategoricalCrossEntropy(Loss):
    """-mean(log p[true class]) for rows of probabilities ``p`` from a softmax."""

    def forward(self, y_pred, y_true):
        self.y_pred = _predictions_2d(y_pred, "CategoricalCrossEntropy")
        self.y_true = one_hot_targets(y_true, self.y_pred)
        p = np.clip(self.y_pred, EPSILON, 1 - EPSILON)
        return float(-np.mean(np.sum(self.y_true * np.log(p), axis=1)))

    def backward(self):
        self._require_forward()
        p = np.clip(self.y_pred, EPSILON, 1 - EPSILON)
        self.dinputs = -self.y_true / p / len(p)
        return self.dinputs


class SoftmaxCrossEntropy(Loss):
    """Softmax and categorical cross-entropy in one step, on raw scores (logits).

    Like PyTorch's ``CrossEntropyLoss``: the network ends with a ``Dense`` layer and no
    ``Softmax``. The loss is mean(logsumexp(z) - z[true class]) and its gradient is the
    famously simple (softmax(z) - one_hot) / n_samples. After ``forward`` the probabilities
    are in ``self.probabilities``.
    """

    def forward(self, y_pred, y_true):
        self.y_pred = _predictions_2d(y_pred, "SoftmaxCrossEntropy")
        self.y_true = one_hot_targets(y_true, self.y_pred)
        shifted = self.y_pred - self.y_pred.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        self.probabilities = exp / total
        log_probs = shifted - np.log(total)
        return float(-np.sum(self.y_true * log_probs) / len(log_probs))

    def backward(self):
        self._require_forward()
        self.dinputs = self.probabilities - self.y_true
        self.dinputs /= len(self.y_pred)
        return self.dinputs


def accuracy(y_pred, y_true):
    """Fraction of samples whose predicted class is the true one.

    ``y_pred`` is (n_samples, n_classes) of scores or probabilities (the largest wins), or
    (n_samples, 1) / (n_samples,) of probabilities of class 1 (above 0.5 means class 1).
    ``y_true`` holds integer labels or one-hot rows.
    """
    y_pred = as_float_array(y_pred, "accuracy y_pred")
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    check_ndim(y_pred, 2, "accuracy y_pred", "use (n_samples, n_classes)")
    y_true = np.asarray(y_true)
    if y_pred.shape[1] == 1:
        predicted = (y_pred[:, 0] > 0.5).astype(np.intp)
        labels = class_labels(y_true.reshape(-1), len(y_pred), 2)
    else:
        predicted = y_pred.argmax(axis=1)
        labels = one_hot_targets(y_true, y_pred).argmax(axis=1)
    return float(np.mean(predicted == labels))


def one_hot_targets(y_true, y_pred):
    """Return one-hot targets shaped like ``y_pred`` from integer labels or one-hot rows."""
    y_true = np.asarray(y_true)
    n_samples, n_classes = y_pred.shape
    if y_true.ndim == 2:
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"one-hot y_true has shape {y_true.shape} but the predictions have shape "
                f"{y_pred.shape}: they must match"
            )
        return as_float_array(y_true, "y_true", y_pred.dtype)
    labels = class_labels(y_true, n_samples, n_classes)
    one_hot = np.zeros_like(y_pred)
    one_hot[np.arange(n_samples), labels] = 1.0
    return one_hot


def _predictions_2d(y_pred, owner):
    y_pred = as_float_array(y_pred, f"{owner} y_pred")
    if y_pred.ndim == 1:
        raise ValueError(
            f"{owner} y_pred must be 2-D (n_samples, n_outputs), but got shape {y_pred.shape}; "
            "a network's output is always 2-D (use y.reshape(-1, 1) for one output)"
        )
    check_ndim(y_pred, 2, f"{owner} y_pred", "use (n_samples, n_outputs)")
    return y_pred


def _targets_like(y_true, y_pred, owner):
    y_true = as_float_array(y_true, f"{owner} y_true", y_pred.dtype)
    if y_true.ndim == 1 and y_pred.shape[1] == 1:
        y_true = y_true[:, None]
    if y_true.ndim != 2:
        raise ValueError(
            f"{owner} y_true must have the shape of the predictions {y_pred.shape}, "
            f"but got shape {y_true.shape}"
        )
    check_batch(y_true.shape[0], y_pred.shape[0], f"{owner} y_true")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{owner} y_true has shape {y_true.shape} but the predictions have shape "
            f"{y_pred.shape}: each sample needs one target per output"
        )
    return y_true


__all__ = [
    "Loss", "MeanSquaredError", "BinaryCrossEntropy", "CategoricalCrossEntropy",
    "SoftmaxCrossEntropy", "accuracy", "one_hot_targets", "sigmoid", "softmax", "EPSILON",
]
