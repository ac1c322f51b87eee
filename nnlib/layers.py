"""Layers with parameters (``Dense``) and the regularising ``Dropout`` layer.

Penalties (L1/L2) belong to the layer whose weights they shrink, as in the NNFS book:
``Dense(64, 3, l2=5e-4)`` adds ``l1 * sum|W| + l2 * sum W**2`` to the loss (``penalty()``)
and ``l1 * sign(W) + 2 * l2 * W`` to ``dweights`` in ``backward``. Biases are not penalised:
they shift a neuron without making it more sensitive to its inputs. Note that PyTorch's
``weight_decay=wd`` equals ``l2 = wd / 2`` here.
"""

import numpy as np

from . import init as initialisers
from .checks import fraction, non_negative_float, positive_int
from .layer import Layer


class Dense(Layer):
    """A fully connected layer: ``output = inputs @ weights + biases``.

    Shapes: inputs (n_samples, n_inputs); weights (n_inputs, n_neurons), so that the forward
    pass needs no transpose; biases (1, n_neurons), broadcast over the samples;
    output (n_samples, n_neurons).

    Args:
        n_inputs: features per sample coming in.
        n_neurons: neurons in the layer, i.e. features per sample going out.
        init: ``"glorot"`` (default), ``"he"``, ``"small"`` or a function, see ``nnlib.init``.
        l1, l2: penalty strengths on the weights (see the module docstring).
        rng: a seed or ``numpy.random.Generator`` for the initial weights.
        dtype: ``numpy.float64`` (default, exact enough for gradient checks) or ``float32``.
    """

    param_names = ("weights", "biases")
    can_skip_input_gradient = True

    def __init__(self, n_inputs, n_neurons, *, init="glorot", l1=0.0, l2=0.0, rng=None,
                 dtype=np.float64):
        super().__init__()
        self.n_inputs = positive_int(n_inputs, "Dense n_inputs")
        self.n_neurons = positive_int(n_neurons, "Dense n_neurons")
        self.l1 = non_negative_float(l1, "Dense l1")
        self.l2 = non_negative_float(l2, "Dense l2")
        self.init = init
        draw = initialisers.resolve(init)
        shape = (self.n_inputs, self.n_neurons)
        weights = draw(np.random.default_rng(rng), shape, self.n_inputs, self.n_neurons)
        self.weights = np.asarray(weights, dtype=dtype)
        self.biases = np.zeros((1, self.n_neurons), dtype=dtype)
        self.dweights = None
        self.dbiases = None

    def forward(self, inputs):
        """inputs (n_samples, n_inputs) -> output (n_samples, n_neurons)."""
        inputs = self._take_inputs(inputs)
        if inputs.ndim != 2 or inputs.shape[1] != self.n_inputs:
            raise ValueError(self._shape_message(inputs.shape))
        self.output = inputs @ self.weights + self.biases
        return self.output

    def backward(self, dvalues, *, input_gradient=True):
        """dvalues (n_samples, n_neurons) -> dinputs (n_samples, n_inputs).

        Sets dweights (n_inputs, n_neurons) = inputs.T @ dvalues (plus the penalty's gradient)
        and dbiases (1, n_neurons) = dvalues summed over the samples. With
        ``input_gradient=False`` (the first layer during training: nothing needs the gradient
        of the data) ``dinputs`` is not computed and ``None`` is returned.
        """
        dvalues = self._take_dvalues(dvalues)
        self.dweights = self.inputs.T @ dvalues
        if self.l1:
            self.dweights += self.l1 * np.sign(self.weights)
        if self.l2:
            self.dweights += (2 * self.l2) * self.weights
        self.dbiases = dvalues.sum(axis=0, keepdims=True)
        self.dinputs = dvalues @ self.weights.T if input_gradient else None
        return self.dinputs

    def penalty(self):
        """``l1 * sum|W| + l2 * sum W**2``: what this layer adds to the loss."""
        total = 0.0
        if self.l1:
            total += self.l1 * float(np.abs(self.weights).sum())
        if self.l2:
            total += self.l2 * float(np.square(self.weights).sum())
        return total

    def config(self):
        config = {"n_inputs": self.n_inputs, "n_neurons": self.n_neurons}
        config.update({name: getattr(self, name) for name in ("l1", "l2") if getattr(self, name)})
        if self.weights.dtype != np.float64:  # so that nnlib.load rebuilds a float32 layer
            config["dtype"] = self.weights.dtype.name
        return config

    def _shape_message(self, shape):
        name = f"Dense({self.n_inputs} -> {self.n_neurons})"
        weights = f"its weights are {self.weights.shape}"
        if len(shape) != 2:
            return (
                f"{name} got inputs of shape {shape}, but it needs a 2-D array "
                f"(n_samples, {self.n_inputs}); for one sample use x.reshape(1, -1) "
                f"({weights})"
            )
        return (
            f"{name} got inputs of shape {shape}: the inputs have {shape[1]} features per "
            f"sample but the layer expects {self.n_inputs} ({weights})"
        )


class Dropout(Layer):
    """Randomly zero a fraction ``rate`` of the inputs while training ("inverted dropout").

    The kept values are divided by ``1 - rate`` so that every value keeps its expected size;
    in evaluation mode (``model.eval()``) the layer passes its inputs through unchanged, so
    predictions are deterministic and need no rescaling.

    ``freeze_mask = True`` reuses the last mask while the input shape is unchanged; the
    gradient check uses it so that repeated forward passes see the same network.
    """

    def __init__(self, rate, *, rng=None):
        super().__init__()
        self.rate = fraction(rate, "Dropout rate")
        self.rng = np.random.default_rng(rng)
        self.mask = None
        self.freeze_mask = False

    def forward(self, inputs):
        inputs = self._take_inputs(inputs)
        if not self.training or self.rate == 0.0:
            self.mask = None
            self.output = inputs
            return self.output
        if not (self.freeze_mask and self.mask is not None and self.mask.shape == inputs.shape):
            keep = self.rng.random(inputs.shape) >= self.rate
            self.mask = keep.astype(inputs.dtype) / (1.0 - self.rate)
        self.output = inputs * self.mask
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = dvalues if self.mask is None else dvalues * self.mask
        return self.dinputs

    def config(self):
        return {"rate": self.rate}

