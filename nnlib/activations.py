"""Activation functions as layers: each has ``forward`` and ``backward`` and no parameters.

Element-wise activations accept arrays of any shape (so they follow ``Conv2D`` too);
``Softmax`` works on rows of a 2-D array (n_samples, n_classes).
"""

import numpy as np

from .checks import check_ndim, non_negative_float
from .layer import Layer


class Step(Layer):
    """The perceptron's step: 1 where the input is above 0, else 0.

    Its derivative is 0 everywhere it exists, so ``backward`` returns zeros: no gradient
    flows through a step, which is why gradient descent needs smooth activations.
    """

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        self.output = (inputs > 0).astype(inputs.dtype)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = np.zeros_like(dvalues)
        return self.dinputs


class Linear(Layer):
    """The identity: output = input. Used on the output of a regression network."""

    def forward(self, inputs):
        self.output = self._take_inputs(inputs)
        return self.output

    def backward(self, dvalues):
        self.dinputs = self._take_dvalues(dvalues)
        return self.dinputs


class Sigmoid(Layer):
    """1 / (1 + exp(-x)), squashing any input into (0, 1); derivative s * (1 - s).

    Computed from exp(-|x|), which never overflows, so inputs of +-1000 are safe.
    """

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = dvalues * self.output * (1.0 - self.output)
        return self.dinputs


class Tanh(Layer):
    """tanh(x), squashing into (-1, 1) around 0; derivative 1 - tanh(x)**2."""

    def forward(self, inputs):
        self.output = np.tanh(self._take_inputs(inputs))
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = dvalues * (1.0 - self.output**2)
        return self.dinputs


class ReLU(Layer):
    """max(0, x); derivative 1 where x > 0 and 0 elsewhere (0 is used at x = 0)."""

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        self.output = np.maximum(inputs, 0)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = dvalues * (self.inputs > 0)
        return self.dinputs


class LeakyReLU(Layer):
    """x where x > 0, else ``alpha * x``; the small slope keeps negative neurons learning."""

    def __init__(self, alpha=0.01):
        super().__init__()
        self.alpha = non_negative_float(alpha, "LeakyReLU alpha")

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        self.output = np.where(inputs > 0, inputs, self.alpha * inputs)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = np.where(self.inputs > 0, dvalues, self.alpha * dvalues)
        return self.dinputs

    def config(self):
        return {"alpha": self.alpha}


class Softmax(Layer):
    """exp(x_i) / sum_j exp(x_j) per row: turns scores into probabilities that sum to 1.

    The row maximum is subtracted before exponentiating (it cancels in the ratio), so large
    scores never overflow. Backward applies each row's Jacobian without building it:
    dinputs = s * (dvalues - sum(dvalues * s)).
    """

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        check_ndim(inputs, 2, "Softmax inputs", "use shape (n_samples, n_classes)")
        self.output = softmax(inputs)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        dot = np.sum(dvalues * self.output, axis=1, keepdims=True)
        self.dinputs = self.output * (dvalues - dot)
        return self.dinputs


def sigmoid(x):
    """Overflow-free logistic function."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(x):
    """Row-wise softmax of a 2-D array, stable for any finite scores."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
