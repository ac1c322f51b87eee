"""Drive one notebook in a JupyterLab page with Playwright, and read back what the page shows.

JupyterLab runs with ``--LabApp.expose_app_in_browser=True`` so ``window.jupyterapp`` exists: the
tests run commands through it and read cell models (outputs, tags, execution counts) from it,
while everything a learner would see (rendered widgets, error text, images) is read from the DOM.

An init script (``INIT_SCRIPT``) installs ``window.__bt`` in the page before JupyterLab loads:
- ``__bt.panel()``: the NotebookPanel of the notebook under test;
- ``__bt.keyAt``: ``performance.now()`` of the last keydown, recorded in the capture phase;
- ``__bt.changes``: every time the ``src`` of an nnlib plot image changes (a MutationObserver),
  ``{t, root}`` with ``root`` the ``data-bt-root`` id of its widget;
- ``__bt.loads``: every ``load`` event of an nnlib plot image (the new picture decoded).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when running as root (CI containers)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
PLOT_IMAGE = "img.nnlib-plot, .nnlib-plot img"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

INIT_SCRIPT = r"""
(() => {
  const PLOT = %(plot)s;
  const isPlot = el => el instanceof HTMLImageElement && el.matches(PLOT);
  const rootOf = el => {
    const root = el.closest('[data-bt-root]');
    return root ? root.dataset.btRoot : null;
  };
  const bt = {
    path: null,
    keyAt: null,
    changes: [],
    loads: [],
    panel() {
      const app = window.jupyterapp;
      if (!app || !this.path) return null;
      for (const widget of app.shell.widgets('main')) {
        if (widget.context && widget.context.path === this.path) return widget;
      }
      return null;
    },
    kernelStatus() {
      const panel = this.panel();
      const session = panel && panel.sessionContext.session;
      return session && session.kernel ? session.kernel.status : null;
    },
  };
  window.__bt = bt;
  document.addEventListener('keydown', () => { bt.keyAt = performance.now(); }, true);
  document.addEventListener('load', event => {
    if (isPlot(event.target)) bt.loads.push({t: performance.now(), root: rootOf(event.target)});
  }, true);
  new MutationObserver(records => {
    const t = performance.now();
    for (const record of records) {
      if (isPlot(record.target)) bt.changes.push({t, root: rootOf(record.target)});
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['src']});
})();
""" % {"plot": json.dumps(PLOT_IMAGE)}  # noqa: UP031 (braces of the JavaScript would clash with format)

# Progress of "Run All Cells": cells still queued or running, code cells never run, error outputs.
RUN_PROGRESS_JS = r"""
() => {
  const panel = __bt.panel();
  let running = 0, unrun = 0, errors = 0;
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    if (cell.model.executionState === 'running' || (prompt && prompt.textContent.includes('*'))) {
      running += 1;
    }
    if (cell.model.sharedModel.getSource().trim() && cell.model.executionCount == null) unrun += 1;
    for (const output of cell.model.outputs.toJSON()) {
      if (output.output_type === 'error') errors += 1;
    }
  }
  return {status: __bt.kernelStatus(), running, unrun, errors};
}
"""

# Widget outputs whose view is neither rendered nor replaced by an error message yet.
UNSETTLED_WIDGETS_JS = r"""
() => {
  let unsettled = 0;
  for (const cell of __bt.panel().content.widgets) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs.toJSON();
    outputs.forEach((output, i) => {
      if (!(output.data && output.data['%(mime)s'])) return;
      const child = cell.outputArea.widgets[i];
      const node = child && child.node.querySelector('.jp-OutputArea-output');
      const done = node && (node.querySelector('.jupyter-widgets')
                            || node.textContent.includes('Error displaying widget'));
      if (!done) unsettled += 1;
    });
  }
  return unsettled;
}
""" % {"mime": WIDGET_MIME}  # noqa: UP031

# One entry per code cell: tags, source, execution count, and each output as model and as DOM.
CELL_REPORT_JS = r"""
() => {
  const report = [];
  __bt.panel().content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs.toJSON().map((output, i) => {
      const child = cell.outputArea.widgets[i];
      const node = child && child.node.querySelector('.jp-OutputArea-output');
      const view = output.data && output.data['%(mime)s'];
      return {
        type: output.output_type,
        ename: output.ename || null,
        evalue: output.evalue || null,
        mimes: Object.keys(output.data || {}),
        widget: !!view,
        domMime: node ? node.getAttribute('data-mime-type') : null,
        rendered: !!(node && node.querySelector('.jupyter-widgets')
                     && !node.textContent.includes('Error displaying widget')),
        text: node ? node.textContent.slice(0, 2000) : '',
      };
    });
    report.push({
      index,
      tags: cell.model.getMetadata('tags') || [],
      source: cell.model.sharedModel.getSource(),
      executionCount: cell.model.executionCount,
      outputs,
    });
  });
  return report;
}
""" % {"mime": WIDGET_MIME}  # noqa: UP031

# Mark every nnlib widget that has a slider (its first slider handle and the widget root that
# holds its plot) with data-bt-handle / data-bt-root ids; return what was found.
# TrainingViews (roots holding an epoch counter) are left out: their sliders need not redraw.
FIND_SLIDER_WIDGETS_JS = r"""
() => {
  const panelNode = __bt.panel().node;
  const cells = Array.from(panelNode.querySelectorAll('.jp-Cell'));
  const roots = new Map();
  for (const handle of panelNode.querySelectorAll('.nnlib-widget .widget-slider .noUi-handle')) {
    let root = handle.closest('.nnlib-widget');
    while (root && !root.querySelector(%(plot)s)) {
      root = root.parentElement && root.parentElement.closest('.nnlib-widget');
    }
    root = root || handle.closest('.nnlib-widget');
    if (root.querySelector('.nnlib-epoch') || roots.has(root)) continue;
    roots.set(root, handle);
  }
  const found = [];
  for (const [root, handle] of roots) {
    const id = String(found.length);
    root.dataset.btRoot = id;
    handle.dataset.btHandle = id;
    const slider = handle.closest('.widget-slider');
    const label = slider.querySelector('.widget-label');
    found.push({
      id,
      cell: cells.indexOf(root.closest('.jp-Cell')),
      slider: label ? label.textContent.trim() : '',
      sliders: root.querySelectorAll('.widget-slider').length,
      plots: root.querySelectorAll(%(plot)s).length,
    });
  }
  return found;
}
""" % {"plot": json.dumps(PLOT_IMAGE)}  # noqa: UP031

# Sliders in widget outputs without an nnlib widget (e.g. plain ipywidgets or interact):
# mark the first handle of each such output with data-bt-other.
FIND_OTHER_SLIDERS_JS = r"""
() => {
  const panelNode = __bt.panel().node;
  const cells = Array.from(panelNode.querySelectorAll('.jp-Cell'));
  const outputs = new Map();
  for (const handle of panelNode.querySelectorAll('.widget-slider .noUi-handle')) {
    if (handle.closest('.nnlib-widget')) continue;
    const output = handle.closest('.jp-OutputArea-output');
    if (output && !outputs.has(output)) outputs.set(output, handle);
  }
  return Array.from(outputs, ([output, handle], i) => {
    handle.dataset.btOther = String(i);
    const label = handle.closest('.widget-slider').querySelector('.widget-label');
    return {id: String(i), cell: cells.indexOf(output.closest('.jp-Cell')),
            slider: label ? label.textContent.trim() : ''};
  });
}
"""

# Press handling for those: watch the whole output (minus the slider itself) for any change.
WATCH_OUTPUT_JS = r"""
(id) => {
  const handle = document.querySelector(`[data-bt-other="${id}"]`);
  const output = handle.closest('.jp-OutputArea-output');
  const slider = handle.closest('.widget-slider');
  window.__btOutputChanged = false;
  if (window.__btOutputObserver) window.__btOutputObserver.disconnect();
  window.__btOutputObserver = new MutationObserver(records => {
    if (records.some(r => !slider.contains(r.target))) window.__btOutputChanged = true;
  });
  window.__btOutputObserver.observe(output, {subtree: true, childList: true, attributes: true,
                                             characterData: true});
  handle.focus();
  return handle.getAttribute('aria-valuetext') || handle.getAttribute('aria-valuenow');
}
"""

FIND_TRAINING_VIEWS_JS = r"""
() => {
  const panelNode = __bt.panel().node;
  const cells = Array.from(panelNode.querySelectorAll('.jp-Cell'));
  return Array.from(panelNode.querySelectorAll('.nnlib-epoch')).map((counter, i) => {
    const root = counter.closest('.nnlib-widget') || counter.parentElement;
    root.dataset.btTraining = String(i);
    counter.dataset.btEpoch = String(i);
    return {id: String(i), cell: cells.indexOf(root.closest('.jp-Cell')),
            text: counter.textContent.trim()};
  });
}
"""


SETTLE_MS = 120  # quiet time (kernel idle, no new picture) between two timed key presses

# Focus a marked slider handle; return its value and how many picture events were seen so far.
PREPARE_PRESS_JS = r"""
(id) => {
  const handle = document.querySelector(`[data-bt-handle="${id}"]`);
  handle.focus();
  // aria-valuenow is rounded to one decimal (a 0.01 step would not show); valuetext is not.
  const value = handle.getAttribute('aria-valuetext') || handle.getAttribute('aria-valuenow');
  return {value, changes: __bt.changes.length, loads: __bt.loads.length};
}
"""

# After the key press: the new value; times keydown -> new src / image loaded (null if none
# within timeoutMs); then wait until the kernel is idle and no picture changed for settleMs.
AWAIT_PICTURE_JS = r"""
async ([id, mark, timeoutMs, settleMs]) => {
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const handle = document.querySelector(`[data-bt-handle="${id}"]`);
  const value = handle.getAttribute('aria-valuetext') || handle.getAttribute('aria-valuenow');
  const result = {value, src: null, load: null};
  if (value === mark.value) return result;
  const keyAt = __bt.keyAt;
  const first = (list, from) => list.slice(from).find(e => e.root === id && e.t >= keyAt);
  const start = performance.now();
  let change = null, load = null;
  while (!change && performance.now() - start < timeoutMs) {
    change = first(__bt.changes, mark.changes);
    if (!change) await sleep(2);
  }
  if (!change) return result;
  result.src = change.t - keyAt;
  const loadStart = performance.now();
  while (!load && performance.now() - loadStart < 2000) {
    load = first(__bt.loads, mark.loads);
    if (!load) await sleep(2);
  }
  result.load = load ? load.t - keyAt : null;
  let seen = __bt.changes.length, quietSince = performance.now();
  const settleStart = performance.now();
  while (performance.now() - settleStart < 10000) {
    await sleep(10);
    if (__bt.changes.length !== seen || __bt.kernelStatus() !== 'idle') {
      seen = __bt.changes.length;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= settleMs) {
      break;
    }
  }
  return result;
}
"""


def served_root() -> Path:
    """The directory JupyterLab serves (``NNLIB_BROWSER_ROOT`` or the repository)."""
    return Path(os.environ.get("NNLIB_BROWSER_ROOT", REPO_ROOT)).resolve()


class LabError(AssertionError):
    """The page did not reach the state a test waits for; the message says which and why."""


@dataclass
class Press:
    """One slider key press: the slider value before/after and the times to the new picture."""

    key: str
    value_before: str | None
    value_after: str | None
    src_ms: float | None  # key press -> new ``src`` on the plot image
    load_ms: float | None  # key press -> the new image decoded (``load`` event)


class LabNotebook:
    """One notebook opened in its own JupyterLab page."""

    def __init__(self, page, server, path: str):
        self.page = page
        self.server = server
        self.path = path  # relative to the server root, with forward slashes
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        page.add_init_script(INIT_SCRIPT + f"\nwindow.__bt.path = {json.dumps(self.path)};")

    def _on_console(self, message) -> None:
        if message.type == "error":  # first line only: the stack traces are minified code
            self.console_errors.append(message.text.strip().splitlines()[0][:300])

    # ----------------------------------------------------------------------------- run the notebook
    def open(self, timeout_s: float = 90) -> None:
        """Open the notebook (``?reset``: no saved layout) and wait until its kernel is idle."""
        url = f"{self.server.url}/lab/tree/{quote(self.path)}?reset&token={self.server.token}"
        self.page.goto(url, wait_until="domcontentloaded")
        deadline = time.monotonic() + timeout_s
        state = None
        while time.monotonic() < deadline:
            state = self.page.evaluate(
                "() => ({app: !!window.jupyterapp, panel: !!(window.__bt && __bt.panel()),"
                " status: window.__bt ? __bt.kernelStatus() : null,"
                " dialog: document.querySelector('.jp-Dialog') ? "
                "document.querySelector('.jp-Dialog').textContent.slice(0, 300) : null})"
            )
            if state["dialog"]:
                # e.g. "Select Kernel" when the notebook names a kernel this server lacks:
                # accept the default choice, as a learner would.
                print(f"\n{self.path}: accepting dialog: {state['dialog']!r}")
                self.page.click(".jp-Dialog .jp-mod-accept")
            elif state["status"] == "idle":
                return
            elif state["status"] in ("dead", "autorestarting"):
                raise LabError(f"{self.path}: kernel is {state['status']} after opening")
            time.sleep(0.2)
        raise LabError(
            f"{self.path}: kernel not idle {timeout_s:.0f} s after opening; last state {state}"
        )

    def run_all(self, timeout_s: float = 180) -> None:
        """Clear outputs, run Run > Run All Cells, and wait until no cell is queued or running.

        Finished means: kernel idle, no ``[*]`` prompt, and every non-empty code cell has an
        execution count (or a cell raised, after which the kernel skips the rest). Then wait
        until every widget output has rendered (or shows its error message).
        """
        self.page.evaluate(
            """async () => {
                const app = window.jupyterapp;
                app.shell.activateById(__bt.panel().id);
                await app.commands.execute('notebook:clear-all-cell-outputs');
                app.commands.execute('notebook:run-all-cells');
            }"""
        )
        deadline = time.monotonic() + timeout_s
        finished_once = False
        progress = None
        while time.monotonic() < deadline:
            time.sleep(0.3)
            progress = self.page.evaluate(RUN_PROGRESS_JS)
            if progress["status"] in ("dead", "autorestarting"):
                raise LabError(f"{self.path}: kernel {progress['status']} during Run All Cells")
            finished = (
                progress["status"] == "idle"
                and progress["running"] == 0
                and (progress["unrun"] == 0 or progress["errors"] > 0)
            )
            if finished and finished_once:  # seen twice in a row: not a gap between two cells
                break
            finished_once = finished
        else:
            raise LabError(
                f"{self.path}: Run All Cells not finished after {timeout_s:.0f} s: {progress}"
            )
        self._wait_widgets_settled()

    def _wait_widgets_settled(self, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while self.page.evaluate(UNSETTLED_WIDGETS_JS) and time.monotonic() < deadline:
            time.sleep(0.2)

    def cell_report(self) -> list[dict]:
        """Per code cell: index, tags, source, executionCount and outputs (see CELL_REPORT_JS)."""
        return self.page.evaluate(CELL_REPORT_JS)

    def kernel_status(self) -> str | None:
        return self.page.evaluate("__bt.kernelStatus()")

    def screenshot(self, path: Path, part_height: int = 6000, max_parts: int = 8) -> list[Path]:
        """Save the whole notebook as tall pictures: ``path``, then ``NAME-2.png``, ... when it is
        longer than one ``part_height`` viewport (side bars closed). Returns the files written."""
        self.page.evaluate(
            """() => {
                window.jupyterapp.shell.collapseLeft();
                window.jupyterapp.shell.collapseRight();
            }"""
        )
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": part_height})
        self.page.wait_for_timeout(500)  # let Lumino lay the panels out again
        # "total" ends at the last cell: JupyterLab pads the end so it can scroll past it.
        scroll_js = """(top) => {
            const notebook = __bt.panel().content;
            const scroller = notebook.node.querySelector('.jp-WindowedPanel-outer')
                || notebook.node;
            scroller.scrollTop = top;
            const cells = notebook.widgets;
            const last = cells.length ? cells[cells.length - 1].node : null;
            const origin = scroller.getBoundingClientRect().top - scroller.scrollTop;
            const total = last ? last.getBoundingClientRect().bottom - origin + 20
                               : scroller.scrollHeight;
            return {top: scroller.scrollTop, view: scroller.clientHeight, total};
        }"""
        paths = []
        state = self.page.evaluate(scroll_js, 0)
        for part in range(1, max_parts + 1):
            self.page.wait_for_timeout(200)  # cells scrolled into view finish drawing
            target = path if part == 1 else path.with_name(f"{path.stem}-{part}{path.suffix}")
            self.page.screenshot(path=str(target))
            paths.append(target)
            # Cells out of view only have estimated heights, so re-read the total each time.
            if state["top"] + state["view"] >= state["total"] - 2:
                break
            state = self.page.evaluate(scroll_js, state["top"] + state["view"])
        self.page.set_viewport_size(VIEWPORT)
        self.page.wait_for_timeout(200)
        return paths

    # ----------------------------------------------------------------------------------- sliders
    def slider_widgets(self) -> list[dict]:
        """nnlib widgets with a slider, marked for the methods below (FIND_SLIDER_WIDGETS_JS)."""
        return self.page.evaluate(FIND_SLIDER_WIDGETS_JS)

    def press_slider(self, widget_id: str, key: str, timeout_s: float = 5.0) -> Press:
        """Focus the widget's first slider handle, press ``key``, wait for its plot to change.

        Returns the times from keydown to the new ``src`` and to the image's ``load`` event
        (None when the picture did not change within ``timeout_s`` or the value did not move).
        Before returning it waits until the kernel is idle and no picture has changed for
        ``SETTLE_MS``, so presses never overlap.
        """
        mark = self.page.evaluate(PREPARE_PRESS_JS, widget_id)
        self.page.keyboard.press(key)
        result = self.page.evaluate(
            AWAIT_PICTURE_JS, [widget_id, mark, timeout_s * 1000, SETTLE_MS]
        )
        return Press(key, mark["value"], result["value"], result["src"], result["load"])

    def other_sliders(self) -> list[dict]:
        """Sliders outside nnlib widgets, one per output (FIND_OTHER_SLIDERS_JS)."""
        return self.page.evaluate(FIND_OTHER_SLIDERS_JS)

    def press_other_slider(self, slider_id: str, key: str, timeout_s: float = 5.0) -> dict:
        """Press ``key`` on such a slider; report whether its value and its output changed."""
        before = self.page.evaluate(WATCH_OUTPUT_JS, slider_id)
        self.page.keyboard.press(key)
        handle = self.page.locator(f'[data-bt-other="{slider_id}"]')
        after = handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow")
        changed = after != before and self._wait_js("window.__btOutputChanged", timeout_s)
        self.page.evaluate("window.__btOutputObserver.disconnect()")
        return {"before": before, "after": after, "output_changed": changed}

    def _wait_js(self, expression: str, timeout_s: float) -> bool:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(expression, timeout=timeout_s * 1000)
            return True
        except PlaywrightTimeout:
            return False

    def measure_slider_latency(self, widget_id: str, presses: int) -> dict:
        """Press arrow keys ``presses`` times (turning round at the slider's ends) and time each.

        Returns ``{"samples_ms", "median_ms", "load_median_ms", "missed"}`` where ``missed`` lists
        presses that moved the slider without a new picture within the time limit.
        """
        key = "ArrowRight"
        samples, loads, missed = [], [], []
        for _ in range(presses):
            press = self.press_slider(widget_id, key)
            if press.value_after == press.value_before:  # at an end of the slider: turn round
                key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
                press = self.press_slider(widget_id, key)
            if press.src_ms is None:
                missed.append(f"{press.key}: {press.value_before} -> {press.value_after}")
                if len(missed) >= 2:  # a broken widget: do not wait 5 s per remaining press
                    break
                continue
            samples.append(round(press.src_ms, 2))
            if press.load_ms is not None:
                loads.append(press.load_ms)
        return {
            "samples_ms": samples,
            "median_ms": statistics.median(samples) if samples else None,
            "load_median_ms": statistics.median(loads) if loads else None,
            "missed": missed,
        }

    # ----------------------------------------------------------------------------- TrainingView
    def training_views(self) -> list[dict]:
        return self.page.evaluate(FIND_TRAINING_VIEWS_JS)

    def epoch(self, view_id: str) -> int | None:
        """The N of "epoch N" in the view's counter (None when the text holds no such number)."""
        text = self.page.locator(f'[data-bt-epoch="{view_id}"]').text_content() or ""
        match = re.search(r"epoch\D{0,3}(\d+)", text, flags=re.IGNORECASE)
        return int(match.group(1)) if match else None

    def click_button(self, view_id: str, name: str) -> None:
        """Click the button reading ``name`` (its icon's glyph is not part of its text)."""
        root = self.page.locator(f'[data-bt-training="{view_id}"]')
        exact = re.compile(rf"^\s*{re.escape(name)}\s*$")
        root.locator("button", has_text=exact).click()

    def wait_epoch_steady(self, view_id: str, steady_s: float = 0.5, timeout_s: float = 5.0):
        """Wait (at most ``timeout_s``) until the kernel is idle and the counter has not changed
        for ``steady_s``; a TrainingView that never stops just uses up the time."""
        deadline = time.monotonic() + timeout_s
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            state = (self.epoch(view_id), self.kernel_status())
            if state != last:
                last, since = state, time.monotonic()
            elif state[1] == "idle" and time.monotonic() - since >= steady_s:
                return
            time.sleep(0.05)

    def wait_epoch_above(self, view_id: str, value: int, timeout_s: float) -> int | None:
        """Poll the counter until it exceeds ``value``; return it, or None after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            epoch = self.epoch(view_id)
            if epoch is not None and epoch > value:
                return epoch
            time.sleep(0.05)
        return None
