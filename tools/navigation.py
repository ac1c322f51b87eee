"""Write the navigation cells and the contents list of every course notebook.

    .venv/bin/python tools/navigation.py            # rewrite what is out of date
    .venv/bin/python tools/navigation.py --check    # list stale notebooks, exit 1 if any

Reading order is the file name: ``notebooks/00_*.ipynb`` ... ``09_*.ipynb``, then
``notebooks/appendix_*.ipynb``. Each chapter's first and last cells are markdown cells tagged
``navigation``::

    [← 00 Introduction](00_introduction.ipynb) | [Contents](00_introduction.ipynb#Contents) |
    [02 Weights and biases →](02_weights_and_biases.ipynb)

(all on one line).

A solutions notebook ``notebooks/solutions/NN_name_solutions.ipynb`` gets the same two cells,
linking back to its chapter and to the contents. The contents list is one markdown cell tagged
``contents`` in ``00_introduction.ipynb`` (heading ``## Contents``), built from each chapter's
title: its first ``# `` heading outside the navigation cells.

Only cells tagged ``navigation`` or ``contents`` are touched; a notebook is written only when its
text changes, so other cells, their ids and any stored outputs stay exactly as they were.
(Idea from the Python Data Science Handbook's ``tools/add_navigation.py``.)
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

NAV_TAG = "navigation"
CONTENTS_TAG = "contents"
CONTENTS_HEADING = "Contents"
INTRO = "00_introduction.ipynb"
SOLUTIONS_DIR = "solutions"
SOLUTIONS_SUFFIX = "_solutions"

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

_CHAPTER_NAME = re.compile(r"^\d\d_[A-Za-z0-9_]+\.ipynb$")
_APPENDIX_NAME = re.compile(r"^appendix_[A-Za-z0-9_]+\.ipynb$")


@dataclass(frozen=True)
class Chapter:
    """One chapter notebook: its file name, its title and its solutions file (if any)."""

    name: str
    title: str
    solutions: str | None


def tags(cell) -> list[str]:
    """The cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def is_navigation(cell) -> bool:
    return NAV_TAG in tags(cell)


def notebook_title(nb) -> str | None:
    """The text of the first ``# `` heading in a markdown cell that is not a navigation cell."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or is_navigation(cell):
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return None


def fallback_title(path: Path) -> str:
    """'03_dot_product_and_layers.ipynb' -> '03 Dot product and layers' (used when no title)."""
    words = path.stem.split("_")
    if words[0].isdigit():
        return f"{words[0]} " + " ".join(words[1:]).capitalize()
    return " ".join(words).capitalize()


def read(path: Path):
    """The notebook at ``path`` (nbformat v4); ValueError naming the file if it cannot be read."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:  # invalid JSON or not a notebook at all
        raise ValueError(f"{path}: not a readable notebook ({err})") from err


def text_of(nb) -> str:
    """The file text ``nbformat.write`` would produce for ``nb``."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def chapter_order(notebooks: Path) -> tuple[list[Path], list[str]]:
    """The chapter notebooks in reading order, and problems with names that fit no place."""
    numbered, appendices, problems = [], [], []
    for path in sorted(notebooks.glob("*.ipynb")):
        if _CHAPTER_NAME.match(path.name):
            numbered.append(path)
        elif _APPENDIX_NAME.match(path.name):
            appendices.append(path)
        else:
            problems.append(
                f"{path.name}: not named NN_name.ipynb or appendix_name.ipynb, "
                "so it has no place in the reading order"
            )
    return numbered + appendices, problems


def solution_chapter(path: Path) -> str:
    """'00_introduction_solutions.ipynb' -> '00_introduction.ipynb'."""
    stem = path.stem
    if stem.endswith(SOLUTIONS_SUFFIX):
        stem = stem[: -len(SOLUTIONS_SUFFIX)]
    return stem + ".ipynb"


def collect(notebooks: Path) -> tuple[list[Chapter], dict[Path, str], list[str]]:
    """Chapters in order, each solutions notebook mapped to its chapter's name, and problems."""
    paths, problems = chapter_order(notebooks)
    solution_paths = sorted((notebooks / SOLUTIONS_DIR).glob("*.ipynb"))
    solutions_of: dict[str, str] = {}
    solution_chapters: dict[Path, str] = {}
    names = {p.name for p in paths}
    for sol in solution_paths:
        chapter = solution_chapter(sol)
        if chapter not in names:
            problems.append(
                f"{SOLUTIONS_DIR}/{sol.name}: expected a chapter notebook {chapter} beside "
                f"{SOLUTIONS_DIR}/ (solutions are named NN_name{SOLUTIONS_SUFFIX}.ipynb)"
            )
            continue
        solutions_of[chapter] = sol.name
        solution_chapters[sol] = chapter
    chapters = []
    for path in paths:
        title = notebook_title(read(path)) or fallback_title(path)
        chapters.append(Chapter(path.name, title, solutions_of.get(path.name)))
    return chapters, solution_chapters, problems


def chapter_nav(chapters: list[Chapter], index: int) -> str:
    """The navigation line of chapter ``index`` (links relative to notebooks/)."""
    here = chapters[index]
    contents = f"#{CONTENTS_HEADING}" if here.name == INTRO else f"{INTRO}#{CONTENTS_HEADING}"
    parts = []
    if index > 0:
        prev = chapters[index - 1]
        parts.append(f"[← {prev.title}]({prev.name})")
    parts.append(f"[Contents]({contents})")
    if index + 1 < len(chapters):
        nxt = chapters[index + 1]
        parts.append(f"[{nxt.title} →]({nxt.name})")
    return " | ".join(parts)


def solutions_nav(chapter: Chapter) -> str:
    """The navigation line of a solutions notebook (links relative to notebooks/solutions/)."""
    return (
        f"[← back to {chapter.title}](../{chapter.name}) | "
        f"[Contents](../{INTRO}#{CONTENTS_HEADING})"
    )


def contents_markdown(chapters: list[Chapter]) -> str:
    """The contents cell: one line per chapter, with a link to its solutions when they exist."""
    lines = [
        f"## {CONTENTS_HEADING}",
        "",
        "*This list is written by `tools/navigation.py` from each chapter's title; "
        "do not edit it by hand.*",
        "",
    ]
    for chapter in chapters:
        line = f"- [{chapter.title}]({chapter.name})"
        if chapter.solutions:
            line += f" — [solutions]({SOLUTIONS_DIR}/{chapter.solutions})"
        lines.append(line)
    return "\n".join(lines)


README_START = "<!-- chapters:start (generated by tools/navigation.py; do not edit by hand) -->"
README_END = "<!-- chapters:end -->"


def readme_table(chapters: list[Chapter]) -> str:
    """README's chapter list: a Markdown table linking each notebook, with its status."""
    rows = ["| Chapter | Status |", "|---------|--------|"]
    for chapter in chapters:
        status = "ready: exercises with checks, " if chapter.solutions else "draft: "
        status += (f"[solutions](notebooks/{SOLUTIONS_DIR}/{chapter.solutions})"
                   if chapter.solutions else "no solutions yet")
        rows.append(f"| [{chapter.title}](notebooks/{chapter.name}) | {status} |")
    return "\n".join(rows)


def with_readme_table(text: str, table: str) -> str:
    """README text with the part between the chapter markers replaced by ``table``."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {README_START!r} ... {README_END!r}")
    return text[: start + len(README_START)] + "\n" + table + "\n" + text[end:]


def _nav_cell(source: str, old=None):
    """A navigation cell with ``source``, reusing ``old``'s id and metadata when given."""
    cell = nbformat.v4.new_markdown_cell(source)
    if old is not None:
        cell.id = old.get("id", cell.id)
        cell.metadata = old.metadata
    tag_list = cell.metadata.setdefault("tags", [])
    if NAV_TAG not in tag_list:
        tag_list.append(NAV_TAG)
    return cell


def with_navigation(nb, source: str):
    """Return ``nb`` with navigation cells exactly at its start and end (and nowhere else)."""
    old_nav = [c for c in nb.cells if is_navigation(c)]
    body = [c for c in nb.cells if not is_navigation(c)]
    first_old = nb.cells[0] if nb.cells and is_navigation(nb.cells[0]) else None
    last_old = nb.cells[-1] if len(nb.cells) > 1 and is_navigation(nb.cells[-1]) else None
    if last_old is None and len(old_nav) > 1 and old_nav[-1] is not first_old:
        last_old = old_nav[-1]
    nb.cells = [_nav_cell(source, first_old), *body, _nav_cell(source, last_old)]
    return nb


def with_contents(nb, source: str):
    """Return ``nb`` with its ``contents`` cell set to ``source`` (added at the end if missing)."""
    for cell in nb.cells:
        if CONTENTS_TAG in tags(cell):
            cell.source = source
            return nb
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": [CONTENTS_TAG]})
    at = len(nb.cells) - 1 if nb.cells and is_navigation(nb.cells[-1]) else len(nb.cells)
    nb.cells.insert(at, cell)
    return nb


def planned(notebooks: Path) -> tuple[dict[Path, str], list[str]]:
    """The text every notebook should have (``{path: json text}``) and problems found."""
    chapters, solution_chapters, problems = collect(notebooks)
    by_name = {c.name: c for c in chapters}
    texts: dict[Path, str] = {}
    for index, chapter in enumerate(chapters):
        path = notebooks / chapter.name
        nb = with_navigation(read(path), chapter_nav(chapters, index))
        if chapter.name == INTRO:
            nb = with_contents(nb, contents_markdown(chapters))
        texts[path] = text_of(nb)
    for path, chapter_name in solution_chapters.items():
        nb = with_navigation(read(path), solutions_nav(by_name[chapter_name]))
        texts[path] = text_of(nb)
    if chapters and INTRO not in by_name:
        problems.append(f"{INTRO} is missing, so the Contents links lead nowhere")
    readme = notebooks.parent / "README.md"
    if readme.exists():
        current = readme.read_text(encoding="utf-8")
        texts[readme] = with_readme_table(current, readme_table(chapters))
    return texts, problems


def stale(notebooks: Path = NOTEBOOKS) -> list[str]:
    """Notebooks whose navigation or contents cells are out of date, and naming problems.

    Returns a list of human-readable lines; an empty list means everything is current.
    """
    texts, problems = planned(notebooks)
    out = [
        f"{path.name}: chapter list out of date" if path.suffix == ".md"
        else f"{path.relative_to(notebooks)}: navigation cells are out of date"
        for path, text in texts.items()
        if path.read_text(encoding="utf-8") != text
    ]
    return out + problems


def update(notebooks: Path = NOTEBOOKS) -> tuple[list[Path], list[str]]:
    """Rewrite every notebook whose navigation is stale; return (written paths, problems)."""
    texts, problems = planned(notebooks)
    written = []
    for path, text in texts.items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if any notebook is stale"
    )
    parser.add_argument(
        "--notebooks", type=Path, default=NOTEBOOKS, help="the notebooks folder"
    )
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except ValueError as err:
        print(f"problem: {err}", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.check:
        lines = stale(args.notebooks)
        for line in lines:
            print(line)
        if lines:
            print("Run: .venv/bin/python tools/navigation.py")
        return 1 if lines else 0
    written, problems = update(args.notebooks)
    for path in written:
        print(f"wrote {path.relative_to(args.notebooks.parent)}")
    for line in problems:
        print(f"problem: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
