"""Save a model to ``.npz`` and load it back, without pickle.

The file holds each parameter array under ``param_<i>`` and the architecture as a JSON string
(``architecture``): layer class names and the constructor arguments from ``layer.config()``.
``load`` rebuilds the model from that JSON and reads the arrays with ``allow_pickle=False``,
so opening a file from someone else cannot run their code.
"""

import json

import numpy as np

from .layer import Layer
from .model import Sequential

FORMAT = "nnlib-sequential-1"


def save(model, path):
    """Write ``model`` (a ``Sequential``) to ``path`` (``.npz`` is added if missing)."""
    if not isinstance(model, Sequential):
        raise TypeError(f"save expects an nnlib Sequential model, got {type(model).__name__}")
    architecture = {
        "format": FORMAT,
        "layers": [{"type": type(layer).__name__, "config": layer.config()} for layer in model],
    }
    arrays = {f"param_{i}": value for i, (value, _) in enumerate(model.parameters())}
    np.savez(path, architecture=np.array(json.dumps(architecture)), **arrays)


def load(path):
    """Rebuild a ``Sequential`` saved by ``save`` and return it."""
    with np.load(path, allow_pickle=False) as archive:
        if "architecture" not in archive:
            raise ValueError(f"{path} is not an nnlib model file: it has no 'architecture' entry")
        architecture = json.loads(str(archive["architecture"]))
        if architecture.get("format") != FORMAT:
            found = architecture.get("format")
            raise ValueError(f"{path} has format {found!r}, expected {FORMAT!r}")
        model = Sequential(*(_build(entry) for entry in architecture["layers"]))
        n_params = len(model.parameters())
        model.load_state([archive[f"param_{i}"] for i in range(n_params)])
    return model


def _build(entry):
    classes = _layer_classes()
    if entry["type"] not in classes:
        raise ValueError(f"unknown layer type {entry['type']!r} in the saved model")
    return classes[entry["type"]](**entry["config"])


def _layer_classes():
    found, todo = {}, [Layer]
    while todo:
        for cls in todo.pop().__subclasses__():
            found[cls.__name__] = cls
            todo.append(cls)
    return found
