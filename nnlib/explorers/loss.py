"""Move a prediction and watch each loss respond (chapter 05).

Three pictures, one per kind of task; each marks the current prediction on the curve of every
loss, with the loss values computed by nnlib's own loss classes:

- ``draw_regression(prediction, target)``: mean squared error and its slope;
- ``draw_binary(p, label)``: binary cross-entropy, squared error and 0/1 error against the
  predicted probability of class 1, and their slopes;
- ``draw_multiclass(score0, score1, score2, label)``: softmax probabilities of three classes
  and categorical cross-entropy as the true class's score moves.

``LossExplorer(task)`` puts sliders in front of the chosen picture. The widget draws with
``regression_picture`` / ``binary_picture`` / ``multiclass_picture``: the same content drawn
straight into RGB arrays (a few milliseconds, so the picture follows a slider), with the loss
values in the status line under it.
"""

from functools import cache

import numpy as np

from .. import raster
from ..activations import softmax
from ..losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    accuracy,
)
from ..plotting import PALETTE
from ._image import ImageExplorer, bar_panel, curve_panel

TASKS = ("regression", "binary", "multiclass")


def _finite(value, name):
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _label(label, n_classes):
    if isinstance(label, bool) or int(label) != label or not 0 <= label < n_classes:
        raise ValueError(f"label must be a class number 0..{n_classes - 1}, got {label!r}")
    return int(label)


def binary_losses(p, label):
    """nnlib's losses for ONE sample predicted ``p`` = P(class 1) with true ``label`` (0/1).

    Returns a dict: binary cross-entropy, squared error, and 0/1 error (1 - accuracy).
    """
    p = _finite(p, "p")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p is a probability and must lie in [0, 1], got {p}")
    y_pred, y_true = np.array([[p]]), np.array([[float(_label(label, 2))]])
    return {
        "binary cross-entropy": BinaryCrossEntropy().forward(y_pred, y_true),
        "squared error": MeanSquaredError().forward(y_pred, y_true),
        "0/1 error": 1.0 - accuracy(y_pred, y_true.ravel().astype(int)),
    }


def multiclass_losses(scores, label):
    """nnlib's losses for ONE sample with raw ``scores`` (n_classes,) and true ``label``."""
    scores = np.asarray(scores, dtype=np.float64).reshape(1, -1)
    label = _label(label, scores.shape[1])
    probabilities = softmax(scores)
    one_hot = np.eye(scores.shape[1])[[label]]
    return {
        "cross-entropy": SoftmaxCrossEntropy().forward(scores, [label]),
        "cross-entropy of softmax": CategoricalCrossEntropy().forward(probabilities, [label]),
        "squared error": float(np.sum((probabilities - one_hot) ** 2)),
        "0/1 error": 1.0 - accuracy(scores, [label]),
    }


def draw_regression(prediction=2.0, target=1.0):
    """Figure: MSE of one prediction against the prediction, with the current point and slope."""
    import matplotlib.pyplot as plt

    prediction = _finite(prediction, "prediction")
    target = _finite(target, "target")
    loss = MeanSquaredError().forward(np.array([[prediction]]), np.array([[target]]))
    slope = 2.0 * (prediction - target)
    grid = np.linspace(target - 3.0, target + 3.0, 200)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(grid, (grid - target) ** 2, color=PALETTE[0], label="MSE = (prediction - target)²")
    ax.plot(grid, loss + slope * (grid - prediction), color=PALETTE[5], linestyle="--",
            linewidth=1.2, label=f"slope at the prediction: {slope:+.2f}")
    ax.scatter([prediction], [loss], color=PALETTE[5], zorder=3, s=60,
               label=f"prediction {prediction:.2f}: loss {loss:.3f}")
    ax.axvline(target, color="#555555", linewidth=0.8, linestyle=":")
    ax.text(target, 8.6, " target", color="#555555", va="top")
    ax.set_ylim(-0.3, 9.0)
    ax.set_xlabel("prediction")
    ax.set_ylabel("loss")
    ax.set_title("Mean squared error: the cost grows with the square of the miss")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.15, top=0.9)
    return fig


def binary_curves(grid, label):
    """Per-sample losses and slopes on an array ``grid`` of probabilities (away from 0 and 1)."""
    y = float(label)
    bce = -(y * np.log(grid) + (1 - y) * np.log(1 - grid))
    return {
        "binary cross-entropy": (bce, (grid - y) / (grid * (1 - grid)), PALETTE[0], "-"),
        "squared error": ((grid - y) ** 2, 2 * (grid - y), PALETTE[1], "--"),
        "0/1 error": (((grid > 0.5) != bool(label)).astype(float), np.zeros_like(grid),
                      PALETTE[2], ":"),
    }


def draw_binary(p=0.3, label=1):
    """Figure: three losses of one sample against p = P(class 1) (left) and their slopes (right)."""
    import matplotlib.pyplot as plt

    label = _label(label, 2)
    values = binary_losses(p, label)
    grid = np.linspace(0.005, 0.995, 300)
    p_marker = min(max(float(p), 0.005), 0.995)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, (curve, slope, colour, style) in binary_curves(grid, label).items():
        left.plot(grid, curve, color=colour, linestyle=style, label=f"{name}: {values[name]:.3f}")
        left.scatter([p], [values[name]], color=colour, zorder=3, s=45)
        right.plot(grid, slope, color=colour, linestyle=style, label=name)
        marker_slope = binary_curves(np.array([p_marker]), label)[name][1][0]
        right.scatter([p_marker], [marker_slope], color=colour, zorder=3, s=45)
    for ax in (left, right):
        ax.axvline(p, color="#555555", linewidth=0.8, linestyle=":")
        ax.set_xlabel("predicted probability of class 1, p")
    left.set_ylim(-0.1, 5.0)
    left.set_ylabel("loss of this sample")
    left.set_title(f"true label {label}: losses at p = {p:.2f}")
    left.legend(loc="upper center", fontsize=8, frameon=False)
    right.set_ylim(-12, 12)
    right.axhline(0, color="#999999", linewidth=0.6)
    right.set_ylabel("slope dL/dp")
    right.set_title("how hard each loss pushes p")
    right.legend(loc="lower right" if label else "upper left", fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
    return fig


def draw_multiclass(score0=1.0, score1=2.0, score2=0.5, label=0):
    """Figure: softmax probabilities of three scores (left); the losses as the true score moves."""
    import matplotlib.pyplot as plt

    scores = np.array([score0, score1, score2], dtype=np.float64)
    label = _label(label, 3)
    values = multiclass_losses(scores, label)
    probabilities = softmax(scores[None, :])[0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    colours = [PALETTE[0], PALETTE[1], PALETTE[2]]
    bars = left.bar(range(3), probabilities, color=colours, edgecolor="#1a1a1a")
    bars[label].set_hatch("//")
    for k, prob in enumerate(probabilities):
        left.text(k, prob + 0.02, f"{prob:.3f}", ha="center", fontsize=9)
    left.set_xticks(range(3), [f"class {k}" + (" (true)" if k == label else "")
                               for k in range(3)])
    left.set_ylim(0, 1.1)
    left.set_ylabel("softmax probability")
    left.set_title("scores " + ", ".join(f"{s:+.1f}" for s in scores))
    grid = np.linspace(-6, 6, 241)
    sweep = np.repeat(scores[None, :], len(grid), axis=0)
    sweep[:, label] = grid
    shifted = sweep - sweep.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    one_hot = np.eye(3)[label]
    curves = {
        "cross-entropy": (-log_probs[:, label], PALETTE[0], "-"),
        "squared error": (((probs - one_hot) ** 2).sum(axis=1), PALETTE[1], "--"),
        "0/1 error": ((sweep.argmax(axis=1) != label).astype(float), PALETTE[2], ":"),
    }
    for name, (curve, colour, style) in curves.items():
        right.plot(grid, curve, color=colour, linestyle=style, label=f"{name}: {values[name]:.3f}")
        right.scatter([scores[label]], [values[name]], color=colour, zorder=3, s=45)
    right.set_xlim(-6, 6)
    right.set_ylim(-0.1, 6.0)
    right.set_xlabel(f"score of the true class (class {label}); other scores fixed")
    right.set_ylabel("loss of this sample")
    right.set_title("raise the true class's score: the loss falls")
    right.legend(loc="upper right", fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
    return fig


# --------------------------------------------------------------------------------------------
# fast pictures for the widget (RGB arrays)

PANEL = (240, 170)
BINARY_LEGEND = [("binary cross-entropy", PALETTE[0], "-"), ("squared error", PALETTE[1], "--"),
                 ("0/1 error", PALETTE[2], "--")]


@cache
def _frame(kind, label=None):
    if kind == "regression":
        return raster.Frame((-2.0, 4.0, -0.3, 9.0), PANEL, xlabel="prediction", ylabel="loss",
                            title="MSE of one prediction",
                            legend=[("MSE", PALETTE[0], "-"),
                                    ("slope (tangent)", PALETTE[5], "--")])
    if kind == "binary loss":
        return raster.Frame((0.0, 1.0, -0.1, 5.0), PANEL, xlabel="p = P(class 1)",
                            ylabel="loss", title=f"losses, true label {label}")
    if kind == "binary slope":
        return raster.Frame((0.0, 1.0, -12.0, 12.0), PANEL, xlabel="p = P(class 1)",
                            ylabel="slope dL/dp", title="how hard each loss pushes p",
                            legend=BINARY_LEGEND)
    if kind == "bars":
        return raster.Frame((-0.5, 2.5, 0.0, 1.05), PANEL, xlabel="class 0, 1, 2 (striped: true)",
                            ylabel="softmax probability", title="predicted probabilities",
                            yticks=[0, 0.25, 0.5, 0.75, 1.0])
    return raster.Frame((-6.0, 6.0, -0.1, 6.0), PANEL, xlabel=f"score of the true class {label}",
                        ylabel="loss", title="loss as the true score moves",
                        legend=[("cross-entropy", PALETTE[0], "-"),
                                ("squared error", PALETTE[1], "--"),
                                ("0/1 error", PALETTE[2], "--")])


def regression_picture(prediction=2.0, target=1.0):
    """uint8 picture: the MSE parabola around ``target``, the prediction and its tangent."""
    prediction, target = _finite(prediction, "prediction"), _finite(target, "target")
    grid = np.linspace(-2.0, 4.0, 241)
    loss = (prediction - target) ** 2
    slope = 2.0 * (prediction - target)
    return curve_panel(
        _frame("regression"),
        curves=[(grid, (grid - target) ** 2, PALETTE[0], 0),
                (grid, loss + slope * (grid - prediction), PALETTE[5], 4)],
        markers=[(prediction, loss, PALETTE[5], "o")], vlines=[target])


def binary_picture(p=0.3, label=1):
    """uint8 picture: the three losses of one sample against p (left) and their slopes (right)."""
    label = _label(label, 2)
    values = binary_losses(p, label)
    grid = np.linspace(0.002, 0.998, 300)
    p_marker = min(max(float(p), 0.002), 0.998)
    curves = binary_curves(grid, label)
    at_p = binary_curves(np.array([p_marker]), label)
    dashes = {"binary cross-entropy": 0, "squared error": 10, "0/1 error": 4}
    left = curve_panel(
        _frame("binary loss", label),
        curves=[(grid, c[0], c[2], dashes[name]) for name, c in curves.items()],
        markers=[(p, values[name], c[2], "o") for name, c in curves.items()], vlines=[p])
    right = curve_panel(
        _frame("binary slope"),
        curves=[(grid, c[1], c[2], dashes[name]) for name, c in curves.items()],
        markers=[(p_marker, at_p[name][1][0], c[2], "o") for name, c in curves.items()],
        vlines=[p], hlines=[0.0])
    return raster.side_by_side(left, right)


def multiclass_picture(score0=1.0, score1=2.0, score2=0.5, label=0):
    """uint8 picture: probability bars (left) and the losses as the true class's score moves."""
    scores = np.array([score0, score1, score2], dtype=np.float64)
    label = _label(label, 3)
    values = multiclass_losses(scores, label)
    probabilities = softmax(scores[None, :])[0]
    left = bar_panel(_frame("bars"), probabilities, PALETTE[:3], hatched=label)
    grid = np.linspace(-6, 6, 241)
    sweep = np.repeat(scores[None, :], len(grid), axis=0)
    sweep[:, label] = grid
    shifted = sweep - sweep.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    squared = ((np.exp(log_probs) - np.eye(3)[label]) ** 2).sum(axis=1)
    wrong = (sweep.argmax(axis=1) != label).astype(float)
    x = float(np.clip(scores[label], -6, 6))
    right = curve_panel(
        _frame("sweep", label),
        curves=[(grid, -log_probs[:, label], PALETTE[0], 0), (grid, squared, PALETTE[1], 10),
                (grid, wrong, PALETTE[2], 4)],
        markers=[(x, values["cross-entropy"], PALETTE[0], "o"),
                 (x, values["squared error"], PALETTE[1], "o"),
                 (x, values["0/1 error"], PALETTE[2], "o")],
        vlines=[x])
    return raster.side_by_side(left, right)


class LossExplorer(ImageExplorer):
    """Sliders for one prediction; the picture shows each loss respond, the line under it
    gives the values.

    ``task``: ``"regression"`` (prediction, target), ``"binary"`` (p, true label) or
    ``"multiclass"`` (three scores, true class).
    """

    def __init__(self, task="binary"):
        import ipywidgets as widgets

        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, but got {task!r}")
        self.task = task

        def slider(value, low, high, description, step=0.05):
            return widgets.FloatSlider(value=value, min=low, max=high, step=step,
                                       description=description, readout_format=".2f")

        if task == "regression":
            controls = {"prediction": slider(2.0, -2.0, 4.0, "prediction"),
                        "target": slider(1.0, -1.0, 3.0, "target")}
            draw = regression_picture
        elif task == "binary":
            controls = {"p": slider(0.3, 0.01, 0.99, "p (class 1)", step=0.01),
                        "label": widgets.Dropdown(options=(0, 1), value=1,
                                                  description="true label")}
            draw = binary_picture
        else:
            controls = {f"score{k}": slider(v, -5.0, 5.0, f"score {k}", step=0.1)
                        for k, v in enumerate((1.0, 2.0, 0.5))}
            controls["label"] = widgets.Dropdown(options=(0, 1, 2), value=0,
                                                 description="true class")
            draw = multiclass_picture
        super().__init__(draw, controls, alt=self._describe, status=self._numbers)

    def _numbers(self, **values):
        if self.task == "regression":
            loss = (values["prediction"] - values["target"]) ** 2
            slope = 2 * (values["prediction"] - values["target"])
            return f"MSE {loss:.3f}, slope {slope:+.3f}"
        if self.task == "binary":
            losses = binary_losses(values["p"], values["label"])
        else:
            losses = multiclass_losses([values[f"score{k}"] for k in range(3)], values["label"])
            losses.pop("cross-entropy of softmax")
        return ", ".join(f"{name} {value:.3f}" for name, value in losses.items())

    def _describe(self, **values):
        if self.task == "regression":
            return (f"The MSE parabola around the target {values['target']:.2f}, with the "
                    f"prediction {values['prediction']:.2f} marked and its tangent: "
                    f"{self._numbers(**values)}.")
        if self.task == "binary":
            return (f"Losses of one sample with true label {values['label']} against the "
                    f"predicted p, marked at p = {values['p']:.2f} ({self._numbers(**values)}), "
                    "and their slopes.")
        scores = ", ".join(f"{values[f'score{k}']:.1f}" for k in range(3))
        return (f"Softmax probabilities of the scores {scores} with true class "
                f"{values['label']}, and the losses as the true class's score moves "
                f"({self._numbers(**values)}).")
