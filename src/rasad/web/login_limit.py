"""Login rate limiting: at most MAX_FAILURES failed logins per (email, client address)
within WINDOW seconds; further attempts are refused, before any password is checked,
until the oldest failure leaves the window. A successful login clears the count.

The counts live in this process's memory: a restart forgets them, and with several
worker processes each counts on its own (the limit is then per worker). That is enough
to make guessing passwords slow; every failure is also in the audit log.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW = 15 * 60  # seconds
MAX_KEYS = 100_000  # beyond this, keys whose failures all lie outside the window are dropped


class LoginThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, email: str, ip: str) -> int:
        """Seconds until this email may be tried again from this address (0: now)."""
        key, now = (email.strip().lower(), ip), self.clock()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return 0
            return max(1, math.ceil(times[-self.max_failures] + self.window - now))

    def failed(self, email: str, ip: str) -> None:
        key, now = (email.strip().lower(), ip), self.clock()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._forget_old(now)
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times

    def succeeded(self, email: str, ip: str) -> None:
        with self._lock:
            self._failures.pop((email.strip().lower(), ip), None)

    def _forget_old(self, now: float) -> None:
        for key in [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window]:
            del self._failures[key]
