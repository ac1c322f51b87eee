"""The course's interactive widgets: each is ONE call that displays itself.

    from nnlib.widgets import NeuronExplorer
    NeuronExplorer(X, y)                      # sliders w1, w2, b and an activation menu

- ``NeuronExplorer(X, y, w1, w2, b, activation)``: one neuron on 2-D data (chapter 01);
- ``LineExplorer(weight, bias, activation)``: y = activation(w·x + b) on one input (chapter 02);
- ``WeightExplorer(model, X, y)``: a slider per weight and bias of a small ``Sequential``;
- ``LearningRateExplorer(surface, lr, momentum, steps)``: SGD, momentum and Adam on a surface;
- ``TrainingView(model, X, y, loss=..., optimizer=...)``: Play / Pause / Step / Reset;
- ``interactive_image(draw, controls)``: build your own explorer from a drawing function;
- ``check_widgets()``: says in plain words whether widgets can show here, and how to fix it.

Every widget draws into a numpy RGB array shown by an ``ipywidgets.Image`` (a redraw takes
milliseconds; see ``nnlib.raster``), drops stale slider values while you drag, and shows a
PNG of its current state (with alt text) where widgets cannot run: nbval, nbconvert, static
HTML. The object returned has ``.widget`` (the ipywidgets root, CSS class ``nnlib-widget``),
``.image`` (CSS class ``nnlib-plot``) and ``.png()``.
"""

import os
import sys

from .live import InteractiveImage, LivePlot, Redrawer, interactive_image
from .neuron_widgets import LineExplorer, NeuronExplorer, WeightExplorer
from .optimizer_paths import LearningRateExplorer
from .training_view import TrainingView

__all__ = [
    "NeuronExplorer", "LineExplorer", "WeightExplorer", "LearningRateExplorer", "TrainingView",
    "interactive_image", "InteractiveImage", "LivePlot", "Redrawer", "check_widgets",
]


def _version(module_name):
    try:
        module = __import__(module_name)
    except ImportError:
        return None
    return getattr(module, "__version__", "unknown")


def widget_report():
    """Facts about this environment as a dict (``check_widgets`` turns them into advice)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    return {
        "python": sys.executable,
        "ipywidgets": _version("ipywidgets"),
        "jupyterlab_widgets": _version("jupyterlab_widgets"),
        "widgetsnbextension": _version("widgetsnbextension"),
        "in_kernel": shell is not None and hasattr(shell, "kernel"),
        "colab": "google.colab" in sys.modules,
        "vscode": "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ,
    }


def _advice(report):
    """(ok, lines): whether widgets should work here, and plain-language lines to print."""
    lines = []
    ok = True
    ipw, jlw = report["ipywidgets"], report["jupyterlab_widgets"]
    if ipw is None:
        return False, [
            "ipywidgets is not installed in this Python, so the sliders cannot appear.",
            "Fix: run  %pip install 'ipywidgets>=8,<9'  in a cell, then restart the kernel "
            "(Kernel menu > Restart Kernel).",
        ]
    lines.append(f"ipywidgets {ipw} is installed in this kernel ({report['python']}).")
    major = ipw.split(".")[0]
    if major != "8":
        ok = False
        lines.append("The course needs ipywidgets 8. Fix: %pip install 'ipywidgets>=8,<9', then "
                     "restart the kernel and reload the browser page.")
    if jlw is None:
        lines.append("jupyterlab_widgets (the JupyterLab side of the widgets) is not in this "
                     "environment. That is fine if JupyterLab runs from another environment that "
                     "has it; otherwise install it where JupyterLab runs: "
                     "pip install 'jupyterlab_widgets>=3,<4', then restart JupyterLab.")
    else:
        lines.append(f"jupyterlab_widgets {jlw} is installed (the JupyterLab side).")
        if major == "8" and not jlw.startswith("3."):
            ok = False
            lines.append("ipywidgets 8 needs jupyterlab_widgets 3. Fix: "
                         "pip install 'jupyterlab_widgets>=3,<4', restart JupyterLab, reload.")
    if not report["in_kernel"]:
        lines.append("This code is not running in a Jupyter kernel, so widgets show as static "
                     "pictures (their PNG) instead of sliders.")
    if report["colab"]:
        lines.append("In Google Colab run  from google.colab import output; "
                     "output.enable_custom_widget_manager()  once, then run the cell again.")
    if report["vscode"]:
        lines.append("In VS Code, keep the Jupyter extension up to date; if a widget shows an "
                     "error, choose 'Developer: Reload Window'.")
    lines += [
        "If a widget shows a red error message instead of its sliders, or 'Loading widget...' "
        "for ever: save the notebook, restart the kernel, reload the browser page (Ctrl+R), "
        "then run the cells again.",
        "If a cell shows plain text such as 'interactive(children=...)' or 'VBox(...)' instead "
        "of sliders: the page has no widget support; install jupyterlab_widgets where JupyterLab "
        "runs (or use `make lab`), restart JupyterLab and reload the page.",
        "Reopened notebooks show each widget's last picture until you run the cells again.",
    ]
    return ok, lines


def check_widgets():
    """Print, in plain words, whether widgets can render here and how to fix common problems.

    Shows a small test widget: if you can read "Widgets work here" in a box under the cell,
    everything is fine. Returns the facts found (a dict, ``report["ok"]`` True if nothing is
    wrong on the kernel side).
    """
    report = widget_report()
    ok, lines = _advice(report)
    report["ok"] = ok
    print("Widgets look ready on the kernel side." if ok else "Widgets will NOT work yet:")
    for line in lines:
        print(" - " + line)
    if report["in_kernel"] and report["ipywidgets"]:
        import ipywidgets as widgets
        from IPython.display import display

        print("Test: if a box saying 'Widgets work here' appears below, the front end can show "
              "widgets. If you see text like 'Label(value=...)' or an error instead, follow the "
              "fixes above.")
        probe = widgets.Label(value="✓ Widgets work here: sliders and buttons will appear.")
        probe.add_class("nnlib-widget-check")
        display(probe)
    return report
