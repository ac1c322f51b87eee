"""`make html`'s builder executes a notebook and writes a static page a reader can use."""

import importlib.util
import re
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools"
_spec = importlib.util.spec_from_file_location("build_html", TOOLS / "build_html.py")
build_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_html)


def test_course_order_puts_chapters_first_then_solutions():
    names = [p.name for p in build_html.course_notebooks()]
    assert names[0] == "00_introduction.ipynb"
    assert names.index("09_playground.ipynb") < names.index("00_introduction_solutions.ipynb")


def test_a_built_page_has_the_outputs_the_banner_and_html_links(tmp_path):
    written = build_html.build(tmp_path, only=["00_introduction_solutions.ipynb"])
    assert [p.name for p in written] == ["00_introduction_solutions.html"]
    page = written[0].read_text()
    assert "nnlib-static-banner" in page
    assert "✅ Correct" in page, "the executed check's output is missing"
    assert not re.search(r'href="[^"#]+\.ipynb', page), "links still point at .ipynb files"
    index = (tmp_path / "index.html").read_text()
    assert 'href="notebooks/solutions/00_introduction_solutions.html"' in index


def test_widgets_appear_as_pictures_with_alt_text(tmp_path):
    written = build_html.build(tmp_path, only=["appendix_widget_gallery_solutions.ipynb"])
    page = written[0].read_text()
    images = re.findall(r"<img [^>]*>", page)
    assert images and all(re.search(r'alt="[^"]+"', tag) for tag in images)
    assert "application/vnd.jupyter.widget-view+json" not in page
