"""Weight initialisers: ``init(rng, shape, fan_in, fan_out) -> array``.

- ``small``: 0.01 x standard normal, the seed notes' choice. Fine for one or two layers; in a
  deep stack the signal shrinks layer by layer (chapter 02 shows it).
- ``glorot`` (Xavier) normal: variance 2 / (fan_in + fan_out), keeps the signal's size
  through tanh and sigmoid layers. nnlib's default.
- ``he`` (Kaiming) normal: variance 2 / fan_in, the choice for ReLU layers, which zero half
  their inputs.

``fan_in`` is the number of inputs each neuron sums over, ``fan_out`` the number of neurons
each input feeds (for a ``Dense(n_inputs, n_neurons)``: ``n_inputs`` and ``n_neurons``).
"""

import numpy as np


def small(rng, shape, fan_in, fan_out):
    """0.01 times a standard normal sample: the seed's ``0.01 * np.random.randn``."""
    return 0.01 * rng.standard_normal(shape)


def glorot(rng, shape, fan_in, fan_out):
    """Glorot/Xavier normal: standard deviation sqrt(2 / (fan_in + fan_out))."""
    return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))


def he(rng, shape, fan_in, fan_out):
    """He/Kaiming normal: standard deviation sqrt(2 / fan_in)."""
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)


INITIALISERS = {"small": small, "glorot": glorot, "xavier": glorot, "he": he, "kaiming": he}


def resolve(init):
    """Return the initialiser named ``init`` (or ``init`` itself when it is callable)."""
    if callable(init):
        return init
    if init not in INITIALISERS:
        raise ValueError(
            f"init must be one of {sorted(INITIALISERS)} or a function "
            f"init(rng, shape, fan_in, fan_out), but got {init!r}"
        )
    return INITIALISERS[init]
