"""Bad input gets a clear ValueError/TypeError naming what was expected and what came.

Each case checks the exception type and that the message quotes both sides, and that numpy's
own "could not be broadcast" message never reaches the learner.
"""

import numpy as np
import pytest

import nnlib as nn


def raises(error, *fragments):
    """Context manager: ``error`` is raised and its message contains every fragment."""

    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(error)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            suppressed = self.ctx.__exit__(*exc)
            message = str(self.info.value)
            assert "broadcast" not in message
            for fragment in fragments:
                assert fragment in message, f"{fragment!r} not in {message!r}"
            return suppressed

    return Check()


# --- shapes and dimensions -------------------------------------------------------------
def test_wrong_number_of_features_names_both_counts():
    with raises(ValueError, "Dense(3 -> 5)", "(2, 4)", "4 features", "expects 3", "(3, 5)"):
        nn.Dense(3, 5).forward(np.ones((2, 4)))


@pytest.mark.parametrize("shape", [(3,), (2, 3, 1)])
def test_wrong_number_of_dimensions_is_explained(shape):
    with raises(ValueError, str(shape), "2-D"):
        nn.Dense(3, 5).forward(np.ones(shape))


def test_softmax_needs_rows_of_scores():
    with raises(ValueError, "Softmax", "2-D", "(3,)"):
        nn.Softmax().forward(np.ones(3))


@pytest.mark.parametrize("layer", [nn.Dense(2, 2), nn.ReLU(), nn.Softmax(), nn.Dropout(0.1)])
def test_backward_before_forward_says_so(layer):
    with raises(RuntimeError, "before forward()"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize("make_loss", [nn.MeanSquaredError, nn.SoftmaxCrossEntropy])
def test_loss_backward_before_forward_says_so(make_loss):
    with raises(RuntimeError, "before forward()"):
        make_loss().backward()


def test_gradient_of_the_wrong_shape_names_both_shapes():
    layer = nn.Dense(3, 2)
    layer.forward(np.ones((4, 3)))
    with raises(ValueError, "(4, 3)", "(4, 2)"):
        layer.backward(np.ones((4, 3)))


def test_activation_gradient_of_the_wrong_shape_is_rejected():
    relu = nn.ReLU()
    relu.forward(np.ones((2, 3)))
    with raises(ValueError, "(3, 2)", "(2, 3)"):
        relu.backward(np.ones((3, 2)))


def test_model_with_mismatched_layers_points_at_the_layer():
    model = nn.Sequential(nn.Dense(2, 4), nn.ReLU(), nn.Dense(3, 1))
    with raises(ValueError, "Dense(3 -> 1)", "4 features"):
        model.forward(np.ones((5, 2)))


# --- labels -----------------------------------------------------------------------------
@pytest.mark.parametrize("make_loss", [nn.SoftmaxCrossEntropy, nn.CategoricalCrossEntropy])
def test_label_out_of_range_names_the_label_and_the_classes(make_loss):
    with raises(ValueError, "label 3", "3 columns", "0 to 2"):
        make_loss().forward(np.full((2, 3), 1 / 3), [0, 3])


def test_negative_label_is_rejected():
    with raises(ValueError, "at least 0", "-1"):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0, -1])


def test_non_integer_label_is_rejected_but_whole_floats_are_accepted():
    with raises(ValueError, "whole-number", "1.5"):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0.0, 1.5])
    assert np.isfinite(nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0.0, 2.0]))


def test_text_labels_are_rejected():
    with raises(TypeError, "integer class labels"):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), ["cat", "dog"])


def test_accuracy_checks_labels_too():
    with raises(ValueError, "label 5"):
        nn.accuracy(np.zeros((2, 3)), [0, 5])


def test_binary_targets_outside_0_1_are_rejected():
    with raises(ValueError, "[0, 1]"):
        nn.BinaryCrossEntropy().forward(np.full((2, 1), 0.5), [0, 2])


# --- batch sizes ------------------------------------------------------------------------
@pytest.mark.parametrize("make_loss,y_pred", [
    (nn.SoftmaxCrossEntropy, np.zeros((3, 2))),
    (nn.MeanSquaredError, np.zeros((3, 1))),
    (nn.BinaryCrossEntropy, np.full((3, 1), 0.5)),
])
def test_mismatched_batch_sizes_name_both_counts(make_loss, y_pred):
    with raises(ValueError, "2 samples", "3"):
        make_loss().forward(y_pred, [0, 1])


def test_one_hot_targets_of_the_wrong_shape_are_rejected():
    with raises(ValueError, "(2, 4)", "(2, 3)"):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.eye(4)[:2])


def test_regression_targets_of_the_wrong_shape_are_rejected():
    with raises(ValueError, "(4, 3)", "(4, 2)"):
        nn.MeanSquaredError().forward(np.zeros((4, 2)), np.zeros((4, 3)))


def test_fit_and_split_check_that_inputs_and_labels_agree():
    model = nn.Sequential(nn.Dense(2, 2))
    with raises(ValueError, "3 samples", "4"):
        model.fit(np.zeros((4, 2)), [0, 1, 0], loss=nn.SoftmaxCrossEntropy(),
                  optimizer=nn.SGD(0.1))
    with raises(ValueError, "3 samples"):
        nn.data.split(np.zeros((4, 2)), [0, 1, 0])


# --- types ------------------------------------------------------------------------------
def test_non_numeric_inputs_are_rejected():
    with raises(TypeError, "numbers", "'a'"):
        nn.Dense(2, 2).forward([["a", "b"]])


def test_ragged_inputs_are_rejected():
    with raises(ValueError, "rectangular"):
        nn.Dense(2, 2).forward([[1.0, 2.0], [3.0]])


def test_non_numeric_predictions_are_rejected():
    with raises(TypeError, "numbers"):
        nn.MeanSquaredError().forward([["x"]], [1.0])


def test_sequential_only_takes_layers():
    with raises(TypeError, "argument 1", "str"):
        nn.Sequential(nn.Dense(2, 2), "relu")


# --- constructor arguments ---------------------------------------------------------------
@pytest.mark.parametrize("n_inputs,n_neurons,error,fragment", [
    (0, 3, ValueError, "at least 1"),
    (-2, 3, ValueError, "-2"),
    (2.5, 3, TypeError, "whole number"),
    (2, True, TypeError, "whole number"),
    (2, "3", TypeError, "'3'"),
])
def test_invalid_layer_sizes_are_rejected(n_inputs, n_neurons, error, fragment):
    with raises(error, fragment):
        nn.Dense(n_inputs, n_neurons)


def test_unknown_initialiser_lists_the_known_ones():
    with raises(ValueError, "'glorot'", "'uniform'"):
        nn.Dense(2, 2, init="uniform")


@pytest.mark.parametrize("make", [nn.SGD, nn.Adam, nn.RMSprop])
@pytest.mark.parametrize("lr,error", [
    (0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
    ("0.1", TypeError),
])
def test_invalid_learning_rates_are_rejected(make, lr, error):
    with raises(error, "lr"):
        make(lr)


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5])
def test_invalid_dropout_rates_are_rejected(rate):
    with raises(ValueError, "Dropout rate", "[0, 1)"):
        nn.Dropout(rate)


def test_invalid_momentum_and_penalties_are_rejected():
    with raises(ValueError, "momentum"):
        nn.SGD(0.1, momentum=1.0)
    with raises(ValueError, "l2"):
        nn.Dense(2, 2, l2=-1.0)


def test_optimizer_step_before_backward_says_so():
    with raises(RuntimeError, "backward()"):
        nn.SGD(0.1).step(nn.Dense(2, 2).parameters())


def test_loading_into_a_different_architecture_names_the_shapes():
    model = nn.Sequential(nn.Dense(2, 3))
    with raises(ValueError, "(2, 3)", "(2, 4)"):
        model.load_state([np.zeros((2, 4)), np.zeros((1, 3))])


def test_early_stopping_needs_validation_data():
    model = nn.Sequential(nn.Dense(2, 2))
    with raises(ValueError, "validation_data"):
        model.fit(np.zeros((4, 2)), [0, 1, 0, 1], loss=nn.SoftmaxCrossEntropy(),
                  optimizer=nn.SGD(0.1), early_stopping=nn.EarlyStopping(2))
