"""Small data sets, generated offline from a seed, and the tools to split and batch them.

Every generator takes ``rng``: a seed (int) or a ``numpy.random.Generator``; the same seed
always gives the same data. Classification sets return ``X`` (n_samples, 2) float64 and
``y`` (n_samples,) integer labels; ``regression_1d`` returns ``X`` and ``y`` of shape
(n_samples, 1).
"""

from collections import namedtuple

import numpy as np

from .checks import as_float_array, check_batch, fraction, non_negative_float, positive_int

Dataset = namedtuple("Dataset", ["X", "y"])
Split = namedtuple("Split", ["train", "val", "test"])


def spiral(n_per_class=100, n_classes=3, noise=0.2, rng=0):
    """Interleaved spiral arms, the NNFS book's data set.

    For class c, radius r runs evenly over [0, 1] and the angle t evenly from 4c to 4(c + 1)
    plus N(0, noise) noise; the point is (r sin 2.5t, r cos 2.5t).
    """
    n_per_class = positive_int(n_per_class, "n_per_class")
    n_classes = positive_int(n_classes, "n_classes")
    noise = non_negative_float(noise, "noise")
    rng = np.random.default_rng(rng)
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.intp)
    for c in range(n_classes):
        rows = slice(n_per_class * c, n_per_class * (c + 1))
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(4.0 * c, 4.0 * (c + 1), n_per_class) + rng.normal(0, noise, n_per_class)
        X[rows] = np.column_stack([r * np.sin(t * 2.5), r * np.cos(t * 2.5)])
        y[rows] = c
    return Dataset(X, y)


def moons(n_samples=200, noise=0.1, rng=0):
    """Two interleaving half circles (class 0 on top, class 1 below), plus Gaussian noise."""
    n_samples = positive_int(n_samples, "n_samples")
    noise = non_negative_float(noise, "noise")
    rng = np.random.default_rng(rng)
    n_top = n_samples // 2
    n_bottom = n_samples - n_top
    t_top = np.linspace(0, np.pi, n_top)
    t_bottom = np.linspace(0, np.pi, n_bottom)
    top = np.column_stack([np.cos(t_top), np.sin(t_top)])
    bottom = np.column_stack([1 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)])
    X = np.vstack([top, bottom]) + rng.normal(0, noise, (n_samples, 2))
    y = np.concatenate([np.zeros(n_top, np.intp), np.ones(n_bottom, np.intp)])
    return _shuffled(X, y, rng)


def circles(n_samples=200, noise=0.05, factor=0.5, rng=0):
    """A ring (class 0) around a smaller ring of radius ``factor`` (class 1)."""
    n_samples = positive_int(n_samples, "n_samples")
    noise = non_negative_float(noise, "noise")
    factor = fraction(factor, "factor")
    rng = np.random.default_rng(rng)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    angles_outer = rng.uniform(0, 2 * np.pi, n_outer)
    angles_inner = rng.uniform(0, 2 * np.pi, n_inner)
    outer = np.column_stack([np.cos(angles_outer), np.sin(angles_outer)])
    inner = factor * np.column_stack([np.cos(angles_inner), np.sin(angles_inner)])
    X = np.vstack([outer, inner]) + rng.normal(0, noise, (n_samples, 2))
    y = np.concatenate([np.zeros(n_outer, np.intp), np.ones(n_inner, np.intp)])
    return _shuffled(X, y, rng)


def xor(n_samples=200, noise=0.1, rng=0):
    """Points in [-1, 1]^2 labelled 1 where x1 and x2 have different signs (the XOR problem)."""
    n_samples = positive_int(n_samples, "n_samples")
    noise = non_negative_float(noise, "noise")
    rng = np.random.default_rng(rng)
    X = rng.uniform(-1, 1, (n_samples, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.intp)
    X = X + rng.normal(0, noise, X.shape)
    return Dataset(X, y)


def blobs(n_per_class=100, n_classes=3, spread=0.5, rng=0):
    """Gaussian clouds with standard deviation ``spread`` around centres on a circle of radius 2."""
    n_per_class = positive_int(n_per_class, "n_per_class")
    n_classes = positive_int(n_classes, "n_classes")
    spread = non_negative_float(spread, "spread")
    rng = np.random.default_rng(rng)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    noise = rng.normal(0, spread, (n_per_class * n_classes, 2))
    X = np.repeat(centres, n_per_class, axis=0) + noise
    y = np.repeat(np.arange(n_classes), n_per_class)
    return _shuffled(X, y, rng)


def regression_1d(n_samples=200, noise=0.05, rng=0):
    """A noisy sine wave: x evenly on [0, 1], y = sin(2 pi x) + N(0, noise). Shapes (n, 1)."""
    n_samples = positive_int(n_samples, "n_samples")
    noise = non_negative_float(noise, "noise")
    rng = np.random.default_rng(rng)
    x = np.linspace(0.0, 1.0, n_samples)
    y = np.sin(2 * np.pi * x) + rng.normal(0, noise, n_samples)
    return Dataset(x[:, None], y[:, None])


def split(X, y, val=0.2, test=0.2, rng=0):
    """Shuffle and split into training, validation and test sets.

    Returns ``Split(train, val, test)``, each a ``Dataset(X, y)``: ``split.train.X`` or
    ``X_train, y_train = split.train``. ``val`` and ``test`` are fractions of all samples.
    """
    X, y = _paired(X, y)
    val = fraction(val, "val")
    test = fraction(test, "test")
    if val + test >= 1:
        raise ValueError(
            f"val + test must leave samples for training, but they add up to {val + test}"
        )
    order = np.random.default_rng(rng).permutation(len(X))
    n_test = int(round(test * len(X)))
    n_val = int(round(val * len(X)))
    parts = np.split(order, [n_test, n_test + n_val])
    test_idx, val_idx, train_idx = parts
    return Split(*(Dataset(X[i], y[i]) for i in (train_idx, val_idx, test_idx)))


def batches(X, y, batch_size=32, shuffle=True, rng=None):
    """Yield ``(X_batch, y_batch)`` mini-batches covering every sample once (one epoch).

    The last batch is smaller when ``batch_size`` does not divide the number of samples.
    With ``shuffle`` the order is drawn from ``rng`` (a seed or Generator) each call.
    """
    X, y = _paired(X, y)
    batch_size = positive_int(batch_size, "batch_size")
    n = len(X)
    order = np.random.default_rng(rng).permutation(n) if shuffle else None
    for start in range(0, n, batch_size):
        if order is None:
            yield X[start:start + batch_size], y[start:start + batch_size]
        else:
            rows = order[start:start + batch_size]
            yield X[rows], y[rows]


def _paired(X, y):
    X = as_float_array(X, "X")
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y need one row per sample, but got shapes {X.shape} and {y.shape}")
    check_batch(len(y), len(X), "y")
    return X, y


def _shuffled(X, y, rng):
    order = rng.permutation(len(X))
    return Dataset(X[order], y[order])
