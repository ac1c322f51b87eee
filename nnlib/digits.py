"""Handwriting-like digit images made offline, and a reader for MNIST-format IDX files.

``render`` draws the digits 0-9 from the TrueType fonts that ship with matplotlib, each one
randomly rotated, scaled, sheared, shifted, thickened and sprinkled with noise, as 28x28 grey
images like MNIST's. Nothing is downloaded and the same seed always gives the same images.

    X, y, font = nn.digits.render(1000, rng=0)      # X (1000, 1, 28, 28) in [0, 1], y (1000,)
    split = nn.digits.split_by_font(8000, 2000)     # test digits come from fonts never trained on

Holding whole fonts out of training is the honest test: a model that only memorised the
shapes of its training fonts fails on a new typeface, just as a model that only memorised
its training writers fails on a new hand.

``read_idx`` reads the IDX files in which MNIST and Fashion-MNIST are distributed (plain or
gzipped), for learners who already have them; ``idx_dataset`` turns a pair of such files into
images and labels shaped like ``render``'s.

How the drawing works: each glyph's outline (``matplotlib.textpath.TextPath``) is cached once,
centred and scaled to unit height. Every sample then needs only an affine transform and one
``draw_path`` call on a reused 28x28 Agg canvas, whose anti-aliased coverage (alpha channel)
becomes the image. Agg fills with the non-zero winding rule, so the holes of 0, 4, 6, 8 and 9
stay empty.
"""

import gzip
from collections import namedtuple
from functools import cache
from pathlib import Path

import numpy as np

from .checks import non_negative_float, positive_int
from .data import Dataset

#: image side in pixels
SIZE = 28
#: height in pixels of a digit before random scaling (MNIST digits fit a 20x20 box)
DIGIT_HEIGHT = 19.0

#: matplotlib's bundled fonts that have ordinary digit glyphs (file names without .ttf);
#: left out: symbol fonts (cmex10, cmsy10, STIX size variants), placeholder glyphs
#: (LastResortHE) and cmmi10, whose old-style digits hang below the line
FONTS = (
    "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique",
    "DejaVuSansMono", "DejaVuSansMono-Bold", "DejaVuSansMono-Oblique",
    "DejaVuSansMono-BoldOblique",
    "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic",
    "STIXGeneral", "STIXGeneralBol", "STIXGeneralItalic", "STIXGeneralBolIta",
    "cmr10", "cmb10", "cmss10", "cmti10", "cmtt10",
)

DigitImages = namedtuple("DigitImages", ["X", "y", "font"])
FontSplit = namedtuple("FontSplit", ["train", "test", "train_fonts", "test_fonts"])


def render(n_samples, *, rng=0, fonts=None, rotation=15.0, scale=(0.8, 1.15), shear=0.3,
           shift=2.0, stroke=(0.0, 1.0), noise=0.1, dtype=np.float64):
    """Draw ``n_samples`` random digit images.

    Returns ``DigitImages(X, y, font)``: ``X`` (n_samples, 1, 28, 28) of ``dtype`` in [0, 1]
    (bright digit on a dark background), ``y`` (n_samples,) integer labels 0-9 (each digit
    equally often, in random order) and ``font`` (n_samples,) the index into ``FONTS`` of the
    font each image was drawn from.

    Args:
        n_samples: number of images.
        rng: a seed or ``numpy.random.Generator``; the same seed gives the same images.
        fonts: indices into ``FONTS`` (or font names) to draw from; all of them by default.
        rotation: largest rotation in degrees, either way.
        scale: (smallest, largest) size factor of the digit.
        shear: largest horizontal shear (x moves by ``shear * y``), either way.
        shift: largest shift of the centre in pixels, along each axis.
        stroke: (least, most) boldening, from 0 (the font's own strokes) to 1 (about one
            pixel thicker: a one-pixel dilation blended in with this weight).
        noise: standard deviation of the Gaussian pixel noise (0 for clean images).
    """
    n_samples = positive_int(n_samples, "n_samples")
    font_ids = _font_indices(fonts)
    rotation = non_negative_float(rotation, "rotation")
    shear = non_negative_float(shear, "shear")
    shift = non_negative_float(shift, "shift")
    noise = non_negative_float(noise, "noise")
    scale_lo, scale_hi = _range(scale, "scale", positive=True)
    stroke_lo, stroke_hi = _range(stroke, "stroke", upper=1.0)
    rng = np.random.default_rng(rng)

    labels = rng.permutation(np.arange(n_samples) % 10)
    font = font_ids[rng.integers(0, len(font_ids), n_samples)]
    angles = np.deg2rad(rng.uniform(-rotation, rotation, n_samples))
    scales = rng.uniform(scale_lo, scale_hi, n_samples) * DIGIT_HEIGHT
    shears = rng.uniform(-shear, shear, n_samples)
    centres = SIZE / 2 + rng.uniform(-shift, shift, (n_samples, 2))
    strokes = rng.uniform(stroke_lo, stroke_hi, n_samples)
    matrices = _affine_matrices(angles, scales, shears, centres)

    coverage = np.empty((n_samples, SIZE, SIZE), dtype=np.uint8)
    canvas = _Canvas()
    for i in range(n_samples):
        coverage[i] = canvas.draw(_glyph(int(font[i]), int(labels[i])), matrices[i])
    images = coverage.astype(dtype)
    images /= 255
    images = _bolden(images, strokes.astype(images.dtype))
    if noise:
        images += rng.normal(0.0, noise, images.shape)   # float64 draws: same for float32
        np.clip(images, 0.0, 1.0, out=images)
    return DigitImages(images[:, None], labels, font)


def split_by_font(n_train, n_test, *, test_fonts=None, n_test_fonts=4, rng=0, **options):
    """Training and test digits drawn from disjoint sets of fonts.

    Returns ``FontSplit(train, test, train_fonts, test_fonts)``: ``train`` and ``test`` are
    ``Dataset(X, y)`` as from ``render``; ``train_fonts`` and ``test_fonts`` are the font
    names used for each. ``test_fonts`` (indices or names) chooses the held-out fonts;
    by default ``n_test_fonts`` of them are picked at random with ``rng``. The training
    images are drawn first, then the test images, from the same generator. Other keyword
    ``options`` go to ``render`` for both parts (e.g. ``dtype=np.float32``).
    """
    rng = np.random.default_rng(rng)
    if test_fonts is None:
        n_test_fonts = positive_int(n_test_fonts, "n_test_fonts")
        if n_test_fonts >= len(FONTS):
            raise ValueError(
                f"n_test_fonts must leave fonts for training: there are {len(FONTS)} fonts, "
                f"but got n_test_fonts={n_test_fonts}"
            )
        test_ids = np.sort(rng.choice(len(FONTS), n_test_fonts, replace=False))
    else:
        test_ids = _font_indices(test_fonts)
        if len(test_ids) >= len(FONTS):
            raise ValueError("test_fonts must leave at least one font for training")
    train_ids = np.setdiff1d(np.arange(len(FONTS)), test_ids)
    train = render(n_train, rng=rng, fonts=train_ids, **options)
    test = render(n_test, rng=rng, fonts=test_ids, **options)
    return FontSplit(Dataset(train.X, train.y), Dataset(test.X, test.y),
                     [FONTS[i] for i in train_ids], [FONTS[i] for i in test_ids])


# --- IDX files (MNIST's format) ---------------------------------------------------------------
#: IDX type codes and the big-endian numpy types they stand for
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    """Read an IDX file (as MNIST is distributed), plain or gzipped, into a numpy array.

    The format: two zero bytes, a type code (0x08 for unsigned bytes), the number of
    dimensions d, then d big-endian 32-bit sizes, then the values in C order. MNIST's
    ``train-images-idx3-ubyte`` gives a uint8 array (60000, 28, 28) and
    ``train-labels-idx1-ubyte`` one of shape (60000,).
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # the gzip signature
        raw = gzip.decompress(raw)
    name = f"IDX file {path.name}"
    if len(raw) < 4:
        raise ValueError(f"{name} has {len(raw)} bytes: too short for the 4-byte IDX header")
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(
            f"{name} does not start with two zero bytes (got {raw[0]:#04x} {raw[1]:#04x}): "
            "it is not an IDX file"
        )
    code, ndim = raw[2], raw[3]
    if code not in IDX_TYPES:
        known = ", ".join(f"{c:#04x}" for c in IDX_TYPES)
        raise ValueError(f"{name} has the unknown type code {code:#04x}; IDX uses {known}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(
            f"{name} says it has {ndim} dimensions, which needs a {header}-byte header, "
            f"but the file has only {len(raw)} bytes"
        )
    shape = tuple(int(size) for size in np.frombuffer(raw, ">u4", ndim, offset=4))
    dtype = np.dtype(IDX_TYPES[code])
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{name} has shape {shape} of {dtype.itemsize}-byte values, so it should have "
            f"{expected} bytes, but it has {len(raw)}: the file is truncated or damaged"
        )
    values = np.frombuffer(raw, dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def idx_dataset(images_path, labels_path, dtype=np.float64):
    """Images and labels from a pair of IDX files, shaped like ``render``'s output.

    Returns ``Dataset(X, y)``: ``X`` (n, 1, height, width) scaled from 0-255 to [0, 1], and
    ``y`` (n,) integer labels.
    """
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3:
        raise ValueError(
            f"{Path(images_path).name} holds an array of shape {images.shape}, but images "
            "must be 3-D (n_images, height, width)"
        )
    if labels.ndim != 1 or len(labels) != len(images):
        raise ValueError(
            f"{Path(labels_path).name} holds labels of shape {labels.shape}, but "
            f"{Path(images_path).name} has {len(images)} images: expected shape ({len(images)},)"
        )
    X = images[:, None].astype(dtype) / 255.0
    return Dataset(X, labels.astype(np.intp))


# --- drawing ----------------------------------------------------------------------------------
class _Canvas:
    """A reused 28x28 Agg canvas that draws one glyph outline at a time."""

    def __init__(self):
        from matplotlib.backends.backend_agg import RendererAgg

        self.renderer = RendererAgg(SIZE, SIZE, 72)  # at 72 dpi one point is one pixel
        self.gc = self.renderer.new_gc()
        self.gc.set_linewidth(0)     # fill only: an outline would cost 2-3 times as much
        self.gc.set_antialiased(True)

    def draw(self, path, matrix):
        """Coverage (28, 28) uint8 of the filled ``path`` under the 3x3 ``matrix``."""
        from matplotlib.transforms import Affine2D

        self.renderer.clear()
        self.renderer.draw_path(self.gc, path, Affine2D(matrix), (1.0, 1.0, 1.0, 1.0))
        return np.asarray(self.renderer.buffer_rgba())[:, :, 3]


@cache
def _glyph(font_index, digit):
    """The outline of ``digit`` in ``FONTS[font_index]``, centred on 0 with height 1."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as MplPath
    from matplotlib.textpath import TextPath

    font_file = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{FONTS[font_index]}.ttf"
    outline = TextPath((0, 0), str(digit), size=1, prop=FontProperties(fname=str(font_file)))
    vertices = outline.vertices
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    centred = (vertices - (low + high) / 2) / (high[1] - low[1])
    return MplPath(centred, outline.codes)


def _bolden(images, amounts):
    """Thicken strokes: blend in a one-pixel dilation, ``amounts`` (n,) of it per image."""
    grown = images.copy()
    for axis in (1, 2):
        ahead = [slice(None)] * 3
        behind = [slice(None)] * 3
        ahead[axis], behind[axis] = slice(1, None), slice(None, -1)
        np.maximum(grown[tuple(ahead)], images[tuple(behind)], out=grown[tuple(ahead)])
        np.maximum(grown[tuple(behind)], images[tuple(ahead)], out=grown[tuple(behind)])
    return np.maximum(images, amounts[:, None, None] * grown)


def _affine_matrices(angles, scales, shears, centres):
    """3x3 matrices (n, 3, 3): scale, shear, rotate about the origin, then move to the centre."""
    n = len(angles)
    cos, sin = np.cos(angles), np.sin(angles)
    # linear part = rotation @ shear @ scale, with shear = [[1, s], [0, 1]]
    a, b = cos * scales, (cos * shears - sin) * scales
    c, d = sin * scales, (sin * shears + cos) * scales
    matrices = np.zeros((n, 3, 3))
    matrices[:, 0, 0], matrices[:, 0, 1], matrices[:, 0, 2] = a, b, centres[:, 0]
    matrices[:, 1, 0], matrices[:, 1, 1], matrices[:, 1, 2] = c, d, centres[:, 1]
    matrices[:, 2, 2] = 1.0
    return matrices


def _font_indices(fonts):
    """Indices into ``FONTS`` from ``None`` (all), names or indices."""
    if fonts is None:
        return np.arange(len(FONTS))
    if isinstance(fonts, (str, int, np.integer)):
        fonts = [fonts]
    indices = []
    for font in fonts:
        if isinstance(font, str):
            if font not in FONTS:
                raise ValueError(f"unknown font {font!r}; the fonts are {list(FONTS)}")
            indices.append(FONTS.index(font))
        elif isinstance(font, (int, np.integer)) and not isinstance(font, bool):
            if not 0 <= font < len(FONTS):
                raise ValueError(
                    f"font index {font} is out of range: there are {len(FONTS)} fonts "
                    f"(0 to {len(FONTS) - 1})"
                )
            indices.append(int(font))
        else:
            raise TypeError(f"fonts must be indices into FONTS or font names, got {font!r}")
    if not indices:
        raise ValueError("fonts must name at least one font")
    return np.array(sorted(set(indices)))


def _range(pair, name, positive=False, upper=None):
    """Check a (low, high) pair of non-negative numbers with low <= high (<= upper)."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(f"{name} must be a pair (low, high), but got {pair!r}")
    low = non_negative_float(pair[0], f"{name} low")
    high = non_negative_float(pair[1], f"{name} high")
    if low > high or (positive and low == 0) or (upper is not None and high > upper):
        bound = "0 < low <= high" if positive else "low <= high"
        bound += f" <= {upper}" if upper is not None else ""
        raise ValueError(f"{name} must satisfy {bound}, but got {pair!r}")
    return low, high
