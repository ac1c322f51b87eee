"""Properties of nnlib's pieces: probabilities sum to 1, no overflow, gradients are set not
accumulated, the same seed gives the same network, and each piece computes what it claims."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlib as nn

small_floats = st.floats(min_value=-100, max_value=100, allow_nan=False)
huge_floats = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=huge_floats))
def test_softmax_rows_are_probabilities_that_sum_to_one(logits):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        probs = nn.Softmax().forward(logits)
    assert np.all(probs >= 0) and np.all(probs <= 1)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=huge_floats))
def test_sigmoid_never_overflows_and_stays_in_0_1(x):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = nn.Sigmoid().forward(x.reshape(-1, 1))
    assert np.all((s >= 0) & (s <= 1))


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=small_floats))
def test_relu_output_is_non_negative_and_keeps_positive_inputs(x):
    out = nn.ReLU().forward(x)
    assert np.all(out >= 0)
    np.testing.assert_array_equal(out[x > 0], x[x > 0])


@pytest.mark.parametrize("logit", [1000.0, -1000.0])
def test_softmax_cross_entropy_is_finite_for_extreme_logits(logit):
    logits = np.array([[logit, -logit, 0.0], [0.0, logit, 0.0]])
    wrong = [1, 0] if logit > 0 else [0, 2]
    loss = nn.SoftmaxCrossEntropy()
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        value = loss.forward(logits, wrong)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value > 100  # confidently wrong costs a lot, but not infinity


@pytest.mark.parametrize("make_loss,y_pred,y_true", [
    (nn.CategoricalCrossEntropy, np.array([[1.0, 0.0], [0.0, 1.0]]), [1, 1]),
    (nn.BinaryCrossEntropy, np.array([[0.0], [1.0]]), [1, 0]),
    (nn.BinaryCrossEntropy, np.array([[0.0], [1.0]]), [0, 1]),
])
def test_cross_entropies_are_finite_for_probabilities_of_exactly_0_and_1(make_loss, y_pred, y_true):
    loss = make_loss()
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        value = loss.forward(y_pred, y_true)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_sigmoid_of_extreme_inputs_is_exact_without_warnings():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = nn.Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
    np.testing.assert_allclose(s, [[0.0, 0.5, 1.0]])


@pytest.mark.parametrize("make", [
    lambda: nn.Dense(3, 4, rng=0), nn.Sigmoid, nn.Tanh, nn.ReLU, nn.Softmax,
    lambda: nn.Dropout(0.5, rng=0),
])
def test_backward_twice_gives_the_same_gradients(make):
    layer = make()
    rng = np.random.default_rng(1)
    layer.forward(rng.standard_normal((5, 3)))
    dvalues = rng.standard_normal(layer.output.shape)
    first = [np.copy(layer.backward(dvalues))] + [np.copy(g) for _, g in layer.parameters()]
    second = [np.copy(layer.backward(dvalues))] + [np.copy(g) for _, g in layer.parameters()]
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_model_backward_twice_gives_the_same_gradients():
    model = nn.Sequential(nn.Dense(2, 8, rng=0), nn.ReLU(), nn.Dense(8, 3, rng=1))
    X, y = nn.data.spiral(10, 3, rng=0)
    loss = nn.SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y)
    dvalues = loss.backward()
    model.backward(dvalues)
    first = [g.copy() for _, g in model.parameters()]
    model.backward(dvalues)
    for a, (_, b) in zip(first, model.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_dense_forward_is_inputs_times_weights_plus_biases():
    layer = nn.Dense(2, 3, rng=0)
    layer.biases[:] = [[1.0, 2.0, 3.0]]
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(layer.forward(X), X @ layer.weights + layer.biases)
    assert layer.weights.shape == (2, 3) and layer.biases.shape == (1, 3)


def test_initialisers_have_the_documented_scale():
    rng = 0
    small = nn.Dense(400, 400, init="small", rng=rng).weights.std()
    glorot = nn.Dense(400, 400, init="glorot", rng=rng).weights.std()
    he = nn.Dense(400, 400, init="he", rng=rng).weights.std()
    assert small == pytest.approx(0.01, rel=0.02)
    assert glorot == pytest.approx(np.sqrt(2 / 800), rel=0.02)
    assert he == pytest.approx(np.sqrt(2 / 400), rel=0.02)


def test_a_custom_initialiser_function_is_used():
    layer = nn.Dense(2, 3, init=lambda rng, shape, fan_in, fan_out: np.full(shape, 0.5))
    np.testing.assert_array_equal(layer.weights, np.full((2, 3), 0.5))


def test_dropout_keeps_the_mean_in_training_and_is_the_identity_in_eval():
    X = np.ones((200, 500))
    dropout = nn.Dropout(0.4, rng=0)
    out = dropout.forward(X)
    assert np.mean(out == 0) == pytest.approx(0.4, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.01)
    dropout.training = False
    np.testing.assert_array_equal(dropout.forward(X), X)


def test_model_eval_switches_dropout_off_and_predict_restores_training_mode():
    model = nn.Sequential(nn.Dense(4, 4, rng=0), nn.Dropout(0.5, rng=1))
    X = np.ones((3, 4))
    np.testing.assert_array_equal(model.predict(X), model.predict(X))
    assert model.training and model.layers[1].training
    model.eval()
    assert not model.layers[1].training


def test_accuracy_for_class_scores_probabilities_and_one_hot_labels():
    scores = np.array([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0], [1.0, 0.0]])
    assert nn.accuracy(scores, [0, 1, 1, 0]) == 0.75
    assert nn.accuracy(scores, np.eye(2)[[0, 1, 1, 0]]) == 0.75
    assert nn.accuracy(np.array([[0.9], [0.2], [0.6]]), [1, 0, 0]) == pytest.approx(2 / 3)


def test_mean_squared_error_value_and_one_output_targets():
    loss = nn.MeanSquaredError()
    assert loss.forward(np.array([[1.0], [3.0]]), np.array([0.0, 1.0])) == pytest.approx(2.5)
    np.testing.assert_allclose(loss.backward(), [[1.0], [2.0]])


def test_float32_layers_keep_float32():
    model = nn.Sequential(nn.Dense(2, 4, rng=0, dtype=np.float32), nn.ReLU(),
                          nn.Dense(4, 3, rng=1, dtype=np.float32))
    out = model.forward(np.ones((5, 2)))
    assert out.dtype == np.float32
    assert model.backward(np.ones_like(out)).dtype == np.float32


def test_skipping_the_input_gradient_leaves_parameter_gradients_unchanged():
    model = nn.Sequential(nn.Dense(3, 4, rng=0), nn.ReLU(), nn.Dense(4, 2, rng=1))
    X = np.random.default_rng(2).standard_normal((5, 3))
    dvalues = np.ones((5, 2))
    model.forward(X)
    assert model.backward(dvalues).shape == (5, 3)
    full = [g.copy() for _, g in model.parameters()]
    assert model.backward(dvalues, input_gradient=False) is None
    for a, (_, b) in zip(full, model.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
