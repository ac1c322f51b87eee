"""How fast are nnlib's convolution layers? Against naive Python loops and against PyTorch.

Run from the repository root:

    python -m benchmarks.bench_conv            (or `make bench`, which runs every benchmark)

Times the median of forward + backward (float32, batch 64, one BLAS thread) for
- Conv2D 1 -> 8 channels, 3x3, on 28x28 images, and 8 -> 16 channels, 3x3, on 13x13;
- MaxPool2D 2x2 on the 26x26 output of the first convolution;
- one training step of a small CNN: Conv(1->8, 3x3), ReLU, MaxPool 2, Conv(8->16, 3x3), ReLU,
  MaxPool 2, Flatten, Dense(400 -> 10), SoftmaxCrossEntropy, SGD; like ``nn.Trainer`` (and
  PyTorch, whose input tensor needs no gradient) it skips the gradient w.r.t. the images.
The naive versions loop over every output pixel in Python, as a first implementation would
(they are slow, so they run fewer times). PyTorch is timed in the same process when it is
installed, with ``torch.set_num_threads(1)``. Targets (issue 7): nnlib at least 500x faster
than the naive loops; the CNN step at most 1.25x PyTorch's time.

The last lines report the largest column (im2col) buffer the Conv2D layers allocated, for the
training step and for a prediction on 10,000 images, which is processed in chunks, and the
time ``nnlib.digits.render`` takes to draw 10,000 digit images.
"""

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import nnlib as nn  # noqa: E402

DTYPE = np.float32
BATCH = 64


# --- naive reference implementations: loops over every output pixel -------------------------
def naive_conv_forward(X, W, b):
    """Stride 1, no padding: X (N, C, H, W), W (F, C, kh, kw), b (F,) -> (N, F, H_out, W_out)."""
    N, _, H, Wd = X.shape
    F, _, kh, kw = W.shape
    out = np.zeros((N, F, H - kh + 1, Wd - kw + 1), dtype=X.dtype)
    for n in range(N):
        for f in range(F):
            for y in range(out.shape[2]):
                for x in range(out.shape[3]):
                    out[n, f, y, x] = np.sum(X[n, :, y:y + kh, x:x + kw] * W[f]) + b[f]
    return out


def naive_conv_backward(X, W, dout):
    """Gradients (dX, dW, db) of ``naive_conv_forward`` for the upstream gradient ``dout``."""
    F, _, kh, kw = W.shape
    dX, dW = np.zeros_like(X), np.zeros_like(W)
    for n in range(X.shape[0]):
        for f in range(F):
            for y in range(dout.shape[2]):
                for x in range(dout.shape[3]):
                    g = dout[n, f, y, x]
                    dW[f] += g * X[n, :, y:y + kh, x:x + kw]
                    dX[n, :, y:y + kh, x:x + kw] += g * W[f]
    return dX, dW, dout.sum(axis=(0, 2, 3))


def naive_maxpool_forward(X, k=2):
    N, C, H, W = X.shape
    out = np.zeros((N, C, H // k, W // k), dtype=X.dtype)
    for n in range(N):
        for c in range(C):
            for y in range(H // k):
                for x in range(W // k):
                    out[n, c, y, x] = X[n, c, y * k:y * k + k, x * k:x * k + k].max()
    return out


def naive_maxpool_backward(X, dout, k=2):
    """Gradient to the first maximum of each window (row-major), as PyTorch does."""
    dX = np.zeros_like(X)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for y in range(Ho):
                for x in range(Wo):
                    window = X[n, c, y * k:y * k + k, x * k:x * k + k]
                    i, j = np.unravel_index(np.argmax(window), window.shape)
                    dX[n, c, y * k + i, x * k + j] += dout[n, c, y, x]
    return dX


# --- timing -------------------------------------------------------------------------------
def median_ms(fn, repeat, warmup=1):
    """Median wall time of ``fn()`` in milliseconds over ``repeat`` runs after ``warmup``."""
    return paired_medians_ms([fn], repeat, warmup)[0]


def paired_medians_ms(fns, repeat, warmup=1):
    """Median times (ms) of several functions, run in turn in each round.

    Taking turns means a busy moment on the machine slows all of them alike, so their
    ratio stays fair even when the medians move.
    """
    for _ in range(warmup):
        for fn in fns:
            fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, record in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            record.append(time.perf_counter() - start)
    return [1e3 * float(np.median(record)) for record in times]


def beside_naive_ms(fast, naive, rounds):
    """Median times (ms) of ``fast`` (10 runs a round) and ``naive`` (1 run a round), in turn."""
    fast_ms, naive_ms = [], []
    for _ in range(rounds):
        fast_ms.append(median_ms(fast, 10))
        naive_ms.append(median_ms(naive, 1, warmup=0))
    return float(np.median(fast_ms)), float(np.median(naive_ms))


def conv_case(in_channels, out_channels, size, rng):
    layer = nn.Conv2D(in_channels, out_channels, 3, rng=rng, dtype=DTYPE)
    X = rng.standard_normal((BATCH, in_channels, size, size)).astype(DTYPE)
    dout = rng.standard_normal((BATCH, out_channels, size - 2, size - 2)).astype(DTYPE)

    def fast():
        layer.forward(X)
        layer.backward(dout)

    def naive():
        naive_conv_forward(X, layer.weights, layer.biases)
        naive_conv_backward(X, layer.weights, dout)

    def make_torch(torch):
        Xt = torch.tensor(X, requires_grad=True)
        conv = torch.nn.Conv2d(in_channels, out_channels, 3)
        dt = torch.tensor(dout)

        def step():
            Xt.grad = None
            conv.zero_grad(set_to_none=True)
            conv(Xt).backward(dt)
        return step

    return fast, naive, make_torch


def maxpool_case(rng):
    layer = nn.MaxPool2D(2)
    X = np.maximum(rng.standard_normal((BATCH, 8, 26, 26)), 0).astype(DTYPE)  # after a ReLU
    dout = rng.standard_normal((BATCH, 8, 13, 13)).astype(DTYPE)

    def fast():
        layer.forward(X)
        layer.backward(dout)

    def naive():
        naive_maxpool_forward(X)
        naive_maxpool_backward(X, dout)

    def make_torch(torch):
        Xt = torch.tensor(X, requires_grad=True)
        dt = torch.tensor(dout)

        def step():
            Xt.grad = None
            torch.nn.functional.max_pool2d(Xt, 2).backward(dt)
        return step

    return fast, naive, make_torch


def small_cnn(rng=0, dtype=DTYPE):
    """The benchmark's CNN: 28x28 grey images -> 10 class scores."""
    return nn.Sequential(
        nn.Conv2D(1, 8, 3, rng=rng, dtype=dtype), nn.ReLU(), nn.MaxPool2D(2),
        nn.Conv2D(8, 16, 3, rng=rng, dtype=dtype), nn.ReLU(), nn.MaxPool2D(2),
        nn.Flatten(), nn.Dense(16 * 5 * 5, 10, rng=rng, dtype=dtype),
    )


def cnn_case(rng):
    model = small_cnn(rng)
    loss = nn.SoftmaxCrossEntropy()
    optimizer = nn.SGD(0.01)
    X = rng.random((BATCH, 1, 28, 28)).astype(DTYPE)
    y = rng.integers(0, 10, BATCH)

    def fast():
        loss.forward(model.forward(X), y)
        model.backward(loss.backward(), input_gradient=False)   # as nn.Trainer does
        optimizer.step(model.parameters())

    def naive():
        conv1, _, _, conv2, _, _, _, dense = model.layers
        a1 = naive_conv_forward(X, conv1.weights, conv1.biases)
        r1 = np.maximum(a1, 0)
        p1 = naive_maxpool_forward(r1)
        a2 = naive_conv_forward(p1, conv2.weights, conv2.biases)
        r2 = np.maximum(a2, 0)
        p2 = naive_maxpool_forward(r2)
        scores = p2.reshape(BATCH, -1) @ dense.weights + dense.biases
        loss.forward(scores, y)
        dscores = loss.backward()
        dp2 = (dscores @ dense.weights.T).reshape(p2.shape)
        da2 = naive_maxpool_backward(r2, dp2) * (a2 > 0)
        dp1, _, _ = naive_conv_backward(p1, conv2.weights, da2)
        da1 = naive_maxpool_backward(r1, dp1) * (a1 > 0)
        naive_conv_backward(X, conv1.weights, da1)

    def make_torch(torch):
        tnn = torch.nn
        net = tnn.Sequential(
            tnn.Conv2d(1, 8, 3), tnn.ReLU(), tnn.MaxPool2d(2),
            tnn.Conv2d(8, 16, 3), tnn.ReLU(), tnn.MaxPool2d(2),
            tnn.Flatten(), tnn.Linear(16 * 5 * 5, 10),
        )
        criterion = tnn.CrossEntropyLoss()
        sgd = torch.optim.SGD(net.parameters(), lr=0.01)
        Xt, yt = torch.tensor(X), torch.tensor(y)

        def step():
            sgd.zero_grad(set_to_none=True)
            criterion(net(Xt), yt).backward()
            sgd.step()
        return step

    return fast, naive, make_torch, model


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def run(repeat=50, naive_repeat=1):
    """Time every case; return a list of result rows (dicts) and the buffer report."""
    rng = np.random.default_rng(0)
    torch = import_torch()
    conv1 = conv_case(1, 8, 28, rng)
    conv2 = conv_case(8, 16, 13, rng)
    pool = maxpool_case(rng)
    *cnn, model = cnn_case(rng)
    cases = [
        ("Conv2D 1->8, 3x3, 28x28", conv1),
        ("Conv2D 8->16, 3x3, 13x13", conv2),
        ("MaxPool2D 2x2, 8x26x26", pool),
        ("CNN training step", cnn),
    ]
    rows = []
    for name, (fast, naive, make_torch) in cases:
        if torch is None:
            nnlib_ms, torch_ms = median_ms(fast, repeat), None
        else:
            nnlib_ms, torch_ms = paired_medians_ms([fast, make_torch(torch)], repeat)
        row = {"name": name, "nnlib": nnlib_ms, "torch": torch_ms, "naive": None}
        if naive_repeat:
            row["nnlib_beside_naive"], row["naive"] = beside_naive_ms(fast, naive, naive_repeat)
        rows.append(row)
    train_peak = max(layer.peak_buffer_bytes for layer in model if isinstance(layer, nn.Conv2D))
    images = rng.random((10_000, 1, 28, 28)).astype(DTYPE)
    for layer in model:
        if isinstance(layer, nn.Conv2D):
            layer.peak_buffer_bytes = 0
    predict_ms = median_ms(lambda: model.predict(images), 3)
    predict_peak = max(layer.peak_buffer_bytes for layer in model if isinstance(layer, nn.Conv2D))
    nn.digits.render(100, rng=0)                        # load the fonts once
    render_ms = median_ms(lambda: nn.digits.render(10_000, rng=1, dtype=DTYPE), 3, warmup=0)
    buffers = {"train_peak": train_peak, "predict_peak": predict_peak, "predict_ms": predict_ms,
               "render_ms": render_ms,
               "limit": nn.Conv2D.max_buffer_bytes,
               "torch": None if torch is None else torch.__version__}
    return rows, buffers


def format_report(rows, buffers):
    """The table as text: medians in ms and the two ratios the targets are about."""
    lines = [
        f"Conv layers, float32, batch {BATCH}, forward + backward, median ms (1 BLAS thread)",
        f"{'case':<26} {'nnlib':>8} {'naive':>10} {'naive/nnlib':>12} {'torch':>8} "
        f"{'nnlib/torch':>12}",
    ]
    for row in rows:
        naive = f"{row['naive']:10.1f}" if row["naive"] is not None else f"{'-':>10}"
        speedup = f"{row['naive'] / row['nnlib_beside_naive']:11.0f}x" if row["naive"] is not None \
            else f"{'-':>12}"
        torch = f"{row['torch']:8.3f}" if row["torch"] is not None else f"{'-':>8}"
        ratio = f"{row['nnlib'] / row['torch']:11.2f}x" if row["torch"] is not None \
            else f"{'-':>12}"
        lines.append(f"{row['name']:<26} {row['nnlib']:8.3f} {naive} {speedup} {torch} {ratio}")
    lines.append("(nnlib and torch run in turn; naive/nnlib uses nnlib runs taken between the "
                 "naive runs: both fair on a busy machine)")
    mib = 2**20
    lines.append(
        f"im2col buffer: peak {buffers['train_peak'] / mib:.2f} MiB per Conv2D in the training "
        f"step; {buffers['predict_peak'] / mib:.2f} MiB when predicting 10,000 images "
        f"({buffers['predict_ms']:.0f} ms; limit {buffers['limit'] / mib:.0f} MiB per buffer)"
    )
    lines.append(f"nnlib.digits.render: 10,000 images in {buffers['render_ms'] / 1e3:.2f} s")
    lines.append("PyTorch: " + (buffers["torch"] or "not installed (torch columns skipped)"))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of nnlib and torch")
    parser.add_argument("--naive-repeat", type=int, default=1,
                        help="timed runs of the naive loops (0 skips them; each takes seconds)")
    args = parser.parse_args(argv)
    rows, buffers = run(args.repeat, args.naive_repeat)
    print(format_report(rows, buffers))
    return rows, buffers


if __name__ == "__main__":
    main()
