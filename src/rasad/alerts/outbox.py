"""The outbox: rows written on ingest, claimed by delivery workers with a lease.

A row is one (saved search, document, channel); the unique constraint makes a second
row for the same three impossible, so nothing is queued twice. Its life:

    pending ──claim──> sending ──sent──> delivered
       ^                  │ └──error──> retry (next_attempt_at = now + backoff) ──> ... failed
       └── lease expired ─┘                     (after alerts_max_attempts attempts)

Claiming sets ``status = 'sending'``, a fresh ``lease_owner`` and ``lease_until``, and
counts the attempt. A worker that dies mid-delivery leaves its rows ``sending``; once the
lease has expired they are due again, so nothing is lost (a message may then be sent a
second time if the worker died after sending and before recording it: delivery is at
least once, and each message carries its delivery ids for receivers to drop repeats).
Every later update names the lease owner, so a worker whose lease was taken over cannot
overwrite what the new holder records.

PostgreSQL claims with ``SELECT ... FOR UPDATE SKIP LOCKED`` (workers never wait on
each other's rows); SQLite, which has one writer at a time, with a single conditional
``UPDATE ... WHERE id IN (due rows) AND still due``.

Digests: a row of an hourly or daily alert is due at the end of its period (the next full
hour; the next ``alerts_daily_hour`` o'clock UTC), so all rows of one period fall due
together and the worker sends them as one message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from rasad.store.tables import Delivery, utcnow

CLAIM_BATCH = 200


def next_due(frequency: str, now: datetime, daily_hour: int = 6) -> datetime:
    """When a row matched at ``now`` is to be sent: at once, or at the end of its period."""
    if frequency == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if frequency == "daily":
        due = now.replace(hour=daily_hour % 24, minute=0, second=0, microsecond=0)
        return due if due > now else due + timedelta(days=1)
    return now


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base, ... capped."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Claimed:
    id: int
    saved_search_id: int
    document_id: int
    channel: str
    attempts: int  # including this one
    created_at: datetime
    lease_owner: str


def _due(now: datetime, max_attempts: int):
    return or_(
        and_(Delivery.status.in_(("pending", "retry")), Delivery.next_attempt_at <= now),
        and_(Delivery.status == "sending", Delivery.lease_until <= now,
             Delivery.attempts < max_attempts),
    )


def claim(session: Session, *, now: datetime | None = None, lease_seconds: float = 300.0,
          max_attempts: int = 10, limit: int = CLAIM_BATCH, owner: str | None = None,
          only: tuple[int, str] | None = None) -> list[Claimed]:
    """Claim up to ``limit`` due rows for this worker and commit the claim; with ``only``,
    rows of that (saved search, channel) alone (the rest of a digest)."""
    now = now or utcnow()
    owner = owner or uuid.uuid4().hex
    # SQLite: a transaction that has read cannot become a writer once another connection
    # has written ("database is locked" at once, no waiting), so every write here starts
    # a transaction of its own and reads are committed straight after
    session.commit()
    values = {"status": "sending", "lease_owner": owner,
              "lease_until": now + timedelta(seconds=lease_seconds),
              "attempts": Delivery.attempts + 1}
    due = _due(now, max_attempts)
    if only is not None:
        due = and_(due, Delivery.saved_search_id == only[0], Delivery.channel == only[1])
    order = (Delivery.next_attempt_at, Delivery.id)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(select(Delivery.id).where(due).order_by(*order).limit(limit)
                                   .with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(**values))
    else:
        picked = select(Delivery.id).where(due).order_by(*order).limit(limit).scalar_subquery()
        session.execute(update(Delivery).where(Delivery.id.in_(picked), due).values(**values))
    session.commit()
    rows = session.execute(
        select(Delivery.id, Delivery.saved_search_id, Delivery.document_id, Delivery.channel,
               Delivery.attempts, Delivery.created_at)
        .where(Delivery.lease_owner == owner, Delivery.status == "sending")
        .order_by(Delivery.saved_search_id, Delivery.channel, Delivery.id)).all()
    session.commit()
    return [Claimed(r.id, r.saved_search_id, r.document_id, r.channel, r.attempts, r.created_at, owner)
            for r in rows]


def _held(rows: list[Claimed]):
    owners = {r.lease_owner for r in rows}
    return and_(Delivery.id.in_([r.id for r in rows]), Delivery.status == "sending",
                Delivery.lease_owner.in_(owners))


def renew(session: Session, rows: list[Claimed], *, now: datetime | None = None,
          lease_seconds: float = 300.0) -> list[Claimed]:
    """Extend the lease of rows about to be sent (a claim may take a while to work
    through); returns those still held, leaving out any another worker took over."""
    if not rows:
        return []
    now = now or utcnow()
    session.commit()
    session.execute(update(Delivery).where(_held(rows)).values(
        lease_until=now + timedelta(seconds=lease_seconds)))
    session.commit()
    held = set(session.scalars(select(Delivery.id).where(_held(rows))))
    session.commit()
    return [r for r in rows if r.id in held]


def mark_delivered(session: Session, rows: list[Claimed], *, now: datetime | None = None,
                   note: str = "") -> int:
    if not rows:
        return 0
    result = session.execute(update(Delivery).where(_held(rows)).values(
        status="delivered", delivered_at=now or utcnow(), lease_owner=None, lease_until=None,
        last_error=note))
    return result.rowcount or 0


def mark_failed_attempt(session: Session, rows: list[Claimed], error: str, *,
                        now: datetime | None = None, base: float = 60.0, cap: float = 21600.0,
                        max_attempts: int = 10) -> tuple[int, int]:
    """Schedule a retry with backoff, or give up after ``max_attempts``. Returns
    (retried, failed)."""
    now = now or utcnow()
    retried = failed = 0
    error = error[:2000]
    for row in rows:
        if row.attempts >= max_attempts:
            values = {"status": "failed", "next_attempt_at": None}
        else:
            values = {"status": "retry", "next_attempt_at": now + backoff(row.attempts, base, cap)}
        result = session.execute(update(Delivery).where(_held([row])).values(
            last_error=error, lease_owner=None, lease_until=None, **values))
        if result.rowcount:
            if values["status"] == "failed":
                failed += 1
            else:
                retried += 1
    return retried, failed


def cancel(session: Session, rows: list[Claimed], reason: str) -> int:
    if not rows:
        return 0
    result = session.execute(update(Delivery).where(_held(rows)).values(
        status="cancelled", last_error=reason, lease_owner=None, lease_until=None,
        next_attempt_at=None))
    return result.rowcount or 0


def fail_abandoned(session: Session, *, now: datetime | None = None, max_attempts: int = 10) -> int:
    """Rows whose worker died on every one of their attempts: failed, not claimed forever."""
    now = now or utcnow()
    result = session.execute(update(Delivery).where(
        Delivery.status == "sending", Delivery.lease_until <= now,
        Delivery.attempts >= max_attempts).values(
        status="failed", lease_owner=None, lease_until=None, next_attempt_at=None,
        last_error=f"the delivery worker stopped during each of {max_attempts} attempts"))
    return result.rowcount or 0
