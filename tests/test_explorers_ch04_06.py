"""The chapter 04-06 explorers compute the right things, and their widgets follow the contract.

- capacity (ch. 04): a linear hidden layer can only learn a straight boundary; activations
  and width add capacity; trained networks are cached; bad choices are refused clearly.
- loss (ch. 05): the numbers shown are the textbook losses; pictures and status follow the
  sliders.
- graph (ch. 06): the hand-written chain rule equals a numerical gradient for any inputs; the
  story shows values before gradients; the buttons stay inside the story.
- exercises._parts: a tuple answer is checked part by part.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn
from nnlib.exercises import FAIL, NOT_ATTEMPTED
from nnlib.exercises._parts import check_parts
from nnlib.explorers import capacity, graph, loss

# --- capacity ----------------------------------------------------------------------------------


def test_linear_hidden_layer_gives_an_affine_logit_so_a_straight_boundary():
    model, _ = capacity.trained_net("moons", "linear", 16)
    first, _, second, _ = model.layers
    W = first.weights @ second.weights
    b = first.biases @ second.weights + second.biases
    grid = np.random.default_rng(0).uniform(-2, 3, (50, 2))
    logits = second.forward(first.forward(grid))
    assert np.allclose(logits, grid @ W + b)


def test_nonlinearity_and_width_add_capacity_on_circles():
    X, y = capacity.load_dataset("circles")

    def training_accuracy(activation, width):
        model, _ = capacity.trained_net("circles", activation, width)
        return nn.accuracy(model.predict(X), y)

    assert training_accuracy("linear", 16) < 0.7
    assert training_accuracy("relu", 1) < 0.8
    assert training_accuracy("relu", 16) > 0.95
    assert training_accuracy("tanh", 8) > 0.95


def test_trained_networks_are_cached():
    assert capacity.trained_net("moons", "tanh", 3) is capacity.trained_net("moons", "tanh", 3)


def test_regression_nets_start_with_switch_points_inside_the_data():
    first = capacity.build_net("regression_1d", "relu", 32).layers[0]
    switch = -first.biases / first.weights
    assert np.all((switch >= -2) & (switch <= 2))


@pytest.mark.parametrize("args, message", [
    (("spirals", "relu", 4), "dataset must be one of"),
    (("moons", "softplus", 4), "activation must be one of"),
    (("moons", "relu", 0), "width"),
])
def test_capacity_refuses_unknown_choices_by_name(args, message):
    with pytest.raises(ValueError, match=message):
        capacity.build_net(*args)


def test_capacity_picture_is_an_rgb_image_of_both_panels():
    picture = capacity.capacity_picture("regression_1d", "tanh", 3)
    assert picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3
    assert picture.shape[1] > 2 * capacity.PANEL[0]


def test_capacity_explorer_follows_the_widget_contract():
    explorer = capacity.CapacityExplorer("moons", "relu", 4)
    assert "nnlib-widget" in explorer.widget._dom_classes
    assert "nnlib-plot" in explorer.image._dom_classes
    before = explorer.png()
    explorer.controls["width"].value = 16
    assert explorer.png() != before
    assert "16 hidden" in explorer.status_text() and "16 relu" in explorer.describe()
    bundle = explorer._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


# --- loss --------------------------------------------------------------------------------------


def test_binary_losses_are_the_textbook_numbers():
    values = loss.binary_losses(0.2, 1)
    assert values["binary cross-entropy"] == pytest.approx(-np.log(0.2))
    assert values["squared error"] == pytest.approx(0.64)
    assert values["0/1 error"] == 1.0
    assert loss.binary_losses(0.8, 1)["0/1 error"] == 0.0
    assert loss.binary_losses(0.8, 0)["binary cross-entropy"] == pytest.approx(-np.log(0.2))


@given(st.lists(st.floats(-20, 20), min_size=3, max_size=3), st.integers(0, 2))
def test_multiclass_cross_entropy_is_log_sum_exp_minus_the_true_score(scores, label):
    scores = np.array(scores)
    m = scores.max()
    expected = m + np.log(np.exp(scores - m).sum()) - scores[label]
    assert loss.multiclass_losses(scores, label)["cross-entropy"] == pytest.approx(expected)


def test_loss_pictures_follow_the_prediction():
    assert not np.array_equal(loss.binary_picture(0.2, 1), loss.binary_picture(0.8, 1))
    assert not np.array_equal(loss.multiclass_picture(1, 2, 0.5, 0),
                              loss.multiclass_picture(3, 2, 0.5, 0))
    assert not np.array_equal(loss.regression_picture(2.0, 1.0), loss.regression_picture(0.0, 1.0))


@pytest.mark.parametrize("task", loss.TASKS)
def test_loss_explorer_slider_redraws_picture_and_status(task):
    explorer = loss.LossExplorer(task)
    assert "nnlib-widget" in explorer.widget._dom_classes
    slider = next(c for c in explorer.controls.values() if hasattr(c, "step"))
    before, status = explorer.png(), explorer.status_text()
    slider.value = slider.value + 5 * slider.step
    assert explorer.png() != before
    assert explorer.status_text() != status


def test_loss_helpers_refuse_bad_input():
    with pytest.raises(ValueError, match="task must be one of"):
        loss.LossExplorer("ranking")
    with pytest.raises(ValueError, match="probability"):
        loss.binary_losses(1.5, 1)
    with pytest.raises(ValueError, match="label"):
        loss.binary_losses(0.5, 2)


# --- graph -------------------------------------------------------------------------------------

small = st.floats(-3, 3, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(small, small, small, small, small, st.floats(0, 1))
def test_graph_chain_rule_equals_numerical_gradient(x1, w1, x2, w2, b, y):
    leaves = np.array([x1, w1, x2, w2, b])

    def loss_value():
        return graph.neuron_graph(*leaves, y=y)[0]["L"]

    numeric = nn.numerical_gradient(loss_value, leaves)
    _, grads = graph.neuron_graph(x1, w1, x2, w2, b, y)
    analytic = np.array([grads[name] for name in ("x1", "w1", "x2", "w2", "b")])
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_story_shows_values_first_then_every_gradient():
    story = graph.steps()
    forward = [i for i, s in enumerate(story) if s.new_values]
    backward = [i for i, s in enumerate(story) if s.new_grads]
    assert max(forward) < min(backward)
    for step in range(graph.N_STEPS):
        shown_values, shown_grads = graph.visible_after(step)
        assert shown_grads <= shown_values  # a gradient appears only on a computed node
    _, final_grads = graph.visible_after(graph.N_STEPS - 1)
    assert final_grads == set(graph.POSITIONS) - {"y"}


def test_graph_explorer_buttons_stay_inside_the_story():
    explorer = graph.GraphExplorer()
    assert explorer.previous_button.disabled and not explorer.next_button.disabled
    explorer.next_button.click()
    assert explorer.step == 1 and "step 1 of" in explorer.status_text()
    explorer.go(100)
    assert explorer.step == graph.N_STEPS - 1 and explorer.next_button.disabled
    explorer.start_button.click()
    assert explorer.step == 0


def test_graph_refuses_bad_steps_and_inputs():
    with pytest.raises(ValueError, match="step must be"):
        graph.draw_graph(12)
    with pytest.raises(TypeError, match="unknown graph inputs"):
        graph.GraphExplorer(weight=2.0)
    with pytest.raises(ValueError, match="finite"):
        graph.neuron_graph(x1=float("nan"))


# --- exercises._parts --------------------------------------------------------------------------

CASES = [(np.ones((2, 3)),)]


def _reference(a):
    return a.sum(axis=0, keepdims=True), a.T


def test_check_parts_names_the_part_that_is_wrong(capsys):
    assert not check_parts(lambda a: (a.sum(axis=0, keepdims=True), a), CASES, _reference,
                           name="f", parts=("first", "second"))
    out = capsys.readouterr().out
    assert out.startswith(FAIL) and "second" in out and "transpose" in out


def test_check_parts_gives_a_matching_mistake_hint(capsys):
    assert not check_parts(lambda a: (a.sum(axis=0), a.T), CASES, _reference, name="f",
                           parts=("first", "second"),
                           mistakes={"Keep the dimensions.": lambda a: (a.sum(axis=0), a.T)})
    assert "Keep the dimensions." in capsys.readouterr().out


def test_check_parts_treats_a_stub_as_not_attempted(capsys):
    def stub(a):
        ...  # your code here

    assert not check_parts(stub, CASES, _reference, name="f", parts=("first", "second"))
    assert capsys.readouterr().out.startswith(NOT_ATTEMPTED)
