"""`make bench`: ingest throughput and search latency, printed as a table.

Sizes can be changed with environment variables: BENCH_TEXT_DOCS (default 3000),
BENCH_HTML_DOCS (1500), BENCH_SEARCH_DOCS (100000), BENCH_PG=0 to skip PostgreSQL.
Every figure runs on one core (one process, inline runner). Ingest runs extraction unless
a row says otherwise.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.corpus import generate, write_html_files, write_jsonl, write_text_files
from rasad.config import Settings
from rasad.pipeline.ingest import Ingester
from rasad.search.base import SearchFilters
from rasad.search.service import open_backend, run_search
from rasad.store.db import Database

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _settings(home: Path, db: str = "", extract: bool = True) -> Settings:
    return Settings(home=home, db=db, extract_on_ingest=extract)


def text_pipeline_rate(docs) -> tuple[float, dict[str, float]]:
    """Docs/s of language id + normalisation + extraction in one process, and ms/doc per part."""
    from rasad.extract.dates import extract_dates
    from rasad.extract.document import Extractor, extraction_language
    from rasad.extract.entities import find_titled_people
    from rasad.extract.quotes import extract_statements
    from rasad.extract.relations import extract_relations
    from rasad.extract.threats import detect_threats
    from rasad.kb.aliases import learn_aliases
    from rasad.kb.starter import load_starter
    from rasad.text.langid import detect
    from rasad.text.normalize import normalize

    extractor = Extractor(load_starter())
    langs = [detect(d.text) for d in docs[:50]]
    for d, g in zip(docs[:50], langs, strict=True):  # warm up: lexicons load on first use
        extractor.run(d.text, g.language, g.dialect)
    start = time.perf_counter()
    codes = []
    for d in docs:
        guess = detect(f"{d.title}\n{d.text}")
        normalize(d.text)
        extractor.run(d.text, guess.language, guess.dialect)
        codes.append(extraction_language(guess.language, guess.dialect))
    rate = len(docs) / (time.perf_counter() - start)
    found = [extractor.gazetteer.find(d.text) for d in docs]
    parts = {
        "language id + normalise": lambda d, c, f: (detect(d.text), normalize(d.text)),
        "dates": lambda d, c, f: extract_dates(d.text, None, c),
        "gazetteer": lambda d, c, f: extractor.gazetteer.find(d.text),
        "statements": lambda d, c, f: extract_statements(d.text, c) if c else None,
        "titled people": lambda d, c, f: find_titled_people(d.text, c) if c else None,
        "threats": lambda d, c, f: detect_threats(d.text, c) if c else None,
        "relations": lambda d, c, f: extract_relations(d.text, c, f) if c else None,
        "alias clarifications": lambda d, c, f: learn_aliases(d.text),
    }
    costs = {}
    for name, fn in parts.items():
        t = time.perf_counter()
        for d, c, f in zip(docs, codes, found, strict=True):
            fn(d, c, f)
        costs[name] = (time.perf_counter() - t) / len(docs) * 1000
    return rate, costs


def saved_search_queries(docs, n: int, seed: int = 11) -> list[tuple[str, list[str]]]:
    """``n`` alert definitions (query, languages) like an analyst's: words, two-word
    phrases, OR, exclusions and rare names from the corpus, a third with a language filter."""
    from rasad.text.normalize import tokenize

    rng = random.Random(seed)
    langs = ["fa", "prs", "ps", "ar", "ur", "en"]
    out = []
    for i in range(n):
        d = rng.choice(docs)
        toks = [t for t in tokenize(d.text) if len(t) > 3] or tokenize(d.text)
        j = rng.randrange(len(toks) - 1)
        kind = i % 5
        if kind == 0:
            q = toks[j]
        elif kind == 1:
            q = f'"{toks[j]} {toks[j + 1]}"'
        elif kind == 2:
            q = f"{toks[j]} OR {rng.choice(d.rare)}"
        elif kind == 3:
            q = f"{toks[j]} -{rng.choice(toks)}"
        else:
            q = rng.choice(d.rare)
        out.append((q, [rng.choice(langs)] if i % 3 == 0 else []))
    return out


def alert_match_cost(docs, n_searches: int = 100) -> tuple[float, float]:
    """Microseconds per document to match it against ``n_searches`` compiled saved searches
    (the in-memory part of matching on ingest; the text is normalised by ingest anyway),
    and matches per document."""
    from rasad.alerts.matcher import MatchDoc, compile_search
    from rasad.alerts.on_ingest import AlertMatcher
    from rasad.text.langid import detect
    from rasad.text.normalize import compound_parts, normalize

    prepared = []
    for i, d in enumerate(docs):
        guess = detect(f"{d.title}\n{d.text}")
        prepared.append(MatchDoc(id=i, title_norm=normalize(d.title), text_norm=normalize(d.text),
                                 extra_norm=" ".join(compound_parts(f"{d.title}\n{d.text}")),
                                 language=guess.language, dialect=guess.dialect))
    matcher = AlertMatcher([compile_search(i, q, languages=langs, channels=("atom",))
                            for i, (q, langs) in enumerate(saved_search_queries(docs, n_searches))])
    matcher.matches(prepared[:50])  # warm up
    start = time.perf_counter()
    found = matcher.matches(prepared)
    elapsed = time.perf_counter() - start
    return elapsed / len(prepared) * 1e6, len(found) / len(prepared)


def add_saved_searches(settings: Settings, docs, n: int) -> None:
    from rasad.alerts.saved import create_alert
    from rasad.alerts.spec import AlertSpec
    from rasad.store.users import create_user

    db = Database(settings.db_url)
    with db.session() as session:
        user = create_user(session, "bench@example.org", "a long enough passphrase", "analyst")
        for i, (q, langs) in enumerate(saved_search_queries(docs, n)):
            create_alert(session, user, AlertSpec(name=f"bench {i}", query=q, languages=langs,
                                                  webhook_url="https://hooks.example/rasad",
                                                  webhook_secret="a secret of sixteen+", new_only=False))
    db.dispose()


def ingest_rate(settings: Settings, targets: list[str]) -> tuple[float, int]:
    db = Database(settings.db_url)
    ingester = Ingester(settings, db, open_backend(settings, db))
    start = time.perf_counter()
    report = ingester.run(targets)
    elapsed = time.perf_counter() - start
    ingester.close()
    db.dispose()
    n = report.totals()["documents_new"]
    return n / elapsed, n


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def search_latency(settings: Settings, queries: list[str], repeat: int = 3) -> tuple[float, float]:
    db = Database(settings.db_url)
    backend = open_backend(settings, db)
    run_search(db, backend, queries[0], SearchFilters())  # warm up
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            run_search(db, backend, q, SearchFilters(), limit=20)
            times.append((time.perf_counter() - t) * 1000)
    db.dispose()
    return pct(times, 50), pct(times, 95)


def pg_reset(url: str, schema: str) -> str:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{url}?options=-csearch_path%3D{schema},public"


def pg_available() -> bool:
    if os.environ.get("BENCH_PG", "1") == "0":
        return False
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def main() -> None:
    n_text = int(os.environ.get("BENCH_TEXT_DOCS", 3000))
    n_html = int(os.environ.get("BENCH_HTML_DOCS", 1500))
    n_search = int(os.environ.get("BENCH_SEARCH_DOCS", 100_000))
    work = Path(tempfile.mkdtemp(prefix="rasad-bench-"))
    rows: list[tuple[str, str, str]] = []
    try:
        print(f"generating corpora in {work} ...", flush=True)
        text_docs = list(generate(n_text, seed=1))
        html_docs = list(generate(n_html, seed=2))
        text_dir, html_dir = work / "text", work / "html"
        write_text_files(text_dir, text_docs)
        write_html_files(html_dir, html_docs)

        rate, costs = text_pipeline_rate(text_docs[:2000])
        chars = sum(len(d.text) for d in text_docs[:2000]) / min(2000, len(text_docs))
        rows.append(("text pipeline with extraction, one core", f"{rate:,.0f} docs/s",
                     f"{chars:,.0f} chars/doc; target ≥ 300"))
        print(rows[-1], flush=True)
        for name, ms in costs.items():
            rows.append((f"  of which {name}", f"{ms:.2f} ms/doc", f"{1000 / ms if ms else 0:,.0f} docs/s alone"))

        rate, n = ingest_rate(_settings(work / "h-text-raw", extract=False), [str(text_dir)])
        rows.append(("ingest .txt files, SQLite + tantivy, no extraction", f"{rate:,.0f} docs/s",
                     f"{n} docs; target ≥ 500"))
        print(rows[-1], flush=True)
        us, per_doc = alert_match_cost(text_docs[:2000], 100)
        rows.append(("alert matching, 100 saved searches, one core", f"{us:,.0f} µs/doc",
                     f"{1e6 / us:,.0f} docs/s alone; {per_doc:.2f} matches/doc"))
        print(rows[-1], flush=True)
        alerts_home = work / "h-text-alerts"
        add_saved_searches(_settings(alerts_home, extract=False), text_docs, 100)
        rate, n = ingest_rate(_settings(alerts_home, extract=False), [str(text_dir)])
        rows.append(("ingest .txt files, no extraction, 100 saved searches", f"{rate:,.0f} docs/s",
                     f"{n} docs; matches queued to the outbox in the same transaction"))
        print(rows[-1], flush=True)
        rate, n = ingest_rate(_settings(work / "h-text"), [str(text_dir)])
        rows.append(("ingest .txt files, SQLite + tantivy, with extraction", f"{rate:,.0f} docs/s",
                     f"{n} docs; extraction stored"))
        print(rows[-1], flush=True)
        rate, n = ingest_rate(_settings(work / "h-html", extract=False), [str(html_dir)])
        rows.append(("ingest .html pages, SQLite + tantivy, no extraction", f"{rate:,.0f} docs/s",
                     f"{n} docs; target ≥ 200"))
        print(rows[-1], flush=True)
        use_pg = pg_available()
        if use_pg:
            url = pg_reset(PG_URL, "bench_ingest")
            rate, n = ingest_rate(_settings(work / "h-pg", url), [str(text_dir)])
            rows.append(("ingest .txt files, PostgreSQL", f"{rate:,.0f} docs/s", f"{n} docs"))
            print(rows[-1], flush=True)

        # search at scale: ingest JSON Lines in chunks of 1,000 records
        big = list(generate(n_search, seed=3))
        chunks = work / "big"
        chunks.mkdir()
        for i in range(0, len(big), 1000):
            write_jsonl(chunks / f"{i // 1000:05d}.jsonl", big[i:i + 1000])
        rng = random.Random(5)
        rare = [rng.choice(big).rare[0] for _ in range(40)]
        common = ["the", "said", "که", "در", "في", "من", "کی", "د", "او", "است"]
        targets = {"tantivy": _settings(work / "h-big")}
        if use_pg:
            targets["postgres"] = _settings(work / "h-big-pg", pg_reset(PG_URL, "bench_search"))
        for name, settings in targets.items():
            t = time.perf_counter()
            rate, n = ingest_rate(settings, [str(chunks)])
            rows.append((f"ingest {n:,} JSONL docs, {name}", f"{rate:,.0f} docs/s",
                         f"{time.perf_counter() - t:,.0f} s"))
            print(rows[-1], flush=True)
            for label, qs in (("rare", rare), ("common", common)):
                p50, p95 = search_latency(settings, qs)
                rows.append((f"search {label} words, {n:,} docs, {name}", f"p50 {p50:.1f} ms",
                             f"p95 {p95:.1f} ms; target p95 < 50"))
                print(rows[-1], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print("\n" + "benchmark".ljust(width) + "  figure            notes")
    for name, figure, note in rows:
        print(f"{name.ljust(width)}  {figure.ljust(16)}  {note}")


if __name__ == "__main__":
    main()
