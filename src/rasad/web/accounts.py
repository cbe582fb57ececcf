"""Log in and out, one's own account and API tokens, and the admin's list of users.

Pages that change something are forms posted with the session's CSRF token and answered
with a redirect (post/redirect/get), except the one that makes an API token: it shows the
token once, in that response, and nowhere afterwards.
"""

from __future__ import annotations

from fastapi import Body, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from rasad.config import Settings
from rasad.store.audit import Origin, audit_rows, record
from rasad.store.db import Database
from rasad.store.users import (
    ROLES,
    authenticate,
    count_users,
    create_api_token,
    deactivate,
    end_sessions,
    get_user_by_id,
    list_users,
    revoke,
    set_role,
    token_rows,
    user_row,
)
from rasad.web.csrf import new_csrf_token
from rasad.web.login_limit import LoginThrottle
from rasad.web.params import RowId
from rasad.web.permissions import Access, Viewer
from rasad.web.proxy import client_ip

NO_STORE = {"Cache-Control": "no-store"}


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in; anything else (another site, a scheme,
    "//host", a backslash trick) becomes "/"."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 for c in target)):
        return "/"
    return target


class RoleChange(BaseModel):
    role: str


def add_account_routes(app: FastAPI, *, settings: Settings, db: Database, access: Access,
                       templates: Jinja2Templates, throttle: LoginThrottle) -> None:
    public = access.require("public")
    own_account = access.require("account")
    admin = access.require("admin")

    def origin(request: Request, viewer: Viewer) -> Origin:
        return Origin(viewer.user_id, viewer.channel, client_ip(request.scope, settings.trust_proxy))

    # -- log in and out ---------------------------------------------------------------------

    def login_page(request: Request, *, next_: str, email: str = "", error: str = "",
                   status: int = 200, headers: dict | None = None):
        with db.session() as session:
            no_users = count_users(session) == 0
        return templates.TemplateResponse(
            request, "login.html", {"next": safe_next(next_), "email": email, "error": error,
                                    "no_users": no_users},
            status_code=status, headers={**NO_STORE, **(headers or {})})

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/", viewer: Viewer = Depends(public)):
        if viewer.signed_in:
            return RedirectResponse(safe_next(next), status_code=303)
        return login_page(request, next_=next)

    @app.post("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_submit(request: Request, email: str = Form(""), password: str = Form(""),
                     next_: str = Form("/", alias="next"), viewer: Viewer = Depends(public)):
        where = origin(request, viewer)
        wait = throttle.retry_after(email, where.ip)
        if wait:
            with db.session() as session:
                record(session, "user.login_throttled", Origin(None, "web", where.ip),
                       email.strip().lower()[:300], retry_after=wait)
            minutes = (wait + 59) // 60
            return login_page(
                request, next_=next_, email=email, status=429, headers={"Retry-After": str(wait)},
                error=f"Too many failed logins for this email from your address. Try again in "
                      f"{minutes} minute{'s' if minutes != 1 else ''}.")
        with db.session() as session:
            user = authenticate(session, email, password, Origin(None, "web", where.ip))
            signed_in = (user.id, user.session_epoch) if user else None
        if signed_in is None:
            throttle.failed(email, where.ip)
            return login_page(request, next_=next_, email=email, status=400,
                              error="Wrong email or password, or the account is deactivated.")
        throttle.succeeded(email, where.ip)
        request.session.clear()
        request.session.update({"uid": signed_in[0], "epoch": signed_in[1]})
        new_csrf_token(request)
        return RedirectResponse(safe_next(next_), status_code=303)

    @app.get("/logout", response_class=HTMLResponse, include_in_schema=False)
    def logout_form(request: Request, viewer: Viewer = Depends(public)):
        if not viewer.signed_in:
            return RedirectResponse("/", status_code=303)
        return templates.TemplateResponse(request, "logout.html", {})

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, viewer: Viewer = Depends(public)):
        if viewer.signed_in:
            with db.session() as session:
                end_sessions(session, get_user_by_id(session, viewer.user_id), origin(request, viewer))
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    # -- one's own account and API tokens ---------------------------------------------------

    def account_data(viewer: Viewer) -> dict:
        with db.session() as session:
            user = get_user_by_id(session, viewer.user_id)
            return {"user": user_row(user), "tokens": token_rows(session, user)}

    @app.get("/account", response_class=HTMLResponse, include_in_schema=False)
    def account_page(request: Request, viewer: Viewer = Depends(own_account)):
        return templates.TemplateResponse(request, "account.html", account_data(viewer))

    @app.get("/account.json", tags=["account"])
    @app.get("/api/v1/account", tags=["account"])
    def account_json(viewer: Viewer = Depends(own_account)):
        """Who the request is authenticated as, and that user's API tokens (never the
        tokens themselves, which are not kept)."""
        return account_data(viewer)

    @app.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
    def account_new_token(request: Request, label: str = Form(""),
                          viewer: Viewer = Depends(own_account)):
        with db.session() as session:
            user = get_user_by_id(session, viewer.user_id)
            _, token = create_api_token(session, user, label, origin(request, viewer))
        data = {**account_data(viewer), "new_token": token}
        return templates.TemplateResponse(request, "account.html", data, status_code=201,
                                          headers=NO_STORE)

    @app.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
    def account_revoke_token(request: Request, token_id: RowId, viewer: Viewer = Depends(own_account)):
        with db.session() as session:
            revoke(session, token_id, origin(request, viewer),
                   owner=get_user_by_id(session, viewer.user_id))
        return RedirectResponse("/account", status_code=303)

    @app.delete("/api/v1/account/tokens/{token_id}", tags=["account"])
    def api_revoke_token(request: Request, token_id: RowId, viewer: Viewer = Depends(own_account)):
        """Revoke one of your own API tokens (the one in use too)."""
        with db.session() as session:
            revoke(session, token_id, origin(request, viewer),
                   owner=get_user_by_id(session, viewer.user_id))
            return {"revoked": token_id}

    # -- users (admin) ----------------------------------------------------------------------

    def users_data() -> dict:
        with db.session() as session:
            return {"users": list_users(session), "roles": list(ROLES),
                    "audit": audit_rows(session, limit=50)}

    @app.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request, viewer: Viewer = Depends(admin)):
        return templates.TemplateResponse(request, "admin_users.html", users_data())

    @app.get("/admin/users.json", tags=["users"])
    @app.get("/api/v1/users", tags=["users"])
    def users_json(viewer: Viewer = Depends(admin)):
        """Every account with its role, and the latest account events of the audit log."""
        return users_data()

    @app.post("/admin/users/{user_id}/role", include_in_schema=False)
    def users_set_role(request: Request, user_id: RowId, role: str = Form(...),
                       viewer: Viewer = Depends(admin)):
        with db.session() as session:
            set_role(session, get_user_by_id(session, user_id), role, origin(request, viewer))
        return RedirectResponse("/admin/users", status_code=303)

    @app.post("/admin/users/{user_id}/deactivate", include_in_schema=False)
    def users_deactivate(request: Request, user_id: RowId, viewer: Viewer = Depends(admin)):
        with db.session() as session:
            deactivate(session, get_user_by_id(session, user_id), origin(request, viewer))
        return RedirectResponse("/admin/users", status_code=303)

    @app.put("/api/v1/users/{user_id}/role", tags=["users"])
    def api_set_role(request: Request, user_id: RowId, change: RoleChange = Body(...),
                     viewer: Viewer = Depends(admin)):
        """Change a user's role: subscriber, analyst or admin."""
        with db.session() as session:
            user = set_role(session, get_user_by_id(session, user_id), change.role,
                            origin(request, viewer))
            return user_row(user)
