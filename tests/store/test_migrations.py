"""Migrations: an existing database upgrades cleanly and ends up exactly like the models."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rasad.store.db import _alembic_config, current_revision, head_revision, make_engine, migrate
from rasad.store.tables import Base


def _differences(engine) -> list:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    def search_table(d) -> bool:  # the PostgreSQL-only full-text table is not a model
        if isinstance(d, tuple) and d[0] == "remove_table":
            return d[1].name == "document_search"
        if isinstance(d, tuple) and d[0] == "remove_index":
            return d[1].table.name == "document_search"
        return False

    return [d for d in diff if not search_table(d)]


def test_first_revision_upgrades_to_head_and_matches_the_models(db_url):
    engine = make_engine(db_url)
    cfg = _alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    migrate(engine)
    assert current_revision(engine) == head_revision(engine)
    assert _differences(engine) == []
    engine.dispose()
