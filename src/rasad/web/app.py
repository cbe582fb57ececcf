"""The web app: HTML pages and their JSON twins (Datasette style).

Every page at /path has a twin at /path.json and under /api/v1/. Text that came from
outside is only ever rendered escaped (Jinja2 autoescape); the one exception, search
snippets, is built by rasad.search.snippets from escaped text plus <mark> tags and
cleaned again by nh3 (rasad.web.sanitize). Raw captures are served as downloads with a
sandboxing CSP, never rendered in our origin.

Every route names the permission it needs (rasad.web.permissions holds the policy);
accounts, login and API tokens are in rasad.web.accounts; saved searches and their feeds
in rasad.web.alerts.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from rasad import __version__
from rasad.config import Settings
from rasad.errors import BadInput, NotAuthenticated, RasadError
from rasad.kb.store import actor_row, list_actors
from rasad.search.base import SearchBackend, SearchFilters, parse_filter_date
from rasad.search.service import restrict_by_extraction, run_search
from rasad.store.blobs import BlobStore
from rasad.store.dashboard import dashboard
from rasad.store.db import Database
from rasad.store.extracted import THREAT_CATEGORIES, actor_activity, document_extraction, find_actor
from rasad.store.queries import (
    document_detail,
    get_capture,
    language_counts,
    latest_documents,
    source_rows,
)
from rasad.store.sources import find_source
from rasad.web.accounts import add_account_routes
from rasad.web.alerts import add_alert_routes
from rasad.web.charts import bar_chart
from rasad.web.csrf import csrf_token
from rasad.web.login_limit import LoginThrottle
from rasad.web.params import RowId
from rasad.web.permissions import (
    ANONYMOUS,
    Access,
    Viewer,
    check_every_route_is_guarded,
    is_json_path,
)
from rasad.web.sanitize import clean_snippet
from rasad.web.secret_key import load_secret_key
from rasad.web.sessions import CookieSessions

HERE = Path(__file__).parent
RTL_LANGUAGES = {"fa", "ar", "ps", "ur", "prs"}
LANGUAGE_NAMES = {"fa": "Persian", "prs": "Dari", "ps": "Pashto", "ar": "Arabic", "ur": "Urdu",
                  "en": "English", "und": "undetermined"}
PAGE_SIZE = 20

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _lang_label(language: str, dialect: str | None) -> str:
    if language == "fa" and dialect == "fa":
        return "Persian (Iran)"
    key = "prs" if dialect == "prs" else language
    return LANGUAGE_NAMES.get(key, key)


def _viewer_of(request: Request) -> Viewer:
    return getattr(request.state, "viewer", None) or ANONYMOUS


def _login_redirect(request: Request) -> RedirectResponse:
    target = "/login"
    if request.method == "GET":
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?" + urlencode({"next": here})
    return RedirectResponse(target, status_code=303)


def create_app(settings: Settings, db: Database, backend: SearchBackend) -> FastAPI:
    app = FastAPI(title="Rasad", version=__version__,
                  description="Monitoring of militant and state media: search and documents. "
                              "Authenticate with an API token: `Authorization: Bearer TOKEN` "
                              "(make one on /account or with `rasad users token EMAIL`).")
    access = Access(settings, db)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        lang_label=_lang_label, RTL=RTL_LANGUAGES, rasad_version=__version__,
        viewer_of=_viewer_of, csrf_token=csrf_token,
        can=lambda request, permission: access.allows(_viewer_of(request), permission))
    templates.env.filters["snippet"] = clean_snippet  # escaped text + <mark>, cleaned by nh3
    blobs = BlobStore(settings.blob_dir)
    read = Depends(access.require("read"))
    see_sources = Depends(access.require("sources"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(CookieSessions, secret_key=load_secret_key(settings),
                       trust_proxy=settings.trust_proxy)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if _viewer_of(request).signed_in:  # a page made for one user stays out of shared caches
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    @app.exception_handler(RasadError)
    async def rasad_error(request: Request, exc: RasadError):
        if isinstance(exc, NotAuthenticated) and not is_json_path(request.url.path):
            return _login_redirect(request)
        body = {"error": type(exc).__name__, "detail": str(exc), "status": exc.http_status}
        headers = {}
        if isinstance(exc, NotAuthenticated):
            headers["WWW-Authenticate"] = 'Bearer realm="rasad"'
        if is_json_path(request.url.path):
            return JSONResponse(body, status_code=exc.http_status, headers=headers)
        try:  # the page's navigation depends on who is looking
            await run_in_threadpool(access.viewer, request)
        except RasadError:
            pass
        return templates.TemplateResponse(request, "error.html", body, status_code=exc.http_status,
                                          headers=headers)

    # -- home ---------------------------------------------------------------------------

    def home_data() -> dict:
        with db.session() as session:
            return {"documents": latest_documents(session, limit=30),
                    "languages": language_counts(session)}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
    def home(request: Request):
        return templates.TemplateResponse(request, "index.html", home_data())

    @app.get("/index.json", tags=["documents"], dependencies=[read])
    @app.get("/api/v1/documents/latest", tags=["documents"], dependencies=[read])
    def home_json():
        return home_data()

    # -- dashboard and actors -------------------------------------------------------------

    def dashboard_data() -> dict:
        with db.session() as session:
            return dashboard(session)

    @app.get("/dashboard", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
    def dashboard_page(request: Request):
        data = dashboard_data()
        data["chart"] = bar_chart([(d["day"], d["documents"], d["with_threats"]) for d in data["per_day"]],
                                  title="Documents per day (darker: with threat indicators)")
        return templates.TemplateResponse(request, "dashboard.html", data)

    @app.get("/dashboard.json", tags=["dashboard"], dependencies=[read])
    @app.get("/api/v1/dashboard", tags=["dashboard"], dependencies=[read])
    def dashboard_json():
        """Arrivals in the last 24 hours and 7 days by language, source and threat category,
        documents per day for 14 days, and the strongest threat indicators of the week."""
        return dashboard_data()

    def actors_data(q: str, kind: str) -> dict:
        with db.session() as session:
            return {"query": q, "kind": kind,
                    "actors": list_actors(session, kind=kind or None, query=q or None, limit=200)}

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
    def actors_page(request: Request, q: str = "", kind: str = ""):
        data = actors_data(q, kind)
        data["kinds"] = ["person", "organization", "group", "outlet", "state", "place"]
        return templates.TemplateResponse(request, "actors.html", data)

    @app.get("/actors.json", tags=["actors"], dependencies=[read])
    @app.get("/api/v1/actors", tags=["actors"], dependencies=[read])
    def actors_json(q: str = "", kind: str = ""):
        """Actors of the knowledge base; q matches any alias in any script."""
        return actors_data(q, kind)

    def actor_data(ref: str) -> dict:
        with db.session() as session:
            entity = find_actor(session, ref)
            row = actor_row(session, entity)
            row["roles"] = (entity.meta or {}).get("roles", [])
            row["activity"] = actor_activity(session, entity)
            return row

    @app.get("/actors/{ref}.json", tags=["actors"], dependencies=[read])
    @app.get("/api/v1/actors/{ref}", tags=["actors"], dependencies=[read])
    def actor_json(ref: str):
        """One actor (by id, key or any alias): aliases with provenance, statements, statements
        per month, relations out and in, documents that mention it."""
        return actor_data(ref)

    @app.get("/actors/{ref}", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
    def actor_page(request: Request, ref: str):
        data = actor_data(ref)
        months = data["activity"]["statements_per_month"]
        data["chart"] = bar_chart([(m["month"] + "-01", m["statements"], 0) for m in months],
                                  title="Statements per month") if months else ""
        return templates.TemplateResponse(request, "actor.html", data)

    # -- search -------------------------------------------------------------------------

    def search_data(q: str, lang: list[str], source: str, since: str, until: str, page: int,
                    sort: str, actor: str = "", threat: str = "") -> dict:
        if sort not in ("relevance", "newest"):
            raise BadInput("sort must be relevance or newest")
        source_ids = []
        if source:
            with db.session() as session:
                src = find_source(session, source)
                source_ids = [src.id] if src else [-1]
        filters = SearchFilters(languages=[x for x in lang if x], source_ids=source_ids,
                                since=parse_filter_date(since, "since"), until=parse_filter_date(until, "until"))
        filters = restrict_by_extraction(db, filters, actor=actor or None, category=threat or None)
        results = run_search(db, backend, q, filters, limit=PAGE_SIZE,
                             offset=(page - 1) * PAGE_SIZE, order=sort)
        data = results.as_json()
        data.update({"query": q, "page": page, "pages": max(1, math.ceil(results.total / PAGE_SIZE)),
                     "filters": {"lang": lang, "source": source, "since": since, "until": until,
                                 "sort": sort, "actor": actor, "threat": threat}})
        return data

    def _search_params(q, lang, source, since, until, page, sort, actor="", threat=""):
        return dict(q=q, lang=lang or [], source=source, since=since, until=until, page=page, sort=sort,
                    actor=actor, threat=threat)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
    def search_page(request: Request, q: str = "", lang: list[str] = Query(default=[]),
                    source: str = "", since: str = "", until: str = "",
                    page: int = Query(default=1, ge=1, le=500), sort: str = "relevance",
                    actor: str = "", threat: str = ""):
        data = search_data(**_search_params(q, lang, source, since, until, page, sort, actor, threat))
        with db.session() as session:
            data["sources"] = [s["name"] for s in source_rows(session)]
        data["categories"] = list(THREAT_CATEGORIES)
        base = {"q": q, "lang": lang, "source": source, "since": since, "until": until, "sort": sort,
                "actor": actor, "threat": threat}
        data["page_url"] = lambda n: "/search?" + urlencode({**base, "page": n}, doseq=True)
        data["json_url"] = "/search.json?" + urlencode({**base, "page": page}, doseq=True)
        data["alert_url"] = "/alerts/new?" + urlencode(
            {"q": q, "lang": [x for x in lang if x], "source": [source] if source else []}, doseq=True)
        data["languages"] = ["fa", "prs", "ps", "ar", "ur", "en"]
        return templates.TemplateResponse(request, "search.html", data)

    @app.get("/search.json", tags=["search"], dependencies=[read])
    @app.get("/api/v1/search", tags=["search"], dependencies=[read])
    def search_json(q: str = "", lang: list[str] = Query(default=[]), source: str = "",
                    since: str = "", until: str = "", page: int = Query(default=1, ge=1, le=500),
                    sort: str = "relevance", actor: str = "", threat: str = ""):
        """Full-text search: words, "phrases", OR, -exclusion; filters on language
        (prs = Dari), source name, publication dates (YYYY-MM-DD), an actor mentioned (id,
        key or any alias) and a threat category found in the document."""
        return search_data(**_search_params(q, lang, source, since, until, page, sort, actor, threat))

    # -- documents and captures ---------------------------------------------------------

    def doc_data(doc_id: RowId) -> dict:
        with db.session() as session:
            detail = document_detail(session, doc_id)
            detail["extraction"] = document_extraction(session, doc_id)
            return detail

    @app.get("/documents/{doc_id}.json", tags=["documents"], dependencies=[read])
    @app.get("/api/v1/documents/{doc_id}", tags=["documents"], dependencies=[read])
    def document_json(doc_id: RowId):
        return doc_data(doc_id)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[read])
    def document_page(request: Request, doc_id: RowId):
        data = doc_data(doc_id)
        lang = "prs" if data["dialect"] == "prs" else data["language"]
        data["dir"] = "rtl" if data["language"] in RTL_LANGUAGES else "ltr"
        data["html_lang"] = {"prs": "fa-AF"}.get(lang, lang if lang != "und" else "")
        data["paragraphs"] = [p for p in data["text"].split("\n") if p.strip()]
        data["actors"] = sorted({(e["canonical"], e["kind"]) for e in data["extraction"]["entities"]})
        return templates.TemplateResponse(request, "document.html", data)

    @app.get("/captures/{capture_id}/raw", tags=["documents"], dependencies=[read])
    @app.get("/api/v1/captures/{capture_id}/raw", tags=["documents"], dependencies=[read])
    def capture_raw(capture_id: RowId):
        """The archived bytes exactly as fetched, as a download."""
        with db.session() as session:
            cap = get_capture(session, capture_id)
            key, sha = cap.blob_key, cap.sha256
        content = blobs.get(key)
        return Response(content, media_type="application/octet-stream", headers={
            "Content-Disposition": f'attachment; filename="capture-{capture_id}-{sha[:12]}.bin"',
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "X-Rasad-SHA256": sha,
        })

    # -- sources ------------------------------------------------------------------------

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[see_sources])
    def sources_page(request: Request):
        with db.session() as session:
            return templates.TemplateResponse(request, "sources.html", {"sources": source_rows(session)})

    @app.get("/sources.json", tags=["sources"], dependencies=[see_sources])
    @app.get("/api/v1/sources", tags=["sources"], dependencies=[see_sources])
    def sources_json():
        with db.session() as session:
            return {"sources": source_rows(session)}

    add_account_routes(app, settings=settings, db=db, access=access, templates=templates,
                       throttle=LoginThrottle())
    add_alert_routes(app, settings=settings, db=db, backend=backend, access=access,
                     templates=templates)
    check_every_route_is_guarded(app)
    return app
