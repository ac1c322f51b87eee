"""nnlib.plotting and nnlib.raster: palette, decision boundaries (static and RGB), loss curves,
figures with alt text. Pictures are checked by their pixels: which colour lies where."""

import base64
import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import nnlib as nn  # noqa: E402
from nnlib import plotting, raster  # noqa: E402

# --------------------------------------------------------------------------------------------
# Palette and colour blindness

# Machado, Oliveira & Fernandes (2009) simulation matrices for full dichromacy, on linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
MATPLOTLIB_TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f"]


def _lab(linear_rgb):
    """CIELAB (D65) of linear RGB rows (n, 3)."""
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                       [0.0193, 0.1192, 0.9505]])
    xyz = linear_rgb @ to_xyz.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])],
                    axis=1)


def min_distance_seen_by(palette, matrix=None):
    """Smallest CIELAB distance between two colours of ``palette`` after simulating a
    colour-vision deficiency (``matrix``), or with normal vision (None)."""
    srgb = np.array([raster.hex_to_rgb(c) for c in palette])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    if matrix is not None:
        linear = np.clip(linear @ np.array(matrix).T, 0, 1)
    lab = _lab(linear)
    distances = np.linalg.norm(lab[:, None] - lab[None], axis=-1)
    return distances[~np.eye(len(palette), dtype=bool)].min()


def test_palette_has_at_least_eight_distinct_hex_colours():
    assert len(plotting.PALETTE) >= 8
    assert len({c.lower() for c in plotting.PALETTE}) == len(plotting.PALETTE)
    for colour in plotting.PALETTE:
        assert colour.startswith("#") and len(colour) == 7
    assert min_distance_seen_by(plotting.PALETTE) > 20


@pytest.mark.parametrize("deficiency", sorted(CVD))
def test_palette_colours_stay_apart_with_colour_blindness(deficiency):
    # Okabe-Ito stays >= 16 CIELAB units apart for every pair; 12 is clearly distinguishable.
    assert min_distance_seen_by(plotting.PALETTE, CVD[deficiency]) > 12


def test_colour_blindness_check_rejects_a_palette_with_red_and_green():
    # matplotlib's default cycle puts green next to red/orange: the check must catch that.
    assert min_distance_seen_by(MATPLOTLIB_TAB10, CVD["deuteranopia"]) < 12
    assert min_distance_seen_by(MATPLOTLIB_TAB10, CVD["protanopia"]) < 12


def test_class_colors_repeat_the_palette_and_reject_bad_counts():
    assert plotting.class_colors(3) == plotting.PALETTE[:3]
    assert plotting.class_colors(10)[8] == plotting.PALETTE[0]
    with pytest.raises(ValueError, match="number of classes"):
        plotting.class_colors(0)


def test_every_class_marker_has_its_own_shape():
    stamps = [frozenset(map(tuple, raster.marker_stamp(m, 4))) for m in raster.MARKERS]
    assert len(set(stamps)) == len(raster.MARKERS) == 8
    with pytest.raises(ValueError, match="marker"):
        raster.marker_stamp("?", 3)


# --------------------------------------------------------------------------------------------
# Pixel grid and frame


def test_grid_points_map_back_onto_their_pixels():
    extent = (-2.0, 3.0, -1.0, 1.0)
    grid = raster.grid_points(extent, 50, 20)
    rows, cols = raster.to_pixels(grid, extent, 50, 20)
    assert np.allclose(rows, np.repeat(np.arange(20), 50))
    assert np.allclose(cols, np.tile(np.arange(50), 20))
    assert grid[0, 1] > grid[-1, 1], "row 0 is the top of the picture (largest x2)"


def test_frame_pastes_the_picture_into_its_plot_area():
    frame = raster.Frame((0, 1, 0, 1), (60, 40), title="t", legend=[("a", "#0072B2", "o")])
    picture = np.zeros((40, 60, 3), dtype=np.uint8)
    picture[:, :, 0] = 200
    out = frame.compose(picture)
    assert out.dtype == np.uint8 and out.shape[2] == 3
    inner = out[frame.top + 1:frame.top + 39, frame.left + 1:frame.left + 59]
    assert np.all(inner[..., 0] == 200) and np.all(inner[..., 1] == 0)
    assert out.shape[1] > 60 + frame.left, "room for the legend on the right"
    with pytest.raises(ValueError, match=r"\(40, 60, 3\)"):
        frame.compose(np.zeros((60, 40, 3)))


def test_encode_png_round_trips_and_rejects_float_arrays():
    picture = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    png = raster.encode_png(picture)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), picture)
    with pytest.raises(ValueError, match="uint8"):
        raster.encode_png(picture / 255.0)


def test_polyline_and_markers_draw_inside_and_clip_outside():
    picture = np.ones((20, 20, 3))
    raster.draw_polyline(picture, [0, 19], [0, 19], np.zeros(3), width=1)
    assert np.all(picture[np.arange(20), np.arange(20)] == 0)
    raster.draw_polyline(picture, [-1e9, 1e9], [5, 5], np.zeros(3))  # far away: clipped
    raster.draw_markers(picture, np.array([-30.0]), np.array([10.0]), np.zeros(3))
    assert picture.shape == (20, 20, 3)


# --------------------------------------------------------------------------------------------
# Decision boundaries


def _class_at(picture, row, col):
    """Index of the palette colour whose direction from white best matches a pixel."""
    pixel = 1.0 - picture[row, col].astype(float) / 255.0
    directions = 1.0 - np.array([raster.hex_to_rgb(c) for c in plotting.PALETTE[:3]])
    cosines = directions @ pixel / (np.linalg.norm(directions, axis=1) * np.linalg.norm(pixel))
    return int(np.argmax(cosines))


X4 = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])


def test_binary_boundary_from_one_sigmoid_column():
    def predict(X):
        return nn.Sigmoid().forward(5 * X[:, :1])

    picture = plotting.decision_boundary_rgb(predict, X4, [0, 1, 0, 1], resolution=40,
                                             extent=(-2, 2, -2, 2), points=False)
    assert picture.shape == (40, 40, 3) and picture.dtype == np.uint8
    assert _class_at(picture, 20, 2) == 0 and _class_at(picture, 20, 37) == 1
    # lighter where the model is unsure (next to x1 = 0) than far from the boundary
    assert picture[20, 19].astype(int).sum() > picture[20, 2].astype(int).sum()


def test_binary_boundary_from_two_columns_and_from_logits():
    def two_columns(X):
        return np.column_stack([-X[:, 0], X[:, 0]])  # scores: softmax is applied

    picture = plotting.decision_boundary_rgb(two_columns, X4, [0, 1, 0, 1], resolution=30,
                                             extent=(-2, 2, -2, 2), points=False)
    assert _class_at(picture, 15, 1) == 0 and _class_at(picture, 15, 28) == 1


def test_multiclass_boundary_shades_each_region_with_its_class_colour():
    def predict(X):  # class 0 left, class 1 right-top, class 2 right-bottom
        return np.column_stack([-3 * X[:, 0], X[:, 0] + 2 * X[:, 1], X[:, 0] - 2 * X[:, 1]])

    picture = plotting.decision_boundary_rgb(predict, X4, [0, 1, 2, 0], resolution=60,
                                             extent=(-2, 2, -2, 2), points=False)
    assert _class_at(picture, 30, 2) == 0
    assert _class_at(picture, 5, 55) == 1
    assert _class_at(picture, 55, 55) == 2


def test_model_with_predict_and_probabilities_give_the_same_picture_as_logits():
    X, y = nn.data.blobs(20, 3, rng=0)
    model = nn.Sequential(nn.Dense(2, 8, rng=0), nn.Tanh(), nn.Dense(8, 3, rng=1))
    with_softmax = nn.Sequential(*model.layers, nn.Softmax())
    a = plotting.decision_boundary_rgb(model, X, y, resolution=50)
    b = plotting.decision_boundary_rgb(with_softmax, X, y, resolution=50)
    assert np.abs(a.astype(int) - b.astype(int)).max() <= 1


def test_chunked_grid_prediction_equals_one_pass():
    model = nn.Sequential(nn.Dense(2, 5, rng=0), nn.ReLU(), nn.Dense(5, 3, rng=1))
    grid = raster.grid_points((-1, 1, -1, 1), 90, 70)
    assert np.array_equal(plotting.predict_grid(model, grid, chunk=1000), model.predict(grid))


def test_regression_boundary_uses_the_diverging_map():
    def predict(X):
        return X[:, :1]

    picture = plotting.decision_boundary_rgb(predict, X4, [-1.0, 1.0, 0.5, -0.5], resolution=41,
                                             extent=(-1, 1, -1, 1), points=False)
    left, middle, right = picture[20, 0].astype(int), picture[20, 20], picture[20, 40].astype(int)
    assert left[2] > left[0], "low values are blue"
    assert right[0] > right[2], "high values are vermillion"
    assert middle.min() > 240, "zero is white"


def test_points_are_drawn_in_their_class_colour():
    X = np.array([[0.0, 0.0], [0.5, 0.5]])
    picture = plotting.decision_boundary_rgb(lambda X: np.full((len(X), 1), 0.5), X, [0, 1],
                                             resolution=41, extent=(-1, 1, -1, 1))
    bare = plotting.decision_boundary_rgb(lambda X: np.full((len(X), 1), 0.5), X, [0, 1],
                                          resolution=41, extent=(-1, 1, -1, 1), points=False)
    assert not np.array_equal(picture, bare)
    assert np.array_equal(picture[20, 20], raster.to_uint8(raster.hex_to_rgb(plotting.PALETTE[0])))
    assert np.array_equal(picture[10, 30], raster.to_uint8(raster.hex_to_rgb(plotting.PALETTE[1])))


def test_decision_boundary_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"\(n_samples, 2\)"):
        plotting.decision_boundary_rgb(lambda X: X, np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="5 samples but y has 4"):
        plotting.decision_boundary_rgb(lambda X: X, np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="predict"):
        plotting.decision_boundary_rgb("model", np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="task"):
        plotting.interpret_outputs(np.zeros((3, 1)), task="clustering")


def test_static_decision_boundary_has_labelled_axes_legend_and_a_marker_per_class():
    X, y = nn.data.blobs(15, 3, rng=0)
    model = nn.Sequential(nn.Dense(2, 3, rng=0))
    fig = plotting.decision_boundary(model, X, y, resolution=40, title="blobs")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x1", "x2", "blobs")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in ax.collections}
    assert len(shapes) == 3
    plt.close(fig)


def test_static_regression_boundary_has_a_colour_bar():
    X = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    fig = plotting.decision_boundary(lambda X: X[:, :1] * 2, X, X[:, 0] * 2, resolution=30)
    assert len(fig.axes) == 2, "the plot and its colour bar"
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# Loss curves and show


def test_loss_curves_draw_loss_and_accuracy_panels():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6],
               "accuracy": [0.4, 0.7, 0.9], "val_accuracy": [0.3, 0.6, 0.8]}
    fig = plotting.loss_curves(history, title="run")
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 2
    assert fig.axes[0].get_xlabel() == "epoch"
    plt.close(fig)
    fig = plotting.loss_curves({"loss": [1.0, 0.5]})
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1
    plt.close(fig)
    with pytest.raises(TypeError, match="loss"):
        plotting.loss_curves([1.0, 0.5])


def test_loss_curves_accept_a_fit_history():
    X, y = nn.data.blobs(10, 2, rng=0)
    model = nn.Sequential(nn.Dense(2, 2, rng=0))
    history = model.fit(X, y, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.SGD(0.1), epochs=3)
    fig = plotting.loss_curves(history)
    assert len(fig.axes[0].lines[0].get_xdata()) == 3
    plt.close(fig)


def test_png_bundle_carries_the_image_and_its_alt_text():
    png = raster.encode_png(np.zeros((2, 2, 3), dtype=np.uint8))
    bundle = plotting.png_bundle(png, 'A "quoted" <figure>')
    assert base64.b64decode(bundle["image/png"]) == png
    assert bundle["text/plain"] == 'A "quoted" <figure>'
    assert 'alt="A &quot;quoted&quot; &lt;figure&gt;"' in bundle["text/html"]


def test_show_needs_alt_text_and_closes_the_figure(capsys):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    with pytest.raises(ValueError, match="alt text"):
        plotting.show(fig, alt="  ")
    plotting.show(fig, alt="A rising line.")  # outside IPython: prints the alt text
    assert "A rising line." in capsys.readouterr().out
    assert not plt.fignum_exists(fig.number)


def test_show_displays_a_png_with_alt_text_in_ipython(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    monkeypatch.setattr("IPython.display.display", shown.append)
    plotting.show(np.zeros((3, 4, 3), dtype=np.uint8), alt="A black rectangle.")
    data = shown[0]._repr_mimebundle_()
    assert set(data) == {"image/png", "text/plain", "text/html"}
    assert data["text/plain"] == "A black rectangle."


def test_figures_draw_into_a_given_axes():
    X, y = nn.data.blobs(10, 2, rng=0)
    fig, (left, right) = plt.subplots(1, 2)
    assert plotting.decision_boundary(lambda X: X[:, :1] > 0, X, y, ax=right,
                                      resolution=20) is fig
    assert plotting.loss_curves({"loss": [1.0, 0.5], "accuracy": [0.5, 0.9]}, ax=left) is fig
    assert right.get_xlabel() == "x1" and len(right.images) == 1
    assert len(left.lines) == 1 and len(fig.axes) == 2, "only the loss on a given axes"
    plt.close(fig)
