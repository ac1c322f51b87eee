"""nnlib.widgets on the kernel side, without a browser: each widget builds, redraws when its
controls move, merges bursts of moves into one redraw, trains step by step without blocking an
event loop, and displays a PNG with alt text where no widget front end exists.
(tests/browser/ checks the same widgets in a real JupyterLab.)"""

import asyncio
import base64

import ipywidgets
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

import nnlib as nn
from nnlib import widgets
from nnlib.neuron_widgets import default_loss
from nnlib.optimizer_paths import optimizer_paths, path_summary

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def blobs():
    return nn.data.blobs(10, 2, spread=0.5, rng=0)


@pytest.fixture
def small_model():
    return nn.Sequential(nn.Dense(2, 3, rng=0), nn.Tanh(), nn.Dense(3, 2, rng=1))


def spiral_view(**kwargs):
    X, y = nn.data.spiral(20, 3, rng=0)
    model = nn.Sequential(nn.Dense(2, 8, rng=0), nn.ReLU(), nn.Dense(8, 3, rng=1))
    options = dict(loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02), batch_size=30,
                   validation_data=(X[::2], y[::2]), resolution=40)
    options.update(kwargs)
    return widgets.TrainingView(model, X, y, **options)


def all_widgets(blobs, small_model):
    X, y = blobs
    return [
        widgets.NeuronExplorer(X, y),
        widgets.LineExplorer(),
        widgets.WeightExplorer(small_model, X, y, resolution=40),
        widgets.LearningRateExplorer(steps=10),
        spiral_view(),
        widgets.interactive_image(lambda a: np.full((4, 4, 3), int(a * 20), np.uint8),
                                  {"a": (0.0, 10.0, 1.0)}),
    ]


def controls_of(widget):
    """Every control below the widget's root (sliders, menus, buttons)."""
    found, stack = [], [widget.widget]
    while stack:
        node = stack.pop()
        if isinstance(node, ipywidgets.Box):
            stack.extend(node.children)
        elif isinstance(node, (ipywidgets.ValueWidget, ipywidgets.Button)) and not isinstance(
                node, (ipywidgets.Label, ipywidgets.Image)):
            found.append(node)
    return found


# --------------------------------------------------------------------------------------------
# Every widget: DOM hooks, labels, a PNG, the static fallback


def test_every_widget_has_the_dom_hooks_of_the_contract(blobs, small_model):
    for w in all_widgets(blobs, small_model):
        assert "nnlib-widget" in w.widget._dom_classes, type(w).__name__
        assert isinstance(w.image, ipywidgets.Image)
        assert "nnlib-plot" in w.image._dom_classes
        assert w.image.value[:8] == PNG_MAGIC
        assert w.png() == w.image.value


def test_every_control_has_a_readable_plain_text_label(blobs, small_model):
    for w in all_widgets(blobs, small_model):
        controls = controls_of(w)
        assert controls, type(w).__name__
        for control in controls:
            assert control.description.strip(), f"{type(w).__name__}: {control!r}"
            assert "<" not in control.description
            if isinstance(control, ipywidgets.Button):
                assert control.tooltip, f"button {control.description!r} needs a tooltip"
            else:
                assert control.description_allow_html is False


def test_static_fallback_bundle_has_png_alt_text_and_the_live_widget(blobs, small_model):
    for w in all_widgets(blobs, small_model):
        data = w._repr_mimebundle_()
        assert base64.b64decode(data["image/png"]) == w.image.value
        assert data["text/plain"] == w.describe()
        assert not data["text/plain"].startswith(("VBox(", "interactive("))
        assert 'alt="' in data["text/html"]
        view = data["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == w.widget.model_id


def test_ipython_formats_a_widget_as_png_plus_widget_view(blobs):
    explorer = widgets.NeuronExplorer(*blobs)
    data, _ = DisplayFormatter().format(explorer)
    assert {"image/png", "text/plain", "text/html",
            "application/vnd.jupyter.widget-view+json"} <= set(data)


# --------------------------------------------------------------------------------------------
# Moving controls changes the picture


def assert_changes_picture(w, control, value):
    before = w.png()
    control.value = value
    after = w.png()
    assert after != before, f"{control.description} = {value!r} did not change the picture"


def test_neuron_explorer_redraws_for_each_control(blobs):
    explorer = widgets.NeuronExplorer(*blobs, w1=1.0, w2=-1.0, b=0.0)
    assert_changes_picture(explorer, explorer.sliders["w1"], 2.0)
    assert_changes_picture(explorer, explorer.sliders["w2"], 0.5)
    assert_changes_picture(explorer, explorer.sliders["b"], -1.0)
    assert_changes_picture(explorer, explorer.activation, "sigmoid")
    assert "2.00·x1 + 0.50·x2 − 1.00" in explorer.status.value


def test_neuron_explorer_counts_points_on_the_right_side():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    explorer = widgets.NeuronExplorer(X, [0, 0, 1], w1=1.0, w2=0.0, b=0.0)
    assert "2 of 3 points" in explorer.status.value
    explorer.sliders["b"].value = -1.5
    assert "3 of 3 points" in explorer.status.value


def test_neuron_explorer_rejects_more_than_two_classes():
    X, y = nn.data.blobs(5, 3, rng=0)
    with pytest.raises(ValueError, match="labels 0 and 1"):
        widgets.NeuronExplorer(X, y)
    with pytest.raises(ValueError, match="activation"):
        widgets.NeuronExplorer(*nn.data.blobs(5, 2, rng=0), activation="softplus")


def test_line_explorer_redraws_and_reports_where_the_input_is_zero():
    explorer = widgets.LineExplorer(weight=2.0, bias=1.0, activation="sigmoid")
    assert "x = -0.50" in explorer.status.value
    assert_changes_picture(explorer, explorer.sliders["weight"], 4.0)
    assert_changes_picture(explorer, explorer.sliders["bias"], -2.0)
    assert_changes_picture(explorer, explorer.activation, "relu")
    assert "x = 0.50" in explorer.status.value


def test_learning_rate_explorer_redraws_for_lr_momentum_and_surface():
    explorer = widgets.LearningRateExplorer(surface="valley", lr=0.1, momentum=0.9, steps=20)
    assert_changes_picture(explorer, explorer.lr, 0.3)
    assert_changes_picture(explorer, explorer.momentum, 0.5)
    assert_changes_picture(explorer, explorer.surface, "saddle")
    assert explorer.lr.min == -3, "the learning rate slider is logarithmic (10**-3 ...)"


def test_sgd_paths_converge_below_and_diverge_above_two_over_curvature():
    # valley: L = 0.1 w1^2 + 2 w2^2, steepest curvature 4: SGD is stable for lr < 0.5
    stable = optimizer_paths("valley", lr=0.45, momentum=0.0, steps=200)["SGD"]
    unstable = optimizer_paths("valley", lr=0.55, momentum=0.0, steps=200)
    assert abs(stable[-1, 1]) < 1e-3 and len(stable) == 201
    assert len(unstable["SGD"]) < 201
    assert "SGD: diverged" in path_summary("valley", unstable, 200)


def test_interactive_image_redraws_with_the_latest_values_and_accepts_figures():
    calls = []

    def draw(w, name):
        calls.append((w, name))
        return np.full((3, 3, 3), int(w * 10) % 256, dtype=np.uint8)

    explorer = widgets.interactive_image(draw, {"w": (0.0, 5.0, 0.5), "name": ["a", "b"]},
                                         alt="A test square")
    assert isinstance(explorer.controls["w"], ipywidgets.FloatSlider)
    assert isinstance(explorer.controls["name"], ipywidgets.Dropdown)
    assert_changes_picture(explorer, explorer.controls["w"], 4.0)
    assert calls[-1] == (4.0, "a")
    assert explorer.describe().startswith("A test square (w = 4")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def figure(k):
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.plot([0, 1], [0, k])
        return fig

    from_figures = widgets.interactive_image(figure, {"k": (1, 3)})
    assert from_figures.png()[:8] == PNG_MAGIC
    assert_changes_picture(from_figures, from_figures.controls["k"], 3)


def test_interactive_image_sliders_start_at_the_draw_functions_defaults():
    def draw(w=1.5, k=2, name="b"):
        return np.zeros((2, 2, 3), np.uint8)

    explorer = widgets.interactive_image(draw, {"w": (-2.0, 2.0, 0.1), "k": (0, 5),
                                                "name": ["a", "b"]})
    assert explorer.values == {"w": 1.5, "k": 2, "name": "b"}
    bare = widgets.interactive_image(lambda w: np.zeros((2, 2, 3), np.uint8), {"w": (0.0, 4.0)})
    assert bare.values == {"w": 2.0}, "without a default: the middle of the range"


def test_draw_errors_show_in_the_widget_instead_of_vanishing():
    def draw(a=2):
        return np.zeros((2, 2, 3), np.uint8) if a < 5 else "not a picture"

    explorer = widgets.interactive_image(draw, {"a": (0, 10)})
    explorer.controls["a"].value = 7  # in a kernel this runs in a callback: nowhere to raise
    assert explorer.status.value.startswith("Could not draw: TypeError")


def test_a_draw_function_that_fails_at_once_raises_when_the_widget_is_made():
    with pytest.raises(TypeError, match="uint8 RGB array"):
        widgets.interactive_image(lambda a: "not a picture", {"a": (0, 10)})


# --------------------------------------------------------------------------------------------
# Stale values are dropped


def test_a_burst_of_slider_moves_in_an_event_loop_gives_one_redraw_with_the_last_value(blobs):
    explorer = widgets.NeuronExplorer(*blobs)
    slider = explorer.sliders["w1"]

    async def drag():
        renders = explorer.redrawer.renders
        for value in np.linspace(-2.0, 2.0, 20):
            slider.value = float(value)  # as fast as the front end could send them
        assert explorer.redrawer.renders == renders, "nothing drawn while the burst lasts"
        await asyncio.sleep(0)
        return explorer.redrawer.renders - renders

    assert asyncio.run(drag()) == 1
    assert explorer.status.value.startswith("z = 2.00·x1")
    assert explorer.redrawer.requests == 20


def test_without_an_event_loop_every_move_redraws_at_once(blobs):
    explorer = widgets.NeuronExplorer(*blobs)
    renders = explorer.redrawer.renders
    for value in (0.5, 1.5, 2.5):
        explorer.sliders["b"].value = value
    assert explorer.redrawer.renders == renders + 3


def test_displaying_flushes_a_pending_redraw(blobs):
    explorer = widgets.NeuronExplorer(*blobs)

    async def move_then_display():
        explorer.sliders["w2"].value = 3.0
        return explorer._repr_mimebundle_()

    data = asyncio.run(move_then_display())
    assert "3.00·x2" in data["text/plain"]


def test_redrawer_merges_requests_and_counts_them():
    drawn = []
    redrawer = widgets.Redrawer(lambda: drawn.append(1))

    async def burst():
        for _ in range(5):
            redrawer.request()
        await asyncio.sleep(0)

    asyncio.run(burst())
    assert drawn == [1] and redrawer.requests == 5 and redrawer.renders == 1


# --------------------------------------------------------------------------------------------
# WeightExplorer


def test_weight_explorer_has_a_slider_per_parameter_grouped_by_layer(blobs, small_model):
    explorer = widgets.WeightExplorer(small_model, *blobs, resolution=40)
    assert len(explorer.sliders) == 6 + 3 + 6 + 2
    headers = [child.children[0].value for child in explorer.widget.children[:2]]
    assert headers[0].startswith("Layer 1: Dense(2 → 3)")
    assert headers[1].startswith("Layer 2: Dense(3 → 2)")


def test_weight_explorer_slider_writes_into_the_model(blobs, small_model):
    explorer = widgets.WeightExplorer(small_model, *blobs, resolution=40)
    slider, array, index = explorer.sliders[0]
    assert array is small_model.layers[0].weights
    assert_changes_picture(explorer, slider, 2.5)
    assert small_model.layers[0].weights[index] == 2.5


def test_weight_explorer_randomise_and_train_keep_sliders_in_step(blobs, small_model):
    explorer = widgets.WeightExplorer(small_model, *blobs, resolution=40)
    before = [float(a[i]) for _, a, i in explorer.sliders]
    explorer.randomise_button.click()
    after = [float(a[i]) for _, a, i in explorer.sliders]
    assert before != after
    assert all(np.isclose(s.value, a[i]) for s, a, i in explorer.sliders)
    loss_before = explorer.metrics()["loss"]
    explorer.train_button.click()
    assert explorer.metrics()["loss"] < loss_before
    assert all(np.isclose(s.value, a[i]) for s, a, i in explorer.sliders)


def test_weight_explorer_refuses_models_too_big_for_sliders(blobs):
    big = nn.Sequential(nn.Dense(2, 16, rng=0), nn.ReLU(), nn.Dense(16, 3, rng=1))
    with pytest.raises(ValueError, match="slider each"):
        widgets.WeightExplorer(big, *blobs)


def test_default_loss_matches_the_model_output(blobs):
    X, y = blobs
    assert isinstance(default_loss(nn.Sequential(nn.Dense(2, 2)), X, y), nn.SoftmaxCrossEntropy)
    assert isinstance(default_loss(nn.Sequential(nn.Dense(2, 2), nn.Softmax()), X, y),
                      nn.CategoricalCrossEntropy)
    assert isinstance(default_loss(nn.Sequential(nn.Dense(2, 1), nn.Sigmoid()), X, y),
                      nn.BinaryCrossEntropy)
    assert isinstance(default_loss(nn.Sequential(nn.Dense(2, 1)), X, X[:, 0]),
                      nn.MeanSquaredError)


# --------------------------------------------------------------------------------------------
# TrainingView


def test_training_view_buttons_and_counter_follow_the_contract():
    view = spiral_view()
    assert [b.description for b in view.controls] == ["Play", "Pause", "Step", "Reset"]
    assert "nnlib-epoch" in view.counter._dom_classes
    assert view.counter.value.startswith("epoch 0")


def test_step_trains_epochs_per_step_and_redraws():
    view = spiral_view(epochs_per_step=3)
    before = view.png()
    view.step_button.click()
    assert view.epoch == 3 and view.counter.value.startswith("epoch 3")
    assert view.png() != before
    view.step()
    assert view.epoch == 6 and len(view.history["loss"]) == 6


def test_training_stops_at_max_epochs():
    view = spiral_view(epochs_per_step=4, max_epochs=10)
    for _ in range(5):
        view.step()
    assert view.epoch == 10 and view.finished
    assert view.counter.value.startswith("epoch 10 of 10")
    assert view.play_button.disabled and view.step_button.disabled


def test_reset_restores_the_first_weights_and_epoch_zero():
    view = spiral_view()
    first_png, first_weights = view.png(), view.model.state()
    view.step()
    view.step()
    view.reset_button.click()
    assert view.epoch == 0 and view.counter.value.startswith("epoch 0")
    assert all(np.array_equal(a, b) for a, b in zip(view.model.state(), first_weights, strict=True))
    assert view.png() == first_png
    view.step()
    again = spiral_view()
    again.step()
    assert view.png() == again.png(), "after Reset training repeats exactly (optimizer reset)"


def test_play_without_an_event_loop_needs_max_epochs():
    view = spiral_view(max_epochs=5, epochs_per_step=2)
    view.play()
    assert view.epoch == 5
    with pytest.raises(RuntimeError, match="max_epochs"):
        spiral_view().play()


def test_play_runs_on_the_event_loop_and_pause_stops_it():
    view = spiral_view(epochs_per_step=1)

    async def session():
        view.play_button.click()
        assert view.running and view.epoch == 0, "play returns at once; training is scheduled"
        for _ in range(200):  # the loop stays free: other callbacks run between epochs
            await asyncio.sleep(0)
            if view.epoch >= 3:
                break
        assert view.pause_button.disabled is False and view.play_button.disabled is True
        view.pause_button.click()  # what a click on Pause does while training runs
        stopped_at = view.epoch
        for _ in range(20):
            await asyncio.sleep(0)
        return stopped_at

    stopped_at = asyncio.run(session())
    assert stopped_at >= 3
    assert view.epoch == stopped_at, "no epoch after Pause"
    assert not view.running and view.play_button.disabled is False
    assert view.counter.value.startswith(f"epoch {stopped_at}")


def test_play_stops_by_itself_at_max_epochs():
    view = spiral_view(max_epochs=4)

    async def session():
        view.play()
        for _ in range(100):
            await asyncio.sleep(0)

    asyncio.run(session())
    assert view.epoch == 4 and not view.running


def test_an_error_while_playing_is_shown_in_the_widget():
    view = spiral_view()

    def broken_epoch():
        raise FloatingPointError("loss became NaN")

    view.trainer.run_epoch = broken_epoch

    async def session():
        view.play()
        for _ in range(5):
            await asyncio.sleep(0)

    asyncio.run(session())
    assert not view.running
    assert view.status.value == "Training stopped: FloatingPointError: loss became NaN"


def test_training_view_without_2d_inputs_shows_only_the_loss():
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = (X.sum(axis=1) > 0).astype(int)
    view = widgets.TrainingView(nn.Sequential(nn.Dense(3, 2, rng=0)), X, y,
                                loss=nn.SoftmaxCrossEntropy(), optimizer=nn.SGD(0.1))
    view.step()
    assert not view.show_boundary and view.png()[:8] == PNG_MAGIC


# --------------------------------------------------------------------------------------------
# check_widgets


def test_check_widgets_reports_in_plain_words(capsys):
    report = widgets.check_widgets()
    out = capsys.readouterr().out
    assert report["ipywidgets"] == ipywidgets.__version__
    assert report["ok"] is True
    assert "ipywidgets 8" in out
    assert "not running in a Jupyter kernel" in out


def test_check_widgets_advice_names_the_fix_for_each_problem():
    from nnlib.widgets import _advice

    base = {"python": "py", "ipywidgets": "8.1.9", "jupyterlab_widgets": "3.0.17",
            "widgetsnbextension": "4.0", "in_kernel": True, "colab": False, "vscode": False}
    ok, lines = _advice({**base, "ipywidgets": None})
    assert not ok and "pip install" in " ".join(lines)
    ok, lines = _advice({**base, "ipywidgets": "7.7.1"})
    assert not ok and "ipywidgets 8" in " ".join(lines)
    ok, lines = _advice({**base, "jupyterlab_widgets": "1.1.0"})
    assert not ok and "jupyterlab_widgets>=3" in " ".join(lines)
    ok, lines = _advice({**base, "colab": True})
    assert ok and "enable_custom_widget_manager" in " ".join(lines)
    assert "interactive(children=...)" in " ".join(lines)
