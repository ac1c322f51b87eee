"""What can a small network represent?  Activation x hidden width, on three small data sets.

One hidden layer, ``Dense(n_in, width) -> activation -> Dense(width, 1)`` (plus a sigmoid for
the two classification sets), trained full-batch with Adam for a few hundred epochs: about
0.05 s per network, so the explorer trains on demand and remembers every network it trained.

- ``trained_net(dataset, activation, width)`` -> ``(model, history)`` (cached; do not train
  the returned model further);
- ``draw_capacity(dataset, activation, width)`` -> Figure: what the net computes, and its loss;
- ``draw_capacity_grid(dataset, activations, widths)`` -> Figure: one small panel per pair;
- ``capacity_picture(dataset, activation, width)`` -> uint8 RGB array of the same two panels,
  drawn without matplotlib (milliseconds), for the widget;
- ``CapacityExplorer(dataset, activation, width)``: menus for the data and the activation and
  buttons for the width in front of ``capacity_picture``; the score is in the status line.
"""

from functools import cache, lru_cache

import numpy as np

from .. import data, raster
from ..activations import LeakyReLU, Linear, ReLU, Sigmoid, Step, Tanh
from ..layers import Dense
from ..losses import BinaryCrossEntropy, MeanSquaredError, accuracy
from ..model import Sequential
from ..optim import Adam
from ..plotting import PALETTE, boundary_legend, decision_boundary_rgb
from ._image import ImageExplorer, blank, curve_panel

DATASETS = ("moons", "circles", "regression_1d")

#: the hidden activations on offer (LeakyReLU with a visible slope of 0.1)
ACTIVATIONS = {
    "linear": Linear,
    "step": Step,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky relu": lambda: LeakyReLU(0.1),
}

WIDTHS = (1, 2, 3, 4, 6, 8, 16, 32)

EPOCHS = 300
LEARNING_RATE = 0.05


def _check_choice(value, options, what):
    if value not in options:
        raise ValueError(f"{what} must be one of {tuple(options)!r}, but got {value!r}")
    return value


def _check_width(width):
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width (hidden neurons) must be a whole number >= 1, got {width!r}")
    return int(width)


@lru_cache(maxsize=8)
def load_dataset(name):
    """The data set ``name`` as ``(X, y)``: 200 points, fixed seed.

    moons / circles: X (200, 2), y (200,) of 0/1 labels; regression_1d: X (100, 1), y (100, 1),
    one period of a noisy sine wave with x rescaled from [0, 1] to [-2, 2] (inputs centred on 0
    and of size about 1 are easier to fit, as chapter 02 discusses).
    """
    _check_choice(name, DATASETS, "dataset")
    if name == "moons":
        X, y = data.moons(200, noise=0.15, rng=0)
    elif name == "circles":
        X, y = data.circles(200, noise=0.08, rng=0)
    else:
        X, y = data.regression_1d(100, noise=0.08, rng=0)
        X = 4.0 * X - 2.0
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def is_regression(dataset):
    """True for the regression data set (a linear output and MSE), False for the classifiers."""
    return _check_choice(dataset, DATASETS, "dataset") == "regression_1d"


def build_net(dataset, activation, width, seed=0):
    """An untrained one-hidden-layer ``Sequential`` for ``dataset``."""
    _check_choice(activation, ACTIVATIONS, "activation")
    width = _check_width(width)
    n_inputs = load_dataset(dataset)[0].shape[1]
    first = Dense(n_inputs, width, rng=seed)
    if is_regression(dataset):
        # Start each hidden neuron's switch point (where w * x + b = 0) at a random place
        # inside the data's range [-2, 2]; with zero biases every neuron would switch at x = 0
        # and the curve could bend only there at first.
        switch = np.random.default_rng(seed + 2).uniform(-2.0, 2.0, (1, width))
        first.biases[...] = -first.weights * switch
    layers = [first, ACTIVATIONS[activation](), Dense(width, 1, rng=seed + 1)]
    if not is_regression(dataset):
        layers.append(Sigmoid())
    return Sequential(*layers)


@lru_cache(maxsize=256)
def trained_net(dataset, activation, width, epochs=EPOCHS, seed=0):
    """Train (once, then from the cache) and return ``(model, history)``.

    Full-batch Adam (lr 0.05); binary cross-entropy for moons/circles, MSE for regression_1d.
    """
    X, y = load_dataset(dataset)
    model = build_net(dataset, activation, width, seed)
    loss = MeanSquaredError() if is_regression(dataset) else BinaryCrossEntropy()
    history = model.fit(X, y, loss=loss, optimizer=Adam(LEARNING_RATE), epochs=epochs,
                        batch_size=len(X), rng=seed)
    return model, history


def score(dataset, activation, width):
    """Training accuracy (classification) or MSE (regression) of the trained net, as a string."""
    model, _ = trained_net(dataset, activation, _check_width(width))
    X, y = load_dataset(dataset)
    if is_regression(dataset):
        return f"MSE {MeanSquaredError().forward(model.predict(X), y):.3f}"
    return f"accuracy {accuracy(model.predict(X), y):.2f}"


def plot_function(dataset, activation, width, ax, *, show_units=True, legend=True):
    """Draw what the trained net computes on ``ax``: decision regions, or the fitted curve.

    For regression, thin lines show each hidden neuron's contribution (its output times its
    outgoing weight); the fitted curve is their sum plus the output bias.
    """
    model, _ = trained_net(dataset, activation, _check_width(width))
    X, y = load_dataset(dataset)
    title = f"{activation}, {width} hidden: {score(dataset, activation, width)}"
    if not is_regression(dataset):
        extent = raster.padded_extent(X)
        box = ax.get_position()  # render at about the panel's pixel size: crisp markers
        size = (int(ax.figure.get_figwidth() * box.width * 90),
                int(ax.figure.get_figheight() * box.height * 90))
        radius = 3.5 if size[0] > 350 else 2.5
        ax.imshow(decision_boundary_rgb(model, X, y, resolution=size, extent=extent,
                                        radius=radius),
                  extent=extent, aspect="auto", interpolation="nearest")
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_title(title)
        return ax
    grid = np.linspace(-2.2, 2.2, 200)[:, None]
    hidden = model.layers[1].forward(model.layers[0].forward(grid))
    if show_units:
        parts = hidden * model.layers[2].weights[:, 0]
        ax.plot(grid[:, 0], parts, color=PALETTE[4], linewidth=0.8, alpha=0.7)
        ax.plot([], [], color=PALETTE[4], linewidth=0.8, label="one hidden neuron's share")
    ax.scatter(X[:, 0], y[:, 0], s=10, color="#4d4d4d", label="data")
    ax.plot(grid[:, 0], model.predict(grid)[:, 0], color=PALETTE[5], linewidth=2.5,
            label="network output")
    ax.set_ylim(-2.2, 2.2)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    if legend:
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    return ax


def draw_capacity(dataset="moons", activation="relu", width=4):
    """Figure: left, what the trained net computes; right, its training loss per epoch."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.8),
                                      gridspec_kw={"width_ratios": [1.5, 1]})
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.3)
    plot_function(dataset, activation, width, left)
    _, history = trained_net(dataset, activation, _check_width(width))
    right.plot(np.arange(1, len(history["loss"]) + 1), history["loss"], color=PALETTE[0])
    right.set_yscale("log")
    right.yaxis.set_minor_formatter(NullFormatter())
    right.set_xlabel("epoch")
    right.set_ylabel("training loss (log scale)")
    right.set_title("training loss")
    return fig


def draw_capacity_grid(dataset="moons", activations=("linear", "tanh", "relu"),
                       widths=(1, 3, 16)):
    """Figure: one panel per (activation, width), activations down, widths across."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(activations), len(widths), squeeze=False,
                             figsize=(3.3 * len(widths), 2.9 * len(activations)))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.07, top=0.94, wspace=0.3, hspace=0.45)
    for row, activation in enumerate(activations):
        for col, width in enumerate(widths):
            ax = axes[row, col]
            plot_function(dataset, activation, width, ax, show_units=False, legend=False)
            ax.title.set_fontsize(9)
            ax.tick_params(labelsize=7)
            ax.set_xlabel(ax.get_xlabel(), fontsize=8)
            ax.set_ylabel(ax.get_ylabel(), fontsize=8)
    return fig


# --------------------------------------------------------------------------------------------
# fast picture for the widget (RGB arrays)

PANEL = (300, 230)
_UNIT_COLOUR = raster.lighten(raster.hex_to_rgb(PALETTE[4]), 0.3)


@cache
def _function_frame(dataset):
    if is_regression(dataset):
        return raster.Frame((-2.2, 2.2, -2.2, 2.2), PANEL, xlabel="x", ylabel="y",
                            title="what the network computes",
                            legend=[("data", "#4d4d4d", "o"), ("network output", PALETTE[5], "-"),
                                    ("one neuron's share", PALETTE[4], "-")])
    X, y = load_dataset(dataset)
    return raster.Frame(raster.padded_extent(X), PANEL, title="what the network computes",
                        legend=boundary_legend(y, "auto"))


@cache
def _loss_frame():
    return raster.Frame((0.0, EPOCHS, 0.0, 1.0), PANEL, xlabel="epoch", ylabel="training loss",
                        title="training loss (cut at 1)")


def capacity_picture(dataset="moons", activation="relu", width=4):
    """uint8 picture (H, W, 3): what the trained net computes (left) and its loss (right)."""
    model, history = trained_net(dataset, activation, _check_width(width))
    X, y = load_dataset(dataset)
    frame = _function_frame(dataset)
    if is_regression(dataset):
        grid = np.linspace(-2.2, 2.2, 200)[:, None]
        hidden = model.layers[1].forward(model.layers[0].forward(grid))
        picture = blank(frame)
        for share in (hidden * model.layers[2].weights[:, 0]).T:
            rows, cols = frame.to_pixels(np.column_stack([grid[:, 0], np.clip(share, -3, 3)]))
            raster.draw_polyline(picture, rows, cols, _UNIT_COLOUR, width=1)
        rows, cols = frame.to_pixels(np.column_stack([X[:, 0], y[:, 0]]))
        raster.draw_markers(picture, rows, cols, np.full(3, 0.3), "o", radius=2)
        rows, cols = frame.to_pixels(np.column_stack([grid[:, 0], model.predict(grid)[:, 0]]))
        raster.draw_polyline(picture, rows, cols, raster.hex_to_rgb(PALETTE[5]), width=3)
        left = frame.compose(picture)
    else:
        left = frame.compose(decision_boundary_rgb(model, X, y, resolution=PANEL,
                                                   extent=frame.extent, radius=2.5))
    epochs = np.arange(1, len(history["loss"]) + 1)
    right = curve_panel(_loss_frame(), curves=[(epochs, np.asarray(history["loss"]),
                                                PALETTE[0], 0)])
    return raster.side_by_side(left, right)


class CapacityExplorer(ImageExplorer):
    """Pick a data set, a hidden activation and a hidden width; see what the net learns.

    Each new combination is trained on demand (a twentieth of a second or so) and remembered.
    The width is chosen with buttons: its values are few and far apart (1 to 32).
    """

    def __init__(self, dataset="moons", activation="relu", width=4):
        import ipywidgets as widgets

        _check_choice(dataset, DATASETS, "dataset")
        _check_choice(activation, ACTIVATIONS, "activation")
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {WIDTHS}, but got {width!r}")
        controls = {
            "dataset": widgets.Dropdown(options=DATASETS, value=dataset, description="data"),
            "activation": widgets.Dropdown(options=tuple(ACTIVATIONS), value=activation,
                                           description="activation"),
            "width": widgets.ToggleButtons(options=WIDTHS, value=width,
                                           description="hidden width",
                                           style={"button_width": "34px"}),
        }
        super().__init__(capacity_picture, controls, alt=self._alt, status=self._score)

    @staticmethod
    def _score(dataset, activation, width):
        return f"{activation}, {width} hidden neurons: training {score(dataset, activation, width)}"

    @staticmethod
    def _alt(dataset, activation, width):
        return (f"Left: what a one-hidden-layer net with {width} {activation} neurons learned "
                f"on the {dataset} data ({score(dataset, activation, width)}); right: its "
                "training loss per epoch.")
