"""The make_site fixture: a running app with a document, a capture and one user of each
role, on SQLite and on PostgreSQL (the db_url fixture)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import TEXTS, make_ingester, write_texts
from tests.web.auth_helpers import PASSWORD, ROLES, Site

from rasad.config import Settings
from rasad.store import users
from rasad.store.tables import Document, User
from rasad.store.users import create_api_token, create_user
from rasad.web.app import create_app


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2id with the smallest cost: these tests log in often; tests/store checks the
    real parameters."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(users, "_dummy_hash", None)


@pytest.fixture
def make_site(tmp_path, db_url):
    """make_site(public_read=..., users=True, ...) -> Site; every app made is closed after."""
    made: list = []
    loaded: list = []

    def build(*, public_read: bool | None = False, users: bool = True, tokens: bool = False,
              base_url: str = "http://testserver", **overrides) -> Site:
        settings = Settings(home=tmp_path / "home", db=db_url, rate_limit_seconds=0.0,
                            public_read=public_read, extract_on_ingest=False)
        settings = replace(settings, **overrides)
        db, ing = make_ingester(settings)
        made.extend([db, ing])
        if not loaded:  # one document (with its capture) per database
            paths = write_texts(tmp_path / "in", {"en": TEXTS["en"]})
            ing.run([str(paths["en"])])
            loaded.append(True)
        site = Site(client=None, settings=settings, db=db)  # type: ignore[arg-type]
        with db.session() as session:
            doc = session.scalars(select(Document)).first()
            site.doc_id, site.capture_id = doc.id, doc.capture_id
            if users:
                for role in ROLES:
                    user = session.scalar(select(User).where(User.email == site.email(role)))
                    if user is None:
                        user = create_user(session, site.email(role), PASSWORD, role)
                    site.users[role] = user.id
                    if tokens:
                        site.tokens[role] = create_api_token(session, user, "tests")[1]
        client = TestClient(create_app(settings, db, ing.backend), base_url=base_url)
        client.__enter__()
        made.append(client)
        site.client = client
        return site

    yield build
    for thing in reversed(made):
        if isinstance(thing, TestClient):
            thing.__exit__(None, None, None)
        elif hasattr(thing, "dispose"):
            thing.dispose()
        else:
            thing.close()
