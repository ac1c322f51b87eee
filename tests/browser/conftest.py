"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the whole session.

The server runs with throw-away Jupyter config, data, runtime, settings and workspace directories,
so nothing from the user's own setup (extensions, themes, saved layouts, the "Jupyter news"
question) changes what the tests see. Environment variables that change the defaults:

- ``NNLIB_BROWSER_ROOT``: the directory served by JupyterLab and searched for
  ``notebooks/*.ipynb`` and ``notebooks/solutions/*.ipynb`` (default: the repository).
- ``NNLIB_BROWSER_PORT``: a fixed port for JupyterLab (default: a free port picked at run time).
- ``NNLIB_BROWSER_PRESSES``: key presses used to measure slider latency (default 15).
- ``NNLIB_BROWSER_ARTIFACTS``: where screenshots, latency.json and the server log go.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The helpers next to this file are imported by name, whatever pytest's --import-mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from jupyterlab_page import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, served_root  # noqa: E402

SERVER_START_TIMEOUT_S = 90


def free_port() -> int:
    """Ask the operating system for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab: where it is, how to authenticate, where its log goes."""

    url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def api(self, method: str, path: str, timeout: float = 10.0):
        """Call the Jupyter REST API; returns the decoded JSON body (or None when empty)."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method in ("POST", "PATCH", "PUT") else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Delete every session (which shuts its kernel down), then any kernel left over."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    def log_tail(self, n_lines: int = 40) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n_lines:])


def _write_lab_settings(home: Path) -> dict[str, str]:
    """Create the throw-away Jupyter directories; return the environment variables naming them."""
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings", "workspaces")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    (home / "ipython").mkdir(exist_ok=True)
    # Switch off the announcements plugin (the "Jupyter news" question that covers the page)...
    labconfig = dirs["config"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    disabled = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(disabled))
    # ...and, should it come back under another name, answer its question with "never".
    notification = dirs["settings"] / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    answer = {"fetchNews": "false", "checkForUpdates": False}
    (notification / "notification.jupyterlab-settings").write_text(json.dumps(answer))
    return {
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "IPYTHONDIR": str(home / "ipython"),
    }


def _wait_until_answering(server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {server.process.returncode} while starting:\n"
                f"{server.log_tail()}"
            )
        try:
            server.api("GET", "/api/status", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer within {SERVER_START_TIMEOUT_S} s:\n{server.log_tail()}"
    )


def _stop(server: LabServer) -> None:
    """Shut kernels and server down politely; terminate, then kill, the process if it lingers."""
    try:
        server.shutdown_kernels()
        server.api("POST", "/api/shutdown")
        server.process.wait(timeout=15)
    except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
        pass
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots, the latency JSON and the server log go (printed so a human can look).

    ``NNLIB_BROWSER_ARTIFACTS`` or a new ``/tmp/nnlib-browser-*`` directory; not pytest's
    tmp_path, which pytest deletes after three more runs of anyone's tests.
    """
    chosen = os.environ.get("NNLIB_BROWSER_ARTIFACTS")
    path = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="nnlib-browser-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser test artifacts (screenshots, latency.json, jupyterlab.log): {path}")
    return path


@pytest.fixture(scope="session")
def lab_server(artifacts_dir) -> LabServer:
    """One JupyterLab for all browser tests, serving :func:`served_root`."""
    home = Path(tempfile.mkdtemp(prefix="nnlib-browser-jupyter-"))
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
    env.update(_write_lab_settings(home))
    env.update(OPENBLAS_NUM_THREADS="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    port = int(os.environ.get("NNLIB_BROWSER_PORT") or free_port())
    token = secrets.token_hex(24)
    root = served_root()
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run commands and read models
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log_path = artifacts_dir / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: _stop can signal it as a whole
        )  # fmt: skip
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log_path, process)
    try:
        _wait_until_answering(server)
        yield server
    finally:
        _stop(server)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(chromium):
    """One browser context for all notebooks (each gets a new page): JupyterLab's scripts are
    fetched once and then come from the HTTP cache."""
    context = chromium.new_context(viewport=VIEWPORT)
    yield context
    context.close()


#: slider latencies of this session, {notebook: {widget: measurement}}, for the summary below
LATENCIES: dict[str, dict] = {}


@pytest.fixture(scope="session")
def latency_log(artifacts_dir):
    """Collects slider latencies per notebook and widget; rewritten to latency.json after each."""
    results = LATENCIES
    path = artifacts_dir / "latency.json"

    def record(notebook: str, widget: str, measurement: dict) -> None:
        results.setdefault(notebook, {})[widget] = measurement
        path.write_text(json.dumps(results, indent=2))

    record.path = path
    return record


def pytest_terminal_summary(terminalreporter):
    """Print every widget's median key-press-to-new-image time, even under ``-q``."""
    medians = [(m["median_ms"], notebook, widget)
               for notebook, widgets in LATENCIES.items() for widget, m in widgets.items()]
    if not medians:
        return
    terminalreporter.write_sep("-", "browser slider latency: key press to new image (median of 15)")
    for median, notebook, widget in medians:
        terminalreporter.write_line(f"{median:7.1f} ms  {notebook}  {widget}")
    overall = sorted(m for m, _, _ in medians)[len(medians) // 2]
    terminalreporter.write_line(
        f"browser slider latency median: {overall:.1f} ms over {len(medians)} widgets "
        f"(target: at most 100 ms each)"
    )
