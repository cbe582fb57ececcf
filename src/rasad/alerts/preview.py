"""`rasad alerts test`: what an alert would have matched in the last days.

Candidates come from the search backend (the alert's query with its language and source
filters, dated in the window, newest first); each is then put through the very matcher
ingest uses, with the document's stored extraction, so the answer is what the alert
would have produced, threat and actor filters included. "Only newer than the alert" is
left out: the point is to see what the alert catches before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from rasad.alerts.matcher import DocText, MatchDoc
from rasad.alerts.messages import Item, items_for
from rasad.alerts.on_ingest import actor_facts, compile_row, threat_facts
from rasad.errors import BadInput, NotFound
from rasad.search.base import SearchBackend, SearchFilters
from rasad.search.query import parse_query
from rasad.store.db import Database
from rasad.store.tables import Document, SavedSearch, utcnow
from rasad.text.normalize import compound_parts, normalize

MAX_DAYS = 366
MAX_CANDIDATES = 5000
SHOWN = 50
CHUNK = 500


@dataclass
class Preview:
    days: int
    matched: int = 0
    checked: int = 0
    truncated: bool = False  # more candidates than were checked
    items: list[Item] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"days": self.days, "matched": self.matched, "checked": self.checked,
                "truncated": self.truncated, "items": [i.as_json() for i in self.items]}


def preview(db: Database, backend: SearchBackend, alert_id: int, *, days: int = 7,
            base_url: str = "", shown: int = SHOWN) -> Preview:
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"--days must be from 1 to {MAX_DAYS}")
    result = Preview(days=days)
    with db.session() as session:
        row = session.get(SavedSearch, alert_id)
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        compiled = compile_row(session, row)
        if compiled is None:
            return result
        compiled = replace(compiled, not_before=None)
        filters = row.filters or {}
        source_ids = list(compiled.source_ids) if compiled.source_ids is not None else []
        if compiled.source_ids is not None and not source_ids:
            return result  # its sources are gone
        search_filters = SearchFilters(languages=list(filters.get("languages", [])),
                                       source_ids=source_ids, since=utcnow() - timedelta(days=days))
    page = backend.search(parse_query(row.query or ""), search_filters, limit=MAX_CANDIDATES,
                          offset=0, order="newest")
    ids = [hit.id for hit in page.hits]
    result.checked = len(ids)
    result.truncated = page.total > len(ids)
    matched: list[tuple[int, datetime]] = []
    with db.session() as session:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            threats = threat_facts(session, chunk) if compiled.needs_threats else {}
            actors = actor_facts(session, chunk) if compiled.needs_actors else {}
            docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(chunk)))}
            for doc_id in chunk:
                doc = docs.get(doc_id)
                if doc is None:
                    continue
                extra = " ".join(compound_parts(f"{doc.title}\n{doc.text}"))
                candidate = MatchDoc(
                    id=doc.id, title_norm=normalize(doc.title or ""), text_norm=doc.text_norm,
                    extra_norm=extra, language=doc.language, dialect=doc.dialect,
                    source_id=doc.source_id, published_at=doc.published_at,
                    ingested_at=doc.created_at, threats=threats.get(doc.id, {}),
                    actor_ids=frozenset(actors.get(doc.id, ())))
                if compiled.matches(candidate, DocText(candidate.title_norm, candidate.text_norm, extra)):
                    matched.append((doc.id, doc.created_at))
        result.matched = len(matched)
        result.items = items_for(session, row, [(0, doc_id, at) for doc_id, at in matched[:shown]],
                                 base_url)
    return result
