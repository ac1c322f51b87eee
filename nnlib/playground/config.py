"""Everything that defines a playground run, as one validated, JSON-friendly object.

``PlaygroundConfig`` holds the data set (with its seed and the learner's own points), the
input features, the network and the training settings. ``to_json`` / ``from_json`` make a
round trip: the same JSON gives the same data, the same initial weights and, trained for the
same number of epochs without touching the controls, the same model.
"""

import json
from dataclasses import asdict, dataclass, field, fields
from numbers import Integral, Real

from .features import FEATURE_NAMES, check_feature_names

FORMAT = "nnlib-playground-1"

CLASSIFICATION_DATASETS = ("circle", "xor", "gaussian", "spiral", "moons", "own")
REGRESSION_DATASETS = ("plane", "multi_gaussian", "own")
#: data sets that can have more than two classes
MULTICLASS_DATASETS = ("gaussian", "spiral", "own")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu", "linear")
REGULARIZATIONS = ("none", "l1", "l2")
OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop")

MAX_LAYERS = 6
MAX_NEURONS = 8
MAX_CLASSES = 4


@dataclass
class PlaygroundConfig:
    """One playground set-up. Defaults follow TensorFlow Playground's opening screen.

    problem: ``"classification"`` (softmax output, cross-entropy) or ``"regression"``
        (one linear output, mean squared error).
    dataset: a name from ``CLASSIFICATION_DATASETS`` or ``REGRESSION_DATASETS`` (default:
        ``"circle"``, or ``"plane"`` for regression); ``"own"`` uses ``own_points``.
    n_classes: 2 to 4 (``gaussian`` and ``spiral``; other sets have 2).
    noise: 0 to 50, in per cent of the data's scale, as in TF Playground.
    train_percent: 10 to 90, the share of points used for training; the rest is the test set.
    n_samples: points generated in total (TF Playground uses 500).
    seed: seeds the data, the split, the initial weights, the batch order and dropout.
    features: input feature names, see ``nnlib.playground.FEATURES``.
    hidden: neurons per hidden layer, at most 6 layers of at most 8 neurons; [] is allowed.
    activation, regularization (``"none"``, ``"l1"``, ``"l2"``), reg_rate, dropout (0 to
    0.9, after every hidden layer), learning_rate, batch_size, optimizer.
    discretize: show the predicted class at full strength instead of shading by confidence.
    show_test: draw the test points (with a black outline) over the picture.
    own_points: the learner's points as ``[[x1, x2, label], ...]``.
    """

    problem: str = "classification"
    dataset: str = None
    n_classes: int = 2
    noise: int = 0
    train_percent: int = 50
    n_samples: int = 500
    seed: int = 0
    features: list = field(default_factory=lambda: ["x1", "x2"])
    hidden: list = field(default_factory=lambda: [4, 2])
    activation: str = "tanh"
    regularization: str = "none"
    reg_rate: float = 0.0
    dropout: float = 0.0
    learning_rate: float = 0.03
    batch_size: int = 10
    optimizer: str = "sgd"
    discretize: bool = False
    show_test: bool = False
    own_points: list = field(default_factory=list)

    def __post_init__(self):
        if self.dataset is None:
            self.dataset = "plane" if self.problem == "regression" else "circle"
        self.validate()

    # --- checks -------------------------------------------------------------------------
    def validate(self):
        """Raise ``ValueError``/``TypeError`` naming the first setting that is out of range."""
        _choice(self.problem, ("classification", "regression"), "problem")
        datasets = (CLASSIFICATION_DATASETS if self.problem == "classification"
                    else REGRESSION_DATASETS)
        _choice(self.dataset, datasets, f"dataset for {self.problem}")
        _int_in(self.n_classes, 2, MAX_CLASSES, "n_classes")
        _int_in(self.noise, 0, 50, "noise (per cent)")
        _int_in(self.train_percent, 10, 90, "train_percent")
        _int_in(self.n_samples, 10, 5000, "n_samples")
        _int_in(self.seed, 0, 2**32 - 1, "seed")
        self.features = list(check_feature_names(self.features))
        if not isinstance(self.hidden, (list, tuple)):
            raise TypeError(f"hidden must be a list of layer sizes such as [4, 2], got "
                            f"{self.hidden!r}")
        if len(self.hidden) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(self.hidden)}")
        for index, size in enumerate(self.hidden):
            _int_in(size, 1, MAX_NEURONS, f"hidden layer {index + 1} size")
        self.hidden = [int(size) for size in self.hidden]
        _choice(self.activation, ACTIVATIONS, "activation")
        _choice(self.regularization, REGULARIZATIONS, "regularization")
        _float_in(self.reg_rate, 0.0, 10.0, "reg_rate")
        _float_in(self.dropout, 0.0, 0.9, "dropout")
        _float_in(self.learning_rate, 1e-6, 10.0, "learning_rate")
        _int_in(self.batch_size, 1, 5000, "batch_size")
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        for name in ("discretize", "show_test"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be true or false, got {getattr(self, name)!r}")
        self.own_points = _own_points(self.own_points)
        if self.dataset == "own" and not self.own_points:
            raise ValueError("dataset 'own' needs own_points: load a CSV or add points first")

    @property
    def n_outputs(self):
        """Neurons in the output layer: one per class, or one for regression."""
        return self.n_classes if self.problem == "classification" else 1

    # --- JSON ---------------------------------------------------------------------------
    def to_dict(self):
        return {"format": FORMAT, **asdict(self)}

    def to_json(self, indent=1):
        """The whole configuration, seed and own points included, as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise TypeError(
                f"a playground configuration is a JSON object, got {type(data).__name__}"
            )
        data = dict(data)
        found = data.pop("format", FORMAT)
        if found != FORMAT:
            raise ValueError(f"this is not a playground configuration: format {found!r}, "
                             f"expected {FORMAT!r}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {unknown} in the configuration; known: "
                             f"{sorted(known)}")
        return cls(**data)

    @classmethod
    def from_json(cls, text):
        """Read a configuration written by ``to_json`` (raises ValueError with the reason)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"the configuration is not valid JSON: {error}") from None
        return cls.from_dict(data)

    def replace(self, **changes):
        """A validated copy with some settings changed. Changing the problem without naming a
        data set picks that problem's first data set when the current one does not fit."""
        settings = {**asdict(self), **changes}
        problem = settings["problem"]
        fits = REGRESSION_DATASETS if problem == "regression" else CLASSIFICATION_DATASETS
        if "dataset" not in changes and settings["dataset"] not in fits:
            settings["dataset"] = None
        return type(self)(**settings)


def _choice(value, options, name):
    if value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")


def _int_in(value, low, high, name):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")


def _float_in(value, low, high, name):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")


def _own_points(points):
    rows = []
    for index, row in enumerate(points):
        if len(row) != 3:
            raise ValueError(f"own point {index} must be [x1, x2, label], got {row!r}")
        for value in row:
            _float_in(value, -1e6, 1e6, f"own point {index}")
        rows.append([float(row[0]), float(row[1]), float(row[2])])
    return rows


__all__ = [
    "PlaygroundConfig", "FORMAT", "CLASSIFICATION_DATASETS", "REGRESSION_DATASETS",
    "MULTICLASS_DATASETS", "ACTIVATIONS", "REGULARIZATIONS", "OPTIMIZERS", "MAX_LAYERS",
    "MAX_NEURONS", "MAX_CLASSES", "FEATURE_NAMES",
]
