"""The audit log: who did what to which account, from where.

Rows are only ever added. ``Origin`` says who acted and through what (the command line,
a browser session, an API token), so the same store functions serve the CLI and the web.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.store.tables import AuditLog, User


@dataclass(frozen=True)
class Origin:
    """Who performs an action: ``user_id`` (None on the command line), the channel
    (``cli``, ``web`` or ``api``), the client's address when there is one, and on the
    command line the operating-system account that ran it."""

    user_id: int | None = None
    via: str = "cli"
    ip: str = ""
    os_user: str = ""


CLI = Origin()


def record(session: Session, action: str, origin: Origin, target: str = "",
           **detail: object) -> AuditLog:
    where = {"via": origin.via, "ip": origin.ip, "os_user": origin.os_user}
    row = AuditLog(user_id=origin.user_id, action=action, target=target,
                   detail={**{k: v for k, v in where.items() if v}, **detail})
    session.add(row)
    session.flush()
    return row


def audit_rows(session: Session, *, action: str | None = None, limit: int = 200) -> list[dict]:
    """The newest rows first, with the acting user's email."""
    stmt = (select(AuditLog, User.email).outerjoin(User, User.id == AuditLog.user_id)
            .order_by(AuditLog.id.desc()).limit(limit))
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return [{"id": row.id, "at": row.at.isoformat(), "action": row.action, "by": email,
             "target": row.target, "detail": row.detail}
            for row, email in session.execute(stmt)]
