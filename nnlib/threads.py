"""Keep numpy's BLAS on one thread.

On our 2-core course machines OpenBLAS's second thread stalls in ~4 ms steps, while the small
matrices of the course run as fast or faster on one thread (see FACTS.md / benchmarks). nnlib
therefore limits BLAS to one thread when it is imported. Set ``NNLIB_BLAS_THREADS`` to another
number (or ``0`` to leave numpy's default) before importing nnlib to change that.
"""

import os


def limit_blas_threads(n=None):
    """Limit BLAS to ``n`` threads (default: ``NNLIB_BLAS_THREADS`` or 1). Returns the limit."""
    if n is None:
        n = int(os.environ.get("NNLIB_BLAS_THREADS", "1"))
    if n <= 0:
        return None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without threadpoolctl numpy keeps its own default
        return None
    threadpool_limits(limits=n, user_api="blas")
    return n
