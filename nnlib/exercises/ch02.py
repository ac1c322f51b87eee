"""Exercises of chapter 02 (weights and biases).

    from nnlib.exercises import ch02
    ch02.check_count_parameters(count_parameters)

Each check prints one line (a pass mark or a hint naming the likely mistake) and returns
True or False; none of them raises.
"""

import numpy as np

from . import check_choice, check_function, check_value, exercise, not_attempted

# --- 1. count the parameters of a dense network -----------------------------------------------


def _layer_pairs(layer_sizes):
    """[2, 4, 3] -> [(2, 4), (4, 3)]: (n_in, n_out) of each dense layer."""
    return list(zip(layer_sizes[:-1], layer_sizes[1:], strict=True))


def _count_parameters(layer_sizes):
    """[n_inputs, n_hidden, ..., n_outputs] -> number of weights plus biases."""
    return sum(n_in * n_out + n_out for n_in, n_out in _layer_pairs(layer_sizes))


def _count_weights_only(layer_sizes):
    return sum(n_in * n_out for n_in, n_out in _layer_pairs(layer_sizes))


def _count_bias_on_inputs_too(layer_sizes):
    return _count_parameters(layer_sizes) + layer_sizes[0]


def _count_neurons(layer_sizes):
    return sum(layer_sizes)


def _count_product_of_all(layer_sizes):
    return int(np.prod(layer_sizes))


def _count_bias_per_input(layer_sizes):
    return sum(n_in * n_out + n_in for n_in, n_out in _layer_pairs(layer_sizes))


COUNT_CASES = [([2, 4, 3],), ([784, 128, 10],), ([3, 1],), ([10, 64, 64, 1],), ([5, 7, 2, 9],)]


@exercise(solution=_count_parameters,
          wrong=[_count_weights_only, _count_bias_on_inputs_too, _count_neurons,
                 _count_bias_per_input])
def check_count_parameters(fn):
    """``count_parameters(layer_sizes)`` -> total weights and biases of a dense network."""
    return check_function(
        fn, COUNT_CASES, _count_parameters, name="count_parameters",
        mistakes={
            "did you forget the biases? Each layer has n_in * n_out weights PLUS n_out biases.":
                _count_weights_only,
            "the input layer has no biases: its 'neurons' only hand the features on. Count "
            "biases for the hidden and output layers only.": _count_bias_on_inputs_too,
            "you counted neurons, not parameters: every connection between two layers has "
            "its own weight (n_in * n_out of them).": _count_neurons,
            "you multiplied all the sizes together; a dense layer connects only neighbouring "
            "layers, so add up n_in * n_out + n_out layer by layer.": _count_product_of_all,
            "a layer has one bias per NEURON (n_out), not one per input (n_in).":
                _count_bias_per_input,
        },
        rtol=0, atol=0,
    )


# --- 2. predict: doubling the weight ----------------------------------------------------------

WEIGHT, BIAS, X = 0.5, 1.0, 4.0
Y_DOUBLE_WEIGHT = 2 * WEIGHT * X + BIAS  # 5.0


@exercise(solution=Y_DOUBLE_WEIGHT, wrong=[6.0, 4.0, 3.0])
def check_double_weight(answer):
    """Output of y = w*x + b at x = 4 after doubling w = 0.5 (b = 1 unchanged)."""
    return check_value(
        answer, Y_DOUBLE_WEIGHT, name="y_new",
        mistakes={
            "you doubled the whole output (w*x + b); only the weight doubled, the bias stays 1.":
                2 * (WEIGHT * X + BIAS),
            "you doubled the bias instead of the weight.": WEIGHT * X + 2 * BIAS,
            "that is the output before the change; with w = 1 the slope is twice as steep.":
                WEIGHT * X + BIAS,
        },
        explain="y = (2 * 0.5) * 4 + 1 = 5: the weight scales how strongly x moves y.",
    )


# --- 3. predict: what a larger bias does to a sigmoid neuron ----------------------------------

SHIFT_OPTIONS = ("left", "right", "steeper", "flatter")


@exercise(solution="left", wrong=["right", "steeper", "flatter"])
def check_bias_shift(answer):
    """sigmoid(w*x + b) with w = 2 > 0: what happens to the curve when b grows from 0 to 3."""
    return check_choice(
        answer, "left", name="bias_effect", options=SHIFT_OPTIONS,
        explain="the curve crosses 0.5 where w*x + b = 0, at x = -b/w; with w = 2 and b = 3 "
                "that is x = -1.5, so the whole curve slides left and keeps its shape.",
        hints={
            "right": "find where the output is 0.5: w*x + b = 0 gives x = -b/w. Does -b/w grow "
                     "or shrink as b grows (with w = 2)?",
            "steeper": "steepness is the weight's job (the slope of w*x + b); the bias only "
                       "adds a constant.",
            "flatter": "the bias adds the same number to every input, so the shape cannot "
                       "change; only its position can.",
        },
    )


# --- 4. a scaled initialisation (He) ----------------------------------------------------------


def _he_init(rng, n_inputs, n_neurons):
    """rng, n_inputs, n_neurons -> weights (n_inputs, n_neurons) with std sqrt(2 / n_inputs)."""
    return rng.standard_normal((n_inputs, n_neurons)) * np.sqrt(2.0 / n_inputs)


def _he_no_sqrt(rng, n_inputs, n_neurons):
    return rng.standard_normal((n_inputs, n_neurons)) * (2.0 / n_inputs)


def _he_fan_out(rng, n_inputs, n_neurons):
    return rng.standard_normal((n_inputs, n_neurons)) * np.sqrt(2.0 / n_neurons)


def _he_transposed(rng, n_inputs, n_neurons):
    return rng.standard_normal((n_neurons, n_inputs)) * np.sqrt(2.0 / n_inputs)


def _he_small(rng, n_inputs, n_neurons):
    return 0.01 * rng.standard_normal((n_inputs, n_neurons))


def _he_unscaled(rng, n_inputs, n_neurons):
    return rng.standard_normal((n_inputs, n_neurons))


def _with_seed(init):
    """Wrap ``init(rng, ...)`` as ``f(seed, ...)``, so reference and answer draw the same."""

    def run(seed, n_inputs, n_neurons):
        return init(np.random.default_rng(seed), n_inputs, n_neurons)

    return run


HE_CASES = [(7, 4, 4), (3, 50, 20), (11, 2, 6)]


@exercise(solution=_he_init, wrong=[_he_no_sqrt, _he_fan_out, _he_transposed, _he_unscaled])
def check_he_init(fn):
    """``he_init(rng, n_inputs, n_neurons)`` -> He-scaled weights (n_inputs, n_neurons)."""
    if not callable(fn) or not_attempted(fn):
        return check_function(fn, HE_CASES, _with_seed(_he_init), name="he_init")
    return check_function(
        _with_seed(fn), HE_CASES, _with_seed(_he_init), name="he_init",
        mistakes={
            "the standard deviation is the SQUARE ROOT of 2 / n_inputs.": _with_seed(_he_no_sqrt),
            "He scaling divides by the number of inputs each neuron sums over (n_inputs), "
            "not by n_neurons.": _with_seed(_he_fan_out),
            "your weights are (n_neurons, n_inputs); nnlib keeps them as (n_inputs, n_neurons), "
            "so that inputs @ weights works without a transpose.": _with_seed(_he_transposed),
            "that is the 0.01 'small' scale; He uses sqrt(2 / n_inputs).": _with_seed(_he_small),
            "you drew standard normal numbers but did not scale them by sqrt(2 / n_inputs).":
                _with_seed(_he_unscaled),
        },
    )


# --- 5. predict: symmetry ---------------------------------------------------------------------

SYMMETRY_OPTIONS = ("identical", "shuffling separates them", "rounding separates them")


@exercise(solution="identical", wrong=["shuffling separates them", "rounding separates them"])
def check_symmetry(answer):
    """Two hidden neurons start with equal weights and biases: are they equal after training?"""
    return check_choice(
        answer, "identical", name="after_training", options=SYMMETRY_OPTIONS,
        explain="both neurons compute the same output, so they receive the same gradient and "
                "take the same step, every step: they never become different. Random starting "
                "weights break this symmetry.",
        hints={
            "shuffling separates them": "shuffling changes which samples are in a batch, but "
                                        "both neurons see the SAME batch with the same weights, "
                                        "so their outputs and gradients are still equal.",
            "rounding separates them": "the two neurons do exactly the same arithmetic on the "
                                       "same numbers, so even the rounding is identical.",
        },
    )


# --- 6. predict: a deep stack with tiny weights -----------------------------------------------

STACK_OPTIONS = ("shrinks towards 0", "stays about the same", "grows without limit")


@exercise(solution="shrinks towards 0", wrong=["stays about the same", "grows without limit"])
def check_small_init_stack(answer):
    """Activation size after 10 tanh layers of 100 neurons with weights 0.01 * N(0, 1)."""
    return check_choice(
        answer, "shrinks towards 0", name="last_layer_spread", options=STACK_OPTIONS,
        explain="each layer multiplies the signal's size by about 0.01 * sqrt(100) = 0.1, so "
                "after 10 layers it is about 1e-10 of what went in: the signal (and the "
                "gradient on the way back) vanishes.",
        hints={
            "stays about the same": "each neuron adds up 100 inputs times weights of size "
                                    "0.01: how big is that sum compared with one input?",
            "grows without limit": "0.01 * sqrt(100) = 0.1 < 1, and tanh can only shrink its "
                                   "input further, so what happens after 10 such layers?",
        },
    )


__all__ = [
    "check_count_parameters", "check_double_weight", "check_bias_shift", "check_he_init",
    "check_symmetry", "check_small_init_stack",
]
