"""Storing what the extraction stage found for documents.

Re-running the stage replaces its own rows for those documents and nothing else, so
re-analysis with a new stage version is idempotent and safe to interrupt (it runs in the
caller's transaction). Names a clarification proposes for a known actor are stored as
aliases with status ``proposed`` and provenance ``document:N``, for an analyst to accept.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from rasad.store.tables import (
    Alias,
    DateMention,
    Document,
    Entity,
    Mention,
    Relation,
    Statement,
    Threat,
)
from rasad.text.normalize import normalize
from rasad.text.script import dominant_script

CHUNK = 500


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def entity_ids(session: Session, keys: set[str]) -> dict[str, int]:
    """Database ids of actors by their stable key."""
    found: dict[str, int] = {}
    keys_list = sorted(k for k in keys if k)
    for chunk in range(0, len(keys_list), CHUNK):
        rows = session.execute(select(Entity.key, Entity.id)
                               .where(Entity.key.in_(keys_list[chunk:chunk + CHUNK]))).all()
        found.update({k: i for k, i in rows})
    return found


def replace_extractions(session: Session, results: list[tuple[int, object]], *, stage: str,
                        version: int) -> None:
    """Replace entities, statements, dates, threats and relations of each (document id, result)."""
    if not results:
        return
    conn = session.connection()
    doc_ids = [doc_id for doc_id, _ in results]
    for chunk in _chunks(doc_ids):
        for table in (Threat, Relation, Statement, Mention, DateMention):
            conn.execute(delete(table).where(table.document_id.in_(chunk)))
        conn.execute(delete(Alias).where(Alias.status == "proposed",
                                         Alias.provenance.in_([f"document:{i}" for i in chunk])))
    keys: set[str] = set()
    for _, r in results:
        keys |= {e.entity_key for e in r.entities if e.entity_key}
        keys |= {s.speaker_key for s in r.statements if s.speaker_key}
        keys |= {p.entity_key for p in r.proposals}
    ids = entity_ids(session, keys)
    by_canonical: dict[str, int] = {}
    for _, r in results:
        for e in r.entities:
            if e.entity_key in ids:
                by_canonical.setdefault(e.canonical, ids[e.entity_key])
        for s in r.statements:
            if s.speaker_key in ids and s.speaker:
                by_canonical.setdefault(s.speaker, ids[s.speaker_key])

    mentions, dates, statements, owners, threats, relations = [], [], [], [], [], []
    for doc_id, r in results:
        mentions += [{"document_id": doc_id, "entity_id": ids.get(e.entity_key), "text": e.text,
                      "canonical": e.canonical, "kind": e.kind, "role": e.role or "",
                      "start": e.start, "end": e.end, "stage_version": version} for e in r.entities]
        dates += [{"document_id": doc_id, "text": d.text, "calendar": d.calendar, "iso": d.iso,
                   "start": d.start, "end": d.end, "stage_version": version} for d in r.dates]
        for index, s in enumerate(r.statements):
            statements.append({
                "document_id": doc_id, "speaker_entity_id": ids.get(s.speaker_key),
                "speaker_text": s.speaker or "", "speaker_name": r.speaker_names.get(index, s.speaker or ""),
                "speaker_role": s.speaker_role or "", "quote": s.quote, "quote_translation": "",
                "kind": s.kind, "date_said": s.date, "outlet": s.outlet or "", "start": s.start,
                "end": s.end, "stage_version": version})
            owners.append(doc_id)
        relations += [{"document_id": doc_id, "source_entity_id": by_canonical.get(x.source),
                       "source_text": x.source, "type": x.type, "target_entity_id": by_canonical.get(x.target),
                       "target_text": x.target, "evidence": x.evidence, "confidence": x.confidence,
                       "start": getattr(x, "start", None), "end": getattr(x, "end", None),
                       "stage_version": version} for x in r.relations]
    statement_ids: list[int] = []
    if statements:
        statement_ids = list(conn.execute(
            insert(Statement).returning(Statement.id, sort_by_parameter_order=True), statements).scalars())
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for row, statement_id in zip(statements, statement_ids, strict=True):
        spans.setdefault(row["document_id"], []).append((row["start"], row["end"], statement_id))
    for doc_id, r in results:
        for t in r.threats:
            inside = [sid for start, end, sid in spans.get(doc_id, ()) if start < t.end and t.start < end]
            threats.append({"document_id": doc_id, "statement_id": inside[0] if inside else None,
                            "category": t.category, "score": t.score, "evidence": t.evidence,
                            "start": t.start, "end": t.end, "mode": t.mode, "negated": t.negated,
                            "actor": t.actor or "", "target": t.target or "", "stage_version": version})
    for table, rows in ((Mention, mentions), (DateMention, dates), (Threat, threats), (Relation, relations)):
        if rows:
            conn.execute(insert(table), rows)
    _propose_aliases(session, results, ids)
    stages: dict[int, dict] = {}
    for chunk in _chunks(doc_ids):  # one read for all documents, not one per document
        stages.update(session.execute(select(Document.id, Document.stages).where(Document.id.in_(chunk))).all())
    for doc_id in doc_ids:
        conn.execute(update(Document).where(Document.id == doc_id)
                     .values(stages={**(stages.get(doc_id) or {}), stage: version}))


def _propose_aliases(session: Session, results, ids: dict[str, int]) -> None:
    proposals = [(doc_id, p) for doc_id, r in results for p in r.proposals if p.entity_key in ids]
    if not proposals:
        return
    entity_list = sorted({ids[p.entity_key] for _, p in proposals})
    known = set(session.execute(select(Alias.entity_id, Alias.key)
                                .where(Alias.entity_id.in_(entity_list))).all())
    rows = []
    for doc_id, p in proposals:
        key = normalize(p.alias)
        entity_id = ids[p.entity_key]
        if not key or (entity_id, key) in known:
            continue
        known.add((entity_id, key))
        rows.append({"entity_id": entity_id, "name": p.alias, "language": "",
                     "script": dominant_script(p.alias), "key": key, "provenance": f"document:{doc_id}",
                     "status": "proposed", "in_text": True, "ambiguous": False})
    if rows:
        session.connection().execute(insert(Alias), rows)
