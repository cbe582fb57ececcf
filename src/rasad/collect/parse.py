"""Bytes of a capture -> document drafts, whatever the format (HTML, feed, JSON, text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasad.collect.encoding import decode_bytes, sniff_declared_charset
from rasad.collect.feeds import FEED_TYPES, looks_like_feed, parse_feed
from rasad.collect.files import JSON_SUFFIXES, RecordError, parse_json_records, text_to_draft
from rasad.collect.html import extract_html
from rasad.errors import BadInput
from rasad.model import DocumentDraft, FetchResult

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Parsed:
    kind: str  # html, feed, json, jsonl, text
    drafts: list[DocumentDraft]
    record_errors: list[RecordError] = field(default_factory=list)


def decode(fetched: FetchResult) -> str:
    declared = fetched.charset or sniff_declared_charset(fetched.content)
    text, _encoding = decode_bytes(fetched.content, declared)
    return text


def kind_of(fetched: FetchResult, suffix: str = "") -> str:
    ctype = fetched.content_type
    if suffix in JSON_SUFFIXES:
        return "jsonl" if suffix in (".jsonl", ".ndjson") else "json"
    if ctype in FEED_TYPES or looks_like_feed(fetched.content):
        return "feed"
    if ctype in HTML_TYPES:
        return "html"
    if ctype == "application/json":
        return "json"
    if ctype in ("application/x-ndjson", "application/jsonl"):
        return "jsonl"
    if ctype.startswith("text/") or ctype in ("", "application/xml", "application/octet-stream"):
        head = fetched.content[:1024].lower()
        if b"<html" in head or b"<!doctype html" in head:
            return "html"
        return "text"
    raise BadInput(f"cannot ingest content of type {ctype!r}")


def parse_capture(fetched: FetchResult, suffix: str = "") -> Parsed:
    """Drafts from one capture (control characters that no text means, such as NUL, dropped
    from their fields). Raises BadInput when nothing usable is in it."""
    parsed = _parse(fetched, suffix)
    for draft in parsed.drafts:
        for name in ("text", "title", "author", "url", "item_key", "language_hint", "source_name"):
            value = getattr(draft, name)
            if isinstance(value, str) and _CONTROL.search(value):
                setattr(draft, name, _CONTROL.sub("", value))
    return parsed


# C0 controls other than tab, line feed and carriage return: PostgreSQL refuses NUL in text,
# and none of them is part of what a page or post says
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _parse(fetched: FetchResult, suffix: str) -> Parsed:
    if not fetched.content:
        raise BadInput("empty content")
    kind = kind_of(fetched, suffix)
    page_url = fetched.final_url or fetched.url
    if kind == "feed":
        _info, drafts = parse_feed(fetched.content, page_url)
        return Parsed(kind, drafts)
    text = decode(fetched)
    if kind == "html":
        return Parsed(kind, [extract_html(text, page_url if fetched.status else "")])
    if kind in ("json", "jsonl"):
        drafts, errors = parse_json_records(text, fetched.url, jsonl=kind == "jsonl")
        return Parsed(kind, drafts, errors)
    return Parsed(kind, [text_to_draft(text, fetched.url)])
