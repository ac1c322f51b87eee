"""Watch a network train: Play, Pause, Step, Reset, an epoch counter and live pictures.

Training never blocks the kernel. "Play" starts an asyncio task on the kernel's own event loop;
the task trains ``epochs_per_step`` epochs, redraws, then yields (``await asyncio.sleep``), so
the kernel handles widget messages (such as a click on "Pause") between steps.
"""

import asyncio

import numpy as np

from . import raster
from .live import LivePlot, running_loop
from .losses import MeanSquaredError
from .model import Trainer
from .plotting import PALETTE, boundary_legend, decision_boundary_rgb

LOSS_SIZE = (260, 200)


def nice_ceiling(value):
    """The smallest of 1, 2, 5, 10, 20, 50, ... times a power of ten that is >= value."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= value * (1 - 1e-9):
            return float(factor * power)
    return float(10.0 * power)


def loss_picture(curves, *, frames=None, max_epochs=None):
    """uint8 picture of loss curves drawn into a cached frame (no matplotlib per call).

    ``curves``: {"loss": [...], "val_loss": [...]} with the value at epoch 0 first. The axes
    grow in steps (epochs: 10, 20, 50, ...; loss: a 1-2-5 ceiling), so the frame is redrawn
    only when a curve outgrows it.
    """
    frames = {} if frames is None else frames
    epochs = len(curves["loss"]) - 1
    x_max = max_epochs if max_epochs else nice_ceiling(max(epochs, 10))
    finite = [v for values in curves.values() for v in values if np.isfinite(v)]
    y_max = nice_ceiling(max(finite) if finite else 1.0)
    key = (x_max, y_max)
    if key not in frames:
        legend = [("training loss", PALETTE[0], "-")]
        if "val_loss" in curves:
            legend.append(("validation loss", PALETTE[5], "--"))
        frames[key] = raster.Frame((0.0, x_max, 0.0, y_max), LOSS_SIZE, xlabel="epoch",
                                   ylabel="loss", title="loss per epoch", legend=legend)
    frame = frames[key]
    picture = np.ones((frame.height, frame.width, 3))
    for name, colour, dash in (("loss", PALETTE[0], 0), ("val_loss", PALETTE[5], 5)):
        if name in curves and len(curves[name]) > 1:
            values = np.asarray(curves[name], dtype=float)
            rows, cols = frame.to_pixels(np.column_stack([np.arange(len(values)), values]))
            raster.draw_polyline(picture, rows, cols, raster.hex_to_rgb(colour), width=2,
                                 dash=dash)
    return frame.compose(picture)


class TrainingView(LivePlot):
    """Buttons Play, Pause, Step and Reset; an epoch counter; the live decision boundary
    (2-D inputs) and the training / validation loss curves.

    Arguments as for ``nnlib.Trainer``; ``epochs_per_step`` epochs run per step (per frame);
    training stops by itself after ``max_epochs`` (None: until paused).
    ``step()``, ``play()``, ``pause()`` and ``reset()`` do what the buttons do.
    """

    def __init__(self, model, X, y, *, loss, optimizer, batch_size=32, validation_data=None,
                 epochs_per_step=1, max_epochs=None, rng=0, resolution=200, interval=0.0):
        import ipywidgets as widgets

        self.model, self.X, self.y = model, np.asarray(X, dtype=float), np.asarray(y)
        self._trainer_args = dict(loss=loss, optimizer=optimizer, batch_size=batch_size,
                                  validation_data=validation_data)
        self.rng_seed = rng
        self.epochs_per_step = int(epochs_per_step)
        if self.epochs_per_step < 1:
            raise ValueError(f"epochs_per_step must be at least 1, got {epochs_per_step!r}")
        if max_epochs is not None and int(max_epochs) < 1:
            raise ValueError(f"max_epochs must be None or at least 1, got {max_epochs!r}")
        self.max_epochs = None if max_epochs is None else int(max_epochs)
        self.interval = float(interval)
        self.resolution = resolution
        self.running = False
        self._task = None
        self._initial_state = model.state()
        self._loss_frames = {}
        self.show_boundary = self.X.ndim == 2 and self.X.shape[1] == 2
        if self.show_boundary:
            self.extent = raster.padded_extent(self.X)
            self._task_kind = "regression" if isinstance(loss, MeanSquaredError) else "auto"
            self._boundary_frame = raster.Frame(
                self.extent, resolution, title="decision boundary",
                legend=boundary_legend(self.y, self._task_kind))
        self._new_trainer()

        def button(description, tooltip, icon, action):
            b = widgets.Button(description=description, tooltip=tooltip, icon=icon,
                               layout=widgets.Layout(width="90px"))
            b.on_click(lambda _: action())
            return b

        self.play_button = button("Play", "Train continuously until paused", "play", self.play)
        self.pause_button = button("Pause", "Stop after the current step", "pause", self.pause)
        self.step_button = button("Step", f"Train {self.epochs_per_step} epoch(s), then stop",
                                  "step-forward", self.step)
        self.reset_button = button("Reset", "Back to the initial weights, epoch 0", "undo",
                                   self.reset)
        self.counter = widgets.Label(value="")
        self.counter.add_class("nnlib-epoch")
        self.controls = [self.play_button, self.pause_button, self.step_button, self.reset_button]
        self._update_counter()
        self._update_buttons()
        self._build([widgets.HBox(self.controls), self.counter])

    # --- training ---------------------------------------------------------------------------
    def _new_trainer(self):
        self.trainer = Trainer(self.model, self.X, self.y, rng=self.rng_seed, **self._trainer_args)
        self.start_metrics = self.trainer.evaluate(self.X, self.y)
        if self.trainer.validation is not None:
            self.start_metrics.update(self.trainer.evaluate(*self.trainer.validation,
                                                            prefix="val_"))

    @property
    def epoch(self):
        """Epochs trained since the start (or the last reset)."""
        return self.trainer.history.epochs

    @property
    def history(self):
        return self.trainer.history

    @property
    def finished(self):
        return self.max_epochs is not None and self.epoch >= self.max_epochs

    def step(self):
        """Train ``epochs_per_step`` epochs (fewer if ``max_epochs`` is reached), then redraw."""
        for _ in range(self.epochs_per_step):
            if self.finished:
                break
            self.trainer.run_epoch()
        self._update_counter()
        self._update_buttons()
        self.redraw()

    def play(self):
        """Keep stepping until ``pause()`` or ``max_epochs``, without blocking the kernel.

        In a kernel (a running event loop) the steps run as an asyncio task and this returns
        at once. Without an event loop (a plain script) it trains to ``max_epochs`` right away.
        """
        if self.running or self.finished:
            return
        loop = running_loop()
        if loop is None:
            if self.max_epochs is None:
                raise RuntimeError("play() outside a Jupyter kernel would never stop: set "
                                   "max_epochs, or call step() in a loop")
            while not self.finished:
                self.step()
            return
        self.running = True
        self._update_buttons()
        self._task = loop.create_task(self._play())

    async def _play(self):
        error = None
        try:
            while self.running and not self.finished:
                self.step()
                self.redrawer.flush()
                await asyncio.sleep(self.interval)
        except Exception as caught:  # a task has nowhere to raise to: show it instead
            error = caught
        finally:
            self.running = False
            self._update_buttons()
        if error is not None:
            self.status.value = f"Training stopped: {type(error).__name__}: {error}"

    def pause(self):
        """Stop playing after the current step (the epoch counter stays where it is)."""
        self.running = False
        self._update_buttons()

    def reset(self):
        """Pause, restore the initial weights, clear the optimizer's state and the history."""
        self.pause()
        self.model.load_state(self._initial_state)
        self._trainer_args["optimizer"].reset()
        self._new_trainer()
        self._update_counter()
        self._update_buttons()
        self.redraw()

    # --- display ----------------------------------------------------------------------------
    def _update_buttons(self):
        if not hasattr(self, "play_button"):
            return
        self.play_button.disabled = self.running or self.finished
        self.pause_button.disabled = not self.running
        self.step_button.disabled = self.running or self.finished
        if hasattr(self, "status"):
            self.status.value = self.status_text()

    def _latest(self):
        history = self.trainer.history
        if history.epochs:
            return {key: values[-1] for key, values in history.items()}
        return dict(self.start_metrics)

    def _update_counter(self):
        total = f" of {self.max_epochs}" if self.max_epochs else ""
        parts = [f"epoch {self.epoch}{total}"]
        latest = self._latest()
        names = {"loss": "loss", "accuracy": "accuracy", "val_loss": "validation loss",
                 "val_accuracy": "validation accuracy"}
        parts += [f"{names[k]} {latest[k]:.4f}" for k in names if k in latest]
        self.counter.value = " · ".join(parts)

    def curves(self):
        """{"loss": [...], "val_loss": [...]} including the value before training (epoch 0)."""
        curves = {"loss": [self.start_metrics["loss"]] + list(self.history.get("loss", []))}
        if "val_loss" in self.start_metrics:
            curves["val_loss"] = ([self.start_metrics["val_loss"]]
                                  + list(self.history.get("val_loss", [])))
        return curves

    def draw(self):
        losses = loss_picture(self.curves(), frames=self._loss_frames, max_epochs=self.max_epochs)
        if not self.show_boundary:
            return losses
        boundary = decision_boundary_rgb(self.model, self.X, self.y, resolution=self.resolution,
                                         extent=self.extent, task=self._task_kind, radius=3)
        return raster.side_by_side(self._boundary_frame.compose(boundary), losses)

    def status_text(self):
        if self.running:
            return "training… press Pause to stop"
        if self.finished:
            return f"finished: reached max_epochs = {self.max_epochs}; Reset to start again"
        return "paused: press Play to train, Step for one step"

    def describe(self):
        what = "decision boundary and loss curves" if self.show_boundary else "loss curves"
        return f"Training view: {what} after {self.counter.value}."
