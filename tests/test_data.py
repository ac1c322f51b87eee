"""The generated data sets: shapes, labels, seeds, the NNFS spiral formula, splits and batches."""

import numpy as np
import pytest

import nnlib as nn

GENERATORS = {
    "spiral": lambda rng: nn.data.spiral(20, 3, rng=rng),
    "moons": lambda rng: nn.data.moons(60, rng=rng),
    "circles": lambda rng: nn.data.circles(60, rng=rng),
    "xor": lambda rng: nn.data.xor(60, rng=rng),
    "blobs": lambda rng: nn.data.blobs(20, 3, rng=rng),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_classification_sets_have_2_features_and_integer_labels(name):
    X, y = GENERATORS[name](0)
    assert X.shape == (60, 2) and X.dtype == np.float64
    assert y.shape == (60,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == set(range(y.max() + 1)) and y.max() >= 1


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_and_other_seed_other_data(name):
    a, b, c = GENERATORS[name](1), GENERATORS[name](1), GENERATORS[name](2)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_spiral_follows_the_nnfs_formula_without_noise():
    X, y = nn.data.spiral(5, 2, noise=0.0, rng=0)
    c, i = 1, 3                       # class 1, fourth point
    r = np.linspace(0, 1, 5)[i]
    t = np.linspace(4 * c, 4 * (c + 1), 5)[i]
    np.testing.assert_allclose(X[5 * c + i], [r * np.sin(2.5 * t), r * np.cos(2.5 * t)])
    assert list(y) == [0] * 5 + [1] * 5


def test_spiral_noise_is_normal_with_the_given_spread_on_the_angle():
    X, _ = nn.data.spiral(20000, 1, noise=0.2, rng=0)
    r = np.linspace(0, 1, 20000)
    keep = r > 0.5
    angle = np.arctan2(X[keep, 0], X[keep, 1]) / 2.5  # angle t, modulo 2*pi/2.5
    clean = np.linspace(0, 4, 20000)[keep]
    noise = (angle - clean + np.pi / 2.5) % (2 * np.pi / 2.5) - np.pi / 2.5
    assert noise.std() == pytest.approx(0.2, rel=0.05)


def test_regression_set_is_a_noisy_sine_with_column_shapes():
    X, y = nn.data.regression_1d(100, noise=0.0, rng=0)
    assert X.shape == (100, 1) and y.shape == (100, 1)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * X))


def test_split_sizes_are_disjoint_and_cover_everything():
    X = np.arange(100.0).reshape(50, 2)
    y = np.arange(50)
    parts = nn.data.split(X, y, val=0.2, test=0.1, rng=0)
    assert [len(p.y) for p in parts] == [35, 10, 5]
    ids = np.concatenate([p.y for p in parts])
    assert sorted(ids) == list(range(50))
    for part in parts:
        np.testing.assert_array_equal(part.X[:, 0], 2 * part.y)  # rows stay with their labels


def test_batches_cover_every_sample_once_with_a_smaller_last_batch():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    sizes, seen = [], []
    for Xb, yb in nn.data.batches(X, y, batch_size=4, rng=0):
        sizes.append(len(yb))
        seen.extend(yb)
        np.testing.assert_array_equal(Xb[:, 0], 2 * yb)
    assert sizes == [4, 4, 2] and sorted(seen) == list(range(10))
    in_order = [list(yb) for _, yb in nn.data.batches(X, y, batch_size=5, shuffle=False)]
    assert in_order == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_invalid_generator_arguments_are_clear():
    with pytest.raises(ValueError, match="noise"):
        nn.data.spiral(10, 3, noise=-1)
    with pytest.raises(ValueError, match="val \\+ test"):
        nn.data.split(np.zeros((10, 2)), np.zeros(10), val=0.5, test=0.5)
