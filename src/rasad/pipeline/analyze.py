"""`rasad analyze`: the whole pipeline on one file, without storing anything.

The output keeps the analysis contract of ARCHITECTURE.md. Threats are detected; the other
extraction fields (entities, statements, dates, relations) are present as empty lists
until their stages land.
"""

from __future__ import annotations

from pathlib import Path

from rasad.collect.files import read_local_file, suffix_of
from rasad.collect.parse import parse_capture
from rasad.config import Settings
from rasad.errors import BadInput
from rasad.model import DocumentDraft
from rasad.pipeline.textstage import run_text_stage


def analyze_draft(draft: DocumentDraft, hint: str | None = None) -> dict:
    from rasad.extract.threats import detect_threats

    result = run_text_stage(draft, hint)
    guess = result.guess
    language = "prs" if guess.dialect == "prs" else guess.language
    threats = detect_threats(draft.text, language)
    return {
        "language": guess.language,
        "dialect": guess.dialect,
        "script": guess.script,
        "title": draft.title,
        "published": draft.published.date().isoformat() if draft.published else None,
        "entities": [],
        "statements": [],
        "dates": [],
        "threats": [{"category": t.category, "score": t.score, "evidence": t.evidence,
                     "start": t.start, "end": t.end, "mode": t.mode, "negated": t.negated,
                     "actor": t.actor, "target": t.target} for t in threats],
        "relations": [],
    }


def analyze_file(path: Path, settings: Settings, hint: str | None = None) -> list[dict]:
    try:
        fetched = read_local_file(path, settings.max_file_bytes)
    except BadInput as exc:
        raise BadInput(f"{path}: {exc}") from exc
    try:
        parsed = parse_capture(fetched, suffix_of(path))
    except BadInput as exc:
        raise BadInput(f"{path}: {exc}") from exc
    return [analyze_draft(d, hint) for d in parsed.drafts]
