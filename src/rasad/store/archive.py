"""Evidence captures: immutable rows pointing at content-addressed bytes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.model import FetchResult
from rasad.store.blobs import BlobStore, sha256_hex
from rasad.store.tables import Capture


def find_capture(session: Session, url: str, sha256: str) -> Capture | None:
    return session.scalars(
        select(Capture).where(Capture.url == url, Capture.sha256 == sha256).limit(1)
    ).first()


def add_capture(session: Session, blobs: BlobStore, fetched: FetchResult,
                source_id: int | None) -> tuple[Capture, bool]:
    """The capture of these bytes at this URL, archived if new. Returns (capture, is_new)."""
    digest = sha256_hex(fetched.content)
    existing = find_capture(session, fetched.url, digest)
    if existing is not None:
        return existing, False
    key = blobs.put(fetched.content)
    capture = Capture(
        source_id=source_id, url=fetched.url, final_url=fetched.final_url,
        fetched_at=fetched.fetched_at, http_status=fetched.status,
        headers=dict(fetched.headers), content_type=fetched.content_type,
        sha256=digest, size=len(fetched.content), blob_key=key,
    )
    session.add(capture)
    session.flush()
    return capture, True
