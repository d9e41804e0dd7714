"""What a process reading a large index needs of the system: freed arrays kept
in the heap, and enough open files.

A search allocates arrays the size of the index (scores, counts, masks over
every docnum: 1.6 MB each at 200,000 units, 8 MB at a million) and frees them
when it answers. glibc's malloc serves such sizes by mapping fresh pages and
unmaps them on free, so the next request takes a page fault on every 4 KiB it
touches again; on a virtual machine a fault costs microseconds, more than the
arithmetic itself (a 175,000-posting union: 1.0 ms per bincount with faults,
0.3 ms without). Keeping freed memory in the heap up to a bound lets each
request reuse the pages of the last one. Where the C library is not glibc,
nothing changes.

Whoosh keeps about eleven files open per segment, and a bulk build writes a
segment per ten to fifteen thousand units: a million units is some nine
hundred files, twice that while a service switches generations, beyond the
usual soft limit of 1,024.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import resource
import threading

# Allocations below this come from the heap, not from their own mapping
# (glibc's largest allowed threshold on 64-bit: half its 64 MiB heap size).
HEAP_ALLOCATION_LIMIT_BYTES = 32 * 2**20
# Free memory at the top of the heap kept for the next request rather than
# returned to the system: a few requests' arrays at a million units.
KEPT_FREE_BYTES = 128 * 2**20

# mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

_applied = False
_lock = threading.Lock()


def keep_freed_arrays() -> bool:
    """Make freed arrays reusable by the next request (once per process); whether
    the C library took the setting."""
    global _applied
    with _lock:
        if _applied:
            return True
        name = ctypes.util.find_library("c")
        try:
            mallopt = ctypes.CDLL(name).mallopt if name else None
        except (OSError, AttributeError):  # not glibc, or no mallopt
            mallopt = None
        if mallopt is None:
            return False
        _applied = bool(mallopt(_M_MMAP_THRESHOLD, HEAP_ALLOCATION_LIMIT_BYTES)) and \
            bool(mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES))
        return _applied


def allow_open_files(count: int) -> None:
    """Raise the soft limit of open files to at least ``count`` (as far as the hard
    limit allows)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count:
        wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
