"""Exercise checks for chapter 08, convolutional networks.

Three "write code" checks (the output-size rule, a single-channel convolution checked against
``nn.Conv2D``, max-pooling by hand) run the learner's function on hidden seeded cases and name
the typical mistakes; two "predict" checks ask for parameter counts (convolution against a
dense layer) and for what a shift of the input does to a convolution's output.
"""

import numpy as np

from ..conv import Conv2D, MaxPool2D
from . import check_choice, check_function, check_value, exercise

_rng = np.random.default_rng(808)

# --- 1. the output size -------------------------------------------------------------------------

SIZE_CASES = [
    (28, 3, 1, 0), (28, 5, 1, 2), (28, 3, 1, 1), (28, 5, 2, 0), (32, 3, 2, 1), (13, 3, 1, 0),
    (7, 2, 2, 0), (10, 4, 3, 2), (5, 5, 1, 0),
]


def output_size_solution(size, kernel_size, stride, padding):
    """Output length along one axis: (size + 2 * padding - kernel_size) // stride + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


def _size_without_plus_one(size, kernel_size, stride, padding):
    return (size + 2 * padding - kernel_size) // stride


def _size_one_side_padding(size, kernel_size, stride, padding):
    return (size + padding - kernel_size) // stride + 1


def _size_true_division(size, kernel_size, stride, padding):
    return (size + 2 * padding - kernel_size) / stride + 1


def _size_rounding_up(size, kernel_size, stride, padding):
    return -(-(size + 2 * padding - kernel_size) // stride) + 1


def _size_ignoring_stride(size, kernel_size, stride, padding):
    return size + 2 * padding - kernel_size + 1


@exercise(solution=output_size_solution,
          wrong=[_size_without_plus_one, _size_one_side_padding, _size_true_division,
                 _size_rounding_up, _size_ignoring_stride])
def check_output_size(fn):
    """``output_size(size, kernel_size, stride, padding)`` along one axis."""
    return check_function(fn, SIZE_CASES, output_size_solution, name="output_size", mistakes={
        "count the positions: a kernel as wide as the image fits once, so add 1 after "
        "dividing.": _size_without_plus_one,
        "padding adds zeros on BOTH sides: the padded size is size + 2 * padding.":
            _size_one_side_padding,
        "a window that would stick out past the edge is not used: divide with // (round "
        "down), not /.": _size_true_division,
        "a window that would stick out past the edge is not used: round down (//), not up.":
            _size_rounding_up,
        "the stride is the step between windows: divide the room left by it.":
            _size_ignoring_stride,
    })


# --- 2. a single-channel convolution -------------------------------------------------------------

CONV_CASES = [
    (np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]])),
    (_rng.standard_normal((6, 7)), _rng.standard_normal((3, 3))),
    (_rng.standard_normal((5, 5)), _rng.standard_normal((2, 3))),
    (_rng.standard_normal((8, 6)), _rng.standard_normal((3, 3))),
]


def conv2d_solution(image, kernel):
    """Valid cross-correlation (stride 1, no padding) of a 2-D image with a 2-D kernel, the
    way nn.Conv2D computes it: (H, W), (kh, kw) -> (H - kh + 1, W - kw + 1)."""
    layer = Conv2D(1, 1, kernel.shape)
    layer.weights[0, 0] = kernel
    return layer.forward(image[None, None])[0, 0]


def _conv2d_loops(image, kernel, flip=False, stop_early=0):
    kh, kw = kernel.shape
    if flip:
        kernel = kernel[::-1, ::-1]
    H, W = image.shape[0] - kh + 1 - stop_early, image.shape[1] - kw + 1 - stop_early
    out = np.zeros((H, W))
    for i in range(H):
        for j in range(W):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def _conv2d_flipped(image, kernel):
    return _conv2d_loops(image, kernel, flip=True)


def _conv2d_stops_early(image, kernel):
    return _conv2d_loops(image, kernel, stop_early=1)


def _conv2d_same_size(image, kernel):
    out = np.zeros_like(image)
    valid = _conv2d_loops(image, kernel)
    out[:valid.shape[0], :valid.shape[1]] = valid
    return out


@exercise(solution=conv2d_solution,
          wrong=[_conv2d_flipped, _conv2d_stops_early, _conv2d_same_size])
def check_conv2d(fn):
    """``conv2d(image, kernel)``: stride 1, no padding, no kernel flip, as ``nn.Conv2D``."""
    return check_function(fn, CONV_CASES, conv2d_solution, name="conv2d", mistakes={
        "you flipped the kernel. Textbook convolution does that, but nn.Conv2D (like every "
        "deep-learning library) multiplies the window by the kernel as it is.": _conv2d_flipped,
        "your loops stop one position early: an image of width W has W - kw + 1 positions "
        "for a kernel of width kw (range(W - kw + 1)).": _conv2d_stops_early,
        "without padding the output is smaller than the image: (H - kh + 1, W - kw + 1).":
            _conv2d_same_size,
    })


# --- 3. max-pooling by hand ----------------------------------------------------------------------

POOL_CASES = [
    (np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 7.0, 2.0],
               [3.0, 2.0, 1.0, 6.0]]), 2),
    (_rng.standard_normal((6, 6)), 2),
    (_rng.standard_normal((7, 5)), 2),
    (_rng.standard_normal((9, 6)), 3),
]


def max_pool_solution(image, size):
    """Maximum of each non-overlapping size x size window (stride = size); rows and columns
    left over at the edge are dropped: (H, W) -> (H // size, W // size)."""
    return MaxPool2D(size).forward(image[None, None])[0, 0]


def _pool_average(image, size):
    H, W = image.shape[0] // size, image.shape[1] // size
    return image[:H * size, :W * size].reshape(H, size, W, size).mean(axis=(1, 3))


def _pool_overlapping(image, size):
    H, W = image.shape[0] - size + 1, image.shape[1] - size + 1
    return np.array([[image[i:i + size, j:j + size].max() for j in range(W)] for i in range(H)])


def _pool_wrong_reshape(image, size):
    H, W = image.shape[0] // size, image.shape[1] // size
    return image[:H * size, :W * size].reshape(H, W, size, size).max(axis=(2, 3))


@exercise(solution=max_pool_solution,
          wrong=[_pool_average, _pool_overlapping, _pool_wrong_reshape])
def check_max_pool(fn):
    """``max_pool(image, size)``: the maximum of each non-overlapping window."""
    return check_function(fn, POOL_CASES, max_pool_solution, name="max_pool", mistakes={
        "that is average pooling: take the largest value of each window (np.max).":
            _pool_average,
        "your windows overlap (they move by 1); max-pooling here moves by the window size, "
        "so the output is (H // size, W // size).": _pool_overlapping,
        "the reshape mixes pixels from different windows: reshape to (H, size, W, size) and "
        "take the max over axes 1 and 3.": _pool_wrong_reshape,
    })


# --- 4. predict: parameter counts -------------------------------------------------------------
#: a Conv2D(3, 16, 5) on 3x32x32 images gives 16x28x28; a Dense layer with the same inputs
#: and outputs connects all 3*32*32 inputs to all 16*28*28 outputs
CONV_PARAMS = 16 * 3 * 5 * 5 + 16
DENSE_PARAMS = 3 * 32 * 32 * 16 * 28 * 28 + 16 * 28 * 28


@exercise(solution=(CONV_PARAMS, DENSE_PARAMS),
          wrong=[(16 * 3 * 25, 3 * 32 * 32 * 16 * 28 * 28), (16 * 25 + 16, DENSE_PARAMS),
                 (CONV_PARAMS, 3 * 32 * 32 * 16 + 16), (CONV_PARAMS * 28 * 28, DENSE_PARAMS)])
def check_parameter_counts(answer):
    """(parameters of Conv2D(3, 16, 5), parameters of a Dense layer 3x32x32 -> 16x28x28)."""
    return check_value(
        answer, (CONV_PARAMS, DENSE_PARAMS), name="parameter counts",
        explain=f"The convolution has {CONV_PARAMS:,} parameters, the dense layer "
                f"{DENSE_PARAMS:,}: about {DENSE_PARAMS // CONV_PARAMS:,} times more, for the "
                "same input and output sizes.",
        mistakes={
            "count the biases too: one per filter for the convolution, one per output "
            "number for the dense layer.": (16 * 3 * 25, 3 * 32 * 32 * 16 * 28 * 28),
            "each filter covers ALL 3 input channels: it has 3 * 5 * 5 weights.":
                (16 * 25 + 16, DENSE_PARAMS),
            "the dense layer's outputs are all 16 * 28 * 28 numbers of the feature maps, "
            "not 16.": (CONV_PARAMS, 3 * 32 * 32 * 16 + 16),
            "the same filter is reused at every position: weight sharing means the count "
            "does not depend on the image size.": (CONV_PARAMS * 28 * 28, DENSE_PARAMS),
        },
    )


# --- 5. predict: shifting the input -----------------------------------------------------------
SHIFT_OPTIONS = ("the same feature map", "the feature map shifted 3 pixels right",
                 "a completely different feature map")


@exercise(solution=SHIFT_OPTIONS[1], wrong=[SHIFT_OPTIONS[0], SHIFT_OPTIONS[2]])
def check_shift(answer):
    """What a stride-1 convolution gives for an image shifted 3 pixels right."""
    return check_choice(
        answer, SHIFT_OPTIONS[1], name="shifted input", options=SHIFT_OPTIONS,
        explain="the same kernel slides over every position, so the same pattern gives the "
                "same response wherever it is: the output moves with the input (translation "
                "equivariance), apart from the few pixels at the border.",
        hints={
            SHIFT_OPTIONS[0]: "a convolution is not blind to position: each output pixel "
                              "looks at the window under it, and that window moved.",
            SHIFT_OPTIONS[2]: "the kernel is the same at every position (weight sharing), so "
                              "the same pattern gives the same response, only elsewhere.",
        },
    )
