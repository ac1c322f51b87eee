"""The playground's data: nnlib's generated sets scaled to one view, two regression
surfaces, and the learner's own points from a CSV file.

All points live in the square [-6, 6] x [-6, 6] that the playground shows (``EXTENT``), as
in TensorFlow Playground, so the features x1², sin x1, ... have the same meaning for every set.
Classification labels are integers 0 .. n_classes - 1, shape (n_samples,); regression targets
lie roughly in [-1, 1] and have shape (n_samples, 1).
"""

import csv
import io
import os
from pathlib import Path

import numpy as np

from .. import data
from ..data import Dataset, Split
from .config import MAX_CLASSES

#: half the width of the square the playground shows
EXTENT = 6.0

#: centre x1, centre x2, sign of the six cones of the "multi_gaussian" regression surface
CONES = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def seeds(seed):
    """Independent generators for the data, the split, the weights, batches and dropout."""
    names = ("data", "split", "weights", "batches", "dropout")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {name: np.random.default_rng(child) for name, child in zip(names, children, strict=True)}


def generate(name, n_samples=500, noise=0, n_classes=2, rng=0):
    """Points and labels of a named data set, scaled into the playground's square.

    ``noise`` is in per cent (0 to 50) as on the slider. Returns ``Dataset(X, y)`` with
    X (n_samples, 2); classification sets have integer y (n_samples,), regression sets
    float y (n_samples, 1). ``circle``, ``xor`` and ``moons`` always have 2 classes.
    """
    f = noise / 100.0
    per_class = max(1, n_samples // n_classes)
    if name == "circle":
        X, y = data.circles(n_samples, noise=0.4 * f, factor=0.5, rng=rng)
        return Dataset(5.0 * X, 1 - y)  # inner disc is class 0 (blue), the ring class 1
    if name == "xor":
        X, y = data.xor(n_samples, noise=0.3 * f, rng=rng)
        return Dataset(5.0 * X, y)
    if name == "gaussian":
        X, y = data.blobs(per_class, n_classes, spread=0.35 + f, rng=rng)
        return Dataset(2.0 * X, y)
    if name == "spiral":
        X, y = data.spiral(per_class, n_classes, noise=0.5 * f, rng=rng)
        return Dataset(5.0 * X, y)
    if name == "moons":
        X, y = data.moons(n_samples, noise=0.4 * f, rng=rng)
        return Dataset(3.0 * (X - [0.5, 0.25]), y)
    if name in ("plane", "multi_gaussian"):
        rng = np.random.default_rng(rng)
        X = rng.uniform(-5.0, 5.0, (n_samples, 2))
        jitter = rng.uniform(-5.0, 5.0, X.shape) * f  # TF Playground jitters the inputs
        return Dataset(X, regression_target(name, X + jitter)[:, None])
    raise ValueError(f"unknown data set {name!r}")


def regression_target(name, X):
    """The regression surfaces, X (n, 2) -> (n,) in [-1, 1].

    ``plane``: (x1 + x2) / 10. ``multi_gaussian``: six cones of radius 2 with alternating
    signs; each point takes the cone with the largest magnitude there (TF Playground's rule).
    """
    if name == "plane":
        return (X[:, 0] + X[:, 1]) / 10.0
    best = np.zeros(len(X))
    for cx, cy, sign in CONES:
        distance = np.hypot(X[:, 0] - cx, X[:, 1] - cy)
        value = sign * np.clip(1.0 - distance / 2.0, 0.0, 1.0)
        best = np.where(np.abs(value) > np.abs(best), value, best)
    return best


def own_dataset(points, problem):
    """The learner's points ``[[x1, x2, label], ...]`` as ``Dataset(X, y)`` for ``problem``.

    At least 2 points; classification labels must be whole numbers 0 to 3 with at least two
    classes present.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if len(points) < 2:
        raise ValueError(f"your data needs at least 2 points (one to train on, one to test), "
                         f"it has {len(points)}")
    X, labels = points[:, :2].copy(), points[:, 2]
    if problem == "regression":
        return Dataset(X, labels[:, None].copy())
    if not np.all(labels == np.round(labels)) or labels.min() < 0 or labels.max() >= MAX_CLASSES:
        bad = labels[(labels != np.round(labels)) | (labels < 0) | (labels >= MAX_CLASSES)][0]
        raise ValueError(
            f"class labels must be whole numbers from 0 to {MAX_CLASSES - 1}, found {bad:g}; "
            "for real-valued targets switch the problem to regression"
        )
    y = labels.astype(np.intp)
    if len(np.unique(y)) < 2:
        raise ValueError(f"your points need at least two classes to classify, found only class "
                         f"{y[0]}: add points of another class")
    return Dataset(X, y)


def split_train_test(X, y, train_percent, rng):
    """Shuffle and split into ``Split(train, val=None, test)`` with ``train_percent`` % training.

    Both parts keep at least one point.
    """
    order = np.random.default_rng(rng).permutation(len(X))
    n_train = int(round(len(X) * train_percent / 100.0))
    n_train = min(max(n_train, 1), len(X) - 1)
    train, test = order[:n_train], order[n_train:]
    return Split(Dataset(X[train], y[train]), None, Dataset(X[test], y[test]))


def load_csv(path_or_text):
    """Read the learner's points from a CSV file or CSV text: rows ``x1, x2, label``.

    ``path_or_text`` is a file path, CSV text (anything with a comma or a line break) or the
    bytes of an uploaded file. A first row that is not numbers (e.g. ``x1,x2,label``) is a
    header and skipped; blank lines and lines starting with ``#`` are ignored. Returns
    ``Dataset(X, y)``: X (n_samples, 2) and y (n_samples,) as floats (labels of a classification
    set are whole numbers). Raises ``ValueError`` naming the line that cannot be read.
    """
    text = _csv_text(path_or_text)
    rows = []
    for line_number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 3:
            raise ValueError(
                f"line {line_number} has {len(cells)} value(s) ({','.join(cells)!r}), expected "
                "3: x1, x2, label"
            )
        try:
            values = [float(cell) for cell in cells]
        except ValueError:
            if not rows and line_number == _first_line(text):
                continue  # a header row
            bad = next(cell for cell in cells if not _is_number(cell))
            raise ValueError(f"line {line_number}: {bad!r} is not a number") from None
        if not all(np.isfinite(values)):
            raise ValueError(f"line {line_number}: values must be finite numbers, got {cells}")
        rows.append(values)
    if not rows:
        raise ValueError("the CSV has no data rows: expected lines such as '1.5,-2.0,1'")
    points = np.array(rows)
    return Dataset(points[:, :2], points[:, 2])


def _csv_text(path_or_text):
    if isinstance(path_or_text, (bytes, bytearray, memoryview)):
        try:
            return bytes(path_or_text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("the uploaded file is not UTF-8 text; save it as a CSV file") from None
    if isinstance(path_or_text, os.PathLike) or (
        isinstance(path_or_text, str) and "," not in path_or_text and "\n" not in path_or_text
    ):
        path = Path(path_or_text)
        if not path.is_file():
            raise FileNotFoundError(f"no CSV file at {str(path)!r}")
        return path.read_text(encoding="utf-8-sig")
    if isinstance(path_or_text, str):
        return path_or_text
    raise TypeError(f"load_csv takes a path, CSV text or bytes, got {type(path_or_text).__name__}")


def _first_line(text):
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.strip().startswith("#"):
            return number
    return 0


def _is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True
