"""Evidence captures: immutable rows pointing at content-addressed bytes.

These run on the ingest hot path, so they use Core statements, not the ORM unit of work.
"""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from rasad.model import FetchResult
from rasad.store.blobs import BlobStore, sha256_hex
from rasad.store.tables import Capture, utcnow

_FIND = (select(Capture.id)
         .where(Capture.url == bindparam("url"), Capture.sha256 == bindparam("sha256")).limit(1))
_INSERT = insert(Capture).returning(Capture.id)


def find_capture_id(session: Session, url: str, sha256: str) -> int | None:
    return session.connection().execute(_FIND, {"url": url, "sha256": sha256}).scalar()


def add_capture(session: Session, blobs: BlobStore, fetched: FetchResult, source_id: int | None,
                *, digest: str | None = None, sync: bool = True,
                known_new: bool = False) -> tuple[int, bool]:
    """The id of the capture of these bytes at this URL, archived if new: (id, is_new).

    ``known_new`` skips the look-up when the caller has just made it. With ``sync=False`` the blob is not fsynced; the caller must call ``blobs.sync()``
    before committing the transaction that references it.
    """
    digest = digest or sha256_hex(fetched.content)
    existing = None if known_new else find_capture_id(session, fetched.url, digest)
    if existing is not None:
        return existing, False
    key = blobs.put(fetched.content, sync=sync)
    capture_id = session.connection().execute(_INSERT, {
        "source_id": source_id, "url": fetched.url, "final_url": fetched.final_url,
        "fetched_at": fetched.fetched_at, "http_status": fetched.status,
        "headers": dict(fetched.headers), "content_type": fetched.content_type,
        "sha256": digest, "size": len(fetched.content), "blob_key": key, "created_at": utcnow(),
    }).scalar_one()
    return capture_id, True
