"""The chapter 09 playground: configuration, features, network limits, training, own data,
export, regression and multi-class modes, and Play/Pause on an event loop."""

import asyncio
import json
import os

import numpy as np
import pytest

import nnlib as nn
from nnlib.playground import (
    FEATURE_NAMES,
    Features,
    Playground,
    PlaygroundConfig,
    Session,
    compute_features,
    load_csv,
)


# --- configuration ----------------------------------------------------------------------------
def unusual_config():
    return PlaygroundConfig(
        problem="classification", dataset="spiral", n_classes=3, noise=20, train_percent=70,
        n_samples=300, seed=1234, features=["x1", "x2", "sin_x1", "x1_x2"], hidden=[5, 3, 2],
        activation="relu", regularization="l2", reg_rate=0.003, dropout=0.1,
        learning_rate=0.01, batch_size=16, optimizer="adam", discretize=True, show_test=True,
        own_points=[[1.0, 2.0, 0.0], [-1.0, -2.0, 1.0]],
    )


def test_config_json_round_trip_keeps_every_setting():
    config = unusual_config()
    again = PlaygroundConfig.from_json(config.to_json())
    assert again == config
    assert json.loads(config.to_json())["seed"] == 1234


def test_playground_json_round_trip_rebuilds_the_same_data_and_weights():
    first = Playground(unusual_config())
    second = Playground.from_json(first.to_json())
    assert second.config == first.config
    np.testing.assert_array_equal(second.session.X_train, first.session.X_train)
    for a, b in zip(first.session.model.state(), second.session.model.state(), strict=True):
        np.testing.assert_array_equal(a, b)
    first.step()
    second.step()
    assert first.session.history == second.session.history


@pytest.mark.parametrize("text, words", [
    ('{"format": "something-else"}', "format"),
    ('{"hidden_layers": [2]}', "unknown setting"),
    ('{"noise": 80}', "noise"),
    ('{"activation": "swish"}', "activation"),
    ('{"dataset": "plane"}', "dataset"),
    ("not json", "not valid JSON"),
])
def test_bad_configuration_json_is_rejected_with_the_reason(text, words):
    with pytest.raises((ValueError, TypeError), match=words):
        PlaygroundConfig.from_json(text)


# --- features ---------------------------------------------------------------------------------
def test_features_are_the_named_functions_of_the_coordinates():
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -1.5]])
    got = compute_features(X, FEATURE_NAMES)
    a, b = X[:, 0], X[:, 1]
    expected = np.column_stack([a, b, a**2, b**2, a * b, np.sin(a), np.sin(b)])
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(compute_features(X, ["x1_x2", "x1"]), np.column_stack([a * b, a]))


def test_features_layer_backward_matches_finite_differences():
    X = np.random.default_rng(0).uniform(-3, 3, (6, 2))
    errors = nn.gradcheck(Features(FEATURE_NAMES), X)
    assert errors["inputs"] < 1e-7


def test_unknown_or_missing_features_are_rejected():
    with pytest.raises(ValueError, match="unknown feature"):
        compute_features(np.zeros((2, 2)), ["x3"])
    with pytest.raises(ValueError, match="at least one"):
        PlaygroundConfig(features=[])


def test_unticking_every_feature_keeps_the_last_configuration():
    playground = Playground()
    for box in playground.feature_boxes.values():
        box.value = False
    assert playground.config.features == ["x2"]  # x1 went; unticking x2 too was refused
    assert playground.feature_boxes["x2"].value  # and its box is ticked again
    assert "at least one" in playground.status.value


# --- network shape ----------------------------------------------------------------------------
def test_layers_can_be_added_up_to_six_and_removed_down_to_none():
    playground = Playground(hidden=[])
    for expected in range(1, 7):
        playground.add_layer()
        assert len(playground.config.hidden) == expected
    assert playground.add_layer_button.disabled
    with pytest.raises(ValueError, match="at most 6"):
        playground.add_layer()
    for _ in range(6):
        playground.remove_layer()
    assert playground.config.hidden == []
    assert playground.remove_layer_button.disabled
    with pytest.raises(ValueError, match="no hidden layer"):
        playground.remove_layer()
    dense = [layer for layer in playground.session.model if isinstance(layer, nn.Dense)]
    assert len(dense) == 1  # no hidden layer: a linear model of the features


def test_neurons_per_layer_are_limited_to_eight():
    playground = Playground(hidden=[2])
    playground.set_neurons(0, 8)
    assert playground.session.model[1].weights.shape == (2, 8)
    with pytest.raises(ValueError, match="between 1 and 8"):
        playground.set_neurons(0, 9)
    with pytest.raises(ValueError, match="at most 6"):
        PlaygroundConfig(hidden=[2] * 7)


def test_model_layers_follow_the_configuration():
    session = Session(unusual_config())
    kinds = [type(layer).__name__ for layer in session.model]
    assert kinds == ["Features", "Dense", "ReLU", "Dropout", "Dense", "ReLU", "Dropout",
                     "Dense", "ReLU", "Dropout", "Dense"]
    assert session.model[1].weights.shape == (4, 5)
    assert session.model[1].l2 == 0.003
    assert isinstance(session.optimizer, nn.Adam)


# --- training ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dataset", ["circle", "xor", "gaussian", "moons"])
def test_steps_make_the_training_loss_fall(dataset):
    session = Session(PlaygroundConfig(dataset=dataset, hidden=[4, 4], optimizer="adam",
                                       learning_rate=0.03))
    start = session.history["train_loss"][0]
    session.step(30)
    assert session.epoch == 30
    assert session.history["train_loss"][-1] < 0.7 * start


def test_step_button_trains_one_epoch_and_the_counter_says_so():
    playground = Playground()
    assert "epoch 0" in playground.counter.value
    assert "nnlib-epoch" in playground.counter._dom_classes
    playground.step_button.click()
    assert "epoch 1" in playground.counter.value
    playground.reset_button.click()
    assert "epoch 0" in playground.counter.value


def test_buttons_have_the_agreed_descriptions_and_the_image_its_class():
    playground = Playground()
    names = {b.description for b in (playground.play_button, playground.pause_button,
                                     playground.step_button, playground.reset_button)}
    assert names == {"Play", "Pause", "Step", "Reset"}
    assert "nnlib-plot" in playground.image._dom_classes
    assert "nnlib-widget" in playground.widget._dom_classes


def test_play_trains_on_the_event_loop_until_pause():
    playground = Playground()

    async def press_play_then_pause():
        playground.play()
        assert playground.playing
        for _ in range(5):
            await asyncio.sleep(0)  # other events (a click on Pause) get their turn
        playground.pause()
        await asyncio.sleep(0)
        return playground.session.epoch

    epochs = asyncio.run(press_play_then_pause())
    assert 1 <= epochs <= 6
    assert not playground.playing


def test_play_outside_an_event_loop_explains_itself():
    with pytest.raises(RuntimeError, match="step"):
        Playground().play()


def test_learning_rate_changes_without_restarting():
    playground = Playground()
    playground.step()
    playground.controls["learning_rate"].value = 0.1
    assert playground.session.epoch == 1
    assert playground.session.optimizer.lr == 0.1


def test_same_seed_same_data_regenerate_new_data():
    a, b = Session(PlaygroundConfig(seed=3)), Session(PlaygroundConfig(seed=3))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    playground = Playground(seed=3)
    playground.regenerate()
    assert playground.config.seed == 4
    assert not np.array_equal(playground.session.X_train, a.X_train)


def test_train_percent_sets_the_split():
    session = Session(PlaygroundConfig(n_samples=500, train_percent=70))
    assert len(session.X_train) == 350 and len(session.X_test) == 150


# --- own data ---------------------------------------------------------------------------------
GOOD_CSV = "x1,x2,label\n# my points\n1.0, 2.0, 0\n-1.5,0.5,1\n\n2,-2,1\n-3,-1,0\n"


def test_load_csv_reads_text_bytes_and_files(tmp_path):
    X, y = load_csv(GOOD_CSV)
    np.testing.assert_array_equal(X, [[1.0, 2.0], [-1.5, 0.5], [2, -2], [-3, -1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    X_bytes, _ = load_csv(GOOD_CSV.encode("utf-8-sig"))
    np.testing.assert_array_equal(X_bytes, X)
    path = tmp_path / "points.csv"
    path.write_text(GOOD_CSV)
    np.testing.assert_array_equal(load_csv(path).X, X)
    np.testing.assert_array_equal(load_csv(str(path)).X, X)


@pytest.mark.parametrize("text, message", [
    ("x1,x2,label\n1,2\n", "line 2 has 2 value"),
    ("1,2,0\n3,four,1\n", "line 2: 'four' is not a number"),
    ("x1,x2,label\n", "no data rows"),
    ("1,2,0\n1,nan,1\n", "finite"),
])
def test_bad_csv_is_rejected_naming_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        load_csv(text)


def test_missing_csv_file_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="no CSV file"):
        load_csv(tmp_path / "nothing.csv")


def test_own_points_from_csv_become_the_data_set():
    playground = Playground()
    assert playground.load_own_data(GOOD_CSV) == 4
    assert playground.config.dataset == "own"
    assert len(playground.session.X_train) + len(playground.session.X_test) == 4
    playground.step()
    assert playground.session.epoch == 1


def test_csv_with_fractional_class_labels_is_refused_for_classification():
    playground = Playground()
    playground.csv_text.value = "1,2,0.5\n2,3,1\n"
    playground.load_csv_button.click()
    assert "whole numbers" in playground.status.value
    assert playground.config.dataset == "circle"


def test_points_added_one_by_one_are_used_once_two_classes_exist():
    playground = Playground()
    playground.add_point(1.0, 1.0, 0)
    assert playground.config.dataset == "circle"  # one class only: kept, not used yet
    assert "not used yet" in playground.status.value
    playground.point_x1.value, playground.point_x2.value = -2.0, 3.0
    playground.point_label.value = 1
    playground.add_point_button.click()
    assert playground.config.dataset == "own"
    assert playground.config.own_points == [[1.0, 1.0, 0.0], [-2.0, 3.0, 1.0]]
    playground.clear_points()
    assert playground.config.dataset == "circle" and playground.config.own_points == []


# --- export -----------------------------------------------------------------------------------
def test_exported_code_rebuilds_an_identical_model(tmp_path):
    playground = Playground(unusual_config())
    playground.session.step(3)
    path = tmp_path / "model.npz"
    code = playground.export_model(str(path))
    namespace = {}
    exec(compile(code, "exported", "exec"), namespace)
    rebuilt, original = namespace["model"], playground.session.model
    assert [type(layer) for layer in rebuilt] == [type(layer) for layer in original]
    grid = np.random.default_rng(1).uniform(-6, 6, (50, 2))
    np.testing.assert_array_equal(rebuilt.predict(grid), original.predict(grid))
    assert isinstance(namespace["optimizer"], nn.Adam)
    loaded = nn.load(path)  # the same file also loads with nnlib's own loader
    np.testing.assert_array_equal(loaded.predict(grid), original.predict(grid))


def test_export_button_offers_downloads_and_code():
    playground = Playground()
    playground.export_button.click()
    assert "model = nn.Sequential(" in playground.code_text.value
    assert 'download="playground_model.npz"' in playground.export_links.value
    playground.save_button.click()
    assert PlaygroundConfig.from_json(playground.config_text.value) == playground.config


def test_load_config_button_applies_the_json_in_the_box():
    playground = Playground()
    playground.config_text.value = unusual_config().to_json()
    playground.load_button.click()
    assert playground.config == unusual_config()
    assert playground.controls["dataset"].value == "spiral"
    assert playground.layer_sliders[2].layout.display is None
    assert playground.layer_sliders[3].layout.display == "none"


# --- regression and multi-class ---------------------------------------------------------------
@pytest.mark.parametrize("dataset", ["plane", "multi_gaussian"])
def test_regression_mode_uses_mse_and_a_linear_output(dataset):
    playground = Playground(problem="regression", dataset=dataset, hidden=[6],
                            optimizer="adam", learning_rate=0.01)
    session = playground.session
    assert isinstance(session.loss, nn.MeanSquaredError)
    assert isinstance(session.model[-1], nn.Linear)
    assert session.y_train.shape == (len(session.X_train), 1)
    assert np.abs(session.y_train).max() <= 1.0 + 1e-12
    start = session.history["test_loss"][0]
    session.step(20)
    assert session.model.predict(session.X_test).shape == (len(session.X_test), 1)
    assert session.history["test_loss"][-1] < start
    playground.redraw(now=True)
    assert playground.image.value[:4] == b"\x89PNG"


def test_switching_to_regression_picks_a_regression_data_set():
    playground = Playground()
    playground.controls["problem"].value = "regression"
    assert playground.config.dataset == "plane"
    assert [v for _, v in playground.controls["dataset"].options] == \
        ["plane", "multi_gaussian", "own"]


@pytest.mark.parametrize("dataset, n_classes", [("spiral", 3), ("gaussian", 4)])
def test_multiclass_mode_has_one_softmax_output_per_class(dataset, n_classes):
    session = Session(PlaygroundConfig(dataset=dataset, n_classes=n_classes, hidden=[8, 8],
                                       optimizer="adam", learning_rate=0.01))
    assert set(np.unique(session.y_train)) == set(range(n_classes))
    assert isinstance(session.loss, nn.SoftmaxCrossEntropy)
    assert session.model.predict(session.X_test).shape == (len(session.X_test), n_classes)
    start = session.history["train_loss"][0]
    session.step(30)
    assert session.history["train_loss"][-1] < 0.85 * start
    chance = 1.0 / n_classes
    assert session.accuracy(session.X_test, session.y_test) > chance + 0.1


def test_n_classes_beyond_four_is_refused():
    with pytest.raises(ValueError, match="n_classes"):
        PlaygroundConfig(dataset="spiral", n_classes=5)


# --- pictures ---------------------------------------------------------------------------------
def test_frame_pictures_and_static_fallback():
    playground = Playground(dataset="spiral", n_classes=3, hidden=[8, 8, 8, 8, 8, 8],
                            features=list(FEATURE_NAMES), show_test=True)
    frame = playground.frame
    for picture in frame.values():
        assert picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3
    bundle = playground._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "Spiral" in bundle["text/plain"]


def test_diagram_links_show_the_sign_of_each_weight():
    from nnlib.playground.diagram import link_style
    from nnlib.playground.render import NEGATIVE, POSITIVE

    positive, width_pos = link_style(2.0)
    negative, width_neg = link_style(-2.0)
    assert positive == tuple(int(round(c * 255)) for c in POSITIVE)
    assert negative == tuple(int(round(c * 255)) for c in NEGATIVE)
    assert width_pos == width_neg > link_style(0.1)[1]


def test_export_writes_the_npz_where_asked(tmp_path):
    playground = Playground()
    path = tmp_path / "mine.npz"
    code = playground.export_model(str(path))
    assert os.path.exists(path) and str(path) in code


def test_regression_without_a_data_set_gets_the_plane():
    assert PlaygroundConfig(problem="regression").dataset == "plane"
    assert Playground(problem="regression").config.dataset == "plane"
    assert PlaygroundConfig(dataset="xor").replace(problem="regression").dataset == "plane"


def test_a_diverging_run_is_reported_and_still_drawn():
    playground = Playground(learning_rate=10.0, hidden=[8, 8, 8], activation="linear")
    for _ in range(10):
        playground.step()
    assert not np.isfinite(playground.session.history["train_loss"][-1])
    assert "lower the learning rate" in playground.status.value
    assert playground.image.value[:4] == b"\x89PNG"


def test_an_uploaded_csv_file_becomes_the_data_set():
    playground = Playground()
    content = GOOD_CSV.encode()
    # what the browser sends when a file is chosen (state as JSON, the bytes as a buffer)
    playground.upload.set_state({"value": [{"name": "mine.csv", "type": "text/csv",
                                            "size": len(content), "content": memoryview(content),
                                            "last_modified": 0}]})
    assert playground.config.dataset == "own"
    assert "loaded 4 point(s) from mine.csv" in playground.status.value


def test_reset_pauses_and_restores_the_initial_weights():
    playground = Playground()
    start = playground.session.model.state()

    async def play_then_reset():
        playground.play()
        for _ in range(3):
            await asyncio.sleep(0)
        playground.reset()
        await asyncio.sleep(0)

    asyncio.run(play_then_reset())
    assert not playground.playing and playground.session.epoch == 0
    for a, b in zip(start, playground.session.model.state(), strict=True):
        np.testing.assert_array_equal(a, b)
