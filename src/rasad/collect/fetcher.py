"""The one HTTP fetcher every collector uses.

Every request, each redirect hop and each robots.txt included, passes the same policy in
this order: scheme (http and https only), SSRF guard (``ssrf.py``), robots.txt
(``robots.py``, when ``settings.respect_robots``), per-host rate limit
(``ratelimit.py``), then a GET whose body is streamed and cut off at
``settings.max_body_bytes``. Redirects are followed here, not by httpx, so that every
hop passes the policy; conditional-GET headers go to every hop, because the ETag a
caller stored came from the final URL.

Every failure is a ``FetchError`` (``FetchRefused`` when policy said no before anything
was sent to that URL) with a one-line message; no httpx exception escapes.

Threads: a Fetcher keeps per-host state (robots.txt cache, rate-limit clocks, cookies)
without locks. Use it from one thread; give each worker thread its own Fetcher (the
rate limit then holds per Fetcher, not per process).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType

import httpx

from rasad.collect.ratelimit import HostRateLimiter
from rasad.collect.robots import RobotsRules
from rasad.collect.ssrf import AddressGuard, BlockedAddress, GuardedTransport, UnresolvableHost
from rasad.config import Settings
from rasad.errors import FetchError, FetchRefused
from rasad.model import FetchResult

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_CRAWL_DELAY = 60.0  # a larger robots.txt Crawl-delay is capped, or one host stalls a run
SCHEMES = ("http", "https")


class HTTPStatusError(FetchError):
    """The server answered with a status that is neither success, redirect nor 304."""

    def __init__(self, status: int, url: str, message: str | None = None) -> None:
        super().__init__(message or f"HTTP {status} from {url}")
        self.status = status
        self.url = url


def parse_content_type(value: str) -> tuple[str, str | None]:
    """(media type in lower case, charset parameter or None) of a Content-Type value."""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, raw = param.partition("=")
        if key.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip() or None
            break
    return media.strip().lower(), charset


class Fetcher:
    """GETs URLs politely and safely; see the module docstring for the policy.

    ``transport`` replaces the guarded network transport (tests use
    ``httpx.MockTransport``); with it, only the DNS-free part of the SSRF guard applies.
    ``clock`` and ``sleep`` drive the rate limit and the robots.txt cache.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._guard = AddressGuard(settings.allow_private)
        self._client = httpx.Client(
            transport=transport if transport is not None else GuardedTransport(self._guard),
            headers={"User-Agent": settings.user_agent},
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            trust_env=False,  # no proxies (they resolve names past the guard), no .netrc
        )
        self._limiter = HostRateLimiter(settings.rate_limit_seconds, clock=clock, sleep=sleep)
        self._robots = RobotsRules(settings.user_agent, self._get_robots_txt, clock=clock)

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``: a result for 2xx and for 304, else a ``FetchError``."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=self.settings.respect_robots)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _get(self, url: str, headers: dict[str, str], *, check_robots: bool) -> FetchResult:
        target = _http_url(url)
        redirects = 0
        while True:
            response = self._send(target, headers, check_robots=check_robots)
            try:
                location = response.headers.get("location", "").strip()
                if response.status_code not in REDIRECT_STATUSES or not location:
                    return self._result(url, target, response)
                if redirects >= self.settings.max_redirects:
                    raise FetchError(
                        f"too many redirects ({self.settings.max_redirects}) fetching {url}")
                redirects += 1
                target = _redirect_target(target, location)
            finally:
                response.close()

    def _send(self, url: httpx.URL, headers: dict[str, str], *, check_robots: bool) -> httpx.Response:
        """One GET through the policy; the response is open for streaming its body."""
        host = url.host
        try:
            self._guard.check_host(host)
        except BlockedAddress as exc:
            raise _refusal(url, exc) from None
        if check_robots:
            self._robots.check(url)
            delay = self._robots.crawl_delay(url)
            if delay:
                self._limiter.set_floor(host, min(delay, MAX_CRAWL_DELAY))
        self._limiter.wait(host)
        with self._errors_as_fetch_errors(url):
            request = self._client.build_request("GET", url, headers=headers)
            return self._client.send(request, stream=True)

    def _result(self, url: str, final: httpx.URL, response: httpx.Response) -> FetchResult:
        fetched_at = datetime.now(UTC)
        status = response.status_code
        if status == 304:
            content = b""
        elif 200 <= status < 300:
            content = self._read_body(final, response)
        elif status in REDIRECT_STATUSES:
            raise HTTPStatusError(status, str(final),
                                  f"HTTP {status} without a Location header from {final}")
        else:
            raise HTTPStatusError(status, str(final))
        content_type, charset = parse_content_type(response.headers.get("content-type", ""))
        return FetchResult(
            url=url,
            final_url=str(final),
            status=status,
            headers=dict(response.headers.items()),
            content=content,
            fetched_at=fetched_at,
            content_type=content_type,
            charset=charset,
            not_modified=status == 304,
        )

    def _read_body(self, url: httpx.URL, response: httpx.Response) -> bytes:
        limit = self.settings.max_body_bytes
        too_large = FetchError(f"response larger than {limit} bytes from {url}")
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        with self._errors_as_fetch_errors(url):
            for chunk in response.iter_bytes():  # decoded: a gzip bomb counts in full
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
        return b"".join(chunks)

    def _get_robots_txt(self, url: str) -> tuple[int, bytes]:
        try:
            result = self._get(url, {}, check_robots=False)
        except HTTPStatusError as exc:
            return exc.status, b""
        return result.status or 200, result.content

    @contextmanager
    def _errors_as_fetch_errors(self, url: httpx.URL) -> Iterator[None]:
        try:
            yield
        except BlockedAddress as exc:
            raise _refusal(url, exc) from None
        except UnresolvableHost as exc:
            raise FetchError(f"{exc} fetching {url}") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out after {self.settings.fetch_timeout:g}s fetching {url}") from exc
        except httpx.ConnectError as exc:
            raise FetchError(
                f"could not connect to {url.netloc.decode('ascii')} fetching {url}: {exc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FetchError(f"could not fetch {url}: {exc or type(exc).__name__}") from exc


def _http_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchRefused(f"refusing to fetch {url!r}: not a valid URL ({exc})") from None
    if parsed.scheme not in SCHEMES:
        raise FetchRefused(f"refusing to fetch {url}: only http and https URLs can be fetched")
    if not parsed.host:
        raise FetchRefused(f"refusing to fetch {url}: the URL has no host")
    return parsed


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = current.join(location)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"bad redirect from {current} to {location!r} ({exc})") from None
    if target.scheme not in SCHEMES:
        raise FetchRefused(f"refusing to follow the redirect from {current} to {location}:"
                           " only http and https URLs can be fetched")
    return _http_url(str(target))


def _refusal(url: httpx.URL, reason: BlockedAddress) -> FetchRefused:
    return FetchRefused(
        f"refusing to fetch {url}: {reason} (allow it with RASAD_ALLOW_PRIVATE)")
