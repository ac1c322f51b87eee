"""Strip notebook outputs, keeping those of cells tagged ``keep_output``.

    python tools/strip_outputs.py notebooks/*.ipynb     # strip files in place
    python tools/strip_outputs.py --stdin               # git clean filter: stdin -> stdout

A cell tagged ``keep_output`` keeps its outputs *and* its execution count (nbval needs both to
compare a stored output); every other code cell loses both. Timing metadata and the notebook's
saved widget state are dropped, since they change on every run. The Makefile installs this as
the git filter ``nbstrip`` (see .gitattributes), so outputs never reach a commit by accident.
"""

from __future__ import annotations

import argparse
import sys

import nbformat

KEEP_TAG = "keep_output"
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip(nb):
    """Remove outputs and counts from every code cell not tagged ``keep_output``."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code" or KEEP_TAG in cell.metadata.get("tags", []):
            continue
        cell.outputs = []
        cell.execution_count = None
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks to strip in place")
    parser.add_argument("--stdin", action="store_true", help="filter stdin to stdout (git)")
    args = parser.parse_args(argv)
    if args.stdin:
        nb = strip(nbformat.read(sys.stdin, as_version=4))
        sys.stdout.write(nbformat.writes(nb) + "\n")
        return 0
    for path in args.paths:
        original = open(path, encoding="utf-8").read()
        stripped = nbformat.writes(strip(nbformat.reads(original, as_version=4))) + "\n"
        if stripped != original:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(stripped)
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
