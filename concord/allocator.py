"""How the server process's C allocator keeps and reuses memory (glibc only).

A board overview allocates and frees some tens of megabytes of numpy arrays per call (the
series matrix, its mask, the values read). glibc hands every block above its mmap threshold
(dynamic, at most 32 MiB) straight back to the kernel when it is freed, and trims the heap's
free top past its trim threshold, so the next call faults the same pages in again, zeroed:
about 7,500 page faults per overview on the bench warehouse. With the thresholds below the
freed blocks stay in the heap and are reused: about 900 faults per call, and the overview's
median 20-35 ms (15-20%) faster in alternating runs of the same process (docs/benchmarks.md,
sixth round). The price is that the process keeps up to TRIM_THRESHOLD of freed memory
instead of returning it at once.

Only the process that serves (run_server) and the benchmark that times what it serves call
this: the setting is the process's, not the domain code's.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

MMAP_THRESHOLD = 64 * 1024 * 1024
"""Blocks at least this large are mapped on their own; below it they come from the heap."""
TRIM_THRESHOLD = 256 * 1024 * 1024
"""Freed memory kept at the top of the heap before it is returned to the kernel."""
M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_THRESHOLD = -3


def tune_allocator() -> bool:
    """Set glibc's mmap and trim thresholds (fixed values also stop glibc adjusting them).

    True when set; False where the C library is not glibc (musl, macOS), which is left as
    it is."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return False
    done = (libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
            and libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
    if not done:
        log.warning("glibc refused the allocator thresholds; left as they were")
    return done
