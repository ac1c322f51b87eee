"""Exercise checks for chapter 06, backpropagation and gradient descent.

The two backward-pass checks compare the learner's gradients with numerical ones
(``nnlib.numerical_gradient``), the same test ``nnlib.gradcheck`` applies to every layer.
"""

import numpy as np

from ..gradcheck import numerical_gradient
from ..losses import SoftmaxCrossEntropy
from . import check_choice, check_function, check_value, exercise
from ._parts import check_parts

_rng = np.random.default_rng(606)

# --- 1. the dense layer's backward pass ----------------------------------------------------------

DENSE_CASES = [
    (np.array([[1.0, 2.0]]), np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]]),
     np.array([[1.0, 1.0, 1.0]])),
    (_rng.standard_normal((4, 2)), _rng.standard_normal((2, 3)), _rng.standard_normal((4, 3))),
    (_rng.standard_normal((5, 3)), _rng.standard_normal((3, 2)), _rng.standard_normal((5, 2))),
]


def _numerical_dense_backward(X, W, dvalues):
    """Gradients of sum((X @ W + b) * dvalues) w.r.t. X, W and b, by centred differences."""
    X, W = np.array(X, dtype=np.float64), np.array(W, dtype=np.float64)
    b = np.zeros((1, W.shape[1]))

    def objective():
        return float(np.sum((X @ W + b) * dvalues))

    return (numerical_gradient(objective, X), numerical_gradient(objective, W),
            numerical_gradient(objective, b))


def dense_backward_solution(X, W, dvalues):
    """dinputs = dvalues @ W.T; dweights = X.T @ dvalues; dbiases = column sums of dvalues."""
    return dvalues @ W.T, X.T @ dvalues, dvalues.sum(axis=0, keepdims=True)


def _mean_biases(X, W, dvalues):
    return dvalues @ W.T, X.T @ dvalues, dvalues.mean(axis=0, keepdims=True)


def _flat_biases(X, W, dvalues):
    return dvalues @ W.T, X.T @ dvalues, dvalues.sum(axis=0)


def _transposed_weights(X, W, dvalues):
    return dvalues @ W.T, (X.T @ dvalues).T, dvalues.sum(axis=0, keepdims=True)


@exercise(solution=dense_backward_solution,
          wrong=[_mean_biases, _flat_biases, _transposed_weights])
def check_dense_backward(fn):
    """``fn(X, W, dvalues) -> (dinputs, dweights, dbiases)``, checked numerically."""
    return check_parts(
        fn, DENSE_CASES, _numerical_dense_backward, name="dense_backward",
        parts=("dinputs", "dweights", "dbiases"), rtol=1e-5, atol=1e-8,
        mistakes={
            "dbiases is a SUM over the samples (each sample's gradient adds up), not a mean; "
            "the averaging already happened in the loss.": _mean_biases,
            "dbiases must keep the biases' shape (1, n_neurons): use keepdims=True.":
                _flat_biases,
            "dweights must have the weights' shape (n_inputs, n_neurons): X.T @ dvalues.":
                _transposed_weights,
        },
    )


# --- 2. softmax + cross-entropy gradient -------------------------------------------------------

SOFTMAX_CE_CASES = [
    (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
    (_rng.standard_normal((4, 3)), _rng.integers(0, 3, 4)),
    (3 * _rng.standard_normal((6, 4)), _rng.integers(0, 4, 6)),
]


def _numerical_softmax_ce_gradient(logits, labels):
    logits = np.array(logits, dtype=np.float64)
    loss = SoftmaxCrossEntropy()
    return numerical_gradient(lambda: loss.forward(logits, labels), logits)


def _one_hot(labels, n_classes):
    return np.eye(n_classes)[labels]


def _softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_ce_gradient_solution(logits, labels):
    """(softmax(logits) - one_hot(labels)) / n_samples."""
    return (_softmax(logits) - _one_hot(labels, logits.shape[1])) / len(logits)


def _not_averaged(logits, labels):
    return _softmax(logits) - _one_hot(labels, logits.shape[1])


def _forgot_one_hot(logits, labels):
    return _softmax(logits) / len(logits)


def _logits_not_probabilities(logits, labels):
    return (logits - _one_hot(labels, logits.shape[1])) / len(logits)


@exercise(solution=softmax_ce_gradient_solution,
          wrong=[_not_averaged, _forgot_one_hot, _logits_not_probabilities])
def check_softmax_ce_gradient(fn):
    """``fn(logits, labels) -> dL/dlogits`` of the mean softmax cross-entropy (numerical check)."""
    return check_function(
        fn, SOFTMAX_CE_CASES, _numerical_softmax_ce_gradient, name="softmax_ce_gradient",
        rtol=1e-5, atol=1e-8,
        mistakes={
            "the loss is a mean over the samples, so divide by len(logits).": _not_averaged,
            "subtract 1 at each sample's true class (the one-hot targets).": _forgot_one_hot,
            "use the softmax PROBABILITIES, not the raw logits: (softmax(z) - one_hot) / n.":
                _logits_not_probabilities,
        },
    )


# --- 3. gradient descent on a parabola --------------------------------------------------------

GD_CASES = [(0.0, 0.1, 3), (5.0, 0.25, 4), (-2.0, 0.9, 6)]


def gradient_descent_solution(w0, lr, steps):
    """w after 0, 1, ..., steps updates w -= lr * f'(w) on f(w) = (w - 3)**2."""
    path = [w0]
    w = w0
    for _ in range(steps):
        w = w - lr * 2 * (w - 3)
        path.append(w)
    return np.array(path)


def _ascent(w0, lr, steps):
    path, w = [w0], w0
    for _ in range(steps):
        w = w + lr * 2 * (w - 3)
        path.append(w)
    return np.array(path)


def _without_factor_two(w0, lr, steps):
    path, w = [w0], w0
    for _ in range(steps):
        w = w - lr * (w - 3)
        path.append(w)
    return np.array(path)


def _without_start(w0, lr, steps):
    return gradient_descent_solution(w0, lr, steps)[1:]


@exercise(solution=gradient_descent_solution, wrong=[_ascent, _without_factor_two, _without_start])
def check_gradient_descent(fn):
    """``fn(w0, lr, steps) -> array of steps + 1 values of w`` on f(w) = (w - 3)**2."""
    return check_function(
        fn, GD_CASES, gradient_descent_solution, name="gradient_descent",
        mistakes={
            "w moves away from 3: step AGAINST the gradient, w = w - lr * gradient.": _ascent,
            "the derivative of (w - 3)**2 is 2 * (w - 3); the factor 2 is missing.":
                _without_factor_two,
            "include the starting value w0 as the first element (steps + 1 values in all).":
                _without_start,
        },
    )


# --- 4. predict: what a too-large learning rate does ------------------------------------------

LR_OPTIONS = ("converges smoothly", "converges while oscillating", "oscillates and diverges")


@exercise(solution="oscillates and diverges",
          wrong=["converges smoothly", "converges while oscillating"])
def check_large_learning_rate(answer):
    """Gradient descent on f(w) = w**2 from w = 1 with learning rate 1.1: what happens?"""
    return check_choice(
        answer, "oscillates and diverges", name="learning rate 1.1", options=LR_OPTIONS,
        explain="each step maps w to w - 1.1 * 2w = -1.2 w: the sign flips and the size grows by "
                "20 % per step, so w runs away.",
        hints={
            "converges smoothly": "write one step out: w - lr * 2w with lr = 1.1. Is the new w "
                                  "smaller in size than the old?",
            "converges while oscillating": "it does oscillate (the factor is negative), but is "
                                           "the factor's size below 1? -1.2 w is larger than w.",
        },
    )


# --- 5. predict: how many updates -------------------------------------------------------------

@exercise(solution=160, wrong=[155, 156.25, 32])
def check_updates(answer):
    """Parameter updates in 5 epochs over 1000 samples with batch size 32."""
    return check_value(
        answer, 160, name="number of updates",
        explain="1000 / 32 = 31.25, so each epoch has 31 full batches and one of 8 samples: "
                "32 updates per epoch, 160 in 5 epochs.",
        mistakes={
            "the last 8 samples still form a (smaller) batch and get an update: 32 per epoch.": 155,
            "updates are whole steps: round the batches per epoch UP.": 156.25,
            "that is one epoch; the question asks for five.": 32,
        },
    )


__all__ = [
    "check_dense_backward", "check_softmax_ce_gradient", "check_gradient_descent",
    "check_large_learning_rate", "check_updates",
]
