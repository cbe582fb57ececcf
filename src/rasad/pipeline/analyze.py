"""`rasad analyze`: the whole pipeline on one file, without storing anything.

The output keeps the analysis contract of ARCHITECTURE.md. Extraction fields (entities,
statements, dates, threats, relations) are filled by the extraction stages; until those
run they are present as empty lists.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rasad.collect.files import content_type_for, suffix_of
from rasad.collect.parse import parse_capture
from rasad.config import Settings
from rasad.errors import BadInput
from rasad.model import DocumentDraft, FetchResult
from rasad.pipeline.textstage import run_text_stage


def analyze_draft(draft: DocumentDraft, hint: str | None = None) -> dict:
    result = run_text_stage(draft, hint)
    guess = result.guess
    return {
        "language": guess.language,
        "dialect": guess.dialect,
        "script": guess.script,
        "title": draft.title,
        "published": draft.published.date().isoformat() if draft.published else None,
        "entities": [],
        "statements": [],
        "dates": [],
        "threats": [],
        "relations": [],
    }


def analyze_file(path: Path, settings: Settings, hint: str | None = None) -> list[dict]:
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise BadInput(f"{path}: file is too large ({size // (1024 * 1024)} MB; the limit is "
                       f"{settings.max_file_bytes // (1024 * 1024)} MB)")
    fetched = FetchResult(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), status=None,
                          headers={}, content=path.read_bytes(), fetched_at=datetime.now(UTC),
                          content_type=content_type_for(path))
    try:
        parsed = parse_capture(fetched, suffix_of(path))
    except BadInput as exc:
        raise BadInput(f"{path}: {exc}") from exc
    return [analyze_draft(d, hint) for d in parsed.drafts]
