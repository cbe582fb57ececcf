"""Ingest: inputs (files, directories, URLs, feeds, sources) -> evidence -> documents -> index.

Each input is one *item* of an ingest job. An item runs in its own savepoint, so a
failing item (bad bytes, dead URL, unreadable feed) is recorded with its reason while
the rest of the batch goes on and nothing stored before is touched. Items are committed
in batches for speed: blobs are written first and made durable with one sync before the
rows that point at them are committed. The embedded search index is written after each
commit (and caught up on the next start if the process died in between); the
PostgreSQL index is written inside the transaction.

Right after a document's extraction is stored, in the same transaction, it is matched
against the active saved searches (rasad.alerts.on_ingest), compiled once per run, and
the matches are written to the alerts outbox: rolled back with the item if it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from rasad.alerts.on_ingest import AlertMatcher, NewDocument
from rasad.collect.fetcher import Fetcher
from rasad.collect.files import WARC_SUFFIXES, iter_input_files, read_local_file, suffix_of
from rasad.collect.html import extract_html
from rasad.collect.parse import decode, parse_capture
from rasad.collect.warc import iter_warc_responses
from rasad.config import Settings
from rasad.errors import BadInput, RasadError
from rasad.model import DocumentDraft, FetchResult
from rasad.pipeline import textstage
from rasad.pipeline.batch import PreparedFile, prepare
from rasad.pipeline.batch import write as write_batch
from rasad.pipeline.extraction import DocumentInput, ExtractionStage
from rasad.search.base import IndexedDoc, SearchBackend
from rasad.search.service import catch_up
from rasad.store.archive import add_capture, find_capture_id
from rasad.store.blobs import BlobStore, sha256_hex
from rasad.store.db import Database
from rasad.store.documents import document_key, known_key, store_version
from rasad.store.sources import ensure_source
from rasad.store.tables import IngestItem, IngestJob, Source, utcnow

COMMIT_EVERY = 200
ANALYZE_AFTER = 1000  # new documents in one run after which the search backend is optimised
SHORT_FEED_TEXT = 400  # entries of a fetched feed shorter than this get their article fetched


@dataclass
class ItemResult:
    target: str
    status: str = "new"  # new, updated, unchanged, not_modified, failed, partial
    error: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    job_id: int | None = None
    items: list[ItemResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == "failed"]

    def totals(self) -> dict[str, int]:
        return {
            "item_count": len(self.items),
            "failed_items": len(self.failed),
            "documents_new": sum(i.new for i in self.items),
            "documents_updated": sum(i.updated for i in self.items),
            "documents_unchanged": sum(i.unchanged for i in self.items),
            "records_failed": sum(i.failed for i in self.items),
        }


@dataclass
class _SourceInfo:
    id: int | None
    language: str = ""
    outlet: str = ""  # the source's title or name: the outlet of what it publishes


NO_SOURCE = _SourceInfo(None)


def _document_input(doc_id: int, draft: DocumentDraft, guess, outlet: str) -> DocumentInput:
    return DocumentInput(doc_id, draft.text, guess.language, guess.dialect, draft.published,
                         draft.title, draft.author, outlet)


def _new_document(entry: IndexedDoc, draft: DocumentDraft, doc_key: str,
                  ingested_at: datetime | None = None) -> NewDocument:
    return NewDocument(id=entry.id, doc_key=doc_key, title_norm=entry.title_norm,
                       text_norm=entry.text_norm, extra_norm=entry.extra_norm,
                       language=entry.language, dialect=entry.dialect, source_id=entry.source_id,
                       published_at=draft.published, ingested_at=ingested_at or utcnow())


def file_uri(path: Path) -> str:
    return path.resolve().as_uri()


class Ingester:
    """Runs ingest jobs against one database, blob store and search backend."""

    def __init__(self, settings: Settings, db: Database, backend: SearchBackend,
                 fetcher: Fetcher | None = None):
        self.settings = settings
        self.db = db
        self.backend = backend
        self.blobs = BlobStore(settings.blob_dir)
        self._fetcher = fetcher
        self._pending_index: list[IndexedDoc] = []
        self._pending_remove: list[int] = []
        self._pending_items: list[dict] = []
        self._sources: dict[str, _SourceInfo] = {}
        self.extraction = ExtractionStage() if settings.extract_on_ingest else None
        self._alerts: AlertMatcher | None = None  # compiled on first use in each run
        catch_up(db, backend)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        self.backend.close()

    # -- jobs ---------------------------------------------------------------------------

    def run(self, targets: Iterable[str], *, source: str | None = None, lang: str | None = None,
            progress: Callable[[ItemResult], None] | None = None) -> IngestReport:
        """Ingest paths and URLs; directories are walked recursively."""
        expanded: list[tuple[str, Path | None]] = []
        for target in targets:
            if target.startswith(("http://", "https://")):
                expanded.append((target, None))
                continue
            path = Path(target)
            if path.is_dir():
                expanded.extend((str(p), p) for p in iter_input_files(path))
            else:
                expanded.append((target, path))
        report = IngestReport(job_id=self._start_job("ingest"))
        self._alerts = None  # saved searches made since the last run count from now on
        session = self.db.new_session(write=True)
        try:
            src = self._source(session, source, "web" if expanded and expanded[0][1] is None
                               else "file") if source else NO_SOURCE
            batch: list[tuple[str, Path]] = []
            for target, path in expanded:
                if path is not None and suffix_of(path) not in WARC_SUFFIXES:
                    batch.append((target, path))
                    if len(batch) >= COMMIT_EVERY:
                        self._run_batch(session, batch, src, lang, report, progress)
                        batch = []
                    continue
                if batch:
                    self._run_batch(session, batch, src, lang, report, progress)
                    batch = []
                result = self._one_item(session, target, path, src, lang)
                self._record(report, result)
                if len(self._pending_items) >= COMMIT_EVERY:
                    self._commit(session)
                if progress:
                    progress(result)
            if batch:
                self._run_batch(session, batch, src, lang, report, progress)
            self._finish_job(session, report)
            self._commit(session)
        finally:
            session.close()
        if report.totals()["documents_new"] >= ANALYZE_AFTER:
            self.backend.optimize()
        return report

    def _run_batch(self, session: Session, batch: list[tuple[str, Path]], source: _SourceInfo,
                   lang: str | None, report: IngestReport, progress) -> None:
        """Local files through the set-based fast path; one by one if the batch write fails."""
        files = [PreparedFile(target) for target, _ in batch]

        def source_for(draft: DocumentDraft) -> tuple[int | None, str]:
            info = self._source(session, draft.source_name) if draft.source_name else source
            return info.id, info.language

        def hint_for(draft: DocumentDraft, source_lang: str) -> str | None:
            return lang or draft.language_hint or source_lang or None

        savepoint = session.begin_nested()
        try:
            prepare(files, [p for _, p in batch], session, max_bytes=self.settings.max_file_bytes,
                    source_for=source_for, hint_for=hint_for)
            written = write_batch(session, self.blobs, files, lambda f: source.id)
            if self.extraction is not None:
                self.extraction.apply(session, [
                    _document_input(doc_id, p.draft, p.analysed.guess, self._outlet(session, p.source_id, source))
                    for doc_id, p in written.stored])
            self._match_alerts(session, [
                _new_document(entry, p.draft, document_key(p.draft.url, p.draft.item_key))
                for entry, (_, p) in zip(written.index, written.stored, strict=True)])
            if getattr(self.backend, "transactional", False):
                self.backend.remove(written.retired, session=session)
                self.backend.add(written.index, session=session)
            savepoint.commit()
        except (RasadError, SQLAlchemyError):
            savepoint.rollback()
            for target, path in batch:
                result = self._one_item(session, target, path, source, lang)
                self._record(report, result)
                if progress:
                    progress(result)
            self._commit(session)
            return
        if not getattr(self.backend, "transactional", False):
            self._pending_remove.extend(written.retired)
            self._pending_index.extend(written.index)
        for f, (n_new, n_upd, n_same) in zip(files, written.counts, strict=True):
            result = ItemResult(target=f.target)
            if f.error:
                result.status, result.error = "failed", f.error
            else:
                result.new, result.updated = n_new, n_upd
                result.unchanged = n_same + (1 if f.unchanged else 0)
                result.failed = len(f.record_errors)
                result.errors = list(f.record_errors)
            self._settle(result)
            self._record(report, result)
            if progress:
                progress(result)
        self._commit(session)

    def poll(self, source_names: list[str] | None = None,
             progress: Callable[[ItemResult], None] | None = None) -> IngestReport:
        """Fetch every due source (or the named ones) with conditional GET."""
        from rasad.store.sources import due_sources, get_source

        with self.db.session() as session:
            if source_names:
                names = [get_source(session, n).name for n in source_names]
            else:
                names = [s.name for s in due_sources(session)]
        report = IngestReport(job_id=self._start_job("poll"))
        self._alerts = None
        session = self.db.new_session(write=True)
        try:
            for name in names:
                result = self._poll_one(session, name)
                self._record(report, result)
                self._commit(session)
                if progress:
                    progress(result)
            self._finish_job(session, report)
            self._commit(session)
        finally:
            session.close()
        return report

    def _poll_one(self, session: Session, name: str) -> ItemResult:
        src = session.scalars(select(Source).where(Source.name == name)).one()
        info = _SourceInfo(src.id, src.language, src.title or src.name)
        result = ItemResult(target=name)
        savepoint = session.begin_nested()
        try:
            fetched = self.fetcher.fetch(src.url, etag=src.etag, last_modified=src.last_modified)
            if fetched.not_modified:
                result.status = "not_modified"
            else:
                self._process(session, fetched, info, None, result)
            savepoint.commit()
            src.etag = fetched.etag or src.etag
            src.last_modified = fetched.last_modified or src.last_modified
            src.last_status = "not_modified" if fetched.not_modified else "ok"
            src.last_error = ""
            src.failures = 0
        except RasadError as exc:
            savepoint.rollback()
            self._fail(result, exc)
            src.last_status, src.last_error = "failed", str(exc)
            src.failures += 1
        src.last_fetched_at = utcnow()
        self._settle(result)
        return result

    def _start_job(self, kind: str) -> int:
        with self.db.session() as session:
            job = IngestJob(kind=kind)
            session.add(job)
            session.flush()
            return job.id

    def _record(self, report: IngestReport, result: ItemResult) -> None:
        report.items.append(result)
        self._pending_items.append({
            "job_id": report.job_id, "target": result.target, "status": result.status,
            "error": result.error, "documents": result.new + result.updated, "created_at": utcnow()})

    def _finish_job(self, session: Session, report: IngestReport) -> None:
        job = session.get(IngestJob, report.job_id)
        job.finished_at = utcnow()
        job.stats = report.totals()
        job.status = "failed" if report.items and len(report.failed) == len(report.items) else "done"

    def _commit(self, session: Session) -> None:
        if self._pending_items:
            session.execute(insert(IngestItem), self._pending_items)
            self._pending_items.clear()
        self.blobs.sync()
        session.commit()
        if not getattr(self.backend, "transactional", False):
            if self._pending_remove:
                self.backend.remove(self._pending_remove)
            if self._pending_index:
                self.backend.add(self._pending_index)
            self.backend.commit()
        self._pending_index.clear()
        self._pending_remove.clear()

    def _fail(self, result: ItemResult, exc: RasadError) -> None:
        result.status, result.error = "failed", str(exc)
        result.new = result.updated = result.unchanged = 0

    @staticmethod
    def _settle(result: ItemResult) -> None:
        if result.status in ("failed", "not_modified"):
            return
        if result.new:
            result.status = "new"
        elif result.updated:
            result.status = "updated"
        else:
            result.status = "unchanged"
        if result.failed:
            result.status = "partial" if (result.new or result.updated or result.unchanged) else "failed"
            result.error = result.error or "; ".join(result.errors[:3])

    def _one_item(self, session: Session, target: str, path: Path | None, source: _SourceInfo,
                  lang: str | None) -> ItemResult:
        result = ItemResult(target=target)
        savepoint = session.begin_nested()
        mark = (len(self._pending_index), len(self._pending_remove))
        try:
            if path is None:
                self._process(session, self.fetcher.fetch(target), source, lang, result)
            else:
                self._ingest_file(session, path, source, lang, result)
            savepoint.commit()
        except RasadError as exc:
            savepoint.rollback()
            del self._pending_index[mark[0]:]
            del self._pending_remove[mark[1]:]
            self._fail(result, exc)
        self._settle(result)
        return result

    def _source(self, session: Session, name: str, kind: str = "file") -> _SourceInfo:
        """A source by name, created when unknown (cached once it is committed-safe)."""
        cached = self._sources.get(name)
        if cached is not None:
            return cached
        row = session.execute(select(Source.id, Source.language, Source.title)
                              .where(Source.name == name)).first()
        if row is not None:
            info = _SourceInfo(row.id, row.language, row.title or name)
            self._sources[name] = info
            return info
        src = ensure_source(session, name, kind)
        return _SourceInfo(src.id, src.language, src.title or name)

    def _match_alerts(self, session: Session, docs: list[NewDocument]) -> None:
        """Queue alert messages for stored documents (after their extraction, same transaction)."""
        if not docs:
            return
        if self._alerts is None:
            self._alerts = AlertMatcher.load(session, daily_hour=self.settings.alerts_daily_hour)
        self._alerts.match_and_queue(session, docs)

    def _outlet(self, session: Session, source_id: int | None, default: _SourceInfo) -> str:
        if source_id is None or source_id == default.id:
            return default.outlet
        for info in self._sources.values():
            if info.id == source_id:
                return info.outlet
        row = session.execute(select(Source.title, Source.name).where(Source.id == source_id)).first()
        return (row.title or row.name) if row else ""

    # -- inputs -------------------------------------------------------------------------

    def _ingest_file(self, session: Session, path: Path, source: _SourceInfo, lang: str | None,
                     result: ItemResult) -> None:
        suffix = suffix_of(path)
        if suffix in WARC_SUFFIXES:  # streamed record by record, so no whole-file size cap
            if not path.is_file():
                raise BadInput("no such file or directory")
            for fetched in iter_warc_responses(path):
                if fetched.status is not None and not 200 <= fetched.status < 300:
                    continue
                try:
                    with session.begin_nested():
                        self._process(session, fetched, source, lang, result)
                except RasadError as exc:
                    result.failed += 1
                    result.errors.append(f"{fetched.url}: {exc}")
            return
        fetched = read_local_file(path, self.settings.max_file_bytes)
        self._process(session, fetched, source, lang, result, suffix=suffix)

    # -- the common path: bytes -> capture -> drafts -> documents -----------------------

    def _process(self, session: Session, fetched: FetchResult, source: _SourceInfo,
                 lang: str | None, result: ItemResult, suffix: str = "") -> None:
        digest = sha256_hex(fetched.content)
        if find_capture_id(session, fetched.url, digest) is not None:
            result.unchanged += 1
            return
        parsed = parse_capture(fetched, suffix)
        for err in parsed.record_errors:
            result.failed += 1
            result.errors.append(err.message)
        capture_id, _ = add_capture(session, self.blobs, fetched, source.id, digest=digest,
                                    sync=False, known_new=True)
        for draft in parsed.drafts:
            if not draft.url:
                draft.url = fetched.final_url or fetched.url
            if parsed.kind == "feed" and fetched.status is not None and (
                    draft.meta.get("summary_only") or len(draft.text) < SHORT_FEED_TEXT):
                if known_key(session, document_key(draft.url, draft.item_key)):
                    result.unchanged += 1  # known; its page changes are seen when polled as a page
                    continue
                self._complete_from_article(session, draft, source, result)
            draft_source = source
            if draft.source_name:
                draft_source = self._source(session, draft.source_name)
            self._store_draft(session, capture_id, draft, draft_source, lang, result)

    def _complete_from_article(self, session: Session, draft: DocumentDraft, source: _SourceInfo,
                               result: ItemResult) -> None:
        """Fetch the article page of a feed entry that carries only a summary."""
        if not self.settings.fetch_articles or not draft.url.startswith(("http://", "https://")):
            return
        try:
            fetched = self.fetcher.fetch(draft.url)
            page = extract_html(decode(fetched), fetched.final_url)
        except RasadError as exc:
            result.errors.append(f"{draft.url}: article not fetched ({exc}); kept the feed summary")
            return
        add_capture(session, self.blobs, fetched, source.id, sync=False)
        draft.text = page.text if len(page.text) > len(draft.text) else draft.text
        draft.title = draft.title or page.title
        draft.author = draft.author or page.author
        draft.published = draft.published or page.published
        draft.meta["article_capture_sha256"] = sha256_hex(fetched.content)

    def _store_draft(self, session: Session, capture_id: int, draft: DocumentDraft,
                     source: _SourceInfo, lang: str | None, result: ItemResult) -> None:
        hint = lang or draft.language_hint or source.language or None
        analysed = textstage.run_text_stage(draft, hint)
        guess = analysed.guess
        now = utcnow()
        values = {
            "capture_id": capture_id, "source_id": source.id,
            "doc_key": document_key(draft.url, draft.item_key), "url": draft.url,
            "item_key": draft.item_key, "title": draft.title, "author": draft.author,
            "published_at": draft.published, "language": guess.language, "dialect": guess.dialect,
            "script": guess.script, "text": draft.text, "text_norm": analysed.text_norm,
            "content_hash": analysed.content_hash,
            "meta": {k: v for k, v in draft.meta.items() if k != "summary_only"},
            "stages": {textstage.STAGE: textstage.VERSION}, "created_at": now,
        }
        outcome = store_version(session, values)
        if outcome.status == "unchanged":
            result.unchanged += 1
            return
        if outcome.status == "new":
            result.new += 1
        else:
            result.updated += 1
        if self.extraction is not None:
            self.extraction.apply(session, [_document_input(outcome.id, draft, guess, source.outlet)])
        entry = IndexedDoc(id=outcome.id, title_norm=analysed.title_norm, text_norm=analysed.text_norm,
                           language=guess.language, dialect=guess.dialect, source_id=source.id,
                           sort_at=draft.published or now, extra_norm=analysed.extra_norm)
        self._match_alerts(session, [_new_document(entry, draft, values["doc_key"], now)])
        if getattr(self.backend, "transactional", False):
            if outcome.previous_id is not None:
                self.backend.remove([outcome.previous_id], session=session)
            self.backend.add([entry], session=session)
        else:
            if outcome.previous_id is not None:
                self._pending_remove.append(outcome.previous_id)
            self._pending_index.append(entry)
