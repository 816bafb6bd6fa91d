"""A progress bar on stderr for long imports: redrawn in place on a terminal, a line every few
seconds in a log. Counts only, never a subject or an address."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Bar:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30):
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._last = 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= (0.1 if self.tty else 5.0):
            self._last = now
            self._draw(now)

    def finish(self) -> None:
        self._draw(time.monotonic(), final=True)

    def _draw(self, now: float, final: bool = False) -> None:
        elapsed = max(now - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        filled = int(self.width * min(share, 1.0))
        bar = "#" * filled + "." * (self.width - filled)
        text = (
            f"{self.label} [{bar}] {int(share * 100):3d} % {self.done}/{self.total} "
            f"({self.done / elapsed:.0f}/s)"
        )
        if self.tty:
            self.stream.write("\r" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
