"""A TensorFlow-Playground-like playground on nnlib (chapter 09).

    from nnlib.playground import Playground
    Playground()

- ``Playground``: the widget (``nnlib.playground.widget``);
- ``Session``: data, model and training without widgets (``nnlib.playground.session``);
- ``PlaygroundConfig``: every setting, with JSON round trip (``nnlib.playground.config``);
- ``Features``: the input-feature layer x1, x2, x1², x2², x1·x2, sin x1, sin x2;
- ``load_csv``: the learner's own points from a CSV file or text.
"""

from .config import PlaygroundConfig
from .datasets import EXTENT, generate, load_csv
from .features import FEATURE_NAMES, FEATURES, Features, compute_features, feature_label
from .network import build_loss, build_model, build_optimizer, model_code
from .session import Session
from .widget import Playground

__all__ = [
    "Playground", "Session", "PlaygroundConfig", "Features", "FEATURES", "FEATURE_NAMES",
    "compute_features", "feature_label", "load_csv", "generate", "EXTENT", "build_model",
    "build_loss", "build_optimizer", "model_code",
]
