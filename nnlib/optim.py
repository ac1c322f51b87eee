"""Optimizers with PyTorch's update rules, so the numbers match what learners see next.

Contract: ``optimizer.step(parameters)`` takes the ``(value, gradient)`` pairs of
``model.parameters()`` and updates every ``value`` in place. Per-parameter state (momentum,
running averages) is kept by the optimizer and follows the array, so one optimizer serves
one model; ``reset()`` forgets the state.

For a gradient g, learning rate lr:

- ``SGD``:      buf = momentum * buf + g (buf = g on the first step); value -= lr * buf
- ``RMSprop``:  v = alpha * v + (1 - alpha) * g**2;  value -= lr * g / (sqrt(v) + eps)
- ``Adam``:     m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g**2;
                value -= lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps)
"""

from abc import ABC, abstractmethod

import numpy as np

from .checks import fraction, positive_float


class Optimizer(ABC):
    """Shared parts: learning-rate check, per-parameter state, the loop over parameters."""

    def __init__(self, lr):
        self.lr = positive_float(lr, f"{type(self).__name__} lr (learning rate)")
        self.state = {}

    def step(self, parameters):
        """Update each value in place from its gradient."""
        for value, grad in parameters:
            if grad is None:
                raise RuntimeError(
                    f"{type(self).__name__}.step() found a parameter with no gradient: call "
                    "backward() before step()"
                )
            if grad.shape != value.shape:
                raise ValueError(
                    f"a gradient of shape {grad.shape} cannot update a parameter of shape "
                    f"{value.shape}"
                )
            self._update(value, grad, self._state_for(value))

    def reset(self):
        """Forget momentum and running averages (e.g. after re-initialising a model)."""
        self.state = {}

    def _state_for(self, value):
        entry = self.state.get(id(value))
        if entry is None or entry[0] is not value:  # new array (or a reused id)
            entry = (value, {})
            self.state[id(value)] = entry
        return entry[1]

    @abstractmethod
    def _update(self, value, grad, state):
        """Change ``value`` in place using ``grad`` and this parameter's ``state`` dict."""

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "state")
        return f"{type(self).__name__}({arguments})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (heavy-ball) momentum in [0, 1)."""

    def __init__(self, lr=0.01, momentum=0.0):
        super().__init__(lr)
        self.momentum = fraction(momentum, "SGD momentum")

    def _update(self, value, grad, state):
        if not self.momentum:
            value -= self.lr * grad
            return
        buf = state.get("buf")
        if buf is None:
            buf = state["buf"] = grad.copy()
        else:
            buf *= self.momentum
            buf += grad
        value -= self.lr * buf


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients."""

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(lr)
        self.alpha = fraction(alpha, "RMSprop alpha")
        self.eps = positive_float(eps, "RMSprop eps")

    def _update(self, value, grad, state):
        v = state.setdefault("square_avg", np.zeros_like(value))
        v *= self.alpha
        v += (1 - self.alpha) * grad * grad
        value -= self.lr * grad / (np.sqrt(v) + self.eps)


class Adam(Optimizer):
    """Momentum plus RMSprop-style scaling, with bias correction for the first steps."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = fraction(beta1, "Adam beta1")
        self.beta2 = fraction(beta2, "Adam beta2")
        self.eps = positive_float(eps, "Adam eps")

    def _update(self, value, grad, state):
        if not state:
            state.update(t=0, m=np.zeros_like(value), v=np.zeros_like(value))
        state["t"] += 1
        t, m, v = state["t"], state["m"], state["v"]
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        step_size = self.lr / (1 - self.beta1**t)
        denominator = np.sqrt(v / (1 - self.beta2**t))
        denominator += self.eps
        value -= step_size * m / denominator
