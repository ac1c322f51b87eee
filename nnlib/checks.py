"""Input checks that turn numpy's terse complaints into sentences a learner can act on.

Every public nnlib function that takes arrays runs them through these helpers first, so a
mistake is reported as "expected X, got Y" instead of a broadcasting error or, worse, a
silently wrong answer.
"""

from numbers import Integral, Real

import numpy as np


def as_float_array(values, name, dtype=None):
    """Return ``values`` as a float array, or raise ``TypeError`` if they are not numbers.

    With ``dtype=None`` float32 and float64 arrays keep their type and anything else becomes
    float64.
    """
    if isinstance(values, np.ndarray) and (
        values.dtype == dtype or (dtype is None and values.dtype in (np.float32, np.float64))
    ):
        return values
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must contain numbers, but got an array of dtype {array.dtype} "
            f"(for example {array.flat[0]!r} at the first position)"
            if array.size
            else f"{name} must contain numbers, but got an empty array of dtype {array.dtype}"
        )
    if dtype is None:
        dtype = array.dtype if array.dtype in (np.float32, np.float64) else np.float64
    return array.astype(dtype, copy=False)


def check_ndim(array, ndim, name, hint=""):
    """Raise ``ValueError`` unless ``array`` has exactly ``ndim`` dimensions."""
    if array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, but got shape {array.shape} "
            f"({array.ndim}-D){': ' + hint if hint else ''}"
        )


def check_finite(array, name):
    """Raise ``ValueError`` if ``array`` holds NaN or infinity."""
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")


def positive_int(value, name):
    """Return ``value`` as an int, or raise if it is not a whole number of at least 1."""
    return whole_number(value, name, minimum=1)


def non_negative_int(value, name):
    """Return ``value`` as an int, or raise if it is not a whole number of at least 0."""
    return whole_number(value, name, minimum=0)


def whole_number(value, name, *, minimum):
    """Return ``value`` as an int, or raise if it is not a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a whole number, but got {value!r} ({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, but got {value}")
    return int(value)


def positive_float(value, name):
    """Return ``value`` as a float, or raise if it is not a finite number above 0."""
    number = real_number(value, name)
    if not number > 0 or not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number above 0, but got {value!r}")
    return number


def non_negative_float(value, name):
    """Return ``value`` as a float, or raise if it is negative, NaN or infinite."""
    number = real_number(value, name)
    if not number >= 0 or not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number of at least 0, but got {value!r}")
    return number


def fraction(value, name, *, allow_one=False):
    """Return ``value`` as a float in [0, 1) (or [0, 1] with ``allow_one``), or raise."""
    number = real_number(value, name)
    upper_ok = number <= 1 if allow_one else number < 1
    if not (number >= 0 and upper_ok):
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, but got {value!r}")
    return number


def real_number(value, name):
    """Return ``value`` as a float, or raise ``TypeError`` if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, but got {value!r} ({type(value).__name__})")
    return float(value)


def class_labels(y_true, n_samples, n_classes, name="y_true"):
    """Validate integer class labels and return them as an int array of shape (n_samples,).

    Accepts integer arrays and float arrays holding whole numbers (as read from a CSV file).
    """
    labels = np.asarray(y_true)
    if labels.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold integer class labels, but got dtype {labels.dtype}")
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of class labels or a 2-D one-hot array, "
            f"but got shape {labels.shape}"
        )
    check_batch(labels.shape[0], n_samples, name)
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            bad = labels[~np.isfinite(labels) | (labels != np.round(labels))][0]
            raise ValueError(f"{name} must hold whole-number class labels, but it contains {bad!r}")
    labels = labels.astype(np.intp, copy=False)
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"{name} must hold class labels of at least 0, but it contains {labels.min()}"
        )
    if labels.size and labels.max() >= n_classes:
        raise ValueError(
            f"{name} contains the label {labels.max()}, but the predictions have only {n_classes} "
            f"columns (classes 0 to {n_classes - 1})"
        )
    return labels


def check_batch(got, expected, name):
    """Raise ``ValueError`` when two arrays disagree on the number of samples."""
    if got != expected:
        raise ValueError(
            f"{name} has {got} samples but the predictions have {expected}: "
            "each prediction needs exactly one target"
        )


def check_gradient_shape(dvalues, expected_shape, owner):
    """Raise ``ValueError`` unless the upstream gradient has the shape of the layer's output."""
    if dvalues.shape != expected_shape:
        raise ValueError(
            f"{owner}.backward got a gradient of shape {dvalues.shape}, but its last forward "
            f"output had shape {expected_shape}: the gradient must match the output"
        )
