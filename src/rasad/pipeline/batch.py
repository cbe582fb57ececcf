"""The fast path for local files: a batch of files is read, hashed, parsed and analysed
first (pure work, no database), then written with a few set-based statements instead of
a handful of statements per file.

Idempotency is the same as on the per-item path: a capture is (URL, SHA-256), a document
version is (doc_key, content hash). If the batch write fails (e.g. a concurrent writer
inserted the same row), the caller rolls the batch back and re-runs its files one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from rasad.collect.files import read_local_file, suffix_of
from rasad.collect.parse import parse_capture
from rasad.errors import RasadError
from rasad.model import DocumentDraft, FetchResult
from rasad.pipeline import textstage
from rasad.search.base import IndexedDoc
from rasad.store.blobs import BlobStore, sha256_hex
from rasad.store.documents import document_key
from rasad.store.tables import Capture, Document, utcnow


@dataclass
class PreparedDraft:
    draft: DocumentDraft
    analysed: textstage.TextResult
    source_id: int | None


@dataclass
class PreparedFile:
    target: str
    fetched: FetchResult | None = None
    digest: str = ""
    drafts: list[PreparedDraft] = field(default_factory=list)
    record_errors: list[str] = field(default_factory=list)
    error: str = ""  # set when the file failed before any write
    unchanged: bool = False


def existing_captures(session: Session, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    if not pairs:
        return set()
    digests = list({sha for _, sha in pairs})
    rows = session.connection().execute(
        select(Capture.url, Capture.sha256).where(Capture.sha256.in_(digests))).all()
    return {(r.url, r.sha256) for r in rows}


def prepare(files: list[PreparedFile], paths: list[Path], session: Session, *, max_bytes: int,
            source_for, hint_for) -> None:
    """Read, hash, skip known captures, parse and run the text stage (no writes)."""
    for item, path in zip(files, paths, strict=True):
        try:
            item.fetched = read_local_file(path, max_bytes)
            item.digest = sha256_hex(item.fetched.content)
        except RasadError as exc:
            item.error = str(exc)
    known = existing_captures(session, [(f.fetched.url, f.digest) for f in files if f.fetched])
    for item, path in zip(files, paths, strict=True):
        if item.error or item.fetched is None:
            continue
        if (item.fetched.url, item.digest) in known:
            item.unchanged = True
            continue
        try:
            parsed = parse_capture(item.fetched, suffix_of(path))
            for draft in parsed.drafts:
                draft.url = draft.url or item.fetched.url
                source_id, source_lang = source_for(draft)
                analysed = textstage.run_text_stage(draft, hint_for(draft, source_lang))
                item.drafts.append(PreparedDraft(draft, analysed, source_id))
            item.record_errors = [e.message for e in parsed.record_errors]
        except RasadError as exc:
            item.error = str(exc)
            item.drafts.clear()


@dataclass
class WriteResult:
    # per file: (new, updated, unchanged) counts
    counts: list[tuple[int, int, int]]
    index: list[IndexedDoc]
    retired: list[int]
    stored: list[tuple[int, PreparedDraft]] = field(default_factory=list)  # new latest versions


def write(session: Session, blobs: BlobStore, files: list[PreparedFile],
          source_id_of_file) -> WriteResult:
    """Insert captures and document versions of prepared files in a few statements."""
    conn = session.connection()
    todo = [f for f in files if not f.error and not f.unchanged and f.fetched is not None]
    counts = [(0, 0, 0)] * len(files)
    if not todo:
        return WriteResult(counts, [], [])
    now = utcnow()
    capture_rows = []
    seen: dict[tuple[str, str], int] = {}
    for f in todo:
        key = (f.fetched.url, f.digest)
        if key in seen:  # the same file named twice in one batch
            continue
        seen[key] = len(capture_rows)
        capture_rows.append({
            "source_id": source_id_of_file(f), "url": f.fetched.url, "final_url": f.fetched.final_url,
            "fetched_at": f.fetched.fetched_at, "http_status": f.fetched.status, "headers": {},
            "content_type": f.fetched.content_type, "sha256": f.digest,
            "size": len(f.fetched.content), "blob_key": blobs.put(f.fetched.content, sync=False),
            "created_at": now})
    capture_ids = conn.execute(
        insert(Capture).returning(Capture.id, sort_by_parameter_order=True), capture_rows
    ).scalars().all()

    keys = list({document_key(p.draft.url, p.draft.item_key) for f in todo for p in f.drafts})
    versions: dict[str, list[tuple[int, int, str]]] = {}
    for i in range(0, len(keys), 500):
        for row in conn.execute(
                select(Document.doc_key, Document.id, Document.version, Document.content_hash)
                .where(Document.doc_key.in_(keys[i:i + 500]))):
            versions.setdefault(row.doc_key, []).append((row.id, row.version, row.content_hash))

    doc_rows, owners, retired, retire_keys = [], [], [], set()
    new_in_batch: dict[str, list[tuple[int | None, int, str]]] = {}
    for f in todo:
        capture_id = capture_ids[seen[(f.fetched.url, f.digest)]]
        n_new = n_upd = n_same = 0
        for p in f.drafts:
            key = document_key(p.draft.url, p.draft.item_key)
            known = versions.get(key, []) + new_in_batch.get(key, [])
            if any(h == p.analysed.content_hash for _, _, h in known):
                n_same += 1
                continue
            latest = max(known, key=lambda v: v[1]) if known else None
            if latest is not None:
                n_upd += 1
                if latest[0] is not None:
                    retired.append(latest[0])
                retire_keys.add(key)
                for row in doc_rows:  # an earlier version in this same batch
                    if row["doc_key"] == key:
                        row["is_latest"] = False
            else:
                n_new += 1
            version = latest[1] + 1 if latest else 1
            new_in_batch.setdefault(key, []).append((None, version, p.analysed.content_hash))
            guess = p.analysed.guess
            doc_rows.append({
                "capture_id": capture_id, "source_id": p.source_id, "doc_key": key,
                "version": version, "is_latest": True, "url": p.draft.url,
                "item_key": p.draft.item_key, "title": p.draft.title, "author": p.draft.author,
                "published_at": p.draft.published, "language": guess.language,
                "dialect": guess.dialect, "script": guess.script, "text": p.draft.text,
                "text_norm": p.analysed.text_norm, "content_hash": p.analysed.content_hash,
                "minhash": None, "story_id": None,
                "meta": {k: v for k, v in p.draft.meta.items() if k != "summary_only"},
                "stages": {textstage.STAGE: textstage.VERSION}, "created_at": now})
            owners.append(p)
        counts[files.index(f)] = (n_new, n_upd, n_same)
    if retire_keys:
        keys_list = list(retire_keys)
        for i in range(0, len(keys_list), 500):
            conn.execute(update(Document).where(Document.doc_key.in_(keys_list[i:i + 500]),
                                                Document.is_latest.is_(True))
                         .values(is_latest=False))
    index: list[IndexedDoc] = []
    stored: list[tuple[int, PreparedDraft]] = []
    if doc_rows:
        ids = conn.execute(insert(Document).returning(Document.id, sort_by_parameter_order=True),
                           doc_rows).scalars().all()
        for doc_id, row, p in zip(ids, doc_rows, owners, strict=True):
            if not row["is_latest"]:
                retired.append(doc_id)
                continue
            stored.append((doc_id, p))
            index.append(IndexedDoc(
                id=doc_id, title_norm=p.analysed.title_norm, text_norm=p.analysed.text_norm,
                language=row["language"], dialect=row["dialect"], source_id=row["source_id"],
                sort_at=row["published_at"] or now, extra_norm=p.analysed.extra_norm))
    return WriteResult(counts, index, retired, stored)
