"""Exercises of chapter 03 (dot product and layers).

    from nnlib.exercises import ch03
    ch03.check_product_shapes(shapes)

Each check prints one line (a pass mark or a hint naming the likely mistake) and returns
True or False; none of them raises.
"""

import numpy as np

from . import (
    check_choice,
    check_function,
    check_value,
    exercise,
    not_attempted,
    report,
    report_not_attempted,
)

# --- 1. predict the shapes of matrix products ------------------------------------------------

#: the products to predict: (shape of A, shape of B) for A @ B
PRODUCTS = [((2, 3), (3, 4)), ((5, 2), (3, 2)), ((4, 1), (1, 6)), ((1, 3), (3, 1)),
            ((3, 3), (2, 3))]


def product_shape(shape_a, shape_b):
    """(m, n), (n2, p) -> (m, p) when n == n2, else the string "error"."""
    (m, n), (n2, p) = shape_a, shape_b
    return (m, p) if n == n2 else "error"


SHAPES_SOLUTION = [product_shape(a, b) for a, b in PRODUCTS]


def _describe(item):
    return repr(tuple(int(v) for v in item)) if isinstance(item, (tuple, list)) else repr(item)


@exercise(
    solution=SHAPES_SOLUTION,
    wrong=[
        [(2, 4), (5, 2), (4, 6), (1, 1), (3, 3)],   # ignores the inner sizes
        [(2, 4), "error", (4, 6), (3, 3), "error"],  # (1, 3) @ (3, 1) taken as an outer product
        [(4, 2), "error", (6, 4), (1, 1), "error"],  # (p, m) instead of (m, p)
        [(2, 4), "error", (4, 6), (1, 1)],           # one answer missing
    ],
)
def check_product_shapes(answer):
    """A list with, for each pair in PRODUCTS, the shape of A @ B or "error"."""
    if not_attempted(answer):
        return report_not_attempted("shapes")
    if not isinstance(answer, (list, tuple)) or len(answer) != len(PRODUCTS):
        return report(False, f"shapes: give a list of {len(PRODUCTS)} answers, one per product "
                             "(a shape tuple such as (2, 4), or \"error\").")
    for (shape_a, shape_b), got, expected in zip(PRODUCTS, answer, SHAPES_SOLUTION, strict=True):
        product = f"{shape_a} @ {shape_b}"
        if isinstance(got, str):
            got = got.strip().lower()
        if expected == "error":
            if got == "error":
                continue
            return report(False, f"shapes: {product}: the inner sizes {shape_a[1]} and "
                                 f"{shape_b[0]} differ, so numpy raises an error (\"mismatch "
                                 f"in its core dimension\"); you wrote {_describe(got)}.")
        if got == "error":
            return report(False, f"shapes: {product}: the inner sizes are both {shape_a[1]}, so "
                                 "the product exists.")
        try:
            got_shape = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            return report(False, f"shapes: {product}: write the shape as a tuple like (2, 4) or "
                                 f"the string \"error\"; you wrote {got!r}.")
        if got_shape == expected:
            continue
        if got_shape == expected[::-1]:
            hint = "rows come from the FIRST matrix and columns from the second: (m, p)."
        elif got_shape == (shape_a[1], shape_a[1]):
            hint = "the inner size n disappears in the product; keep the outer sizes (m, p)."
        else:
            hint = "(m, n) @ (n, p) gives (m, p): keep the outer sizes."
        return report(False, f"shapes: {product}: you wrote {got_shape}, expected {expected}; "
                             + hint)
    return report(True, "all shapes right: (m, n) @ (n, p) -> (m, p), and the inner sizes "
                        "must match.")


# --- 2. a batch forward with one weight row per neuron ---------------------------------------


def _batch_forward(X, weights, biases):
    """X (n_samples, n_inputs), weights (n_neurons, n_inputs), biases (n_neurons,)
    -> outputs (n_samples, n_neurons)."""
    return X @ weights.T + biases


def _batch_no_transpose(X, weights, biases):
    return X @ weights + biases


def _batch_forgot_bias(X, weights, biases):
    return X @ weights.T


def _batch_neurons_by_samples(X, weights, biases):
    return weights @ X.T + biases[:, None]


def _batch_first_sample_only(X, weights, biases):
    return weights @ X[0] + biases


_rng = np.random.default_rng(303)
BATCH_CASES = [
    # square weights first: forgetting the transpose then gives wrong numbers, not an error
    (np.round(_rng.normal(size=(4, 3)), 2), np.round(_rng.normal(size=(3, 3)), 2),
     np.array([2.0, 3.0, 0.5])),
    (np.round(_rng.normal(size=(2, 4)), 2), np.round(_rng.normal(size=(3, 4)), 2),
     np.array([0.1, -0.2, 0.3])),
    (np.round(_rng.normal(size=(6, 2)), 2), np.round(_rng.normal(size=(5, 2)), 2),
     np.round(_rng.normal(size=5), 2)),
]


@exercise(solution=_batch_forward,
          wrong=[_batch_no_transpose, _batch_forgot_bias, _batch_neurons_by_samples,
                 _batch_first_sample_only])
def check_batch_forward(fn):
    """``batch_forward(X, weights, biases)`` with weights stored one row per neuron."""
    return check_function(
        fn, BATCH_CASES, _batch_forward, name="batch_forward",
        mistakes={
            "did you transpose the weights? Here each ROW of weights is a neuron, so "
            "X @ weights pairs the inputs with the wrong numbers: use X @ weights.T.":
                _batch_no_transpose,
            "did you forget the biases?": _batch_forgot_bias,
            "your output has one row per NEURON; the convention is one row per sample, "
            "(n_samples, n_neurons): use X @ weights.T + biases.": _batch_neurons_by_samples,
            "you computed the outputs of the first sample only; one matrix product handles "
            "the whole batch.": _batch_first_sample_only,
        },
    )


# --- 3. a dense layer followed by ReLU, in nnlib's orientation ---------------------------------


def _dense_relu(X, weights, biases):
    """X (n_samples, n_inputs), weights (n_inputs, n_neurons), biases (1, n_neurons)
    -> ReLU outputs (n_samples, n_neurons)."""
    return np.maximum(0.0, X @ weights + biases)


def _dense_relu_forgot_bias(X, weights, biases):
    return np.maximum(0.0, X @ weights)


def _dense_relu_transposed(X, weights, biases):
    return np.maximum(0.0, X @ weights.T + biases)


def _dense_relu_bias_after(X, weights, biases):
    return np.maximum(0.0, X @ weights) + biases


def _dense_relu_no_relu(X, weights, biases):
    return X @ weights + biases


def _dense_relu_min(X, weights, biases):
    return np.minimum(0.0, X @ weights + biases)


_rng3 = np.random.default_rng(304)
DENSE_CASES = [
    # square weights first: an extra transpose then gives wrong numbers, not an error
    (np.round(_rng3.normal(size=(4, 3)), 2), np.round(_rng3.normal(size=(3, 3)), 2),
     np.array([[0.5, -0.3, 0.2]])),
    (np.round(_rng3.normal(size=(5, 4)), 2), np.round(_rng3.normal(size=(4, 2)), 2),
     np.array([[1.0, -1.0]])),
    (np.round(_rng3.normal(size=(1, 2)), 2), np.round(_rng3.normal(size=(2, 5)), 2),
     np.round(_rng3.normal(size=(1, 5)), 2)),
]


@exercise(solution=_dense_relu,
          wrong=[_dense_relu_forgot_bias, _dense_relu_transposed, _dense_relu_bias_after,
                 _dense_relu_no_relu])
def check_dense_relu_forward(fn):
    """``dense_relu_forward(X, weights, biases)`` with weights (n_inputs, n_neurons)."""
    return check_function(
        fn, DENSE_CASES, _dense_relu, name="dense_relu_forward",
        mistakes={
            "did you forget the biases?": _dense_relu_forgot_bias,
            "did you transpose the weights? They are stored as (n_inputs, n_neurons) "
            "already, so X @ weights needs no .T.": _dense_relu_transposed,
            "you added the biases after the ReLU; they belong inside: "
            "ReLU(X @ weights + biases).": _dense_relu_bias_after,
            "those are the weighted sums; apply ReLU to them: np.maximum(0, z).":
                _dense_relu_no_relu,
            "ReLU keeps the positive values: np.maximum(0, z), not np.minimum.": _dense_relu_min,
        },
    )


# --- 4. spot the transpose bug ------------------------------------------------------------------

BUG_OPTIONS = ("an error", "the right outputs", "wrong outputs, silently")


@exercise(solution="wrong outputs, silently", wrong=["an error", "the right outputs"])
def check_silent_transpose(answer):
    """X (5, 3) @ W + b where W was built as (n_neurons, n_inputs) = (3, 3): what happens?"""
    return check_choice(
        answer, "wrong outputs, silently", name="what_happens", options=BUG_OPTIONS,
        explain="with 3 inputs and 3 neurons the shapes match either way round, so numpy "
                "happily multiplies by the transposed weights: each neuron gets another "
                "neuron's weights. Shape checks cannot catch this one; a test against known "
                "values can.",
        hints={
            "an error": "look at the shapes: (5, 3) @ (3, 3). Does numpy have any reason to "
                        "complain?",
            "the right outputs": "row j of W holds neuron j's weights, but X @ W uses "
                                 "COLUMN j for neuron j. Are row j and column j the same?",
        },
    )


# --- 5. predict the shape after adding the biases ---------------------------------------------


@exercise(solution=(4, 2), wrong=[(1, 2), (4, 3), (2, 4)])
def check_bias_broadcast_shape(answer):
    """The shape of X @ W + b for X (4, 3), W (3, 2), b (1, 2)."""
    return check_value(
        answer, (4, 2), name="output_shape",
        mistakes={
            "(1, 2) is the bias's shape; numpy stretches it over the 4 rows of X @ W.": (1, 2),
            "(4, 3) is the input's shape; the layer has 2 neurons, so 2 outputs per sample.":
                (4, 3),
            "rows come from X (4 samples) and columns from W (2 neurons).": (2, 4),
        },
        explain="X @ W is (4, 2) and the (1, 2) bias row is added to each of the 4 rows.",
        rtol=0, atol=0,
    )


__all__ = [
    "PRODUCTS", "SHAPES_SOLUTION", "check_product_shapes", "check_batch_forward",
    "check_dense_relu_forward", "check_silent_transpose", "check_bias_broadcast_shape",
]
