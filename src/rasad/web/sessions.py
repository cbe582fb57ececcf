"""Browser sessions in a signed cookie (itsdangerous), with the flags set per request.

The cookie holds only the user's id, the session epoch it was issued in and the CSRF
token; it is HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS
(rasad.web.proxy decides). Starlette's own SessionMiddleware fixes the Secure flag at
start-up, which is wrong for an app reached both on localhost and through a TLS proxy.
Anonymous visitors get no cookie until a page needs one (the login form's CSRF token).
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import Session
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasad.web.proxy import request_is_https

COOKIE_NAME = "rasad_session"
MAX_AGE = 14 * 24 * 3600  # seconds; the signature carries the time it was made


def session_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="rasad.session")


class CookieSessions:
    """ASGI middleware: ``request.session`` from the cookie, the cookie from it after."""

    def __init__(self, app: ASGIApp, secret_key: str, *, trust_proxy: bool = False,
                 max_age: int = MAX_AGE) -> None:
        self.app = app
        self.serializer = session_serializer(secret_key)
        self.trust_proxy = trust_proxy
        self.max_age = max_age

    def _load(self, raw: str | None) -> dict:
        if not raw:
            return {}
        try:
            data = self.serializer.loads(raw, max_age=self.max_age)
        except BadData:
            return {}
        return data if isinstance(data, dict) else {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(COOKIE_NAME)
        scope["session"] = Session(self._load(raw))
        had_cookie = raw is not None

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: Session = scope["session"]
                headers = MutableHeaders(scope=message)
                if session.accessed:
                    headers.add_vary_header("Cookie")
                if session.modified and session:
                    headers.append("Set-Cookie", self._cookie(scope, self.serializer.dumps(dict(session)),
                                                              self.max_age))
                elif session.modified and had_cookie:
                    headers.append("Set-Cookie", self._cookie(scope, "", 0))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, scope: Scope, value: str, max_age: int) -> str:
        flags = f"{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
        if max_age == 0:
            flags += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        if request_is_https(scope, self.trust_proxy):
            flags += "; Secure"
        return flags
