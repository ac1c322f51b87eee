"""Exercise checks for chapter 04, activation functions.

Each check runs the learner's answer on hidden seeded cases and prints one line.
The backward-pass check compares with a *numerical* gradient (``nnlib.numerical_gradient``),
so it proves the derivative rather than matching one particular way of writing it.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..gradcheck import numerical_gradient
from . import check_choice, check_function, check_value, exercise
from ._parts import check_parts

_rng = np.random.default_rng(404)

# --- 1. the sigmoid's backward pass ------------------------------------------------------------

SIGMOID_CASES = [
    (np.array([[0.0, 1.0, -1.0]]), np.array([[1.0, 1.0, 1.0]])),
    (_rng.uniform(-4, 4, (4, 2)), _rng.standard_normal((4, 2))),
    (_rng.uniform(-6, 6, (5, 3)), _rng.standard_normal((5, 3))),
]


def _numerical_sigmoid_backward(inputs, dvalues):
    """d/d inputs of sum(sigmoid(inputs) * dvalues), by centred differences."""
    inputs = np.array(inputs, dtype=np.float64)
    return numerical_gradient(lambda: float(np.sum(sigmoid(inputs) * dvalues)), inputs)


def sigmoid_backward_solution(inputs, dvalues):
    """dinputs = dvalues * s * (1 - s), with s = sigmoid(inputs)."""
    s = 1.0 / (1.0 + np.exp(-inputs))
    return dvalues * s * (1.0 - s)


def _forgot_dvalues(inputs, dvalues):
    s = sigmoid(inputs)
    return s * (1.0 - s)


def _used_inputs_not_output(inputs, dvalues):
    return dvalues * inputs * (1.0 - inputs)


def _sigmoid_not_derivative(inputs, dvalues):
    return dvalues * sigmoid(inputs)


@exercise(solution=sigmoid_backward_solution,
          wrong=[_forgot_dvalues, _used_inputs_not_output, _sigmoid_not_derivative])
def check_sigmoid_backward(fn):
    """``fn(inputs, dvalues) -> dinputs`` for a sigmoid, compared with a numerical gradient."""
    return check_function(
        fn, SIGMOID_CASES, _numerical_sigmoid_backward, name="sigmoid_backward",
        rtol=1e-5, atol=1e-8,
        mistakes={
            "you returned the sigmoid's slope but did not multiply it by dvalues, the gradient "
            "arriving from the layer above (chain rule).": _forgot_dvalues,
            "the slope is s * (1 - s) where s is the sigmoid's OUTPUT; you used the inputs.":
                _used_inputs_not_output,
            "that is the sigmoid itself times dvalues, not its derivative s * (1 - s).":
                _sigmoid_not_derivative,
        },
    )


# --- 2. a softmax that survives large scores ----------------------------------------------------

SOFTMAX_CASES = [
    (np.array([[1.0, 2.0, 3.0]]),),
    (_rng.standard_normal((4, 3)),),
    (np.array([[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -999.0]]),),
]


def softmax_solution(scores):
    """Row-wise softmax; the row maximum is subtracted first so exp never overflows."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _naive_softmax(scores):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)


def _whole_array_softmax(scores):
    e = np.exp(scores - scores.max())
    return e / e.sum()


def _column_softmax(scores):
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@exercise(solution=softmax_solution, wrong=[_naive_softmax, _whole_array_softmax, _column_softmax])
def check_softmax(fn):
    """``fn(scores) -> probabilities``, row by row, including scores of +-1000."""
    return check_function(
        fn, SOFTMAX_CASES, softmax, name="softmax",
        mistakes={
            "np.exp overflowed on the large scores (exp(1000) is inf, inf/inf is nan): subtract "
            "each row's maximum before exponentiating.": _naive_softmax,
            "each ROW must sum to 1: divide by the row sums, "
            "e.sum(axis=1, keepdims=True), not by the sum of the whole array.":
                _whole_array_softmax,
            "you normalised the columns (axis=0); each sample is a row, so use axis=1.":
                _column_softmax,
        },
    )


# --- 3. two linear layers are one ---------------------------------------------------------------

COLLAPSE_CASES = [
    (np.eye(2), np.zeros((1, 2)), np.eye(2), np.ones((1, 2))),
    (_rng.standard_normal((2, 3)), _rng.standard_normal((1, 3)),
     _rng.standard_normal((3, 4)), _rng.standard_normal((1, 4))),
    (_rng.standard_normal((3, 5)), _rng.standard_normal((1, 5)),
     _rng.standard_normal((5, 2)), _rng.standard_normal((1, 2))),
]


def collapse_solution(W1, b1, W2, b2):
    """(x @ W1 + b1) @ W2 + b2 = x @ (W1 @ W2) + (b1 @ W2 + b2)."""
    return W1 @ W2, b1 @ W2 + b2


def _forgot_first_bias(W1, b1, W2, b2):
    return W1 @ W2, b2


def _first_bias_not_through_w2(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2


@exercise(solution=collapse_solution, wrong=[_forgot_first_bias, _first_bias_not_through_w2])
def check_collapse(fn):
    """``fn(W1, b1, W2, b2) -> (W, b)``: the single linear layer equal to two stacked ones."""
    return check_parts(
        fn, COLLAPSE_CASES, collapse_solution, name="collapse", parts=("W", "b"),
        mistakes={
            "the first layer's bias b1 still matters: it goes through W2 too, so b = b1 @ W2 + b2.":
                _forgot_first_bias,
            "the second layer adds its own bias b2 after multiplying by W2.":
                _first_bias_not_through_w2,
        },
    )


# --- 4. predict: the sigmoid's slope at 0 --------------------------------------------------------

@exercise(solution=0.25, wrong=[0.5, 1.0, 0.0])
def check_sigmoid_slope(answer):
    """The slope of the sigmoid at z = 0 (predict it before computing it)."""
    return check_value(
        answer, 0.25, name="sigmoid slope at 0", rtol=1e-3,
        explain="s(0) = 0.5, so s * (1 - s) = 0.25: the sigmoid passes back at most a quarter of "
                "the gradient, one reason deep sigmoid stacks learn slowly.",
        mistakes={
            "0.5 is the sigmoid's VALUE at 0; the slope is s * (1 - s).": 0.5,
            "1 is the slope of tanh (and of the identity) at 0; the sigmoid is flatter.": 1.0,
            "0 is the step function's slope; the sigmoid is smooth and rises at 0.": 0.0,
        },
    )


# --- 5. choose: the output layer for a regression ------------------------------------------------

OUTPUT_OPTIONS = ("sigmoid", "softmax", "linear", "relu")


@exercise(solution="linear", wrong=["sigmoid", "softmax", "relu"])
def check_output_layer(answer):
    """Which output activation for a network predicting a temperature in degrees Celsius?"""
    return check_choice(
        answer, "linear", name="output layer", options=OUTPUT_OPTIONS,
        explain="a temperature can be any real number, so the output neuron must not squash it: "
                "linear (no activation) is the regression choice.",
        hints={
            "sigmoid": "a sigmoid only outputs numbers between 0 and 1; no temperature could "
                       "be above 1 degree.",
            "softmax": "softmax gives probabilities over classes that sum to 1; a temperature "
                       "is one real number, not a class.",
            "relu": "ReLU can never output a negative number, so it could not predict frost.",
        },
    )


__all__ = [
    "check_sigmoid_backward", "check_softmax", "check_collapse", "check_sigmoid_slope",
    "check_output_layer",
]
