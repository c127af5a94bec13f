"""Handing freed memory back to the system between the steps of a large evaluation or read.

A 5 M-row studio's findings take a few hundred MB at each step, and both allocators involved keep what was freed for
reuse: Arrow's (pandas keeps text in Arrow buffers) and glibc's malloc (the Python objects: dates, strings). Without
returning it, each step starts where the last peaked, and a process that evaluates and then reads crosses 1 GB.
"""

from __future__ import annotations

import ctypes

import pyarrow as pa

try:  # glibc only (Linux); elsewhere the allocator's own policy applies
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
    _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):
    _LIBC = None


def hand_back_memory() -> None:
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
