"""Regularisation in nnlib: L1/L2 penalties and their gradients, dropout, early stopping."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn

SMALL_FLOATS = st.floats(min_value=-10, max_value=10, allow_nan=False, allow_infinity=False)


def overfitting_problem():
    """A wide network on few noisy spiral points: its validation loss turns up within 300 epochs."""
    X, y = nn.data.spiral(30, 3, noise=0.3, rng=1)
    parts = nn.data.split(X, y, val=0.3, test=0.0, rng=2)
    model = nn.Sequential(nn.Dense(2, 64, rng=0), nn.ReLU(), nn.Dense(64, 64, rng=1), nn.ReLU(),
                          nn.Dense(64, 3, rng=2))
    return model, parts


# --- L1 and L2 penalties -----------------------------------------------------------------------


def test_penalty_is_l1_times_sum_of_abs_plus_l2_times_sum_of_squares():
    layer = nn.Dense(3, 4, l1=0.01, l2=0.02, rng=0)
    W = layer.weights
    assert layer.penalty() == pytest.approx(0.01 * np.abs(W).sum() + 0.02 * (W**2).sum())


def test_no_penalty_without_strengths_and_biases_are_never_penalised():
    assert nn.Dense(3, 4, rng=0).penalty() == 0.0
    layer = nn.Dense(3, 4, l2=0.1, rng=0)
    before = layer.penalty()
    layer.biases += 100.0
    assert layer.penalty() == before


def test_model_penalty_adds_up_the_layers():
    first, second = nn.Dense(2, 5, l2=0.1, rng=0), nn.Dense(5, 3, l1=0.2, rng=1)
    model = nn.Sequential(first, nn.ReLU(), second)
    assert model.penalty() == pytest.approx(first.penalty() + second.penalty())


@given(st.lists(SMALL_FLOATS, min_size=6, max_size=6), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=50, deadline=None)
def test_penalty_gradient_is_l1_sign_plus_twice_l2_times_weights(values, l1, l2):
    layer = nn.Dense(2, 3, l1=l1, l2=l2, rng=0)
    layer.weights[...] = np.reshape(values, (2, 3))
    X = np.ones((4, 2))
    layer.forward(X)
    dvalues = np.zeros((4, 3))  # no data gradient: dweights is the penalty's gradient alone
    layer.backward(dvalues)
    expected = l1 * np.sign(layer.weights) + 2 * l2 * layer.weights
    np.testing.assert_allclose(layer.dweights, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(layer.dbiases, 0.0)


@pytest.mark.parametrize("l1, l2", [(0.0, 0.5), (0.3, 0.0), (0.3, 0.5)])
def test_gradcheck_of_a_penalised_layer_passes(l1, l2):
    layer = nn.Dense(3, 4, l1=l1, l2=l2, rng=0)
    X = np.random.default_rng(1).standard_normal((5, 3))
    errors = nn.gradcheck(layer, X)
    assert max(errors.values()) < 1e-7, errors


class _ForgetsPenaltyGradient(nn.Dense):
    """A Dense layer whose backward leaves out the penalty's gradient (a typical bug)."""

    def backward(self, dvalues):
        l1, l2 = self.l1, self.l2
        self.l1 = self.l2 = 0.0
        try:
            return super().backward(dvalues)
        finally:
            self.l1, self.l2 = l1, l2


def test_gradcheck_includes_the_penalty_so_it_catches_a_missing_penalty_gradient():
    layer = _ForgetsPenaltyGradient(3, 4, l2=0.5, rng=0)
    errors = nn.gradcheck(layer, np.random.default_rng(1).standard_normal((5, 3)))
    assert errors["weights"] > 1e-2
    assert errors["biases"] < 1e-7


def test_gradcheck_of_a_penalised_model_with_dropout():
    model = nn.Sequential(nn.Dense(2, 6, l2=0.05, rng=0), nn.Tanh(), nn.Dropout(0.3, rng=1),
                          nn.Dense(6, 3, l1=0.02, rng=2))
    X = np.random.default_rng(3).standard_normal((7, 2))
    errors = nn.gradcheck(model, X)
    assert max(errors.values()) < 1e-7, errors


def test_l2_shrinks_weights_during_training():
    X, y = nn.data.spiral(20, 3, rng=0)
    norms = {}
    for l2 in (0.0, 0.01):
        model = nn.Sequential(nn.Dense(2, 16, l2=l2, rng=0), nn.ReLU(),
                              nn.Dense(16, 3, l2=l2, rng=1))
        model.fit(X, y, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02), epochs=100,
                  batch_size=60)
        norms[l2] = sum(float(np.sum(layer.weights**2)) for layer in model if hasattr(layer, "l2"))
    assert norms[0.01] < 0.5 * norms[0.0]


# --- Dropout -----------------------------------------------------------------------------------


def test_dropout_in_eval_mode_is_the_identity_forward_and_backward():
    layer = nn.Dropout(0.5, rng=0)
    layer.training = False
    X = np.random.default_rng(1).standard_normal((10, 8))
    np.testing.assert_array_equal(layer.forward(X), X)
    dvalues = np.random.default_rng(2).standard_normal((10, 8))
    np.testing.assert_array_equal(layer.backward(dvalues), dvalues)


def test_model_predict_is_deterministic_and_keeps_training_mode():
    model = nn.Sequential(nn.Dense(2, 50, rng=0), nn.ReLU(), nn.Dropout(0.5, rng=1))
    X = np.ones((4, 2))
    np.testing.assert_array_equal(model.predict(X), model.predict(X))
    assert model.training and model[2].training
    assert not np.array_equal(model.forward(X), model.forward(X))  # training mode: random masks


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_in_training_zeroes_about_rate_and_preserves_the_mean(rate):
    layer = nn.Dropout(rate, rng=0)
    X = np.full((400, 500), 2.0)
    out = layer.forward(X)
    dropped = np.mean(out == 0.0)
    assert abs(dropped - rate) < 0.01
    kept = out[out != 0.0]
    np.testing.assert_allclose(kept, 2.0 / (1 - rate))  # inverted scaling of the kept values
    assert abs(out.mean() - 2.0) < 0.02 * 2.0 / (1 - rate)


def test_dropout_backward_sends_gradient_only_through_kept_units():
    layer = nn.Dropout(0.4, rng=0)
    X = np.random.default_rng(1).standard_normal((6, 5)) + 3.0
    out = layer.forward(X)
    dinputs = layer.backward(np.ones_like(out))
    np.testing.assert_allclose(dinputs, out / X)  # mask value: 0 or 1 / (1 - rate)


def test_dropout_rate_zero_changes_nothing_and_rate_one_is_refused():
    X = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(nn.Dropout(0.0, rng=0).forward(X), X)
    with pytest.raises(ValueError, match="Dropout rate"):
        nn.Dropout(1.0)


# --- Early stopping ----------------------------------------------------------------------------


class _Counter:
    """A stand-in model whose state is one number, to test EarlyStopping's bookkeeping alone."""

    def __init__(self):
        self.value = np.zeros(1)

    def state(self):
        return [self.value.copy()]

    def load_state(self, arrays):
        self.value[...] = arrays[0]


def test_early_stopping_stops_patience_epochs_after_the_best():
    stopper = nn.EarlyStopping(patience=3)
    model = _Counter()
    losses = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.0]
    stopped_at = None
    for epoch, loss in enumerate(losses, start=1):
        model.value[0] = epoch
        if stopper.should_stop(model, {"val_loss": loss}):
            stopped_at = epoch
            break
    assert (stopper.best_epoch, stopper.stopped_epoch, stopped_at) == (3, 6, 6)
    history = nn.History()
    stopper.finish(model, history)
    assert model.value[0] == 3  # the weights of the best epoch are back
    assert (history.best_epoch, history.stopped_epoch) == (3, 6)


def test_early_stopping_min_delta_ignores_tiny_improvements():
    stopper = nn.EarlyStopping(patience=2, min_delta=0.1)
    results = [stopper.should_stop(_Counter(), {"val_loss": v}) for v in (1.0, 0.95, 0.93)]
    assert results == [False, False, True]
    assert stopper.best_epoch == 1


def test_fit_with_early_stopping_stops_and_restores_the_best_weights():
    model, parts = overfitting_problem()
    stopper = nn.EarlyStopping(patience=20, restore_best=True)
    history = model.fit(*parts.train, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02),
                        epochs=1000, batch_size=len(parts.train.X), validation_data=parts.val,
                        early_stopping=stopper)
    assert history.stopped_epoch is not None and history.stopped_epoch < 1000
    assert history.epochs == history.stopped_epoch
    assert history.stopped_epoch == history.best_epoch + 20
    best = history["val_loss"][history.best_epoch - 1]
    assert best == min(history["val_loss"])
    val_loss_now = nn.SoftmaxCrossEntropy().forward(model.predict(parts.val.X), parts.val.y)
    assert val_loss_now == pytest.approx(best, rel=1e-12)
    assert history["val_loss"][-1] > best  # so restoring really changed the weights


def test_fit_without_restore_keeps_the_last_weights():
    model, parts = overfitting_problem()
    history = model.fit(*parts.train, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02),
                        epochs=1000, batch_size=len(parts.train.X), validation_data=parts.val,
                        early_stopping=nn.EarlyStopping(patience=20, restore_best=False))
    val_loss_now = nn.SoftmaxCrossEntropy().forward(model.predict(parts.val.X), parts.val.y)
    assert val_loss_now == pytest.approx(history["val_loss"][-1], rel=1e-12)


def test_fit_that_never_runs_out_of_patience_reports_no_stop():
    model, parts = overfitting_problem()
    history = model.fit(*parts.train, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02),
                        epochs=5, batch_size=len(parts.train.X), validation_data=parts.val,
                        early_stopping=nn.EarlyStopping(patience=50))
    assert history.epochs == 5 and history.stopped_epoch is None
    assert history.best_epoch == 1 + int(np.argmin(history["val_loss"]))


def test_early_stopping_needs_validation_data():
    model, parts = overfitting_problem()
    with pytest.raises(ValueError, match="validation_data"):
        model.fit(*parts.train, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02),
                  epochs=5, early_stopping=nn.EarlyStopping(patience=2))


def test_the_chapter_exercise_on_early_stopping_agrees_with_nnlib():
    from nnlib.exercises import REGISTRY, ch07

    stopper = nn.EarlyStopping(patience=ch07.PATIENCE)
    for loss in ch07.VAL_LOSSES:
        if stopper.should_stop(_Counter(), {"val_loss": loss}):
            break
    expected = REGISTRY["ch07.check_early_stopping"].solution
    assert (stopper.stopped_epoch, stopper.best_epoch) == expected


# --- the chapter's explorer (nnlib.explorers.regularization) ----------------------------------


def test_chapter_split_has_the_documented_sizes_and_is_reproducible():
    from nnlib.explorers import regularization as reg

    parts = reg.spiral_split()
    assert [len(part.X) for part in parts] == [150, 75, 75]
    X, y = nn.data.spiral(100, 3, noise=0.1, rng=0)
    again = nn.data.split(X, y, val=0.25, test=0.25, rng=0)
    np.testing.assert_array_equal(parts.train.X, again.train.X)


def test_build_model_puts_penalties_on_every_dense_layer_and_dropout_after_each_hidden():
    from nnlib.explorers import regularization as reg

    model = reg.build_model((8, 4), l1=0.1, l2=0.2, dropout=0.3)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Dense", "ReLU", "Dropout", "Dense", "ReLU", "Dropout", "Dense"]
    assert all((layer.l1, layer.l2) == (0.1, 0.2) for layer in model if isinstance(layer, nn.Dense))
    assert reg.weight_values(model).size == 2 * 8 + 8 * 4 + 4 * 3  # biases excluded


def test_trained_networks_are_cached_and_a_strong_penalty_shrinks_the_weights():
    from nnlib.explorers import regularization as reg

    plain, strong = reg.trained("L2", 0.0, 0.0), reg.trained("L2", 3e-3, 0.0)
    assert reg.trained("L2", 0.0, 0.0) is plain
    assert np.abs(reg.weight_values(strong.model)).mean() < 0.5 * np.abs(
        reg.weight_values(plain.model)).mean()
    assert 0.0 <= strong.val_accuracy <= 1.0
    assert reg.gap("L2", 0.0, 0.0) == plain.train_accuracy - plain.val_accuracy


@pytest.mark.parametrize("arguments, message", [
    (("L3", 0.0, 0.0), "penalty"), (("L2", -1.0, 0.0), "strength"), (("L2", 0.0, 1.0), "dropout"),
])
def test_trained_refuses_bad_settings(arguments, message):
    from nnlib.explorers import regularization as reg

    with pytest.raises(ValueError, match=message):
        reg.trained(*arguments)


def test_explorer_follows_its_controls_with_the_dom_hooks_and_a_static_fallback():
    from nnlib.explorers import regularization as reg

    explorer = reg.RegularizationExplorer()
    assert "nnlib-widget" in explorer.widget._dom_classes
    assert "nnlib-plot" in explorer.image._dom_classes
    first = explorer.png()
    explorer.controls["strength"].value = 1e-3  # no event loop here: redraws at once
    assert explorer.png() != first
    assert "retrained" in explorer.status.value or "cache" in explorer.status.value
    explorer.controls["strength"].value = 0.0
    assert explorer.png() == first  # a setting seen before comes back from the cache
    bundle = explorer._repr_mimebundle_()
    assert {"image/png", "text/plain"} <= set(bundle)
    assert "validation accuracy" in bundle["text/plain"]


def test_pending_picture_keeps_the_shape_and_fades_the_picture():
    from nnlib.explorers import regularization as reg

    picture = np.zeros((200, 600, 3), dtype=np.uint8)
    pending = reg.pending_picture(picture, {"penalty": "L1", "strength": 1e-3, "dropout": 0.1})
    assert pending.shape == picture.shape and pending.dtype == np.uint8
    assert pending[5, 5].min() > 150  # the black corner is faded towards white


def test_explorer_in_an_event_loop_answers_at_once_and_retrains_in_the_background():
    import asyncio
    import time

    from nnlib.explorers import regularization as reg

    explorer = reg.RegularizationExplorer()
    before = explorer.png()

    async def move_twice_then_wait():
        explorer.controls["dropout"].value = 0.05  # not cached: faded picture at once
        faded = explorer.image.value
        status = explorer.status.value
        explorer.controls["dropout"].value = 0.1  # while the first retrain may still run
        deadline = time.monotonic() + 60
        while explorer._working and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return faded, status

    faded, status = asyncio.run(move_twice_then_wait())
    assert faded != before and status.startswith("retraining")
    assert not explorer._working
    assert explorer.image.value == reg.picture_png(reg.regularization_rgb("L2", 0.0, 0.1))
    assert "dropout 0.10" in explorer.describe()
