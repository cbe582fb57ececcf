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


def test_demo_pages_feeds_and_posts_match_their_annotated_language():
    """data/demo/gist.tsv gives each page, feed entry and post its language (prs = Dari);
    detection on the extracted text, without hints, must agree for every one."""
    from rasad.collect.encoding import decode_bytes, sniff_declared_charset
    from rasad.collect.feeds import parse_feed
    from rasad.collect.html import extract_html

    root = next(d for d in demo_dirs() if (d / "gist.tsv").is_file())
    gist = {}
    for line in (root / "gist.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        ref, lang = line.split("\t")[:2]
        gist[ref] = lang
    texts = {}
    for path in sorted((root / "html").rglob("*.html")):
        raw = path.read_bytes()
        draft = extract_html(decode_bytes(raw, sniff_declared_charset(raw))[0])
        texts[str(path.relative_to(root))] = f"{draft.title}\n{draft.text}"
    for path in sorted((root / "feeds").glob("*.xml")):
        for draft in parse_feed(path.read_bytes())[1]:
            texts[f"{path.relative_to(root)}#{draft.url}"] = f"{draft.title}\n{draft.text}"
    for line in (root / "posts.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = record["text"]
    assert set(texts) == set(gist)
    wrong = []
    for ref, text in texts.items():
        guess = detect(text)
        got = "prs" if guess.dialect == "prs" else guess.language
        want = gist[ref]
        if got != want and not (want == "fa" and guess.language == "fa" and guess.dialect != "prs"):
            wrong.append((ref, want, got))
    assert wrong == []
