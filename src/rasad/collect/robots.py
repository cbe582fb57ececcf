"""robots.txt: fetched once per origin (scheme, host, port), kept for a day.

Status conventions (those of ``urllib.robotparser`` and the big crawlers):

* 2xx: parse it (``urllib.robotparser``; Crawl-delay must be a whole number there).
* 401 / 403: the site keeps robots out, so everything is disallowed.
* 429, 5xx, timeouts and network errors: the site is unwell; everything is disallowed
  for now (``FetchError``) and robots.txt is asked again after a minute.
* any other status (404, 410, ...): there are no rules, so everything is allowed.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from rasad.errors import FetchError, FetchRefused

KEEP_SECONDS = 24 * 3600.0  # RFC 9309: a robots.txt may be cached for up to 24 hours
RETRY_SECONDS = 60.0  # after a failure, before asking again

# GET a URL with the fetcher's policy; (final status, body) for any status; raises
# FetchError when no answer came and FetchRefused when policy forbids asking.
RobotsGet = Callable[[str], tuple[int, bytes]]


@dataclass
class _Rules:
    parser: urllib.robotparser.RobotFileParser | None  # None when robots.txt failed
    failure: str
    expires: float


class RobotsRules:
    """Answers "may this user agent fetch this URL?" for every origin it meets."""

    def __init__(
        self,
        user_agent: str,
        get: RobotsGet,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._user_agent = user_agent
        self._get = get
        self._clock = clock
        self._rules: dict[tuple[str, str, int | None], _Rules] = {}

    def check(self, url: httpx.URL) -> None:
        """Raise ``FetchRefused`` if robots.txt disallows ``url``, ``FetchError`` if unknown."""
        rules = self._rules_for(url)
        if rules.parser is None:
            raise FetchError(f"{rules.failure}; treating {url} as disallowed for now")
        if not rules.parser.can_fetch(self._user_agent, str(url)):
            raise FetchRefused(f"robots.txt of {_authority(url)} disallows {url}")

    def crawl_delay(self, url: httpx.URL) -> float | None:
        """The Crawl-delay robots.txt asks of this user agent, if any."""
        rules = self._rules_for(url)
        if rules.parser is None:
            return None
        delay = rules.parser.crawl_delay(self._user_agent)
        return float(delay) if delay else None

    def _rules_for(self, url: httpx.URL) -> _Rules:
        key = (url.scheme, url.host, url.port)
        rules = self._rules.get(key)
        if rules is None or rules.expires <= self._clock():
            rules = self._load(url)
            self._rules[key] = rules
        return rules

    def _load(self, url: httpx.URL) -> _Rules:
        robots_url = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
        try:
            status, body = self._get(robots_url)
        except FetchRefused:
            raise
        except FetchError as exc:
            return self._failed(f"robots.txt of {_authority(url)} could not be fetched ({exc})")
        if status == 429 or status >= 500:
            return self._failed(f"robots.txt of {_authority(url)} answered HTTP {status}")
        parser = urllib.robotparser.RobotFileParser(robots_url)
        if 200 <= status < 300:
            parser.parse(body.decode("utf-8-sig", errors="replace").splitlines())
        elif status in (401, 403):
            parser.disallow_all = True
        else:
            parser.allow_all = True
        return _Rules(parser, "", self._clock() + KEEP_SECONDS)

    def _failed(self, failure: str) -> _Rules:
        return _Rules(None, failure, self._clock() + RETRY_SECONDS)


def _authority(url: httpx.URL) -> str:
    return url.netloc.decode("ascii")
