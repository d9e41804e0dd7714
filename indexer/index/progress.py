"""How a build tells its caller what it is doing, and two ways to show it.

The library (build.py) calls a ``progress`` callable with ``ProgressEvent``
values and prints nothing itself. The CLI passes ``TerminalProgress`` (a tqdm
bar: files done/total, pages/s, ETA) when stderr is a terminal and
``LineProgress`` (one plain line per file) when it is not.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class ProgressEvent:
    """One thing a build reports while it runs."""

    kind: str  # "note" (a message), "start" (total known), "file" (one file done)
    message: str = ""
    done: int = 0
    total: int = 0
    path: str = ""
    outcome: str = ""  # added | updated | unchanged | failed
    pages: int = 0
    reason: str = ""  # why a file failed


class LineProgress:
    """Plain log lines, for logs and pipes."""

    def __init__(self, stream: TextIO | None = None, display=str):
        self.stream = stream or sys.stderr
        self.display = display  # text with paths -> text shown (e.g. paths made relative)
        self.started = time.monotonic()
        self.pages = 0

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "note":
            line = self.display(event.message)
        elif event.kind == "start":
            self.started = time.monotonic()
            line = f"{event.total} file(s) to read"
        else:
            self.pages += event.pages
            width = len(str(event.total))
            line = f"[{event.done:>{width}}/{event.total}] {event.outcome} {self.display(event.path)}"
            if event.pages:
                line += f" ({event.pages} pages)"
            if event.reason:
                line += f": {self.display(event.reason)}"
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        pass


class TerminalProgress:
    """A tqdm bar on stderr: files done of total, pages per second, ETA."""

    def __init__(self, stream: TextIO | None = None, display=str):
        self.stream = stream or sys.stderr
        self.display = display
        self.bar = None
        self.pages = 0
        self.started = time.monotonic()

    def __call__(self, event: ProgressEvent) -> None:
        from tqdm import tqdm

        if event.kind == "note":
            (self.bar.write if self.bar else print)(self.display(event.message), file=self.stream)
        elif event.kind == "start":
            self.started = time.monotonic()
            self.bar = tqdm(total=event.total, unit="file", file=self.stream, dynamic_ncols=True)
        elif self.bar is not None:
            self.pages += event.pages
            if event.outcome == "failed":
                self.bar.write(f"failed: {self.display(event.path)}: {self.display(event.reason)}",
                               file=self.stream)
            rate = self.pages / max(time.monotonic() - self.started, 1e-6)
            self.bar.set_postfix_str(f"{rate:.1f} pages/s", refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
