"""Extraction on ingest: stored with offsets, listed with filters, replaced by re-analysis,
on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from rasad.kb.store import add_alias, get_entity, merge, unmerge
from rasad.pipeline.extraction import VERSION, ExtractionStage, stale_documents
from rasad.store.extracted import find_actor, list_relations, list_statements, list_threats
from rasad.store.tables import Alias, DateMention, Document, Mention, Statement, Threat
from tests.helpers import make_ingester, write_texts

CLARIFIED = (
    "The Islamic State Khorasan Province (i.e., Wilayat Khurasan al-Jadida) claimed the attack in "
    "Jalalabad on Tuesday, the group's Amaq agency said.\n"
    "Taliban spokesman Zabiullah Mujahed told reporters that \"the fighters of the Emirate will hunt down "
    "every member of this group\".\n"
)


def extraction_counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Mention, Statement, DateMention, Threat))


def test_ingest_stores_entities_statements_and_dates_with_offsets(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    with db.session() as s:
        doc = s.scalars(select(Document).where(Document.url == paths["prs"].resolve().as_uri())).one()
        assert doc.stages["extract"] == VERSION
        said = s.scalars(select(Statement).where(Statement.document_id == doc.id).order_by(Statement.start)).all()
        mujahid = get_entity(s, "zabihullah-mujahid")
        assert [(x.speaker_text, x.speaker_entity_id, x.kind) for x in said] == [
            ("Zabihullah Mujahid", mujahid.id, "indirect")] * 2
        assert all(doc.text[x.start:x.end] == x.quote for x in said)
        assert said[0].date_said == "2024-11-05"  # روز سه‌شنبه ۱۵ عقرب ۱۴۰۳
        mentions = s.scalars(select(Mention).where(Mention.document_id == doc.id)).all()
        assert {"Zabihullah Mujahid", "Taliban", "Kabul", "Afghanistan", "Nangarhar"} <= {m.canonical for m in mentions}
        assert all(doc.text[m.start:m.end] == m.text for m in mentions)
        dates = s.scalars(select(DateMention).where(DateMention.document_id == doc.id)).all()
        assert [(d.text, d.calendar, d.iso) for d in dates] == [("روز سه\u200cشنبه ۱۵ عقرب ۱۴۰۳", "solar_hijri", "2024-11-05")]
    ing.close()


def test_statements_are_listed_by_speaker_in_any_script(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    with db.session() as s:
        by_key = list_statements(s, speaker="zabihullah-mujahid")
        by_persian = list_statements(s, speaker="ذبیح الله مجاهد")
        by_pashto_lang = list_statements(s, speaker="Zabiullah Mujahid", language="ps")
        assert len(by_key) == 4 and [r["id"] for r in by_persian] == [r["id"] for r in by_key]
        assert {r["document"]["language"] for r in by_pashto_lang} == {"ps"} and len(by_pashto_lang) == 2
        assert list_statements(s, speaker="zabihullah-mujahid", since="2030-01-01") == []
    ing.close()


def test_reanalysis_replaces_only_its_own_rows(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    before = extraction_counts(db)
    with db.session() as s:
        assert stale_documents(s)[0] == []  # everything is current
        docs, last = stale_documents(s, everything=True)
        assert len(docs) == 6 and last is not None
        ExtractionStage().apply(s, docs)
    assert extraction_counts(db) == before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 6  # documents untouched
    ing.close()


def test_clarifications_propose_aliases_for_an_analyst(settings, tmp_path):
    db, ing = make_ingester(settings)
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "iskp.txt"
    path.write_text(CLARIFIED, encoding="utf-8")
    ing.run([str(path)])
    with db.session() as s:
        proposed = s.scalars(select(Alias).where(Alias.status == "proposed")).all()
        assert [(a.name, get_entity(s, a.entity_id).key) for a in proposed] == [
            ("Wilayat Khurasan al-Jadida", "iskp")]
        doc_id = s.scalar(select(Document.id))
        assert proposed[0].provenance == f"document:{doc_id}"
        # an analyst accepts it: re-analysis no longer removes it
        add_alias(s, get_entity(s, "iskp"), "Wilayat Khurasan al-Jadida", provenance="analyst:sara")
    with db.session() as s:
        ExtractionStage().apply(s, stale_documents(s, everything=True)[0])
    with db.session() as s:
        alias = s.scalars(select(Alias).where(Alias.name == "Wilayat Khurasan al-Jadida")).one()
        assert (alias.status, alias.provenance) == ("accepted", "analyst:sara")
        said = list_statements(s, speaker="Zabihullah Mujahid")
        assert [r["quote"] for r in said] == [
            "the fighters of the Emirate will hunt down every member of this group"]
        assert list_threats(s, category="threat_of_attack")[0]["document"]["id"] == doc_id
    ing.close()


def test_merged_actors_are_listed_together_and_apart_after_unmerge(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    with db.session() as s:
        merge(s, get_entity(s, "zabihullah-mujahid"), get_entity(s, "taliban"))
    with db.session() as s:
        assert find_actor(s, "zabihullah-mujahid").key == "taliban"
        assert len(list_statements(s, speaker="taliban")) == 4
        unmerge(s, get_entity(s, "zabihullah-mujahid"))
    with db.session() as s:
        assert list_statements(s, speaker="taliban") == []
        assert list_relations(s, actor="taliban", type="criticize") == []
    ing.close()


def test_actor_activity_counts_statements_per_month_and_documents(settings, tmp_path):
    from rasad.store.extracted import actor_activity

    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    with db.session() as s:
        activity = actor_activity(s, find_actor(s, "Zabihullah Mujahid"))
    assert (activity["documents"], activity["statements"]) == (2, 4)
    assert sum(m["statements"] for m in activity["statements_per_month"]) == 4
    assert {d["language"] for d in activity["latest_documents"]} == {"fa", "ps"}
    ing.close()
