"""What every search backend offers, and the filters they all understand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from rasad.errors import BadInput
from rasad.search.query import ParsedQuery


def parse_filter_date(value: str | None, name: str) -> datetime | None:
    """A --since/--until style value (YYYY-MM-DD, or a full ISO time) as an aware datetime."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadInput(f"{name}: not a date (use YYYY-MM-DD): {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class SearchFilters:
    languages: list[str] = field(default_factory=list)  # "prs" selects Persian with dialect prs
    source_ids: list[int] = field(default_factory=list)
    since: datetime | None = None  # on the publication date (capture date when unknown)
    until: datetime | None = None
    # only these documents (None: no restriction); set from extraction filters (an actor
    # mentioned, a threat category found) by rasad.search.service.restrict_by_extraction
    document_ids: list[int] | None = None


@dataclass
class IndexedDoc:
    """What a backend needs to index one document."""

    id: int
    title_norm: str
    text_norm: str
    language: str
    dialect: str | None
    source_id: int | None
    sort_at: datetime  # published_at, or the capture time when unknown
    extra_norm: str = ""  # more tokens to index: parts of ZWNJ compounds (text.compound_parts)


@dataclass
class Hit:
    id: int
    score: float


@dataclass
class HitPage:
    total: int
    hits: list[Hit]
    total_is_estimate: bool = False  # beyond the backend's exact-count cap


class SearchBackend(Protocol):
    name: str

    def add(self, docs: Iterable[IndexedDoc]) -> None: ...

    def remove(self, ids: Iterable[int]) -> None: ...

    def commit(self) -> None: ...

    def clear(self) -> None: ...

    def search(
        self, query: ParsedQuery, filters: SearchFilters, *, limit: int, offset: int, order: str
    ) -> HitPage: ...

    def count(self) -> int: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...
