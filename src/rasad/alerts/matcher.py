"""The query language and an alert's filters evaluated on one document, in memory.

A saved search must match a new document exactly when `rasad search` would find it, so
this uses the search's own parser (rasad.search.query: words, "phrases", OR, -exclusion,
ZWNJ compound variants) and sees the document the way both search backends index it:

* the title's normalised tokens, and the body's: the normalised text followed by the
  parts of its ZWNJ compounds (``IndexedDoc.extra_norm``);
* a word matches when it is one of those tokens, a phrase when its tokens stand next to
  each other in the title or in the body.

Filters: languages ("prs" is Persian with the Dari dialect, "fa" all Persian, as in
search), sources, and, from the extraction stored for the document, threat categories,
the minimum threat score and an actor mentioned (or quoted). Nothing here touches the
database: ``rasad.alerts.on_ingest`` gathers the facts and compiles the searches once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from rasad.search.query import Term, parse_query


@dataclass(frozen=True)
class MatchDoc:
    """One new document as the matcher sees it."""

    id: int
    title_norm: str
    text_norm: str
    extra_norm: str = ""
    language: str = "und"
    dialect: str | None = None
    source_id: int | None = None
    published_at: datetime | None = None
    ingested_at: datetime | None = None
    threats: dict[str, float] = field(default_factory=dict)  # category -> highest score
    actor_ids: frozenset[int] = frozenset()  # actors mentioned or quoted


class DocText:
    """A document's tokens and padded token strings, made once and shared by all searches."""

    __slots__ = ("_title", "_body", "tokens")

    def __init__(self, title_norm: str, text_norm: str, extra_norm: str = "") -> None:
        body = f"{text_norm} {extra_norm}" if extra_norm else text_norm
        self._title = f" {title_norm} "
        self._body = f" {body} "
        self.tokens = frozenset(title_norm.split()) | frozenset(body.split())

    def has(self, term: Term) -> bool:
        tokens = term.tokens
        if len(tokens) == 1:
            return tokens[0] in self.tokens
        if not all(t in self.tokens for t in tokens):
            return False
        needle = " " + " ".join(tokens) + " "
        return needle in self._body or needle in self._title


@dataclass(frozen=True)
class CompiledSearch:
    """A saved search ready to be tried on many documents."""

    id: int
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    languages: frozenset[str] = frozenset()
    source_ids: frozenset[int] | None = None  # None: any source
    categories: frozenset[str] = frozenset()
    min_score: float = 0.0
    actor_ids: frozenset[int] | None = None  # None: any actor
    not_before: datetime | None = None  # "only newer than the alert": its creation time
    frequency: str = "immediate"
    channels: tuple[str, ...] = ()
    user_id: int | None = None

    @property
    def needs_threats(self) -> bool:
        return bool(self.categories) or self.min_score > 0

    @property
    def needs_actors(self) -> bool:
        return self.actor_ids is not None

    def matches(self, doc: MatchDoc, text: DocText | None = None) -> bool:
        """Whether the document passes every filter and the query (cheapest checks first)."""
        if self.languages and not _language_ok(self.languages, doc.language, doc.dialect):
            return False
        if self.source_ids is not None and doc.source_id not in self.source_ids:
            return False
        if self.not_before is not None and not is_newer(doc, self.not_before):
            return False
        if self.needs_threats and not threat_ok(doc.threats, self.categories, self.min_score):
            return False
        if self.actor_ids is not None and not (self.actor_ids & doc.actor_ids):
            return False
        if not self.groups and not self.excluded:
            return True
        if text is None:
            text = DocText(doc.title_norm, doc.text_norm, doc.extra_norm)
        for group in self.groups:
            if not any(text.has(term) for term in group):
                return False
        return not any(text.has(term) for term in self.excluded)


def compile_search(search_id: int, query: str, *, languages: Iterable[str] = (),
                   source_ids: Iterable[int] | None = None, categories: Iterable[str] = (),
                   min_score: float = 0.0, actor_ids: Iterable[int] | None = None,
                   not_before: datetime | None = None, frequency: str = "immediate",
                   channels: Iterable[str] = (), user_id: int | None = None) -> CompiledSearch:
    parsed = parse_query(query)
    return CompiledSearch(
        id=search_id, groups=tuple(tuple(g) for g in parsed.groups), excluded=tuple(parsed.excluded),
        languages=frozenset(languages),
        source_ids=None if source_ids is None else frozenset(source_ids),
        categories=frozenset(categories), min_score=float(min_score or 0.0),
        actor_ids=None if actor_ids is None else frozenset(actor_ids), not_before=not_before,
        frequency=frequency, channels=tuple(channels), user_id=user_id)


def _language_ok(languages: frozenset[str], language: str, dialect: str | None) -> bool:
    if language in languages:
        return True
    return "prs" in languages and language == "fa" and dialect == "prs"


def threat_ok(threats: dict[str, float], categories: frozenset[str], min_score: float) -> bool:
    """With categories: a threat of one of them, scoring at least ``min_score``; without:
    any threat scoring at least ``min_score``."""
    scores = [s for c, s in threats.items() if not categories or c in categories]
    if not scores:
        return False
    return max(scores) >= min_score


def is_newer(doc: MatchDoc, not_before: datetime) -> bool:
    """Dated (published, else ingested) at or after ``not_before``. A publication date
    without a time of day (midnight exactly) counts as the whole day, since many outlets
    give only the date."""
    published, ingested = _utc(doc.published_at), _utc(doc.ingested_at)
    not_before = _utc(not_before)
    when = published or ingested
    if when is None or not_before is None:
        return True
    if published is not None and published.time() == time(0):
        return published.date() >= not_before.date()
    return when >= not_before


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
