"""Shared fixtures: settings in a temporary RASAD_HOME, and databases on SQLite and on the
PostgreSQL server of this machine (a fresh schema per test; skipped with a reason when no
server answers)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from rasad.config import Settings

PG_ADMIN_URL = os.environ.get("RASAD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return PG_ADMIN_URL
    except OperationalError as exc:
        return f"unavailable: {str(exc.orig).splitlines()[0]}"


@pytest.fixture
def pg_url(pg_available):
    if pg_available.startswith("unavailable"):
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is {pg_available}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_ADMIN_URL)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_ADMIN_URL else "?"
    yield f"{PG_ADMIN_URL}{sep}options=-csearch_path%3D{schema},public"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasad.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    return Settings(home=tmp_path / "home", db=db_url, allow_private=("127.0.0.1",),
                    rate_limit_seconds=0.0, respect_robots=True, fetch_timeout=5.0)


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", db=f"sqlite:///{tmp_path / 'rasad.db'}",
                    allow_private=("127.0.0.1",), rate_limit_seconds=0.0, fetch_timeout=5.0)
