"""The shape rule of the matrix product, as a picture and an explorer (chapter 03).

    (m, n) @ (n, p) -> (m, p)

The inner sizes must be equal (each entry of the product pairs a row of A with a column of B,
number by number) and they disappear from the result; the outer sizes make its shape.

- ``product_result(m, n, n2, p)`` -> ``(shape, error)``: what numpy does with
  ``np.ones((m, n)) @ np.ones((n2, p))``: the result's shape, or the text of the error it raises;
- ``explain(m, n, n2, p)`` -> one or two sentences saying the same in plain words;
- ``shape_picture(m, n, n2, p)`` -> uint8 RGB array: A, B and the product drawn as grids of
  cells, with one row of A, one column of B and the entry they make highlighted (show it
  with ``nnlib.plotting.show(picture, alt=...)``);
- ``shape_table(pairs)`` -> the static printout: one line per pair of shapes;
- ``ShapeExplorer(m, n, n2, p)``: four sliders over the same picture and explanation.
"""

import numpy as np

from ..live import LivePlot, label_controls
from ..plotting import PALETTE

#: largest size a slider offers (pictures stay readable up to 6 x 6)
MAX_SIZE = 6

_ROW, _COLUMN, _ENTRY, _MISMATCH = PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[5]
_CELL_EDGE = "#4d4d4d"


def _size(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


def _sizes(m, n, n2, p):
    return tuple(_size(v, name) for v, name in ((m, "m"), (n, "n"), (n2, "n2"), (p, "p")))


def product_result(m, n, n2, p):
    """What numpy does with an (m, n) matrix @ an (n2, p) matrix.

    Returns ``(shape, None)`` when the product exists and ``(None, message)`` with numpy's own
    error message when it does not (the message's wording depends on the numpy version).
    """
    m, n, n2, p = _sizes(m, n, n2, p)
    try:
        return (np.ones((m, n)) @ np.ones((n2, p))).shape, None
    except ValueError as error:
        return None, str(error)


def explain(m, n, n2, p):
    """The product's shape or the reason it fails, in plain words."""
    shape, error = product_result(m, n, n2, p)
    if error is None:
        return (f"A ({m}×{n}) @ B ({n2}×{p}) = C {shape}: each of C's {m}×{p} entries is a row "
                f"of A ({n} numbers) times a column of B ({n2} numbers), multiplied pair by "
                f"pair and added up. The inner size {n} disappears; the outer sizes {m} and {p} "
                f"remain.")
    return (f"A ({m}×{n}) @ B ({n2}×{p}) fails: a row of A has {n} numbers but a column of B has "
            f"{n2}, so they cannot be paired up. numpy says: \"{error}\". Reading it: operand 1 "
            f"is B (numpy counts from 0), its core dimension 0 is its number of rows ({n2}), and "
            f"the signature (n?,k),(k,m?)->(n?,m?) is the shape rule, with k the inner size that "
            f"both must share; here A brings k = {n} and B brings k = {n2}.")


#: picture geometry in pixels: every slot has room for a MAX_SIZE x MAX_SIZE grid, so the
#: pieces stay in place while the sliders move
_CELL = 28
_GRID = MAX_SIZE * _CELL
_GAP = 56
_MARGIN = 36
_TOP = 48
_WIDTH = 2 * _MARGIN + 3 * _GRID + 2 * _GAP
_HEIGHT = _TOP + _GRID + 64
_fonts = {}


def _font(size):
    """DejaVu Sans (shipped with matplotlib) at ``size`` pixels, loaded once."""
    if size not in _fonts:
        from pathlib import Path

        import matplotlib
        from PIL import ImageFont

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        _fonts[size] = ImageFont.truetype(str(path), size)
    return _fonts[size]


def _grid(draw, left, rows, cols, colours):
    """A rows x cols grid of cells, centred in the slot starting at x = ``left``."""
    x0 = left + (_GRID - cols * _CELL) // 2
    y0 = _TOP + (_GRID - rows * _CELL) // 2
    for i in range(rows):
        for j in range(cols):
            box = (x0 + j * _CELL, y0 + i * _CELL, x0 + (j + 1) * _CELL, y0 + (i + 1) * _CELL)
            draw.rectangle(box, fill=colours.get((i, j), "white"), outline=_CELL_EDGE, width=1)


def _centred(draw, x, y, text, size, colour="black"):
    draw.text((x, y), text, fill=colour, font=_font(size), anchor="mm")


def shape_picture(m, n, n2, p):
    """A, B and their product as grids of cells: a uint8 RGB array (H, W, 3).

    Valid product: row 0 of A (orange) times column 0 of B (blue) makes entry (0, 0) of C
    (green). Invalid: row 0 of A and column 0 of B are drawn in vermillion, visibly of
    different lengths, and C is replaced by the word "error". Drawn with Pillow in a few
    milliseconds, so the explorer can redraw at every key press.
    """
    from PIL import Image, ImageDraw

    m, n, n2, p = _sizes(m, n, n2, p)
    if max(m, n, n2, p) > MAX_SIZE:
        raise ValueError(f"the picture draws sizes up to {MAX_SIZE}, got {(m, n, n2, p)}")
    shape, error = product_result(m, n, n2, p)
    ok = error is None
    image = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    slots = [_MARGIN + k * (_GRID + _GAP) for k in range(3)]
    row_colour, column_colour = (_ROW, _COLUMN) if ok else (_MISMATCH, _MISMATCH)
    _grid(draw, slots[0], m, n, {(0, j): row_colour for j in range(n)})
    _grid(draw, slots[1], n2, p, {(i, 0): column_colour for i in range(n2)})
    middle = _TOP + _GRID // 2
    _centred(draw, slots[1] - _GAP // 2, middle, "@", 26)
    _centred(draw, slots[2] - _GAP // 2, middle, "=", 26)
    below = _TOP + _GRID + 16
    _centred(draw, slots[0] + _GRID // 2, below, f"A: {m} × {n}", 15)
    _centred(draw, slots[1] + _GRID // 2, below, f"B: {n2} × {p}", 15)
    if ok:
        _grid(draw, slots[2], m, p, {(0, 0): _ENTRY})
        _centred(draw, slots[2] + _GRID // 2, below, f"C: {m} × {p}", 15)
        _centred(draw, slots[2] + _GRID // 2, below + 22, "green = orange row · blue column", 12)
        title = f"({m}, {n}) @ ({n2}, {p}) → ({m}, {p}): inner sizes {n} = {n2}"
    else:
        _centred(draw, slots[2] + _GRID // 2, middle, "error", 28, _MISMATCH)
        title = f"({m}, {n}) @ ({n2}, {p}): inner sizes {n} ≠ {n2}, no product"
    _centred(draw, _WIDTH // 2, _TOP // 2, title, 17, "black" if ok else _MISMATCH)
    return np.asarray(image, dtype=np.uint8)


def describe(m, n, n2, p):
    """Alt text for ``shape_picture``."""
    shape, error = product_result(m, n, n2, p)
    grids = f"Grids of cells: A with {m} rows and {n} columns, B with {n2} rows and {p} columns"
    if error is None:
        return (f"{grids}, and their product C with {m} rows and {p} columns; the first row of A "
                f"and the first column of B ({n} cells each) are highlighted with the entry of C "
                "they make.")
    return (f"{grids}; the first row of A ({n} cells) and the first column of B ({n2} cells) are "
            "highlighted and have different lengths, so the product is marked 'error'.")


def shape_table(pairs):
    """One line per pair of shapes ``((m, n), (n2, p))``: the product's shape or numpy's error."""
    lines = []
    for (m, n), (n2, p) in pairs:
        shape, error = product_result(m, n, n2, p)
        result = f"{shape}" if error is None else f"ValueError: {error}"
        lines.append(f"({m}, {n}) @ ({n2}, {p}) -> {result}")
    return "\n".join(lines)


class ShapeExplorer(LivePlot):
    """Sliders m, n (A is m × n) and n2, p (B is n2 × p) over ``shape_picture`` and ``explain``.

    The root (``.widget``) has CSS class ``nnlib-widget`` and the picture ``nnlib-plot``; the
    explanation is an HTML line with class ``nnlib-shape-message``. Displayed where no widget
    front end runs, it shows the picture for the starting sizes as a PNG with alt text.
    """

    def __init__(self, m=2, n=3, n2=3, p=4):
        import ipywidgets as widgets

        m, n, n2, p = _sizes(m, n, n2, p)

        def slider(value, description):
            return widgets.IntSlider(value=min(value, MAX_SIZE), min=1, max=MAX_SIZE,
                                     description=description)

        self.sliders = {
            "m": slider(m, "m (rows of A)"),
            "n": slider(n, "n (columns of A)"),
            "n2": slider(n2, "n' (rows of B)"),
            "p": slider(p, "p (columns of B)"),
        }
        self.controls = list(self.sliders.values())
        label_controls(self.controls)
        for control in self.controls:
            control.observe(self.redraw, names="value")
        self.message = widgets.HTML(value="")
        self.message.add_class("nnlib-shape-message")
        self._build([widgets.HBox(self.controls, layout=widgets.Layout(flex_flow="row wrap"))])
        self.widget.children = (*self.widget.children, self.message)

    @property
    def values(self):
        """The current sizes, ``{"m": ..., "n": ..., "n2": ..., "p": ...}``."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def draw(self):
        return shape_picture(**self.values)

    def _render(self):
        super()._render()
        self.message.value = f"<p>{explain(**self.values)}</p>"

    def status_text(self):
        v = self.values
        shape, error = product_result(**v)
        if error is None:
            return f"({v['m']}, {v['n']}) @ ({v['n2']}, {v['p']}) → {shape}"
        return f"({v['m']}, {v['n']}) @ ({v['n2']}, {v['p']}) → ValueError"

    def describe(self):
        return "Shape explorer: " + describe(**self.values)
