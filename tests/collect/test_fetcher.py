"""The fetcher against real HTTP servers on 127.0.0.1 (http.server in a thread).

Name resolution for made-up host names (``*.test``) and outgoing connections are
intercepted at the socket module so that no test touches the real network and the SSRF
guard's resolve-check-connect order can be observed.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from rasad.collect import ssrf
from rasad.collect.fetcher import Fetcher, HTTPStatusError, parse_content_type
from rasad.config import Settings
from rasad.errors import ConfigError, FetchError, FetchRefused

pytestmark = pytest.mark.network

HUGE = 50 * 1024 * 1024  # what the oversized responses would send if read to the end


# --- a local HTTP server ------------------------------------------------------------


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]


Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[SeenRequest] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    sent: dict[str, int] = field(default_factory=dict)  # body bytes written, by path
    done: dict[str, threading.Event] = field(default_factory=dict)
    port: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def authority(self) -> str:
        return f"127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else keep-alive requests wait ~40 ms for delayed ACKs

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        state: LocalServer = self.server.state  # type: ignore[attr-defined]
        state.requests.append(SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = state.routes.get(self.path.split("?")[0])
        if route is None:
            send(self, 404, b"not found")
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    headers = headers or {}
    for name, value in headers.items():
        handler.send_header(name, value)
    if "Content-Length" not in headers:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def redirect(location: str, status: int = 302) -> Route:
    return lambda handler: send(handler, status, headers={"Location": location})


def text(body: str, content_type: str = "text/plain; charset=utf-8") -> Route:
    return lambda handler: send(handler, 200, body.encode("utf-8"), {"Content-Type": content_type})


@pytest.fixture
def server() -> Iterator[LocalServer]:
    state = LocalServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.state = state  # type: ignore[attr-defined]
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()


# --- the network, observed -----------------------------------------------------------


@dataclass
class Network:
    """Fake DNS for ``*.test`` names, and a log of every lookup and connection attempt."""

    names: dict[str, list[list[str]]] = field(default_factory=dict)  # answers, in turn
    lookups: list[str] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)

    def answer(self, name: str, *addresses: str) -> None:
        self.names.setdefault(name, []).append(list(addresses))


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network()
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        net.lookups.append(host)
        answers = net.names.get(host)
        if answers is None:
            if str(host).endswith(".test"):
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real_getaddrinfo(host, port, *args, **kwargs)
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM,
                 socket.IPPROTO_TCP, "", (a, port, 0, 0) if ":" in a else (a, port))
                for a in addresses]

    def create_connection(address, *args, **kwargs):
        net.connections.append((address[0], address[1]))
        if address[0] not in ("127.0.0.1", "::1"):
            raise ConnectionRefusedError(111, "Connection refused (the tests stay off the network)")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return net


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "allow_private": ("127.0.0.1",), "rate_limit_seconds": 0.0, "respect_robots": False,
        "fetch_timeout": 2.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(make_settings()) as f:
        yield f


# --- successful fetches ----------------------------------------------------------------


DARI = "طالبان اعلام کردند که ..."


def test_ok_response_gives_raw_body_headers_and_metadata(server: LocalServer, fetcher: Fetcher):
    body = f"<html><body>{DARI}</body></html>".encode()
    server.routes["/page"] = lambda h: send(h, 200, body, {
        "Content-Type": "text/html; charset=UTF-8", "ETag": '"v1"',
        "Last-Modified": "Wed, 07 Feb 2024 10:00:00 GMT", "X-Custom": "yes"})
    before = datetime.now(UTC)

    result = fetcher.fetch(server.url("/page"))

    assert result.content == body
    assert result.status == 200
    assert result.url == result.final_url == server.url("/page")
    assert result.content_type == "text/html"
    assert result.charset == "UTF-8"
    assert result.not_modified is False
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 07 Feb 2024 10:00:00 GMT"
    assert result.headers["x-custom"] == "yes"
    assert result.headers["content-length"] == str(len(body))
    assert all(key == key.lower() for key in result.headers)
    assert type(result.headers) is dict
    assert result.fetched_at.tzinfo is not None
    assert result.fetched_at.utcoffset() == timedelta(0)
    assert before <= result.fetched_at <= datetime.now(UTC)
    seen = server.requests[0].headers
    assert seen["user-agent"] == Settings().user_agent
    assert "if-none-match" not in seen and "if-modified-since" not in seen


@pytest.mark.parametrize(("header", "media_type", "charset"), [
    ('text/html; charset="windows-1256"', "text/html", "windows-1256"),
    ("Application/RSS+XML;Charset=ISO-8859-6", "application/rss+xml", "ISO-8859-6"),
    ("text/xml; format=flowed; charset=utf-8", "text/xml", "utf-8"),
    ("application/json", "application/json", None),
    ("text/plain; charset=", "text/plain", None),
    (None, "", None),
])
def test_content_type_and_charset_are_parsed(server: LocalServer, fetcher: Fetcher,
                                             header: str | None, media_type: str,
                                             charset: str | None):
    headers = {"Content-Type": header} if header else {}
    server.routes["/typed"] = lambda h: send(h, 200, b"x", headers)

    result = fetcher.fetch(server.url("/typed"))

    assert (result.content_type, result.charset) == (media_type, charset)
    assert parse_content_type(header or "") == (media_type, charset)


def test_gzip_content_encoding_is_decoded(server: LocalServer, fetcher: Fetcher):
    raw = DARI.encode() * 50
    server.routes["/gz"] = lambda h: send(h, 200, gzip.compress(raw), {"Content-Encoding": "gzip"})

    assert fetcher.fetch(server.url("/gz")).content == raw


# --- conditional GET ---------------------------------------------------------------


def _conditional(header: str, expected: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get(header) == expected:
            send(handler, 304, headers={"ETag": '"v7"'})
        else:
            send(handler, 200, b"fresh", {"ETag": '"v7"', "Content-Type": "text/plain"})
    return route


def test_etag_is_sent_as_if_none_match_and_304_is_not_modified(server: LocalServer,
                                                               fetcher: Fetcher):
    server.routes["/feed"] = _conditional("If-None-Match", '"v7"')

    cached = fetcher.fetch(server.url("/feed"), etag='"v7"')
    changed = fetcher.fetch(server.url("/feed"), etag='"v6"')

    assert cached.not_modified is True
    assert cached.status == 304
    assert cached.content == b""
    assert cached.etag == '"v7"'
    assert changed.not_modified is False
    assert changed.content == b"fresh"
    assert server.requests[0].headers["if-none-match"] == '"v7"'


def test_last_modified_is_sent_as_if_modified_since(server: LocalServer, fetcher: Fetcher):
    stamp = "Thu, 08 Feb 2024 06:30:00 GMT"
    server.routes["/feed"] = _conditional("If-Modified-Since", stamp)

    cached = fetcher.fetch(server.url("/feed"), last_modified=stamp)
    plain = fetcher.fetch(server.url("/feed"))

    assert cached.not_modified is True
    assert cached.content == b""
    assert plain.status == 200
    assert plain.content == b"fresh"
    assert "if-modified-since" not in server.requests[1].headers


def test_conditional_headers_reach_the_final_url_of_a_redirect(server: LocalServer,
                                                               fetcher: Fetcher):
    server.routes["/old-feed"] = redirect("/feed", 301)
    server.routes["/feed"] = _conditional("If-None-Match", '"v7"')

    result = fetcher.fetch(server.url("/old-feed"), etag='"v7"')

    assert result.not_modified is True
    assert result.final_url == server.url("/feed")


# --- HTTP and network failures -------------------------------------------------------


@pytest.mark.parametrize("status", [500, 404, 410])
def test_error_status_raises_with_status(server: LocalServer, fetcher: Fetcher, status: int):
    server.routes["/broken"] = lambda h: send(h, status, b"oops")

    with pytest.raises(HTTPStatusError) as info:
        fetcher.fetch(server.url("/broken"))

    assert info.value.status == status
    assert str(info.value) == f"HTTP {status} from {server.url('/broken')}"
    assert isinstance(info.value, FetchError)


def test_redirect_without_location_is_an_error(server: LocalServer, fetcher: Fetcher):
    server.routes["/nowhere"] = lambda h: send(h, 302)

    with pytest.raises(HTTPStatusError) as info:
        fetcher.fetch(server.url("/nowhere"))

    assert info.value.status == 302
    assert str(info.value) == f"HTTP 302 without a Location header from {server.url('/nowhere')}"


@pytest.mark.timeout(5)
def test_hanging_server_times_out_quickly(server: LocalServer):
    def hang(handler: BaseHTTPRequestHandler) -> None:
        server.stop.wait(5)
    server.routes["/slow"] = hang
    started = time.monotonic()

    with Fetcher(make_settings(fetch_timeout=0.5)) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/slow"))

    assert time.monotonic() - started < 2
    assert str(info.value) == f"timed out after 0.5s fetching {server.url('/slow')}"


def test_connection_refused_is_a_fetch_error(fetcher: Fetcher):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there

    with pytest.raises(FetchError) as info:
        fetcher.fetch(f"http://127.0.0.1:{port}/")

    assert str(info.value).startswith(
        f"could not connect to 127.0.0.1:{port} fetching http://127.0.0.1:{port}/: ")
    assert "refused" in str(info.value).lower()


def test_unresolvable_name_is_a_fetch_error(network: Network, fetcher: Fetcher):
    with pytest.raises(FetchError) as info:
        fetcher.fetch("http://no-such-host.test/feed")

    assert not isinstance(info.value, FetchRefused)
    assert str(info.value) == ("could not resolve no-such-host.test (Name or service not known)"
                               " fetching http://no-such-host.test/feed")
    assert network.connections == []


# --- redirects -------------------------------------------------------------------------


def test_redirect_chain_is_followed_with_relative_and_absolute_locations(server: LocalServer,
                                                                         fetcher: Fetcher):
    server.routes["/r1"] = redirect("/r2")
    server.routes["/r2"] = redirect(server.url("/dir/r3"), 301)
    server.routes["/dir/r3"] = redirect("final?x=1", 307)
    server.routes["/dir/final"] = text(DARI)

    result = fetcher.fetch(server.url("/r1"))

    assert result.content == DARI.encode()
    assert result.url == server.url("/r1")
    assert result.final_url == server.url("/dir/final?x=1")
    assert server.paths() == ["/r1", "/r2", "/dir/r3", "/dir/final?x=1"]


def test_redirect_loop_is_an_error(server: LocalServer):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/a")

    with Fetcher(make_settings(max_redirects=3)) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/a"))

    assert str(info.value) == f"too many redirects (3) fetching {server.url('/a')}"
    assert server.paths() == ["/a", "/b", "/a", "/b"]


def test_endless_redirect_chain_stops_at_max_redirects(server: LocalServer):
    for n in range(10):
        server.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}")
    server.routes["/hop2"] = text("arrived")

    with Fetcher(make_settings(max_redirects=2)) as fetcher:
        assert fetcher.fetch(server.url("/hop0")).content == b"arrived"
        with pytest.raises(FetchError, match=r"^too many redirects \(2\) fetching "):
            fetcher.fetch(server.url("/hop5"))


@pytest.mark.parametrize(("location", "message"), [
    ("http://10.0.0.1/admin",
     "refusing to fetch http://10.0.0.1/admin: 10.0.0.1 is a private address"
     " (allow it with RASAD_ALLOW_PRIVATE)"),
    ("http://169.254.169.254/latest/meta-data/",
     "refusing to fetch http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a"
     " link-local address (allow it with RASAD_ALLOW_PRIVATE)"),
    ("http://[::1]/",
     "refusing to fetch http://[::1]/: ::1 is a loopback address (allow it with RASAD_ALLOW_PRIVATE)"),
    ("file:///etc/passwd",
     "refusing to follow the redirect from http://127.0.0.1:{port}/jump to file:///etc/passwd:"
     " only http and https URLs can be fetched"),
])
def test_redirect_to_a_refused_url_is_refused_before_connecting(
        server: LocalServer, network: Network, fetcher: Fetcher, location: str, message: str):
    server.routes["/jump"] = redirect(location)

    with pytest.raises(FetchRefused) as info:
        fetcher.fetch(server.url("/jump"))

    assert str(info.value) == message.format(port=server.port)
    assert network.connections == [("127.0.0.1", server.port)]


def test_redirect_to_a_name_resolving_privately_is_refused(server: LocalServer, network: Network,
                                                          fetcher: Fetcher):
    network.answer("metadata.test", "169.254.169.254")
    server.routes["/jump"] = redirect("http://metadata.test/latest/")

    with pytest.raises(FetchRefused) as info:
        fetcher.fetch(server.url("/jump"))

    assert str(info.value) == (
        "refusing to fetch http://metadata.test/latest/: metadata.test resolves to"
        " 169.254.169.254, a link-local address (allow it with RASAD_ALLOW_PRIVATE)")
    assert network.connections == [("127.0.0.1", server.port)]


# --- size cap -------------------------------------------------------------------------


def _endless_body(server: LocalServer, path: str, *, chunked: bool) -> Route:
    """Promise (or stream) far more than the cap; count what was written until cut off."""
    server.done[path] = threading.Event()

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        else:
            handler.send_header("Content-Length", str(HUGE))
        handler.end_headers()
        block = b"x" * 8192
        sent = 0
        try:
            while sent < HUGE:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
                sent += len(block)
        except OSError:
            pass
        finally:
            server.sent[path] = sent
            server.done[path].set()
    return route


@pytest.mark.timeout(10)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_over_the_cap_is_refused_without_reading_it_all(server: LocalServer, chunked: bool):
    server.routes["/huge"] = _endless_body(server, "/huge", chunked=chunked)

    with Fetcher(make_settings(max_body_bytes=100_000)) as fetcher, \
            pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/huge"))

    assert str(info.value) == f"response larger than 100000 bytes from {server.url('/huge')}"
    assert server.done["/huge"].wait(5)
    assert server.sent["/huge"] < HUGE // 2


def test_body_exactly_at_the_cap_is_accepted(server: LocalServer):
    server.routes["/fits"] = lambda h: send(h, 200, b"a" * 1000)
    server.routes["/spills"] = lambda h: send(h, 200, b"a" * 1001)

    with Fetcher(make_settings(max_body_bytes=1000)) as fetcher:
        assert len(fetcher.fetch(server.url("/fits")).content) == 1000
        with pytest.raises(FetchError, match="^response larger than 1000 bytes from "):
            fetcher.fetch(server.url("/spills"))


def test_decompressed_size_counts_against_the_cap(server: LocalServer):
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.routes["/bomb"] = lambda h: send(h, 200, bomb, {"Content-Encoding": "gzip"})

    with Fetcher(make_settings(max_body_bytes=1_000_000)) as fetcher, \
            pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/bomb"))

    assert len(bomb) < 1_000_000
    assert str(info.value) == f"response larger than 1000000 bytes from {server.url('/bomb')}"


# --- robots.txt ------------------------------------------------------------------------


def robots_fetcher(**overrides: object) -> Fetcher:
    return Fetcher(make_settings(respect_robots=True, **overrides))


def test_robots_disallow_refuses_and_allow_fetches(server: LocalServer):
    server.routes["/robots.txt"] = text("User-agent: *\nDisallow: /private\n")
    server.routes["/public"] = text("open")
    server.routes["/private/page"] = text("closed")

    with robots_fetcher() as fetcher:
        assert fetcher.fetch(server.url("/public")).content == b"open"
        with pytest.raises(FetchRefused) as info:
            fetcher.fetch(server.url("/private/page"))
        assert fetcher.fetch(server.url("/public?again=1")).content == b"open"

    assert str(info.value) == (
        f"robots.txt of {server.authority} disallows {server.url('/private/page')}")
    assert server.paths() == ["/robots.txt", "/public", "/public?again=1"]  # cached, not re-read


def test_robots_group_for_our_user_agent_wins_over_the_star_group(server: LocalServer):
    server.routes["/robots.txt"] = text("User-agent: Rasad\nDisallow: /\n\nUser-agent: *\nAllow: /\n")

    with robots_fetcher() as fetcher, pytest.raises(FetchRefused, match="disallows"):
        fetcher.fetch(server.url("/news"))


def test_robots_404_allows_everything(server: LocalServer):
    server.routes["/news"] = text("news")

    with robots_fetcher() as fetcher:
        assert fetcher.fetch(server.url("/news")).content == b"news"

    assert server.paths() == ["/robots.txt", "/news"]


@pytest.mark.parametrize("status", [401, 403])
def test_robots_401_or_403_disallows_everything(server: LocalServer, status: int):
    server.routes["/robots.txt"] = lambda h: send(h, status, b"go away")

    with robots_fetcher() as fetcher, pytest.raises(FetchRefused) as info:
        fetcher.fetch(server.url("/news"))

    assert str(info.value) == f"robots.txt of {server.authority} disallows {server.url('/news')}"
    assert server.paths() == ["/robots.txt"]


def test_robots_5xx_means_disallowed_for_now(server: LocalServer):
    server.routes["/robots.txt"] = lambda h: send(h, 503, b"busy")

    with robots_fetcher() as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/news"))

    assert not isinstance(info.value, FetchRefused)
    assert str(info.value) == (f"robots.txt of {server.authority} answered HTTP 503; treating"
                               f" {server.url('/news')} as disallowed for now")
    assert server.paths() == ["/robots.txt"]


def test_robots_network_failure_means_disallowed_for_now():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with robots_fetcher() as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(f"http://127.0.0.1:{port}/news")

    message = str(info.value)
    assert message.startswith(f"robots.txt of 127.0.0.1:{port} could not be fetched (could not"
                              f" connect to 127.0.0.1:{port} fetching http://127.0.0.1:{port}/robots.txt")
    assert message.endswith(f"; treating http://127.0.0.1:{port}/news as disallowed for now")


def test_robots_is_checked_on_every_redirect_hop(server: LocalServer):
    server.routes["/robots.txt"] = text("User-agent: *\nDisallow: /private\n")
    server.routes["/go"] = redirect("/private/x")

    with robots_fetcher() as fetcher, pytest.raises(FetchRefused) as info:
        fetcher.fetch(server.url("/go"))

    assert str(info.value) == f"robots.txt of {server.authority} disallows {server.url('/private/x')}"
    assert server.paths() == ["/robots.txt", "/go"]


def test_robots_crawl_delay_is_a_lower_bound_on_the_rate_limit(server: LocalServer):
    server.routes["/robots.txt"] = text("User-agent: *\nCrawl-delay: 5\n")
    server.routes["/a"] = text("a")
    clock = FakeClock()

    with Fetcher(make_settings(respect_robots=True, rate_limit_seconds=0.1),
                 clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/a"))
        fetcher.fetch(server.url("/a"))

    assert clock.sleeps == [5.0, 5.0]  # robots.txt at t=0, then one page every 5 s


def test_huge_crawl_delay_is_capped(server: LocalServer):
    server.routes["/robots.txt"] = text("User-agent: *\nCrawl-delay: 86400\n")
    clock = FakeClock()

    with Fetcher(make_settings(respect_robots=True), clock=clock, sleep=clock.sleep) as fetcher:
        with pytest.raises(HTTPStatusError):
            fetcher.fetch(server.url("/a"))

    assert clock.sleeps == [60.0]


# --- rate limit ------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_rate_limit(server: LocalServer):
    server.routes["/a"] = text("a")
    server.routes["/b"] = text("b")
    clock = FakeClock()

    with Fetcher(make_settings(rate_limit_seconds=2.0), clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/a"))
        fetcher.fetch(server.url("/b"))
        clock.now += 1.5  # time spent elsewhere counts
        fetcher.fetch(server.url("/a"))
        clock.now += 10
        fetcher.fetch(server.url("/b"))

    assert clock.sleeps == [2.0, 0.5]


def test_robots_fetch_counts_for_the_rate_limit(server: LocalServer):
    server.routes["/a"] = text("a")
    clock = FakeClock()

    with Fetcher(make_settings(respect_robots=True, rate_limit_seconds=2.0),
                 clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/a"))

    assert server.paths() == ["/robots.txt", "/a"]
    assert clock.sleeps == [2.0]


def test_other_hosts_are_not_delayed(server: LocalServer, network: Network):
    network.answer("other.test", "127.0.0.1")
    server.routes["/a"] = text("a")
    clock = FakeClock()

    with Fetcher(make_settings(rate_limit_seconds=2.0, allow_private=("127.0.0.1",)),
                 clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/a"))
        fetcher.fetch(f"http://other.test:{server.port}/a")

    assert clock.sleeps == []


def test_redirect_hops_to_the_same_host_are_rate_limited(server: LocalServer):
    server.routes["/old"] = redirect("/new")
    server.routes["/new"] = text("new")
    clock = FakeClock()

    with Fetcher(make_settings(rate_limit_seconds=1.0), clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/old"))

    assert clock.sleeps == [1.0]


# --- SSRF guard ---------------------------------------------------------------------------


ALLOW = " (allow it with RASAD_ALLOW_PRIVATE)"


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://192.168.1.1/router", "192.168.1.1 is a private address"),
    ("http://172.16.5.4/", "172.16.5.4 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[::1]:8080/", "::1 is a loopback address"),
    ("http://localhost/", "localhost is a loopback host name"),
    ("http://LOCALHOST./", "localhost. is a loopback host name"),
    ("http://api.localhost/", "api.localhost is a loopback host name"),
    ("http://2130706433/", "2130706433 is 127.0.0.1, a loopback address"),
    ("http://0x7f000001/", "0x7f000001 is 127.0.0.1, a loopback address"),
    ("http://0x7f.1/", "0x7f.1 is 127.0.0.1, a loopback address"),
    ("http://017700000001/", "017700000001 is 127.0.0.1, a loopback address"),
    ("http://127.1/", "127.1 is 127.0.0.1, a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is 127.0.0.1, a loopback address"),
    ("http://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe is 169.254.169.254, a link-local address"),
    ("http://[64:ff9b::a00:1]/", "64:ff9b::a00:1 is 10.0.0.1, a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT address"),
    ("http://0.0.0.0:8000/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://255.255.255.255/", "255.255.255.255 is a broadcast address"),
    ("https://10.1.2.3:8443/x?y=1", "10.1.2.3 is a private address"),
])
def test_private_addresses_are_refused_without_any_lookup_or_connection(
        network: Network, url: str, reason: str):
    with Fetcher(make_settings(allow_private=(), respect_robots=True)) as fetcher, \
            pytest.raises(FetchRefused) as info:
        fetcher.fetch(url)

    assert str(info.value) == f"refusing to fetch {httpx.URL(url)}: {reason}{ALLOW}"
    assert network.lookups == []
    assert network.connections == []


@pytest.mark.parametrize(("addresses", "refused"), [
    (["10.0.0.5"], "10.0.0.5, a private address"),
    (["93.184.216.34", "10.0.0.5"], "10.0.0.5, a private address"),  # any address counts
    (["fd00::5"], "fd00::5, a private address"),
    (["::ffff:127.0.0.1"], "127.0.0.1, a loopback address"),
])
def test_names_resolving_to_private_addresses_are_refused_before_connecting(
        network: Network, addresses: list[str], refused: str):
    network.answer("intranet.test", *addresses)

    with Fetcher(make_settings(allow_private=())) as fetcher, pytest.raises(FetchRefused) as info:
        fetcher.fetch("http://intranet.test/wiki")

    assert str(info.value) == (
        f"refusing to fetch http://intranet.test/wiki: intranet.test resolves to {refused}{ALLOW}")
    assert network.connections == []


def test_connection_goes_to_the_checked_address(server: LocalServer, network: Network):
    network.answer("pinned.test", "127.0.0.1")
    server.routes["/page"] = text("pinned")

    with Fetcher(make_settings(allow_private=("127.0.0.1",))) as fetcher:
        result = fetcher.fetch(f"http://pinned.test:{server.port}/page")

    assert result.content == b"pinned"
    assert result.final_url == f"http://pinned.test:{server.port}/page"
    assert network.lookups.count("pinned.test") == 1
    assert network.connections == [("127.0.0.1", server.port)]  # the address, not the name
    assert server.requests[0].headers["host"] == f"pinned.test:{server.port}"


def test_dns_rebinding_cannot_swap_in_a_private_address(network: Network):
    # First answer public, every later one loopback: a rebinding attacker's DNS.
    network.answer("rebind.test", "93.184.216.34")
    network.answer("rebind.test", "127.0.0.1")

    with Fetcher(make_settings(allow_private=())) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch("http://rebind.test/")

    assert not isinstance(info.value, FetchRefused)
    assert str(info.value).startswith("could not connect to rebind.test fetching http://rebind.test/")
    assert network.lookups.count("rebind.test") == 1
    assert network.connections == [("93.184.216.34", 80)]


def test_every_resolved_address_is_tried_in_turn(server: LocalServer, network: Network):
    network.answer("dual.test", "127.0.0.2", "127.0.0.1")
    server.routes["/"] = text("second address")

    with Fetcher(make_settings(allow_private=("127.0.0.0/8",))) as fetcher:
        result = fetcher.fetch(f"http://dual.test:{server.port}/")

    assert result.content == b"second address"
    assert [address for address, _ in network.connections] == ["127.0.0.2", "127.0.0.1"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_pinned_connection_still_verifies_the_certificate_against_the_host_name(
        server: LocalServer, network: Network, tmp_path, monkeypatch: pytest.MonkeyPatch):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.state = server  # type: ignore[attr-defined]
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    server.routes["/secure"] = text("verified")
    network.answer("pinned.test", "127.0.0.1")
    network.answer("impostor.test", "127.0.0.1")
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(ssrf, "_ssl_context", lambda: trusting)
    try:
        with Fetcher(make_settings()) as fetcher:
            result = fetcher.fetch(f"https://pinned.test:{port}/secure")
            with pytest.raises(FetchError) as info:
                fetcher.fetch(f"https://impostor.test:{port}/secure")
    finally:
        httpd.shutdown()
        httpd.server_close()

    assert result.content == b"verified"
    assert network.connections == [("127.0.0.1", port), ("127.0.0.1", port)]
    assert str(info.value).startswith(
        f"could not connect to impostor.test:{port} fetching https://impostor.test:{port}/secure: ")
    assert "certificate is not valid for 'impostor.test'" in str(info.value)


def test_allow_private_accepts_a_cidr_network(server: LocalServer, network: Network):
    server.routes["/internal"] = text("allowed")

    with Fetcher(make_settings(allow_private=("127.0.0.0/8",))) as fetcher:
        assert fetcher.fetch(server.url("/internal")).content == b"allowed"
        with pytest.raises(FetchRefused, match="10.0.0.1 is a private address"):
            fetcher.fetch("http://10.0.0.1/")


def test_allow_private_accepts_a_host_name(server: LocalServer, network: Network):
    network.answer("wiki.test", "127.0.0.1")
    server.routes["/"] = text("wiki")

    with Fetcher(make_settings(allow_private=("WIKI.test",))) as fetcher:
        assert fetcher.fetch(f"http://wiki.test:{server.port}/").content == b"wiki"
        with pytest.raises(FetchRefused, match="127.0.0.1 is a loopback address"):
            fetcher.fetch(server.url("/"))


def test_allow_private_rejects_a_malformed_network():
    with pytest.raises(ConfigError) as info:
        Fetcher(make_settings(allow_private=("10.0.0.0/33",)))

    assert str(info.value) == ("RASAD_ALLOW_PRIVATE entry '10.0.0.0/33' is not a host name,"
                               " an IP address or a CIDR network")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "ftp://ftp.example.org/pub/statement.txt",
    "gopher://example.org/1",
    "javascript:alert(1)",
    "example.org/feed.xml",
])
def test_only_http_and_https_are_fetched(network: Network, fetcher: Fetcher, url: str):
    with pytest.raises(FetchRefused) as info:
        fetcher.fetch(url)

    assert str(info.value) == f"refusing to fetch {url}: only http and https URLs can be fetched"
    assert network.lookups == network.connections == []


# --- the transport seam other collectors test through ---------------------------------


def test_an_injected_transport_replaces_the_network_but_not_the_policy():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, headers={"Content-Type": "application/rss+xml"}, content=b"<rss/>")

    with Fetcher(make_settings(allow_private=()), transport=httpx.MockTransport(handler)) as fetcher:
        result = fetcher.fetch("https://example.org/feed.xml")
        with pytest.raises(FetchRefused, match="10.0.0.1 is a private address"):
            fetcher.fetch("http://10.0.0.1/feed.xml")

    assert result.content == b"<rss/>"
    assert result.content_type == "application/rss+xml"
    assert seen == ["https://example.org/feed.xml"]
