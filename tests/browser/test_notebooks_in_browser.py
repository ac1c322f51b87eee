"""Every course notebook, run in a real JupyterLab in Chromium, renders cleanly; its widgets work.

nbval only executes the kernel side; these tests look at the page a learner sees. For each notebook
in notebooks/ and notebooks/solutions/ (found when the tests are collected, so new chapters are
covered without editing this file) one page runs Run > Run All Cells once, and the tests below
check that page:

- no cell raised (except cells tagged ``raises-exception``) and every code cell ran;
- no widget rendering error text and no bare widget repr such as ``VBox(children=...)``;
- every widget output rendered as a widget;
- pressing ArrowRight on a slider of each nnlib widget changes its plot (on other sliders: something
  else in their output), and for nnlib widgets the median time from key press to the new picture
  is at most 100 ms (issue 3; printed and saved to latency.json);
- on a TrainingView, Play makes the epoch counter advance and Pause stops it.

Run with ``.venv/bin/python -m pytest tests/browser -s`` (``-s`` shows timings, latencies and where
the screenshots are). See tests/browser/README.md.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jupyterlab_page import CHROMIUM, LabError, LabNotebook, served_root

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"browser tests skipped: Chromium not found at {CHROMIUM} (install Debian's chromium)",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: Python Playwright is not installed (pip install playwright)",
)

pytestmark = pytest.mark.browser

LATENCY_TARGET_MS = 100.0
PRESSES = int(os.environ.get("NNLIB_BROWSER_PRESSES", "15"))
GALLERY = "appendix_widget_gallery.ipynb"
# Calls in a notebook's source that must produce widgets with sliders / a TrainingView.
SLIDER_WIDGET_CALLS = (
    "NeuronExplorer(", "LineExplorer(", "WeightExplorer(", "LearningRateExplorer(",
)  # fmt: skip
# Text a learner must never see in place of a widget (ipywidgets#3968, #3965).
RENDER_ERRORS = (
    "Error displaying widget", "Error rendering", "Failed to load model class", "Javascript Error",
)  # fmt: skip
# A widget's repr shown as text, e.g. "interactive(children=(...))", "VBox()", "IntSlider(value=3)".
BARE_REPR = re.compile(
    r"\b(?:interactive|[A-Z][A-Za-z]*(?:Box|Slider|Dropdown|Button|Image|Label|Output|HTML|Tab))"
    r"\((?:\)|children=|value=|description=|layout=|options=)"
)


def discover_notebooks() -> list[Path]:
    """notebooks/*.ipynb then notebooks/solutions/*.ipynb under the served root, sorted."""
    root = served_root()
    chapters = sorted(root.glob("notebooks/*.ipynb"))
    found = chapters + sorted(root.glob("notebooks/solutions/*.ipynb"))
    return [path for path in found if ".ipynb_checkpoints" not in path.parts]


NOTEBOOKS = discover_notebooks()


def code_source(path: Path) -> str:
    """All code cells of a notebook file, joined (markdown may mention widgets it never shows)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in cells if cell["cell_type"] == "code"
    )


def notebook_id(path: Path) -> str:
    return path.relative_to(served_root() / "notebooks").with_suffix("").as_posix()


@dataclass
class NotebookRun:
    """One notebook after Run All Cells: its page and what the page showed."""

    name: str
    source: str  # the code cells' source, to know which widgets the notebook promises
    lab: LabNotebook
    cells: list[dict]
    screenshots: list[Path]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def is_gallery(self) -> bool:
        return self.name.endswith(GALLERY)

    def context(self) -> str:
        """Console errors of the page, appended to failure messages."""
        errors = "\n  ".join(self.lab.console_errors[:10]) or "none"
        return f"\n(screenshot: {self.screenshots[0]}; browser console errors:\n  {errors})"


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def notebook_run(request, lab_server, browser_context, artifacts_dir):
    """Open one notebook in a new page, run all cells, screenshot it; shut its kernel down after.

    Module scope with one parameter per notebook: pytest runs every test below on one notebook
    before it opens the next, so each notebook runs once.
    """
    path: Path = request.param
    name = path.relative_to(lab_server.root).as_posix()
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    lab = LabNotebook(page, lab_server, name)
    try:
        start = time.monotonic()
        lab.open()
        opened = time.monotonic()
        lab.run_all()
        ran = time.monotonic()
        shots = lab.screenshot(artifacts_dir / f"{notebook_id(path).replace('/', '__')}.png")
        run = NotebookRun(
            name, code_source(path), lab, lab.cell_report(), shots,
            {"open_s": opened - start, "run_all_s": ran - opened},
        )  # fmt: skip
        print(
            f"\n{name}: kernel idle {run.timings['open_s']:.1f} s after opening, "
            f"Run All Cells {run.timings['run_all_s']:.1f} s; screenshot {shots[0]}"
            + (f" (+{len(shots) - 1} more)" if len(shots) > 1 else "")
        )
        yield run
    except LabError as error:
        pytest.fail(f"{error}\n(JupyterLab log: {lab_server.log_path})")
    finally:
        page.close()
        lab_server.shutdown_kernels()
        print(f"\n{name}: {time.monotonic() - start:.1f} s in the browser in all")


def test_every_cell_runs_without_error(notebook_run):
    failures, unrun = [], []
    for cell in notebook_run.cells:
        allowed = "raises-exception" in cell["tags"]
        for output in cell["outputs"]:
            if output["type"] == "error" and not allowed:
                failures.append(
                    f"cell {cell['index']} raised {output['ename']}: {output['evalue']}\n"
                    f"    source: {cell['source'][:120]!r}"
                )
        if cell["source"].strip() and cell["executionCount"] is None:
            unrun.append(cell["index"])
    if unrun:
        failures.append(
            f"{len(unrun)} code cell(s) never ran (after an error the kernel skips the rest): "
            f"cells {', '.join(map(str, unrun[:12]))}{', ...' if len(unrun) > 12 else ''}"
        )
    assert not failures, (
        f"{notebook_run.name}: Run All Cells left errors:\n  " + "\n  ".join(failures)
        + notebook_run.context()
    )


def test_no_widget_error_text_or_bare_widget_repr(notebook_run):
    """Printed text may mention these messages (check_widgets does); rendered outputs may not."""
    failures = []
    for cell in notebook_run.cells:
        for output in cell["outputs"]:
            if output["type"] == "stream":
                continue
            text = output["text"]
            for message in RENDER_ERRORS:
                if (output["widget"] and message in text) or text.startswith(message):
                    failures.append(f"cell {cell['index']} shows {message!r}: {text[:200]!r}")
            bare = BARE_REPR.search(text)
            if bare and output["domMime"] == "text/plain":
                failures.append(
                    f"cell {cell['index']} shows a widget as text ({bare.group(0)!r}) instead of "
                    f"rendering it: {text[:200]!r}"
                )
    assert not failures, (
        f"{notebook_run.name}:\n  " + "\n  ".join(failures) + notebook_run.context()
    )


def test_every_widget_output_renders(notebook_run):
    widget_outputs = [
        (cell["index"], output) for cell in notebook_run.cells
        for output in cell["outputs"] if output["widget"]
    ]  # fmt: skip
    missing = [
        f"cell {index}: {output['text'][:200]!r}"
        for index, output in widget_outputs if not output["rendered"]
    ]  # fmt: skip
    assert not missing, (
        f"{notebook_run.name}: {len(missing)} of {len(widget_outputs)} widget outputs did not "
        "render:\n  " + "\n  ".join(missing) + notebook_run.context()
    )
    calls = (*SLIDER_WIDGET_CALLS, "TrainingView(")
    promised = [call for call in calls if call in notebook_run.source]
    if promised or notebook_run.is_gallery:
        n_roots = notebook_run.lab.page.locator(".nnlib-widget").count()
        assert n_roots > 0, (
            f"{notebook_run.name} calls {', '.join(promised) or 'nnlib widgets'} but the page has "
            "no element with class nnlib-widget" + notebook_run.context()
        )


def _no_sliders(notebook_run) -> None:
    """Fail when the notebook promises nnlib slider widgets (or is the gallery), else skip."""
    promised = [call for call in SLIDER_WIDGET_CALLS if call in notebook_run.source]
    if promised or notebook_run.is_gallery:
        pytest.fail(
            f"{notebook_run.name} calls {', '.join(promised) or 'slider widgets'} but no "
            "'.nnlib-widget .widget-slider .noUi-handle' is in the page" + notebook_run.context()
        )
    pytest.skip(f"{notebook_run.name} has no nnlib widget with a slider")


def test_slider_key_press_redraws_plot(notebook_run):
    """ArrowRight on each nnlib widget's slider changes its nnlib-plot image; on a slider outside
    nnlib widgets (plain ipywidgets, interact) it changes something else in the same output."""
    lab = notebook_run.lab
    widgets, others = lab.slider_widgets(), lab.other_sliders()
    if not widgets and not others:
        _no_sliders(notebook_run)
    failures = []
    for widget in widgets:
        where = f"widget in cell {widget['cell']} (slider {widget['slider']!r})"
        if widget["plots"] == 0:
            failures.append(f"{where} has no image with class nnlib-plot")
            continue
        press = lab.press_slider(widget["id"], "ArrowRight")
        if press.value_after == press.value_before:  # at its maximum: try the other way
            press = lab.press_slider(widget["id"], "ArrowLeft")
        if press.value_after == press.value_before:
            failures.append(f"{where}: arrow keys did not move the slider ({press.value_before})")
        elif press.src_ms is None:
            failures.append(
                f"{where}: {press.key} moved the slider {press.value_before} -> "
                f"{press.value_after} but the nnlib-plot image did not change within 5 s"
            )
    for other in others:
        where = f"slider {other['slider']!r} in cell {other['cell']} (outside nnlib widgets)"
        result = lab.press_other_slider(other["id"], "ArrowRight")
        if result["after"] == result["before"]:
            result = lab.press_other_slider(other["id"], "ArrowLeft")
        if result["after"] == result["before"]:
            failures.append(f"{where}: arrow keys did not move the slider ({result['before']})")
        elif not result["output_changed"]:
            failures.append(
                f"{where}: moved {result['before']} -> {result['after']} but nothing else in "
                "its output changed within 5 s"
            )
    assert not failures, (
        f"{notebook_run.name}:\n  " + "\n  ".join(failures) + notebook_run.context()
    )


def test_slider_latency_median_at_most_100ms(notebook_run, latency_log):
    widgets = notebook_run.lab.slider_widgets()
    if not widgets:
        _no_sliders(notebook_run)
    slow = []
    for widget in widgets:
        label = f"cell {widget['cell']} slider {widget['slider']!r}"
        if widget["plots"] == 0:
            slow.append(f"{label}: its widget has no image with class nnlib-plot to time")
            continue
        result = notebook_run.lab.measure_slider_latency(widget["id"], PRESSES)
        latency_log(notebook_run.name, label, result)
        median = result["median_ms"]
        if median is None:
            slow.append(f"{label}: no press produced a new picture ({result['missed']})")
            continue
        load = result["load_median_ms"]
        decoded = f"; image decoded: {load:.1f} ms" if load is not None else ""
        print(
            f"\nbrowser slider latency median: {median:.1f} ms "
            f"({notebook_run.name}, {label}, {len(result['samples_ms'])} presses{decoded})"
        )
        if median > LATENCY_TARGET_MS:
            slow.append(f"{label}: median {median:.1f} ms > {LATENCY_TARGET_MS:.0f} ms "
                        f"(samples {result['samples_ms']})")
        if result["missed"]:
            slow.append(f"{label}: presses without a new picture: {result['missed']}")
    print(f"latencies written to {latency_log.path}")
    assert not slow, f"{notebook_run.name}:\n  " + "\n  ".join(slow)


def test_training_view_play_advances_and_pause_stops(notebook_run):
    lab = notebook_run.lab
    views = lab.training_views()
    if not views:
        if "TrainingView(" in notebook_run.source or notebook_run.is_gallery:
            pytest.fail(
                f"{notebook_run.name} should show a TrainingView but no element with class "
                "nnlib-epoch is in the page" + notebook_run.context()
            )
        pytest.skip(f"{notebook_run.name} has no TrainingView")
    view = views[0]
    where = f"{notebook_run.name}, TrainingView in cell {view['cell']}"
    start = lab.epoch(view["id"])
    assert start is not None, f"{where}: counter text {view['text']!r} has no 'epoch N'"

    lab.click_button(view["id"], "Play")
    first = lab.wait_epoch_above(view["id"], start, timeout_s=30)
    assert first is not None, f"{where}: after Play the counter stayed at {lab.epoch(view['id'])}"
    later = lab.wait_epoch_above(view["id"], first, timeout_s=30)
    assert later is not None, f"{where}: after Play the counter stopped at {first}"

    lab.click_button(view["id"], "Pause")
    lab.wait_epoch_steady(view["id"])  # a step already under way may still finish
    paused = lab.epoch(view["id"])
    lab.page.wait_for_timeout(1000)
    still = lab.epoch(view["id"])
    assert still == paused, f"{where}: after Pause the counter went on from {paused} to {still}"
    print(f"\n{where}: Play ran epochs {start} -> {later}, Pause held the counter at {paused}")


def test_playground_takes_own_points_typed_as_csv(notebook_run):
    """Issue 8: a learner's own data reaches the playground through the page, by keyboard."""
    if "Playground(" not in notebook_run.source:
        pytest.skip(f"{notebook_run.name} has no Playground")
    page = notebook_run.lab.page
    root = page.locator(".nnlib-playground").last
    root.scroll_into_view_if_needed()
    root.get_by_text("My own data", exact=True).click()
    before = root.locator("img.nnlib-plot").first.get_attribute("src")
    box = root.locator(".widget-textarea", has_text="CSV text").locator("textarea")
    box.click()
    rows = ["x1,x2,label", "-3,-3,0", "-2,-3,0", "-3,-2,0", "3,3,1", "2,3,1", "3,2,1"]
    page.keyboard.type("\n".join(rows))
    box.press("Tab")  # leave the box so its value is sent to the kernel
    root.locator("button", has_text=re.compile(r"^\s*Load CSV text\s*$")).click()
    status = root.locator(".nnlib-status").first
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "6 point" not in (status.text_content() or ""):
        time.sleep(0.1)
    where = f"{notebook_run.name}, playground"
    assert "training on your 6 point" in (status.text_content() or ""), (
        f"{where}: status after loading CSV text is {status.text_content()!r}"
        + notebook_run.context()
    )
    after = root.locator("img.nnlib-plot").first.get_attribute("src")
    assert after != before, f"{where}: the picture did not change after loading own points"
