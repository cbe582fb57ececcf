"""Ingest: inputs (files, directories, URLs, feeds, sources) -> evidence -> documents -> index.

Each input is one *item* of an ingest job. An item runs in its own savepoint, so a
failing item (bad bytes, dead URL, unreadable feed) is recorded with its reason while
the rest of the batch goes on and nothing stored before is touched. Items are committed
in batches for speed; the search index is written after each commit.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from rasad.collect.fetcher import Fetcher
from rasad.collect.files import WARC_SUFFIXES, content_type_for, iter_input_files, suffix_of
from rasad.collect.html import extract_html
from rasad.collect.parse import decode, parse_capture
from rasad.collect.warc import iter_warc_responses
from rasad.config import Settings
from rasad.errors import BadInput, RasadError
from rasad.model import DocumentDraft, FetchResult
from rasad.pipeline import textstage
from rasad.search.base import IndexedDoc, SearchBackend
from rasad.search.service import catch_up, indexed_doc
from rasad.store.archive import add_capture, find_capture
from rasad.store.blobs import BlobStore, sha256_hex
from rasad.store.db import Database
from rasad.store.documents import document_key, store_version
from rasad.store.sources import ensure_source, find_source
from rasad.store.tables import Capture, Document, IngestItem, IngestJob, Source, utcnow

COMMIT_EVERY = 200
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
            progress: Callable[[ItemResult], None] | None = None, kind: str = "ingest") -> IngestReport:
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
        return self._run_items(expanded, source=source, lang=lang, progress=progress, kind=kind)

    def _run_items(self, items, *, source, lang, progress, kind) -> IngestReport:
        report = IngestReport()
        with self.db.session() as session:
            job = IngestJob(kind=kind)
            session.add(job)
            session.flush()
            report.job_id = job.id
        session = self.db._sessions()
        try:
            for n, (target, path) in enumerate(items, 1):
                result = self._one_item(session, target, path, source, lang)
                session.add(IngestItem(job_id=report.job_id, target=target, status=result.status,
                                       error=result.error, documents=result.new + result.updated))
                report.items.append(result)
                if n % COMMIT_EVERY == 0:
                    self._commit(session)
                if progress:
                    progress(result)
            self._finish_job(session, report)
            self._commit(session)
        finally:
            session.close()
        return report

    def _finish_job(self, session: Session, report: IngestReport) -> None:
        job = session.get(IngestJob, report.job_id)
        job.finished_at = utcnow()
        job.stats = report.totals()
        job.status = "failed" if report.items and len(report.failed) == len(report.items) else "done"

    def _commit(self, session: Session) -> None:
        session.commit()
        if not getattr(self.backend, "transactional", False):
            if self._pending_remove:
                self.backend.remove(self._pending_remove)
            if self._pending_index:
                self.backend.add(self._pending_index)
            self.backend.commit()
        self._pending_index.clear()
        self._pending_remove.clear()

    def _one_item(self, session: Session, target: str, path: Path | None,
                  source: str | None, lang: str | None) -> ItemResult:
        result = ItemResult(target=target)
        savepoint = session.begin_nested()
        mark = (len(self._pending_index), len(self._pending_remove))
        try:
            if path is None:
                src = find_source(session, source) if source else None
                if source and src is None:
                    src = ensure_source(session, source, "web")
                self._ingest_url(session, target, src, lang, result)
            else:
                src = ensure_source(session, source) if source else None
                self._ingest_file(session, path, src, lang, result)
            savepoint.commit()
        except RasadError as exc:
            savepoint.rollback()
            del self._pending_index[mark[0]:]
            del self._pending_remove[mark[1]:]
            result.status, result.error = "failed", str(exc)
            result.new = result.updated = result.unchanged = 0
        if result.status != "failed":
            if result.new:
                result.status = "new"
            elif result.updated:
                result.status = "updated"
            elif result.status not in ("not_modified",):
                result.status = "unchanged"
            if result.failed:
                result.status = "partial" if (result.new or result.updated or result.unchanged) else "failed"
                result.error = result.error or "; ".join(result.errors[:3])
        return result

    # -- inputs -------------------------------------------------------------------------

    def _ingest_file(self, session: Session, path: Path, source: Source | None, lang: str | None,
                     result: ItemResult) -> None:
        if not path.exists():
            raise BadInput("no such file or directory")
        size = path.stat().st_size
        if size > self.settings.max_file_bytes:
            raise BadInput(f"file is too large ({size // (1024 * 1024)} MB; the limit is "
                           f"{self.settings.max_file_bytes // (1024 * 1024)} MB, RASAD_MAX_FILE_BYTES)")
        suffix = suffix_of(path)
        if suffix in WARC_SUFFIXES:
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
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise BadInput(f"cannot read ({exc.strerror})") from exc
        fetched = FetchResult(
            url=file_uri(path), final_url=file_uri(path), status=None, headers={},
            content=content, fetched_at=datetime.now(UTC),
            content_type=content_type_for(path) if suffix else (mimetypes.guess_type(path.name)[0] or ""),
        )
        self._process(session, fetched, source, lang, result, suffix=suffix)

    def _ingest_url(self, session: Session, url: str, source: Source | None, lang: str | None,
                    result: ItemResult) -> None:
        fetched = self.fetcher.fetch(url)
        self._process(session, fetched, source, lang, result)

    def poll(self, source_names: list[str] | None = None,
             progress: Callable[[ItemResult], None] | None = None) -> IngestReport:
        """Fetch every due source (or the named ones) with conditional GET."""
        from rasad.store.sources import due_sources, get_source

        with self.db.session() as session:
            if source_names:
                names = [get_source(session, n).name for n in source_names]
            else:
                names = [s.name for s in due_sources(session)]
        report = IngestReport()
        with self.db.session() as session:
            job = IngestJob(kind="poll")
            session.add(job)
            session.flush()
            report.job_id = job.id
        session = self.db._sessions()
        try:
            for name in names:
                src = session.query(Source).filter_by(name=name).one()
                result = ItemResult(target=name)
                savepoint = session.begin_nested()
                try:
                    fetched = self.fetcher.fetch(src.url, etag=src.etag, last_modified=src.last_modified)
                    if fetched.not_modified:
                        result.status = "not_modified"
                    else:
                        self._process(session, fetched, src, None, result)
                        result.status = "new" if result.new else "updated" if result.updated else "unchanged"
                    savepoint.commit()
                    src.etag = fetched.etag or src.etag
                    src.last_modified = fetched.last_modified or src.last_modified
                    src.last_status = "not_modified" if fetched.not_modified else "ok"
                    src.last_error = ""
                    src.failures = 0
                except RasadError as exc:
                    savepoint.rollback()
                    result.status, result.error = "failed", str(exc)
                    result.new = result.updated = result.unchanged = 0
                    src.last_status, src.last_error = "failed", str(exc)
                    src.failures += 1
                src.last_fetched_at = utcnow()
                session.add(IngestItem(job_id=report.job_id, target=name, status=result.status,
                                       error=result.error, documents=result.new + result.updated))
                report.items.append(result)
                self._commit(session)
                if progress:
                    progress(result)
            self._finish_job(session, report)
            self._commit(session)
        finally:
            session.close()
        return report

    # -- the common path: bytes -> capture -> drafts -> documents -----------------------

    def _process(self, session: Session, fetched: FetchResult, source: Source | None,
                 lang: str | None, result: ItemResult, suffix: str = "") -> None:
        existing = find_capture(session, fetched.url, sha256_hex(fetched.content))
        if existing is not None and session.query(Document.id).filter_by(capture_id=existing.id).first():
            result.unchanged += 1
            return
        parsed = parse_capture(fetched, suffix)
        kind = parsed.kind
        for err in parsed.record_errors:
            result.failed += 1
            result.errors.append(err.message)
        capture, _new = add_capture(session, self.blobs, fetched, source.id if source else None)
        for draft in parsed.drafts:
            if not draft.url:
                draft.url = fetched.final_url or fetched.url
            if kind == "feed" and fetched.status is not None and (
                    draft.meta.get("summary_only") or len(draft.text) < SHORT_FEED_TEXT):
                if session.query(Document.id).filter_by(
                        doc_key=document_key(draft.url, draft.item_key)).first():
                    result.unchanged += 1  # known; its page changes are seen when polled as a page
                    continue
                self._complete_from_article(session, draft, source, result)
            draft_source = source
            if draft.source_name and (source is None or draft.source_name != source.name):
                draft_source = ensure_source(session, draft.source_name)
            self._store_draft(session, capture, draft, draft_source, lang, result)

    def _complete_from_article(self, session: Session, draft: DocumentDraft, source: Source | None,
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
        add_capture(session, self.blobs, fetched, source.id if source else None)
        draft.text = page.text if len(page.text) > len(draft.text) else draft.text
        draft.title = draft.title or page.title
        draft.author = draft.author or page.author
        draft.published = draft.published or page.published
        draft.meta["article_capture_sha256"] = sha256_hex(fetched.content)

    def _store_draft(self, session: Session, capture: Capture, draft: DocumentDraft,
                     source: Source | None, lang: str | None, result: ItemResult) -> None:
        hint = lang or draft.language_hint or (source.language if source else "") or None
        analysed = textstage.run_text_stage(draft, hint)
        guess = analysed.guess
        doc = Document(
            capture_id=capture.id, source_id=source.id if source else None,
            doc_key=document_key(draft.url, draft.item_key), url=draft.url, item_key=draft.item_key,
            title=draft.title, author=draft.author, published_at=draft.published,
            language=guess.language, dialect=guess.dialect, script=guess.script,
            text=draft.text, text_norm=analysed.text_norm, content_hash=analysed.content_hash,
            meta={k: v for k, v in draft.meta.items() if k != "summary_only"},
            stages={textstage.STAGE: textstage.VERSION}, created_at=utcnow(),
        )
        outcome = store_version(session, doc)
        if outcome.status == "unchanged":
            result.unchanged += 1
            return
        if outcome.status == "new":
            result.new += 1
        else:
            result.updated += 1
        entry = indexed_doc(outcome.document)
        if getattr(self.backend, "transactional", False):
            if outcome.previous is not None:
                self.backend.remove([outcome.previous.id], session=session)
            self.backend.add([entry], session=session)
        else:
            if outcome.previous is not None:
                self._pending_remove.append(outcome.previous.id)
            self._pending_index.append(entry)


def host_of(url: str) -> str:
    return urlparse(url).hostname or ""
