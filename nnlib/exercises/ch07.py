"""Exercise checks for chapter 07, regularisation and generalisation.

Three "write code" checks (the penalty, its gradient, inverted dropout) run the learner's
function on hidden seeded cases and name the typical mistakes; four "predict" checks ask what
dropout does at inference, what a pair of curves means, where early stopping stops, and which
data set a setting is chosen on.
"""

import numpy as np

from . import check_choice, check_function, check_value, exercise

_rng = np.random.default_rng(707)

# --- 1. the penalty ------------------------------------------------------------------------------

PENALTY_CASES = [
    (np.array([[1.0, -2.0], [0.5, 0.0]]), 0.1, 0.0),
    (np.array([[1.0, -2.0], [0.5, 0.0]]), 0.0, 0.01),
    (_rng.standard_normal((3, 4)), 0.01, 0.02),
    (_rng.standard_normal((5, 2)), 0.003, 0.5),
]


def penalty_solution(W, l1, l2):
    """l1 * sum|W| + l2 * sum W**2, a single float."""
    return l1 * np.sum(np.abs(W)) + l2 * np.sum(W**2)


def _penalty_without_abs(W, l1, l2):
    return l1 * np.sum(W) + l2 * np.sum(W**2)


def _penalty_with_mean(W, l1, l2):
    return l1 * np.mean(np.abs(W)) + l2 * np.mean(W**2)


def _penalty_with_norm(W, l1, l2):
    return l1 * np.sum(np.abs(W)) + l2 * np.sqrt(np.sum(W**2))


def _penalty_swapped(W, l1, l2):
    return l2 * np.sum(np.abs(W)) + l1 * np.sum(W**2)


@exercise(solution=penalty_solution,
          wrong=[_penalty_without_abs, _penalty_with_mean, _penalty_with_norm, _penalty_swapped])
def check_penalty(fn):
    """``penalty(W, l1, l2)`` returns l1 * sum|W| + l2 * sum W**2."""
    return check_function(fn, PENALTY_CASES, penalty_solution, name="penalty", mistakes={
        "the L1 term adds up the absolute values |w|; without np.abs positive and negative "
        "weights cancel out.": _penalty_without_abs,
        "the penalty is a sum over all weights, not a mean (np.sum, not np.mean).":
            _penalty_with_mean,
        "the L2 term is the sum of squares itself, without a square root.": _penalty_with_norm,
        "l1 goes with the absolute values and l2 with the squares: you swapped them.":
            _penalty_swapped,
    })


# --- 2. the penalty's gradient -------------------------------------------------------------------

GRADIENT_CASES = [
    (np.array([[1.0, -2.0], [0.5, -0.25]]), 0.1, 0.0),
    (np.array([[1.0, -2.0], [0.5, -0.25]]), 0.0, 0.01),
    (_rng.standard_normal((3, 4)), 0.01, 0.02),
    (_rng.standard_normal((4, 2)), 0.2, 0.5),
]


def penalty_gradient_solution(W, l1, l2):
    """d(penalty)/dW = l1 * sign(W) + 2 * l2 * W, same shape as W."""
    return l1 * np.sign(W) + 2 * l2 * W


def _gradient_without_two(W, l1, l2):
    return l1 * np.sign(W) + l2 * W


def _gradient_l1_times_w(W, l1, l2):
    return l1 * W + 2 * l2 * W


def _gradient_l1_abs(W, l1, l2):
    return l1 * np.abs(W) + 2 * l2 * W


def _gradient_is_penalty(W, l1, l2):
    return l1 * np.abs(W) + l2 * W**2


@exercise(solution=penalty_gradient_solution,
          wrong=[_gradient_without_two, _gradient_l1_times_w, _gradient_is_penalty])
def check_penalty_gradient(fn):
    """``penalty_gradient(W, l1, l2)`` returns l1 * sign(W) + 2 * l2 * W."""
    return check_function(fn, GRADIENT_CASES, penalty_gradient_solution,
                          name="penalty_gradient", mistakes={
        "the derivative of w**2 is 2w: the L2 part is 2 * l2 * W.": _gradient_without_two,
        "the derivative of |w| is +1 for w > 0 and -1 for w < 0, i.e. np.sign(W), not W.":
            _gradient_l1_times_w,
        "np.abs(W) is always positive, but |w| slopes DOWN for negative w: use np.sign(W).":
            _gradient_l1_abs,
        "that is each weight's share of the penalty, not its derivative: differentiate "
        "|w| and w**2.": _gradient_is_penalty,
    })


# --- 3. inverted dropout -------------------------------------------------------------------------

def _dropout_case(shape, rate):
    X = _rng.standard_normal(shape)
    keep = _rng.random(shape) >= rate
    return X, keep, rate


DROPOUT_CASES = [
    (np.array([[1.0, 2.0, 3.0, 4.0]]), np.array([[True, False, True, False]]), 0.5),
    _dropout_case((3, 5), 0.2),
    _dropout_case((4, 6), 0.6),
]


def dropout_solution(X, keep, rate):
    """Zero the dropped values and divide the kept ones by 1 - rate."""
    return X * keep / (1 - rate)


def _dropout_unscaled(X, keep, rate):
    return X * keep


def _dropout_divided_by_rate(X, keep, rate):
    return X * keep / rate


def _dropout_times_keep_fraction(X, keep, rate):
    return X * keep * (1 - rate)


def _dropout_inverted_mask(X, keep, rate):
    return X * ~keep / (1 - rate)


@exercise(solution=dropout_solution,
          wrong=[_dropout_unscaled, _dropout_divided_by_rate, _dropout_times_keep_fraction,
                 _dropout_inverted_mask])
def check_dropout(fn):
    """``dropout(X, keep, rate)``: inverted dropout with a given boolean mask ``keep``."""
    return check_function(fn, DROPOUT_CASES, dropout_solution, name="dropout", mistakes={
        "the kept values must be scaled up by 1 / (1 - rate), or the layer's outputs shrink "
        "on average while training and are too large at inference.": _dropout_unscaled,
        "divide by the fraction KEPT, 1 - rate, not by the rate.": _dropout_divided_by_rate,
        "multiplying by 1 - rate shrinks the kept values; inverted dropout divides by it.":
            _dropout_times_keep_fraction,
        "`keep` is True where a value is KEPT: you zeroed the kept ones instead.":
            _dropout_inverted_mask,
    })


# --- 4. predict: dropout at inference -----------------------------------------------------------

@exercise(solution=[2.0, 0.0, 4.0], wrong=[[1.0, 0.0, 2.0], [4.0, 0.0, 8.0], [0.0, 0.0, 0.0]])
def check_dropout_at_inference(answer):
    """What nn.Dropout(0.5) returns in evaluation mode for the input [2, 0, 4]."""
    return check_value(
        answer, [2.0, 0.0, 4.0], name="Dropout(0.5) in eval mode",
        explain="In evaluation mode inverted dropout is the identity: the scaling by "
                "1 / (1 - rate) already happened during training.",
        mistakes={
            "multiplying by 1 - rate at inference is the ORIGINAL dropout recipe; inverted "
            "dropout scales while training instead, so inference changes nothing.":
                [1.0, 0.0, 2.0],
            "the 1 / (1 - rate) scaling only applies while training, to the kept values.":
                [4.0, 0.0, 8.0],
            "in evaluation mode nothing is dropped.": [0.0, 0.0, 0.0],
        },
    )


# --- 5. predict: reading the curves ---------------------------------------------------------------

DIAGNOSES = ("underfitting", "overfitting", "a good fit")


@exercise(solution="overfitting", wrong=["underfitting", "a good fit"])
def check_diagnosis(answer):
    """Training loss 0.02 and falling, validation loss 1.40 and rising: which diagnosis?"""
    return check_choice(
        answer, "overfitting", name="diagnosis", options=DIAGNOSES,
        explain="the network keeps getting better on the points it trains on while getting "
                "worse on new points: it is memorising the training set.",
        hints={
            "underfitting": "an underfitting network is poor on the training data too; a "
                            "training loss of 0.02 is excellent.",
            "a good fit": "a good fit has the two losses close together; here they are far "
                          "apart and moving in opposite directions.",
        },
    )


# --- 6. predict: where early stopping stops -------------------------------------------------------

#: validation loss after epochs 1, 2, 3, ...
VAL_LOSSES = (0.90, 0.70, 0.62, 0.64, 0.61, 0.63, 0.66, 0.65, 0.70)
PATIENCE = 3


@exercise(solution=(8, 5), wrong=[(7, 5), (5, 5), (7, 4), (6, 3)])
def check_early_stopping(answer):
    """``(stopped_epoch, best_epoch)`` for VAL_LOSSES with patience 3 (epochs count from 1)."""
    return check_value(
        answer, (8, 5), name="(stopped_epoch, best_epoch)",
        explain="The best validation loss, 0.61, comes at epoch 5; epochs 6, 7 and 8 do not "
                "beat it, so patience runs out at epoch 8 and the weights of epoch 5 come back.",
        mistakes={
            "count the epochs from 1, as nnlib's History does (the list index + 1).": (7, 4),
            "patience 3 means three epochs WITHOUT improvement after the best one: 6, 7 and 8.":
                (7, 5),
            "training stops when patience runs out, a few epochs after the best one.": (5, 5),
            "epoch 3 (0.62) is not the best: epoch 5 reaches 0.61 and resets the count.": (6, 3),
        },
    )


# --- 7. predict: which data set chooses the penalty -----------------------------------------------

SETS = ("training", "validation", "test")


@exercise(solution="validation", wrong=["training", "test"])
def check_choose_on(answer):
    """On which set should the L2 strength be chosen?"""
    return check_choice(
        answer, "validation", name="choosing the L2 strength", options=SETS,
        explain="the validation set is for choices like this; the test set stays untouched so "
                "that it still gives an honest estimate at the very end.",
        hints={
            "training": "on the training set the smallest penalty always looks best, because "
                        "a penalty only ever makes fitting the training points harder.",
            "test": "if the test set picks the setting, the test score is no longer a fair "
                    "estimate for new data: it has been used to tune the model.",
        },
    )
