"""Read side of extraction: statements, threats, relations and mentions with filters.

Shared by the CLI (`rasad statements|threats|relations`) and the web app. An actor
filter takes an id, a key, a canonical name or any accepted alias in any script
("ذبیح‌الله مجاهد", "Mujahid's" key "zabihullah-mujahid"), and covers the actors merged
into it. Only the latest version of each document counts.
"""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from rasad.errors import BadInput, NotFound
from rasad.kb.store import get_entity, surviving
from rasad.search.base import parse_filter_date
from rasad.store.queries import where_language
from rasad.store.tables import Alias, Document, Entity, Mention, Relation, Source, Statement, Threat
from rasad.text.normalize import normalize

THREAT_CATEGORIES = ("suicide_attack", "call_to_violence", "threat_of_attack", "recruitment",
                     "foreign_fighters", "financing", "weapons", "incitement", "praise_of_attack")
RELATION_TYPES = ("criticize", "praise", "threaten", "support", "ally", "appeal", "deny", "refuse_comment")


def find_actor(session: Session, ref: str) -> Entity:
    """The surviving actor an id, key, canonical name or alias names."""
    try:
        return surviving(session, get_entity(session, ref))
    except NotFound:
        pass
    key = normalize(ref)
    owners = {surviving(session, e).id: surviving(session, e) for e in session.scalars(
        select(Entity).join(Alias, Alias.entity_id == Entity.id)
        .where(Alias.key == key, Alias.status == "accepted"))}
    if not owners:
        raise NotFound(f"no actor {ref!r} (see `rasad actors list`)")
    if len(owners) > 1:
        names = ", ".join(sorted(e.key or str(e.id) for e in owners.values()))
        raise BadInput(f"{ref!r} names several actors ({names}); use a key")
    return next(iter(owners.values()))


def actor_ids(session: Session, entity: Entity) -> list[int]:
    """The actor and every actor merged into it, directly or through others."""
    ids = {entity.id}
    frontier = [entity.id]
    while frontier:
        frontier = [i for (i,) in session.execute(select(Entity.id).where(Entity.merged_into_id.in_(frontier)))
                    if i not in ids]
        ids.update(frontier)
    return sorted(ids)


def _documents(stmt: Select, table, *, language: str | None, since: str | None,
               document: int | None) -> Select:
    stmt = stmt.join(Document, Document.id == table.document_id).where(Document.is_latest.is_(True))
    stmt = where_language(stmt, language)
    start = parse_filter_date(since, "--since")
    if start is not None:
        stmt = stmt.where(func.coalesce(Document.published_at, Document.created_at) >= start)
    if document is not None:
        stmt = stmt.where(Document.id == document)
    return stmt


def _doc(doc: Document, source: str | None) -> dict:
    return {"id": doc.id, "title": doc.title, "url": doc.url, "language": doc.language,
            "dialect": doc.dialect, "source": source,
            "published": doc.published_at.date().isoformat() if doc.published_at else None}


def list_statements(session: Session, *, speaker: str | None = None, actor: str | None = None,
                    language: str | None = None, since: str | None = None, document: int | None = None,
                    kind: str | None = None, limit: int = 50, offset: int = 0) -> list[dict]:
    stmt = _documents(select(Statement, Document, Source.name), Statement, language=language,
                      since=since, document=document).outerjoin(Source, Source.id == Document.source_id)
    if speaker:
        try:
            ids = actor_ids(session, find_actor(session, speaker))
            stmt = stmt.where(Statement.speaker_entity_id.in_(ids))
        except NotFound:  # not in the knowledge base: the name as written
            stmt = stmt.where(or_(Statement.speaker_name.contains(speaker),
                                  Statement.speaker_text.contains(speaker)))
    if actor:
        ids = actor_ids(session, find_actor(session, actor))
        mentioned = select(Mention.document_id).where(Mention.entity_id.in_(ids))
        stmt = stmt.where(or_(Statement.speaker_entity_id.in_(ids), Statement.document_id.in_(mentioned)))
    if kind:
        if kind not in ("direct", "indirect"):
            raise BadInput("--kind: use direct or indirect")
        stmt = stmt.where(Statement.kind == kind)
    stmt = stmt.order_by(Statement.date_said.desc().nulls_last(), Document.published_at.desc().nulls_last(),
                         Statement.document_id, Statement.start).limit(limit).offset(offset)
    return [{"id": s.id, "speaker": s.speaker_text or None, "speaker_as_written": s.speaker_name or None,
             "speaker_id": s.speaker_entity_id, "speaker_role": s.speaker_role or None, "quote": s.quote,
             "kind": s.kind, "date": s.date_said, "outlet": s.outlet or None, "start": s.start, "end": s.end,
             "document": _doc(d, src)} for s, d, src in session.execute(stmt).all()]


def list_threats(session: Session, *, category: str | None = None, actor: str | None = None,
                 language: str | None = None, since: str | None = None, document: int | None = None,
                 min_score: float = 0.0, limit: int = 50, offset: int = 0) -> list[dict]:
    if category and category not in THREAT_CATEGORIES:
        raise BadInput(f"--category: unknown threat category {category!r}; use one of "
                       f"{', '.join(THREAT_CATEGORIES)}")
    stmt = _documents(select(Threat, Document, Source.name), Threat, language=language, since=since,
                      document=document).outerjoin(Source, Source.id == Document.source_id)
    if category:
        stmt = stmt.where(Threat.category == category)
    if min_score:
        stmt = stmt.where(Threat.score >= min_score)
    if actor:
        ids = actor_ids(session, find_actor(session, actor))
        stmt = stmt.where(Threat.document_id.in_(select(Mention.document_id).where(Mention.entity_id.in_(ids))))
    stmt = stmt.order_by(Threat.score.desc(), Threat.id.desc()).limit(limit).offset(offset)
    return [{"id": t.id, "category": t.category, "score": t.score, "mode": t.mode, "negated": t.negated,
             "evidence": t.evidence, "actor": t.actor or None, "target": t.target or None,
             "statement_id": t.statement_id, "start": t.start, "end": t.end, "document": _doc(d, src)}
            for t, d, src in session.execute(stmt).all()]


def list_relations(session: Session, *, actor: str | None = None, source: str | None = None,
                   target: str | None = None, type: str | None = None, language: str | None = None,
                   since: str | None = None, document: int | None = None, limit: int = 50,
                   offset: int = 0) -> list[dict]:
    if type and type not in RELATION_TYPES:
        raise BadInput(f"--type: unknown relation type {type!r}; use one of {', '.join(RELATION_TYPES)}")
    stmt = _documents(select(Relation, Document, Source.name), Relation, language=language, since=since,
                      document=document).outerjoin(Source, Source.id == Document.source_id)
    if type:
        stmt = stmt.where(Relation.type == type)
    if actor:
        ids = actor_ids(session, find_actor(session, actor))
        stmt = stmt.where(or_(Relation.source_entity_id.in_(ids), Relation.target_entity_id.in_(ids)))
    if source:
        stmt = stmt.where(Relation.source_entity_id.in_(actor_ids(session, find_actor(session, source))))
    if target:
        stmt = stmt.where(Relation.target_entity_id.in_(actor_ids(session, find_actor(session, target))))
    stmt = stmt.order_by(Relation.id.desc()).limit(limit).offset(offset)
    return [{"id": r.id, "source": r.source_text, "source_id": r.source_entity_id, "type": r.type,
             "target": r.target_text, "target_id": r.target_entity_id, "evidence": r.evidence,
             "confidence": r.confidence, "document": _doc(d, src)} for r, d, src in session.execute(stmt).all()]


def document_extraction(session: Session, doc_id: int) -> dict:
    """Everything extracted from one document, for its page and its JSON twin."""
    mentions = session.scalars(select(Mention).where(Mention.document_id == doc_id)
                               .order_by(Mention.start)).all()
    return {
        "entities": [{"text": m.text, "canonical": m.canonical or m.text, "kind": m.kind, "role": m.role or None,
                      "entity_id": m.entity_id, "start": m.start, "end": m.end} for m in mentions],
        "statements": list_statements(session, document=doc_id, limit=1000),
        "threats": list_threats(session, document=doc_id, limit=1000),
        "relations": list_relations(session, document=doc_id, limit=1000),
    }


def actor_activity(session: Session, entity: Entity, limit: int = 20) -> dict:
    """An actor's page: counts, recent statements, statements per month, relations out and in,
    and the latest documents that mention it (actors merged into it included)."""
    ids = actor_ids(session, entity)
    mentioned = session.execute(
        select(func.count(func.distinct(Mention.document_id))).where(Mention.entity_id.in_(ids))).scalar_one()
    said = session.execute(select(func.count()).select_from(Statement)
                           .where(Statement.speaker_entity_id.in_(ids))).scalar_one()
    # the month said, else published, else arrived: every statement has a place in time
    month = func.substr(func.coalesce(Statement.date_said,
                                      func.cast(func.coalesce(Document.published_at, Document.created_at),
                                                Statement.quote.type)), 1, 7)
    per_month = session.execute(
        select(month, func.count()).join(Document, Document.id == Statement.document_id)
        .where(Statement.speaker_entity_id.in_(ids), Document.is_latest.is_(True))
        .group_by(month).order_by(month)).all()
    documents = session.execute(
        select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
        .where(Document.is_latest.is_(True),
               Document.id.in_(select(Mention.document_id).where(Mention.entity_id.in_(ids))))
        .order_by(func.coalesce(Document.published_at, Document.created_at).desc()).limit(limit)).all()
    relations = list_relations(session, actor=str(entity.id), limit=200)
    return {
        "documents": mentioned,
        "statements": said,
        "statements_per_month": [{"month": m, "statements": n} for m, n in per_month if m],
        "recent_statements": list_statements(session, speaker=str(entity.id), limit=limit),
        "relations_out": [r for r in relations if r["source_id"] in ids][:limit],
        "relations_in": [r for r in relations if r["target_id"] in ids][:limit],
        "relations": relations[:limit],
        "latest_documents": [_doc(d, src) for d, src in documents],
    }
