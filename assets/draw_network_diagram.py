"""Draw assets/00_network_diagram.svg, the picture of a deep network in chapter 00.

    .venv/bin/python assets/draw_network_diagram.py

Circles are neurons, lines are weights: every neuron of a layer reads every output of the layer
before it (a dense layer). Colours are from the Okabe-Ito palette; each layer is also labelled
in words, so the picture does not rely on colour.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnlib.plotting import PALETTE  # noqa: E402

LAYERS = [  # (label, number of neurons, colour)
    ("input layer\n(3 features)", 3, PALETTE[4]),
    ("hidden layer 1", 5, PALETTE[0]),
    ("hidden layer 2", 5, PALETTE[0]),
    ("output layer", 2, PALETTE[1]),
]
OUT = Path(__file__).with_name("00_network_diagram.svg")


def neuron_heights(n, top=1.0):
    """Vertical positions of n neurons, centred on 0 and 0.5 apart."""
    return [top * ((n - 1) / 2 - i) * 0.5 for i in range(n)]


def draw():
    plt.rcParams["svg.fonttype"] = "none"  # keep text as text: smaller, selectable
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    positions = [[(3.0 * i, y) for y in neuron_heights(n)] for i, (_, n, _) in enumerate(LAYERS)]
    for left, right in zip(positions[:-1], positions[1:], strict=True):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], color="#999999", lw=0.7, zorder=1)
    for (label, _, colour), column in zip(LAYERS, positions, strict=True):
        xs, ys = zip(*column, strict=True)
        ax.scatter(xs, ys, s=420, color=colour, edgecolor="black", lw=1.2, zorder=2)
        ax.text(xs[0], -1.55, label, ha="center", va="top", fontsize=11)
    for k, (x, y) in enumerate(positions[0], start=1):
        ax.text(x - 0.45, y, f"$x_{k}$", ha="right", va="center", fontsize=12)
    for k, (x, y) in enumerate(positions[-1], start=1):
        ax.text(x + 0.45, y, f"$\\hat y_{k}$", ha="left", va="center", fontsize=12)
    ax.annotate("", xy=(9.0, 1.55), xytext=(0.0, 1.55),
                arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.2})
    ax.text(4.5, 1.65, "data flows forward", ha="center", va="bottom", fontsize=11)
    ax.set_xlim(-1.2, 10.2)
    ax.set_ylim(-2.3, 2.0)
    ax.axis("off")
    fig.savefig(OUT, bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return OUT


if __name__ == "__main__":
    print(f"wrote {draw()}")
