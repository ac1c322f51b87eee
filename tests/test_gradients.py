"""Every differentiable piece of nnlib passes a centred-difference gradient check.

Expected: relative error below 1e-6 in float64 (typically 1e-9 to 1e-11). Inputs are drawn
away from the kinks of ReLU and LeakyReLU (|x| > 0.05), where a finite difference straddling
0 would disagree for a good reason.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn

TOLERANCE = 1e-6


def away_from_zero(rng, shape, gap=0.05):
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < gap, np.sign(x + 1e-12) * gap * 2, x)


LAYERS = {
    "Dense": lambda: nn.Dense(4, 3, rng=1),
    "Dense L1+L2": lambda: nn.Dense(4, 3, l1=0.01, l2=0.02, rng=1),
    "Linear": nn.Linear,
    "Sigmoid": nn.Sigmoid,
    "Tanh": nn.Tanh,
    "ReLU": nn.ReLU,
    "LeakyReLU": lambda: nn.LeakyReLU(0.1),
    "Softmax": nn.Softmax,
    "Dropout (training)": lambda: nn.Dropout(0.3, rng=2),
}


@pytest.mark.parametrize("name", LAYERS)
def test_layer_backward_matches_numerical_gradient(name):
    layer = LAYERS[name]()
    X = away_from_zero(np.random.default_rng(0), (5, 4))
    errors = nn.gradcheck(layer, X)
    assert errors, "gradcheck returned no errors to check"
    assert max(errors.values()) < TOLERANCE, errors


def test_gradcheck_names_every_parameter_of_a_dense_layer():
    errors = nn.gradcheck(nn.Dense(3, 2, rng=0), np.ones((2, 3)))
    assert set(errors) == {"inputs", "weights", "biases"}


def test_whole_model_backward_matches_numerical_gradient():
    model = nn.Sequential(
        nn.Dense(3, 5, rng=0), nn.Tanh(), nn.Dropout(0.2, rng=1),
        nn.Dense(5, 4, l2=0.01, rng=2), nn.Sigmoid(), nn.Dense(4, 3, rng=3), nn.Softmax(),
    )
    errors = nn.gradcheck(model, np.random.default_rng(4).standard_normal((6, 3)))
    assert {"inputs", "layer0.weights", "layer5.biases"} <= set(errors)
    assert max(errors.values()) < TOLERANCE, errors


def probabilities(rng, shape):
    return nn.Softmax().forward(rng.standard_normal(shape))


LOSSES = {
    "MeanSquaredError": (nn.MeanSquaredError, lambda r: r.standard_normal((6, 2)),
                         lambda r: r.standard_normal((6, 2))),
    "BinaryCrossEntropy": (nn.BinaryCrossEntropy, lambda r: r.uniform(0.05, 0.95, (6, 1)),
                           lambda r: r.integers(0, 2, 6)),
    "CategoricalCrossEntropy (labels)": (nn.CategoricalCrossEntropy,
                                         lambda r: probabilities(r, (6, 3)),
                                         lambda r: r.integers(0, 3, 6)),
    "CategoricalCrossEntropy (one-hot)": (nn.CategoricalCrossEntropy,
                                          lambda r: probabilities(r, (6, 3)),
                                          lambda r: np.eye(3)[r.integers(0, 3, 6)]),
    "SoftmaxCrossEntropy": (nn.SoftmaxCrossEntropy, lambda r: 3 * r.standard_normal((6, 4)),
                            lambda r: r.integers(0, 4, 6)),
}


@pytest.mark.parametrize("name", LOSSES)
def test_loss_backward_matches_numerical_gradient(name):
    make_loss, make_pred, make_true = LOSSES[name]
    rng = np.random.default_rng(0)
    errors = nn.gradcheck(make_loss(), make_pred(rng), make_true(rng))
    assert errors["y_pred"] < TOLERANCE, errors


@settings(max_examples=25, deadline=None)
@given(
    n_samples=st.integers(1, 6),
    n_inputs=st.integers(1, 5),
    n_neurons=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_dense_gradients_hold_for_any_shape(n_samples, n_inputs, n_neurons, seed):
    rng = np.random.default_rng(seed)
    layer = nn.Dense(n_inputs, n_neurons, rng=rng)
    errors = nn.gradcheck(layer, rng.standard_normal((n_samples, n_inputs)), rng=seed)
    assert max(errors.values()) < TOLERANCE, errors


def test_softmax_cross_entropy_equals_softmax_then_categorical_cross_entropy():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((8, 3)), rng.integers(0, 3, 8)
    fused = nn.SoftmaxCrossEntropy()
    fused_loss = fused.forward(logits, labels)
    softmax, cce = nn.Softmax(), nn.CategoricalCrossEntropy()
    separate_loss = cce.forward(softmax.forward(logits), labels)
    assert fused_loss == pytest.approx(separate_loss, rel=1e-12)
    np.testing.assert_allclose(fused.backward(), softmax.backward(cce.backward()), atol=1e-12)


def test_gradcheck_catches_a_wrong_backward_pass():
    class WrongSigmoid(nn.Sigmoid):
        def backward(self, dvalues):
            self.dinputs = dvalues * self.output  # forgot the (1 - s) factor
            return self.dinputs

    errors = nn.gradcheck(WrongSigmoid(), np.random.default_rng(0).standard_normal((4, 3)))
    assert errors["inputs"] > 1e-2


def test_step_passes_no_gradient():
    step = nn.Step()
    step.forward(np.array([[-1.0, 0.5, 2.0]]))
    np.testing.assert_array_equal(step.backward(np.ones((1, 3))), np.zeros((1, 3)))
