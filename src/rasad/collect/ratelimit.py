"""Per-host politeness: a minimum interval between the starts of two requests to a host."""

from __future__ import annotations

import time
from collections.abc import Callable


class HostRateLimiter:
    """Spaces request starts per host by sleeping.

    The clock and the sleep are injectable so tests can check the spacing without
    waiting. Not thread-safe: it belongs to one ``Fetcher``, which belongs to one thread.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = max(interval, 0.0)
        self._clock = clock
        self._sleep = sleep
        self._floors: dict[str, float] = {}
        self._last_start: dict[str, float] = {}

    def set_floor(self, host: str, seconds: float) -> None:
        """Make ``host``'s interval at least ``seconds`` (e.g. its robots.txt Crawl-delay)."""
        self._floors[host.lower()] = seconds

    def interval(self, host: str) -> float:
        return max(self._interval, self._floors.get(host.lower(), 0.0))

    def wait(self, host: str) -> None:
        """Sleep until a request to ``host`` may start, and count it as started."""
        key = host.lower()
        now = self._clock()
        last = self._last_start.get(key)
        start = now if last is None else max(now, last + self.interval(key))
        if start > now:
            self._sleep(start - now)
        self._last_start[key] = start
