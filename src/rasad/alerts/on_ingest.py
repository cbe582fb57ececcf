"""Matching on ingest: every new document version against every active saved search,
in the ingesting transaction, right after its extraction is stored.

The ingester compiles the active searches (not muted, owner active) once per run and
hands over each stored batch. Facts the filters need from extraction (threat categories
and scores, actors mentioned or quoted) are read back from the rows just written, in
two queries per batch and only when some search filters on them. A match becomes one
outbox row per channel of the search: e-mail and webhook rows wait for the delivery
worker, Atom rows are delivered at once (the feed is read, not sent).

A new version of a page that already alerted a search does not alert it again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rasad.alerts.matcher import CompiledSearch, DocText, MatchDoc, compile_search
from rasad.alerts.outbox import next_due
from rasad.alerts.spec import channel_names
from rasad.errors import RasadError
from rasad.store.tables import (
    Delivery,
    Document,
    Entity,
    Mention,
    SavedSearch,
    Source,
    Statement,
    Threat,
    User,
    utcnow,
)

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass(frozen=True)
class NewDocument:
    """A document version just stored, as the ingester knows it."""

    id: int
    doc_key: str
    title_norm: str
    text_norm: str
    extra_norm: str
    language: str
    dialect: str | None
    source_id: int | None
    published_at: datetime | None
    ingested_at: datetime


def _actor_ids(session: Session, ref: str) -> list[int] | None:
    """The actor's id and those merged into it; None when it no longer exists."""
    from rasad.store.extracted import actor_ids, find_actor

    try:
        return actor_ids(session, find_actor(session, ref))
    except RasadError:
        return None


def compile_row(session: Session, row: SavedSearch) -> CompiledSearch | None:
    """A stored saved search, compiled; None (logged) when it can no longer match."""
    filters = row.filters or {}
    source_ids = None
    if filters.get("sources"):
        source_ids = list(session.scalars(select(Source.id).where(Source.name.in_(filters["sources"]))))
    actors = None
    if filters.get("actor"):
        actors = _actor_ids(session, filters["actor"])
        if actors is None:
            log.warning("alert %s: actor %r is gone; the alert matches nothing", row.id, filters["actor"])
            return None
    try:
        return compile_search(
            row.id, row.query or "", languages=filters.get("languages", []), source_ids=source_ids,
            categories=filters.get("categories", []), min_score=row.min_threat_score or 0.0,
            actor_ids=actors, not_before=row.created_at if row.new_only else None,
            frequency=row.frequency, channels=channel_names(row.channels or {}), user_id=row.user_id)
    except RasadError as exc:  # a query stored before a parser change
        log.warning("alert %s cannot be compiled (%s); it matches nothing", row.id, exc)
        return None


def active_searches(session: Session) -> list[CompiledSearch]:
    rows = session.scalars(
        select(SavedSearch).join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.muted.is_(False), User.active.is_(True)).order_by(SavedSearch.id))
    compiled = (compile_row(session, row) for row in rows)
    return [c for c in compiled if c is not None and c.channels]


def threat_facts(session: Session, ids: list[int]) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for i in range(0, len(ids), CHUNK):
        for doc_id, category, score in session.execute(
                select(Threat.document_id, Threat.category, func.max(Threat.score))
                .where(Threat.document_id.in_(ids[i:i + CHUNK]))
                .group_by(Threat.document_id, Threat.category)):
            out[doc_id][category] = float(score)
    return out


def actor_facts(session: Session, ids: list[int]) -> dict[int, set[int]]:
    """Actors each document mentions or quotes, with the actors they were merged into."""
    out: dict[int, set[int]] = defaultdict(set)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        for doc_id, entity_id in session.execute(
                select(Mention.document_id, Mention.entity_id)
                .where(Mention.document_id.in_(chunk), Mention.entity_id.is_not(None))
                .union(select(Statement.document_id, Statement.speaker_entity_id)
                       .where(Statement.document_id.in_(chunk),
                              Statement.speaker_entity_id.is_not(None)))):
            out[doc_id].add(entity_id)
    merged = dict(session.execute(select(Entity.id, Entity.merged_into_id)
                                  .where(Entity.merged_into_id.is_not(None))).all())
    if merged:
        for found in out.values():
            for entity_id in list(found):
                seen = {entity_id}
                while entity_id in merged and merged[entity_id] not in seen:
                    entity_id = merged[entity_id]
                    seen.add(entity_id)
                found |= seen
    return out


class AlertMatcher:
    """The active saved searches of one ingest run, and the outbox rows they produce."""

    def __init__(self, searches: list[CompiledSearch], *, daily_hour: int = 6) -> None:
        self.searches = searches
        self.daily_hour = daily_hour
        self.needs_threats = any(s.needs_threats for s in searches)
        self.needs_actors = any(s.needs_actors for s in searches)

    @classmethod
    def load(cls, session: Session, *, daily_hour: int = 6) -> AlertMatcher:
        return cls(active_searches(session), daily_hour=daily_hour)

    def matches(self, docs: list[MatchDoc]) -> list[tuple[CompiledSearch, MatchDoc]]:
        """Every (search, document) pair that matches."""
        found = []
        for doc in docs:
            text = None
            for search in self.searches:
                if (search.groups or search.excluded) and text is None:
                    text = DocText(doc.title_norm, doc.text_norm, doc.extra_norm)
                if search.matches(doc, text):
                    found.append((search, doc))
        return found

    def match_and_queue(self, session: Session, docs: list[NewDocument],
                        now: datetime | None = None) -> int:
        """Match stored documents and write their outbox rows; returns rows written."""
        if not self.searches or not docs:
            return 0
        ids = [d.id for d in docs]
        threats = threat_facts(session, ids) if self.needs_threats else {}
        actors = actor_facts(session, ids) if self.needs_actors else {}
        prepared = [MatchDoc(id=d.id, title_norm=d.title_norm, text_norm=d.text_norm,
                             extra_norm=d.extra_norm, language=d.language, dialect=d.dialect,
                             source_id=d.source_id, published_at=d.published_at,
                             ingested_at=d.ingested_at, threats=threats.get(d.id, {}),
                             actor_ids=frozenset(actors.get(d.id, ())))
                    for d in docs]
        pairs = self.matches(prepared)
        if not pairs:
            return 0
        keys = {d.id: d.doc_key for d in docs}
        already = _alerted_keys(session, {s.id for s, _ in pairs}, {keys[d.id] for _, d in pairs},
                                set(ids))
        now = now or utcnow()
        rows = []
        for search, doc in pairs:
            if (search.id, keys[doc.id]) in already:
                continue
            for channel in search.channels:
                row = {"saved_search_id": search.id, "document_id": doc.id, "channel": channel,
                       "attempts": 0, "last_error": "", "created_at": now}
                if channel == "atom":
                    row.update(status="delivered", next_attempt_at=None, delivered_at=now)
                else:
                    row.update(status="pending", delivered_at=None,
                               next_attempt_at=next_due(search.frequency, now, self.daily_hour))
                rows.append(row)
        if rows:
            session.connection().execute(_insert_ignoring_duplicates(session), rows)
        return len(rows)


def _alerted_keys(session: Session, search_ids: set[int], doc_keys: set[str],
                  new_ids: set[int]) -> set[tuple[int, str]]:
    """(search, doc_key) pairs already alerted through an earlier version of the page."""
    found: set[tuple[int, str]] = set()
    keys = sorted(doc_keys)
    for i in range(0, len(keys), CHUNK):
        for search_id, doc_id, key in session.execute(
                select(Delivery.saved_search_id, Delivery.document_id, Document.doc_key)
                .join(Document, Document.id == Delivery.document_id)
                .where(Document.doc_key.in_(keys[i:i + CHUNK]),
                       Delivery.saved_search_id.in_(search_ids))):
            if doc_id not in new_ids:
                found.add((search_id, key))
    return found


def _insert_ignoring_duplicates(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return pg_insert(Delivery).on_conflict_do_nothing(constraint="uq_delivery")
    if dialect == "sqlite":
        return sqlite_insert(Delivery).on_conflict_do_nothing()
    return insert(Delivery)
