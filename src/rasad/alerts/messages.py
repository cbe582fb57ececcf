"""What a message says about each matched document, the same for every channel.

An item: the document's title (or the start of its text), source, language, publication
date, a snippet of the original text around the words of the query, the strongest threat
found in it (category and score), a link to its page on this Rasad (``RASAD_BASE_URL``)
and its original URL. Everything in an item is plain text from outside: each channel
escapes it for its own format (rasad.alerts.email, webhook JSON, feed XML).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.search.query import parse_query
from rasad.search.snippets import make_snippet
from rasad.store.queries import display_title
from rasad.store.tables import Document, SavedSearch, Source, Threat

SNIPPET_CHARS = 300
LANGUAGE_NAMES = {"fa": "Persian", "prs": "Dari", "ps": "Pashto", "ar": "Arabic", "ur": "Urdu",
                  "en": "English", "und": "undetermined"}
_MARK = re.compile(r"</?mark>")


@dataclass
class Item:
    delivery_id: int
    document_id: int
    title: str
    url: str  # the original
    link: str  # the document's page on this Rasad
    source: str
    language: str
    dialect: str | None
    published: datetime | None
    snippet: str  # plain text
    snippet_html: str  # escaped text with <mark> around the query's words
    threat_category: str | None = None
    threat_score: float | None = None
    matched_at: datetime | None = None

    @property
    def language_label(self) -> str:
        key = "prs" if self.dialect == "prs" else self.language
        return LANGUAGE_NAMES.get(key, key)

    @property
    def html_lang(self) -> str:
        return "fa-AF" if self.dialect == "prs" else ("" if self.language == "und" else self.language)

    def as_json(self) -> dict:
        return {
            "delivery_id": self.delivery_id, "document_id": self.document_id, "title": self.title,
            "url": self.url, "link": self.link, "source": self.source or None,
            "language": self.language, "dialect": self.dialect,
            "published": self.published.isoformat() if self.published else None,
            "snippet": self.snippet,
            "threat": ({"category": self.threat_category, "score": self.threat_score}
                       if self.threat_category else None),
            "matched_at": self.matched_at.isoformat() if self.matched_at else None,
        }


@dataclass
class AlertInfo:
    id: int
    name: str
    query: str
    frequency: str
    link: str
    channels: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "query": self.query,
                "frequency": self.frequency, "link": self.link}


def base(base_url: str) -> str:
    return (base_url or "").rstrip("/")


def alert_info(row: SavedSearch, base_url: str) -> AlertInfo:
    return AlertInfo(id=row.id, name=row.name, query=row.query or "", frequency=row.frequency,
                     link=f"{base(base_url)}/alerts/{row.id}", channels=row.channels or {})


def top_threats(session: Session, ids: list[int]) -> dict[int, tuple[str, float]]:
    best: dict[int, tuple[str, float]] = {}
    if not ids:
        return best
    for doc_id, category, score in session.execute(
            select(Threat.document_id, Threat.category, Threat.score)
            .where(Threat.document_id.in_(ids)).order_by(Threat.score.desc(), Threat.id)):
        best.setdefault(doc_id, (category, round(float(score), 2)))
    return best


def plain_snippet(snippet_html: str) -> str:
    return html.unescape(_MARK.sub("", snippet_html))


def items_for(session: Session, alert: SavedSearch, deliveries: list[tuple[int, int, datetime]],
              base_url: str) -> list[Item]:
    """Items for (delivery id, document id, matched at) rows of one alert, in that order."""
    doc_ids = sorted({doc_id for _, doc_id, _ in deliveries})
    if not doc_ids:
        return []
    docs = {doc.id: (doc, source) for doc, source in session.execute(
        select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
        .where(Document.id.in_(doc_ids)))}
    threats = top_threats(session, doc_ids)
    try:
        terms = parse_query(alert.query or "").positive_terms
    except Exception:  # noqa: BLE001 - a snippet without highlights is still a snippet
        terms = []
    root = base(base_url)
    items = []
    for delivery_id, doc_id, matched_at in deliveries:
        if doc_id not in docs:
            continue
        doc, source = docs[doc_id]
        snippet_html = make_snippet(doc.text or "", terms, width=SNIPPET_CHARS, text_norm=doc.text_norm)
        category, score = threats.get(doc_id, (None, None))
        items.append(Item(
            delivery_id=delivery_id, document_id=doc_id,
            title=display_title(doc.title or "", doc.text or "") or "(untitled)", url=doc.url or "",
            link=f"{root}/documents/{doc_id}", source=source or "", language=doc.language,
            dialect=doc.dialect, published=doc.published_at, snippet=plain_snippet(snippet_html),
            snippet_html=snippet_html, threat_category=category, threat_score=score,
            matched_at=matched_at))
    return items
