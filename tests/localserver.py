"""A real HTTP server on 127.0.0.1 for tests, serving routes from a dict (GET) and
receiving POSTs (webhooks), which it records with their raw bodies."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # a handler may compute the answer from the request headers
    handler: Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]] | None = None
    # a POST to this path is answered by this function of (headers, raw body) -> status
    on_post: Callable[[dict[str, str], bytes], int] | None = None


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.path, headers))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                status, extra, body = (route.handler(headers) if route.handler
                                       else (route.status, route.headers, route.body))
                try:
                    self.send_response(status)
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_POST(self):  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = self.rfile.read(int(headers.get("content-length", "0") or 0))
                server.posts.append((self.path, headers, body))
                route = server.routes.get(self.path)
                status = 404 if route is None else (route.on_post(headers, body) if route.on_post
                                                    else route.status)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths_requested(self) -> list[str]:
        return [p for p, _ in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
