"""What the request says about the client: its address and whether it came over HTTPS.

Behind a reverse proxy the socket shows the proxy; its X-Forwarded-Proto and
X-Forwarded-For headers are believed only when RASAD_TRUST_PROXY says a proxy is there,
since anyone can send them. Of X-Forwarded-For the last address counts: it is the one our
proxy added, the earlier ones are whatever the client claimed.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope


def _forwarded(headers: Headers, name: str) -> str:
    parts = [p.strip() for p in headers.get(name, "").split(",") if p.strip()]
    return parts[-1] if parts else ""


def request_is_https(scope: Scope, trust_proxy: bool) -> bool:
    if scope.get("scheme") in ("https", "wss"):
        return True
    return trust_proxy and _forwarded(Headers(scope=scope), "x-forwarded-proto").lower() == "https"


def client_ip(scope: Scope, trust_proxy: bool) -> str:
    if trust_proxy:
        forwarded = _forwarded(Headers(scope=scope), "x-forwarded-for")
        if forwarded:
            return forwarded
    client = scope.get("client")
    return client[0] if client else ""
