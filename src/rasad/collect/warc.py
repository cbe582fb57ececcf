"""Reading WARC files (warcio): every HTTP response record is a capture of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from rasad.collect.fetcher import parse_content_type
from rasad.errors import BadInput
from rasad.model import FetchResult


def _warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def iter_warc_responses(path: Path) -> Iterator[FetchResult]:
    """Each `response` (and `resource`) record as a FetchResult with its original date."""
    found = 0
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type not in ("response", "resource"):
                    continue
                url = (record.rec_headers.get_header("WARC-Target-URI")
                       or record.rec_headers.get_header("uri") or "")
                if "://" not in url:  # junk read as a legacy ARC header
                    continue
                found += 1
                fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
                status = None
                headers: dict[str, str] = {}
                content_type = record.rec_headers.get_header("Content-Type") or ""
                if record.http_headers is not None:
                    code = record.http_headers.get_statuscode()
                    status = int(code) if code and code.isdigit() else None
                    headers = {k.lower(): v for k, v in record.http_headers.headers}
                    content_type = headers.get("content-type", "")
                media, charset = parse_content_type(content_type)
                yield FetchResult(
                    url=url, final_url=url, status=status, headers=headers,
                    content=record.content_stream().read(), fetched_at=fetched_at,
                    content_type=media, charset=charset,
                )
    except ArchiveLoadFailed as exc:
        raise BadInput(f"not a readable WARC file: {str(exc).splitlines()[0]}") from exc
    if not found:
        raise BadInput("not a readable WARC file: no response or resource records in it")
