"""Sources: the feeds, sites, channels and file drops an analyst monitors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.errors import BadInput, NotFound
from rasad.store.tables import Source

KINDS = ("rss", "web", "telegram", "sitemap", "file")


def get_source(session: Session, name: str) -> Source:
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        raise NotFound(f"no source named {name!r} (see `rasad sources list`)")
    return source


def find_source(session: Session, name: str) -> Source | None:
    return session.scalars(select(Source).where(Source.name == name)).first()


def add_source(session: Session, name: str, url: str, kind: str, **fields: object) -> Source:
    if kind not in KINDS:
        raise BadInput(f"unknown source kind {kind!r}; use one of {', '.join(KINDS)}")
    if not name.strip():
        raise BadInput("a source needs a name")
    if find_source(session, name) is not None:
        raise BadInput(f"a source named {name!r} already exists")
    if kind != "file" and not url.startswith(("http://", "https://")):
        raise BadInput(f"source URL must start with http:// or https://, got {url!r}")
    source = Source(name=name, url=url, kind=kind,
                    **{k: v for k, v in fields.items() if v is not None})
    session.add(source)
    session.flush()
    return source


def ensure_source(session: Session, name: str, kind: str = "file") -> Source:
    return find_source(session, name) or add_source(session, name, "", kind)


def list_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))


def due_sources(session: Session, now: datetime | None = None) -> list[Source]:
    now = now or datetime.now(UTC)
    due = []
    for source in session.scalars(
        select(Source).where(Source.active.is_(True), Source.kind.in_(("rss", "web")))
        .order_by(Source.name)
    ):
        last = source.last_fetched_at
        if last is None or last + timedelta(minutes=source.schedule_minutes) <= now:
            due.append(source)
    return due
