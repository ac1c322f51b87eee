"""Build the playground's model, loss and optimizer from a configuration, and write the
nnlib code that rebuilds a trained model.

The model is ``Sequential(Features(names), Dense, activation, [Dropout], ..., Dense)``: raw
points (n_samples, 2) in, class scores (n_samples, n_classes) or one regression value
(n_samples, 1) out. Classifiers end without a softmax because ``SoftmaxCrossEntropy`` takes
the raw scores (as PyTorch's ``CrossEntropyLoss`` does); regressors end with ``Linear``.
"""

from .. import activations, layers, losses, optim
from ..model import Sequential
from .features import Features

ACTIVATION_LAYERS = {
    "tanh": activations.Tanh,
    "relu": activations.ReLU,
    "sigmoid": activations.Sigmoid,
    "leaky_relu": activations.LeakyReLU,
    "linear": activations.Linear,
}


def build_model(config, n_outputs, *, weights_rng, dropout_rng):
    """A fresh ``Sequential`` for ``config`` (a ``PlaygroundConfig``) with ``n_outputs`` outputs.

    Hidden Dense layers use He initialisation before ReLU-like activations and Glorot
    otherwise; L1/L2 penalties apply to every Dense layer's weights.
    """
    penalty = {config.regularization: config.reg_rate} if config.regularization != "none" else {}
    init = "he" if config.activation in ("relu", "leaky_relu") else "glorot"
    stack = [Features(config.features)]
    width = len(config.features)
    for size in config.hidden:
        stack.append(layers.Dense(width, size, init=init, rng=weights_rng, **penalty))
        stack.append(ACTIVATION_LAYERS[config.activation]())
        if config.dropout > 0:
            stack.append(layers.Dropout(config.dropout, rng=dropout_rng))
        width = size
    stack.append(layers.Dense(width, n_outputs, rng=weights_rng, **penalty))
    if config.problem == "regression":
        stack.append(activations.Linear())
    return Sequential(*stack)


def build_loss(problem):
    """``SoftmaxCrossEntropy`` for classification, ``MeanSquaredError`` for regression."""
    if problem == "classification":
        return losses.SoftmaxCrossEntropy()
    return losses.MeanSquaredError()


def build_optimizer(name, learning_rate):
    """``sgd``, ``momentum`` (SGD with momentum 0.9), ``adam`` or ``rmsprop``."""
    if name == "sgd":
        return optim.SGD(learning_rate)
    if name == "momentum":
        return optim.SGD(learning_rate, momentum=0.9)
    if name == "adam":
        return optim.Adam(learning_rate)
    if name == "rmsprop":
        return optim.RMSprop(learning_rate)
    raise ValueError(f"unknown optimizer {name!r}; choose sgd, momentum, adam or rmsprop")


def hidden_activations(model):
    """The activation layers after each hidden Dense layer, in order (their ``.output`` after a
    forward pass is each hidden neuron's output)."""
    found = []
    for previous, layer in zip(model.layers, model.layers[1:], strict=False):
        if isinstance(previous, layers.Dense) and type(layer) in ACTIVATION_LAYERS.values():
            found.append(layer)
    return found[: len(found) - (1 if isinstance(model.layers[-1], activations.Linear) else 0)]


def layer_code(layer):
    """One layer as the Python expression that builds it, e.g. ``nn.Dense(2, 4, l2=0.01)``."""
    config = layer.config()
    if isinstance(layer, Features):
        return f"Features({config['names']!r})"
    if isinstance(layer, layers.Dense):
        extra = "".join(f", {key}={config[key]!r}" for key in ("l1", "l2") if key in config)
        return f"nn.Dense({config['n_inputs']}, {config['n_neurons']}{extra})"
    arguments = ", ".join(f"{key}={value!r}" for key, value in config.items())
    return f"nn.{type(layer).__name__}({arguments})"


def model_code(model, *, path="playground_model.npz", problem="classification",
               optimizer="sgd", learning_rate=0.03, comment=""):
    """Python source that rebuilds ``model`` layer by layer and loads its parameters from the
    ``.npz`` file that ``nn.save(model, path)`` wrote. ``exec`` it to get ``model`` back."""
    lines = [f"# {comment}" if comment else "# A network built in the nnlib playground",
             "import numpy as np", "", "import nnlib as nn",
             "from nnlib.playground import Features", "", "model = nn.Sequential("]
    lines += [f"    {layer_code(layer)}," for layer in model.layers]
    lines += [
        ")",
        f"with np.load({path!r}) as archive:",
        "    model.load_state([archive[f'param_{i}'] for i in range(len(model.parameters()))])",
        "",
        "# To train it further as the playground did:",
        f"loss = nn.{type(build_loss(problem)).__name__}()",
        f"optimizer = {_optimizer_code(optimizer, learning_rate)}",
    ]
    if problem == "classification":
        lines.append("# Class probabilities for points X of shape (n, 2): "
                     "nn.Softmax().forward(model.predict(X))")
    else:
        lines.append("# Predictions for points X of shape (n, 2): model.predict(X), shape (n, 1)")
    return "\n".join(lines) + "\n"


def _optimizer_code(name, learning_rate):
    return {
        "sgd": f"nn.SGD(lr={learning_rate!r})",
        "momentum": f"nn.SGD(lr={learning_rate!r}, momentum=0.9)",
        "adam": f"nn.Adam(lr={learning_rate!r})",
        "rmsprop": f"nn.RMSprop(lr={learning_rate!r})",
    }[name]
