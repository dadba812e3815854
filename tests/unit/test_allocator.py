"""The serving process keeps freed arrays for reuse instead of faulting them in again."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

GLIBC = ctypes.util.find_library("c") is not None and hasattr(
    ctypes.CDLL(ctypes.util.find_library("c")), "gnu_get_libc_version")

# Allocates, touches and frees a 48 MiB array (above glibc's largest dynamic mmap threshold,
# so mapped on its own by default), then counts the page faults of doing it again.
REUSE = """
import resource, sys
import numpy as np
if sys.argv[1] == "tuned":
    from concord.allocator import tune_allocator
    assert tune_allocator()
def touch():
    block = np.ones(6 * 1024 * 1024)
    del block
touch()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
touch()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", REUSE, mode], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's; other C libraries are "
                                      "left as they are")
def test_a_freed_large_array_is_reused_without_faulting_its_pages_in_again() -> None:
    default, tuned = _faults("default"), _faults("tuned")

    # By default the pages go back to the kernel and fault in again (4 KiB or huge pages,
    # as the kernel has them); tuned, the heap keeps them.
    assert default > 0 and tuned * 10 < default, (default, tuned)


def test_tuning_reports_whether_it_applied() -> None:
    from concord.allocator import tune_allocator

    assert tune_allocator() is GLIBC
