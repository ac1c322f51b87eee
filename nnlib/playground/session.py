"""The playground without its buttons: data, model and training, one epoch at a time.

``Session(config)`` generates the data, splits it, builds the model, loss and optimizer,
and ``step()`` trains one epoch and records the training and test loss. The widget
(``nnlib.playground.Playground``) drives a ``Session``; tests and the benchmark use it
directly.
"""

import io

import numpy as np

from ..io import save
from ..model import Sequential, Trainer
from .config import PlaygroundConfig
from .datasets import EXTENT, generate, own_dataset, seeds, split_train_test
from .network import build_loss, build_model, build_optimizer, hidden_activations, model_code


class Session:
    """One playground run. Attributes after construction:

    config: the ``PlaygroundConfig``; X_train, y_train, X_test, y_test: the split data
    (X (n, 2); y (n,) integer classes or (n, 1) regression targets); model (points in, scores
    out; its first layer is ``Features``), loss, optimizer;
    epoch: epochs trained; history: ``{"train_loss": [...], "test_loss": [...]}`` with the
    loss on the whole training and test sets after each epoch (entry 0 is before training).
    """

    def __init__(self, config=None):
        self.config = config if config is not None else PlaygroundConfig()
        if not isinstance(self.config, PlaygroundConfig):
            raise TypeError(f"Session needs a PlaygroundConfig, got {type(self.config).__name__}")
        self.reset()

    # --- building -----------------------------------------------------------------------
    def reset(self):
        """Regenerate the data from the seed and start again from fresh weights (epoch 0)."""
        config = self.config
        rngs = seeds(config.seed)
        if config.dataset == "own":
            X, y = own_dataset(config.own_points, config.problem)
        else:
            X, y = generate(config.dataset, config.n_samples, config.noise,
                            config.n_classes, rng=rngs["data"])
        self.n_outputs = (int(y.max()) + 1 if config.dataset == "own" else config.n_classes) \
            if config.problem == "classification" else 1
        train, _, test = split_train_test(X, y, config.train_percent, rngs["split"])
        self.X_train, self.y_train = train
        self.X_test, self.y_test = test
        self.extent = max(EXTENT, 1.05 * float(np.abs(X).max()))
        self.model = build_model(config, self.n_outputs, weights_rng=rngs["weights"],
                                 dropout_rng=rngs["dropout"])
        self.loss = build_loss(config.problem)
        self.optimizer = build_optimizer(config.optimizer, config.learning_rate)
        # Training runs on precomputed features through the layers after ``Features`` (the same
        # layer objects, so the full model learns too); this saves recomputing them per batch.
        self.network = Sequential(*self.model.layers[1:])
        self.F_train = self.model.layers[0].forward(self.X_train)
        self.trainer = Trainer(self.network, self.F_train, self.y_train, loss=self.loss,
                               optimizer=self.optimizer, batch_size=config.batch_size,
                               rng=rngs["batches"])
        self.epoch = 0
        self.history = {"train_loss": [], "test_loss": []}
        self._record()

    @property
    def is_classification(self):
        return self.config.problem == "classification"

    @property
    def hidden_layers(self):
        """The activation layer of each hidden layer, in order."""
        return hidden_activations(self.model)[: len(self.config.hidden)]

    # --- training -----------------------------------------------------------------------
    def step(self, epochs=1):
        """Train ``epochs`` epochs; return the latest ``(train_loss, test_loss)``."""
        # A learning rate that is too high makes the weights overflow; that is a lesson, not a
        # crash: the losses become inf/nan and the widget says so (numpy's warnings stay quiet).
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for _ in range(epochs):
                self.trainer.run_epoch()
                self.epoch += 1
                self._record()
        return self.history["train_loss"][-1], self.history["test_loss"][-1]

    def set_learning_rate(self, learning_rate):
        """Change the learning rate without restarting (as TF Playground does)."""
        self.config = self.config.replace(learning_rate=learning_rate)
        self.optimizer.lr = self.config.learning_rate

    def set_batch_size(self, batch_size):
        """Change the batch size without restarting."""
        self.config = self.config.replace(batch_size=batch_size)
        self.trainer.batch_size = self.config.batch_size

    def _record(self):
        self.history["train_loss"].append(self.evaluate(self.X_train, self.y_train))
        self.history["test_loss"].append(self.evaluate(self.X_test, self.y_test))

    def evaluate(self, X, y):
        """The data loss (no penalty) of the model on ``X, y`` in evaluation mode."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return self.loss.forward(self.model.predict(X), y)

    def accuracy(self, X, y):
        """Fraction of points of ``X`` whose predicted class is ``y`` (classification only)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.mean(self.model.predict(X).argmax(axis=1) == y))

    # --- looking ------------------------------------------------------------------------
    def grid(self, resolution):
        """Grid points (resolution**2, 2) covering the view, row by row from the top left."""
        step = 2 * self.extent / resolution
        centres = -self.extent + step * (np.arange(resolution) + 0.5)
        x1, x2 = np.meshgrid(centres, centres[::-1])
        return np.column_stack([x1.ravel(), x2.ravel()])

    def outputs_on_grid(self, resolution):
        """Forward the grid in evaluation mode; return (features, hidden outputs, output).

        features: (resolution**2, n_features); hidden outputs: a list with one
        (resolution**2, n_neurons) array per hidden layer; output: the model's output.
        After a divergence, nan becomes 0 and +-inf +-1e6, so the pictures can still be drawn.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            output = self.model.predict(self.grid(resolution))
        features = self.model.layers[0].output
        hidden = [layer.output for layer in self.hidden_layers]
        return tuple(_finite(a) for a in (features, hidden, output))

    # --- keeping ------------------------------------------------------------------------
    def model_bytes(self):
        """The trained model as the bytes of an ``nn.save`` ``.npz`` file."""
        buffer = io.BytesIO()
        save(self.model, buffer)
        return buffer.getvalue()

    def model_code(self, path="playground_model.npz"):
        """Python code that rebuilds this model and loads its parameters from ``path``."""
        config = self.config
        return model_code(
            self.model, path=path, problem=config.problem, optimizer=config.optimizer,
            learning_rate=config.learning_rate,
            comment=f"nnlib playground: {config.dataset} data, seed {config.seed}, "
                    f"trained {self.epoch} epochs",
        )


def _finite(values):
    if isinstance(values, list):
        return [_finite(v) for v in values]
    if np.all(np.isfinite(values)):
        return values
    return np.nan_to_num(values, nan=0.0, posinf=1e6, neginf=-1e6)
