"""Load the compiled kernels (numba) before the first request needs them.

The XmR batch (signals after each projection batch, the board overview) and the overview's
grid pass run numba kernels, compiled once and cached on disk. Importing numba and loading
that machine code takes about 1.7 s in a fresh process, which the first upload's projection
or the first overview would otherwise wait for. The server warms them on a background thread
as it starts (`run_server`); nothing happens at import.
"""

from __future__ import annotations

import threading

import numpy as np


def warm_compiled_kernels() -> None:
    """Run each compiled kernel once on a tiny input, so numba is imported and the cached
    machine code loaded (or compiled, on a machine without the cache)."""
    from warehouse.analytics.spc_batch_row_sums import screened_range_sums, value_and_range_sums
    from warehouse.queries.overview_values import warm_scatter

    values = np.array([[1.0, 2.0, np.nan]])
    value_and_range_sums(values)
    screened_range_sums(values, np.ones(1), np.zeros(1))
    warm_scatter()


def warm_in_background() -> threading.Thread:
    """Start `warm_compiled_kernels` on a daemon thread (it never delays serving)."""
    thread = threading.Thread(target=warm_compiled_kernels, name="concord-warm-up", daemon=True)
    thread.start()
    return thread
