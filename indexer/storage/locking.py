"""One writer at a time: an exclusive lock on ``INDEX_DIR/LOCK``.

The lock is an ``fcntl.flock`` on the file, so the kernel releases it when the
process ends, however it ends: a killed build never leaves a lock that blocks
the next one. The file records who holds it ("pid start-time"), so a second
build can say who it is waiting for, and fails at once instead of hanging.

The file itself is never deleted (deleting a flock'd file lets two processes
lock two different files of the same name). Worker processes must not inherit
the descriptor (they would keep the lock alive after the parent is killed):
build.py starts them with the forkserver or spawn method, never fork.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK_FILE = "LOCK"


class IndexBusy(Exception):
    """Another process is updating the index."""

    def __init__(self, pid: int | None, since: float | None):
        self.pid = pid
        self.since = since
        if pid is None:
            message = "index is being updated by another process"
        else:
            message = f"index is being updated by process {pid}"
        if since is not None:
            message += f" since {time.strftime('%H:%M', time.localtime(since))}"
        super().__init__(message)


@contextmanager
def writer_lock(index_dir: str | os.PathLike) -> Iterator[None]:
    """Hold the index's writer lock for the block; raise IndexBusy at once if taken."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(*_holder(descriptor)) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()} {time.time():.3f}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # releases the lock


def lock_holder(index_dir: str | os.PathLike) -> tuple[int | None, float | None] | None:
    """(pid, start time) of the process updating the index, or None when nobody is."""
    path = Path(index_dir) / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(descriptor)
        return None
    finally:
        os.close(descriptor)


def _holder(descriptor: int) -> tuple[int | None, float | None]:
    # The holder writes its line just after taking the lock: give it a moment.
    for _ in range(20):
        parts = os.pread(descriptor, 100, 0).decode(errors="replace").split()
        if len(parts) == 2:
            try:
                return int(parts[0]), float(parts[1])
            except ValueError:
                break
        time.sleep(0.01)
    return None, None
