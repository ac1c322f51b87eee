"""Kernel explorer (chapter 08): pick or edit a 3x3 kernel, a stride and a padding; see the
feature map nnlib's ``Conv2D`` makes of an image, and its size.

- ``KERNELS``: named 3x3 kernels (identity, blurs, sharpen, Sobel x / y, Laplacian);
- ``sample_images()``: a few 28x28 grey pictures to try them on (rendered digits, shapes);
- ``convolve(image, kernel, stride, padding)``: one 2-D image through ``nn.Conv2D`` with the
  kernel loaded into its weights, so the explorer shows exactly what the library computes;
- ``output_shape(height, width, kernel_size, stride, padding)``: the size rule;
- ``kernel_gallery(image)``: a matplotlib Figure, the image under every named kernel;
- ``kernel_picture(image, kernel, stride, padding)``: the explorer's picture as a uint8 RGB
  array: the padded input with the first two kernel windows outlined, the kernel, the output;
- ``KernelExplorer(image, kernel, stride, padding)``: the widget. Menus pick the image and a
  named kernel (which fills the 3x3 grid of weights); editing any weight makes the kernel
  "custom"; sliders set stride and padding; the line under the picture works out the size.

Built on ``nnlib.live.LivePlot`` (CSS classes ``nnlib-widget`` / ``nnlib-plot``, merged redraws,
a PNG with alt text where widgets cannot run) and ``nnlib.raster`` (frames drawn once, pictures
filled with numpy; the kernel's numbers are pasted from character bitmaps drawn once). A redraw
takes a few milliseconds.
"""

from functools import lru_cache

import numpy as np

from .. import raster
from ..conv import Conv2D, output_size
from ..live import LivePlot, label_controls
from ..plotting import PALETTE, diverging_rgb

#: named kernels; each is a 3x3 list of weights (row by row)
KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "blur (box)": [[1 / 9] * 3] * 3,
    "blur (Gaussian)": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16],
                        [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "edges: Sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "edges: Sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "edges: Laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
CUSTOM = "custom"
#: screen pixels per image pixel in the explorer's picture
SCALE = 7
STRIDES = (1, 3)
PADDINGS = (0, 2)

_PAD_TINT = raster.hex_to_rgb(PALETTE[4])
_FIRST, _NEXT = PALETTE[1], PALETTE[2]


# --- the computation -------------------------------------------------------------------------
def as_kernel(kernel):
    """A named kernel or an array-like -> float array (kh, kw); raises for anything else."""
    if isinstance(kernel, str):
        if kernel not in KERNELS:
            raise ValueError(f"unknown kernel {kernel!r}; the named kernels are {list(KERNELS)}")
        kernel = KERNELS[kernel]
    array = np.asarray(kernel, dtype=float)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"a kernel must be a 2-D array such as 3x3, but got shape {array.shape}")
    return array


def as_image(image):
    """A sample name or a 2-D array -> float array (H, W)."""
    if isinstance(image, str):
        images = sample_images()
        if image not in images:
            raise ValueError(f"unknown image {image!r}; the samples are {list(images)}")
        return images[image]
    array = np.asarray(image, dtype=float)
    if array.ndim == 4 and array.shape[:2] == (1, 1):
        array = array[0, 0]
    if array.ndim != 2:
        raise ValueError(
            f"an image must be a 2-D grey picture (height, width), but got shape {array.shape}"
        )
    return array


def output_shape(height, width, kernel_size, stride=1, padding=0):
    """(H_out, W_out) for an (height, width) image; ``kernel_size`` an int or (kh, kw)."""
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    return output_size(height, kh, stride, padding), output_size(width, kw, stride, padding)


def convolve(image, kernel, stride=1, padding=0):
    """Feature map (H_out, W_out) of one grey image (H, W) under one kernel, by ``nn.Conv2D``.

    The layer has one input and one output channel; its weights (1, 1, kh, kw) are the
    kernel and its bias is 0.
    """
    image, kernel = as_image(image), as_kernel(kernel)
    layer = Conv2D(1, 1, kernel.shape, stride=stride, padding=padding)
    layer.weights[0, 0] = kernel
    return layer.forward(image[None, None])[0, 0]


@lru_cache(maxsize=1)
def sample_images():
    """{name: (28, 28) float image in [0, 1]}: three clean rendered digits and a shapes test
    card (a square, a ring and a diagonal bar), bright on dark like the digits data set."""
    from .. import digits

    images = {}
    for digit, font in ((3, "DejaVuSans"), (7, "DejaVuSerif"), (8, "cmr10")):
        drawn = digits.render(40, rng=digit, fonts=[font], rotation=0.0, shear=0.0, shift=0.0,
                              scale=(1.0, 1.0), stroke=(0.5, 0.5), noise=0.0)
        images[f"digit {digit}"] = drawn.X[np.flatnonzero(drawn.y == digit)[0], 0]
    rows, cols = np.mgrid[0:28, 0:28]
    card = np.zeros((28, 28))
    card[3:12, 3:12] = 1.0                                        # square
    ring = np.hypot(rows - 19.5, cols - 19.5)
    card[(ring > 3.5) & (ring < 6.0)] = 1.0                       # ring
    card[(np.abs(rows - (27 - cols)) < 1.2) & (rows < 14) & (cols > 13)] = 1.0   # bar
    images["shapes"] = card
    return images


# --- the picture -----------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _frame(rows, cols, first_row, first_col, title):
    """Axes around a (rows x cols) pixel grid whose top-left pixel has coordinates
    (first_row, first_col); one image pixel is SCALE screen pixels."""
    extent = (first_col, first_col + cols, first_row + rows, first_row)
    return raster.Frame(extent, (cols * SCALE, rows * SCALE), xlabel="column", ylabel="row",
                        title=title, left=36, bottom=34)


def _upscale(picture):
    return np.repeat(np.repeat(picture, SCALE, axis=0), SCALE, axis=1)


def _outline(picture, top, left, height, width, colour):
    """Draw a rectangle's outline (in image pixels) onto an upscaled float picture."""
    y0, x0 = top * SCALE, left * SCALE
    y1, x1 = (top + height) * SCALE - 1, (left + width) * SCALE - 1
    rows = np.array([y0, y0, y1, y1, y0], dtype=float)
    cols = np.array([x0, x1, x1, x0, x0], dtype=float)
    raster.draw_polyline(picture, rows, cols, raster.hex_to_rgb(colour), width=2)


def input_panel(image, kernel_size, stride, padding):
    """The padded image in grey (padding tinted sky blue), the first kernel window outlined in
    orange and the next one along the row (one stride on) in green; uint8 RGB."""
    kh, kw = kernel_size
    H, W = image.shape
    p = padding
    padded = np.zeros((H + 2 * p, W + 2 * p))
    padded[p:p + H, p:p + W] = np.clip(image, 0.0, 1.0)
    picture = np.repeat(padded[..., None], 3, axis=2)
    if p:
        border = np.ones(padded.shape, dtype=bool)
        border[p:p + H, p:p + W] = False
        picture[border] = 0.55 * _PAD_TINT
    picture = _upscale(picture)
    _outline(picture, 0, 0, kh, kw, _FIRST)
    if stride + kw <= W + 2 * p:
        _outline(picture, 0, stride, kh, kw, _NEXT)
    title = f"input {H}x{W}" + (f", padded to {H + 2 * p}x{W + 2 * p}" if p else "")
    return _frame(H + 2 * p, W + 2 * p, -p, -p, title).compose(picture)


def output_panel(feature_map):
    """The feature map on the diverging map: blue negative, white 0, vermillion positive,
    scaled by its largest absolute value; uint8 RGB."""
    largest = float(np.max(np.abs(feature_map))) or 1.0
    picture = _upscale(diverging_rgb(0.5 + 0.5 * feature_map / largest))
    h, w = feature_map.shape
    return _frame(h, w, 0, 0, f"output {h}x{w}").compose(picture)


#: size of one character cell of the panel's text, in pixels (DejaVu Sans Mono, 10 pt)
_CHAR_W, _CHAR_H = 8, 15
_CELL = 46
_INK = np.array([0.1, 0.1, 0.1])


@lru_cache(maxsize=128)
def _glyph(char):
    """Coverage (_CHAR_H, _CHAR_W) in [0, 1] of one character, drawn by matplotlib once."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(_CHAR_W / 100, _CHAR_H / 100), dpi=100)
    fig.patch.set_alpha(0.0)
    fig.text(0.5, 4 / _CHAR_H, char, ha="center", va="baseline", fontsize=10,
             family="DejaVu Sans Mono")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 3] / 255.0


def _write(picture, text, centre_row, centre_col, colour=_INK):
    """Write ``text`` centred at (row, col) on a float RGB picture, character by character."""
    top = int(round(centre_row - _CHAR_H / 2))
    left = int(round(centre_col - _CHAR_W * len(text) / 2))
    for k, char in enumerate(text):
        coverage = _glyph(char)[..., None]
        col = left + k * _CHAR_W
        area = picture[top:top + _CHAR_H, col:col + _CHAR_W]
        area[...] = area * (1 - coverage) + colour * coverage


def kernel_panel(kernel):
    """The kernel's weights as cells coloured on the diverging map, with their values written
    in them, under the title "kernel"; uint8 RGB. Drawn with numpy (a millisecond or so)."""
    kernel = as_kernel(kernel)
    kh, kw = kernel.shape
    largest = float(np.max(np.abs(kernel))) or 1.0
    title_h = 26
    picture = np.ones((title_h + kh * _CELL + 1, kw * _CELL + 1, 3))
    cells = diverging_rgb(0.5 + 0.5 * kernel / largest)
    picture[title_h:title_h + kh * _CELL, :kw * _CELL] = np.repeat(
        np.repeat(cells, _CELL, axis=0), _CELL, axis=1)
    picture[title_h::_CELL, :] = 0.4                       # grid lines
    picture[title_h:, ::_CELL] = 0.4
    _write(picture, "kernel", title_h / 2, picture.shape[1] / 2)
    for (i, j), value in np.ndenumerate(kernel):
        _write(picture, _number(value), title_h + (i + 0.5) * _CELL, (j + 0.5) * _CELL)
    return raster.to_uint8(picture)


def _number(value):
    """A weight as at most 5 characters: 1, -2, 0.25, 0.111, 1e+03."""
    text = f"{value:.3g}"
    return text if len(text) <= 5 else f"{value:.0e}"


def kernel_picture(image, kernel, stride=1, padding=0):
    """Input (padded, windows outlined) | kernel | output, side by side: uint8 (H, W, 3)."""
    image, kernel = as_image(image), as_kernel(kernel)
    feature_map = convolve(image, kernel, stride, padding)
    return raster.side_by_side(input_panel(image, kernel.shape, stride, padding),
                               kernel_panel(kernel), output_panel(feature_map), gap=12)


def size_sentence(height, width, kernel_size, stride, padding):
    """'output size: (28 + 2*1 - 3) // 2 + 1 = 14 rows, ... -> 14x14' (the rule, worked)."""
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    h_out, w_out = output_shape(height, width, (kh, kw), stride, padding)
    rows = f"({height} + 2*{padding} - {kh}) // {stride} + 1 = {h_out}"
    if (height, kh) == (width, kw):
        return f"output size: {rows} -> {h_out}x{w_out} pixels"
    cols = f"({width} + 2*{padding} - {kw}) // {stride} + 1 = {w_out}"
    return f"output size: rows {rows}, columns {cols} -> {h_out}x{w_out} pixels"


def describe(image_name, kernel, stride, padding, feature_map):
    """Alt text for one setting of the explorer."""
    kernel = as_kernel(kernel)
    h, w = feature_map.shape
    weights = "; ".join(", ".join(f"{v:.3g}" for v in row) for row in kernel)
    return (f"Left: the image '{image_name}' with padding {padding}, the first two positions of "
            f"the kernel (stride {stride}) outlined. Middle: the kernel, rows {weights}. Right: "
            f"the {h}x{w} output, blue where negative and vermillion where positive, ranging "
            f"from {feature_map.min():.2f} to {feature_map.max():.2f}.")


def kernel_gallery(image, names=None):
    """matplotlib Figure: the image, then its feature map under each named kernel
    (stride 1, padding 1, so every map is as large as the image)."""
    import matplotlib.pyplot as plt

    image = as_image(image)
    names = list(KERNELS) if names is None else list(names)
    fig, axes = plt.subplots(1, len(names) + 1, figsize=(1.7 * (len(names) + 1), 2.2))
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("image", fontsize=9)
    cmap = _diverging_cmap()
    for ax, name in zip(axes[1:], names, strict=True):
        feature_map = convolve(image, name, padding=1)
        largest = float(np.max(np.abs(feature_map))) or 1.0
        ax.imshow(feature_map, cmap=cmap, vmin=-largest, vmax=largest)
        ax.set_title(name.replace("edges: ", ""), fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def _diverging_cmap():
    from ..plotting import diverging_cmap

    return diverging_cmap()


# --- the widget ------------------------------------------------------------------------------
class KernelExplorer(LivePlot):
    """Menus for the image and a named kernel, a 3x3 grid of editable weights, sliders for
    stride and padding; the picture is ``kernel_picture`` and the status line gives the output
    size worked out with the rule.

    ``image``: a name from ``sample_images()`` or your own 2-D array; ``kernel``: a name from
    ``KERNELS`` or a 3x3 array-like (shown as "custom").
    """

    def __init__(self, image="digit 3", kernel="edges: Sobel x", stride=1, padding=0):
        import ipywidgets as widgets

        images = dict(sample_images())
        if isinstance(image, str):
            as_image(image)                       # raises for an unknown name
            image_name = image
        else:
            image_name = "your image"
            images[image_name] = as_image(image)
        self.images = images
        weights = as_kernel(kernel)
        if weights.shape != (3, 3):
            raise ValueError(f"the explorer edits 3x3 kernels, but got shape {weights.shape}")
        stride, padding = _check_int(stride, STRIDES, "stride"), _check_int(padding, PADDINGS,
                                                                             "padding")
        self.image_menu = widgets.Dropdown(options=list(images), value=image_name,
                                           description="image")
        self.kernel_menu = widgets.Dropdown(
            options=list(KERNELS) + [CUSTOM],
            value=kernel if isinstance(kernel, str) else CUSTOM, description="kernel")
        self.stride = widgets.IntSlider(value=stride, min=STRIDES[0], max=STRIDES[1],
                                        description="stride")
        self.padding = widgets.IntSlider(value=padding, min=PADDINGS[0], max=PADDINGS[1],
                                         description="padding")
        self.cells = [widgets.FloatText(value=float(v), step=0.25,
                                        description=f"w[{i},{j}]",
                                        layout=widgets.Layout(width="130px"))
                      for (i, j), v in np.ndenumerate(weights)]
        self.controls = [self.image_menu, self.kernel_menu, self.stride, self.padding,
                         *self.cells]
        label_controls(self.controls)
        self._filling = False
        self.kernel_menu.observe(self._preset_chosen, names="value")
        for cell in self.cells:
            cell.observe(self._weight_edited, names="value")
        for control in (self.image_menu, self.stride, self.padding):
            control.observe(self.redraw, names="value")
        grid = widgets.GridBox(self.cells, layout=widgets.Layout(
            grid_template_columns="repeat(3, 140px)", grid_gap="2px 6px"))
        note = widgets.Label(value="kernel weights (pick a kernel above, or type your own):")
        self._build([
            widgets.HBox([self.image_menu, self.kernel_menu],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.stride, self.padding], layout=widgets.Layout(flex_flow="row wrap")),
            note, grid,
        ])

    @property
    def kernel(self):
        """The current weights as a (3, 3) array."""
        return np.array([cell.value for cell in self.cells], dtype=float).reshape(3, 3)

    @property
    def image_array(self):
        return self.images[self.image_menu.value]

    def _preset_chosen(self, change):
        if change["new"] == CUSTOM:
            return
        self._filling = True
        try:
            for cell, value in zip(self.cells, np.ravel(KERNELS[change["new"]]), strict=True):
                cell.value = float(value)
        finally:
            self._filling = False
        self.redraw()

    def _weight_edited(self, _change):
        if not self._filling:
            self.kernel_menu.value = CUSTOM
        self.redraw()

    def feature_map(self):
        """The current output (H_out, W_out)."""
        return convolve(self.image_array, self.kernel, self.stride.value, self.padding.value)

    def draw(self):
        return kernel_picture(self.image_array, self.kernel, self.stride.value,
                              self.padding.value)

    def status_text(self):
        H, W = self.image_array.shape
        return size_sentence(H, W, 3, self.stride.value, self.padding.value)

    def describe(self):
        return describe(self.image_menu.value, self.kernel, self.stride.value,
                        self.padding.value, self.feature_map())


def _check_int(value, bounds, name):
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, but got {value!r}")
    return int(value)
