"""The evidence archive and document versions, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from tests.helpers import TEXTS, make_ingester, write_texts

from rasad.search.base import SearchFilters
from rasad.search.service import run_search
from rasad.store.blobs import BlobStore
from rasad.store.tables import Capture, Document, IngestItem


def counts(db):
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Capture)),
                s.scalar(select(func.count()).select_from(Document)))


def test_capture_keeps_exact_bytes_hash_and_fetch_time(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(paths["fa"])])
    raw = paths["fa"].read_bytes()
    with db.session() as s:
        cap = s.scalars(select(Capture)).one()
        assert cap.sha256 == hashlib.sha256(raw).hexdigest()
        assert cap.size == len(raw)
        assert cap.url == paths["fa"].resolve().as_uri()
        assert cap.fetched_at.tzinfo is not None
        assert cap.http_status is None
    assert BlobStore(settings.blob_dir).get(cap.blob_key) == raw
    assert BlobStore(settings.blob_dir).verify(cap.blob_key)
    ing.close()


def test_reingesting_the_same_bytes_creates_nothing(settings, tmp_path):
    db, ing = make_ingester(settings)
    write_texts(tmp_path / "in")
    first = ing.run([str(tmp_path / "in")])
    assert first.totals()["documents_new"] == 6
    assert counts(db) == (6, 6)
    second = ing.run([str(tmp_path / "in")])
    assert second.totals()["documents_new"] == 0
    assert [i.status for i in second.items] == ["unchanged"] * 6
    assert counts(db) == (6, 6)
    assert run_search(db, ing.backend, "", SearchFilters()).total == 6
    ing.close()


def test_changed_page_is_a_new_capture_and_a_new_version(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(paths["ar"])])
    title, body = TEXTS["ar"]
    paths["ar"].write_text(f"{title}\n\n{body} وأشار إلى أن الوفد سيزور القاهرة الأسبوع المقبل.\n",
                           encoding="utf-8")
    report = ing.run([str(paths["ar"])])
    assert report.items[0].status == "updated"
    assert counts(db) == (2, 2)
    with db.session() as s:
        docs = s.scalars(select(Document).order_by(Document.version)).all()
        assert [(d.version, d.is_latest) for d in docs] == [(1, False), (2, True)]
        assert docs[0].doc_key == docs[1].doc_key
        assert docs[0].capture_id != docs[1].capture_id
    # only the latest version is searchable
    res = run_search(db, ing.backend, "القاهرة", SearchFilters())
    assert [r.id for r in res.results] == [docs[1].id]
    assert run_search(db, ing.backend, "المقاومة", SearchFilters()).total == 1
    ing.close()


def test_bad_items_fail_alone_and_nothing_stored_is_lost(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(paths["en"])])
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 50)
    truncated = tmp_path / "cut.html"
    truncated.write_text("<html><head><title>x</title></head><body><article><p>", encoding="utf-8")
    report = ing.run([str(junk), str(paths["ur"]), str(truncated), str(tmp_path / "missing.txt")])
    status = {i.target: (i.status, i.error) for i in report.items}
    assert status[str(junk)][0] == "failed" and "binary" in status[str(junk)][1]
    assert status[str(paths["ur"])][0] == "new"
    assert status[str(truncated)][0] == "failed" and "no text" in status[str(truncated)][1]
    assert status[str(tmp_path / "missing.txt")] [0] == "failed"
    assert counts(db) == (2, 2)
    with db.session() as s:
        items = s.scalars(select(IngestItem).where(IngestItem.job_id == report.job_id)).all()
        assert sorted(i.status for i in items) == ["failed", "failed", "failed", "new"]
    ing.close()


def test_jsonl_records_become_documents_and_bad_lines_are_reported(settings, tmp_path):
    db, ing = make_ingester(settings)
    lines = [
        {"id": "ch/1", "source": "khorasan-channel", "text": TEXTS["ps"][1], "language": "ps",
         "published": "2024-10-05T14:20:00+04:30", "meta": {"views": 1530}},
        {"id": "ch/2", "source": "khorasan-channel", "text": TEXTS["prs"][1]},
        {"text": "no id"},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n",
                    encoding="utf-8")
    report = ing.run([str(path)])
    item = report.items[0]
    assert (item.status, item.new, item.failed) == ("partial", 2, 2)
    assert "line 3: record has no 'id'" in item.errors[0]
    with db.session() as s:
        docs = s.scalars(select(Document).order_by(Document.id)).all()
        assert [d.item_key for d in docs] == ["ch/1", "ch/2"]
        assert docs[0].published_at.isoformat() == "2024-10-05T09:50:00+00:00"
        assert docs[0].meta["views"] == 1530
        assert (docs[0].language, docs[1].language, docs[1].dialect) == ("ps", "fa", "prs")
    # the same file again: nothing new
    again = ing.run([str(path)])
    assert again.totals()["documents_new"] == 0
    ing.close()


def test_huge_file_is_refused_without_reading_it(settings, tmp_path):
    db, ing = make_ingester(settings)
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # a sparse 200 MB file
        handle.truncate(200 * 1024 * 1024)
    small = write_texts(tmp_path / "in")["fa"]
    report = ing.run([str(big), str(small)])
    assert report.items[0].status == "failed"
    assert report.items[0].error == "file is too large (200 MB; the limit is 100 MB, RASAD_MAX_FILE_BYTES)"
    assert report.items[1].status == "new"
    ing.close()


def test_legacy_and_utf16_encodings_are_stored_without_mojibake(settings, tmp_path):
    db, ing = make_ingester(settings)
    arabic = "قال المتحدث باسم الوزارة إن الوفد سيصل إلى الدوحة غداً لاستئناف المحادثات."
    persian_1256 = "سخنگوي دولت گفت که جلسه هيات وزيران روز چهارشنبه برگزار مي شود."
    (tmp_path / "a.txt").write_bytes(arabic.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(persian_1256.encode("cp1256"))
    (tmp_path / "c.txt").write_bytes(arabic.encode("utf-16"))
    (tmp_path / "d.txt").write_bytes(b"\xef\xbb\xbf" + persian_1256.encode("utf-8"))
    report = ing.run([str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt", "d.txt")])
    assert [i.status for i in report.items] == ["new"] * 4
    with db.session() as s:
        texts = [d.text for d in s.scalars(select(Document).order_by(Document.id))]
    assert texts == [arabic, persian_1256, arabic, persian_1256]
    ing.close()


def test_sqlite_runs_in_wal_mode_and_init_is_idempotent(sqlite_settings):
    from sqlalchemy import text

    from rasad.store.db import Database, current_revision, head_revision, migrate

    db = Database(sqlite_settings.db_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert current_revision(db.engine) == head_revision(db.engine)
    migrate(db.engine)  # a second run changes nothing
    assert current_revision(db.engine) == head_revision(db.engine)


def test_one_batch_with_two_versions_of_the_same_item_keeps_the_later_as_latest(settings, tmp_path):
    db, ing = make_ingester(settings)
    folder = tmp_path / "drops"
    folder.mkdir()
    url = "https://t.example/s/channel/77"
    for n, text in enumerate([TEXTS["ur"][1], TEXTS["ur"][1] + " ترجمان نے مزید کہا کہ تحقیقات جاری ہیں۔"]):
        (folder / f"{n}.jsonl").write_text(json.dumps({"id": "77", "url": url, "text": text},
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
    report = ing.run([str(folder)])
    assert [(i.status, i.new, i.updated) for i in report.items] == [("new", 1, 0), ("updated", 0, 1)]
    with db.session() as s:
        docs = s.scalars(select(Document).order_by(Document.version)).all()
        assert [(d.version, d.is_latest) for d in docs] == [(1, False), (2, True)]
    res = run_search(db, ing.backend, "تحقیقات", SearchFilters())
    assert [r.id for r in res.results] == [docs[1].id]
    assert run_search(db, ing.backend, "", SearchFilters()).total == 1
    ing.close()


def test_a_failed_batch_write_falls_back_to_one_file_at_a_time(settings, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import rasad.pipeline.ingest as ingest_module

    def broken_write(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("simulated lock timeout"))

    monkeypatch.setattr(ingest_module, "write_batch", broken_write)
    db, ing = make_ingester(settings)
    write_texts(tmp_path / "in")
    report = ing.run([str(tmp_path / "in")])
    assert [i.status for i in report.items] == ["new"] * 6
    assert counts(db) == (6, 6)
    assert run_search(db, ing.backend, "", SearchFilters()).total == 6
    ing.close()


def test_a_nul_byte_in_a_text_file_is_dropped_not_fatal(settings, tmp_path):
    db, ing = make_ingester(settings)
    path = tmp_path / "nul.txt"
    path.write_bytes(b"A statement\x00 with a NUL byte and a form feed\x0c in it.")
    report = ing.run([str(path)])
    assert report.totals()["documents_new"] == 1
    with db.session() as s:
        assert s.scalars(select(Document.text)).one() == "A statement with a NUL byte and a form feed in it."
    ing.close()
