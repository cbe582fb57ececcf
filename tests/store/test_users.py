"""Accounts, roles and API tokens in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from rasad.errors import BadInput, NotFound
from rasad.store.audit import Origin, audit_rows
from rasad.store.db import Database
from rasad.store.tables import ApiToken, User
from rasad.store.users import (
    authenticate,
    create_api_token,
    create_user,
    deactivate,
    get_user,
    list_users,
    revoke,
    set_role,
    token_rows,
    verify_api_token,
)

WEB = Origin(via="web", ip="192.0.2.1")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def test_passwords_are_stored_as_argon2id_hashes_and_checked(db):
    with db.session() as session:
        user = create_user(session, "  Mina@Example.ORG ", PASSWORD, "analyst", name="مینا")
    with db.session() as session:
        stored = session.scalar(select(User))
        assert stored.email == "mina@example.org" and stored.name == "مینا"
        assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
        assert authenticate(session, "MINA@example.org", PASSWORD, WEB).id == user.id
        assert authenticate(session, "mina@example.org", PASSWORD.upper(), WEB) is None
        assert authenticate(session, "other@example.org", PASSWORD, WEB) is None
        assert authenticate(session, "not an email", PASSWORD, WEB) is None


def test_an_old_hash_is_upgraded_at_the_next_login(db):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with db.session() as session:
        create_user(session, "old@example.org", PASSWORD, "subscriber")
        session.scalar(select(User)).password_hash = weak
    with db.session() as session:
        assert authenticate(session, "old@example.org", PASSWORD, WEB) is not None
    with db.session() as session:
        upgraded = session.scalar(select(User)).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$") and "m=65536" in upgraded


@pytest.mark.parametrize("email, password, role, message", [
    ("nobody", PASSWORD, "admin", "not an email address"),
    ("a@example.org", PASSWORD, "owner", "unknown role 'owner'"),
    ("a@example.org", "short", "admin", "at least 10 characters"),
    ("a@example.org", "x" * 1025, "admin", "at most 1024 characters"),
])
def test_bad_accounts_are_refused_with_a_reason(db, email, password, role, message):
    with db.session() as session, pytest.raises(BadInput, match=message):
        create_user(session, email, password, role)


def test_an_email_is_used_once(db):
    with db.session() as session:
        create_user(session, "a@example.org", PASSWORD, "subscriber")
    with db.session() as session, pytest.raises(BadInput, match="already exists"):
        create_user(session, "A@example.org", PASSWORD, "admin")


def test_roles_change_but_the_last_admin_stays(db):
    with db.session() as session:
        admin = create_user(session, "admin@example.org", PASSWORD, "admin")
        other = create_user(session, "b@example.org", PASSWORD, "subscriber")
        with pytest.raises(BadInput, match="only active admin"):
            set_role(session, admin, "analyst")
        with pytest.raises(BadInput, match="only active admin"):
            deactivate(session, admin)
        set_role(session, other, "admin", Origin(admin.id, "web"))
        set_role(session, admin, "analyst", Origin(admin.id, "web"))
        deactivate(session, admin)
        assert [(r["email"], r["role"], r["active"]) for r in list_users(session)] == [
            ("admin@example.org", "analyst", False), ("b@example.org", "admin", True)]
        assert authenticate(session, "admin@example.org", PASSWORD, WEB) is None
        with pytest.raises(NotFound, match="no user 'c@example.org'"):
            get_user(session, "c@example.org")
        rows = audit_rows(session)
    assert [(r["action"], r["target"], r["by"]) for r in rows[::-1]] == [
        ("user.created", "admin@example.org", None),
        ("user.created", "b@example.org", None),
        ("user.role_changed", "b@example.org", "admin@example.org"),
        ("user.role_changed", "admin@example.org", "admin@example.org"),
        ("user.deactivated", "admin@example.org", None),
        ("user.login_failed", "admin@example.org", None)]
    assert rows[3]["detail"] == {"via": "web", "old": "subscriber", "new": "admin"}


def test_api_tokens_verify_until_revoked_and_only_their_hash_is_kept(db):
    with db.session() as session:
        user = create_user(session, "t@example.org", PASSWORD, "subscriber")
        row, token = create_api_token(session, user, "nightly export")
        token_id = row.id
    assert token.startswith("rasad_") and len(token) == 6 + 43
    with db.session() as session:
        stored = session.scalar(select(ApiToken))
        assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
        assert verify_api_token(session, token).email == "t@example.org"
        assert verify_api_token(session, token[:-1]) is None
        assert verify_api_token(session, "not-a-token") is None
        with pytest.raises(NotFound):
            revoke(session, token_id, owner=create_user(session, "u@example.org", PASSWORD, "admin"))
        revoke(session, token_id)
        assert verify_api_token(session, token) is None
        rows = token_rows(session, get_user(session, "t@example.org"))
        assert [(r["label"], r["prefix"], r["revoked_at"] is not None) for r in rows] == [
            ("nightly export", token[:12], True)]
        assert [r["action"] for r in audit_rows(session)][:2] == ["token.revoked", "user.created"]


def test_a_deactivated_users_tokens_stop_working(db):
    with db.session() as session:
        create_user(session, "admin@example.org", PASSWORD, "admin")
        user = create_user(session, "t@example.org", PASSWORD, "analyst")
        token = create_api_token(session, user)[1]
        deactivate(session, user)
        assert verify_api_token(session, token) is None
        with pytest.raises(BadInput, match="deactivated"):
            create_api_token(session, user)
