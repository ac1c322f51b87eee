"""``Sequential`` chains layers; ``Trainer`` runs training one epoch at a time.

``model.fit(...)`` is a loop over ``Trainer.run_epoch()``; widgets that must stay responsive
(play / pause) drive a ``Trainer`` themselves, one epoch per step.
"""

import numpy as np

from .checks import positive_int
from .data import _paired, batches
from .layer import Layer
from .losses import Loss, accuracy


class Sequential:
    """Layers applied in order: ``Sequential(Dense(2, 64), ReLU(), Dense(64, 3))``.

    ``forward(X)`` runs every layer; ``backward(dvalues)`` runs them in reverse, leaving each
    layer's gradients in place; ``parameters()`` lists every ``(value, gradient)`` pair.
    ``train()`` and ``eval()`` switch layers such as ``Dropout`` between their two behaviours.
    """

    def __init__(self, *layers):
        for position, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"Sequential takes nnlib layers, but argument {position} is "
                    f"{layer!r} ({type(layer).__name__})"
                )
        self.layers = list(layers)
        self.training = True

    def forward(self, inputs):
        """Run the inputs through every layer and return the last output."""
        for layer in self.layers:
            inputs = layer.forward(inputs)
        return inputs

    def backward(self, dvalues, *, input_gradient=True):
        """Back-propagate the gradient of the loss w.r.t. the output; returns dinputs.

        ``input_gradient=False`` lets a first layer that supports it (``Dense``, ``Conv2D``)
        skip the gradient w.r.t. the model's inputs, which training never uses; then ``None``
        is returned.
        """
        for position in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[position]
            if position == 0 and not input_gradient and layer.can_skip_input_gradient:
                return layer.backward(dvalues, input_gradient=False)
            dvalues = layer.backward(dvalues)
        return dvalues

    def predict(self, inputs):
        """Forward pass in evaluation mode (no dropout), restoring the previous mode after."""
        was_training = self.training
        self.eval()
        try:
            return self.forward(inputs)
        finally:
            if was_training:
                self.train()

    def parameters(self):
        """Every layer's ``(value, gradient)`` pairs, in layer order."""
        return [pair for layer in self.layers for pair in layer.parameters()]

    def penalty(self):
        """The total L1/L2 regularisation loss of all layers."""
        return sum(layer.penalty() for layer in self.layers)

    def train(self):
        self._set_mode(True)
        return self

    def eval(self):
        self._set_mode(False)
        return self

    def state(self):
        """A copy of every parameter array, in ``parameters()`` order."""
        return [value.copy() for value, _ in self.parameters()]

    def load_state(self, arrays):
        """Copy arrays (as from ``state()``) into the parameters, checking every shape."""
        params = self.parameters()
        if len(arrays) != len(params):
            raise ValueError(
                f"expected {len(params)} parameter arrays for this model, but got {len(arrays)}"
            )
        for index, ((value, _), new) in enumerate(zip(params, arrays, strict=True)):
            new = np.asarray(new)
            if new.shape != value.shape:
                raise ValueError(
                    f"parameter {index} has shape {value.shape} in this model, but the saved "
                    f"array has shape {new.shape}"
                )
            value[...] = new

    def fit(self, X, y, *, loss, optimizer, epochs=10, batch_size=32, validation_data=None,
            early_stopping=None, rng=0, verbose=False):
        """Train and return a ``History`` of per-epoch loss (and accuracy for classifiers).

        ``validation_data=(X_val, y_val)`` adds ``val_loss``/``val_accuracy``;
        ``early_stopping=EarlyStopping(...)`` stops when the validation loss stops improving.
        ``rng`` seeds the shuffling of mini-batches. ``verbose`` prints one line per epoch.
        """
        trainer = Trainer(self, X, y, loss=loss, optimizer=optimizer, batch_size=batch_size,
                          validation_data=validation_data, rng=rng)
        epochs = positive_int(epochs, "epochs")
        if early_stopping is not None and validation_data is None:
            raise ValueError("early_stopping watches the validation loss: pass validation_data too")
        if early_stopping is not None:
            early_stopping.reset()
        for _ in range(epochs):
            metrics = trainer.run_epoch()
            if verbose:
                print(trainer.history.describe(-1))
            if early_stopping is not None and early_stopping.should_stop(self, metrics):
                break
        if early_stopping is not None:
            early_stopping.finish(self, trainer.history)
        return trainer.history

    def _set_mode(self, training):
        self.training = training
        for layer in self.layers:
            layer.training = training

    def __iter__(self):
        return iter(self.layers)

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __repr__(self):
        inner = ",\n".join(f"    {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"


class History(dict):
    """Per-epoch metrics: ``history["loss"]`` is a list with one value per epoch.

    Keys: ``loss`` (the data loss, penalties excluded so it compares with ``val_loss``),
    ``accuracy`` (classifiers only) and, with validation data, ``val_loss`` and
    ``val_accuracy``. Early stopping adds ``best_epoch`` and ``stopped_epoch`` attributes.
    """

    best_epoch = None
    stopped_epoch = None

    @property
    def epochs(self):
        return len(self.get("loss", []))

    def describe(self, index):
        """One line such as ``epoch 3: loss 0.4211, accuracy 0.8400`` for epoch ``index``."""
        number = range(1, self.epochs + 1)[index]
        parts = [f"{key.replace('_', ' ')} {values[index]:.4f}" for key, values in self.items()]
        return f"epoch {number}: " + ", ".join(parts)


class Trainer:
    """Mini-batch training of a model, one epoch per ``run_epoch()`` call.

    Each step: forward, loss, backward of the loss gradient, optimizer step. Each epoch
    appends the mean training loss (and accuracy) over the batches, and the validation loss
    (and accuracy) after it, to ``self.history``.
    """

    def __init__(self, model, X, y, *, loss, optimizer, batch_size=32, validation_data=None, rng=0):
        if not isinstance(loss, Loss):
            raise TypeError(
                f"loss must be an nnlib loss such as SoftmaxCrossEntropy(), got {loss!r}"
            )
        self.model = model
        self.X, self.y = _paired(X, y)
        self.loss = loss
        self.optimizer = optimizer
        self.batch_size = positive_int(batch_size, "batch_size")
        self.validation = None if validation_data is None else _paired(*validation_data)
        self.rng = np.random.default_rng(rng)
        self.history = History()

    def run_epoch(self):
        """Train for one pass over the data; return this epoch's metrics as a dict."""
        self.model.train()
        total_loss, total_correct, seen = 0.0, 0.0, 0
        for X_batch, y_batch in batches(self.X, self.y, self.batch_size, rng=self.rng):
            output = self.model.forward(X_batch)
            total_loss += self.loss.forward(output, y_batch) * len(X_batch)
            if self.loss.is_classification:
                total_correct += accuracy(output, y_batch) * len(X_batch)
            self.model.backward(self.loss.backward(), input_gradient=False)
            self.optimizer.step(self.model.parameters())
            seen += len(X_batch)
        metrics = {"loss": total_loss / seen}
        if self.loss.is_classification:
            metrics["accuracy"] = total_correct / seen
        if self.validation is not None:
            metrics.update(self.evaluate(*self.validation, prefix="val_"))
        for key, value in metrics.items():
            self.history.setdefault(key, []).append(value)
        return metrics

    def evaluate(self, X, y, prefix=""):
        """Loss (and accuracy) of the model on ``X, y`` in evaluation mode."""
        output = self.model.predict(X)
        metrics = {prefix + "loss": self.loss.forward(output, y)}
        if self.loss.is_classification:
            metrics[prefix + "accuracy"] = accuracy(output, y)
        return metrics


class EarlyStopping:
    """Stop when ``val_loss`` has not improved for ``patience`` epochs.

    With ``restore_best=True`` the model gets back the weights of its best epoch when training
    ends. ``min_delta`` is how much lower a loss must be to count as an improvement.
    """

    def __init__(self, patience=10, *, min_delta=0.0, restore_best=True):
        self.patience = positive_int(patience, "patience")
        self.min_delta = float(min_delta)
        self.restore_best = restore_best
        self.reset()

    def reset(self):
        """Forget earlier runs; ``fit`` calls this before training."""
        self.best_loss = np.inf
        self.best_epoch = 0
        self.best_state = None
        self.epoch = 0
        self.stopped_epoch = None

    def should_stop(self, model, metrics):
        """Record this epoch's ``val_loss``; return True when patience has run out."""
        self.epoch += 1
        if metrics["val_loss"] < self.best_loss - self.min_delta:
            self.best_loss = metrics["val_loss"]
            self.best_epoch = self.epoch
            self.best_state = model.state()
        elif self.epoch - self.best_epoch >= self.patience:
            self.stopped_epoch = self.epoch
            return True
        return False

    def finish(self, model, history):
        """Restore the best weights (if asked) and note the epochs on the history."""
        if self.restore_best and self.best_state is not None:
            model.load_state(self.best_state)
        history.best_epoch = self.best_epoch or None
        history.stopped_epoch = self.stopped_epoch
