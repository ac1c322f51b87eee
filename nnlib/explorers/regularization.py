"""Regularisation explorer (chapter 07): penalty and dropout against boundary, weights and gap.

The chapter's running example is a wide network on a small noisy spiral: a 2-64-64-3 ReLU
network, 150 training points, 75 validation points and 75 test points, trained full batch with
Adam for 300 epochs. One such training takes about 0.1-0.3 s, so the explorer retrains on
every change and still feels live (``python -m nnlib.explorers.regularization`` times it).

- ``spiral_split()`` -> ``Split(train, val, test)``: the chapter's data;
- ``build_model(hidden, l1=, l2=, dropout=, seed=)`` -> ``Sequential``: Dense + ReLU layers,
  each hidden layer optionally followed by ``Dropout``;
- ``train(model, parts)`` -> ``History``: full-batch Adam with validation data;
- ``trained(penalty, strength, dropout)`` -> ``Result``: a cached trained network;
- ``weight_values(model)``: every Dense weight in one 1-D array (biases excluded);
- ``draw_weights``, ``draw_gap``, ``draw_regularization``: matplotlib Figures, and
  ``draw_validation_points`` to add hollow markers to a decision-boundary plot;
- ``RegularizationExplorer(penalty, strength, dropout)``: controls over ``draw_regularization``;
- ``time_retrain()``: seconds per fresh training, for the benchmark above.
"""

import threading
import time
from collections import namedtuple
from functools import lru_cache

import numpy as np

from .. import data, raster
from ..activations import ReLU
from ..layers import Dense, Dropout
from ..live import LivePlot, label_controls, picture_png, running_loop
from ..losses import SoftmaxCrossEntropy, accuracy
from ..model import Sequential
from ..optim import Adam
from ..plotting import PALETTE, decision_boundary_rgb

HIDDEN = (64, 64)
EPOCHS = 300
LEARNING_RATE = 0.02
PENALTIES = ("L2", "L1")
#: penalty strengths offered by the explorer's slider (0 = no penalty)
STRENGTHS = (0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)

Result = namedtuple("Result", ["model", "history", "seconds", "train_accuracy", "val_accuracy"])


@lru_cache(maxsize=4)
def spiral_split(n_per_class=100, noise=0.1, seed=0):
    """The chapter's data: a 3-class spiral split 50 % / 25 % / 25 % into train / val / test.

    Each part is a ``Dataset(X, y)`` with X (n, 2) and y (n,) integer labels; with the
    defaults the parts hold 150, 75 and 75 points. The result is cached and shared: do not
    change its arrays in place.
    """
    X, y = data.spiral(n_per_class, 3, noise=noise, rng=seed)
    return data.split(X, y, val=0.25, test=0.25, rng=seed)


def build_model(hidden=HIDDEN, *, l1=0.0, l2=0.0, dropout=0.0, n_inputs=2, n_classes=3,
                seed=0):
    """Dense -> ReLU (-> Dropout) for each width in ``hidden``, then Dense to ``n_classes``.

    ``l1`` and ``l2`` go to every Dense layer (biases are never penalised); ``dropout`` is
    the rate of a Dropout layer after each hidden ReLU (none when 0). The output layer gives
    raw scores (logits) for ``SoftmaxCrossEntropy``. ``seed`` fixes every initial weight and
    every dropout mask.
    """
    layers, width_in = [], n_inputs
    for index, width in enumerate(hidden):
        layers += [Dense(width_in, width, init="he", l1=l1, l2=l2, rng=seed + index), ReLU()]
        if dropout:
            layers.append(Dropout(dropout, rng=seed + 100 + index))
        width_in = width
    layers.append(Dense(width_in, n_classes, l1=l1, l2=l2, rng=seed + len(hidden)))
    return Sequential(*layers)


def train(model, parts, *, epochs=EPOCHS, lr=LEARNING_RATE, early_stopping=None):
    """Full-batch Adam on ``parts.train``, validating on ``parts.val``; returns the History."""
    X_train, y_train = parts.train
    return model.fit(X_train, y_train, loss=SoftmaxCrossEntropy(), optimizer=Adam(lr),
                     epochs=epochs, batch_size=len(X_train), validation_data=tuple(parts.val),
                     early_stopping=early_stopping)


def _check_setting(penalty, strength, dropout):
    if penalty not in PENALTIES:
        raise ValueError(f"penalty must be one of {PENALTIES!r}, but got {penalty!r}")
    strength, dropout = float(strength), float(dropout)
    if not strength >= 0:
        raise ValueError(f"strength must be a number of at least 0, but got {strength!r}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a rate in [0, 1), but got {dropout!r}")
    return penalty, strength, dropout


def trained(penalty="L2", strength=0.0, dropout=0.0):
    """The chapter's network trained on ``spiral_split()`` with one penalty and dropout rate.

    Returns ``Result(model, history, seconds, train_accuracy, val_accuracy)``: ``seconds`` is
    the training time of the first call; the accuracies are measured after training in
    evaluation mode (dropout off), unlike ``history["accuracy"]``, which is measured while
    training, with dropout on. Results are cached, so do not train the returned model further.
    """
    return _trained(*_check_setting(penalty, strength, dropout))


@lru_cache(maxsize=64)
def _trained(penalty, strength, dropout):
    l1, l2 = (strength, 0.0) if penalty == "L1" else (0.0, strength)
    model = build_model(l1=l1, l2=l2, dropout=dropout)
    start = time.perf_counter()
    parts = spiral_split()
    history = train(model, parts)
    seconds = time.perf_counter() - start
    return Result(model, history, seconds, accuracy(model.predict(parts.train.X), parts.train.y),
                  accuracy(model.predict(parts.val.X), parts.val.y))


def weight_values(model):
    """Every weight of every Dense layer of ``model`` in one 1-D array (biases excluded)."""
    arrays = [layer.weights.ravel() for layer in model if isinstance(layer, Dense)]
    if not arrays:
        raise ValueError("the model has no Dense layer, so it has no weights to show")
    return np.concatenate(arrays)


def draw_weights(model, ax=None, *, reference=None, bins=None, title="weights"):
    """Histogram of ``weight_values(model)``; ``reference`` (another model) drawn in grey.

    The y axis is logarithmic so the few large weights stay visible next to the many small
    ones. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
    else:
        fig = ax.figure
    values = weight_values(model)
    bins = np.linspace(-3.0, 3.0, 61) if bins is None else bins
    if reference is not None:
        counts, _ = np.histogram(np.clip(weight_values(reference), bins[0], bins[-1]), bins)
        ax.stairs(counts, bins, fill=True, color="#BBBBBB", label="no regularisation")
    counts, _ = np.histogram(np.clip(values, bins[0], bins[-1]), bins)
    ax.stairs(counts, bins, fill=True, color=PALETTE[0], alpha=0.85, label="this network")
    ax.set_yscale("log")
    ax.set_ylim(0.8, 1.5 * len(values))
    ax.set_yticks([1, 10, 100, 1000])
    ax.minorticks_off()
    ax.set_xlabel("weight value (clipped to the axis)")
    ax.set_ylabel("how many weights")
    ax.set_title(f"{title}: mean |w| = {np.abs(values).mean():.3f}")
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return fig


def draw_gap(history, ax=None, *, title=None):
    """Training and validation accuracy per epoch, with the gap between them shaded.

    When the history comes from early stopping, the best epoch is marked with a dotted line.
    Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
    else:
        fig = ax.figure
    epochs = np.arange(1, len(history["accuracy"]) + 1)
    train_acc, val_acc = np.array(history["accuracy"]), np.array(history["val_accuracy"])
    ax.fill_between(epochs, val_acc, train_acc, color=PALETTE[1], alpha=0.25, linewidth=0,
                    label="gap")
    ax.plot(epochs, train_acc, color=PALETTE[0], label="training (training mode)")
    ax.plot(epochs, val_acc, color=PALETTE[5], linestyle="--", label="validation")
    if history.best_epoch:
        ax.axvline(history.best_epoch, color="#000000", linestyle=":", label="best epoch")
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    difference = train_acc[-1] - val_acc[-1]
    ax.set_title(title or f"gap = {train_acc[-1]:.2f} - {val_acc[-1]:.2f} = {difference:.2f}")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def draw_regularization(penalty="L2", strength=0.0, dropout=0.0):
    """Three panels for one setting: decision boundary, weight histogram, train/val accuracy.

    Training points are drawn filled, validation points as white-centred markers, so the
    points a boundary gets wrong can be told apart by set. The layout is fixed (no
    ``tight_layout``), which keeps a redraw at one matplotlib draw. Returns the Figure.
    """
    from matplotlib.figure import Figure

    result = trained(penalty, strength, dropout)
    parts = spiral_split()
    fig = Figure(figsize=(12.6, 3.7), dpi=80)
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.0, 1.1, 1.1]})
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.15, top=0.9, wspace=0.32)
    extent = (-1.15, 1.15, -1.15, 1.15)
    picture = decision_boundary_rgb(result.model, *parts.train, resolution=150, extent=extent,
                                    radius=3.0)
    axes[0].imshow(picture, extent=extent, interpolation="nearest")
    draw_validation_points(axes[0], *parts.val)
    axes[0].set(xlabel="x1", ylabel="x2", title=f"{penalty} {strength:g}, dropout {dropout:.2f}")
    axes[0].legend(fontsize=8, loc="lower left", handletextpad=0.2, framealpha=0.9)
    draw_weights(result.model, axes[1], reference=trained("L2", 0.0, 0.0).model)
    draw_gap(result.history, axes[2], title=(
        f"gap = {result.train_accuracy:.2f} - {result.val_accuracy:.2f} = "
        f"{result.train_accuracy - result.val_accuracy:.2f} (dropout off)"))
    return fig


def regularization_rgb(penalty="L2", strength=0.0, dropout=0.0):
    """``draw_regularization``'s picture as a uint8 array (H, W, 3), drawn once with Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = draw_regularization(penalty, strength, dropout)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def draw_validation_points(ax, X, y):
    """Add points X (n, 2) with labels y to ``ax`` as white-centred class markers."""
    for k, colour in enumerate(PALETTE[:3]):
        mine = y == k
        ax.scatter(X[mine, 0], X[mine, 1], facecolors="#FFFFFF", edgecolors=colour,
                   marker=raster.MARKERS[k], s=26, linewidths=1.6,
                   label="validation points (hollow)" if k == 0 else None)


def describe(penalty="L2", strength=0.0, dropout=0.0):
    """One or two sentences describing ``draw_regularization``'s picture (its alt text)."""
    result = trained(penalty, strength, dropout)
    train_acc, val_acc = result.train_accuracy, result.val_accuracy
    mean_w = np.abs(weight_values(result.model)).mean()
    return (
        f"Decision boundary, weight histogram and accuracy curves of the spiral network with "
        f"{penalty} strength {strength:g} and dropout {dropout:.2f}: training accuracy "
        f"{train_acc:.2f}, validation accuracy {val_acc:.2f} (gap {train_acc - val_acc:.2f}), "
        f"mean absolute weight {mean_w:.3f}."
    )


def gap(penalty="L2", strength=0.0, dropout=0.0):
    """Training minus validation accuracy after training (dropout off), for one setting."""
    result = trained(penalty, strength, dropout)
    return result.train_accuracy - result.val_accuracy


class RegularizationExplorer(LivePlot):
    """A penalty menu, a strength slider and a dropout slider over ``draw_regularization``.

    Each change to a new setting retrains the network (about 0.2 s) and redraws the three
    panels (about 0.2 s more). So that a change is acknowledged at once, the widget first
    shows the previous picture faded, with a "retraining ..." banner (a few milliseconds),
    then the new picture. Settings seen before come back from a cache of pictures at once.
    Built on ``nnlib.live.LivePlot`` (DOM hooks, static fallback, merged redraws for cached
    settings); retraining runs on one background thread that always trains the latest
    setting, so changes made while it works are merged and the kernel stays responsive.
    Sliders act when released or moved with the keyboard.
    ``last_train_seconds`` (None when cached) and ``last_refresh_seconds`` hold the last
    measurements; the status line under the picture reports them and the gap.
    """

    #: pictures kept for settings already seen (each is about 0.4 MB)
    MAX_PICTURES = 64

    def __init__(self, penalty="L2", strength=0.0, dropout=0.0):
        import ipywidgets as widgets

        penalty, strength, dropout = _check_setting(penalty, strength, dropout)
        if strength not in STRENGTHS:
            raise ValueError(f"strength must be one of {STRENGTHS!r}, but got {strength!r}")
        self.controls = {
            "strength": widgets.SelectionSlider(
                options=[(f"{s:g}", s) for s in STRENGTHS], value=strength,
                description="penalty strength", continuous_update=False),
            "penalty": widgets.Dropdown(options=list(PENALTIES), value=penalty,
                                        description="penalty"),
            "dropout": widgets.FloatSlider(value=dropout, min=0.0, max=0.6, step=0.05,
                                           description="dropout rate", readout_format=".2f",
                                           continuous_update=False),
        }
        label_controls(self.controls.values())
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self.last_train_seconds = None
        self.last_refresh_seconds = None
        self._pictures = {}
        self._last_picture = self._last_faded = None
        self._lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._wanted = self._working = False
        self._build([widgets.HBox(list(self.controls.values()),
                                  layout=widgets.Layout(flex_flow="row wrap"))])

    @property
    def values(self):
        """The controls' current values: ``{"penalty": ..., "strength": ..., "dropout": ...}``."""
        return {name: control.value for name, control in self.controls.items()}

    def _key(self, values=None):
        values = self.values if values is None else values
        return values["penalty"], float(values["strength"]), round(float(values["dropout"]), 4)

    def redraw(self, *_):
        """Show the new setting: from the cache at once, or faded while a worker retrains.

        Inside a kernel, retraining runs on a background thread, so the kernel keeps taking
        slider messages (and answering them with a faded picture) while it trains; the worker
        then trains only the latest setting. Without an event loop (scripts, tests) the
        picture is redrawn at once.
        """
        if (self._key() in self._pictures or self._last_picture is None
                or running_loop() is None):
            self.redrawer.request()
            return
        self.image.value = picture_png(with_banner(self._last_faded, banner_text(self.values)))
        self.status.value = "retraining the network for the new setting ..."
        with self._state_lock:
            self._wanted = True
            if self._working:
                return
            self._working = True
        threading.Thread(target=self._work, name="nnlib-regularization", daemon=True).start()

    def _work(self):
        """Background thread: retrain and show the latest setting until none is waiting."""
        while True:
            with self._state_lock:
                if not self._wanted:
                    self._working = False
                    return
                self._wanted = False
            try:
                values = self.values
                picture = self.draw(values)
                if self._key() != self._key(values):  # moved on meanwhile: show the newest
                    continue
                self.image.value = picture_png(picture)
                self.image.tooltip = self.describe()
                self.status.value = self.status_text()
            except Exception as error:  # the thread has nowhere else to report to
                self._show_error(error)

    def draw(self, values=None):
        """The picture (H, W, 3) uint8 for ``values`` (default: the controls' values)."""
        values = self.values if values is None else values
        start = time.perf_counter()
        key = self._key(values)
        picture = self._pictures.get(key)
        if picture is None:
            with self._lock:  # one retrain at a time
                hits = _trained.cache_info().hits
                result = trained(**values)
                self.last_train_seconds = (None if _trained.cache_info().hits > hits
                                           else result.seconds)
                picture = regularization_rgb(**values)
                if len(self._pictures) >= self.MAX_PICTURES:
                    self._pictures.pop(next(iter(self._pictures)))
                self._pictures[key] = picture
        else:
            self.last_train_seconds = None
        if picture is not self._last_picture:
            self._last_picture, self._last_faded = picture, faded(picture)
        self.last_refresh_seconds = time.perf_counter() - start
        return picture

    def describe(self):
        return describe(**self.values)

    def status_text(self):
        if self.last_refresh_seconds is None:
            return ""
        trained_text = ("network from the cache" if self.last_train_seconds is None
                        else f"retrained in {self.last_train_seconds:.2f} s")
        return (f"{trained_text}, picture ready in {self.last_refresh_seconds:.2f} s. "
                f"Gap (training - validation accuracy): {gap(**self.values):.2f}")


def pending_picture(picture, values):
    """``picture`` (H, W, 3) uint8, faded towards white, with a "retraining ..." note on top."""
    return with_banner(faded(picture), banner_text(values))


def faded(picture):
    """``picture`` (H, W, 3) uint8 mixed with white (35 % picture, 65 % white)."""
    return (np.asarray(picture, dtype=np.float32) * 0.35 + 255 * 0.65).astype(np.uint8)


def banner_text(values):
    """'retraining for L2 0.001, dropout 0.10 ...' for a dict of the explorer's values."""
    return (f"retraining for {values['penalty']} {float(values['strength']):g}, "
            f"dropout {float(values['dropout']):.2f} ...")


@lru_cache(maxsize=1)
def _banner_font():
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=22)
    except TypeError:  # Pillow < 10.1 has one fixed-size default font
        return ImageFont.load_default()


def with_banner(picture, text):
    """A copy of ``picture`` (H, W, 3) uint8 with ``text`` in a framed box in the middle."""
    from PIL import Image, ImageDraw

    image = Image.fromarray(np.asarray(picture), "RGB")
    draw = ImageDraw.Draw(image)
    font = _banner_font()
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (image.width - (right - left)) // 2
    y = (image.height - (bottom - top)) // 2
    draw.rectangle((x - 14, y - 10, x + right - left + 14, y + bottom - top + 12),
                   fill=(255, 255, 255), outline=(0, 0, 0), width=2)
    draw.text((x - left, y - top), text, fill=(0, 0, 0), font=font)
    return np.asarray(image)


def time_retrain(repeats=5, *, penalty="L2", strength=1e-3, dropout=0.2):
    """Seconds for ``repeats`` fresh trainings of the explorer's network (cache bypassed)."""
    times = []
    for _ in range(repeats):
        l1, l2 = (strength, 0.0) if penalty == "L1" else (0.0, strength)
        model = build_model(l1=l1, l2=l2, dropout=dropout)
        start = time.perf_counter()
        train(model, spiral_split())
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    from ..threads import limit_blas_threads

    limit_blas_threads()
    seconds = time_retrain()
    print(f"one retrain ({HIDDEN} hidden, {EPOCHS} epochs full batch, 150 points): "
          f"median {np.median(seconds):.3f} s, max {max(seconds):.3f} s over {len(seconds)} runs")
    picture_png(regularization_rgb("L2", 0.0, 0.0))  # warm-up: reference network, fonts
    totals = []
    for setting in (("L2", 1e-3, 0.0), ("L1", 3e-4, 0.0), ("L2", 0.0, 0.2)):
        start = time.perf_counter()
        picture_png(regularization_rgb(*setting))
        totals.append(time.perf_counter() - start)
    print(f"new setting -> retrained picture (train + draw + PNG): median "
          f"{np.median(totals):.3f} s, max {max(totals):.3f} s over {len(totals)} settings")
