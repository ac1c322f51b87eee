"""Explorers for the first chapters: one neuron, one line, every weight of a small network.

Each explorer pairs a plain drawing function (returns a uint8 RGB picture, usable anywhere:
``nnlib.plotting.show(neuron_picture(...), alt=...)``) with sliders that redraw it live.

- ``NeuronExplorer(X, y)``: w1, w2, b and the activation of ONE neuron on 2-D data;
- ``LineExplorer()``: y = activation(w * x + b) for a single input;
- ``WeightExplorer(model, X, y)``: a slider per weight and bias of a small ``Sequential``.
"""

import numpy as np

from . import raster
from .activations import sigmoid
from .layers import Dense
from .live import LivePlot, label_controls
from .losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    accuracy,
)
from .model import Sequential, Trainer
from .plotting import (
    PALETTE,
    boundary_legend,
    class_colors,
    decision_boundary_rgb,
    draw_points,
    labels_of,
)

#: activation name -> (function of z, output value that separates the two classes)
ACTIVATIONS = {
    "step": (lambda z: (z > 0).astype(float), 0.5),
    "linear": (lambda z: z, 0.0),
    "sigmoid": (sigmoid, 0.5),
    "tanh": (np.tanh, 0.0),
    "relu": (lambda z: np.maximum(z, 0.0), 0.0),
}
#: y-range of each activation's plot
_OUTPUT_RANGE = {"step": (-0.15, 1.15), "sigmoid": (-0.15, 1.15), "tanh": (-1.15, 1.15),
                 "linear": (-5.0, 5.0), "relu": (-1.0, 5.0)}
PLOT_SIZE = 200
_GREY = np.array([0.55, 0.55, 0.55])
_DARK = np.array([0.1, 0.1, 0.1])


def signed(value):
    """" + 1.50" / " − 1.50": a term to append to a formula, with its sign spelled out."""
    return f" {'−' if value < 0 else '+'} {abs(value):.2f}"


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def _binary_data(X, y):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}")
    labels = labels_of(y)
    if len(labels) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(labels)}")
    if labels.min() < 0 or labels.max() > 1:
        raise ValueError("one neuron separates two classes: y must hold labels 0 and 1, got "
                         f"labels {sorted(set(labels.tolist()))}")
    return X, labels


def _ring_offsets(inner, outer):
    span = np.arange(-int(outer) - 1, int(outer) + 2)
    dy, dx = np.meshgrid(span, span, indexing="ij")
    d2 = dx**2 + dy**2
    return np.argwhere((d2 <= outer**2) & (d2 > inner**2)) - (int(outer) + 1)


def _stamp(picture, rows, cols, offsets, colour):
    if picture.dtype == np.uint8:
        colour = raster.to_uint8(colour)
    r = np.rint(rows).astype(np.intp)[:, None] + offsets[:, 0]
    c = np.rint(cols).astype(np.intp)[:, None] + offsets[:, 1]
    inside = (r >= 0) & (r < picture.shape[0]) & (c >= 0) & (c < picture.shape[1])
    picture[r[inside], c[inside]] = colour


def _sign_edges(z):
    """Boolean mask (H, W) of pixels where z changes sign to a right or lower neighbour."""
    positive = z > 0
    edge = np.zeros_like(positive)
    edge[:, :-1] |= positive[:, :-1] != positive[:, 1:]
    edge[:-1, :] |= positive[:-1, :] != positive[1:, :]
    return edge


def neuron_picture(X, y, w1, w2, b, activation="step", *, frames=None):
    """Two panels as one uint8 picture (H, W, 3): the input plane and the activation curve.

    Left: each point of the plane is shaded with the class the neuron picks there (z > 0:
    class 1), stronger where the output is further from the threshold; the dark line is
    z = w1*x1 + w2*x2 + b = 0; wrongly classified points get a black ring. Right: the
    activation curve with every data point placed at (z, output).
    ``frames`` is an optional dict used as a cache of the drawn axes.
    """
    X, labels = _binary_data(X, y)
    f, threshold = _activation(activation)
    frames = {} if frames is None else frames
    extent = raster.padded_extent(X)
    key = ("plane", extent)
    if key not in frames:
        frames[key] = raster.Frame(extent, PLOT_SIZE, title="the neuron's output over the inputs",
                                   legend=boundary_legend(labels, "binary"))
    plane = frames[key]
    grid = raster.grid_points(extent, PLOT_SIZE, PLOT_SIZE)
    z = (w1 * grid[:, 0] + w2 * grid[:, 1] + b).reshape(PLOT_SIZE, PLOT_SIZE)
    out = f(z)
    spread = np.abs(out - threshold).max()
    strength = np.abs(out - threshold) / spread if spread > 0 else np.zeros_like(out)
    colours = np.array([raster.hex_to_rgb(c) for c in class_colors(2)])
    base = np.where((z > 0)[..., None], colours[1], colours[0])
    alpha = (0.1 + 0.5 * np.clip(strength, 0, 1))[..., None]
    left = raster.to_uint8(1.0 - alpha * (1.0 - base))
    left[_sign_edges(z)] = raster.to_uint8(_DARK)
    draw_points(left, X, labels, extent, task="binary", radius=3)
    z_points = w1 * X[:, 0] + w2 * X[:, 1] + b
    wrong = (z_points > 0).astype(np.intp) != labels
    rows, cols = plane.to_pixels(X[wrong])
    _stamp(left, rows, cols, _ring_offsets(5.0, 6.5), _DARK)

    z_lim = 6.0
    lo, hi = _OUTPUT_RANGE[activation]
    key = ("curve", activation)
    if key not in frames:
        frames[key] = raster.Frame((-z_lim, z_lim, lo, hi), PLOT_SIZE,
                                   xlabel="z = w1·x1 + w2·x2 + b", ylabel="output",
                                   title=f"output = {activation}(z)")
    curve = frames[key]
    key = ("curve picture", activation)
    if key not in frames:  # the curve itself does not depend on the weights: draw it once
        empty = np.full((PLOT_SIZE, PLOT_SIZE, 3), 255, dtype=np.uint8)
        zs = np.linspace(-z_lim, z_lim, 400)
        rows, cols = curve.to_pixels(np.array([[-z_lim, threshold], [z_lim, threshold]]))
        raster.draw_polyline(empty, rows, cols, _GREY, width=1, dash=4)
        rows, cols = curve.to_pixels(np.column_stack([zs, f(zs)]))
        frames[key] = raster.draw_polyline(empty, rows, cols, _DARK, width=2)
    right = frames[key].copy()
    shown = np.column_stack([np.clip(z_points, -z_lim * 0.98, z_lim * 0.98), f(z_points)])
    shown[:, 1] = np.clip(shown[:, 1], lo, hi)
    draw_points(right, shown, labels, curve.extent, task="binary", radius=3)
    return raster.side_by_side(plane.compose(left), curve.compose(right))


class _OneNeuronExplorer(LivePlot):
    """Shared controls of the one-neuron explorers: a slider per number and an activation menu."""

    def _build_controls(self, numbers, activation):
        """``numbers`` maps a key to (label, start value); sliders run from -5 to 5."""
        import ipywidgets as widgets

        self.sliders = {
            key: widgets.FloatSlider(value=value, description=label, min=-5.0, max=5.0,
                                     step=0.05, readout_format=".2f")
            for key, (label, value) in numbers.items()
        }
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="activation")
        self.controls = list(self.sliders.values()) + [self.activation]
        label_controls(self.controls)
        for control in self.controls:
            control.observe(self.redraw, names="value")
        self._build([widgets.HBox(self.controls, layout=widgets.Layout(flex_flow="row wrap"))])


class NeuronExplorer(_OneNeuronExplorer):
    """Sliders w1, w2, b and an activation menu for ONE neuron on 2-D data with labels 0/1.

    The decision line (z = 0), the shading of the plane, the classified points and the
    neuron's output on the activation curve all move together.
    """

    def __init__(self, X, y, w1=1.0, w2=-1.0, b=0.0, activation="step"):

        self.X, self.labels = _binary_data(X, y)
        _activation(activation)
        self._frames = {}
        self._build_controls({"w1": ("weight w1", w1), "w2": ("weight w2", w2),
                              "b": ("bias b", b)}, activation)

    @property
    def values(self):
        values = {name: slider.value for name, slider in self.sliders.items()}
        return {**values, "activation": self.activation.value}

    def _n_correct(self):
        v = self.values
        z = v["w1"] * self.X[:, 0] + v["w2"] * self.X[:, 1] + v["b"]
        return int(np.sum((z > 0).astype(np.intp) == self.labels))

    def draw(self):
        return neuron_picture(self.X, self.labels, frames=self._frames, **self.values)

    def status_text(self):
        v = self.values
        n = len(self.labels)
        correct = self._n_correct()
        return (f"z = {v['w1']:.2f}·x1{signed(v['w2'])}·x2{signed(v['b'])}; output = "
                f"{v['activation']}(z).  {correct} of {n} points on their class's side "
                f"({correct / n:.0%}).")

    def describe(self):
        v = self.values
        line = f"{v['w1']:.2f}·x1{signed(v['w2'])}·x2{signed(v['b'])} = 0"
        return (f"Neuron explorer: the line {line} "
                f"splits the plane; {self._n_correct()} of {len(self.labels)} points lie on "
                f"their class's side. Right: the {v['activation']} activation with each point "
                "at its output.")


def line_picture(weight, bias, activation="linear", *, frames=None):
    """uint8 picture of y = activation(weight * x + bias) for x in [-5, 5].

    Grey dashed: activation(x) (weight 1, bias 0) for comparison; blue: the current line;
    dotted vertical: x = -bias / weight, where the activation's input is 0.
    """
    f, _ = _activation(activation)
    frames = {} if frames is None else frames
    if activation not in frames:
        lo, hi = _OUTPUT_RANGE[activation]
        frames[activation] = raster.Frame(
            (-5.0, 5.0, lo, hi), (280, 200), xlabel="input x", ylabel="output y",
            title=f"y = {activation}(w·x + b)",
            legend=[("w=1, b=0", "#8c8c8c", "--"), ("current", PALETTE[0], "-")])
    frame = frames[activation]
    picture = np.ones((frame.height, frame.width, 3))
    xs = np.linspace(-5.0, 5.0, 500)
    rows, cols = frame.to_pixels(np.column_stack([xs, f(xs)]))
    raster.draw_polyline(picture, rows, cols, _GREY, width=2, dash=6)
    if weight != 0 and -5 < -bias / weight < 5:
        lo, hi = frame.extent[2:]
        rows, cols = frame.to_pixels(np.array([[-bias / weight, lo], [-bias / weight, hi]]))
        raster.draw_polyline(picture, rows, cols, _DARK, width=1, dash=3)
    rows, cols = frame.to_pixels(np.column_stack([xs, f(weight * xs + bias)]))
    raster.draw_polyline(picture, rows, cols, raster.hex_to_rgb(PALETTE[0]), width=3)
    return frame.compose(picture)


class LineExplorer(_OneNeuronExplorer):
    """y = activation(weight * x + bias) on one input: the weight sets the slope
    (sensitivity), the bias shifts the curve sideways."""

    def __init__(self, weight=1.0, bias=0.0, activation="linear"):

        _activation(activation)
        self._frames = {}
        self._build_controls({"weight": ("weight w", weight), "bias": ("bias b", bias)},
                             activation)

    @property
    def values(self):
        return {"weight": self.sliders["weight"].value, "bias": self.sliders["bias"].value,
                "activation": self.activation.value}

    def draw(self):
        return line_picture(frames=self._frames, **self.values)

    def status_text(self):
        v = self.values
        where = (f"the input to {v['activation']} is 0 at x = {-v['bias'] / v['weight'] + 0.0:.2f}"
                 if v["weight"] else "with weight 0 the output ignores x")
        return f"y = {v['activation']}({v['weight']:.2f}·x{signed(v['bias'])}); {where}."

    def describe(self):
        return "Line explorer: " + self.status_text()


# --------------------------------------------------------------------------------------------
# WeightExplorer


def default_loss(model, X, y):
    """A sensible loss for ``model`` on ``y``: softmax cross-entropy for class scores,
    categorical / binary cross-entropy after a Softmax / Sigmoid, else mean squared error."""
    from .activations import Sigmoid, Softmax

    outputs = np.asarray(model.predict(np.asarray(X, dtype=float)[:2]))
    n_out = 1 if outputs.ndim == 1 else outputs.shape[1]
    last = model.layers[-1]
    y = np.asarray(y)
    integer_labels = y.dtype.kind in "iub" or np.all(y == np.rint(y))
    if isinstance(last, Softmax):
        return CategoricalCrossEntropy()
    if isinstance(last, Sigmoid) and integer_labels:
        return BinaryCrossEntropy()
    if n_out > 1 and integer_labels:
        return SoftmaxCrossEntropy()
    return MeanSquaredError()


class WeightExplorer(LivePlot):
    """A slider per weight and bias of a small ``Sequential`` on 2-D inputs, grouped by layer.

    Moving a slider writes the value into the model and redraws the decision boundary.
    "Randomise" draws new weights; "Train N steps" runs N full-batch optimizer steps (default
    Adam, lr 0.05), so hand-tuned and learned weights can be compared.
    """

    max_parameters = 80

    def __init__(self, model, X, y, *, loss=None, optimizer=None, train_steps=10,
                 resolution=PLOT_SIZE, rng=0):
        import ipywidgets as widgets

        from .optim import Adam

        if not isinstance(model, Sequential):
            raise TypeError(f"WeightExplorer needs an nnlib Sequential, got {type(model).__name__}")
        self.model, self.X, self.y = model, np.asarray(X, dtype=float), np.asarray(y)
        if self.X.ndim != 2 or self.X.shape[1] != 2:
            raise ValueError(
                f"WeightExplorer draws 2-D inputs: X must be (n, 2), got {self.X.shape}")
        dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        count = sum(layer.weights.size + layer.biases.size for layer in dense)
        if count > self.max_parameters:
            raise ValueError(f"this model has {count} weights and biases; a slider each is only "
                             f"readable up to {self.max_parameters} (try a 2-3-2 network)")
        self.loss = loss if loss is not None else default_loss(model, self.X, self.y)
        self.optimizer = optimizer if optimizer is not None else Adam(0.05)
        self.train_steps = int(train_steps)
        self.resolution = resolution
        self.rng = np.random.default_rng(rng)
        self._syncing = False
        self.extent = raster.padded_extent(self.X)
        task = "regression" if isinstance(self.loss, MeanSquaredError) else "auto"
        self._legend = boundary_legend(self.y, task)
        self._frame = raster.Frame(self.extent, resolution, title="decision boundary",
                                   legend=self._legend)
        self.sliders = []  # (slider, array, index)
        groups = []
        for number, layer in enumerate(dense, start=1):
            header = widgets.Label(value=f"Layer {number}: Dense({layer.n_inputs} → "
                                         f"{layer.n_neurons}) — w(i→j) joins input i to neuron j")
            row = []
            for i, j in np.ndindex(*layer.weights.shape):
                row.append(self._slider(f"L{number} w({i + 1}→{j + 1})", layer.weights, (i, j)))
            for j in range(layer.n_neurons):
                row.append(self._slider(f"L{number} bias {j + 1}", layer.biases, (0, j)))
            groups.append(widgets.VBox([header, widgets.HBox(
                row, layout=widgets.Layout(flex_flow="row wrap"))]))
        self.randomise_button = widgets.Button(
            description="Randomise", tooltip="Draw new random weights and biases", icon="random")
        self.train_button = widgets.Button(
            description=f"Train {self.train_steps} steps",
            tooltip=f"Run {self.train_steps} optimizer steps on all the data", icon="forward")
        self.randomise_button.on_click(lambda _: self.randomise())
        self.train_button.on_click(lambda _: self.train())
        self.controls = [s for s, _, _ in self.sliders] + [self.randomise_button, self.train_button]
        self._build(groups + [widgets.HBox([self.randomise_button, self.train_button])])

    def _slider(self, description, array, index):
        import ipywidgets as widgets

        value = float(array[index])
        limit = max(4.0, np.ceil(abs(value)))
        slider = widgets.FloatSlider(value=value, min=-limit, max=limit, step=0.01,
                                     description=description, readout_format=".2f",
                                     layout=widgets.Layout(width="300px"))
        label_controls([slider])

        def changed(change):
            if not self._syncing:
                array[index] = change["new"]
                self.redraw()

        slider.observe(changed, names="value")
        self.sliders.append((slider, array, index))
        return slider

    def _sync_sliders(self):
        """Copy the model's values into the sliders (widening a range when needed), then redraw."""
        self._syncing = True
        try:
            for slider, array, index in self.sliders:
                value = float(array[index])
                limit = max(4.0, float(np.ceil(abs(value))))
                if limit > slider.max:
                    slider.max, slider.min = limit, -limit
                slider.value = value
        finally:
            self._syncing = False
        self.redraw()

    def randomise(self):
        """New weights from N(0, 1) and biases from N(0, 0.5²); the optimizer forgets its state."""
        biases = {id(layer.biases) for layer in self.model.layers if isinstance(layer, Dense)}
        for _, array, index in self.sliders:
            array[index] = self.rng.normal(0.0, 0.5 if id(array) in biases else 1.0)
        self.optimizer.reset()
        self._sync_sliders()

    def train(self, steps=None):
        """Run ``steps`` (default ``train_steps``) full-batch optimizer steps."""
        trainer = Trainer(self.model, self.X, self.y, loss=self.loss, optimizer=self.optimizer,
                          batch_size=len(self.X))
        for _ in range(self.train_steps if steps is None else int(steps)):
            trainer.run_epoch()
        self._sync_sliders()

    def metrics(self):
        """Loss (and accuracy for classifiers) of the current weights on all the data."""
        output = self.model.predict(self.X)
        result = {"loss": self.loss.forward(output, self.y)}
        if self.loss.is_classification:
            result["accuracy"] = accuracy(output, self.y)
        return result

    def draw(self):
        task = "regression" if isinstance(self.loss, MeanSquaredError) else "auto"
        picture = decision_boundary_rgb(self.model, self.X, self.y, resolution=self.resolution,
                                        extent=self.extent, task=task, radius=3)
        return self._frame.compose(picture)

    def status_text(self):
        return ", ".join(f"{k} {v:.4f}" for k, v in self.metrics().items())

    def describe(self):
        return (f"Weight explorer: the decision boundary of a network with {len(self.sliders)} "
                f"weights and biases on {len(self.X)} points; {self.status_text()}.")
