"""The output filter strips every code cell except those tagged keep_output."""

import subprocess
import sys
from pathlib import Path

import nbformat

TOOL = Path(__file__).resolve().parents[1] / "tools" / "strip_outputs.py"


def executed_notebook():
    nb = nbformat.v4.new_notebook()
    kept = nbformat.v4.new_code_cell("print(1)", execution_count=1,
                                     outputs=[nbformat.v4.new_output("stream", text="1\n")])
    kept.metadata["tags"] = ["keep_output", "nbval-check-output"]
    plain = nbformat.v4.new_code_cell("print(2)", execution_count=2,
                                      outputs=[nbformat.v4.new_output("stream", text="2\n")])
    plain.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), kept, plain]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_git_filter_keeps_tagged_outputs_and_counts_and_strips_the_rest():
    result = subprocess.run([sys.executable, str(TOOL), "--stdin"], check=True, text=True,
                            input=nbformat.writes(executed_notebook()), capture_output=True)
    nb = nbformat.reads(result.stdout, as_version=4)
    kept, plain = nb.cells[1], nb.cells[2]
    assert kept.execution_count == 1 and kept.outputs[0]["text"] == "1\n"
    assert plain.execution_count is None and plain.outputs == []
    assert "execution" not in plain.metadata and "widgets" not in nb.metadata


def test_stripping_files_in_place_is_idempotent(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(executed_notebook(), path)
    subprocess.run([sys.executable, str(TOOL), str(path)], check=True, capture_output=True)
    once = path.read_text()
    second = subprocess.run([sys.executable, str(TOOL), str(path)], check=True,
                            capture_output=True, text=True)
    assert path.read_text() == once and second.stdout == ""
