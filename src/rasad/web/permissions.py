"""Who may see what: roles, the one policy table, and the FastAPI dependency that
enforces it on every route.

A route names a permission, never a role: ``Depends(access.require("read"))``. POLICY
says which role a permission needs; the roles are ordered, each may do everything the
ones below it may. ``check_every_route_is_guarded`` refuses to start an app with a route
that names no permission, so a new page cannot be public by accident.

Anonymous visitors are let into "read" too when public reading is on (RASAD_PUBLIC_READ:
true, false, or auto, the default, which is true only while no user account exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Mount, Route

from rasad.config import Settings
from rasad.errors import Forbidden, NotAuthenticated
from rasad.store.db import Database
from rasad.store.tables import User
from rasad.store.users import count_users, verify_api_token
from rasad.web.csrf import SAFE_METHODS, check_csrf


class Role(IntEnum):
    ANONYMOUS = 0
    SUBSCRIBER = 1
    ANALYST = 2
    ADMIN = 3


# The policy. Every route names one of these permissions.
POLICY: dict[str, Role] = {
    "public": Role.ANONYMOUS,    # log in and out, static files, the API description
    "read": Role.SUBSCRIBER,     # the archive: latest, search, documents, raw captures
    "account": Role.SUBSCRIBER,  # one's own account and API tokens
    "alerts": Role.SUBSCRIBER,   # one's own saved searches and their deliveries (admins: all)
    "sources": Role.ANALYST,     # the sources and their health
    "admin": Role.ADMIN,         # users and their roles, the audit log
}
OPENED_BY_PUBLIC_READ = frozenset({"read"})

# Routes FastAPI and Starlette add themselves, with no dependencies: the OpenAPI
# description and its viewers, and the static files (CSS). Nothing else may lack one.
UNGUARDED_PUBLIC = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"})


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a user through a browser session or an API token, or nobody."""

    role: Role = Role.ANONYMOUS
    user_id: int | None = None
    email: str = ""
    name: str = ""
    via: str = "anonymous"  # anonymous, session, token

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def channel(self) -> str:
        """For the audit log: "api" for a token, "web" for a browser."""
        return "api" if self.via == "token" else "web"


ANONYMOUS = Viewer()

# declared so that the OpenAPI description shows how to authenticate; the header itself
# is read by Access.viewer
API_TOKEN = HTTPBearer(auto_error=False, scheme_name="API token",
                       description="`rasad users token EMAIL`, or make one on /account")


def _viewer_of(user: User, via: str) -> Viewer:
    role = Role.__members__.get(user.role.upper(), Role.ANONYMOUS)  # an unknown role grants nothing
    return Viewer(role, user.id, user.email, user.name, via)


def is_json_path(path: str) -> bool:
    """The JSON routes: /api/... and the .json twins. API tokens work there (never on the
    HTML pages and their forms), and their errors are JSON problem responses."""
    return path.startswith("/api/") or path.endswith(".json")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("use an API token as 'Authorization: Bearer TOKEN'")
    return token.strip()


class Access:
    """The policy applied to one app's settings and database."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self._users_exist = False  # accounts are deactivated, never deleted: once true, true

    def public_read(self) -> bool:
        if self.settings.public_read is not None:
            return self.settings.public_read
        if not self._users_exist:
            with self.db.session() as session:
                self._users_exist = count_users(session) > 0
        return not self._users_exist

    def allows(self, viewer: Viewer, permission: str) -> bool:
        needed = POLICY[permission]
        if permission in OPENED_BY_PUBLIC_READ and self.public_read():
            needed = Role.ANONYMOUS
        return viewer.role >= needed

    def viewer(self, request: Request) -> Viewer:
        """The viewer of this request, worked out once and kept in ``request.state``.

        On the JSON routes an ``Authorization: Bearer`` token decides alone (a bad one is a
        401, never a fall-back to the cookie); otherwise the session cookie does. A session of
        a deactivated user, or one from before the user last logged out, counts as none.
        """
        known = getattr(request.state, "viewer", None)
        if known is not None:
            return known
        viewer = ANONYMOUS
        token = _bearer(request) if is_json_path(request.url.path) else None
        if token is not None:
            with self.db.session() as session:
                user = verify_api_token(session, token)
                if user is None:
                    raise NotAuthenticated("the API token is not valid (unknown, revoked, or "
                                           "its user is deactivated)")
                viewer = _viewer_of(user, "token")
        elif "session" in request.scope and isinstance(request.session.get("uid"), int):
            with self.db.session() as session:
                user = session.get(User, request.session["uid"])
                if (user is not None and user.active
                        and request.session.get("epoch") == user.session_epoch):
                    viewer = _viewer_of(user, "session")
                else:
                    request.session.clear()
        request.state.viewer = viewer
        return viewer

    def require(self, permission: str) -> Callable:
        """A dependency that lets the request through only if the policy allows it, and
        checks the CSRF token of every state-changing request not made with an API token."""
        if permission not in POLICY:
            raise ValueError(f"unknown permission {permission!r}")

        async def guard(request: Request,
                        _: HTTPAuthorizationCredentials | None = Depends(API_TOKEN)) -> Viewer:
            viewer = await run_in_threadpool(self.viewer, request)
            if not self.allows(viewer, permission):
                if not viewer.signed_in:
                    raise NotAuthenticated("log in to see this page, or send an API token")
                raise Forbidden(f"your role ({viewer.role.name.lower()}) does not allow this; "
                                f"it needs {POLICY[permission].name.lower()}")
            if request.method not in SAFE_METHODS and viewer.via != "token":
                await check_csrf(request)
            return viewer

        guard.permission = permission  # type: ignore[attr-defined]
        return guard


def route_permission(route: BaseRoute) -> str | None:
    """The permission a route requires, or None when it names none."""
    if isinstance(route, APIRoute):
        for dep in route.dependant.dependencies:
            permission = getattr(dep.call, "permission", None)
            if permission is not None:
                return permission
        return None
    if isinstance(route, Mount | Route) and route.path in UNGUARDED_PUBLIC:
        return "public"
    return None


def check_every_route_is_guarded(app: FastAPI) -> None:
    unguarded = [getattr(r, "path", repr(r)) for r in app.routes if route_permission(r) is None]
    if unguarded:
        raise RuntimeError(f"routes without a permission: {', '.join(unguarded)}")
