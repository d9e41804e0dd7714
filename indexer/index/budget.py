"""The memory and time a single file may cost while it is read, enforced in the reading process.

A hostile or broken file (a decompression bomb, one huge content stream shared
by every page) must cost a bounded amount and then be reported, not take the
machine down. ``within(budget)`` wraps the reading of one file:

- memory: the process's address space is capped (``RLIMIT_AS``) at what it
  uses when the file starts plus the budget, so an allocation past it raises
  MemoryError in the reader instead of swapping the machine;
- time: a real-time alarm (``SIGALRM``) raises :class:`OverBudget` in the
  reading code once the budget has passed, and a CPU-time limit
  (``RLIMIT_CPU``, a few seconds later) ends the process should it be stuck in
  C code that never returns to Python.

The memory cap is set where nothing else shares the process (``limit_memory``:
a worker process, or a caller running no other thread); in a process that
serves other threads it would limit them too. The CPU limit ends the whole
process, so only processes that read one file's worth of work set it
(``limit_cpu``). Linux only for the peak measurement (``/proc/self``);
elsewhere it reads as 0.
"""
from __future__ import annotations

import os
import resource
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

DEFAULT_FILE_MEMORY_MB = 1024
DEFAULT_FILE_SECONDS = 120.0
MEMORY_ENV = "INDEXER_FILE_MEMORY_MB"
SECONDS_ENV = "INDEXER_FILE_SECONDS"
MEMORY_FLAG = "--file-memory-mb"
SECONDS_FLAG = "--file-seconds"
# CPU seconds past the time budget before the process is ended from outside
# Python: the alarm should have stopped the file long before.
CPU_GRACE_SECONDS = 10
_MB = 1 << 20


class BudgetError(ValueError):
    """A budget setting that is not a positive number; the message names it."""


@dataclass(frozen=True)
class FileBudget:
    """What reading one file may cost: memory in MiB (0: no cap) and seconds (0: no limit)."""

    memory_mb: int = DEFAULT_FILE_MEMORY_MB
    seconds: float = DEFAULT_FILE_SECONDS

    @classmethod
    def from_env(cls, environ=None) -> "FileBudget":
        """The budget set by INDEXER_FILE_MEMORY_MB and INDEXER_FILE_SECONDS, else the defaults."""
        environ = os.environ if environ is None else environ
        return cls(
            memory_mb=int(_setting(environ, MEMORY_ENV, DEFAULT_FILE_MEMORY_MB)),
            seconds=_setting(environ, SECONDS_ENV, DEFAULT_FILE_SECONDS),
        )


def _setting(environ, name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not 0 <= value < float("inf"):  # also refuses nan
        raise BudgetError(f"{name}={raw!r} is not a number of {'MiB' if 'MEMORY' in name else 'seconds'} (0 means no limit)")
    return value


class OverBudget(BaseException):
    """Reading a file took longer than its time budget.

    A BaseException, like KeyboardInterrupt, so that no reader's ``except
    Exception`` turns it into a reason about the file's content."""


def memory_reason(budget: FileBudget) -> str:
    """What to say about a file that needed more memory than the budget."""
    return (
        f"over the memory budget of {budget.memory_mb} MiB per file "
        f"(raise {MEMORY_FLAG} or {MEMORY_ENV} to read it)"
    )


def time_reason(budget: FileBudget) -> str:
    """What to say about a file that took longer than the budget."""
    return (
        f"over the time budget of {budget.seconds:g} s per file "
        f"(raise {SECONDS_FLAG} or {SECONDS_ENV} to read it)"
    )


def error_chain(error: BaseException):
    """The error and the errors it was raised from or while handling."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def caused_by_memory(error: BaseException) -> bool:
    """Whether ``error`` comes of a MemoryError (a reader may have wrapped it)."""
    return any(isinstance(e, MemoryError) for e in error_chain(error))


@dataclass
class Usage:
    """What one file cost: the growth of resident memory at its peak, in MiB."""

    peak_mb: float = 0.0


@contextmanager
def within(budget: FileBudget, limit_memory: bool, limit_cpu: bool | None = None) -> Iterator[Usage]:
    """Run the block under ``budget``; raises OverBudget when time runs out (a
    MemoryError comes from the allocation that went past the memory cap).
    ``limit_cpu`` defaults to ``limit_memory``."""
    usage = Usage()
    start_rss = _reset_peak()
    limit_cpu = limit_memory if limit_cpu is None else limit_cpu
    restore_memory = _cap_memory(budget.memory_mb) if limit_memory and budget.memory_mb else None
    restore_cpu = _cap_cpu(budget.seconds) if limit_cpu and budget.seconds else None
    restore_alarm = _alarm(budget.seconds) if budget.seconds else None
    try:
        yield usage
    finally:
        if restore_alarm:
            restore_alarm()
        if restore_cpu:
            restore_cpu()
        if restore_memory:
            restore_memory()
        usage.peak_mb = max(0.0, (_status_kb("VmHWM") - start_rss) / 1024)


def alone_in_process() -> bool:
    """True when no other thread runs here, so capping this process's memory limits only the caller."""
    return threading.active_count() == 1


def _cap_memory(memory_mb: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _status_kb("VmSize") * 1024 + memory_mb * _MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _cap_cpu(seconds: float):
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cap = int(used.ru_utime + used.ru_stime + seconds + CPU_GRACE_SECONDS) + 1
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (cap, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _alarm(seconds: float):
    if threading.current_thread() is not threading.main_thread():
        return None  # signals reach the main thread only: the CPU cap still holds

    def expired(signum, frame):
        raise OverBudget()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)

    def restore():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    return restore


def _reset_peak() -> int:
    """Start a new peak-memory measurement (Linux: clear_refs 5); the resident KiB now."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


def _status_kb(key: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0
