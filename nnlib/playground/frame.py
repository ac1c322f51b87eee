"""One frame of the playground: the data with the model's answer, the network diagram and
the loss chart, all from a single forward pass of the view's grid."""

import numpy as np

from .. import raster
from ..plotting import DIVERGING, PALETTE
from .diagram import network_diagram
from .render import (
    TEST_EDGE,
    TRAIN_EDGE,
    class_regions,
    draw_data,
    loss_chart,
    upscale,
    value_regions,
)

RESOLUTION = 96  # grid points per side; the main picture is SCALE times larger
SCALE = 3


class FrameDrawer:
    """Draws frames of a ``Session``, caching the matplotlib-drawn axes between frames."""

    def __init__(self, resolution=RESOLUTION, scale=SCALE):
        self.resolution, self.scale = resolution, scale
        self._frames = {}

    def boundary_frame(self, session):
        size = self.resolution * self.scale
        extent = session.extent
        if session.is_classification:
            legend = [(f"class {k}", PALETTE[k % len(PALETTE)], raster.MARKERS[k])
                      for k in range(session.n_outputs)]
        else:
            legend = [("target < 0", DIVERGING[0], "o"), ("target > 0", DIVERGING[2], "o")]
        key = (extent, tuple(legend))
        if key not in self._frames:
            self._frames[key] = raster.Frame((-extent, extent, -extent, extent), size,
                                             legend=legend, legend_width=96, top=8)
        return self._frames[key]

    def draw(self, session):
        """Render ``session``. Returns a dict of RGB uint8 arrays:

        ``"boundary"``: predicted classes (or regression values) over the view, in axes, with
        the training points (white outline) and, if the configuration says so, the test points
        (black outline); ``"diagram"``: the network; ``"chart"``: the loss per epoch.
        """
        config, res = session.config, self.resolution
        features, hidden, output = session.outputs_on_grid(res)
        if session.is_classification:
            regions = class_regions(output, discretize=config.discretize)
        else:
            regions = value_regions(output[:, 0], discretize=config.discretize)
        picture = upscale(regions.reshape(res, res, 3), self.scale)
        for X, y, edge, show in ((session.X_train, session.y_train, TRAIN_EDGE, True),
                                 (session.X_test, session.y_test, TEST_EDGE, config.show_test)):
            if show:
                draw_data(picture, X, y, session.extent, classification=session.is_classification,
                          edge=edge)
        boundary = self.boundary_frame(session).compose(picture)
        diagram = network_diagram(session.model, features, hidden, output, res,
                                  feature_names=config.features, activation=config.activation,
                                  classification=session.is_classification)
        chart = loss_chart(session.history["train_loss"], session.history["test_loss"])
        return {"boundary": boundary, "diagram": diagram, "chart": chart}


def compose(frame):
    """The three pictures in one array (boundary and chart left, diagram right), for a static
    snapshot."""
    return raster.side_by_side(_stack(frame["boundary"], frame["chart"]), frame["diagram"],
                               gap=12)


def _stack(top, bottom):
    width = max(top.shape[1], bottom.shape[1])
    out = np.full((top.shape[0] + bottom.shape[0] + 6, width, 3), 255, np.uint8)
    out[:top.shape[0], :top.shape[1]] = top
    out[top.shape[0] + 6:, :bottom.shape[1]] = bottom
    return out
