"""``Playground``: TensorFlow Playground inside JupyterLab, on nnlib.

    from nnlib.playground import Playground
    Playground()                                  # displays itself
    Playground(dataset="spiral", n_classes=3, hidden=[8, 8], optimizer="adam")

Every control has a readable label and is a standard ipywidgets control, so it works with the
keyboard (Tab to move, Space/Enter on buttons, arrow keys on sliders and radio buttons).
Pictures are numpy arrays pushed as PNG into ``ipywidgets.Image`` (the main one has the CSS
class ``nnlib-plot``). "Play" runs epochs as an asyncio task on the kernel's event loop,
yielding after every frame, so "Pause" and every other control keep working while it trains.
Without a widget front end (nbval, nbconvert, static pages) the display shows a PNG of the
current state with alt text.
"""

import asyncio
import base64
import html

import numpy as np

from ..live import Redrawer, label_controls, running_loop
from ..plotting import png_bundle
from ..raster import encode_png
from .config import (
    CLASSIFICATION_DATASETS,
    MAX_CLASSES,
    MAX_LAYERS,
    MAX_NEURONS,
    MULTICLASS_DATASETS,
    REGRESSION_DATASETS,
    PlaygroundConfig,
)
from .datasets import load_csv
from .features import FEATURE_NAMES, feature_label
from .frame import FrameDrawer, compose
from .session import Session

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
DATASET_LABELS = {"circle": "Circle", "xor": "XOR", "gaussian": "Gaussian", "spiral": "Spiral",
                  "moons": "Moons", "own": "My points", "plane": "Plane",
                  "multi_gaussian": "Multi-Gaussian"}
ACTIVATION_LABELS = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid",
                     "leaky_relu": "Leaky ReLU", "linear": "Linear"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam",
                    "rmsprop": "RMSprop"}
REGULARIZATION_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}


class Playground:
    """The playground widget. ``Playground(config=None, **settings)``.

    ``config`` is a ``PlaygroundConfig`` (default: TF Playground's opening set-up);
    ``settings`` change single settings, e.g. ``Playground(dataset="xor", hidden=[4])``.
    The buttons call ``play()``, ``pause()``, ``step()``, ``reset()``, ``regenerate()``,
    ``add_layer()``, ``remove_layer()``, ``add_point(...)``, ``load_own_data(...)``,
    ``to_json()`` / ``load_json(...)`` and ``export_model(...)``, which can be called from code
    too. ``session`` holds the data, the model and the loss history.
    """

    def __init__(self, config=None, **settings):
        config = config if config is not None else PlaygroundConfig()
        if not isinstance(config, PlaygroundConfig):
            raise TypeError(f"config must be a PlaygroundConfig, got {type(config).__name__}")
        if settings:
            config = config.replace(**settings)
        self.session = Session(config)
        self.drawer = FrameDrawer()
        self.frame = None
        self.playing = False
        self._task = None
        self._syncing = False
        self.epochs_per_frame = 1
        self._build()
        self.redrawer = Redrawer(self._render, on_error=self._show_error)
        self._sync_controls()
        self.redraw(now=True)

    # --- configuration ------------------------------------------------------------------
    @property
    def config(self):
        return self.session.config

    def to_json(self):
        """The whole configuration (seed and own points included) as JSON text."""
        return self.config.to_json()

    @classmethod
    def from_json(cls, text):
        """A new playground from JSON written by ``to_json``."""
        return cls(PlaygroundConfig.from_json(text))

    def load_json(self, text):
        """Switch this playground to the configuration in ``text`` (restarts at epoch 0)."""
        self.apply(PlaygroundConfig.from_json(text))

    def apply(self, config):
        """Restart with ``config``: new data, fresh weights, epoch 0 (keeps playing if it was)."""
        self.session = Session(config)
        self._sync_controls()
        self._say("")
        self.redraw(now=not self.playing)

    def update(self, **changes):
        """Change settings; the learning rate and batch size change without a restart (as in
        TF Playground), anything else restarts at epoch 0."""
        if set(changes) <= {"learning_rate", "batch_size"}:
            if "learning_rate" in changes:
                self.session.set_learning_rate(changes["learning_rate"])
            if "batch_size" in changes:
                self.session.set_batch_size(changes["batch_size"])
            self._sync_controls()
            return
        if set(changes) <= {"discretize", "show_test"}:
            self.session.config = self.config.replace(**changes)
            self._sync_controls()
            self.redraw()
            return
        self.apply(self.config.replace(**changes))

    # --- network shape ------------------------------------------------------------------
    def add_layer(self):
        """Add a hidden layer of 2 neurons (at most 6 layers)."""
        if len(self.config.hidden) >= MAX_LAYERS:
            raise ValueError(f"the playground allows at most {MAX_LAYERS} hidden layers")
        self.update(hidden=[*self.config.hidden, 2])

    def remove_layer(self):
        """Remove the last hidden layer (down to none: a linear model of the features)."""
        if not self.config.hidden:
            raise ValueError("there is no hidden layer left to remove")
        self.update(hidden=self.config.hidden[:-1])

    def set_neurons(self, layer, n_neurons):
        """Set the size of hidden layer ``layer`` (counting from 0) to 1-8 neurons."""
        hidden = list(self.config.hidden)
        if not 0 <= layer < len(hidden):
            raise ValueError(f"layer must be 0 to {len(hidden) - 1}, got {layer}")
        hidden[layer] = n_neurons
        self.update(hidden=hidden)

    # --- own data -----------------------------------------------------------------------
    def add_point(self, x1, x2, label):
        """Add one of your own points (a class 0-3, or a target value for regression) and
        train on your points as soon as they make a usable data set."""
        row = [float(x1), float(x2), float(label)]
        if not all(np.isfinite(row)):
            raise ValueError(f"a point needs finite numbers, got {row}")
        self._use_own_points([*self.config.own_points, row])

    def clear_points(self):
        """Forget your own points (and go back to the first data set if they were in use)."""
        changes = {"own_points": []}
        if self.config.dataset == "own":
            changes["dataset"] = None  # the problem's first data set
        self.update(**changes)

    def load_own_data(self, path_or_text):
        """Replace your points with a CSV (path, text or uploaded bytes) of ``x1, x2, label``
        rows, see ``load_csv``; then train on them."""
        X, y = load_csv(path_or_text)
        self._use_own_points(np.column_stack([X, y]).tolist())
        return len(X)

    def _use_own_points(self, points):
        try:
            self.apply(self.config.replace(own_points=points, dataset="own"))
        except ValueError as error:  # e.g. one class only so far: keep the points, say why
            self.session.config = self.config.replace(own_points=points)
            self._sync_controls()
            self._say(f"{len(points)} own point(s) kept, not used yet: {error}")
            return
        self._say(f"training on your {len(points)} point(s)")

    # --- training -----------------------------------------------------------------------
    def step(self):
        """Train one epoch and redraw."""
        self.advance()

    def advance(self):
        """One frame of Play: ``epochs_per_frame`` epochs, then a full redraw (PNG encoded)."""
        train_loss, test_loss = self.session.step(self.epochs_per_frame)
        if not (np.isfinite(train_loss) and np.isfinite(test_loss)):
            self.pause()
            self._say("the loss is no longer a finite number: lower the learning rate, "
                      "then press Reset")
        self.redraw(now=True)

    def play(self):
        """Train continuously on the kernel's event loop until ``pause()``."""
        if self.playing:
            return
        loop = running_loop()
        if loop is None:
            raise RuntimeError("play() trains in the background of a Jupyter kernel; in a "
                               "script call step() in a loop instead")
        self.playing = True
        self._update_buttons()
        self._task = loop.create_task(self._play())

    async def _play(self):
        try:
            while self.playing:
                self.advance()
                await asyncio.sleep(0)  # let the kernel handle clicks (Pause!) between frames
        except Exception as error:  # a background task has nowhere else to report
            self._show_error(error)
        finally:
            self.playing = False
            self._update_buttons()

    def pause(self):
        """Stop playing after the current frame."""
        self.playing = False
        self._update_buttons()

    def reset(self):
        """Pause, then back to epoch 0 with the same seed's data and initial weights."""
        self.pause()
        self.apply(self.config)

    def regenerate(self):
        """New data (and new initial weights) from the next seed."""
        self.update(seed=(self.config.seed + 1) % 2**32)

    # --- keeping ------------------------------------------------------------------------
    def export_model(self, path=None):
        """The trained model: writes ``nn.save`` output to ``path`` if given and returns the
        Python code that rebuilds the model and loads those parameters."""
        target = path or "playground_model.npz"
        if path is not None:
            with open(path, "wb") as file:
                file.write(self.session.model_bytes())
        return self.session.model_code(str(target))

    def snapshot(self):
        """The current pictures, freshly drawn, in one RGB uint8 array (for static pages)."""
        self.redraw(now=True)
        return compose(self.frame)

    def describe(self):
        """One sentence describing the current state (alt text)."""
        config, session = self.config, self.session
        shape = "-".join(str(n) for n in [len(config.features), *config.hidden,
                                          session.n_outputs])
        return (f"Playground: {DATASET_LABELS[config.dataset]} data, a {shape} network "
                f"({config.activation}) after {session.epoch} epochs, training loss "
                f"{session.history['train_loss'][-1]:.3f}, test loss "
                f"{session.history['test_loss'][-1]:.3f}; left the data and the network's "
                f"answer, right each neuron's output and the weights.")

    # --- drawing ------------------------------------------------------------------------
    def redraw(self, now=False):
        """Redraw (at once with ``now``, else merged with other requests)."""
        self.redrawer.request()
        if now:
            self.redrawer.flush()

    def _render(self):
        self.frame = self.drawer.draw(self.session)
        for image, name in ((self.image, "boundary"), (self.diagram, "diagram"),
                            (self.chart, "chart")):
            picture = self.frame[name]
            image.value = encode_png(picture)
            width = f"{picture.shape[1]}px"  # show every picture at its own size, never stretched
            if image.layout.width != width:
                image.layout.width = width
        session = self.session
        self.counter.value = f"epoch {session.epoch}"
        numbers = (f"training loss {session.history['train_loss'][-1]:.4f} · test loss "
                   f"{session.history['test_loss'][-1]:.4f}")
        if session.is_classification:
            numbers += (f" · test accuracy "
                        f"{session.accuracy(session.X_test, session.y_test):.1%}")
        self.numbers.value = numbers

    def _show_error(self, error):
        self._say(f"{type(error).__name__}: {error}")

    def _say(self, text):
        self.status.value = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = png_bundle(encode_png(self.snapshot()), self.describe())
        data.update({k: v for k, v in self.widget._repr_mimebundle_().items()
                     if k != "text/plain"})
        return data

    def __repr__(self):
        return self.describe()

    # --- the controls -------------------------------------------------------------------
    def _build(self):
        import ipywidgets as w

        def button(description, tooltip, action, icon=""):
            b = w.Button(description=description, tooltip=tooltip, icon=icon,
                         layout=w.Layout(width="auto"))
            b.on_click(lambda _: self._guarded(action))
            return b

        self.play_button = button("Play", "Train continuously until paused", self.play, "play")
        self.pause_button = button("Pause", "Stop training", self.pause, "pause")
        self.step_button = button("Step", "Train one epoch", self.step, "step-forward")
        self.reset_button = button("Reset", "Fresh weights, epoch 0", self.reset, "undo")
        self.counter = w.Label(value="epoch 0")
        self.counter.add_class("nnlib-epoch")
        self.numbers = w.Label(value="", layout=w.Layout(margin="0 0 0 16px"))

        c = self.controls = {}
        c["problem"] = w.Dropdown(options=[("Classification", "classification"),
                                           ("Regression", "regression")],
                                  description="Problem")
        c["dataset"] = w.RadioButtons(options=[], description="Data set")
        c["n_classes"] = w.IntSlider(min=2, max=MAX_CLASSES, description="Classes")
        c["noise"] = w.IntSlider(min=0, max=50, step=5, description="Noise %")
        c["train_percent"] = w.IntSlider(min=10, max=90, step=10,
                                         description="Training data %")
        c["n_samples"] = w.IntSlider(min=100, max=1000, step=100, description="Points")
        c["seed"] = w.BoundedIntText(min=0, max=2**32 - 1, description="Seed")
        self.regenerate_button = button("Regenerate", "New data from the next seed",
                                        self.regenerate, "refresh")
        self.feature_boxes = {name: w.Checkbox(description=feature_label(name), indent=False,
                                               layout=w.Layout(width="90px"))
                              for name in FEATURE_NAMES}
        self.add_layer_button = button("Add layer", "Add a hidden layer", self.add_layer,
                                       "plus")
        self.remove_layer_button = button("Remove layer", "Remove the last hidden layer",
                                          self.remove_layer, "minus")
        self.layers_label = w.Label()
        self.layer_sliders = [w.IntSlider(min=1, max=MAX_NEURONS,
                                          description=f"Layer {i + 1} neurons")
                              for i in range(MAX_LAYERS)]
        c["activation"] = w.Dropdown(options=[(v, k) for k, v in ACTIVATION_LABELS.items()],
                                     description="Activation")
        c["optimizer"] = w.Dropdown(options=[(v, k) for k, v in OPTIMIZER_LABELS.items()],
                                    description="Optimiser")
        c["learning_rate"] = w.Dropdown(options=[], description="Learning rate")
        c["batch_size"] = w.IntSlider(min=1, max=100, description="Batch size")
        c["regularization"] = w.Dropdown(
            options=[(v, k) for k, v in REGULARIZATION_LABELS.items()],
            description="Regularisation")
        c["reg_rate"] = w.Dropdown(options=[], description="Regularisation rate")
        c["dropout"] = w.FloatSlider(min=0.0, max=0.9, step=0.05, description="Dropout rate")
        c["discretize"] = w.Checkbox(description="Discretise output")
        c["show_test"] = w.Checkbox(description="Show test data")

        for name, control in c.items():
            control.observe(lambda change, name=name: self._on_control(name, change["new"]),
                            names="value")
        for box in self.feature_boxes.values():
            box.observe(lambda _: self._on_shape(), names="value")
        for slider in self.layer_sliders:
            slider.observe(lambda _: self._on_shape(), names="value")

        # own points: a CSV upload, pasted CSV text, or one point at a time
        self.upload = w.FileUpload(accept=".csv,text/csv,text/plain", multiple=False,
                                   description="Upload CSV")
        self.upload.observe(lambda change: self._guarded(self._on_upload, change["new"]),
                            names="value")
        self.csv_text = w.Textarea(description="CSV text",
                                   placeholder="x1,x2,label\n-2.5,1.0,0\n3.0,-1.5,1")
        self.load_csv_button = button("Load CSV text", "Use the pasted rows as your points",
                                      lambda: self.load_own_data(self.csv_text.value), "upload")
        self.point_x1 = w.FloatText(value=0.0, description="x1")
        self.point_x2 = w.FloatText(value=0.0, description="x2")
        self.point_label = w.FloatText(value=0.0, description="Class or value")
        self.add_point_button = button(
            "Add point", "Add the point (x1, x2) with this class (0-3) or regression value",
            lambda: self.add_point(self.point_x1.value, self.point_x2.value,
                                   self.point_label.value), "plus")
        self.clear_points_button = button("Clear my points", "Forget your own points",
                                          self.clear_points, "trash")
        self.points_label = w.Label()

        # keep: configuration JSON, model export
        self.config_text = w.Textarea(description="Configuration JSON",
                                      layout=w.Layout(width="95%", height="120px"))
        self.config_link = w.HTML()
        self.save_button = button("Save config", "Show the configuration as JSON",
                                  self._on_save, "save")
        self.load_button = button("Load config", "Apply the JSON in the box",
                                  lambda: self.load_json(self.config_text.value),
                                  "folder-open")
        self.code_text = w.Textarea(description="nnlib code",
                                    layout=w.Layout(width="95%", height="200px"))
        self.export_links = w.HTML()
        self.export_button = button("Export model", "The parameters (.npz) and the code that "
                                    "rebuilds the model", self._on_export, "download")

        self.image = w.Image(format="png")
        self.image.add_class("nnlib-plot")
        self.chart = w.Image(format="png")
        self.chart.add_class("nnlib-loss-chart")
        self.diagram = w.Image(format="png")
        self.diagram.add_class("nnlib-network")
        self.status = w.Label(value="")
        self.status.add_class("nnlib-status")

        label_controls([*c.values(), *self.layer_sliders, self.csv_text, self.point_x1,
                        self.point_x2, self.point_label, self.config_text, self.code_text])
        for control in [*c.values(), *self.layer_sliders]:
            if not isinstance(control, w.Checkbox):
                control.layout.width = "98%"  # fit the column instead of a fixed 300 px
        own = w.VBox([w.HTML("<b>Your own points</b>: upload or paste a CSV of "
                             "<code>x1,x2,label</code> rows, or add points one by one "
                             "(the view spans −6 to 6)."),
                      self.upload, self.csv_text, w.HBox([self.load_csv_button]),
                      self.point_x1, self.point_x2, self.point_label,
                      w.HBox([self.add_point_button, self.clear_points_button]),
                      self.points_label])
        keep = w.VBox([w.HBox([self.save_button, self.load_button]), self.config_text,
                       self.config_link, w.HBox([self.export_button]), self.code_text,
                       self.export_links])
        extras = w.Accordion(children=[own, keep])
        extras.set_title(0, "My own data")
        extras.set_title(1, "Save, load and export")

        data_column = w.VBox([w.HTML("<b>Data</b>"), c["problem"], c["dataset"],
                              c["n_classes"], c["noise"], c["train_percent"], c["n_samples"],
                              c["seed"], w.HBox([self.regenerate_button])],
                             layout=w.Layout(width="270px", margin="0 12px 0 0"))
        picture_column = w.VBox([self.image, self.chart, c["discretize"], c["show_test"]],
                                layout=w.Layout(margin="0 12px 0 0"))
        network_column = w.VBox(
            [w.HTML("<b>Input features</b>"),
             w.HBox(list(self.feature_boxes.values()), layout=w.Layout(flex_flow="row wrap")),
             w.HTML("<b>Network</b>"),
             w.HBox([self.add_layer_button, self.remove_layer_button]), self.layers_label,
             *self.layer_sliders, c["activation"], c["dropout"],
             w.HTML("<b>Training</b>"), c["optimizer"], c["learning_rate"], c["batch_size"],
             c["regularization"], c["reg_rate"]],
            layout=w.Layout(width="310px"))
        run_bar = w.HBox([self.play_button, self.pause_button, self.step_button,
                          self.reset_button, self.counter, self.numbers],
                         layout=w.Layout(align_items="center", flex_flow="row wrap"))
        self.widget = w.VBox([
            run_bar,
            w.HBox([data_column, picture_column, network_column],
                   layout=w.Layout(flex_flow="row wrap")),
            self.diagram, self.status, extras,
        ])
        self.widget.add_class("nnlib-widget")
        self.widget.add_class("nnlib-playground")

    def _guarded(self, action, *args):
        """Run a button's action; show a learner's mistake in the status line, not a trace."""
        try:
            action(*args)
        except (ValueError, TypeError, FileNotFoundError) as error:
            self._say(str(error))
            self._sync_controls()

    def _on_control(self, name, value):
        if self._syncing:
            return
        if name == "dataset" and value is None:
            return
        self._guarded(lambda: self.update(**{name: value}))

    def _on_shape(self):
        if self._syncing:
            return
        features = [name for name, box in self.feature_boxes.items() if box.value]
        hidden = [slider.value for slider in self.layer_sliders[:len(self.config.hidden)]]
        self._guarded(lambda: self.update(features=features, hidden=hidden))

    def _on_upload(self, files):
        if not files:
            return
        upload = files[0] if isinstance(files, (tuple, list)) else next(iter(files.values()))
        try:
            n = self.load_own_data(bytes(upload["content"]))
        finally:
            self.upload.value = ()  # so that choosing the same file again loads it again
        self._say(f"loaded {n} point(s) from {upload.get('name', 'the file')}")

    def _on_save(self):
        text = self.to_json()
        self.config_text.value = text
        self.config_link.value = _download_link("playground_config.json", text.encode(),
                                                "application/json")

    def _on_export(self):
        code = self.session.model_code("playground_model.npz")
        self.code_text.value = code
        self.export_links.value = (
            _download_link("playground_model.npz", self.session.model_bytes(),
                           "application/octet-stream") + " · "
            + _download_link("playground_model.py", code.encode(), "text/x-python"))

    def _sync_controls(self):
        """Make every control show the current configuration (without triggering changes)."""
        config = self.config
        c = self.controls
        self._syncing = True
        try:
            datasets = (CLASSIFICATION_DATASETS if config.problem == "classification"
                        else REGRESSION_DATASETS)
            options = [(DATASET_LABELS[name], name) for name in datasets]
            if list(c["dataset"].options) != options:
                c["dataset"].options = options
            c["learning_rate"].options = _numbers(LEARNING_RATES, config.learning_rate)
            c["n_samples"].max = max(1000, config.n_samples)  # room for a loaded setting
            c["batch_size"].max = max(100, config.batch_size)
            c["reg_rate"].options = _numbers(REG_RATES, config.reg_rate)
            for name, control in c.items():
                control.value = getattr(config, name)
            c["n_classes"].disabled = (config.problem != "classification"
                                       or config.dataset not in MULTICLASS_DATASETS
                                       or config.dataset == "own")
            c["reg_rate"].disabled = config.regularization == "none"
            for name, box in self.feature_boxes.items():
                box.value = name in config.features
            for i, slider in enumerate(self.layer_sliders):
                inside = i < len(config.hidden)
                slider.layout.display = None if inside else "none"
                if inside:
                    slider.value = config.hidden[i]
            n = len(config.hidden)
            self.layers_label.value = f"{n} hidden layer{'s' if n != 1 else ''}"
            self.add_layer_button.disabled = n >= MAX_LAYERS
            self.remove_layer_button.disabled = n == 0
            self.points_label.value = f"{len(config.own_points)} own point(s)"
        finally:
            self._syncing = False
        self._update_buttons()

    def _update_buttons(self):
        if not hasattr(self, "play_button"):
            return
        self.play_button.disabled = self.playing
        self.pause_button.disabled = not self.playing
        self.step_button.disabled = self.playing


def _numbers(choices, current):
    """Dropdown options for numbers, including ``current`` even if it is not a usual choice."""
    values = sorted(set(choices) | {float(current)})
    return [(f"{v:g}", v) for v in values]


def _download_link(filename, payload, mime):
    encoded = base64.b64encode(payload).decode("ascii")
    return (f'<a download="{html.escape(filename)}" href="data:{mime};base64,{encoded}" '
            f'target="_blank">Download {html.escape(filename)}</a>')
