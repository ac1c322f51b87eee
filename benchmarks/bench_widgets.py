"""How long does a widget take, in the kernel, to answer a slider move? (issue 3: <= 20 ms)

Run from the repository root:

    python -m benchmarks.bench_widgets            (or `make bench`, which runs them all)
    python -m benchmarks.bench_widgets --repeats 100

The target: the decision boundary of a 2-16-16-3 network on a 200x200 grid with 300 points,
rendered into an RGB array, in at most 20 ms (median). We time that picture alone
(``decision_boundary_rgb``), the same picture pasted into its axes and encoded as PNG (what a
live view sends), and then each widget's whole redraw: a slider value is set from code, which
(outside a kernel's event loop) redraws at once: the picture, the PNG encode (Pillow,
compress_level=1) and the update of the ``ipywidgets.Image``. Sending the PNG to a browser is
not included (FACTS.md: 42-62 ms from key press to picture in Chromium for this approach).
"""

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import nnlib as nn  # noqa: E402
from benchmarks.timing import median_seconds, print_table  # noqa: E402
from nnlib import plotting, raster  # noqa: E402
from nnlib.widgets import (  # noqa: E402
    LearningRateExplorer,
    LineExplorer,
    NeuronExplorer,
    TrainingView,
    WeightExplorer,
    interactive_image,
)

TARGET_MS = 20.0
GRID = 200


def spiral_network():
    """A 2-16-16-3 ReLU network and 300 spiral points (3 classes x 100)."""
    X, y = nn.data.spiral(100, 3, rng=0)
    model = nn.Sequential(nn.Dense(2, 16, rng=1), nn.ReLU(), nn.Dense(16, 16, rng=2), nn.ReLU(),
                          nn.Dense(16, 3, rng=3))
    model.fit(X, y, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02), epochs=20,
              batch_size=64)
    return model, X, y


def median_cpu_seconds(fn, repeats=50, warmup=5):
    """Median CPU time of ``fn()``: it shows what the code itself costs on a busy machine."""
    return median_seconds(fn, repeats, warmup, clock=time.process_time)


def slider_mover(slider, low, high):
    """A function that moves ``slider`` between two values on each call (so each call redraws)."""
    state = {"flip": False}

    def move():
        state["flip"] = not state["flip"]
        slider.value = high if state["flip"] else low

    return move


def cases():
    """(name, function to time, what it includes) for every measurement."""
    model, X, y = spiral_network()
    frame = raster.Frame(raster.padded_extent(X), GRID,
                         legend=plotting.boundary_legend(y, "multiclass"))

    def boundary_png():
        picture = plotting.decision_boundary_rgb(model, X, y, resolution=GRID,
                                                 extent=frame.extent)
        return raster.encode_png(frame.compose(picture))

    Xb, yb = nn.data.blobs(20, 2, spread=0.6, rng=0)
    neuron = NeuronExplorer(Xb, yb)
    line = LineExplorer(activation="sigmoid")
    Xm, ym = nn.data.moons(80, noise=0.15, rng=0)
    small = nn.Sequential(nn.Dense(2, 3, rng=4), nn.Tanh(), nn.Dense(3, 2, rng=5))
    weights = WeightExplorer(small, Xm, ym)
    rates = LearningRateExplorer()
    view = TrainingView(model, X, y, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.01),
                        batch_size=64, validation_data=(X, y))
    grid_x1, grid_x2 = np.meshgrid(np.linspace(-3, 3, 160), np.linspace(3, -3, 160))

    def relu_plane(w1, w2, b):
        grey = 255 - np.clip(np.maximum(w1 * grid_x1 + w2 * grid_x2 + b, 0) * 40, 0, 255)
        grey = grey.astype(np.uint8)
        return np.stack([grey, grey, np.full_like(grey, 255)], axis=-1)

    custom = interactive_image(relu_plane, {"w1": (-2.0, 2.0, 0.1), "w2": (-2.0, 2.0, 0.1),
                                            "b": (-3.0, 3.0, 0.1)})
    custom.controls["w1"].value = 1.0  # a sloping picture, not a flat one
    return [
        ("decision_boundary_rgb, 2-16-16-3, 200x200, 300 points",
         lambda: plotting.decision_boundary_rgb(model, X, y, resolution=GRID),
         "grid forward + colours + points"),
        ("  + axes frame + PNG encode", boundary_png, "what a live view sends"),
        ("NeuronExplorer: move w1", slider_mover(neuron.sliders["w1"], 1.0, 1.05),
         "two panels + PNG + Image"),
        ("LineExplorer: move weight", slider_mover(line.sliders["weight"], 1.0, 1.05),
         "curve + PNG + Image"),
        ("WeightExplorer 2-3-2: move one weight",
         slider_mover(weights.sliders[0][0], 0.5, 0.55), "boundary + loss + PNG + Image"),
        ("LearningRateExplorer: move lr", slider_mover(rates.lr, 0.1, 0.11),
         "3 x 50 optimizer steps + paths + PNG"),
        ("TrainingView 2-16-16-3: redraw", view._render,
         "boundary + loss curves + PNG + Image"),
        ("TrainingView 2-16-16-3: Step (1 epoch + redraw)", view.step,
         "300 points, batch 64, + validation"),
        ("interactive_image 160x160: move b", slider_mover(custom.controls["b"], 0.0, 0.1),
         "user draw function + PNG + Image"),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args(argv)
    rows = []
    results = {}
    for name, fn, what in cases():
        ms = median_seconds(fn, repeats=args.repeats) * 1000
        cpu_ms = median_cpu_seconds(fn, repeats=args.repeats) * 1000
        results[name] = ms
        rows.append([name, f"{ms:7.2f}", f"{cpu_ms:7.2f}", what])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Kernel-side redraw time, median of {args.repeats} (OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS')}, load average {load:.1f} on "
          f"{os.cpu_count()} cores):")
    print_table(["measurement", "wall ms", "CPU ms", "includes"], rows)
    boundary = results["decision_boundary_rgb, 2-16-16-3, 200x200, 300 points"]
    verdict = "meets" if boundary <= TARGET_MS else "MISSES"
    print(f"\nDecision boundary (2-16-16-3, {GRID}x{GRID} grid, 300 points): {boundary:.2f} ms "
          f"median wall time, {verdict} the {TARGET_MS:.0f} ms target.")
    if load > (os.cpu_count() or 1):
        print("The machine is busy (load above its core count): wall times are inflated; "
              "the CPU column shows the cost of the code itself.")
    return results


if __name__ == "__main__":
    main()
