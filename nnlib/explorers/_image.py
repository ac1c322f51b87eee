"""The shared base of the chapter explorers: named controls in front of one picture.

Built on ``nnlib.live.LivePlot`` (the generic widget machinery behind ``nnlib.widgets``), so
every explorer gets the course's conventions: CSS classes ``nnlib-widget`` / ``nnlib-plot``,
redraws merged while a slider is dragged, a status line under the picture, and a PNG with alt
text as the static fallback where no widget front end runs (nbval, nbconvert, static HTML).

Pictures that follow a slider are drawn straight into RGB arrays (``nnlib.raster``: a few
milliseconds); ``figure_rgb`` turns a matplotlib Figure into such an array for the rest.
``curve_panel`` and ``bar_panel`` draw lines, markers and bars into a cached ``raster.Frame``.
"""

import numpy as np

from .. import raster
from ..live import LivePlot, label_controls

_GREY = np.array([0.45, 0.45, 0.45])


def figure_rgb(fig, dpi=90):
    """A matplotlib Figure as a uint8 RGB array (height, width, 3); the figure is closed."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return rgb


def blank(frame):
    """A white float picture the size of ``frame``'s plot area."""
    return np.ones((frame.height, frame.width, 3))


def curve_panel(frame, curves=(), markers=(), vlines=(), hlines=()):
    """Compose ``frame`` with lines and markers drawn in data coordinates.

    ``curves``: (x, y, colour_hex, dash) with x, y 1-D arrays (dash 0 for solid);
    ``markers``: (x, y, colour_hex, marker); ``vlines`` / ``hlines``: positions of thin grey
    guide lines. Returns a uint8 image (H, W, 3).
    """
    picture = blank(frame)
    x0, x1, y0, y1 = frame.extent
    for x in vlines:
        rows, cols = frame.to_pixels(np.array([[x, y0], [x, y1]]))
        raster.draw_polyline(picture, rows, cols, _GREY, width=1, dash=3)
    for y in hlines:
        rows, cols = frame.to_pixels(np.array([[x0, y], [x1, y]]))
        raster.draw_polyline(picture, rows, cols, _GREY, width=1)
    margin = 0.02 * (y1 - y0)
    for x, y, colour, dash in curves:  # clipped: a curve far off the panel costs no samples
        y = np.clip(y, y0 - margin, y1 + margin)
        rows, cols = frame.to_pixels(np.column_stack([x, y]))
        raster.draw_polyline(picture, rows, cols, raster.hex_to_rgb(colour), width=2, dash=dash)
    for x, y, colour, marker in markers:
        y = float(np.clip(y, y0, y1))
        rows, cols = frame.to_pixels(np.array([[x, y]]))
        raster.draw_markers(picture, rows, cols, raster.hex_to_rgb(colour), marker, radius=4)
    return frame.compose(picture)


def bar_panel(frame, heights, colours, hatched=None, width=0.7):
    """Compose ``frame`` with bars at x = 0, 1, ... of the given heights; ``hatched`` (an index)
    gets diagonal white stripes so it differs from the others without relying on colour."""
    picture = blank(frame)
    x0, x1, y0, y1 = frame.extent
    cols = x0 + (np.arange(frame.width) + 0.5) * (x1 - x0) / frame.width
    rows = y1 - (np.arange(frame.height) + 0.5) * (y1 - y0) / frame.height
    stripes = ((np.arange(frame.height)[:, None] + np.arange(frame.width)[None, :]) // 4) % 3 == 0
    for k, (height, colour) in enumerate(zip(heights, colours, strict=True)):
        inside = (np.abs(cols - k) <= width / 2)[None, :] & (rows <= height)[:, None]
        picture[inside] = raster.hex_to_rgb(colour)
        if k == hatched:
            picture[inside & stripes] = 1.0
    return frame.compose(picture)


class ImageExplorer(LivePlot):
    """Controls (a dict name -> ipywidget) above the picture ``draw(**values)``.

    ``draw`` returns a uint8 RGB array or a matplotlib Figure. ``alt`` is a string or a function
    ``alt(**values) -> str`` describing the picture; ``status`` an optional function
    ``status(**values) -> str`` for the line under the picture; ``header`` an optional list of
    extra widgets (e.g. buttons) shown above the controls.
    """

    def __init__(self, draw, controls, *, alt, status=None, header=None):
        import ipywidgets as widgets

        self._draw = draw
        self.controls = dict(controls)
        self._alt = alt
        self._status = status
        label_controls(self.controls.values())
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        rows = list(header or [])
        if self.controls:
            rows.append(widgets.HBox(list(self.controls.values()),
                                     layout=widgets.Layout(flex_flow="row wrap")))
        self._build(rows)

    @property
    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def draw(self):
        picture = self._draw(**self.values)
        return picture if isinstance(picture, np.ndarray) else figure_rgb(picture)

    def describe(self):
        return self._alt(**self.values) if callable(self._alt) else str(self._alt)

    def status_text(self):
        return self._status(**self.values) if self._status is not None else ""
