"""Plain dataclasses that flow through the pipeline. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FetchResult:
    """One HTTP exchange (or one file read), exactly as received."""

    url: str  # what was asked for
    final_url: str  # after redirects
    status: int | None  # None for local files
    headers: dict[str, str]
    content: bytes
    fetched_at: datetime  # timezone-aware, UTC
    content_type: str = ""  # media type without parameters, lower case
    charset: str | None = None  # charset parameter of Content-Type, if any
    not_modified: bool = False  # a 304 answer to a conditional GET (content is empty)

    @property
    def etag(self) -> str | None:
        return _header(self.headers, "etag")

    @property
    def last_modified(self) -> str | None:
        return _header(self.headers, "last-modified")


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


@dataclass
class DocumentDraft:
    """A document as a collector parsed it out of a capture, before language work."""

    url: str  # canonical URL of the item (or file URI)
    text: str
    title: str = ""
    author: str = ""
    published: datetime | None = None
    item_key: str = ""  # identifies the item inside its capture (feed guid, JSONL id)
    language_hint: str = ""
    source_name: str = ""  # a source named by the item itself (e.g. a JSONL record)
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # ISO 639-1 where it exists: en, fa, ar, ps, ur ...; "und" when unsure
    dialect: str | None  # "prs" (Dari) or "fa" (Iranian Persian) for Persian, else None
    script: str  # ISO 15924: "Arab", "Latn", ... ; "Zyyy" when none dominates
    confidence: float  # 0..1


# --- extraction output (the analysis contract of `rasad analyze --json`) ------------------
# Offsets are character offsets into the document text, end exclusive.


@dataclass(frozen=True)
class DateMatch:
    text: str
    calendar: str  # gregorian, solar_hijri, lunar_hijri
    iso: str | None  # YYYY-MM-DD in the Gregorian calendar
    start: int
    end: int
    relative: bool = False  # resolved against the publication date ("yesterday", "دیروز")
    precision: str = "day"  # day, month, year


@dataclass(frozen=True)
class EntityMatch:
    text: str
    canonical: str  # the knowledge base's name when resolved, else the text
    kind: str  # person, organization, outlet, state, place, group
    start: int
    end: int
    entity_key: str | None = None  # the knowledge base's stable key (slug) when resolved
    role: str = ""  # a title or role given with the name ("spokesman of ...")


@dataclass(frozen=True)
class ThreatMatch:
    category: str  # one of the categories in ARCHITECTURE.md
    score: float  # 0..1
    evidence: str
    start: int
    end: int
    mode: str = "report"  # call, threat, praise, report, denial
    negated: bool = False
    actor: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class StatementMatch:
    speaker: str | None
    speaker_role: str
    quote: str
    kind: str  # direct, indirect
    date: str | None  # YYYY-MM-DD
    outlet: str | None
    start: int  # of the quote
    end: int
    speaker_key: str | None = None


@dataclass(frozen=True)
class RelationMatch:
    source: str
    type: str  # criticize, praise, threaten, support, ally, appeal, deny, refuse_comment
    target: str
    evidence: str
    confidence: float = 0.5
