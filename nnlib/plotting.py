"""Figures for the course: decision boundaries, loss curves, and ``show`` with alt text.

Colours come from the Okabe-Ito palette, chosen to stay distinguishable with the common forms
of colour blindness; every class also gets its own marker shape, so no figure relies on colour
alone. Shaded regions are lighter versions of the class colours: the stronger the colour, the
more confident the model.

- ``decision_boundary(predict, X, y)``: matplotlib Figure (for chapters and static pages);
- ``decision_boundary_rgb(predict, X, y)``: the same picture as a uint8 array (H, W, 3),
  drawn without matplotlib in a few milliseconds (for live widgets);
- ``loss_curves(history)``: training (and validation) loss, and accuracy when recorded;
- ``show(fig, alt)``: display a figure as a PNG with alt text, then close it.
"""

import base64
import html
import io

import numpy as np

from . import raster
from .activations import sigmoid

#: Okabe-Ito colours: blue, orange, bluish green, reddish purple, sky blue, vermillion,
#: yellow, black. Class k is drawn in PALETTE[k % 8] with marker raster.MARKERS[k % 8].
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: Diverging map for regression outputs: blue (low) - white (middle) - vermillion (high).
DIVERGING = ("#0072B2", "#FFFFFF", "#D55E00")

_DIVERGING_LUT = None


def class_colors(n):
    """The first ``n`` palette colours as hex strings (repeating after 8; markers still differ)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"class_colors needs a number of classes >= 1, got {n!r}")
    return [PALETTE[k % len(PALETTE)] for k in range(n)]


def _palette_rgb(n):
    return np.array([raster.hex_to_rgb(c) for c in class_colors(n)])


def diverging_rgb(values):
    """Values in [0, 1] (any shape) -> float RGB (..., 3) on the blue-white-vermillion map."""
    global _DIVERGING_LUT
    if _DIVERGING_LUT is None:
        low, mid, high = (raster.hex_to_rgb(c) for c in DIVERGING)
        t = np.linspace(0.0, 1.0, 256)[:, None]
        _DIVERGING_LUT = np.where(t < 0.5, low + (mid - low) * (t / 0.5),
                                  mid + (high - mid) * ((t - 0.5) / 0.5))
    index = np.clip(np.nan_to_num(np.asarray(values) * 255.0), 0, 255).astype(np.intp)
    return _DIVERGING_LUT[index]


def diverging_cmap():
    """The regression colour map as a matplotlib ``LinearSegmentedColormap``."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("nnlib_diverging", list(DIVERGING))


# --------------------------------------------------------------------------------------------
# show: figures with alt text


def png_bundle(png, alt):
    """A display bundle for PNG bytes: image/png, text/plain (the alt text) and text/html.

    The HTML is ``<img alt="..." src="data:image/png;base64,...">`` so exported pages and
    screen readers get the alt text; front ends that cannot show images print the alt text.
    """
    encoded = base64.b64encode(png).decode("ascii")
    return {
        "image/png": encoded,
        "text/plain": alt,
        "text/html": f'<img alt="{html.escape(alt, quote=True)}" '
                     f'src="data:image/png;base64,{encoded}"/>',
    }


class AltImage:
    """PNG bytes plus alt text; displays itself through ``png_bundle``."""

    def __init__(self, png, alt):
        self.png, self.alt = png, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        return png_bundle(self.png, self.alt)

    def __repr__(self):
        return self.alt


def figure_png(fig, dpi=100):
    """PNG bytes of a matplotlib Figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def show(fig, alt, *, dpi=100):
    """Display a Figure (or a uint8 RGB array) as a PNG with alt text, then close the figure.

    ``alt`` says in one or two sentences what the figure shows, e.g. "Two loss curves falling
    from 1.1 to 0.2; the validation curve flattens after epoch 40." Returns None, so it can end
    a cell. Outside IPython it prints the alt text instead.
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("show(fig, alt) needs alt text: a sentence describing the figure")
    if isinstance(fig, np.ndarray):
        png = raster.encode_png(fig)
    else:
        if not hasattr(fig, "savefig"):
            raise TypeError(f"show expects a matplotlib Figure or an RGB array, got {type(fig)}")
        png = figure_png(fig, dpi=dpi)
        import matplotlib.pyplot as plt

        plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is installed with ipywidgets
        print(alt)
        return None
    if get_ipython() is None:
        print(alt)
        return None
    display(AltImage(png, alt))
    return None


# --------------------------------------------------------------------------------------------
# decision boundaries


def as_predict(predict):
    """A function X (n, 2) -> outputs from a model (anything with ``.predict``) or a function."""
    if hasattr(predict, "predict") and callable(predict.predict):
        return predict.predict
    if callable(predict):
        return predict
    raise TypeError(
        f"predict must be a model with a .predict method or a function X -> outputs, "
        f"got {type(predict).__name__}"
    )


def predict_grid(predict, grid, chunk=4096):
    """``predict`` applied to the grid in chunks of rows: the same outputs, but each chunk's
    intermediate arrays fit in the CPU cache (about 30% faster on a 200x200 grid)."""
    predict = as_predict(predict)
    if len(grid) <= chunk:
        return np.asarray(predict(grid))
    parts = [np.asarray(predict(grid[start:start + chunk]))
             for start in range(0, len(grid), chunk)]
    return np.concatenate(parts)


def labels_of(y):
    """Integer class labels (n,) from labels (n,) / (n, 1) or one-hot rows (n, k)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    return np.rint(y.reshape(-1)).astype(np.intp)


def _is_class_labels(y):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return True
    flat = y.reshape(-1)
    return flat.size > 0 and np.all(flat == np.rint(flat)) and flat.min() >= 0 and flat.max() < 64


def interpret_outputs(outputs, y=None, task="auto"):
    """Turn model outputs on a grid into what the picture needs.

    ``outputs``: (n,) or (n, k). Returns a dict with ``task`` ("binary", "multiclass" or
    "regression"); for classifiers ``labels`` (n,) ints, ``confidence`` (n,) in [0, 1] and
    ``n_classes``; for regression ``values`` (n,). Scores that are not probabilities
    (negative, or rows not summing to 1) are passed through sigmoid / softmax first.
    """
    out = np.asarray(outputs, dtype=float)
    if out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2:
        raise ValueError(f"predict must return (n,) or (n, k) outputs, got shape {out.shape}")
    if task == "auto":
        if out.shape[1] > 1:
            task = "multiclass"
        elif y is not None:
            flat = np.asarray(y).reshape(-1)
            binary = _is_class_labels(y) and set(np.unique(flat)) <= {0, 1}
            task = "binary" if binary else "regression"
        else:
            task = "binary" if out.min() >= 0 and out.max() <= 1 else "regression"
    if task == "binary" and out.shape[1] == 2:
        task = "multiclass"
    if task not in ("binary", "multiclass", "regression"):
        raise ValueError(
            f"task must be 'auto', 'binary', 'multiclass' or 'regression', got {task!r}")
    if task == "regression":
        if out.shape[1] != 1:
            raise ValueError(f"regression needs one output column, got {out.shape[1]}")
        return {"task": task, "values": out[:, 0]}
    if task == "binary":
        if out.shape[1] != 1:
            raise ValueError(f"a binary classifier gives one output column, got {out.shape[1]}")
        p = out[:, 0]
        if p.min() < 0 or p.max() > 1:
            p = sigmoid(p)
        return {"task": task, "labels": (p >= 0.5).astype(np.intp),
                "confidence": np.abs(2.0 * p - 1.0), "n_classes": 2}
    k = out.shape[1]
    # Column by column: numpy reduces along a short last axis slowly, and this runs per redraw.
    columns = [out[:, j] for j in range(k)]
    labels = np.zeros(len(out), dtype=np.intp)
    top = columns[0].copy()
    for j in range(1, k):
        better = columns[j] > top
        labels[better] = j
        np.maximum(top, columns[j], out=top)
    if out.min() < 0 or np.abs(sum(columns) - 1.0).max() > 1e-3:
        # Scores (logits): the largest softmax probability is 1 / sum_j exp(score_j - top).
        pmax = 1.0 / sum(np.exp(column - top) for column in columns)
    else:
        pmax = top
    return {"task": task, "labels": labels,
            "confidence": (pmax - 1.0 / k) / (1.0 - 1.0 / k), "n_classes": k}


def region_colors(info, n_classes=None, value_range=None):
    """Float RGB (n, 3) for grid cells from ``interpret_outputs``'s result.

    Classifiers: the class colour mixed with white; confident cells keep more colour
    (lightness = 1 - 0.6 * confidence of the way to the full colour). Regression: the
    diverging map over ``value_range`` (default: the range of the values, centred on 0 when
    it straddles 0).
    """
    if info["task"] == "regression":
        values = info["values"]
        lo, hi = value_range if value_range is not None else (values.min(), values.max())
        if lo < 0 < hi:
            half = max(-lo, hi)
            lo, hi = -half, half
        scale = (values - lo) / (hi - lo) if hi > lo else np.full_like(values, 0.5)
        return lighten_regression(diverging_rgb(scale))
    k = max(info["n_classes"], n_classes or 0)
    base = _palette_rgb(k)[info["labels"]]
    alpha = (0.12 + 0.5 * np.clip(info["confidence"], 0.0, 1.0))[:, None]
    return 1.0 - alpha * (1.0 - base)


_LEVELS = 64


def region_rgb(info, n_classes=None, value_range=None):
    """uint8 RGB (n, 3) for grid cells: ``region_colors`` through a lookup table.

    Confidence (or the regression value) is rounded to one of 64 levels and every
    (class, level) colour is computed once, so a redraw is a single gather of bytes.
    """
    if info["task"] == "regression":
        return raster.to_uint8(region_colors(info, n_classes, value_range))
    k = max(info["n_classes"], n_classes or 0)
    levels = np.linspace(0.0, 1.0, _LEVELS)
    lut_info = {"task": info["task"], "n_classes": k,
                "labels": np.repeat(np.arange(k), _LEVELS), "confidence": np.tile(levels, k)}
    lut = raster.to_uint8(region_colors(lut_info, k)).reshape(k, _LEVELS, 3)
    level = np.clip(info["confidence"] * (_LEVELS - 1) + 0.5, 0, _LEVELS - 1).astype(np.intp)
    return lut[info["labels"], level]


def lighten_regression(rgb):
    """Soften regression shading so the points drawn on top stay readable."""
    return raster.lighten(rgb, 0.35)


def _resolution(resolution):
    if np.isscalar(resolution):
        width = height = int(resolution)
    else:
        width, height = (int(v) for v in resolution)
    if width < 2 or height < 2:
        raise ValueError(f"resolution must be at least 2 pixels, got {resolution!r}")
    return width, height


def _check_points(X, y):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"decision boundaries are drawn for 2-D inputs: X must have shape (n_samples, 2), "
            f"got {X.shape}"
        )
    if y is not None and len(np.asarray(y)) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(np.asarray(y))}")
    return X


def draw_points(picture, X, y, extent, *, task, radius=3.5, value_range=None):
    """Draw the data points into a float picture (H, W, 3): class colour + marker per class,
    or (regression) circles coloured by the target value."""
    height, width = picture.shape[:2]
    rows, cols = raster.to_pixels(X, extent, width, height)
    if y is None:
        return raster.draw_markers(picture, rows, cols, np.array([0.3, 0.3, 0.3]), "o", radius)
    if task == "regression":
        values = np.asarray(y, dtype=float).reshape(-1)
        lo, hi = value_range if value_range is not None else (values.min(), values.max())
        if lo < 0 < hi:
            lo, hi = -max(-lo, hi), max(-lo, hi)
        scale = (values - lo) / (hi - lo) if hi > lo else np.full_like(values, 0.5)
        return raster.draw_markers(picture, rows, cols, diverging_rgb(scale), "o", radius)
    labels = labels_of(y)
    colours = _palette_rgb(int(labels.max()) + 1)
    for k in np.unique(labels):
        mine = labels == k
        raster.draw_markers(picture, rows[mine], cols[mine], colours[k],
                            raster.MARKERS[k % len(raster.MARKERS)], radius)
    return picture


def decision_boundary_rgb(predict, X, y=None, *, resolution=200, extent=None, task="auto",
                          points=True, radius=3.5):
    """The decision-boundary picture as a uint8 array (height, width, 3), without matplotlib.

    predict: a model with ``.predict`` or a function X (n, 2) -> outputs (n,) / (n, k).
    X: (n_samples, 2) points; y: (n_samples,) labels or targets, or None.
    resolution: pixels per side, or (width, height). extent: (x0, x1, y0, y1), default the
    data's range plus 10%. Row 0 of the result is the top (largest x2).
    """
    X = _check_points(X, y)
    width, height = _resolution(resolution)
    extent = raster.padded_extent(X) if extent is None else tuple(extent)
    grid = raster.grid_points(extent, width, height)
    info = interpret_outputs(predict_grid(predict, grid), y, task)
    targets_range = None
    if info["task"] == "regression" and y is not None:
        values = np.asarray(y, dtype=float).reshape(-1)
        targets_range = (min(values.min(), info["values"].min()),
                         max(values.max(), info["values"].max()))
    classes = y is not None and info["task"] != "regression"
    n_classes = int(labels_of(y).max()) + 1 if classes else None
    picture = region_rgb(info, n_classes, targets_range).reshape(height, width, 3)
    if points:
        draw_points(picture, X, y, extent, task=info["task"], radius=radius,
                    value_range=targets_range)
    return picture


def boundary_legend(y, task):
    """Legend entries (label, colour, marker) for ``raster.Frame`` / matplotlib."""
    if y is None or task == "regression":
        return []
    n = int(labels_of(y).max()) + 1
    return [(f"class {k}", c, raster.MARKERS[k % len(raster.MARKERS)])
            for k, c in enumerate(class_colors(n))]


def decision_boundary(predict, X, y=None, *, ax=None, resolution=200, task="auto", title=None,
                      extent=None):
    """Matplotlib figure of the predicted regions with the data points on top.

    Shading: the predicted class's colour, lighter where the model is less sure (binary: one
    sigmoid column or two columns; multi-class: one column per class; regression: a
    blue-white-vermillion map with a colour bar). Points: class colour and a marker shape per
    class. Axes labelled x1 and x2. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    X = _check_points(X, y)
    extent = raster.padded_extent(X) if extent is None else tuple(extent)
    width, height = _resolution(resolution)
    grid = raster.grid_points(extent, width, height)
    info = interpret_outputs(predict_grid(predict, grid), y, task)
    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots(figsize=(5.2, 4.2))
    else:
        fig = ax.figure
    value_range = None
    if info["task"] == "regression":
        values = info["values"] if y is None else np.concatenate(
            [info["values"], np.asarray(y, dtype=float).reshape(-1)])
        value_range = (values.min(), values.max())
    n_classes = None if (y is None or info["task"] == "regression") else int(labels_of(y).max()) + 1
    picture = region_colors(info, n_classes, value_range).reshape(height, width, 3)
    ax.imshow(picture, extent=extent, origin="upper", aspect="auto", interpolation="nearest")
    if info["task"] == "regression":
        lo, hi = value_range
        if lo < 0 < hi:
            lo, hi = -max(-lo, hi), max(-lo, hi)
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        mappable = ScalarMappable(norm=Normalize(lo, hi), cmap=diverging_cmap())
        fig.colorbar(mappable, ax=ax, label="prediction / target")
        if y is not None:
            ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y, dtype=float).reshape(-1),
                       cmap=diverging_cmap(), vmin=lo, vmax=hi, edgecolors="#1a1a1a", s=28)
    elif y is not None:
        labels = labels_of(y)
        for k, colour in enumerate(class_colors(int(labels.max()) + 1)):
            mine = labels == k
            ax.scatter(X[mine, 0], X[mine, 1], color=colour, edgecolors="#1a1a1a",
                       marker=raster.MARKERS[k % len(raster.MARKERS)], s=30, linewidths=0.7,
                       label=f"class {k}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    else:
        ax.scatter(X[:, 0], X[:, 1], color="#4d4d4d", edgecolors="#1a1a1a", s=20)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)
    if own_figure:  # a caller's own layout is left alone
        fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# loss curves


def _history_dict(history):
    if not hasattr(history, "get") or "loss" not in history:
        raise TypeError(
            "loss_curves expects a History (or a dict) with a 'loss' list, as returned by "
            f"model.fit; got {type(history).__name__}"
        )
    return history


def loss_curves(history, ax=None, title=None):
    """Training (and validation) loss per epoch; a second panel for accuracy if recorded.

    ``history``: ``model.fit``'s History or any dict with ``loss`` (and optionally
    ``val_loss``, ``accuracy``, ``val_accuracy``) lists. With ``ax`` given, only the loss is
    drawn on it. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    history = _history_dict(history)
    with_accuracy = "accuracy" in history and ax is None
    own_figure = ax is None
    if own_figure:
        fig, axes = plt.subplots(1, 2 if with_accuracy else 1,
                                 figsize=(9.0 if with_accuracy else 5.0, 3.4), squeeze=False)
        ax = axes[0, 0]
    else:
        fig = ax.figure
    _training_and_validation(ax, history, "loss")
    if title:
        ax.set_title(title)
    if with_accuracy:
        _training_and_validation(axes[0, 1], history, "accuracy")
        axes[0, 1].set_ylim(0, 1.02)
    if own_figure:
        fig.tight_layout()
    return fig


def _training_and_validation(ax, history, metric):
    """Plot ``history[metric]`` (solid) and ``history["val_" + metric]`` (dashed) per epoch."""
    epochs = np.arange(1, len(history[metric]) + 1)
    ax.plot(epochs, history[metric], color=PALETTE[0], label=f"training {metric}")
    if "val_" + metric in history:
        ax.plot(epochs, history["val_" + metric], color=PALETTE[5], linestyle="--",
                label=f"validation {metric}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend(frameon=False)
