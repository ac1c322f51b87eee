"""Exercise checks for chapter 05, loss functions.

The hidden cases include the awkward ones that break naive code: probabilities of exactly
0 and 1, and scores of +-1000. The gradient check compares with ``nnlib.numerical_gradient``.
"""

import numpy as np

from ..gradcheck import numerical_gradient
from ..losses import EPSILON, BinaryCrossEntropy, MeanSquaredError
from . import check_function, check_value, exercise

_rng = np.random.default_rng(505)

# --- 1. mean squared error ----------------------------------------------------------------------

MSE_CASES = [
    (np.array([[1.0], [2.0]]), np.array([[1.0], [4.0]])),
    (_rng.standard_normal((6, 1)), _rng.standard_normal((6, 1))),
    (_rng.standard_normal((5, 2)), _rng.standard_normal((5, 2))),
]


def mse_solution(y_pred, y_true):
    """mean((y_true - y_pred)**2) over every value."""
    return float(np.mean((y_true - y_pred) ** 2))


def _summed_squares(y_pred, y_true):
    return float(np.sum((y_true - y_pred) ** 2))


def _root_mse(y_pred, y_true):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def _mean_absolute(y_pred, y_true):
    return float(np.mean(np.abs(y_true - y_pred)))


@exercise(solution=mse_solution, wrong=[_summed_squares, _root_mse, _mean_absolute])
def check_mse(fn):
    """``fn(y_pred, y_true) -> float``: the mean squared error."""
    return check_function(
        fn, MSE_CASES, lambda p, t: MeanSquaredError().forward(p, t), name="mse",
        mistakes={
            "you summed the squared errors; the loss is their MEAN (np.mean), so it does not "
            "grow with the batch size.": _summed_squares,
            "you took a square root at the end: that is the RMSE, not the MSE.": _root_mse,
            "you averaged absolute errors (MAE); square the differences instead.": _mean_absolute,
        },
    )


# --- 2. binary cross-entropy with clipping ------------------------------------------------------

BCE_CASES = [
    (np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])),
    (_rng.uniform(0.05, 0.95, (6, 1)), _rng.integers(0, 2, (6, 1)).astype(float)),
    (np.array([[1.0], [0.0], [0.0], [0.7]]), np.array([[1.0], [1.0], [0.0], [0.0]])),
]


def bce_solution(p, y):
    """-mean(y log p + (1 - y) log(1 - p)) with p clipped to [1e-7, 1 - 1e-7]."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _unclipped_bce(p, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _bce_without_minus(p, y):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _bce_only_positive_term(p, y):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return float(-np.mean(y * np.log(p)))


@exercise(solution=bce_solution,
          wrong=[_unclipped_bce, _bce_without_minus, _bce_only_positive_term])
def check_binary_cross_entropy(fn):
    """``fn(p, y) -> float``, safe for p exactly 0 or 1."""
    return check_function(
        fn, BCE_CASES, lambda p, y: BinaryCrossEntropy().forward(p, y), name="binary_cross_entropy",
        mistakes={
            "a probability of exactly 0 or 1 makes log return -inf (and 0 * -inf is nan): clip p "
            "to [1e-7, 1 - 1e-7] with np.clip before the logarithm.": _unclipped_bce,
            "the logarithm of a probability is negative, so the loss needs a minus sign in "
            "front to be positive.": _bce_without_minus,
            "the (1 - y) * log(1 - p) term is missing: without it samples of class 0 cost "
            "nothing.": _bce_only_positive_term,
        },
    )


# --- 3. the gradient of binary cross-entropy (a backward pass) ---------------------------------

BCE_GRAD_CASES = [
    (np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])),
    (_rng.uniform(0.05, 0.95, (5, 1)), _rng.integers(0, 2, (5, 1)).astype(float)),
    (_rng.uniform(0.05, 0.95, (4, 3)), _rng.integers(0, 2, (4, 3)).astype(float)),
]


def _numerical_bce_gradient(p, y):
    """d/dp of the mean binary cross-entropy, by centred differences (p kept away from 0, 1)."""
    p = np.array(p, dtype=np.float64)
    return numerical_gradient(
        lambda: float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), p)


def bce_backward_solution(p, y):
    """(p - y) / (p (1 - p)) divided by the number of values (the loss is a mean)."""
    return (p - y) / (p * (1 - p)) / p.size


def _bce_grad_not_averaged(p, y):
    return (p - y) / (p * (1 - p))


def _bce_grad_logit(p, y):
    return (p - y) / p.size


def _bce_grad_flipped(p, y):
    return (y - p) / (p * (1 - p)) / p.size


@exercise(solution=bce_backward_solution,
          wrong=[_bce_grad_not_averaged, _bce_grad_logit, _bce_grad_flipped])
def check_bce_backward(fn):
    """``fn(p, y) -> dL/dp`` of the mean BCE, compared with a numerical gradient."""
    return check_function(
        fn, BCE_GRAD_CASES, _numerical_bce_gradient, name="bce_backward", rtol=1e-5, atol=1e-8,
        mistakes={
            "right shape of formula, but the loss is a MEAN over p.size values, so divide the "
            "gradient by p.size too.": _bce_grad_not_averaged,
            "(p - y) / n is the gradient with respect to the sigmoid's INPUT (the logit); with "
            "respect to p itself it is (p - y) / (p (1 - p)) / n.": _bce_grad_logit,
            "the sign is flipped: raising p when y = 1 must LOWER the loss, so the gradient is "
            "negative there.": _bce_grad_flipped,
        },
    )


# --- 4. log-sum-exp ----------------------------------------------------------------------------

LSE_CASES = [
    (np.array([[0.0, 0.0]]),),
    (_rng.standard_normal((4, 3)),),
    (np.array([[1000.0, 1000.0, 0.0], [-1000.0, -1002.0, -1001.0]]),),
]


def logsumexp_solution(z):
    """log(sum(exp(z))) per row, computed as m + log(sum(exp(z - m))) with m the row max."""
    m = z.max(axis=1)
    return m + np.log(np.exp(z - m[:, None]).sum(axis=1))


def _naive_logsumexp(z):
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(np.exp(z).sum(axis=1))


def _forgot_max_back(z):
    m = z.max(axis=1)
    return np.log(np.exp(z - m[:, None]).sum(axis=1))


def _max_only(z):
    return z.max(axis=1)


@exercise(solution=logsumexp_solution, wrong=[_naive_logsumexp, _forgot_max_back, _max_only])
def check_logsumexp(fn):
    """``fn(z) -> shape (n_samples,)``: the row-wise log-sum-exp, safe for scores of +-1000."""
    return check_function(
        fn, LSE_CASES, logsumexp_solution, name="logsumexp",
        mistakes={
            "exp(1000) overflows to inf (and exp(-1000) underflows to 0, whose log is -inf): "
            "subtract the row maximum m first and add it back outside the log.": _naive_logsumexp,
            "after subtracting the maximum m inside, add it back: m + log(sum(exp(z - m))).":
                _forgot_max_back,
            "the maximum alone is only an approximation; add log(sum(exp(z - m))).": _max_only,
        },
    )


# --- 5. predict: cross-entropy of an unsure prediction -----------------------------------------

@exercise(solution=float(np.log(2.0)), wrong=[0.5, 0.25, float(np.log10(2.0))])
def check_bce_at_half(answer):
    """Binary cross-entropy of predicting p = 0.5 for a sample whose label is 1."""
    return check_value(
        answer, float(np.log(2.0)), name="BCE at p = 0.5", rtol=1e-3,
        explain="-log(0.5) = log 2 = 0.6931: the cost of a coin-flip answer, whatever the label.",
        mistakes={
            "0.5 is the distance 1 - p, not the cross-entropy -log(p).": 0.5,
            "0.25 is the squared error (1 - 0.5)**2, not the cross-entropy.": 0.25,
            "that is log base 10; losses use the natural logarithm (np.log).":
                float(np.log10(2.0)),
            "a loss is never negative here: -log(0.5) is positive.": float(-np.log(2.0)),
        },
    )


__all__ = [
    "check_mse", "check_binary_cross_entropy", "check_bce_backward", "check_logsumexp",
    "check_bce_at_half",
]
