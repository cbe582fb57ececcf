"""Read-side queries shared by the CLI and the web app (rows as plain JSON-ready dicts)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rasad.errors import BadInput, NotFound
from rasad.store.documents import versions_of
from rasad.store.sources import KINDS, find_source
from rasad.store.tables import Capture, Document, IngestItem, IngestJob, Source
from rasad.yamldata import load_yaml


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def display_title(title: str, text: str, width: int = 90) -> str:
    """The title, or for untitled items (channel posts) the start of the first line."""
    if title.strip():
        return title
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= width else first[:width].rsplit(" ", 1)[0] + " …"


def document_row(doc: Document, source_name: str | None) -> dict:
    return {
        "id": doc.id, "title": doc.title, "display_title": display_title(doc.title, doc.text), "url": doc.url, "language": doc.language,
        "dialect": doc.dialect, "script": doc.script, "published": _iso(doc.published_at),
        "source": source_name, "version": doc.version, "created_at": _iso(doc.created_at),
    }


def where_language(stmt, language: str | None):
    """``stmt`` limited to documents in ``language``; "prs" is Persian written in Dari."""
    if language == "prs":
        return stmt.where(Document.language == "fa", Document.dialect == "prs")
    if language:
        return stmt.where(Document.language == language)
    return stmt


def latest_documents(session: Session, *, language: str | None = None, source: str | None = None,
                     limit: int = 20, offset: int = 0) -> list[dict]:
    stmt = (select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
            .where(Document.is_latest.is_(True)))
    stmt = where_language(stmt, language)
    if source:
        stmt = stmt.where(Source.name == source)
    stmt = stmt.order_by(func.coalesce(Document.published_at, Document.created_at).desc(),
                         Document.id.desc()).limit(limit).offset(offset)
    return [document_row(doc, name) for doc, name in session.execute(stmt).all()]


def capture_row(cap: Capture) -> dict:
    return {
        "id": cap.id, "url": cap.url, "final_url": cap.final_url, "fetched_at": _iso(cap.fetched_at),
        "http_status": cap.http_status, "content_type": cap.content_type, "sha256": cap.sha256,
        "size": cap.size, "headers": cap.headers,
    }


def document_detail(session: Session, doc_id: int) -> dict:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id}")
    source = session.get(Source, doc.source_id) if doc.source_id else None
    row = document_row(doc, source.name if source else None)
    row.update({
        "author": doc.author, "text": doc.text, "meta": doc.meta, "is_latest": doc.is_latest,
        "source_detail": source_row(session, source, with_counts=False) if source else None,
        "capture": capture_row(session.get(Capture, doc.capture_id)),
        "versions": [{"id": v.id, "version": v.version, "created_at": _iso(v.created_at),
                      "capture_id": v.capture_id} for v in versions_of(session, doc)],
    })
    return row


def get_capture(session: Session, capture_id: int) -> Capture:
    cap = session.get(Capture, capture_id)
    if cap is None:
        raise NotFound(f"no capture {capture_id}")
    return cap


def source_row(session: Session, src: Source, with_counts: bool = True) -> dict:
    row = {
        "id": src.id, "name": src.name, "title": src.title, "kind": src.kind, "url": src.url,
        "language": src.language, "country": src.country, "affiliation": src.affiliation,
        "schedule_minutes": src.schedule_minutes, "active": src.active,
        "last_fetched_at": _iso(src.last_fetched_at), "last_status": src.last_status,
        "last_error": src.last_error, "failures": src.failures,
    }
    if with_counts:
        row["documents"] = session.scalar(
            select(func.count()).select_from(Document)
            .where(Document.source_id == src.id, Document.is_latest.is_(True))) or 0
    return row


def source_rows(session: Session) -> list[dict]:
    counts = dict(session.execute(
        select(Document.source_id, func.count()).where(Document.is_latest.is_(True))
        .group_by(Document.source_id)).all())
    rows = []
    for src in session.scalars(select(Source).order_by(Source.name)):
        row = source_row(session, src, with_counts=False)
        row["documents"] = counts.get(src.id, 0)
        rows.append(row)
    return rows


SOURCE_FIELDS = {"title", "kind", "url", "language", "country", "affiliation", "schedule_minutes", "active"}


def import_sources(session: Session, path: Path) -> tuple[int, int]:
    """Add or update sources from a YAML list of mappings with at least name and kind."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadInput(f"{path}: cannot read sources ({exc})") from exc
    if not isinstance(data, list):
        raise BadInput(f"{path}: expected a YAML list of sources")
    added = updated = 0
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or not item.get("name"):
            raise BadInput(f"{path}: entry {i} needs a name")
        kind = item.get("kind", "file")
        if kind not in KINDS:
            raise BadInput(f"{path}: entry {i} ({item['name']}): unknown kind {kind!r}")
        values = {k: v for k, v in item.items() if k in SOURCE_FIELDS}
        unknown = set(item) - SOURCE_FIELDS - {"name"}
        if unknown:
            raise BadInput(f"{path}: entry {i} ({item['name']}): unknown field(s) {', '.join(sorted(unknown))}")
        src = find_source(session, item["name"])
        if src is None:
            session.add(Source(name=item["name"], **values))
            added += 1
        else:
            for key, value in values.items():
                setattr(src, key, value)
            updated += 1
    session.flush()
    return added, updated


def recent_jobs(session: Session, limit: int = 20) -> list[dict]:
    jobs = session.scalars(select(IngestJob).order_by(IngestJob.id.desc()).limit(limit))
    return [{"id": j.id, "kind": j.kind, "started_at": _iso(j.started_at),
             "finished_at": _iso(j.finished_at), "status": j.status, "stats": j.stats} for j in jobs]


def job_items(session: Session, job_id: int) -> list[dict]:
    items = session.scalars(select(IngestItem).where(IngestItem.job_id == job_id).order_by(IngestItem.id))
    return [{"target": i.target, "status": i.status, "error": i.error, "documents": i.documents}
            for i in items]


def language_counts(session: Session) -> list[dict]:
    rows = session.execute(
        select(Document.language, Document.dialect, func.count())
        .where(Document.is_latest.is_(True)).group_by(Document.language, Document.dialect)
        .order_by(func.count().desc())).all()
    return [{"language": lang, "dialect": dialect, "documents": n} for lang, dialect, n in rows]
