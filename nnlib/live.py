"""The machinery shared by every nnlib widget: coalesced redraws, the picture, static fallback.

A live widget is controls + one ``ipywidgets.Image`` (CSS class ``nnlib-plot``) inside a root
box (CSS class ``nnlib-widget``). When a control moves, the widget asks its ``Redrawer`` for a
redraw; the redraw itself runs a moment later on the kernel's event loop and reads the
controls' values *then*. Moves that arrive in between are merged into that one redraw, so
dragging a slider quickly never builds a queue of stale pictures.

Displaying a widget gives the front end a bundle with the live widget AND a PNG of its current
state (with alt text). JupyterLab shows the live widget; nbval, nbconvert and static HTML
pages, which cannot run widgets, show the PNG.
"""

import asyncio
import inspect
from abc import ABC, abstractmethod

import numpy as np

from . import raster
from .plotting import figure_png, png_bundle


def running_loop():
    """The asyncio loop running in this thread (the kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Redrawer:
    """Run ``render()`` once for any number of ``request()`` calls made in a burst.

    Inside a running event loop (a Jupyter kernel) the render is scheduled with
    ``loop.call_soon``; every request made before it runs is merged into it. Without a loop
    (scripts, tests) each request renders at once. ``flush()`` renders now if a request is
    pending. ``requests`` and ``renders`` count calls, so tests can see what was dropped.
    """

    def __init__(self, render, on_error=None):
        self.render = render
        self.on_error = on_error
        self.pending = False
        self.scheduled = False
        self.requests = 0
        self.renders = 0

    def request(self):
        self.requests += 1
        self.pending = True
        loop = running_loop()
        if loop is None:
            self.flush()
        elif not self.scheduled:
            self.scheduled = True
            loop.call_soon(self._scheduled_flush)

    def _scheduled_flush(self):
        self.scheduled = False
        self.flush()

    def flush(self):
        if not self.pending:
            return
        self.pending = False
        self.renders += 1
        try:
            self.render()
        except Exception as error:  # shown in the widget: a callback has nowhere else to go
            if self.on_error is None:
                raise
            self.on_error(error)


def picture_png(picture):
    """PNG bytes from a uint8 RGB array (H, W, 3) or a matplotlib Figure (closed afterwards)."""
    if isinstance(picture, np.ndarray):
        return raster.encode_png(picture)
    if hasattr(picture, "savefig"):
        png = figure_png(picture)
        import matplotlib.pyplot as plt

        plt.close(picture)
        return png
    raise TypeError(
        f"a draw function must return a uint8 RGB array (H, W, 3) or a matplotlib Figure, "
        f"got {type(picture).__name__}"
    )


def label_controls(controls):
    """Give sliders and menus readable, keyboard-friendly labels (no HTML, full width)."""
    for control in controls:
        if hasattr(control, "description_allow_html"):
            control.description_allow_html = False
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = "initial"
    return controls


class LivePlot(ABC):
    """Base class: a picture that follows its controls, with a static fallback.

    Subclasses build ``self.controls`` (a list of widgets), call ``self._build(...)`` and
    implement ``draw() -> uint8 RGB array or Figure`` and ``describe() -> alt text``.
    Public attributes: ``widget`` (the ipywidgets root), ``image`` (the Image), ``status``
    (a Label under the picture), ``redrawer``.
    """

    def describe(self):
        """One or two sentences for screen readers and static pages (the alt text)."""
        return "An interactive nnlib figure."

    @abstractmethod
    def draw(self):
        """The current picture: a uint8 RGB array (H, W, 3) or a matplotlib Figure."""

    def _build(self, rows):
        """Put ``rows`` (control boxes) above the picture and a status line, draw the first
        picture (an error here is raised: the arguments are wrong), then follow the controls."""
        import ipywidgets as widgets

        # align_self: keep the picture at its own pixel size instead of stretching it
        self.image = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start"))
        self.image.add_class("nnlib-plot")
        self.status = widgets.Label(value="")
        self.status.add_class("nnlib-status")
        self.redrawer = Redrawer(self._render, on_error=self._show_error)
        self.widget = widgets.VBox(list(rows) + [self.image, self.status])
        self.widget.add_class("nnlib-widget")
        self._render()

    def _render(self):
        # No image.tooltip: ipywidgets 8.1's ImageView fails to render when one is set.
        self.image.value = picture_png(self.draw())
        self.status.value = self.status_text()

    def status_text(self):
        """A line of text under the picture (numbers a learner can read); '' for none."""
        return ""

    def _show_error(self, error):
        self.status.value = f"Could not draw: {type(error).__name__}: {error}"

    def redraw(self, *_):
        """Ask for a redraw (merged with other requests until the kernel is free)."""
        self.redrawer.request()

    def png(self):
        """The current picture as PNG bytes (after any pending redraw)."""
        self.redrawer.flush()
        return self.image.value

    def _repr_mimebundle_(self, include=None, exclude=None):
        self.redrawer.flush()
        data = png_bundle(self.image.value, self.describe())
        data.update({k: v for k, v in self.widget._repr_mimebundle_().items()
                     if k != "text/plain"})
        return data

    def __repr__(self):
        return self.describe()


class InteractiveImage(LivePlot):
    """Controls + a picture from ``draw(**values)``; see ``interactive_image``."""

    def __init__(self, draw, controls, *, alt=None):
        import ipywidgets as widgets

        if not callable(draw):
            raise TypeError(f"draw must be a function draw(**values) -> picture, got {draw!r}")
        if not isinstance(controls, dict) or not controls:
            raise TypeError("controls must be a dict {name: widget or abbreviation}, e.g. "
                            "{'w': (-2.0, 2.0, 0.1)}")
        self._draw = draw
        self.alt = alt
        self.controls = {}
        defaults = _defaults(draw)
        for name, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                made = widgets.interactive.widget_from_abbrev(
                    control, defaults.get(name, inspect.Parameter.empty))
                if made is None:
                    raise ValueError(f"cannot make a control for {name!r} from {control!r}")
                made.description = name
                control = made
            elif not control.description:
                control.description = name
            self.controls[name] = control
        label_controls(self.controls.values())
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self._build([widgets.HBox(list(self.controls.values()),
                                  layout=widgets.Layout(flex_flow="row wrap"))])

    @property
    def values(self):
        """The controls' current values as a dict."""
        return {name: control.value for name, control in self.controls.items()}

    def draw(self):
        return self._draw(**self.values)

    def describe(self):
        settings = ", ".join(f"{name} = {value:.3g}" if isinstance(value, float)
                             else f"{name} = {value}" for name, value in self.values.items())
        return f"{self.alt or 'Interactive figure'} ({settings})."


def _defaults(function):
    """{argument name: default value} of a function's keyword defaults (as ``interact`` uses)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # some built-ins have no signature
        return {}
    return {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}


def interactive_image(draw, controls, *, alt=None):
    """A picture that redraws as its controls move: ``draw(**values)`` for the current values.

    ``controls``: {name: ipywidgets control, or an abbreviation as for ``interact``, e.g.
    ``(-2.0, 2.0, 0.1)`` for a slider or ``["a", "b"]`` for a menu, starting at ``draw``'s
    default for that argument if it has one}. ``draw`` returns a uint8
    RGB array (fast: see ``nnlib.raster``) or a matplotlib Figure. Stale values are dropped
    while dragging; without a widget front end the current picture shows as a PNG with
    ``alt`` as its alt text. Returns the ``InteractiveImage`` (it displays itself).
    """
    return InteractiveImage(draw, controls, alt=alt)
