"""Notebook hygiene, checked without a kernel (the notebooks' cells are run by nbval).

Each ``check_*`` function takes a notebook (nbformat v4 node) and its path and returns a list of
problems in plain words; an empty list means the notebook passes. Every check runs on every
notebook under notebooks/ (solutions included), and ``test_check_rejects_bad_notebook`` shows that
each check rejects a notebook made to break it and accepts the corrected one.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

_spec = importlib.util.spec_from_file_location("navigation", ROOT / "tools" / "navigation.py")
navigation = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("navigation", navigation)
_spec.loader.exec_module(navigation)

WIDGET_MODULES = ("nnlib.widgets", "ipywidgets")
PLOTTING_MODULE = "nnlib.plotting"
PYPLOT_MODULE = "matplotlib.pyplot"
# pyplot calls that start a new figure or draw into the current one
PYPLOT_DRAWING = {
    "figure", "subplots", "subplot", "subplot_mosaic", "plot", "scatter", "imshow", "matshow",
    "hist", "bar", "barh", "contour", "contourf", "pcolormesh", "fill_between", "errorbar",
    "quiver",
}
# nnlib.plotting names that do not make a figure
PLOTTING_NOT_DRAWING = {"show", "class_colors", "PALETTE", "decision_boundary_rgb"}


def all_notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def body_cells(nb):
    """The cells that are not navigation cells."""
    return [c for c in nb.cells if "navigation" not in tags(c)]


def cell_label(nb, cell) -> str:
    """'cell 7 (starts "model = nn.Sequential(")' for messages."""
    index = nb.cells.index(cell)
    first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
    return f'cell {index} (starts "{first}")'


def python_source(source: str) -> str:
    """A code cell's source with IPython-only lines (magics, shell escapes) blanked out."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append("" if stripped.startswith(("%", "!")) or stripped.endswith("?") else line)
    return "\n".join(lines)


def parsed(cell):
    """The cell's AST, or None when it does not parse."""
    try:
        return ast.parse(python_source(cell.source))
    except SyntaxError:
        return None


def dotted(node) -> str | None:
    """'nn.plotting.show' for the expression nn.plotting.show; None for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def top_level_nodes(tree):
    """Every node of ``tree`` outside function, lambda and class bodies (what runs in the cell)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def module_names(nb) -> dict[str, str]:
    """Every name the notebook's imports bind, mapped to the full dotted name it stands for.

    ``import nnlib as nn`` gives {'nn': 'nnlib'}; ``from nnlib.widgets import NeuronExplorer``
    gives {'NeuronExplorer': 'nnlib.widgets.NeuronExplorer'}.
    """
    names: dict[str, str] = {}
    for cell in nb.cells:
        tree = parsed(cell) if cell.cell_type == "code" else None
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        names[root] = root
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def resolved_calls(cell, names: dict[str, str]) -> list[tuple[str, ast.Call]]:
    """The top-level calls of a code cell with their full dotted names ('nnlib.plotting.show')."""
    tree = parsed(cell)
    if tree is None:
        return []
    calls = []
    for node in top_level_nodes(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name is None:
                continue
            head, _, rest = name.partition(".")
            full = names.get(head, head) + (f".{rest}" if rest else "")
            calls.append((full, node))
    return calls


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


def check_valid_nbformat(nb, path: Path) -> list[str]:
    """The file is a valid nbformat 4 notebook."""
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        return [f"not a valid nbformat 4 notebook: {err.message}"]
    if nb.nbformat != 4:
        return [f"nbformat {nb.nbformat}, expected 4"]
    return []


def check_title(nb, path: Path) -> list[str]:
    """The first cell after the navigation cell is markdown with a '# ' title, numbered like
    the file."""
    body = body_cells(nb)
    if not body or body[0].cell_type != "markdown":
        return ["the first cell after the navigation cell should be markdown with a '# ' title"]
    titles = [line for line in body[0].source.splitlines() if line.startswith("# ")]
    if not titles:
        return ["no '# ' title in the first markdown cell after the navigation cell"]
    number = re.match(r"^(\d\d)_", path.name)
    if number and not re.search(rf"\b0?{int(number.group(1))}\b", titles[0]):
        return [f"title {titles[0]!r} does not carry the chapter number {number.group(1)}"]
    return []


def check_outputs_stripped(nb, path: Path) -> list[str]:
    """Code cells store no outputs or execution counts unless tagged keep_output."""
    problems = []
    for cell in code_cells(nb):
        if "keep_output" in tags(cell):
            continue
        if cell.outputs or cell.execution_count is not None:
            problems.append(
                f"{cell_label(nb, cell)} stores outputs or an execution count: clear both "
                "(outputs [] and execution_count null), or tag the cell keep_output if its "
                "output must be kept"
            )
    return problems


_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def _local_target(src: str, path: Path) -> Path | None:
    """The file a relative link points at, or None for anchors, web links and data URIs."""
    if src.startswith(("#", "mailto:", "data:")):
        return None
    target = src.split("#")[0].split("?")[0]
    return (path.parent / target) if target else None


def check_assets(nb, path: Path) -> list[str]:
    """Markdown images and <img> tags have alt text and point at files that exist (no web
    images: the course works offline); local links point at files that exist."""
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = _CODE.sub("", cell.source)
        images = [(m["alt"], m["src"]) for m in _MD_IMAGE.finditer(text)]
        for tag in _HTML_IMG.findall(text):
            attrs = {k.lower(): a or b for k, a, b in _HTML_ATTR.findall(tag)}
            images.append((attrs.get("alt", ""), attrs.get("src", "")))
        for alt, src in images:
            if not alt.strip():
                problems.append(f"{cell_label(nb, cell)}: image {src!r} has no alt text")
            if src.startswith("attachment:"):
                if src[len("attachment:"):] not in cell.get("attachments", {}):
                    problems.append(f"{cell_label(nb, cell)}: missing attachment {src!r}")
            elif re.match(r"^[a-z]+://", src):
                problems.append(
                    f"{cell_label(nb, cell)}: image {src!r} is on the web; put it in assets/"
                )
            elif not src:
                problems.append(f"{cell_label(nb, cell)}: <img> without src")
            else:
                target = _local_target(src, path)
                if target is not None and not target.is_file():
                    problems.append(f"{cell_label(nb, cell)}: image {src!r} does not exist")
        for match in _MD_LINK.finditer(text):
            src = match["src"]
            if re.match(r"^[a-z]+://", src):
                continue
            target = _local_target(src, path)
            if target is not None and not target.exists():
                problems.append(f"{cell_label(nb, cell)}: link {src!r} leads to no file")
    return problems


def check_code_parses(nb, path: Path) -> list[str]:
    """Every code cell is valid Python (IPython magics aside), unless it raises on purpose."""
    return [
        f"{cell_label(nb, cell)} is not valid Python"
        for cell in code_cells(nb)
        if parsed(cell) is None and "raises-exception" not in tags(cell)
    ]


def check_raises_tagged(nb, path: Path) -> list[str]:
    """A cell that raises on purpose (a top-level `raise`, or a stored error) is tagged
    raises-exception, so Run All and nbval go on past it."""
    problems = []
    for cell in code_cells(nb):
        if "raises-exception" in tags(cell):
            continue
        tree = parsed(cell)
        raises = tree is not None and any(isinstance(n, ast.Raise) for n in top_level_nodes(tree))
        errored = any(out.get("output_type") == "error" for out in cell.get("outputs", []))
        if raises or errored:
            problems.append(f"{cell_label(nb, cell)} raises but is not tagged raises-exception")
    return problems


def check_widgets_tagged(nb, path: Path) -> list[str]:
    """A cell that calls into nnlib.widgets or ipywidgets is tagged nbval-ignore-output."""
    names = module_names(nb)
    problems = []
    for cell in code_cells(nb):
        if "nbval-ignore-output" in tags(cell):
            continue
        calls = [name for name, _ in resolved_calls(cell, names)]
        if any(name.startswith(WIDGET_MODULES) or ".widgets." in name for name in calls):
            problems.append(f"{cell_label(nb, cell)} shows a widget: tag it nbval-ignore-output")
    return problems


def _last_code_line(source: str) -> str:
    for line in reversed(source.splitlines()):
        code = line.split("#")[0].rstrip()
        if code:
            return code
    return ""


def check_no_trailing_semicolon(nb, path: Path) -> list[str]:
    """No code cell ends with ';' (nbval runs cells without history, so ';' hides nothing there):
    end plotting cells with a show call instead."""
    return [
        f"{cell_label(nb, cell)} ends with ';': end it with plotting.show(fig, alt=...)"
        for cell in code_cells(nb)
        if _last_code_line(cell.source).endswith(";")
    ]


def _alt_text(call: ast.Call) -> str | None:
    """The alt text passed to plotting.show(fig, alt=...), or None when it is not a literal."""
    args = [kw.value for kw in call.keywords if kw.arg == "alt"] + call.args[1:2]
    for arg in args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        if isinstance(arg, ast.JoinedStr):
            return "f-string"
        return "expression"
    return ""


def check_figures_shown_with_alt(nb, path: Path) -> list[str]:
    """A cell that draws a figure shows it: with nnlib.plotting.show(fig, alt='...') and a
    non-empty alt text, or with plt.show() after a markdown sentence starting 'Figure:'."""
    names = module_names(nb)
    problems = []
    previous_markdown = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            previous_markdown = cell.source
            continue
        if cell.cell_type != "code" or "raises-exception" in tags(cell):
            continue
        calls = resolved_calls(cell, names)
        draws = any(
            (name.startswith(PYPLOT_MODULE + ".") and name.rsplit(".", 1)[1] in PYPLOT_DRAWING)
            or (name.startswith(PLOTTING_MODULE + ".")
                and name.rsplit(".", 1)[1] not in PLOTTING_NOT_DRAWING)
            for name, _ in calls
        )
        alt_shows = [call for name, call in calls if name == f"{PLOTTING_MODULE}.show"]
        plt_shows = [call for name, call in calls if name == f"{PYPLOT_MODULE}.show"]
        for call in alt_shows:
            if not (_alt_text(call) or "").strip():
                problems.append(f"{cell_label(nb, cell)}: plotting.show(...) without alt text")
        if plt_shows and "Figure:" not in previous_markdown:
            problems.append(
                f"{cell_label(nb, cell)} uses plt.show(): use nnlib.plotting.show(fig, alt=...) "
                "or describe the figure in the markdown before it, in a sentence starting 'Figure:'"
            )
        if draws and not (alt_shows or plt_shows):
            problems.append(
                f"{cell_label(nb, cell)} draws a figure but does not show it: end the cell with "
                "nnlib.plotting.show(fig, alt=...)"
            )
    return problems


CHECKS = [
    check_valid_nbformat,
    check_title,
    check_outputs_stripped,
    check_assets,
    check_code_parses,
    check_raises_tagged,
    check_widgets_tagged,
    check_no_trailing_semicolon,
    check_figures_shown_with_alt,
]


# --------------------------------------------------------------------------------------------
# The tests on the course's notebooks
# --------------------------------------------------------------------------------------------


def _id(path: Path) -> str:
    return str(path.relative_to(NOTEBOOKS))


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__[len("check_"):])
@pytest.mark.parametrize("path", all_notebooks(), ids=_id)
def test_notebook_hygiene(path, check):
    nb = nbformat.read(path, as_version=4)
    problems = check(nb, path)
    assert not problems, f"{_id(path)}:\n  " + "\n  ".join(problems)


def test_introduction_notebook_exists():
    assert (NOTEBOOKS / navigation.INTRO).is_file(), "notebooks/00_introduction.ipynb is missing"


def test_navigation_cells_are_current():
    stale = navigation.stale(NOTEBOOKS)
    assert not stale, "\n".join(stale) + "\nRun: .venv/bin/python tools/navigation.py"


# --------------------------------------------------------------------------------------------
# Each check can fail: a notebook made to break it is rejected, the mended one accepted
# --------------------------------------------------------------------------------------------


def _nav():
    return new_markdown_cell("nav", metadata={"tags": ["navigation"]})


def _notebook(*cells):
    return new_notebook(cells=[_nav(), new_markdown_cell("# 00 Title\n\nIntro."), *cells, _nav()])


def _tagged(cell, *names):
    cell.metadata["tags"] = list(names)
    return cell


def _with_output(source):
    cell = new_code_cell(source, execution_count=3)
    cell.outputs = [new_output("stream", name="stdout", text="3\n")]
    return cell


def _invalid():
    nb = _notebook(new_code_cell("x = 1"))
    del nb.cells[2]["source"]
    return nb


def _bad_title():
    nb = _notebook()
    nb.cells[1].source = "## Not a title\n\nIntro."
    return nb


def _wrong_number():
    nb = _notebook()
    nb.cells[1].source = "# 07 Another chapter"
    return nb


BAD_AND_GOOD = {
    "invalid_nbformat": (check_valid_nbformat, _invalid, lambda: _notebook(new_code_cell("x = 1"))),
    "no_title": (check_title, _bad_title, _notebook),
    "title_number": (check_title, _wrong_number, _notebook),
    "stored_output": (
        check_outputs_stripped,
        lambda: _notebook(_with_output("print(3)")),
        lambda: _notebook(_tagged(_with_output("print(3)"), "keep_output")),
    ),
    "missing_image": (
        check_assets,
        lambda: _notebook(new_markdown_cell("![A red square](missing.png)")),
        lambda: _notebook(new_markdown_cell("![A red square](square.png)")),
    ),
    "image_without_alt": (
        check_assets,
        lambda: _notebook(new_markdown_cell('<img src="square.png" width="40">')),
        lambda: _notebook(new_markdown_cell('<img src="square.png" alt="A red square">')),
    ),
    "web_image": (
        check_assets,
        lambda: _notebook(new_markdown_cell("![A square](https://example.org/sq.png)")),
        lambda: _notebook(new_markdown_cell("![A square](square.png)")),
    ),
    "broken_link": (
        check_assets,
        lambda: _notebook(new_markdown_cell("See [chapter 9](09_nowhere.ipynb#Top).")),
        lambda: _notebook(new_markdown_cell("See [the square](square.png#x) and [top](#Top).")),
    ),
    "syntax_error": (
        check_code_parses,
        lambda: _notebook(new_code_cell("def f(:\n    pass")),
        lambda: _notebook(_tagged(new_code_cell("def f(:\n    pass"), "raises-exception")),
    ),
    "untagged_raise": (
        check_raises_tagged,
        lambda: _notebook(new_code_cell("raise ValueError('on purpose')")),
        lambda: _notebook(_tagged(new_code_cell("raise ValueError('x')"), "raises-exception")),
    ),
    "untagged_error_output": (
        check_raises_tagged,
        lambda: _notebook(_tagged(_error_cell(), "keep_output")),
        lambda: _notebook(_tagged(_error_cell(), "keep_output", "raises-exception")),
    ),
    "untagged_widget": (
        check_widgets_tagged,
        lambda: _notebook(new_code_cell("import nnlib as nn"),
                          new_code_cell("nn.widgets.NeuronExplorer(X, y)")),
        lambda: _notebook(new_code_cell("import nnlib as nn"),
                          _tagged(new_code_cell("nn.widgets.NeuronExplorer(X, y)"),
                                  "nbval-ignore-output")),
    ),
    "untagged_imported_widget": (
        check_widgets_tagged,
        lambda: _notebook(new_code_cell("from nnlib.widgets import TrainingView as TV"),
                          new_code_cell("view = TV(model, X, y)\nview")),
        lambda: _notebook(new_code_cell("from nnlib.widgets import TrainingView as TV"),
                          new_code_cell("def later():\n    return TV(model, X, y)")),
    ),
    "trailing_semicolon": (
        check_no_trailing_semicolon,
        lambda: _notebook(new_code_cell("ax.plot(x, y);  # hide the list")),
        lambda: _notebook(new_code_cell("ax.plot(x, y)\nplt.show()")),
    ),
    "figure_not_shown": (
        check_figures_shown_with_alt,
        lambda: _notebook(new_code_cell("import matplotlib.pyplot as plt"),
                          new_code_cell("fig, ax = plt.subplots()\nax.plot([1, 2])")),
        lambda: _notebook(new_code_cell("import matplotlib.pyplot as plt\n"
                                        "from nnlib import plotting"),
                          new_code_cell("fig, ax = plt.subplots()\nax.plot([1, 2])\n"
                                        "plotting.show(fig, alt='A rising line')")),
    ),
    "empty_alt": (
        check_figures_shown_with_alt,
        lambda: _notebook(new_code_cell("import nnlib as nn"),
                          new_code_cell("nn.plotting.show(nn.plotting.loss_curves(h), alt='')")),
        lambda: _notebook(new_code_cell("import nnlib as nn"),
                          new_code_cell("nn.plotting.show(nn.plotting.loss_curves(h), "
                                        "alt=f'Loss over {n} epochs')")),
    ),
    "plt_show_without_figure_sentence": (
        check_figures_shown_with_alt,
        lambda: _notebook(new_code_cell("from matplotlib import pyplot as plt"),
                          new_markdown_cell("A line."),
                          new_code_cell("plt.plot([1, 2])\nplt.show()")),
        lambda: _notebook(new_code_cell("from matplotlib import pyplot as plt"),
                          new_markdown_cell("Figure: a line rising from 1 to 2."),
                          new_code_cell("plt.plot([1, 2])\nplt.show()")),
    ),
}


def _error_cell():
    cell = new_code_cell("1 / 0", execution_count=1)
    cell.outputs = [new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                               traceback=[])]
    return cell


def test_every_check_has_a_bad_notebook():
    covered = {check for check, _, _ in BAD_AND_GOOD.values()}
    assert covered == set(CHECKS)


@pytest.mark.parametrize("case", sorted(BAD_AND_GOOD))
def test_check_rejects_bad_notebook(case, tmp_path):
    check, bad, good = BAD_AND_GOOD[case]
    (tmp_path / "square.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "00_title.ipynb"
    assert check(bad(), path), f"{check.__name__} accepted a notebook with {case}"
    assert check(good(), path) == [], f"{check.__name__} rejected the mended notebook"


def test_navigation_check_rejects_stale_cells(tmp_path):
    folder = tmp_path / "notebooks"
    (folder / "solutions").mkdir(parents=True)
    for name, title in [("00_introduction", "00 Introduction"), ("01_neurons", "01 Neurons")]:
        nb = new_notebook(cells=[new_markdown_cell(f"# {title}"), new_code_cell("x = 1")])
        nbformat.write(nb, folder / f"{name}.ipynb")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 01 Neurons: solutions")]),
                   folder / "solutions" / "01_neurons_solutions.ipynb")
    assert len(navigation.stale(folder)) == 3, "notebooks without navigation cells passed"

    navigation.update(folder)
    assert navigation.stale(folder) == []
    first = nbformat.read(folder / "01_neurons.ipynb", as_version=4)
    assert first.cells[0].source == first.cells[-1].source
    assert "[← 00 Introduction](00_introduction.ipynb)" in first.cells[0].source
    assert first.cells[1].source == "# 01 Neurons", "the tool changed a cell it does not own"

    renamed = nbformat.read(folder / "01_neurons.ipynb", as_version=4)
    renamed.cells[1].source = "# 01 Neurons and layers"
    nbformat.write(renamed, folder / "01_neurons.ipynb")
    assert set(navigation.stale(folder)) == {
        "00_introduction.ipynb: navigation cells are out of date",
        "solutions/01_neurons_solutions.ipynb: navigation cells are out of date",
    }


def test_navigation_rejects_unordered_names(tmp_path):
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Scratch")]), tmp_path / "scratch.ipynb")
    assert any("scratch.ipynb" in line for line in navigation.stale(tmp_path))


def test_navigation_tool_touches_only_navigation_cells(tmp_path):
    kept = _tagged(_with_output("print(3)"), "keep_output")
    stray = new_markdown_cell("old nav in the middle", metadata={"tags": ["navigation"]})
    nb = new_notebook(cells=[new_markdown_cell("# 00 Introduction"), stray, kept,
                             new_markdown_cell("contents", metadata={"tags": ["contents"]})])
    path = tmp_path / "00_introduction.ipynb"
    nbformat.write(nb, path)
    body_ids = [c.id for c in nb.cells if c is not stray]

    navigation.update(tmp_path)
    after = nbformat.read(path, as_version=4)
    assert [c.metadata.get("tags") for c in (after.cells[0], after.cells[-1])] == [
        ["navigation"], ["navigation"]]
    assert sum("navigation" in tags(c) for c in after.cells) == 2, "the stray nav cell stayed"
    assert [c.id for c in after.cells[1:-1]] == body_ids
    assert after.cells[2].outputs == kept.outputs and after.cells[2].execution_count == 3
    assert after.cells[3].source.startswith("## Contents\n")
    assert "[00 Introduction](00_introduction.ipynb)" in after.cells[3].source

    text = path.read_text(encoding="utf-8")
    navigation.update(tmp_path)
    assert path.read_text(encoding="utf-8") == text, "a second run changed the notebook"


def test_readme_chapter_list_is_generated_and_checked(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 00 Introduction")]),
                   folder / "00_introduction.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text(f"# Course\n{navigation.README_START}\nold list\n{navigation.README_END}\n")
    assert "README.md: chapter list out of date" in navigation.stale(folder)
    navigation.update(folder)
    assert navigation.stale(folder) == []
    assert "| [00 Introduction](notebooks/00_introduction.ipynb) | draft:" in readme.read_text()
