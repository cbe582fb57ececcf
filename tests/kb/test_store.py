"""The knowledge base in the database: seeding, analysts' edits, reversible merges."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from sqlalchemy import select

from rasad.errors import BadInput, NotFound
from rasad.kb.starter import AliasName
from rasad.kb.store import (
    actor_row,
    add_actor,
    add_alias,
    get_entity,
    load_actor_records,
    merge,
    seed_starter,
    unmerge,
)
from rasad.store.db import Database
from rasad.store.tables import Alias, AuditLog


def actor(key, canonical, kind, *aliases):
    return NS(key=key, canonical=canonical, kind=kind, country="", affiliation="", description="",
              parent=None, aliases=[AliasName(n, lang, "Arab" if lang != "en" else "Latn")
                                    for n, lang in aliases])


STARTER = [
    actor("taliban", "Taliban", "group", ("طالبان", "fa"), ("Islamic Emirate of Afghanistan", "en"),
          ("امارت اسلامی افغانستان", "fa"), ("اسلامي امارت", "ps")),
    actor("zabihullah-mujahid", "Zabihullah Mujahid", "person", ("ذبیح‌الله مجاهد", "fa"),
          ("ذبیح الله مجاهد", "ps"), ("Zabiullah Mujahid", "en")),
]


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def test_seeding_is_idempotent_and_keeps_analyst_edits(db):
    with db.session() as s:
        assert seed_starter(s, STARTER) == (2, 9)
    with db.session() as s:
        assert seed_starter(s, STARTER) == (0, 0)  # same YAML: nothing to do
        mujahid = get_entity(s, "zabihullah-mujahid")
        add_alias(s, mujahid, "Zabihullah Mojahed", provenance="analyst:sara")
        mujahid.canonical = "Zabiullah Mujahid"  # an analyst's choice of spelling
    grown = STARTER + [actor("iskp", "Islamic State Khorasan Province", "group", ("ISKP", "en"),
                             ("ولایت خراسان", "fa"))]
    with db.session() as s:
        assert seed_starter(s, grown) == (1, 3)
        mujahid = get_entity(s, "zabihullah-mujahid")
        assert mujahid.canonical == "Zabiullah Mujahid"
        provenance = {a.name: a.provenance for a in s.scalars(select(Alias).where(Alias.entity_id == mujahid.id))}
        assert provenance["Zabihullah Mojahed"] == "analyst:sara"
        assert provenance["ذبیح‌الله مجاهد"] == "starter"


def test_merge_is_reversible_and_keeps_provenance(db):
    with db.session() as s:
        seed_starter(s, STARTER)
        dup = add_actor(s, "Zabiullah Mujahed", "person", user="omar")
        add_alias(s, dup, "ذبیح الله مجاهد ویاند", provenance="document:42")
        merge(s, dup, get_entity(s, "zabihullah-mujahid"), user="omar")
    with db.session() as s:
        records = {r.key: r for r in load_actor_records(s)}
        assert "zabiullah-mujahed" not in records
        names = {a.name for a in records["zabihullah-mujahid"].aliases}
        assert {"Zabiullah Mujahed", "ذبیح الله مجاهد ویاند", "ذبیح‌الله مجاهد"} <= names
        row = actor_row(s, get_entity(s, "zabihullah-mujahid"))
        via = {a["name"]: a["via"] for a in row["aliases"]}
        assert via["ذبیح الله مجاهد ویاند"] == "zabiullah-mujahed"
        unmerge(s, get_entity(s, "zabiullah-mujahed"), user="omar")
    with db.session() as s:
        records = {r.key: r for r in load_actor_records(s)}
        assert {a.name for a in records["zabiullah-mujahed"].aliases} == {"Zabiullah Mujahed", "ذبیح الله مجاهد ویاند"}
        assert "ذبیح الله مجاهد ویاند" not in {a.name for a in records["zabihullah-mujahid"].aliases}
        alias = s.scalars(select(Alias).where(Alias.name == "ذبیح الله مجاهد ویاند")).one()
        assert alias.provenance == "document:42"
        actions = [a.action for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
        assert actions == ["actor.add", "actor.merge", "actor.unmerge"]


def test_bad_actor_edits_are_refused(db):
    with db.session() as s:
        seed_starter(s, STARTER)
        with pytest.raises(BadInput, match="unknown actor kind"):
            add_actor(s, "X", "planet")
        with pytest.raises(BadInput, match="into itself"):
            t = get_entity(s, "taliban")
            merge(s, t, t)
        with pytest.raises(BadInput, match="not merged"):
            unmerge(s, get_entity(s, "taliban"))
        assert add_alias(s, get_entity(s, "taliban"), "طالبان") is None  # already there


def test_actor_references_that_look_numeric_but_are_not_ids(db):
    with db.session() as s:
        seed_starter(s, STARTER)
    with db.session() as s:
        for ref in ("²", "99999999999999999999999", "١٢"):
            with pytest.raises(NotFound):
                get_entity(s, ref)
