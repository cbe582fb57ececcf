"""User accounts, roles and API tokens: pure functions over a Session.

Passwords are kept as argon2id hashes (argon2-cffi's defaults, RFC 9106's second
recommended profile), never in clear. An API token is 32 random bytes shown once when it
is made; only its SHA-256 is stored (a token is random enough that a slow hash adds
nothing), with its first characters so that a user can tell tokens apart. Every change
and every login attempt leaves an audit row (rasad.store.audit).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rasad.errors import BadInput, NotFound
from rasad.store.audit import CLI, Origin, record
from rasad.store.tables import ApiToken, User

ROLES = ("subscriber", "analyst", "admin")  # each may do everything the ones before it may
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
TOKEN_PREFIX = "rasad_"
TOKEN_SHOWN_CHARS = 12  # "rasad_" and six characters of the random part
LAST_USED_RESOLUTION = timedelta(minutes=1)  # fewer writes: last_used_at moves once a minute

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_hasher = PasswordHasher()
_dummy_hash: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


# --- checks ----------------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    clean = (email or "").strip().lower()
    if not _EMAIL.match(clean) or len(clean) > 300:
        raise BadInput(f"not an email address: {email!r}")
    return clean


def check_role(role: str) -> str:
    if role not in ROLES:
        raise BadInput(f"unknown role {role!r}: use {', '.join(ROLES)}")
    return role


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise BadInput(f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _spend_a_verification(password: str) -> None:
    """Verify against a throwaway hash, so that an unknown email takes as long to refuse
    as a wrong password and timing does not tell which accounts exist."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(16))
    _verify_password(_dummy_hash, password)


# --- users -----------------------------------------------------------------------------------


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"no user {email.strip()!r}")
    return user


def get_user_by_id(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def count_users(session: Session) -> int:
    """Every account ever made, deactivated ones included."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(session: Session, email: str, password: str, role: str, *, name: str = "",
                origin: Origin = CLI) -> User:
    email = normalize_email(email)
    check_role(role)
    check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise BadInput(f"user {email} already exists")
    user = User(email=email, name=name.strip()[:200], password_hash=hash_password(password),
                role=role, active=True, session_epoch=0)
    session.add(user)
    session.flush()
    record(session, "user.created", origin, email, role=role)
    return user


def authenticate(session: Session, email: str, password: str, origin: Origin) -> User | None:
    """The active user with this email and password, or None. Both outcomes are audited."""
    try:
        email = normalize_email(email)
    except BadInput:
        email = (email or "").strip().lower()[:300]
    user = session.scalar(select(User).where(User.email == email)) if email else None
    if user is None:
        _spend_a_verification(password)
        record(session, "user.login_failed", origin, email, reason="no such user")
        return None
    if not _verify_password(user.password_hash, password):
        record(session, "user.login_failed", origin, email, reason="wrong password")
        return None
    if not user.active:
        record(session, "user.login_failed", origin, email, reason="deactivated")
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = _now()
    record(session, "user.login", Origin(user.id, origin.via, origin.ip), email)
    return user


def end_sessions(session: Session, user: User, origin: Origin) -> None:
    """Log out: every web session of this user issued until now stops working."""
    user.session_epoch = (user.session_epoch or 0) + 1
    record(session, "user.logout", origin, user.email)


def _other_active_admins(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) or 0


def set_role(session: Session, user: User, role: str, origin: Origin = CLI) -> User:
    check_role(role)
    if user.role == role:
        return user
    if user.role == "admin" and user.active and not _other_active_admins(session, user):
        raise BadInput(f"{user.email} is the only active admin; make another admin first")
    old, user.role = user.role, role
    record(session, "user.role_changed", origin, user.email, old=old, new=role)
    return user


def deactivate(session: Session, user: User, origin: Origin = CLI) -> User:
    """The user can no longer log in, their sessions end and their tokens stop working;
    the account and what it did stay on record."""
    if not user.active:
        return user
    if user.role == "admin" and not _other_active_admins(session, user):
        raise BadInput(f"{user.email} is the only active admin; make another admin first")
    user.active = False
    user.session_epoch = (user.session_epoch or 0) + 1
    record(session, "user.deactivated", origin, user.email)
    return user


def user_row(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "active": user.active, "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None}


def list_users(session: Session) -> list[dict]:
    tokens = dict(session.execute(
        select(ApiToken.user_id, func.count()).where(ApiToken.revoked_at.is_(None))
        .group_by(ApiToken.user_id)).all())
    return [{**user_row(u), "tokens": tokens.get(u.id, 0)}
            for u in session.scalars(select(User).order_by(User.email))]


# --- API tokens ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(session: Session, user: User, label: str = "",
                     origin: Origin = CLI) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row, and the token itself, which is not kept."""
    if not user.active:
        raise BadInput(f"{user.email} is deactivated")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_token_hash(token),
                   prefix=token[:TOKEN_SHOWN_CHARS], label=label.strip()[:200])
    session.add(row)
    session.flush()
    record(session, "token.created", origin, user.email, token_id=row.id, label=row.label)
    return row, token


def verify_api_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = _now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
    return user


def revoke(session: Session, token_id: int, origin: Origin = CLI, *,
           owner: User | None = None) -> ApiToken:
    """Revoke a token; with ``owner``, only one of that user's own."""
    row = session.get(ApiToken, token_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise NotFound(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = _now()
        user = session.get(User, row.user_id)
        record(session, "token.revoked", origin, user.email if user else "", token_id=row.id,
               label=row.label)
    return row


def token_rows(session: Session, user: User) -> list[dict]:
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                           .order_by(ApiToken.id))
    return [{"id": t.id, "label": t.label, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None} for t in rows]
