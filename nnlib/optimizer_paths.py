"""Optimizers walking on a two-parameter loss surface: SGD, SGD with momentum, and Adam.

``optimizer_paths(surface, lr, momentum, steps)`` runs nnlib's own optimizers (so the paths are
exactly what training does) from the surface's starting point; ``paths_picture`` draws the
contours with the three paths; ``LearningRateExplorer`` puts sliders for the learning rate
(log scale) and the momentum in front of it, showing convergence, oscillation and divergence.

Surfaces (w = (w1, w2)):
- ``bowl``:   L = w1² + w2²            round: every direction equally steep;
- ``valley``: L = 0.1 w1² + 2 w2²      a long narrow valley: steep across, nearly flat along;
- ``saddle``: L = 0.5 w1² + 0.25 w2⁴ - w2²   a saddle at 0 between two minima at w2 = ±√2.
"""

from collections import namedtuple

import numpy as np

from . import raster
from .live import LivePlot, label_controls
from .optim import SGD, Adam
from .plotting import PALETTE

Surface = namedtuple("Surface", ["loss", "gradient", "start", "extent", "minima"])

SURFACES = {
    "bowl": Surface(lambda a, b: a**2 + b**2,
                    lambda w: np.array([2 * w[0], 2 * w[1]]),
                    (-4.0, 3.5), (-5.0, 5.0, -5.0, 5.0), [(0.0, 0.0)]),
    "valley": Surface(lambda a, b: 0.1 * a**2 + 2 * b**2,
                      lambda w: np.array([0.2 * w[0], 4 * w[1]]),
                      (-4.5, 2.0), (-5.0, 5.0, -3.0, 3.0), [(0.0, 0.0)]),
    "saddle": Surface(lambda a, b: 0.5 * a**2 + 0.25 * b**4 - b**2,
                      lambda w: np.array([w[0], w[1] ** 3 - 2 * w[1]]),
                      (4.0, 0.02), (-5.0, 5.0, -3.0, 3.0), [(0.0, 2**0.5), (0.0, -(2**0.5))]),
}
#: (name, colour, marker) of the three optimizers, in drawing order
OPTIMIZERS = (("SGD", PALETTE[0], "o"), ("momentum", PALETTE[5], "s"), ("Adam", PALETTE[2], "^"))
PLOT_SIZE = (300, 200)
_LIMIT = 1e3


def _surface(name):
    if name not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}, got {name!r}")
    return SURFACES[name]


def optimizer_paths(surface="valley", lr=0.1, momentum=0.9, steps=50):
    """Run SGD, SGD with ``momentum`` and Adam for ``steps`` steps with learning rate ``lr``.

    Returns {name: array (k + 1, 2)} of positions from the start; a path stops early (k <
    steps) when it diverges (a coordinate beyond 1000 or not finite).
    """
    s = _surface(surface)
    makers = {"SGD": lambda: SGD(lr), "momentum": lambda: SGD(lr, momentum=momentum),
              "Adam": lambda: Adam(lr)}
    paths = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for name, make in makers.items():
            optimizer = make()
            w = np.array(s.start, dtype=float)
            points = [w.copy()]
            for _ in range(int(steps)):
                optimizer.step([(w, s.gradient(w))])
                if not np.all(np.isfinite(w)) or np.abs(w).max() > _LIMIT:
                    points.append(np.clip(np.nan_to_num(w, nan=_LIMIT), -_LIMIT, _LIMIT))
                    break
                points.append(w.copy())
            paths[name] = np.array(points)
    return paths


def path_summary(surface, paths, steps):
    """One phrase per optimizer: its final loss, or the step at which it diverged."""
    s = _surface(surface)
    parts = []
    for name, path in paths.items():
        end = path[-1]
        if len(path) <= steps and np.abs(end).max() >= _LIMIT:
            parts.append(f"{name}: diverged at step {len(path) - 1}")
        else:
            parts.append(f"{name}: loss {float(s.loss(end[0], end[1])):.4f}")
    return "; ".join(parts)


def _contour_background(surface, width, height):
    """Float picture (H, W, 3): banded shading of log(loss) with darker contour lines."""
    s = _surface(surface)
    grid = raster.grid_points(s.extent, width, height)
    loss = s.loss(grid[:, 0], grid[:, 1]).reshape(height, width)
    level = np.log1p(loss - loss.min())
    bands = np.floor(level / level.max() * 12).astype(int)
    shade = 0.97 - 0.035 * bands
    picture = np.repeat(shade[..., None], 3, axis=2) * np.array([0.96, 0.98, 1.0])
    edge = np.zeros_like(bands, dtype=bool)
    edge[:, :-1] |= bands[:, :-1] != bands[:, 1:]
    edge[:-1, :] |= bands[:-1, :] != bands[1:, :]
    picture[edge] = 0.6
    return picture


class _PathsFigure:
    """Frames and backgrounds per surface, drawn once and reused."""

    def __init__(self):
        self.cache = {}

    def get(self, surface):
        if surface not in self.cache:
            s = _surface(surface)
            frame = raster.Frame(s.extent, PLOT_SIZE, xlabel="w1", ylabel="w2",
                                 title=f"loss surface: {surface}",
                                 legend=[(n, c, m) for n, c, m in OPTIMIZERS]
                                 + [("start", "#ffffff", "o"), ("minimum", "#000000", "X")])
            self.cache[surface] = (frame, _contour_background(surface, *PLOT_SIZE))
        return self.cache[surface]


_FIGURES = _PathsFigure()


def paths_picture(surface="valley", lr=0.1, momentum=0.9, steps=50, paths=None):
    """uint8 picture (H, W, 3): contours of the surface with the three optimizers' paths."""
    frame, background = _FIGURES.get(surface)
    s = _surface(surface)
    if paths is None:
        paths = optimizer_paths(surface, lr, momentum, steps)
    picture = background.copy()
    rows, cols = frame.to_pixels(np.array(s.minima))
    raster.draw_markers(picture, rows, cols, np.zeros(3), "X", 4)
    for name, colour, marker in OPTIMIZERS:
        path = paths[name]
        rows, cols = frame.to_pixels(path)
        rgb = raster.hex_to_rgb(colour)
        raster.draw_polyline(picture, rows, cols, rgb, width=2, dash=4 if name == "Adam" else 0)
        raster.draw_markers(picture, rows, cols, rgb, marker, 2)
    rows, cols = frame.to_pixels(np.array([s.start]))
    raster.draw_markers(picture, rows, cols, np.ones(3), "o", 4)
    return frame.compose(picture)


class LearningRateExplorer(LivePlot):
    """Paths of SGD, momentum and Adam on a 2-parameter loss surface.

    Sliders: learning rate (log scale, 0.001 to 1.5), momentum (0 to 0.99); a menu picks
    the surface. Too small a rate crawls, a larger one converges, larger still oscillates
    across the valley, and past 2 / (steepest curvature) SGD diverges.
    """

    def __init__(self, surface="valley", lr=0.1, momentum=0.9, steps=50):
        import ipywidgets as widgets

        _surface(surface)
        self.steps = int(steps)
        self._paths, self._paths_for = None, None
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=np.log10(1.5),
                                         step=0.05, description="learning rate",
                                         readout_format=".3f")
        self.momentum = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                            description="momentum", readout_format=".2f")
        self.surface = widgets.Dropdown(options=list(SURFACES), value=surface,
                                        description="surface")
        self.controls = [self.lr, self.momentum, self.surface]
        label_controls(self.controls)
        for control in self.controls:
            control.observe(self.redraw, names="value")
        self._build([widgets.HBox(self.controls,
                                  layout=widgets.Layout(flex_flow="row wrap"))])

    @property
    def values(self):
        return {"surface": self.surface.value, "lr": self.lr.value,
                "momentum": self.momentum.value, "steps": self.steps}

    def draw(self):
        self._paths_for = self.values
        self._paths = optimizer_paths(**self._paths_for)
        return paths_picture(paths=self._paths, **self._paths_for)

    def status_text(self):
        v = self.values
        paths = self._paths if self._paths_for == v else optimizer_paths(**v)
        return (f"learning rate {v['lr']:.4f}, momentum {v['momentum']:.2f}, after "
                f"{self.steps} steps: " + path_summary(v["surface"], paths, self.steps))

    def describe(self):
        return ("Learning-rate explorer: contour lines of the " + self.surface.value
                + " loss surface with the paths of SGD, momentum and Adam. "
                + self.status_text())
