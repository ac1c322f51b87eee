"""How fast is one training step of an nnlib MLP, next to PyTorch on the CPU?

Run from the repository root:  python -m benchmarks.bench_mlp   (or `make bench`)

A step is forward + softmax cross-entropy + backward + SGD update, for
- a 2-64-64-3 ReLU network on a batch of 300 (the spiral size of the course), and
- a 784-128-10 ReLU network on a batch of 128 (MNIST size).
Each is timed as a median over many steps, in float32 and float64, with one BLAS thread (nnlib
sets it; PyTorch gets ``torch.set_num_threads(1)``). When PyTorch is installed the same steps
are timed in the same process and the ratio nnlib / PyTorch is printed (below 1: nnlib faster).
Target (issue 2): ratio at or under 1.
"""

import numpy as np

import nnlib as nn
from benchmarks.timing import median_seconds, print_table

CASES = {
    "2-64-64-3, batch 300": ((2, 64, 64, 3), 300),
    "784-128-10, batch 128": ((784, 128, 10), 128),
}


def make_batch(sizes, batch, dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], batch)
    return X, y


def nnlib_step(sizes, batch, dtype):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers += [nn.Dense(n_in, n_out, init="he", rng=i, dtype=dtype), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    loss, optimizer = nn.SoftmaxCrossEntropy(), nn.SGD(0.01)
    X, y = make_batch(sizes, batch, dtype)

    def step():
        loss.forward(model.forward(X), y)
        model.backward(loss.backward(), input_gradient=False)  # as Trainer does
        optimizer.step(model.parameters())

    return step


def torch_step(torch, sizes, batch, dtype):
    torch_dtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch_dtype), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    loss_fn, optimizer = torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01)
    X, y = make_batch(sizes, batch, dtype)
    X, y = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss_fn(model(X), y).backward()
        optimizer.step()

    return step


def main():
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    rows = []
    for name, (sizes, batch) in CASES.items():
        for dtype in (np.float32, np.float64):
            ours = median_seconds(nnlib_step(sizes, batch, dtype), repeats=300, warmup=20)
            row = [name, np.dtype(dtype).name, f"{ours * 1e6:.0f}"]
            if torch is not None:
                theirs = median_seconds(torch_step(torch, sizes, batch, dtype), repeats=300,
                                        warmup=20)
                row += [f"{theirs * 1e6:.0f}", f"{ours / theirs:.2f}"]
            else:
                row += ["(not installed)", "-"]
            rows.append(row)
    print("MLP training step (forward + loss + backward + SGD), median microseconds")
    print_table(["network", "dtype", "nnlib us", "PyTorch us", "nnlib/PyTorch"], rows)


if __name__ == "__main__":
    main()
