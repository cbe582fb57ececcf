"""The knowledge base in the database: seeding from the starter YAML, analysts' edits,
reversible merges, and the actor list the matchers are built from.

The starter data is seeded once per version of the YAML (its hash is kept in
``app_state``): new actors and new aliases are added, nothing an analyst changed or added
is overwritten or removed, so edits survive upgrades. Every alias records its provenance
("starter", "analyst:NAME", "document:N"). A merge sets ``merged_into_id`` on the merged
actor and moves nothing; resolution follows the pointer, and unmerging clears it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rasad.errors import BadInput, NotFound
from rasad.kb.resolve import actor_names
from rasad.kb.starter import KINDS, AliasName
from rasad.store.tables import Alias, AppState, AuditLog, Entity, utcnow
from rasad.text.normalize import normalize
from rasad.text.script import dominant_script

SEED_STATE_KEY = "kb.starter.sha256"


@dataclass
class ActorRecord:
    """An actor as the matchers need it, read back from the database."""

    id: int
    key: str
    canonical: str
    kind: str
    country: str = ""
    affiliation: str = ""
    description: str = ""
    aliases: list[AliasName] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)  # {"title", "start", "end", "titles"}


def slugify(name: str) -> str:
    ascii_name = anyascii(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug or hashlib.sha1(name.encode()).hexdigest()[:10]


def starter_fingerprint(actors: Iterable) -> str:
    payload = [(a.key, a.canonical, a.kind, [(x.name, x.lang, x.script, x.ambiguous, x.in_text) for x in a.aliases],
                [_role_row(r) for r in getattr(a, "roles", []) or []], getattr(a, "parent", None))
               for a in actors]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def seed_starter(session: Session, actors: list, *, force: bool = False) -> tuple[int, int]:
    """Add starter actors and aliases that are not in the database yet: (actors, aliases) added."""
    fingerprint = starter_fingerprint(actors)
    state = session.get(AppState, SEED_STATE_KEY)
    if state is not None and state.value == fingerprint and not force:
        return 0, 0
    existing = {e.key: e for e in session.scalars(select(Entity).where(Entity.key.is_not(None)))}
    known_aliases = {(a.entity_id, a.key): a for a in session.scalars(select(Alias))}
    added_actors = added_aliases = 0
    for actor in actors:
        entity = existing.get(actor.key)
        if entity is None:
            entity = Entity(key=actor.key, origin="starter", canonical=actor.canonical, kind=actor.kind,
                            country=actor.country or "", affiliation=actor.affiliation or "",
                            description=actor.description or "",
                            meta={"parent": actor.parent} if getattr(actor, "parent", None) else {})
            session.add(entity)
            session.flush()
            existing[actor.key] = entity
            added_actors += 1
        flags: dict[str, list] = {}  # one row per normalised name: the flags of all its forms
        for alias in actor_names(actor):
            key = normalize(alias.name)
            if not key:
                continue
            row = flags.setdefault(key, [alias, True, False])
            row[1] = row[1] and alias.in_text
            row[2] = row[2] or alias.ambiguous
        for key, (alias, in_text, ambiguous) in flags.items():
            old = known_aliases.get((entity.id, key))
            if old is not None:
                if old.provenance == "starter":  # keep starter flags current, never an analyst's
                    old.in_text, old.ambiguous = in_text, ambiguous
                continue
            row = Alias(entity_id=entity.id, name=alias.name, language=alias.lang or "",
                        script=alias.script or "", key=key, provenance="starter", status="accepted",
                        in_text=in_text, ambiguous=ambiguous)
            session.add(row)
            known_aliases[(entity.id, key)] = row
            added_aliases += 1
        if entity.origin == "starter":
            meta = dict(entity.meta or {})
            roles = [_role_row(r) for r in getattr(actor, "roles", []) or []]
            if roles or "roles" in meta:
                meta["roles"] = roles
            if getattr(actor, "parent", None):
                meta["parent"] = actor.parent
            entity.meta = meta
    if state is None:
        session.add(AppState(key=SEED_STATE_KEY, value=fingerprint))
    else:
        state.value, state.updated_at = fingerprint, utcnow()
    session.flush()
    return added_actors, added_aliases


def _role_row(role) -> dict:
    return {"title": role.title, "start": role.start, "end": role.end,
            "titles": [list(t) for t in role.titles]}


def get_entity(session: Session, ref: str | int) -> Entity:
    """An actor by id, key or exact canonical name."""
    entity = None
    # an id: ASCII or other decimal digits ("²" is a digit to str.isdigit, not a number), and
    # small enough to be a row id at all
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdecimal() and len(ref) <= 18):
        entity = session.get(Entity, int(ref))
    if entity is None and isinstance(ref, str):
        entity = session.scalars(select(Entity).where(Entity.key == ref)).first()
        if entity is None:
            matches = list(session.scalars(select(Entity).where(Entity.canonical == ref)))
            if len(matches) > 1:
                raise BadInput(f"{ref!r} names {len(matches)} actors; use the key or id")
            entity = matches[0] if matches else None
    if entity is None:
        raise NotFound(f"no actor {ref!r} (see `rasad actors list`)")
    return entity


def surviving(session: Session, entity: Entity) -> Entity:
    """Follow merge pointers to the actor that stands for this one now."""
    seen = {entity.id}
    while entity.merged_into_id is not None:
        entity = session.get(Entity, entity.merged_into_id)
        if entity.id in seen:  # a cycle cannot be created through merge(), but be safe
            break
        seen.add(entity.id)
    return entity


def add_actor(session: Session, canonical: str, kind: str, *, key: str | None = None,
              country: str = "", affiliation: str = "", description: str = "",
              origin: str = "analyst", user: str = "") -> Entity:
    if kind not in KINDS:
        raise BadInput(f"unknown actor kind {kind!r}; use one of {', '.join(KINDS)}")
    if not canonical.strip():
        raise BadInput("an actor needs a name")
    key = key or slugify(canonical)
    if session.scalars(select(Entity).where(Entity.key == key)).first() is not None:
        raise BadInput(f"an actor with key {key!r} exists; pass another --key")
    entity = Entity(key=key, origin=origin, canonical=canonical.strip(), kind=kind, country=country,
                    affiliation=affiliation, description=description, meta={})
    session.add(entity)
    session.flush()
    add_alias(session, entity, canonical, provenance=f"analyst:{user}" if user else "analyst")
    audit(session, "actor.add", entity.key, {"canonical": canonical, "kind": kind, "by": user})
    return entity


def add_alias(session: Session, entity: Entity, name: str, *, language: str = "",
              provenance: str = "analyst", status: str = "accepted") -> Alias | None:
    """Attach a name to an actor; returns None when the actor already has it."""
    key = normalize(name)
    if not key:
        raise BadInput(f"{name!r} has no letters to match on")
    existing = session.scalars(select(Alias).where(Alias.entity_id == entity.id, Alias.key == key)).first()
    if existing is not None:
        if existing.status != "accepted" and status == "accepted":
            existing.status, existing.provenance = "accepted", provenance
        return None
    alias = Alias(entity_id=entity.id, name=name.strip(), language=language,
                  script=dominant_script(name), key=key, provenance=provenance, status=status)
    session.add(alias)
    session.flush()
    return alias


def merge(session: Session, source: Entity, target: Entity, *, user: str = "") -> None:
    source, target = surviving(session, source), surviving(session, target)
    if source.id == target.id:
        raise BadInput("cannot merge an actor into itself")
    source.merged_into_id = target.id
    audit(session, "actor.merge", source.key or str(source.id),
           {"into": target.key or target.id, "by": user})


def unmerge(session: Session, entity: Entity, *, user: str = "") -> Entity:
    if entity.merged_into_id is None:
        raise BadInput(f"{entity.canonical!r} is not merged into another actor")
    target = session.get(Entity, entity.merged_into_id)
    entity.merged_into_id = None
    audit(session, "actor.unmerge", entity.key or str(entity.id), {"from": target.key, "by": user})
    return target


def audit(session: Session, action: str, target: str, detail: dict) -> None:
    session.add(AuditLog(action=action, target=target, detail=detail))


def actor_row(session: Session, entity: Entity, *, with_aliases: bool = True) -> dict:
    row = {"id": entity.id, "key": entity.key, "canonical": entity.canonical, "kind": entity.kind,
           "country": entity.country, "affiliation": entity.affiliation,
           "description": entity.description, "origin": entity.origin,
           "merged_into": None}
    if entity.merged_into_id is not None:
        target = surviving(session, entity)
        row["merged_into"] = {"id": target.id, "key": target.key, "canonical": target.canonical}
    if with_aliases:
        merged_from = list(session.scalars(select(Entity).where(Entity.merged_into_id == entity.id)))
        owners = [entity] + merged_from
        row["merged_from"] = [{"id": e.id, "key": e.key, "canonical": e.canonical} for e in merged_from]
        row["aliases"] = [
            {"name": a.name, "language": a.language, "script": a.script, "provenance": a.provenance,
             "status": a.status, "via": None if a.entity_id == entity.id else owner.key}
            for owner in owners
            for a in session.scalars(select(Alias).where(Alias.entity_id == owner.id).order_by(Alias.id))
        ]
    return row


def list_actors(session: Session, *, kind: str | None = None, query: str | None = None,
                include_merged: bool = False, limit: int = 500) -> list[dict]:
    stmt = select(Entity).order_by(Entity.kind, Entity.canonical)
    if kind:
        stmt = stmt.where(Entity.kind == kind)
    if not include_merged:
        stmt = stmt.where(Entity.merged_into_id.is_(None))
    if query:
        key = normalize(query)
        ids = select(Alias.entity_id).where(Alias.key.contains(key))
        stmt = stmt.where(Entity.id.in_(ids))
    entities = list(session.scalars(stmt.limit(limit)))
    counts = dict(session.execute(
        select(Alias.entity_id, func.count()).where(Alias.entity_id.in_([e.id for e in entities]))
        .group_by(Alias.entity_id)).all()) if entities else {}
    rows = []
    for entity in entities:
        row = actor_row(session, entity, with_aliases=False)
        row["alias_count"] = counts.get(entity.id, 0)
        rows.append(row)
    return rows


def load_actor_records(session: Session) -> list[ActorRecord]:
    """Every surviving actor with the accepted aliases of itself and of actors merged into it."""
    entities = {e.id: e for e in session.scalars(select(Entity))}
    records: dict[int, ActorRecord] = {}

    def root(entity: Entity) -> Entity:
        seen = set()
        while entity.merged_into_id is not None and entity.id not in seen:
            seen.add(entity.id)
            entity = entities[entity.merged_into_id]
        return entity

    for entity in entities.values():
        top = root(entity)
        if top.id not in records:
            records[top.id] = ActorRecord(top.id, top.key or str(top.id), top.canonical, top.kind,
                                          top.country, top.affiliation, top.description,
                                          roles=list((top.meta or {}).get("roles") or []))
    for alias in session.scalars(select(Alias).where(Alias.status == "accepted")):
        entity = entities.get(alias.entity_id)
        if entity is not None:
            records[root(entity).id].aliases.append(
                AliasName(alias.name, alias.language, alias.script, alias.ambiguous, alias.in_text))
    return list(records.values())
