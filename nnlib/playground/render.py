"""Draw the playground's pictures straight into numpy RGB arrays (no matplotlib per frame).

A matplotlib figure per frame costs ~100 ms; filling arrays and encoding a PNG with Pillow at
``compress_level=1`` costs a few ms (FACTS.md), which is what keeps Play smooth. The pieces
come from the course's shared drawing code: colours and region shading from
``nnlib.plotting`` (Okabe–Ito classes, the blue-white-vermillion diverging map), markers,
lines and axes frames from ``nnlib.raster``.

Colour conventions (colour-blind safe): class k has ``PALETTE[k]`` and its own marker shape;
values (regression outputs, neuron outputs, weights) run from blue (negative) through white
(zero) to vermillion (positive).
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .. import raster
from ..plotting import (
    DIVERGING,
    PALETTE,
    diverging_rgb,
    interpret_outputs,
    lighten_regression,
    region_colors,
)
from ..training_view import nice_ceiling

NEGATIVE = raster.hex_to_rgb(DIVERGING[0])   # blue
POSITIVE = raster.hex_to_rgb(DIVERGING[2])   # vermillion
CLASS_RGB = np.array([raster.hex_to_rgb(c) for c in PALETTE[:4]])
TEST_EDGE = np.array([0.0, 0.0, 0.0])
TRAIN_EDGE = np.array([1.0, 1.0, 1.0])
#: regression targets near 0 are white, so training points there get a grey outline
TRAIN_EDGE_REGRESSION = np.array([0.45, 0.45, 0.45])


# --- maps (float RGB in [0, 1]) -----------------------------------------------------------
def class_regions(scores, *, discretize=False):
    """Class scores (n, n_classes) -> float RGB (n, 3): the predicted class's colour, paler
    where the network is less sure (shaded) or at one strength everywhere (discretised)."""
    info = interpret_outputs(scores, task="multiclass")
    if discretize:
        info["confidence"] = np.full(len(scores), 0.8)
    return region_colors(info, n_classes=scores.shape[1])


def value_colours(values, low=-1.0, high=1.0):
    """Values (n,) -> float RGB (n, 3) on the diverging map over [low, high]."""
    span = max(high - low, 1e-12)
    return diverging_rgb(np.clip((np.asarray(values, dtype=float) - low) / span, 0.0, 1.0))


def value_regions(values, *, discretize=False):
    """Regression outputs (n,) -> float RGB (n, 3), softened so points stay readable;
    discretised, only the sign (above or below 0) is shown."""
    values = np.asarray(values, dtype=float).reshape(-1)
    if discretize:
        values = 0.7 * np.sign(values)
    return lighten_regression(value_colours(values))


def neuron_range(values, activation):
    """The (low, high) colour range for a neuron's outputs: fixed for squashing activations,
    symmetric around 0 and fitted to the values for the others."""
    if activation == "tanh":
        return -1.0, 1.0
    if activation == "sigmoid":
        return 0.0, 1.0
    reach = float(np.abs(values).max()) or 1.0
    return -reach, reach


def upscale(image, factor):
    """Repeat every pixel ``factor`` times in both directions (nearest neighbour)."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


# --- points -------------------------------------------------------------------------------
def draw_data(picture, X, y, extent, *, classification, edge, radius=3):
    """Draw points X (n, 2) with labels/targets y into a float picture (H, W, 3), in place.

    Classes get their palette colour and marker (circle, square, triangle, diamond); regression
    targets are circles in the value's colour. ``edge`` is the outline colour (white for
    training points, black for test points).
    """
    height, width = picture.shape[:2]
    rows, cols = raster.to_pixels(X, (-extent, extent, -extent, extent), width, height)
    if not classification:
        if edge is TRAIN_EDGE:
            edge = TRAIN_EDGE_REGRESSION
        return raster.draw_markers(picture, rows, cols, value_colours(np.ravel(y)), "o",
                                   radius, edge=edge)
    labels = np.asarray(y).reshape(-1).astype(int)
    for k in np.unique(labels):
        mine = labels == k
        raster.draw_markers(picture, rows[mine], cols[mine], CLASS_RGB[k % len(CLASS_RGB)],
                            raster.MARKERS[k % len(raster.MARKERS)], radius, edge=edge)
    return picture


# --- text ---------------------------------------------------------------------------------
def _font(size):
    """DejaVu Sans from matplotlib's own files (it has '²' and '·'); Pillow's built-in font
    if that file is missing."""
    try:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        return ImageFont.truetype(str(path), size)
    except (ImportError, OSError):  # pragma: no cover - matplotlib ships the font
        return ImageFont.load_default(size)


FONT = _font(11)


def draw_label(draw, xy, text, fill=(0, 0, 0), anchor="la"):
    """Draw a short label with Pillow (``anchor`` as in ``ImageDraw.text``)."""
    draw.text(xy, text, font=FONT, fill=fill, anchor=anchor)


# --- loss chart ---------------------------------------------------------------------------
LOSS_SIZE = (356, 120)
_TRAIN_RGB = tuple(int(c) for c in raster.to_uint8(raster.hex_to_rgb(PALETTE[0])))
_TEST_RGB = tuple(int(c) for c in raster.to_uint8(raster.hex_to_rgb(PALETTE[5])))


def _dashed(draw, points, fill, width, dash=6.0):
    """Draw a polyline (n, 2) as dashes of ``dash`` pixels with gaps of the same length."""
    steps = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    for start in np.arange(0.0, along[-1], 2 * dash):
        stops = np.concatenate([[start], along[(along > start) & (along < start + dash)],
                                [min(start + dash, along[-1])]])
        xy = np.column_stack([np.interp(stops, along, points[:, 0]),
                              np.interp(stops, along, points[:, 1])])
        draw.line([tuple(p) for p in xy.tolist()], fill=fill, width=width)


def loss_chart(train, test):
    """Training (blue, solid) and test (vermillion, dashed) loss per epoch, epoch 0 first.

    Drawn with Pillow only (no matplotlib, so no pause when the axes grow); the axes grow in
    1-2-5 steps. Returns RGB uint8 (120, 356, 3).
    """
    width, height = LOSS_SIZE
    left, right, top, bottom = 44, width - 8, 22, height - 22
    image = Image.new("RGB", LOSS_SIZE, "white")
    draw = ImageDraw.Draw(image)
    x_max = nice_ceiling(max(len(train) - 1, 10))
    finite = [v for v in (*train, *test) if np.isfinite(v)]
    y_max = nice_ceiling(max(finite) if finite else 1.0)
    draw.rectangle((left, top, right, bottom), outline=(60, 60, 60))
    for value, y in ((0, bottom), (y_max, top)):
        draw_label(draw, (left - 4, y), f"{value:g}", anchor="rm")
    for value, x in ((0, left), (x_max, right)):
        draw_label(draw, (x, bottom + 3), f"{value:g}", anchor="ma")
    draw_label(draw, ((left + right) / 2, bottom + 3), "epoch", fill=(60, 60, 60), anchor="ma")
    draw_label(draw, (4, (top + bottom) / 2), "loss", fill=(60, 60, 60), anchor="lm")
    for values, colour, dashed in ((train, _TRAIN_RGB, False), (test, _TEST_RGB, True)):
        values = np.nan_to_num(np.asarray(values, dtype=float), nan=y_max, posinf=y_max)
        if len(values) < 2:
            continue
        xs = left + (right - left) * np.arange(len(values)) / x_max
        ys = bottom - (bottom - top) * np.clip(values / y_max, 0.0, 1.0)
        points = np.column_stack([xs, ys])
        if dashed:
            _dashed(draw, points, colour, 2)
        else:
            draw.line([tuple(p) for p in points.tolist()], fill=colour, width=2)
    draw.line([(left, 9), (left + 22, 9)], fill=_TRAIN_RGB, width=2)
    draw_label(draw, (left + 26, 9), f"training loss {train[-1]:.3f}", anchor="lm")
    _dashed(draw, np.array([[left + 170.0, 9.0], [left + 192.0, 9.0]]), _TEST_RGB, 2, dash=4)
    draw_label(draw, (left + 196, 9), f"test loss {test[-1]:.3f}", anchor="lm")
    return np.asarray(image)
