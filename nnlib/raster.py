"""Drawing straight into RGB arrays: the fast path behind every live widget.

Re-drawing a matplotlib figure takes 80-110 ms, too slow for a slider (FACTS.md); filling a
numpy array and encoding it as PNG takes a few milliseconds. So the live widgets work like this:

- a ``Frame`` draws the axes, tick labels, title and legend ONCE with matplotlib and remembers
  which pixels belong to the plot area;
- each redraw fills a plot-area picture of shape (height, width, 3) with numpy (shaded regions,
  lines, markers) and ``Frame.compose`` pastes it into a copy of the frame;
- ``encode_png`` turns the result into the bytes an ``ipywidgets.Image`` shows.

Pixel convention: pixel (row i, column j) of a plot area covering ``extent = (x0, x1, y0, y1)``
has its centre at x = x0 + (j + 0.5) * (x1 - x0) / width, y = y1 - (i + 0.5) * (y1 - y0) / height,
so row 0 is the top of the picture (largest y), as in an image.
"""

import io

import numpy as np
from PIL import Image

#: matplotlib marker codes whose raster stamps ``marker_stamp`` draws; class k uses MARKERS[k % 8]
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")

_EDGE = np.array([0.1, 0.1, 0.1])
_stamp_cache = {}


def hex_to_rgb(color):
    """``"#0072B2"`` -> array([0.0, 0.447, 0.698]): a float RGB triple in [0, 1]."""
    if not (isinstance(color, str) and color.startswith("#") and len(color) == 7):
        raise ValueError(f"expected a colour written as '#RRGGBB', got {color!r}")
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255.0


def lighten(rgb, amount):
    """Mix a float colour with white: ``amount`` 0 keeps it, 1 gives white."""
    return 1.0 - (1.0 - np.asarray(rgb, dtype=float)) * (1.0 - amount)


def to_uint8(picture):
    """Float RGB in [0, 1] of shape (H, W, 3) -> uint8 (H, W, 3)."""
    return (np.clip(picture, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def encode_png(rgb):
    """uint8 array (H, W, 3) -> PNG bytes (zlib level 1: fast, a little larger)."""
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(
            f"encode_png expects a uint8 array of shape (height, width, 3), got dtype "
            f"{rgb.dtype} and shape {rgb.shape}"
        )
    buffer = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def grid_points(extent, width, height):
    """Centres of every pixel of a plot area: array (height * width, 2), row by row."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
    ys = y1 - (np.arange(height) + 0.5) * (y1 - y0) / height
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def to_pixels(points, extent, width, height):
    """Data coordinates (n, 2) -> float (rows, cols) of the pixel grid, each of shape (n,)."""
    x0, x1, y0, y1 = extent
    points = np.asarray(points, dtype=float)
    cols = (points[:, 0] - x0) / (x1 - x0) * width - 0.5
    rows = (y1 - points[:, 1]) / (y1 - y0) * height - 0.5
    return rows, cols


def padded_extent(X, pad=0.1):
    """(x0, x1, y0, y1) around the first two columns of X, widened by ``pad`` of the range."""
    X = np.asarray(X, dtype=float)
    lo, hi = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def marker_stamp(marker, radius):
    """Pixel offsets (k, 2) of (row, col) covered by a marker of the given radius in pixels."""
    key = (marker, radius)
    if key not in _stamp_cache:
        r = float(radius)
        span = np.arange(-int(np.ceil(r)), int(np.ceil(r)) + 1)
        dy, dx = np.meshgrid(span, span, indexing="ij")
        ax, ay = np.abs(dx), np.abs(dy)
        shapes = {
            "o": dx**2 + dy**2 <= r * r + 0.5,
            "s": (ax <= 0.8 * r) & (ay <= 0.8 * r),
            "^": (dy >= -r) & (dy <= 0.7 * r) & (ax <= (dy + r) * 0.6 + 0.5),
            "v": (dy <= r) & (dy >= -0.7 * r) & (ax <= (r - dy) * 0.6 + 0.5),
            "D": ax + ay <= r + 0.25,
            "P": ((ax <= 0.4 * r) & (ay <= r)) | ((ay <= 0.4 * r) & (ax <= r)),
            "X": (np.abs(dx - dy) <= 0.55 * r) & (ax <= 0.8 * r) & (ay <= 0.8 * r)
            | (np.abs(dx + dy) <= 0.55 * r) & (ax <= 0.8 * r) & (ay <= 0.8 * r),
            "h": (np.maximum(ax * 0.866 + ay * 0.5, ay) <= 0.9 * r + 0.25),
        }
        if marker not in shapes:
            raise ValueError(f"marker must be one of {sorted(shapes)}, got {marker!r}")
        _stamp_cache[key] = np.argwhere(shapes[marker]) - int(np.ceil(r))
    return _stamp_cache[key]


def draw_markers(picture, rows, cols, color, marker="o", radius=3.5, edge=_EDGE):
    """Stamp markers centred at float pixel positions into a picture (H, W, 3), in place.

    Each marker is drawn as a slightly larger ``edge``-coloured stamp with the ``color`` stamp
    on top, so points stay visible on any background. ``color`` is one RGB triple or an array
    (n, 3) with one colour per marker, in [0, 1] (also for a uint8 picture).
    """
    height, width = picture.shape[:2]
    centres = np.column_stack([np.rint(rows), np.rint(cols)]).astype(np.intp)
    color = np.asarray(color, dtype=float)
    if picture.dtype == np.uint8:  # colours are given in [0, 1]
        color, edge = to_uint8(color), to_uint8(np.asarray(edge, dtype=float))
    layers = ((marker_stamp(marker, radius + 1), edge), (marker_stamp(marker, radius), color))
    for stamp, fill in layers:
        r = centres[:, :1] + stamp[:, 0]
        c = centres[:, 1:] + stamp[:, 1]
        inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
        if fill.ndim == 2:  # one colour per marker
            per_pixel = np.broadcast_to(fill[:, None, :], r.shape + (3,))
            picture[r[inside], c[inside]] = per_pixel[inside]
        else:
            picture[r[inside], c[inside]] = fill
    return picture


def draw_polyline(picture, rows, cols, color, width=2, dash=0):
    """Draw straight segments through float pixel positions into a picture, in place.

    Points outside the picture are clipped pixel by pixel; ``dash`` > 0 leaves gaps of that
    many samples (half-pixels) between dashes of the same length.
    """
    rows, cols = np.asarray(rows, dtype=float), np.asarray(cols, dtype=float)
    if picture.dtype == np.uint8:  # colours are given in [0, 1]
        color = to_uint8(np.asarray(color, dtype=float))
    keep = np.isfinite(rows) & np.isfinite(cols)
    if keep.sum() < 2:
        return picture
    # Clamp far-away points so that a diverging path does not ask for millions of samples.
    limit = 4.0 * max(picture.shape)
    rows = np.clip(rows[keep], -limit, limit)
    cols = np.clip(cols[keep], -limit, limit)
    lengths = np.hypot(np.diff(rows), np.diff(cols))
    counts = np.maximum(np.ceil(lengths * 2).astype(np.intp), 1)  # samples per segment
    start = np.append(np.repeat(np.arange(len(counts)), counts), len(counts) - 1)
    first = np.repeat(np.cumsum(counts) - counts, counts)  # index of each segment's 1st sample
    t = np.append((np.arange(counts.sum()) - first) / np.repeat(counts, counts), 1.0)
    r = rows[start] + t * (rows[start + 1] - rows[start])
    c = cols[start] + t * (cols[start + 1] - cols[start])
    if dash:
        on = (np.arange(len(r)) // dash) % 2 == 0
        r, c = r[on], c[on]
    offsets = np.arange(width) - (width - 1) // 2
    height, width_px = picture.shape[:2]
    for dr in offsets:
        for dc in offsets:
            rr = np.rint(r).astype(np.intp) + dr
            cc = np.rint(c).astype(np.intp) + dc
            inside = (rr >= 0) & (rr < height) & (cc >= 0) & (cc < width_px)
            picture[rr[inside], cc[inside]] = color
    return picture


class Frame:
    """Axes, labels, title and legend drawn once by matplotlib around an empty plot area.

    ``Frame(extent, (width, height), xlabel=..., ylabel=..., title=..., legend=[(label, colour,
    marker), ...])``, where marker "-" or "--" shows a line; ``frame.compose(picture)`` pastes
    a uint8 or float picture of shape (height, width, 3) into the plot area and returns the
    whole image (H, W, 3) uint8.
    """

    def __init__(self, extent, size=(240, 240), *, xlabel="x1", ylabel="x2", title=None,
                 legend=(), legend_title=None, left=56, bottom=40, top=26, right=12,
                 legend_width=None, yticks=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D

        self.extent = tuple(float(v) for v in extent)
        self.width, self.height = (int(size), int(size)) if np.isscalar(size) else map(int, size)
        if legend:
            longest = max(len(str(label)) for label, _, _ in legend)
            right += legend_width if legend_width is not None else int(48 + 6.6 * longest)
        total_w = left + self.width + right
        total_h = bottom + self.height + top
        fig = Figure(figsize=(total_w / 100, total_h / 100), dpi=100)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes([left / total_w, bottom / total_h, self.width / total_w,
                           self.height / total_h])
        x0, x1, y0, y1 = self.extent
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel(xlabel, fontsize=9, labelpad=2)
        ax.set_ylabel(ylabel, fontsize=9, labelpad=2)
        ax.tick_params(labelsize=8, length=3, pad=2)
        if yticks is not None:
            ax.set_yticks(yticks)
        if title:
            ax.set_title(title, fontsize=9, pad=4)
        if legend:
            handles = [
                Line2D([], [], color=colour, linewidth=2.5, label=label) if marker == "-"
                else Line2D([], [], color=colour, linewidth=2.5, linestyle="--", label=label)
                if marker == "--"
                else Line2D([], [], linestyle="", marker=marker, markersize=7,
                            markerfacecolor=colour, markeredgecolor="#1a1a1a", label=label)
                for label, colour, marker in legend
            ]
            fig.legend(handles=handles, loc="upper left", frameon=False, fontsize=8,
                       title=legend_title, title_fontsize=8, handletextpad=0.3,
                       bbox_to_anchor=((left + self.width + 6) / total_w,
                                       (bottom + self.height) / total_h))
        canvas.draw()
        self.background = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        self.top, self.left = top, left

    @property
    def size(self):
        """(width, height) of the plot area in pixels."""
        return self.width, self.height

    def to_pixels(self, points):
        """Data coordinates (n, 2) -> float (rows, cols) inside the plot area."""
        return to_pixels(points, self.extent, self.width, self.height)

    def compose(self, picture):
        """Return the frame with ``picture`` (height, width, 3) in its plot area, as uint8."""
        picture = np.asarray(picture)
        if picture.shape != (self.height, self.width, 3):
            raise ValueError(
                f"this frame's plot area is {self.height}x{self.width} pixels (rows x columns), "
                f"so it needs a picture of shape ({self.height}, {self.width}, 3), "
                f"got {picture.shape}"
            )
        if picture.dtype != np.uint8:
            picture = to_uint8(picture)
        out = self.background.copy()
        t, left, h, w = self.top, self.left, self.height, self.width
        out[t:t + h, left:left + w] = picture
        border = np.array([40, 40, 40], dtype=np.uint8)
        out[t - 1, left - 1:left + w + 1] = border
        out[t + h, left - 1:left + w + 1] = border
        out[t - 1:t + h + 1, left - 1] = border
        out[t - 1:t + h + 1, left + w] = border
        return out


def side_by_side(*images, gap=8):
    """Place uint8 images (H_i, W_i, 3) next to each other on white, tops aligned."""
    height = max(image.shape[0] for image in images)
    width = sum(image.shape[1] for image in images) + gap * (len(images) - 1)
    out = np.full((height, width, 3), 255, dtype=np.uint8)
    col = 0
    for image in images:
        out[:image.shape[0], col:col + image.shape[1]] = image
        col += image.shape[1] + gap
    return out
