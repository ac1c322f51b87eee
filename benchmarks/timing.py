"""Shared timing helpers: medians of repeated runs, and a plain-text table."""

import time

import numpy as np


def median_seconds(fn, repeats=50, warmup=5, clock=time.perf_counter):
    """Median time of ``fn()`` over ``repeats`` runs after ``warmup`` untimed ones.

    ``clock`` is wall time by default; ``time.process_time`` gives CPU time instead, which
    hardly grows when other programs share the machine's cores.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return float(np.median(times))


def print_table(header, rows):
    """Print rows of strings as aligned columns under ``header``."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
