"""Storing what the extraction stage found for a document.

Re-running the stage replaces its own rows for that document and nothing else, so
re-analysis with a new stage version is idempotent and safe to interrupt (it runs in
the caller's transaction).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from rasad.store.tables import DateMention, Document, Entity, Mention, Relation, Statement, Threat


def entity_ids_by_key(session: Session, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    rows = session.execute(select(Entity.key, Entity.id).where(Entity.key.in_(list(keys)))).all()
    return {k: i for k, i in rows}


def replace_extraction(session: Session, document_id: int, result, *, stage: str, version: int) -> None:
    """Replace the document's entities, statements, dates, threats and relations."""
    conn = session.connection()
    for table in (Threat, Statement, Mention, DateMention, Relation):
        conn.execute(delete(table).where(table.document_id == document_id))
    keys = {e.entity_key for e in result.entities if e.entity_key}
    keys |= {s.speaker_key for s in result.statements if s.speaker_key}
    ids = entity_ids_by_key(session, keys)
    if result.entities:
        conn.execute(insert(Mention), [
            {"document_id": document_id, "entity_id": ids.get(e.entity_key), "text": e.text,
             "kind": e.kind, "start": e.start, "end": e.end, "stage_version": version}
            for e in result.entities])
    if result.dates:
        conn.execute(insert(DateMention), [
            {"document_id": document_id, "text": d.text, "calendar": d.calendar, "iso": d.iso,
             "start": d.start, "end": d.end, "stage_version": version} for d in result.dates])
    if result.statements:
        conn.execute(insert(Statement), [
            {"document_id": document_id, "speaker_entity_id": ids.get(s.speaker_key),
             "speaker_text": s.speaker or "", "speaker_role": s.speaker_role or "", "quote": s.quote,
             "quote_translation": "", "kind": s.kind, "date_said": s.date, "outlet": s.outlet or "",
             "start": s.start, "end": s.end, "stage_version": version} for s in result.statements])
    if result.threats:
        conn.execute(insert(Threat), [
            {"document_id": document_id, "statement_id": None, "category": t.category,
             "score": t.score, "evidence": t.evidence, "start": t.start, "end": t.end,
             "stage_version": version} for t in result.threats])
    if result.relations:
        names = {r.source for r in result.relations} | {r.target for r in result.relations}
        by_name = dict(session.execute(
            select(Entity.canonical, Entity.id).where(Entity.canonical.in_(list(names)))).all())
        conn.execute(insert(Relation), [
            {"document_id": document_id, "source_entity_id": by_name.get(r.source),
             "source_text": r.source, "type": r.type, "target_entity_id": by_name.get(r.target),
             "target_text": r.target, "evidence": r.evidence, "confidence": r.confidence,
             "stage_version": version} for r in result.relations])
    doc = session.get(Document, document_id)
    doc.stages = {**(doc.stages or {}), stage: version}
