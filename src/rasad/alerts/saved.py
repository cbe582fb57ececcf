"""Saved searches in the store: create, edit, mute, delete, find, list, and their history.

Each belongs to a user; a name is unique per user. The command line acts for the
server's operator and sees every alert; the web app passes the viewer, who sees their
own alerts (an admin sees all). Webhook secrets are never shown back: rows say only
whether one is set.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from rasad.alerts.outbox import next_due
from rasad.alerts.spec import AlertSpec, channel_names
from rasad.errors import BadInput, NotFound
from rasad.store.tables import Delivery, Document, Entity, SavedSearch, Source, User, utcnow

FEED_TOKEN_BYTES = 24
HISTORY_LIMIT = 200
MAX_ID = 2**31 - 1  # an id beyond what the column holds is simply not there


def _check_references(session: Session, spec: AlertSpec) -> AlertSpec:
    """Sources must exist; an actor is stored by its key (or id) so renames do not break it."""
    for name in spec.sources:
        if session.scalar(select(Source.id).where(Source.name == name)) is None:
            raise NotFound(f"no source named {name!r} (see `rasad sources list`)")
    if spec.actor:
        from rasad.pipeline.extraction import ensure_kb
        from rasad.store.extracted import find_actor

        ensure_kb(session)
        entity = find_actor(session, spec.actor)
        spec.actor = entity.key or str(entity.id)
    return spec


def _name_taken(session: Session, user_id: int | None, name: str, but: int | None = None) -> bool:
    stmt = select(SavedSearch.id).where(SavedSearch.name == name)
    stmt = stmt.where(SavedSearch.user_id.is_(None) if user_id is None else SavedSearch.user_id == user_id)
    if but is not None:
        stmt = stmt.where(SavedSearch.id != but)
    return session.scalar(stmt) is not None


def create_alert(session: Session, user: User, spec: AlertSpec, *, now: datetime | None = None) -> SavedSearch:
    spec = _check_references(session, spec.checked())
    if _name_taken(session, user.id, spec.name):
        raise BadInput(f"{user.email} already has an alert named {spec.name!r}")
    now = now or utcnow()
    row = SavedSearch(user_id=user.id, name=spec.name, query=spec.query, filters=spec.filters(),
                      min_threat_score=spec.min_score, channels=spec.channels(),
                      frequency=spec.frequency, muted=spec.muted, new_only=spec.new_only,
                      feed_token=secrets.token_urlsafe(FEED_TOKEN_BYTES) if spec.atom else None,
                      created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def update_alert(session: Session, row: SavedSearch, spec: AlertSpec, *,
                 daily_hour: int = 6) -> SavedSearch:
    """Replace an alert's definition. Its creation time (and so "only newer") stays; a
    webhook secret left empty keeps the one set before, for the same URL."""
    old = AlertSpec.of(row)
    if spec.webhook_url and not spec.webhook_secret and spec.webhook_url == old.webhook_url:
        spec.webhook_secret = old.webhook_secret
    spec = _check_references(session, spec.checked())
    if _name_taken(session, row.user_id, spec.name, but=row.id):
        raise BadInput(f"there is already an alert named {spec.name!r}")
    now = utcnow()
    row.name, row.query, row.filters = spec.name, spec.query, spec.filters()
    row.min_threat_score, row.channels, row.new_only = spec.min_score, spec.channels(), spec.new_only
    if spec.atom and not row.feed_token:
        row.feed_token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    elif not spec.atom:
        row.feed_token = None
    if spec.frequency != row.frequency:  # waiting messages follow the new schedule
        session.execute(update(Delivery).where(
            Delivery.saved_search_id == row.id, Delivery.status.in_(("pending", "retry")))
            .values(next_attempt_at=next_due(spec.frequency, now, daily_hour)))
        row.frequency = spec.frequency
    row.updated_at = now
    set_muted(session, row, spec.muted)
    gone = {"email", "webhook", "atom"} - set(channel_names(row.channels))
    if gone:
        _cancel(session, row.id, f"the {' and '.join(sorted(gone))} channel was removed",
                channels=sorted(gone))
    session.flush()
    return row


def set_muted(session: Session, row: SavedSearch, muted: bool) -> SavedSearch:
    """A muted alert matches nothing, and what it had waiting is not sent."""
    if muted and not row.muted:
        _cancel(session, row.id, "the alert was muted")
    row.muted = muted
    return row


def _cancel(session: Session, search_id: int, reason: str, channels: list[str] | None = None) -> None:
    stmt = (update(Delivery).where(Delivery.saved_search_id == search_id,
                                   Delivery.status.in_(("pending", "retry", "sending")))
            .values(status="cancelled", last_error=reason, lease_owner=None, lease_until=None))
    if channels is not None:
        stmt = stmt.where(Delivery.channel.in_(channels))
    session.execute(stmt)


def delete_alert(session: Session, row: SavedSearch) -> None:
    session.execute(delete(Delivery).where(Delivery.saved_search_id == row.id))
    session.delete(row)
    session.flush()


def get_alert(session: Session, ref: str | int, *, owner: User | None = None) -> SavedSearch:
    """An alert by id or by name (with ``owner``, only that user's). A name several users
    gave their alerts needs the user (``--user``) or the id."""
    text = str(ref).strip()
    if text.isdigit():
        row = session.get(SavedSearch, int(text)) if int(text) <= MAX_ID else None
        if row is None or (owner is not None and row.user_id != owner.id):
            raise NotFound(f"no alert {text}")
        return row
    stmt = select(SavedSearch).where(SavedSearch.name == text)
    if owner is not None:
        stmt = stmt.where(SavedSearch.user_id == owner.id)
    rows = list(session.scalars(stmt))
    if not rows:
        raise NotFound(f"no alert named {text!r} (see `rasad alerts list`)")
    if len(rows) > 1:
        raise BadInput(f"{len(rows)} users have an alert named {text!r}: add --user EMAIL or use its id "
                       f"({', '.join(str(r.id) for r in rows)})")
    return rows[0]


def visible_alert(session: Session, alert_id: int, *, user_id: int, is_admin: bool) -> SavedSearch:
    """An alert its owner (or an admin) may see; anyone else gets "no alert", not "forbidden",
    so ids do not tell whose alerts exist."""
    row = session.get(SavedSearch, alert_id) if 0 < alert_id <= MAX_ID else None
    if row is None or (row.user_id != user_id and not is_admin):
        raise NotFound(f"no alert {alert_id}")
    return row


def _actor_names(session: Session, refs: set[str]) -> dict[str, str]:
    names = {}
    for ref in refs:
        entity = None
        if ref.isdigit():
            entity = session.get(Entity, int(ref))
        if entity is None:
            entity = session.scalar(select(Entity).where(Entity.key == ref))
        names[ref] = entity.canonical if entity is not None else ref
    return names


def alert_row(row: SavedSearch, owner: str | None, *, counts: dict[str, int] | None = None,
              actor_name: str = "") -> dict:
    spec = AlertSpec.of(row)
    return {
        "id": row.id, "name": row.name, "user": owner, "query": row.query,
        "filters": {"languages": spec.languages, "sources": spec.sources,
                    "categories": spec.categories, "actor": spec.actor or None,
                    "actor_name": actor_name or spec.actor or None},
        "min_score": row.min_threat_score, "frequency": row.frequency, "muted": row.muted,
        "new_only": row.new_only,
        "channels": {"email": spec.emails,
                     "webhook": ({"url": spec.webhook_url, "secret_set": bool(spec.webhook_secret)}
                                 if spec.webhook_url else None),
                     "atom": spec.atom},
        "feed_path": f"/alerts/feed/{row.feed_token}.atom" if row.feed_token else None,
        "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
        "deliveries": counts or {},
    }


def _counts(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return out
    for search_id, status, n in session.execute(
            select(Delivery.saved_search_id, Delivery.status, func.count())
            .where(Delivery.saved_search_id.in_(ids))
            .group_by(Delivery.saved_search_id, Delivery.status)):
        out[search_id][status] = n
    return out


def alert_rows(session: Session, *, user_id: int | None = None,
               rows: list[SavedSearch] | None = None) -> list[dict]:
    """Alerts with their owner and delivery counts by status (one user's, or everyone's)."""
    if rows is None:
        stmt = select(SavedSearch).order_by(SavedSearch.name, SavedSearch.id)
        if user_id is not None:
            stmt = stmt.where(SavedSearch.user_id == user_id)
        rows = list(session.scalars(stmt))
    owners = dict(session.execute(select(User.id, User.email).where(
        User.id.in_({r.user_id for r in rows if r.user_id is not None}))).all()) if rows else {}
    counts = _counts(session, [r.id for r in rows])
    actors = _actor_names(session, {(r.filters or {}).get("actor") for r in rows} - {None, ""})
    return [alert_row(r, owners.get(r.user_id), counts=counts[r.id],
                      actor_name=actors.get((r.filters or {}).get("actor") or "", ""))
            for r in rows]


def history_rows(session: Session, row: SavedSearch, *, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The alert's outbox, newest first: what matched, on which channel, and what became of it."""
    result = session.execute(
        select(Delivery, Document.title, Document.language, Document.dialect, Source.name)
        .join(Document, Document.id == Delivery.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(Delivery.saved_search_id == row.id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit))
    return [{"id": d.id, "document": {"id": d.document_id, "title": title, "language": lang,
                                      "dialect": dialect, "source": source},
             "channel": d.channel, "status": d.status, "attempts": d.attempts,
             "matched_at": d.created_at.isoformat(),
             "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
             "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
             "last_error": d.last_error or None}
            for d, title, lang, dialect, source in result]
