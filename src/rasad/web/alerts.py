"""Alerts on the web: one's saved searches (an admin sees everyone's), the form to make
or change one, what it would have matched, its delivery history, and its Atom feed.

Every page has a .json twin and an /api/v1 route. Pages and forms need the "alerts"
permission; the feed is public but sits at an unguessable address. A user reaches only
their own alerts: another user's id answers "no alert", as an unknown one does.
Subscribers may send e-mail only to their own address, so that an account cannot be
used to mail strangers; analysts and admins may name any address.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from rasad.alerts.feed import MEDIA_TYPE, feed_for_token
from rasad.alerts.preview import preview
from rasad.alerts.saved import (
    alert_rows,
    create_alert,
    delete_alert,
    history_rows,
    set_muted,
    update_alert,
    visible_alert,
)
from rasad.alerts.spec import FREQUENCIES, LANGUAGES, AlertSpec
from rasad.config import Settings
from rasad.errors import Forbidden, RasadError
from rasad.search.base import SearchBackend
from rasad.store.db import Database
from rasad.store.extracted import THREAT_CATEGORIES
from rasad.store.queries import source_rows
from rasad.store.tables import SavedSearch
from rasad.store.users import get_user_by_id
from rasad.web.params import RowId
from rasad.web.permissions import Access, Role, Viewer

RECENT = 20


class AlertBody(BaseModel):
    """An alert as the API takes it (the fields of the form)."""

    name: str
    query: str = ""
    languages: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    actor: str = ""
    min_score: float = 0.0
    emails: list[str] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    atom: bool = True
    frequency: str = "immediate"
    new_only: bool = True
    muted: bool = False

    def spec(self) -> AlertSpec:
        return AlertSpec(**self.model_dump())


def _check_recipients(viewer: Viewer, spec: AlertSpec) -> None:
    if viewer.role >= Role.ANALYST:
        return
    others = [a for a in spec.emails if a.strip().lower() != viewer.email.lower()]
    if others:
        raise Forbidden(f"subscribers can send alerts only to their own address ({viewer.email})")


def _form_status(exc: RasadError) -> int:
    """A form naming an unknown source or actor is bad input, not a missing page."""
    return 400 if exc.http_status == 404 else exc.http_status


def _split_addresses(text: str) -> list[str]:
    return [a for a in text.replace(",", " ").replace(";", " ").split() if a]


def add_alert_routes(app: FastAPI, *, settings: Settings, db: Database, backend: SearchBackend,
                     access: Access, templates: Jinja2Templates) -> None:
    alerts = access.require("alerts")
    public = access.require("public")
    root = settings.base_url.rstrip("/")

    def mine(session, alert_id: RowId, viewer: Viewer) -> SavedSearch:
        return visible_alert(session, alert_id, user_id=viewer.user_id,
                             is_admin=viewer.role >= Role.ADMIN)

    def with_urls(row: dict) -> dict:
        row["feed_url"] = f"{root}{row['feed_path']}" if row.get("feed_path") else None
        return row

    def list_data(viewer: Viewer) -> dict:
        with db.session() as session:
            rows = alert_rows(session, user_id=None if viewer.role >= Role.ADMIN else viewer.user_id)
        return {"alerts": [with_urls(r) for r in rows]}

    def alert_data(alert_id: RowId, viewer: Viewer) -> dict:
        with db.session() as session:
            row = mine(session, alert_id, viewer)
            return {"alert": with_urls(alert_rows(session, rows=[row])[0]),
                    "recent": history_rows(session, row, limit=RECENT)}

    def history_data(alert_id: RowId, viewer: Viewer, limit: int) -> dict:
        with db.session() as session:
            row = mine(session, alert_id, viewer)
            return {"alert": {"id": row.id, "name": row.name},
                    "deliveries": history_rows(session, row, limit=limit)}

    def test_data(alert_id: RowId, viewer: Viewer, days: int) -> dict:
        with db.session() as session:
            row = mine(session, alert_id, viewer)
            alert = {"id": row.id, "name": row.name}
        result = preview(db, backend, alert_id, days=days, base_url=settings.base_url)
        return {"alert": alert, **result.as_json()}

    def create(viewer: Viewer, spec: AlertSpec) -> int:
        _check_recipients(viewer, spec)
        with db.session() as session:
            return create_alert(session, get_user_by_id(session, viewer.user_id), spec).id

    def change(alert_id: RowId, viewer: Viewer, spec: AlertSpec) -> None:
        _check_recipients(viewer, spec)
        with db.session() as session:
            update_alert(session, mine(session, alert_id, viewer), spec,
                         daily_hour=settings.alerts_daily_hour)

    def form_page(request: Request, *, values: dict, alert_id: int | None = None, error: str = "",
                  status: int = 200):
        with db.session() as session:
            sources = [s["name"] for s in source_rows(session)]
        return templates.TemplateResponse(request, "alert_form.html", {
            "values": values, "alert_id": alert_id, "error": error, "languages": LANGUAGES,
            "categories": THREAT_CATEGORIES, "frequencies": FREQUENCIES, "sources": sources,
        }, status_code=status)

    async def spec_from_form(request: Request) -> tuple[AlertSpec, dict]:
        form = await request.form()

        def text(key: str) -> str:
            value = form.get(key, "")
            return value if isinstance(value, str) else ""

        def many(key: str) -> list[str]:
            return [v for v in form.getlist(key) if isinstance(v, str) and v]

        values = {"name": text("name"), "query": text("query"), "languages": many("lang"),
                  "sources": many("source"), "categories": many("category"), "actor": text("actor"),
                  "min_score": text("min_score") or "0", "emails": text("emails"),
                  "webhook_url": text("webhook_url"), "atom": bool(form.get("atom")),
                  "frequency": text("frequency") or "immediate",
                  "new_only": bool(form.get("new_only")), "muted": bool(form.get("muted"))}
        spec = AlertSpec(name=values["name"], query=values["query"], languages=values["languages"],
                         sources=values["sources"], categories=values["categories"],
                         actor=values["actor"], min_score=values["min_score"],  # checked() reads it
                         emails=_split_addresses(values["emails"]), webhook_url=values["webhook_url"],
                         webhook_secret=text("webhook_secret"), atom=values["atom"],
                         frequency=values["frequency"], new_only=values["new_only"],
                         muted=values["muted"])
        return spec, values

    # -- the list ------------------------------------------------------------------------------

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page(request: Request, viewer: Viewer = Depends(alerts)):
        return templates.TemplateResponse(request, "alerts.html", list_data(viewer))

    @app.get("/alerts.json", tags=["alerts"])
    @app.get("/api/v1/alerts", tags=["alerts"])
    def alerts_json(viewer: Viewer = Depends(alerts)):
        """Your alerts (an admin: everyone's), with their channels and delivery counts.
        Webhook secrets are never shown."""
        return list_data(viewer)

    # -- making one ----------------------------------------------------------------------------

    @app.get("/alerts/new", response_class=HTMLResponse, include_in_schema=False)
    def alert_new(request: Request, q: str = "", lang: list[str] = Query(default=[]),
                  source: list[str] = Query(default=[]), viewer: Viewer = Depends(alerts)):
        """The form, filled in from a search ("save this search")."""
        values = {"name": q[:80], "query": q, "languages": [x for x in lang if x],
                  "sources": [x for x in source if x], "categories": [], "actor": "",
                  "min_score": "0", "emails": viewer.email, "webhook_url": "", "atom": True,
                  "frequency": "immediate", "new_only": True, "muted": False}
        return form_page(request, values=values)

    @app.post("/alerts", response_class=HTMLResponse, include_in_schema=False)
    async def alert_create(request: Request, viewer: Viewer = Depends(alerts)):
        values: dict = {}
        try:
            spec, values = await spec_from_form(request)
            alert_id = create(viewer, spec)
        except RasadError as exc:
            if not values:
                raise
            return form_page(request, values=values, error=str(exc), status=_form_status(exc))
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @app.post("/api/v1/alerts", tags=["alerts"], status_code=201)
    def api_alert_create(body: AlertBody = Body(...), viewer: Viewer = Depends(alerts)):
        """Make an alert for yourself. Needs a query, a filter or a minimum threat score,
        and a channel (e-mail addresses, a webhook URL with a 16+ character secret, or the
        Atom feed)."""
        return alert_data(create(viewer, body.spec()), viewer)

    # -- the Atom feed (public, tokenised) -----------------------------------------------------

    @app.get("/alerts/feed/{token}.atom", tags=["alerts"])
    def alert_feed(token: str, viewer: Viewer = Depends(public)):
        """An alert's latest matches as an Atom feed; the token in the address is the key."""
        with db.session() as session:
            body = feed_for_token(session, token, settings.base_url)
        return Response(body, media_type=MEDIA_TYPE,
                        headers={"Cache-Control": "private, max-age=60", "X-Robots-Tag": "noindex"})

    # -- one alert -----------------------------------------------------------------------------

    @app.get("/alerts/{alert_id}.json", tags=["alerts"])
    @app.get("/api/v1/alerts/{alert_id}", tags=["alerts"])
    def alert_json(alert_id: RowId, viewer: Viewer = Depends(alerts)):
        """One alert and its latest deliveries."""
        return alert_data(alert_id, viewer)

    @app.get("/alerts/{alert_id}", response_class=HTMLResponse, include_in_schema=False)
    def alert_page(request: Request, alert_id: RowId, viewer: Viewer = Depends(alerts)):
        return templates.TemplateResponse(request, "alert.html", alert_data(alert_id, viewer))

    @app.get("/alerts/{alert_id}/edit", response_class=HTMLResponse, include_in_schema=False)
    def alert_edit(request: Request, alert_id: RowId, viewer: Viewer = Depends(alerts)):
        row = alert_data(alert_id, viewer)["alert"]
        f, ch = row["filters"], row["channels"]
        values = {"name": row["name"], "query": row["query"], "languages": f["languages"],
                  "sources": f["sources"], "categories": f["categories"], "actor": f["actor"] or "",
                  "min_score": f"{row['min_score']:g}", "emails": "\n".join(ch["email"]),
                  "webhook_url": (ch["webhook"] or {}).get("url", ""),
                  "secret_set": bool((ch["webhook"] or {}).get("secret_set")), "atom": ch["atom"],
                  "frequency": row["frequency"], "new_only": row["new_only"], "muted": row["muted"]}
        return form_page(request, values=values, alert_id=alert_id)

    @app.post("/alerts/{alert_id}", response_class=HTMLResponse, include_in_schema=False)
    async def alert_update(request: Request, alert_id: RowId, viewer: Viewer = Depends(alerts)):
        with db.session() as session:
            mine(session, alert_id, viewer)  # "no alert" is a page of its own, not a form error
        values: dict = {}
        try:
            spec, values = await spec_from_form(request)
            change(alert_id, viewer, spec)
        except RasadError as exc:
            if not values:
                raise
            return form_page(request, values=values, alert_id=alert_id, error=str(exc),
                             status=_form_status(exc))
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @app.put("/api/v1/alerts/{alert_id}", tags=["alerts"])
    def api_alert_update(alert_id: RowId, body: AlertBody = Body(...), viewer: Viewer = Depends(alerts)):
        """Replace an alert's definition (an empty webhook secret keeps the one set)."""
        change(alert_id, viewer, body.spec())
        return alert_data(alert_id, viewer)

    def mute(alert_id: RowId, viewer: Viewer, muted: bool) -> None:
        with db.session() as session:
            set_muted(session, mine(session, alert_id, viewer), muted)

    @app.post("/alerts/{alert_id}/mute", include_in_schema=False)
    def alert_mute(alert_id: RowId, viewer: Viewer = Depends(alerts)):
        mute(alert_id, viewer, True)
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @app.post("/alerts/{alert_id}/unmute", include_in_schema=False)
    def alert_unmute(alert_id: RowId, viewer: Viewer = Depends(alerts)):
        mute(alert_id, viewer, False)
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @app.post("/alerts/{alert_id}/delete", include_in_schema=False)
    def alert_delete(alert_id: RowId, viewer: Viewer = Depends(alerts)):
        with db.session() as session:
            delete_alert(session, mine(session, alert_id, viewer))
        return RedirectResponse("/alerts", status_code=303)

    @app.delete("/api/v1/alerts/{alert_id}", tags=["alerts"])
    def api_alert_delete(alert_id: RowId, viewer: Viewer = Depends(alerts)):
        """Delete an alert and its delivery history."""
        with db.session() as session:
            delete_alert(session, mine(session, alert_id, viewer))
        return {"deleted": alert_id}

    # -- what it would have matched, and what it sent ------------------------------------------

    @app.get("/alerts/{alert_id}/test.json", tags=["alerts"])
    @app.get("/api/v1/alerts/{alert_id}/test", tags=["alerts"])
    def alert_test_json(alert_id: RowId, days: int = Query(default=7, ge=1, le=366),
                        viewer: Viewer = Depends(alerts)):
        """What the alert would have matched among documents of the last ``days`` days."""
        return test_data(alert_id, viewer, days)

    @app.get("/alerts/{alert_id}/test", response_class=HTMLResponse, include_in_schema=False)
    def alert_test_page(request: Request, alert_id: RowId, days: int = Query(default=7, ge=1, le=366),
                        viewer: Viewer = Depends(alerts)):
        data = test_data(alert_id, viewer, days)
        data["json_url"] = f"/alerts/{alert_id}/test.json?" + urlencode({"days": days})
        return templates.TemplateResponse(request, "alert_test.html", data)

    @app.get("/alerts/{alert_id}/history.json", tags=["alerts"])
    @app.get("/api/v1/alerts/{alert_id}/history", tags=["alerts"])
    def alert_history_json(alert_id: RowId, limit: int = Query(default=200, ge=1, le=1000),
                           viewer: Viewer = Depends(alerts)):
        """The alert's deliveries, newest first: document, channel, status, attempts, error."""
        return history_data(alert_id, viewer, limit)

    @app.get("/alerts/{alert_id}/history", response_class=HTMLResponse, include_in_schema=False)
    def alert_history_page(request: Request, alert_id: RowId,
                           limit: int = Query(default=200, ge=1, le=1000),
                           viewer: Viewer = Depends(alerts)):
        return templates.TemplateResponse(request, "alert_history.html",
                                          history_data(alert_id, viewer, limit))
