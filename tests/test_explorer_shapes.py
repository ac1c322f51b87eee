"""The shape explorer of chapter 03 states numpy's shape rule correctly and follows the widget
conventions (DOM classes, static fallback)."""

import numpy as np
import pytest

from nnlib.explorers import shapes


@pytest.mark.parametrize("m, n, p", [(1, 1, 1), (2, 3, 4), (6, 1, 5), (4, 4, 4)])
def test_matching_inner_sizes_give_outer_shape(m, n, p):
    assert shapes.product_result(m, n, n, p) == ((m, p), None)


@pytest.mark.parametrize("m, n, n2, p", [(5, 2, 3, 2), (1, 4, 3, 1), (2, 6, 1, 2)])
def test_mismatched_inner_sizes_report_numpys_own_error(m, n, n2, p):
    shape, error = shapes.product_result(m, n, n2, p)
    assert shape is None
    with pytest.raises(ValueError) as raised:
        np.ones((m, n)) @ np.ones((n2, p))
    assert error == str(raised.value)


def test_explanation_names_the_sizes_that_clash():
    text = shapes.explain(5, 2, 3, 2)
    assert "fails" in text and "has 2 numbers" in text and "has 3" in text
    assert "(2, 4)" in shapes.explain(2, 3, 3, 4)


def test_static_table_has_one_line_per_pair():
    table = shapes.shape_table([((2, 3), (3, 4)), ((5, 2), (3, 2))])
    first, second = table.splitlines()
    assert first == "(2, 3) @ (3, 4) -> (2, 4)"
    assert second.startswith("(5, 2) @ (3, 2) -> ValueError: ")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_sizes_must_be_positive_whole_numbers(bad):
    with pytest.raises(ValueError, match="whole number >= 1"):
        shapes.product_result(bad, 2, 2, 2)


def test_picture_highlights_matching_row_and_column_and_marks_a_mismatch():
    from nnlib.plotting import PALETTE
    from nnlib.raster import hex_to_rgb

    def has(picture, colour):
        rgb = np.round(hex_to_rgb(colour) * 255).astype(int)
        return bool(np.any(np.all(picture.astype(int) == rgb, axis=-1)))

    valid = shapes.shape_picture(2, 3, 3, 4)
    invalid = shapes.shape_picture(5, 2, 3, 2)
    assert valid.dtype == np.uint8 and valid.shape == invalid.shape and valid.shape[2] == 3
    assert has(valid, PALETTE[1]) and has(valid, PALETTE[0]) and has(valid, PALETTE[2])
    assert has(invalid, PALETTE[5]) and not has(invalid, PALETTE[2])


def test_picture_refuses_sizes_it_cannot_draw():
    with pytest.raises(ValueError, match="up to 6"):
        shapes.shape_picture(7, 2, 2, 2)


def test_explorer_follows_the_widget_conventions_and_redraws():
    explorer = shapes.ShapeExplorer(2, 3, 3, 4)
    assert "nnlib-widget" in explorer.widget._dom_classes
    assert "nnlib-plot" in explorer.image._dom_classes
    assert explorer.status.value.endswith("(2, 4)")
    first_png = explorer.png()
    explorer.sliders["n2"].value = 2
    assert explorer.status.value.endswith("ValueError")
    assert "fails" in explorer.message.value
    assert explorer.png() != first_png


def test_explorer_shows_a_png_with_alt_text_where_widgets_cannot_run():
    bundle = shapes.ShapeExplorer(5, 2, 3, 2)._repr_mimebundle_()
    assert bundle["image/png"]
    assert "different lengths" in bundle["text/plain"]
