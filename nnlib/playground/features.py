"""The playground's input features, as an nnlib layer.

TensorFlow Playground lets the learner feed a network more than the raw coordinates: squares,
the product and sines of them. Here those inputs are one layer, ``Features``, placed first in
the model, so the model takes raw points ``(x1, x2)`` and a saved model (``nn.save``) carries
its features with it.

Each feature is a function of a point and has simple partial derivatives, so ``Features`` can
also pass gradients back to its inputs like every other layer.
"""

import numpy as np

from ..checks import as_float_array
from ..layer import Layer

#: name -> (label shown to the learner, value(x1, x2), d value/d x1, d value/d x2)
FEATURES = {
    "x1": ("x1", lambda a, b: a, lambda a, b: np.ones_like(a), lambda a, b: np.zeros_like(a)),
    "x2": ("x2", lambda a, b: b, lambda a, b: np.zeros_like(a), lambda a, b: np.ones_like(a)),
    "x1_squared": ("x1²", lambda a, b: a * a, lambda a, b: 2 * a, lambda a, b: np.zeros_like(a)),
    "x2_squared": ("x2²", lambda a, b: b * b, lambda a, b: np.zeros_like(a), lambda a, b: 2 * b),
    "x1_x2": ("x1·x2", lambda a, b: a * b, lambda a, b: b, lambda a, b: a),
    "sin_x1": ("sin x1", lambda a, b: np.sin(a), lambda a, b: np.cos(a),
               lambda a, b: np.zeros_like(a)),
    "sin_x2": ("sin x2", lambda a, b: np.sin(b), lambda a, b: np.zeros_like(a),
               lambda a, b: np.cos(b)),
}

FEATURE_NAMES = tuple(FEATURES)


def check_feature_names(names):
    """Return ``names`` as a tuple of known feature names (in the order given), or raise."""
    if isinstance(names, str):
        raise TypeError(f"features must be a list of names such as ['x1', 'x2'], got {names!r}")
    names = tuple(names)
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {unknown}; choose from {list(FEATURE_NAMES)}")
    if not names:
        raise ValueError("choose at least one input feature, e.g. ['x1', 'x2']")
    if len(set(names)) != len(names):
        raise ValueError(f"each feature may appear once, got {list(names)}")
    return names


def feature_label(name):
    """The label of a feature as the learner sees it, e.g. ``'x1²'`` for ``'x1_squared'``."""
    return FEATURES[name][0]


def compute_features(X, names):
    """Points X (n_samples, 2) -> features (n_samples, len(names)), one column per name."""
    names = check_feature_names(names)
    X = _points(X)
    a, b = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name][1](a, b) for name in names])


class Features(Layer):
    """Turn points (n_samples, 2) into the chosen features (n_samples, n_features).

    ``Features(["x1", "x2", "x1_squared"])`` maps (x1, x2) to (x1, x2, x1**2). It has no
    parameters; ``backward`` applies the chain rule through each feature, e.g. the column
    x1*x2 sends ``dvalue * x2`` to x1 and ``dvalue * x1`` to x2.
    """

    def __init__(self, names=("x1", "x2")):
        super().__init__()
        self.names = check_feature_names(names)

    @property
    def n_features(self):
        return len(self.names)

    def forward(self, inputs):
        """inputs (n_samples, 2) -> output (n_samples, n_features)."""
        self.inputs = _points(inputs)
        self.output = compute_features(self.inputs, self.names)
        return self.output

    def backward(self, dvalues):
        """dvalues (n_samples, n_features) -> dinputs (n_samples, 2)."""
        dvalues = self._take_dvalues(dvalues)
        a, b = self.inputs[:, 0], self.inputs[:, 1]
        self.dinputs = np.zeros_like(self.inputs)
        for column, name in enumerate(self.names):
            _, _, d_a, d_b = FEATURES[name]
            self.dinputs[:, 0] += dvalues[:, column] * d_a(a, b)
            self.dinputs[:, 1] += dvalues[:, column] * d_b(a, b)
        return self.dinputs

    def config(self):
        return {"names": list(self.names)}


def _points(X):
    X = as_float_array(X, "playground points X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"the playground works on 2-D points of shape (n_samples, 2), got shape {X.shape}"
        )
    return X
