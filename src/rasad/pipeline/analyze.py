"""`rasad analyze`: the whole pipeline on one file, without storing anything.

The output keeps the analysis contract of ARCHITECTURE.md; each list item carries a few
fields beyond the contract (an entity's role and key, a statement's speaker as written,
a threat's mode) that analysts use. The knowledge base comes from the database when one
exists (so analysts' edits count), else from the starter YAML; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from rasad.collect.files import read_local_file, suffix_of
from rasad.collect.parse import parse_capture
from rasad.config import Settings
from rasad.errors import BadInput
from rasad.extract.document import Extraction, Extractor
from rasad.model import DocumentDraft
from rasad.pipeline.textstage import run_text_stage


def contract(extraction: Extraction) -> dict:
    """The extraction lists of the analysis JSON."""
    return {
        "entities": [{"text": e.text, "canonical": e.canonical, "kind": e.kind, "start": e.start,
                      "end": e.end, "key": e.entity_key, "role": e.role or None}
                     for e in extraction.entities],
        "statements": [{"speaker": s.speaker, "speaker_role": s.speaker_role or None, "quote": s.quote,
                        "kind": s.kind, "date": s.date, "outlet": s.outlet, "start": s.start,
                        "end": s.end, "speaker_text": extraction.speaker_names.get(i, s.speaker),
                        "speaker_key": s.speaker_key}
                       for i, s in enumerate(extraction.statements)],
        "dates": [{"text": d.text, "calendar": d.calendar, "iso": d.iso, "start": d.start, "end": d.end,
                   "relative": d.relative, "precision": d.precision}
                  for d in extraction.dates if d.iso],
        "threats": [{"category": t.category, "score": t.score, "evidence": t.evidence,
                     "start": t.start, "end": t.end, "mode": t.mode, "negated": t.negated,
                     "actor": t.actor, "target": t.target} for t in extraction.threats],
        "relations": [{"source": r.source, "type": r.type, "target": r.target, "evidence": r.evidence,
                       "confidence": r.confidence} for r in extraction.relations],
        "proposed_aliases": [{"actor": p.canonical, "alias": p.alias, "evidence": p.evidence}
                             for p in extraction.proposals],
    }


def analyze_draft(draft: DocumentDraft, extractor: Extractor, hint: str | None = None) -> dict:
    result = run_text_stage(draft, hint)
    guess = result.guess
    found = extractor.run(draft.text, guess.language, guess.dialect, published=draft.published,
                          title=draft.title, author=draft.author, outlet=draft.source_name)
    return {
        "language": guess.language,
        "dialect": guess.dialect,
        "script": guess.script,
        "title": draft.title,
        "published": draft.published.date().isoformat() if draft.published else None,
        **contract(found),
    }


def kb_extractor(settings: Settings) -> Extractor:
    """An extractor over the database's knowledge base if there is a database, else the starter."""
    from rasad.kb.starter import load_starter

    if _database_exists(settings):
        from rasad.kb.store import load_actor_records
        from rasad.store.db import Database

        db = Database(settings.db_url, auto_migrate=False)
        try:
            with db.session() as session:
                records = load_actor_records(session)
        except Exception:  # an old or unreachable database: fall back to the starter data
            records = []
        finally:
            db.dispose()
        if records:
            return Extractor(records)
    return Extractor(load_starter())


def _database_exists(settings: Settings) -> bool:
    db_file = settings.sqlite_file
    if db_file is not None:
        return db_file.exists()
    return not settings.db_url.startswith("sqlite")  # a server database; in-memory SQLite has no KB


def analyze_file(path: Path, settings: Settings, hint: str | None = None,
                 extractor: Extractor | None = None) -> list[dict]:
    try:
        fetched = read_local_file(path, settings.max_file_bytes)
    except BadInput as exc:
        raise BadInput(f"{path}: {exc}") from exc
    try:
        parsed = parse_capture(fetched, suffix_of(path))
    except BadInput as exc:
        raise BadInput(f"{path}: {exc}") from exc
    extractor = extractor or kb_extractor(settings)
    return [analyze_draft(d, extractor, hint) for d in parsed.drafts]
