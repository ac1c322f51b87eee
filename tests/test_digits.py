"""nnlib.digits: rendered digit images and the IDX (MNIST format) reader.

The rendered set must be deterministic by seed, shaped like MNIST ((n, 1, 28, 28) in [0, 1]),
balanced over the ten digits, and its font split must keep test fonts out of training.
The IDX reader is tested on small files written here, plain and gzipped, and on broken ones.
"""

import gzip

import numpy as np
import pytest

import nnlib as nn
from nnlib import digits


# --- rendering ----------------------------------------------------------------------------------
def test_render_gives_mnist_shaped_images_in_unit_range():
    X, y, font = digits.render(60, rng=0)
    assert X.shape == (60, 1, 28, 28) and X.dtype == np.float64
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert y.shape == font.shape == (60,)
    assert np.array_equal(np.bincount(y, minlength=10), np.full(10, 6))  # balanced
    assert set(font) <= set(range(len(digits.FONTS)))


def test_every_image_has_ink_on_an_empty_background():
    X, _, _ = digits.render(100, rng=1, noise=0.0)
    ink = X.reshape(100, -1).sum(axis=1)
    assert ink.min() > 15                                 # every digit was drawn
    corners = X[:, 0, [0, 0, -1, -1], [0, -1, 0, -1]]
    assert not corners.any()                              # and it stays inside the frame


def test_same_seed_same_images_other_seed_other_images():
    first, again, other = (digits.render(20, rng=seed) for seed in (5, 5, 6))
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.X, other.X)


def test_float32_images_on_request():
    X = digits.render(5, rng=0, dtype=np.float32).X
    assert X.dtype == np.float32
    np.testing.assert_allclose(X, digits.render(5, rng=0).X, atol=1e-6)


def test_fonts_can_be_chosen_by_index_or_name():
    _, _, font = digits.render(30, rng=0, fonts=[0, "cmr10"])
    assert set(font) == {0, digits.FONTS.index("cmr10")}


def test_holes_of_zero_stay_empty():
    # the pitfall of filling glyphs with Path.contains_points: 0, 4, 6, 8, 9 lose their holes
    no_dot = [name for name in digits.FONTS if "Mono" not in name]  # mono zeros have a dot
    X, y, _ = digits.render(200, rng=2, fonts=no_dot, rotation=0, shear=0, shift=0,
                            stroke=(0, 0), noise=0)
    zeros = X[y == 0, 0]
    assert len(zeros) == 20
    assert np.all(zeros[:, 14, 14] < 0.5)
    assert np.all(zeros.max(axis=2)[:, 14] > 0.5)          # while the ring itself is drawn


def test_stroke_makes_digits_bolder_and_noise_changes_pixels():
    plain = digits.render(30, rng=3, stroke=(0, 0), noise=0).X
    bold = digits.render(30, rng=3, stroke=(1, 1), noise=0).X
    noisy = digits.render(30, rng=3, stroke=(0, 0), noise=0.2).X
    assert bold.sum() > 1.3 * plain.sum()
    assert np.all(bold >= plain)
    assert np.count_nonzero(noisy != plain) > 0.5 * plain.size


def test_digits_look_like_their_labels_to_a_nearest_centroid_classifier():
    # a weak but real check that labels match pictures: class means separate new samples
    train, test = digits.render(2000, rng=0), digits.render(500, rng=1)
    centroids = np.stack([train.X[train.y == d].reshape(-1, 784).mean(0) for d in range(10)])
    distances = ((test.X.reshape(-1, 1, 784) - centroids) ** 2).sum(axis=2)
    assert np.mean(distances.argmin(axis=1) == test.y) > 0.6


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_samples": 0}, ValueError, "n_samples must be at least 1"),
    ({"n_samples": 5, "fonts": ["Comic Sans"]}, ValueError, "unknown font 'Comic Sans'"),
    ({"n_samples": 5, "fonts": [99]}, ValueError, "font index 99 is out of range: there are 21"),
    ({"n_samples": 5, "fonts": []}, ValueError, "at least one font"),
    ({"n_samples": 5, "fonts": [1.5]}, TypeError, "indices into FONTS or font names"),
    ({"n_samples": 5, "scale": (1.2, 0.8)}, ValueError, r"scale must satisfy 0 < low <= high"),
    ({"n_samples": 5, "scale": 1.0}, TypeError, r"scale must be a pair \(low, high\)"),
    ({"n_samples": 5, "stroke": (0, 2)}, ValueError, r"stroke must satisfy low <= high <= 1.0"),
    ({"n_samples": 5, "noise": -0.1}, ValueError, "noise must be a finite number of at least 0"),
])
def test_render_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        digits.render(**kwargs)


# --- font split ---------------------------------------------------------------------------------
def test_split_by_font_keeps_test_fonts_out_of_training():
    split = digits.split_by_font(200, 50, n_test_fonts=5, rng=0)
    assert len(split.test_fonts) == 5
    assert not set(split.train_fonts) & set(split.test_fonts)
    assert sorted(split.train_fonts + split.test_fonts) == sorted(digits.FONTS)
    X_train, y_train = split.train
    X_test, y_test = split.test
    assert X_train.shape == (200, 1, 28, 28) and y_train.shape == (200,)
    assert X_test.shape == (50, 1, 28, 28) and y_test.shape == (50,)


def test_split_by_font_draws_test_images_only_from_the_held_out_fonts():
    held_out = ["cmr10", "DejaVuSans-Bold"]
    split = digits.split_by_font(40, 30, test_fonts=held_out, rng=np.random.default_rng(7))
    assert sorted(split.test_fonts) == sorted(held_out)
    # documented order: training images first, then test images, from the same generator
    rng = np.random.default_rng(7)
    train_ids = [digits.FONTS.index(name) for name in split.train_fonts]
    train = digits.render(40, rng=rng, fonts=train_ids)
    test = digits.render(30, rng=rng, fonts=held_out)
    np.testing.assert_array_equal(split.train.X, train.X)
    np.testing.assert_array_equal(split.test.X, test.X)
    assert set(test.font) == {digits.FONTS.index(name) for name in held_out}
    assert not set(train.font) & set(test.font)


def test_split_by_font_is_deterministic_by_seed():
    a, b = digits.split_by_font(30, 10, rng=3), digits.split_by_font(30, 10, rng=3)
    assert a.test_fonts == b.test_fonts
    np.testing.assert_array_equal(a.test.X, b.test.X)


def test_split_by_font_must_leave_training_fonts():
    with pytest.raises(ValueError, match="must leave fonts for training: there are 21"):
        digits.split_by_font(10, 10, n_test_fonts=21)
    with pytest.raises(ValueError, match="at least one font for training"):
        digits.split_by_font(10, 10, test_fonts=list(digits.FONTS))


def test_digits_module_is_exported():
    assert nn.digits is digits


# --- IDX files ----------------------------------------------------------------------------------
def write_idx(path, array, code=0x08, compress=False):
    """Write ``array`` as an IDX file the way MNIST's files are made."""
    types = {0x08: ">u1", 0x0B: ">i2", 0x0D: ">f4"}
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    data = header + np.asarray(array, types[code]).tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_reads_images_and_labels(tmp_path, compress):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 5, dtype=np.uint8)
    suffix = ".gz" if compress else ""
    got_images = digits.read_idx(write_idx(tmp_path / f"im{suffix}", images, compress=compress))
    got_labels = digits.read_idx(write_idx(tmp_path / f"lb{suffix}", labels, compress=compress))
    assert got_images.dtype == np.uint8 and got_images.shape == (5, 28, 28)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_read_idx_reads_big_endian_numbers_of_other_types(tmp_path):
    shorts = np.array([[-300, 2], [7, 32000]], dtype=np.int16)
    floats = np.array([1.5, -2.25, 1e-3], dtype=np.float32)
    np.testing.assert_array_equal(digits.read_idx(write_idx(tmp_path / "s", shorts, 0x0B)), shorts)
    np.testing.assert_array_equal(digits.read_idx(write_idx(tmp_path / "f", floats, 0x0D)), floats)


def test_idx_dataset_scales_images_and_adds_a_channel_axis(tmp_path):
    images = np.array([[[0, 255], [51, 102]], [[255, 255], [0, 0]]], dtype=np.uint8)
    X, y = digits.idx_dataset(write_idx(tmp_path / "im", images),
                              write_idx(tmp_path / "lb", np.array([3, 9], np.uint8)))
    assert X.shape == (2, 1, 2, 2)
    np.testing.assert_allclose(X[0, 0], [[0.0, 1.0], [0.2, 0.4]])
    np.testing.assert_array_equal(y, [3, 9])


def test_idx_dataset_refuses_mismatched_files(tmp_path):
    images = write_idx(tmp_path / "im", np.zeros((3, 4, 4), np.uint8))
    labels = write_idx(tmp_path / "lb", np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match=r"labels of shape \(2,\), but im has 3 images"):
        digits.idx_dataset(images, labels)
    with pytest.raises(ValueError, match="images must be 3-D"):
        digits.idx_dataset(labels, labels)


@pytest.mark.parametrize("content, message", [
    (b"\x00\x00", "has 2 bytes: too short for the 4-byte IDX header"),
    (b"PK\x03\x04rest", "does not start with two zero bytes"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown type code 0x07"),
    (b"\x00\x00\x08\x03\x00\x00\x00\x02", "3 dimensions, which needs a 16-byte header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", r"shape \(5,\).*should have 13 bytes.*has 10"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", r"should have 9 bytes, but it has 10"),
])
def test_read_idx_explains_malformed_files(tmp_path, content, message):
    path = tmp_path / "broken-idx1-ubyte"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        digits.read_idx(path)
