"""Build a static website of the executed course: `make html` -> _site/index.html.

    .venv/bin/python tools/build_html.py [--out _site] [--only 00_introduction.ipynb ...]

Every chapter, appendix and solutions notebook is executed (as nbval does) and exported with
nbconvert's "lab" template, so a reader without a kernel sees every figure with its alt text.

Widgets: every nnlib widget also offers a PNG of its current picture with alt text, and the
page shows that PNG. Storing the widget state instead would make nbconvert draw the widgets
with JavaScript fetched from a CDN: blank boxes for a reader offline, and controls that look
alive but cannot respond without a kernel. A banner at the top of each page says how to get
the live version. Links between notebooks are rewritten from .ipynb to .html and `assets/` is
copied beside the pages.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from navigation import NOTEBOOKS, collect  # noqa: E402

ROOT = NOTEBOOKS.parent
BANNER = (
    '<div class="nnlib-static-banner" role="note" style="background:#fff3cd;padding:0.6em 1em;'
    'border:1px solid #E69F00;margin:0.5em 0;font-family:sans-serif">'
    "This is a static copy of the course: each widget is shown as a picture of its state after "
    "the run. Open the notebook in JupyterLab (<code>make lab</code>) to move the sliders and "
    "press the buttons.</div>"
)


def course_notebooks(notebooks: Path = NOTEBOOKS) -> list[Path]:
    """Chapters and appendices in reading order, then their solutions."""
    chapters, solution_chapters, _ = collect(notebooks)
    solutions = sorted(solution_chapters)
    return [notebooks / chapter.name for chapter in chapters] + solutions


def execute(path: Path, timeout: int = 300):
    """Run the notebook in its own folder (widgets fall back to their PNG pictures)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def to_html(nb, title: str) -> str:
    """Export an executed notebook as one HTML page with the static-copy banner."""
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = re.sub(r'href="([^"#]+)\.ipynb(#[^"]*)?"',
                  lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + BANNER, body, count=1)


def index_page(pages: list[tuple[str, str]]) -> str:
    """A plain contents page linking every built notebook."""
    items = "\n".join(
        f'<li><a href="{href}">{html.escape(title)}</a></li>' for href, title in pages
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Neural networks from scratch</title></head>\n<body style=\"font-family:sans-serif;"
        "max-width:46em;margin:2em auto\">\n<h1>Neural networks from scratch, in JupyterLab</h1>\n"
        f"<p>A static copy of the executed course.</p>\n<ol>\n{items}\n</ol>\n</body></html>\n"
    )


def build(out: Path, only: list[str] | None = None) -> list[Path]:
    """Execute and export the notebooks into ``out``; return the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    if (ROOT / "assets").is_dir():
        shutil.copytree(ROOT / "assets", out / "assets", dirs_exist_ok=True)
    pages, written = [], []
    for path in course_notebooks():
        relative = path.relative_to(NOTEBOOKS)
        if only and path.name not in only:
            continue
        print(f"building {relative}", flush=True)
        nb = execute(path)
        title = next((line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                      for line in cell.source.splitlines() if line.startswith("# ")), path.stem)
        target = out / "notebooks" / relative.with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_html(nb, title), encoding="utf-8")
        pages.append((str(target.relative_to(out)), title))
        written.append(target)
    (out / "index.html").write_text(index_page(pages), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site")
    parser.add_argument("--only", nargs="*", help="notebook file names to build (default: all)")
    args = parser.parse_args(argv)
    written = build(args.out, args.only)
    print(f"wrote {len(written)} pages and {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
