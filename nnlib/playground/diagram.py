"""The network diagram: every neuron as a small map of its own output, every weight as a link.

Columns from left to right: the input features, each hidden layer, the output neurons. A
neuron's thumbnail shows what it computes at every point of the view (blue negative, white
zero, vermillion positive; an output neuron of a classifier shows its class probability in
the class colour). A link's colour is the weight's sign (vermillion positive, blue negative)
and its width and strength its size, so the connections that matter stand out.
"""

import functools

import numpy as np
from PIL import Image, ImageDraw

from .. import raster
from ..layers import Dense
from .features import feature_label
from .render import CLASS_RGB, NEGATIVE, POSITIVE, draw_label, neuron_range, value_colours

THUMB = 32       # thumbnail size in pixels
ROW = 40         # vertical distance between neurons
WIDTH = 600
LEFT = 52        # room for the feature labels
TOP = 30         # room for the column titles


def _sample(values, resolution):
    """values (resolution**2, n) -> (THUMB, THUMB, n) taken from the grid every few points."""
    step = max(resolution // THUMB, 1)
    return values.reshape(resolution, resolution, -1)[::step, ::step][:THUMB, :THUMB]


def _thumbnails(values, resolution, ranges):
    grid = _sample(values, resolution)
    return [raster.to_uint8(value_colours(grid[:, :, k], low, high))
            for k, (low, high) in enumerate(ranges)]


def _class_thumbnails(scores, resolution):
    scores = _sample(scores, resolution)
    e = np.exp(scores - scores.max(axis=2, keepdims=True))
    probabilities = e / e.sum(axis=2, keepdims=True)
    return [raster.to_uint8(1.0 - 0.85 * probabilities[:, :, k, None]
                            * (1.0 - CLASS_RGB[k % len(CLASS_RGB)]))
            for k in range(scores.shape[2])]


def _positions(sizes):
    """Top-left corner of every neuron's thumbnail, column by column, each column centred."""
    span = WIDTH - LEFT - THUMB - 56  # room for the "class k" labels on the right
    xs = [LEFT + round(span * c / max(len(sizes) - 1, 1)) for c in range(len(sizes))]
    tallest = max(sizes)
    return [[(x, TOP + (tallest - n) * ROW // 2 + i * ROW) for i in range(n)]
            for x, n in zip(xs, sizes, strict=True)]


def diagram_height(sizes):
    """Pixels needed for columns of ``sizes`` neurons: the tallest column sets the height."""
    return TOP + max(sizes) * ROW


def link_style(weight):
    """(RGB 0-255 tuple, width in pixels) of the link for one weight."""
    weight = float(weight) if np.isfinite(weight) else 0.0  # a diverged weight: thin and pale
    size = abs(weight)
    strength = min(0.25 + 0.75 * size, 1.0)
    colour = 1.0 - strength * (1.0 - (POSITIVE if weight >= 0 else NEGATIVE))
    return tuple(int(c) for c in raster.to_uint8(colour)), int(np.clip(round(1 + 2 * size), 1, 7))


@functools.lru_cache(maxsize=16)
def _labels(sizes, feature_names, classification):
    """The white canvas with the labels, which change only with the architecture: drawn once
    (text is the slow part of Pillow) and copied for every frame."""
    columns = _positions(sizes)
    image = Image.new("RGB", (WIDTH, diagram_height(sizes)), "white")
    draw = ImageDraw.Draw(image)
    for (x, y), name in zip(columns[0], feature_names, strict=True):
        draw_label(draw, (x - 4, y + THUMB // 2), feature_label(name), anchor="rm")
    titles = ["inputs"] + [f"{n} neuron{'s' if n > 1 else ''}" for n in sizes[1:-1]] + ["output"]
    for column, title in zip(columns, titles, strict=True):
        draw_label(draw, (column[0][0] + THUMB // 2, 6), title, fill=(60, 60, 60), anchor="ma")
    for k, (x, y) in enumerate(columns[-1]):
        label = f"class {k}" if classification else "value"
        draw_label(draw, (x + THUMB + 4, y + THUMB // 2), label, anchor="lm")
    return image


def network_diagram(model, features, hidden, output, resolution, *, feature_names,
                    activation, classification):
    """Draw the diagram. Returns RGB uint8 (diagram_height(sizes), WIDTH, 3).

    model: the playground ``Sequential`` (its ``Dense`` layers give the links);
    features (resolution**2, n_features), hidden (list of (resolution**2, n_neurons)) and
    output (resolution**2, n_outputs): everything computed on the view's grid.
    """
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    sizes = [features.shape[1]] + [h.shape[1] for h in hidden] + [output.shape[1]]
    columns = _positions(sizes)
    image = _labels(tuple(sizes), tuple(feature_names), classification).copy()
    draw = ImageDraw.Draw(image)

    links = []
    for layer, left, right in zip(dense, columns[:-1], columns[1:], strict=True):
        for i, (x0, y0) in enumerate(left):
            for j, (x1, y1) in enumerate(right):
                links.append((abs(layer.weights[i, j]), layer.weights[i, j],
                              (x0 + THUMB, y0 + THUMB // 2), (x1, y1 + THUMB // 2)))
    links.sort(key=lambda link: link[0])
    for _, weight, start, end in links:
        colour, width = link_style(weight)
        draw.line([start, end], fill=colour, width=width)

    feature_ranges = [(-r, r) for r in np.abs(features).max(axis=0) + 1e-12]
    pictures = [_thumbnails(features, resolution, feature_ranges)]
    for values in hidden:
        ranges = [neuron_range(values[:, k], activation) for k in range(values.shape[1])]
        pictures.append(_thumbnails(values, resolution, ranges))
    pictures.append(_class_thumbnails(output, resolution) if classification
                    else _thumbnails(output, resolution, [(-1.0, 1.0)]))
    for column, thumbs in zip(columns, pictures, strict=True):
        for (x, y), thumb in zip(column, thumbs, strict=True):
            image.paste(Image.fromarray(thumb), (x, y))
            draw.rectangle((x - 1, y - 1, x + thumb.shape[1], y + thumb.shape[0]),
                           outline=(90, 90, 90))
    return np.asarray(image)
