"""The bundled demo corpus loads cleanly, idempotently, and its languages are identified
from the text alone (no source hints)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from rasad.demo import demo_dirs, load_demo
from rasad.search.base import SearchFilters
from rasad.search.service import open_backend, run_search
from rasad.store.db import Database
from rasad.text.langid import detect


def test_demo_corpus_loads_without_failures_and_twice_adds_nothing(sqlite_settings):
    db = Database(sqlite_settings.db_url)
    backend = open_backend(sqlite_settings, db)
    from rasad.pipeline.ingest import Ingester

    ctx = SimpleNamespace(db=db, ingester=lambda: Ingester(sqlite_settings, db, backend))
    first = load_demo(ctx)
    totals = first.totals()
    assert totals["failed_items"] == 0 and totals["records_failed"] == 0
    assert totals["documents_new"] >= 24
    again = load_demo(ctx).totals()
    assert again["documents_new"] == 0 and again["documents_updated"] == 0
    everything = run_search(db, backend, "", SearchFilters(), limit=500)
    assert everything.total == totals["documents_new"]
    langs = {("prs" if r.dialect == "prs" else r.language) for r in everything.results}
    assert langs == {"fa", "prs", "ps", "ar", "ur", "en"}
    db.dispose()


def test_every_demo_record_is_identified_from_its_text_alone():
    wrong = []
    for root in demo_dirs():
        for path in sorted(root.rglob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            guess = detect(f"{record['title']}\n{record['text']}")
            got = "prs" if guess.dialect == "prs" else guess.language
            want = record["language"]
            if got != want and not (want == "fa" and guess.language == "fa" and guess.dialect != "prs"):
                wrong.append((path.name, want, got))
    assert wrong == []
