"""Reading local inputs: which parser suits a file, JSON Lines records, plain text, WARC.

JSON / JSON Lines record shape (one object per line, or a JSON array of objects):

    {"id": "channel/1234",          # required: unique within the file's source
     "text": "...",                 # required unless "html" is given
     "html": "<p>...</p>",          # optional: the post as HTML (its text is used)
     "url": "https://...",          # optional: where the item lives
     "title": "", "author": "",
     "published": "2024-10-05T14:20:00+04:30",   # ISO 8601
     "language": "ps",              # optional hint: en, fa, prs, ps, ar, ur ...
     "source": "source-name",       # optional: a source name (created if unknown)
     "meta": {...}}                 # optional: kept as is (views, forwarded_from ...)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rasad.collect.html import html_fragment_text
from rasad.errors import BadInput
from rasad.model import DocumentDraft, FetchResult

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}
INGESTIBLE = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSON_SUFFIXES | WARC_SUFFIXES


def suffix_of(path: Path | str) -> str:
    name = str(path).lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return Path(name).suffix


def content_type_for(path: Path) -> str:
    suffix = suffix_of(path)
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in FEED_SUFFIXES:
        return "application/xml"
    if suffix == ".json":
        return "application/json"
    if suffix in {".jsonl", ".ndjson"}:
        return "application/x-ndjson"
    if suffix in WARC_SUFFIXES:
        return "application/warc"
    return "text/plain"


NOT_DOCUMENTS = ("readme", "license", "licence", "changelog")


def iter_input_files(root: Path) -> Iterator[Path]:
    """Files under a directory that Rasad can ingest, in a stable order (hidden files and a
    folder's README/LICENSE/CHANGELOG are documentation, not documents, and are skipped)."""
    for path in sorted(root.rglob("*")):
        if (path.is_file() and not path.name.startswith(".") and suffix_of(path) in INGESTIBLE
                and not path.name.lower().startswith(NOT_DOCUMENTS)):
            yield path


def _parse_time(value: object, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadInput(f"{where}: 'published' must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadInput(f"{where}: 'published' is not an ISO 8601 date: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def record_to_draft(record: object, where: str, default_url: str) -> DocumentDraft:
    if not isinstance(record, dict):
        raise BadInput(f"{where}: expected a JSON object")
    rid = record.get("id")
    if rid in (None, ""):
        raise BadInput(f"{where}: record has no 'id'")
    text = record.get("text")
    if not text and record.get("html"):
        text = html_fragment_text(str(record["html"]))
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f"{where}: record {rid!r} has no 'text'")
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise BadInput(f"{where}: 'meta' must be an object")
    url = str(record.get("url") or "")
    return DocumentDraft(
        url=url or default_url,
        item_key="" if url else str(rid),
        text=text.strip(),
        title=str(record.get("title") or ""),
        author=str(record.get("author") or ""),
        published=_parse_time(record.get("published"), where),
        language_hint=str(record.get("language") or ""),
        source_name=str(record.get("source") or ""),
        meta={"record_id": str(rid), **meta},
    )


@dataclass
class RecordError:
    where: str
    message: str


def parse_json_records(text: str, url: str, jsonl: bool) -> tuple[list[DocumentDraft], list[RecordError]]:
    """Drafts from JSON Lines (or a JSON array); a bad line is reported, the rest go on."""
    drafts: list[DocumentDraft] = []
    errors: list[RecordError] = []
    if not jsonl:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInput(f"not valid JSON: {exc}") from exc
        items = data if isinstance(data, list) else [data]
        for i, record in enumerate(items, 1):
            try:
                drafts.append(record_to_draft(record, f"item {i}", url))
            except BadInput as exc:
                errors.append(RecordError(f"item {i}", str(exc)))
        return drafts, errors
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            drafts.append(record_to_draft(record, f"line {lineno}", url))
        except json.JSONDecodeError as exc:
            errors.append(RecordError(f"line {lineno}", f"line {lineno}: not valid JSON ({exc.msg})"))
        except BadInput as exc:
            errors.append(RecordError(f"line {lineno}", str(exc)))
    if not drafts and errors and len(errors) == sum(1 for ln in text.splitlines() if ln.strip()):
        raise BadInput(f"no valid record in the file; first problem: {errors[0].message}")
    return drafts, errors


def text_to_draft(text: str, url: str) -> DocumentDraft:
    """A plain-text file, kept exactly (offsets point into it); a short first line is the title."""
    stripped = text.strip()
    if not stripped:
        raise BadInput("the file holds no text")
    first = stripped.split("\n", 1)[0].strip()
    title = first if len(first) <= 200 and "\n" in stripped else ""
    return DocumentDraft(url=url, text=text, title=title)


def read_local_file(path: Path, max_bytes: int) -> FetchResult:
    """A local file as a capture-to-be: its bytes, its file:// URI and the time of reading."""
    if not path.is_file():
        raise BadInput("no such file or directory")
    size = path.stat().st_size
    if size > max_bytes:
        raise BadInput(f"file is too large ({size // (1024 * 1024)} MB; the limit is "
                       f"{max_bytes // (1024 * 1024)} MB, RASAD_MAX_FILE_BYTES)")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read ({exc.strerror})") from exc
    uri = path.resolve().as_uri()
    return FetchResult(url=uri, final_url=uri, status=None, headers={}, content=content,
                       fetched_at=datetime.now(UTC), content_type=content_type_for(path))
