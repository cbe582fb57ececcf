"""CSRF protection for everything a browser session can change.

Each session carries a random token; every form posts it back in a hidden ``csrf_token``
field, and a script using the session sends it as ``X-CSRF-Token``. A request that
authenticates with an API token (``Authorization: Bearer``) is exempt: a browser never
adds that header to a cross-site request by itself. The check itself runs in
rasad.web.permissions.Access.require, which every route has.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

from rasad.errors import Forbidden

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """This session's token (made, and the session cookie set, on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def new_csrf_token(request: Request) -> str:
    """A fresh token, e.g. at login, so that one seen before it is worthless after."""
    request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


async def check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not (isinstance(expected, str) and expected and sent
            and hmac.compare_digest(expected.encode(), sent.encode())):
        raise Forbidden("the form has expired or did not come from this site (CSRF check "
                        "failed): reload the page and try again")
