"""Documents and their versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.store.tables import Document


@dataclass
class StoreOutcome:
    status: str  # new, updated (a new version), unchanged
    document: Document
    previous: Document | None = None


def document_key(url: str, item_key: str) -> str:
    return f"{url}#{item_key}" if item_key else url


def latest_version(session: Session, doc_key: str) -> Document | None:
    return session.scalars(
        select(Document).where(Document.doc_key == doc_key)
        .order_by(Document.version.desc()).limit(1)
    ).first()


def store_version(session: Session, doc: Document) -> StoreOutcome:
    """Add ``doc`` unless its content is already stored under the same key.

    A different content under a known key becomes the next version; the earlier version
    stays (evidence) but is no longer the latest.
    """
    same = session.scalars(
        select(Document).where(Document.doc_key == doc.doc_key,
                               Document.content_hash == doc.content_hash).limit(1)
    ).first()
    if same is not None:
        return StoreOutcome("unchanged", same)
    previous = latest_version(session, doc.doc_key)
    if previous is not None:
        doc.version = previous.version + 1
        previous.is_latest = False
    session.add(doc)
    session.flush()
    return StoreOutcome("updated" if previous else "new", doc, previous)


def versions_of(session: Session, doc: Document) -> list[Document]:
    return list(session.scalars(
        select(Document).where(Document.doc_key == doc.doc_key).order_by(Document.version)
    ))
