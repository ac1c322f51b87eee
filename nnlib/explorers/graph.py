"""Step through the computational graph of one neuron, forward and then backward (chapter 06).

The graph is a sigmoid neuron with two inputs and a squared-error loss::

    m1 = x1 * w1,   m2 = x2 * w2,   z = m1 + m2 + b,   a = sigmoid(z),   L = (a - y)**2

``neuron_graph(...)`` computes every node's value and every gradient dL/d(node) by hand with
the chain rule; ``steps(...)`` orders them as a story (values appear node by node going
forward, then gradients going backward), each step with its equation; ``draw_graph(step)``
draws the graph after that step; ``GraphExplorer`` adds "Start", "Previous step" and
"Next step" buttons (buttons rather than a slider: a story is read one step at a time).
"""

from dataclasses import dataclass

import numpy as np

from ..activations import sigmoid
from ..plotting import PALETTE
from ._image import ImageExplorer, figure_rgb

#: node -> (column, row) on the drawing
POSITIONS = {
    "x1": (0, 7.0), "w1": (0, 5.6), "x2": (0, 4.0), "w2": (0, 2.6), "b": (0, 1.0),
    "m1": (2.4, 6.3), "m2": (2.4, 3.3), "z": (4.8, 4.0), "a": (7.2, 4.0), "y": (7.2, 1.6),
    "L": (9.6, 3.0),
}

#: (from, to) pairs: the arrows of the graph
EDGES = [("x1", "m1"), ("w1", "m1"), ("x2", "m2"), ("w2", "m2"), ("m1", "z"), ("m2", "z"),
         ("b", "z"), ("z", "a"), ("a", "L"), ("y", "L")]

#: how each computed node is written on the drawing
FORMULAS = {"m1": "x1·w1", "m2": "x2·w2", "z": "m1+m2+b", "a": "σ(z)", "L": "(a−y)²"}

LEAVES = ("x1", "w1", "x2", "w2", "b", "y")

DEFAULTS = {"x1": 1.0, "w1": 0.5, "x2": 2.0, "w2": -1.0, "b": 0.5, "y": 1.0}


def neuron_graph(x1=1.0, w1=0.5, x2=2.0, w2=-1.0, b=0.5, y=1.0):
    """Forward values and backward gradients of every node, by the chain rule.

    Returns ``(values, grads)``: two dicts keyed by node name; ``grads[n]`` is dL/dn
    (the target ``y`` is data, not a parameter, so it gets no gradient).
    """
    values = {name: float(v) for name, v in
              {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b, "y": y}.items()}
    for name, value in values.items():
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    values["m1"] = values["x1"] * values["w1"]
    values["m2"] = values["x2"] * values["w2"]
    values["z"] = values["m1"] + values["m2"] + values["b"]
    values["a"] = float(sigmoid(np.array(values["z"])))
    values["L"] = (values["a"] - values["y"]) ** 2
    grads = {"L": 1.0}
    grads["a"] = 2.0 * (values["a"] - values["y"]) * grads["L"]
    grads["z"] = values["a"] * (1.0 - values["a"]) * grads["a"]
    grads["m1"] = grads["m2"] = grads["b"] = grads["z"]  # a sum passes its gradient on
    grads["x1"] = values["w1"] * grads["m1"]  # a product swaps its inputs
    grads["w1"] = values["x1"] * grads["m1"]
    grads["x2"] = values["w2"] * grads["m2"]
    grads["w2"] = values["x2"] * grads["m2"]
    return values, grads


@dataclass(frozen=True)
class Step:
    """One step of the story: which node values / gradients become visible, and why."""

    title: str
    equation: str
    new_values: tuple = ()
    new_grads: tuple = ()


def steps(**inputs):
    """The story as a list of ``Step``: 1 start + 5 forward + 6 backward steps."""
    v, g = neuron_graph(**inputs)

    def n(x):
        return f"{x:.3f}"

    def q(x):  # a factor: negative numbers in parentheses
        return n(x) if x >= 0 else f"({n(x)})"

    return [
        Step("Start: the inputs, the parameters and the target",
             rf"$x_1={n(v['x1'])},\ w_1={n(v['w1'])},\ x_2={n(v['x2'])},\ "
             rf"w_2={n(v['w2'])},\ b={n(v['b'])},\ y={n(v['y'])}$", LEAVES),
        Step("Forward 1: first product",
             rf"$m_1 = x_1 w_1 = {n(v['x1'])} \times {q(v['w1'])} = {n(v['m1'])}$", ("m1",)),
        Step("Forward 2: second product",
             rf"$m_2 = x_2 w_2 = {n(v['x2'])} \times {q(v['w2'])} = {n(v['m2'])}$", ("m2",)),
        Step("Forward 3: the weighted sum",
             rf"$z = m_1 + m_2 + b = {n(v['m1'])} + {q(v['m2'])} + {n(v['b'])} = {n(v['z'])}$",
             ("z",)),
        Step("Forward 4: the activation",
             rf"$a = \sigma(z) = 1 / (1 + e^{{-z}}) = {n(v['a'])}$", ("a",)),
        Step("Forward 5: the loss",
             rf"$L = (a - y)^2 = ({n(v['a'])} - {n(v['y'])})^2 = {n(v['L'])}$", ("L",)),
        Step("Backward 1: start from the loss",
             r"$\partial L / \partial L = 1$", (), ("L",)),
        Step("Backward 2: through the square",
             rf"$\partial L/\partial a = 2(a - y) = {n(g['a'])}$", (), ("a",)),
        Step("Backward 3: through the sigmoid (chain rule)",
             rf"$\partial L/\partial z = \partial L/\partial a \cdot \sigma(z)(1-\sigma(z))"
             rf" = {n(g['a'])} \times {q(v['a'] * (1 - v['a']))} = {n(g['z'])}$", (), ("z",)),
        Step("Backward 4: a sum passes its gradient to every input unchanged",
             rf"$\partial L/\partial m_1 = \partial L/\partial m_2 = \partial L/\partial b"
             rf" = \partial L/\partial z \cdot 1 = {n(g['z'])}$", (), ("m1", "m2", "b")),
        Step("Backward 5: a product sends each input the OTHER input times the gradient",
             rf"$\partial L/\partial w_1 = x_1 \cdot {q(g['m1'])} = {n(g['w1'])},\ \ "
             rf"\partial L/\partial x_1 = w_1 \cdot {q(g['m1'])} = {n(g['x1'])}$", (),
             ("w1", "x1")),
        Step("Backward 6: the same for the second product",
             rf"$\partial L/\partial w_2 = x_2 \cdot {q(g['m2'])} = {n(g['w2'])},\ \ "
             rf"\partial L/\partial x_2 = w_2 \cdot {q(g['m2'])} = {n(g['x2'])}$", (),
             ("w2", "x2")),
    ]


N_STEPS = len(steps())


def _check_step(step):
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not (
            0 <= step < N_STEPS):
        raise ValueError(f"step must be a whole number from 0 to {N_STEPS - 1}, got {step!r}")
    return int(step)


def visible_after(step, **inputs):
    """Which node values and gradients are shown after ``step``: ``(set, set)``."""
    step = _check_step(step)
    shown_values, shown_grads = set(), set()
    for s in steps(**inputs)[: step + 1]:
        shown_values.update(s.new_values)
        shown_grads.update(s.new_grads)
    return shown_values, shown_grads


def draw_graph(step=N_STEPS - 1, **inputs):
    """Figure of the graph after ``step``: values in black, gradients dL/d(node) in vermillion.

    The nodes that changed in this step are outlined in orange; in backward steps the arrows
    they receive their gradient along are drawn in vermillion.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    step = _check_step(step)
    values, grads = neuron_graph(**inputs)
    current = steps(**inputs)[step]
    shown_values, shown_grads = visible_after(step, **inputs)
    changed = set(current.new_values) | set(current.new_grads)
    fig, ax = plt.subplots(figsize=(10, 6.8))
    radius = 0.5
    for start, end in EDGES:
        (x0, y0), (x1, y1) = POSITIONS[start], POSITIONS[end]
        backward_edge = start in current.new_grads and end in shown_grads
        ax.add_patch(FancyArrowPatch(
            (x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=16, shrinkA=22, shrinkB=22,
            color=PALETTE[5] if backward_edge else "#8c8c8c",
            linewidth=2.2 if backward_edge else 1.0))
    for name, (x, y) in POSITIONS.items():
        is_new = name in changed
        ax.add_patch(plt.Circle((x, y), radius,
                                facecolor="#ffffff" if name in LEAVES else "#eef5fb",
                                edgecolor=PALETTE[1] if is_new else "#4d4d4d",
                                linewidth=3.0 if is_new else 1.2, zorder=2))
        label = name if name in LEAVES else f"{name}\n{FORMULAS[name]}"
        ax.text(x, y, label, ha="center", va="center", fontsize=11 if name in LEAVES else 8,
                zorder=3)
        if name in LEAVES:  # values and gradients of the inputs go to their left
            if name in shown_values:
                ax.text(x - radius - 0.12, y + 0.12, f"{values[name]:.3f}", ha="right",
                        va="bottom", fontsize=11, fontweight="bold")
            if name in shown_grads:
                ax.text(x - radius - 0.12, y - 0.05, f"∂L/∂{name} = {grads[name]:.3f}",
                        ha="right", va="top", fontsize=10, color=PALETTE[5])
            continue
        if name in shown_values:
            ax.text(x, y - radius - 0.08, f"{values[name]:.3f}", ha="center", va="top",
                    fontsize=11, color="#000000", fontweight="bold")
        if name in shown_grads:
            ax.text(x, y - radius - 0.45, f"∂L/∂{name} = {grads[name]:.3f}", ha="center",
                    va="top", fontsize=10, color=PALETTE[5])
    ax.set_xlim(-3.4, 10.8)
    ax.set_ylim(-0.2, 7.7)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Step {step} of {N_STEPS - 1}. {current.title}", fontsize=13, loc="left")
    fig.text(0.02, 0.03, current.equation, fontsize=14)
    fig.text(0.98, 0.97, "black: value    vermillion: gradient ∂L/∂node", ha="right",
             fontsize=10, color=PALETTE[5])
    fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.1)
    return fig


class GraphExplorer(ImageExplorer):
    """Buttons "Start", "Previous step" and "Next step" walk through ``steps()``.

    Keyword arguments set the inputs (x1, w1, x2, w2, b, y); ``step`` is the step shown first.
    Each step's picture is drawn once (matplotlib, about 0.2 s) and then kept.
    """

    def __init__(self, step=0, **inputs):
        import ipywidgets as widgets

        self.step = _check_step(step)
        unknown = set(inputs) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown graph inputs {sorted(unknown)}; use {sorted(DEFAULTS)}")
        self.inputs = {**DEFAULTS, **inputs}
        neuron_graph(**self.inputs)  # check the numbers once, up front
        self._pictures = {}
        self.start_button = widgets.Button(description="Start", icon="fast-backward")
        self.previous_button = widgets.Button(description="Previous step", icon="arrow-left")
        self.next_button = widgets.Button(description="Next step", icon="arrow-right")
        self.start_button.on_click(lambda _: self.go(0))
        self.previous_button.on_click(lambda _: self.go(self.step - 1))
        self.next_button.on_click(lambda _: self.go(self.step + 1))
        buttons = widgets.HBox([self.start_button, self.previous_button, self.next_button])
        super().__init__(None, {}, alt=self._describe, status=self._where, header=[buttons])
        self._update_buttons()

    def go(self, step):
        """Show ``step`` (clamped to the first and last step)."""
        self.step = int(min(max(step, 0), N_STEPS - 1))
        self._update_buttons()
        self.redraw()

    def draw(self):
        if self.step not in self._pictures:
            self._pictures[self.step] = figure_rgb(draw_graph(self.step, **self.inputs))
        return self._pictures[self.step]

    def _update_buttons(self):
        self.start_button.disabled = self.previous_button.disabled = self.step == 0
        self.next_button.disabled = self.step == N_STEPS - 1

    def _where(self):
        phase = "start" if self.step == 0 else "forward" if self.step <= 5 else "backward"
        return f"step {self.step} of {N_STEPS - 1} ({phase})"

    def _describe(self):
        current = steps(**self.inputs)[self.step]
        return (f"Computational graph of one sigmoid neuron with a squared-error loss, step "
                f"{self.step} of {N_STEPS - 1}: {current.title}. Equation: "
                f"{current.equation.strip('$')}")
