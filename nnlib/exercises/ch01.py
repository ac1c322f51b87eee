"""Exercises of chapter 01 (neurons).

    from nnlib.exercises import ch01
    ch01.check_neuron_output(neuron_output)

Each check prints one line (a pass mark or a hint naming the likely mistake) and returns
True or False; none of them raises.
"""

import numpy as np

from . import check_choice, check_function, check_value, exercise

# --- 1. one neuron by hand (plain Python lists) ----------------------------------------------


def _neuron_output(inputs, weights, bias):
    """inputs, weights: lists of n numbers; bias: a number -> the weighted sum plus bias."""
    total = bias
    for x, w in zip(inputs, weights, strict=True):
        total += x * w
    return total


def _neuron_forgot_bias(inputs, weights, bias):
    return sum(x * w for x, w in zip(inputs, weights, strict=True))


def _neuron_bias_per_input(inputs, weights, bias):
    return sum(x * w + bias for x, w in zip(inputs, weights, strict=True))


def _neuron_sum_without_weights(inputs, weights, bias):
    return sum(inputs) + bias


def _neuron_multiplies_bias(inputs, weights, bias):
    return _neuron_forgot_bias(inputs, weights, bias) * bias


NEURON_CASES = [
    ([1.0, 2.0, 3.0], [0.2, 0.8, -0.5], 2.0),
    ([0.5, -1.5, 2.0, 4.0], [1.0, -0.3, 0.25, 0.1], -0.75),
    ([3.0], [-2.0], 0.5),
    ([0.0, 0.0], [5.0, -4.0], 1.5),
]


@exercise(solution=_neuron_output,
          wrong=[_neuron_forgot_bias, _neuron_bias_per_input, _neuron_sum_without_weights])
def check_neuron_output(fn):
    """``neuron_output(inputs, weights, bias)`` on Python lists -> one number."""
    return check_function(
        fn, NEURON_CASES, _neuron_output, name="neuron_output",
        mistakes={
            "did you forget the bias? The output is sum(x * w) + bias.": _neuron_forgot_bias,
            "you added the bias once per input; a neuron adds its bias once, after the sum.":
                _neuron_bias_per_input,
            "you summed the inputs without multiplying each by its weight.":
                _neuron_sum_without_weights,
            "you multiplied by the bias; the bias is added, not multiplied.":
                _neuron_multiplies_bias,
        },
    )


# --- 2. a layer of neurons with numpy --------------------------------------------------------


def _layer_outputs(inputs, weights, biases):
    """inputs (n_inputs,), weights (n_neurons, n_inputs) one row per neuron, biases (n_neurons,)
    -> outputs (n_neurons,)."""
    return weights @ inputs + biases


def _layer_forgot_bias(inputs, weights, biases):
    return weights @ inputs


def _layer_used_columns(inputs, weights, biases):
    return weights.T @ inputs + biases


def _layer_summed_everything(inputs, weights, biases):
    return np.sum(weights * inputs) + np.sum(biases)


def _layer_no_sum(inputs, weights, biases):
    return weights * inputs + biases[:, None]


_cases_rng = np.random.default_rng(101)
LAYER_CASES = [
    # a square case first, so that using the columns instead of the rows is caught by its hint
    (np.array([1.0, 2.0, 3.0]), np.array([[0.2, 0.8, -0.5], [0.5, -0.91, 0.26],
                                          [-0.26, -0.27, 0.17]]), np.array([2.0, 3.0, 0.5])),
    (np.array([1.0, -2.0, 3.5, 0.5]), np.round(_cases_rng.normal(size=(3, 4)), 2),
     np.array([0.1, -0.2, 0.3])),
    (np.array([0.5, 1.5]), np.round(_cases_rng.normal(size=(5, 2)), 2),
     np.round(_cases_rng.normal(size=5), 2)),
]


@exercise(solution=_layer_outputs,
          wrong=[_layer_forgot_bias, _layer_used_columns, _layer_summed_everything])
def check_layer_outputs(fn):
    """``layer_outputs(inputs, weights, biases)`` with one weight row per neuron."""
    return check_function(
        fn, LAYER_CASES, _layer_outputs, name="layer_outputs",
        mistakes={
            "did you forget the biases? Each neuron adds its own bias: weights @ inputs + biases.":
                _layer_forgot_bias,
            "each ROW of weights is one neuron; you combined the inputs with the columns "
            "(weights.T @ inputs). Use weights @ inputs.": _layer_used_columns,
            "you returned one number, but a layer of n neurons gives n outputs: sum over the "
            "inputs only, one sum per neuron.": _layer_summed_everything,
            "you multiplied element by element but did not add up each neuron's products: "
            "use weights @ inputs (or sum along axis=1).": _layer_no_sum,
        },
    )


# --- 3. predict a weighted sum ----------------------------------------------------------------

# The neuron of exercise 3 and 4: w1 = 2, w2 = -1, b = 0.5.
W1, W2, B = 2.0, -1.0, 0.5
POINT = (1.0, 3.0)
Z_POINT = W1 * POINT[0] + W2 * POINT[1] + B  # -0.5


@exercise(solution=Z_POINT, wrong=[-1.0, 5.5, 0.0])
def check_weighted_sum(answer):
    """The weighted sum z of the neuron (2, -1, 0.5) at the point (1, 3)."""
    return check_value(
        answer, Z_POINT, name="z",
        mistakes={
            "did you forget the bias b = 0.5?": W1 * POINT[0] + W2 * POINT[1],
            "w2 is -1, so x2 = 3 contributes -3, not +3.": W1 * POINT[0] - W2 * POINT[1] + B,
            "that is the step output, not the weighted sum z = w1*x1 + w2*x2 + b.": 0.0,
        },
        explain="z = 2*1 + (-1)*3 + 0.5 = -0.5: the point lies on the negative side of the line.",
    )


# --- 4. predict step outputs (which side of the line) ----------------------------------------

STEP_POINTS = np.array([[1.0, 3.0], [2.0, 1.0], [0.0, 0.5], [-1.0, -4.0]])
STEP_Z = STEP_POINTS @ np.array([W1, W2]) + B  # [-0.5, 3.5, 0.0, 2.5]
STEP_OUT = (STEP_Z > 0).astype(float)  # [0, 1, 0, 1]


@exercise(solution=[0, 1, 0, 1], wrong=[[1, 0, 1, 0], [0, 1, 1, 1], [-0.5, 3.5, 0.0, 2.5]])
def check_step_outputs(answer):
    """Step outputs (0 or 1) of the neuron (2, -1, 0.5) at the four points STEP_POINTS."""
    return check_value(
        answer, STEP_OUT, name="step_outputs",
        mistakes={
            "you have every point on the wrong side: step(z) is 1 where z > 0.": 1.0 - STEP_OUT,
            "the third point (0, 0.5) gives z = 0 exactly, on the line; step(0) is 0 because "
            "the step fires only when z > 0.": np.where(STEP_Z >= 0, 1.0, 0.0),
            "those are the weighted sums z; now apply the step: 1 where z > 0, else 0.": STEP_Z,
        },
        explain="z = [-0.5, 3.5, 0, 2.5], so the step gives [0, 1, 0, 1]; the point on the line "
                "gets 0.",
    )


# --- 5. input neurons: one per feature -------------------------------------------------------

N_FEATURES = 5  # area, rooms, age, distance to the centre, floor


@exercise(solution=N_FEATURES, wrong=[200, 8, 1])
def check_input_neurons(answer):
    """How many input neurons a network needs for 200 houses described by 5 features."""
    return check_value(
        answer, N_FEATURES, name="input_neurons",
        mistakes={
            "200 is the number of samples (houses). The input layer has one neuron per "
            "FEATURE; the samples go through the network one after another (or as a batch).": 200,
            "8 is the size of the hidden layer, which you choose freely; the input layer's size "
            "is fixed by the data.": 8,
            "1 is the output layer (one predicted price); count the input features instead.": 1,
        },
        explain="one input neuron per feature, whatever the number of samples.",
    )


# --- 6. a choice: what makes a neuron's decision line ----------------------------------------

LINE_OPTIONS = ("weights", "bias", "activation")


@exercise(solution="bias", wrong=["weights", "activation"])
def check_line_shift(answer):
    """Which knob moves the decision line w1*x1 + w2*x2 + b = 0 without turning it."""
    return check_choice(
        answer, "bias", name="line_shift", options=LINE_OPTIONS,
        explain="changing b slides the line w1*x1 + w2*x2 + b = 0 parallel to itself; the "
                "weights set its direction.",
        hints={
            "weights": "changing w1 or w2 turns the line (its normal vector is (w1, w2)). Which "
                       "knob shifts it without turning it?",
            "activation": "the activation changes how the output depends on z, but the line "
                          "z = 0 itself stays where it is.",
        },
    )


__all__ = [
    "check_neuron_output", "check_layer_outputs", "check_weighted_sum", "check_step_outputs",
    "check_input_neurons", "check_line_shift", "STEP_POINTS",
]
