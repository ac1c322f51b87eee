"""Numerical gradient checks: is a backward pass right? Compare it with finite differences.

For each number x in an input or parameter, the centred difference
(f(x + h) - f(x - h)) / 2h estimates df/dx with an error of order h**2. With h = 1e-5 in
float64 a correct backward pass agrees to a relative error of about 1e-7 or better:

    relative error = max |analytic - numeric| / max(|analytic| + |numeric|, 1e-12)

- below 1e-7: correct;   around 1e-4: suspicious (or a kink such as ReLU at 0 was crossed);
- above 1e-2: the backward pass is almost certainly wrong.
"""

import numpy as np

from .checks import as_float_array
from .losses import Loss
from .model import Sequential


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of the scalar function ``f()`` w.r.t. array ``x``.

    ``x`` is changed in place, one element at a time, and restored afterwards.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + h
        f_plus = f()
        flat_x[i] = original - h
        f_minus = f()
        flat_x[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """Largest element-wise relative difference between two gradients (0 when both are 0)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    return float(np.max(np.abs(analytic - numeric) / scale)) if analytic.size else 0.0


def gradcheck(item, inputs, y_true=None, *, h=1e-5, rng=0):
    """Check the backward pass of a layer, a ``Sequential`` model or a loss.

    - For a layer or model: ``gradcheck(layer, X)`` uses the scalar
      ``f = sum(forward(X) * G) + penalty`` with a fixed random ``G`` as upstream gradient,
      and checks ``dinputs`` and every parameter's gradient.
    - For a loss: ``gradcheck(loss_fn, y_pred, y_true)`` checks ``backward()`` w.r.t. y_pred.

    Returns a dict such as ``{"inputs": 3e-10, "weights": 1e-10, "biases": 8e-12}`` of
    relative errors (``layer2.weights`` style names for a model). Everything runs in float64.
    """
    inputs = as_float_array(inputs, "gradcheck inputs", np.float64).copy()
    if isinstance(item, Loss):
        return _check_loss(item, inputs, y_true, h)
    if y_true is not None:
        raise TypeError("y_true is only for losses; a layer check needs only the inputs")
    return _check_layer(item, inputs, h, np.random.default_rng(rng))


def _check_loss(loss_fn, y_pred, y_true, h):
    if y_true is None:
        raise TypeError(f"gradcheck of {loss_fn!r} needs y_true as well as y_pred")
    loss_fn.forward(y_pred, y_true)
    analytic = loss_fn.backward().copy()
    numeric = numerical_gradient(lambda: loss_fn.forward(y_pred, y_true), y_pred, h)
    return {"y_pred": relative_error(analytic, numeric)}


def _check_layer(item, inputs, h, rng):
    layers = item.layers if isinstance(item, Sequential) else [item]
    frozen = [layer for layer in layers if hasattr(layer, "freeze_mask")]
    for layer in frozen:
        layer.freeze_mask = True
    try:
        upstream = rng.standard_normal(item.forward(inputs).shape)

        def objective():
            return float(np.sum(item.forward(inputs) * upstream)) + item.penalty()

        item.forward(inputs)
        analytic = {"inputs": np.array(item.backward(upstream), dtype=np.float64)}
        named = _named_parameters(layers)
        for name, (layer, pname) in named.items():
            analytic[name] = np.array(getattr(layer, "d" + pname), dtype=np.float64)
        numeric_inputs = numerical_gradient(objective, inputs, h)
        errors = {"inputs": relative_error(analytic["inputs"], numeric_inputs)}
        for name, (layer, pname) in named.items():
            value = getattr(layer, pname)
            if value.dtype != np.float64:
                raise TypeError(f"gradcheck needs float64 parameters, but {name} is {value.dtype}")
            errors[name] = relative_error(analytic[name], numerical_gradient(objective, value, h))
        return errors
    finally:
        for layer in frozen:
            layer.freeze_mask = False


def _named_parameters(layers):
    single = len(layers) == 1
    named = {}
    for index, layer in enumerate(layers):
        for pname in layer.param_names:
            named[pname if single else f"layer{index}.{pname}"] = (layer, pname)
    return named
