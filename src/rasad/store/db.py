"""Engines, sessions and schema migration.

SQLite runs in WAL mode with foreign keys on; PostgreSQL uses a connection pool. The
schema is created and upgraded by Alembic, on `rasad init` and automatically on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rasad.errors import ConfigError, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: otherwise
    # a SAVEPOINT opens an implicit transaction and its RELEASE commits it.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # A deferred transaction that has read cannot become a writer once another connection
    # has written since ("database is locked" at once: the busy timeout does not apply).
    # Sessions that will write after reading (ingest) take the write lock up front instead,
    # and so wait their turn.
    immediate = conn.get_execution_options().get("rasad_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_size=5, max_overflow=10, pool_pre_ping=True)
    raise ConfigError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url",
                        engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (a no-op when it is current)."""
    try:
        if current_revision(engine) == head_revision(engine):
            return
        cfg = _alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot open database {engine.url.render_as_string()}: {exc.orig}") from exc


class Database:
    """An engine plus a session factory; the schema is migrated on first use."""

    def __init__(self, url: str, *, auto_migrate: bool = True):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if auto_migrate:
            migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def new_session(self, *, write: bool = False) -> Session:
        """A session the caller commits and closes itself (long batch jobs). With ``write``,
        each of its transactions on SQLite starts as a writer (BEGIN IMMEDIATE), so that
        reading first and writing later cannot fail on another process's write in between."""
        if write and self.dialect == "sqlite":
            return self._sessions(bind=self.engine.execution_options(rasad_write=True))
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()
