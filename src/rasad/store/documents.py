"""Documents and their versions (Core statements: this is the ingest hot path)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, true, update
from sqlalchemy.orm import Session

from rasad.store.tables import Document


@dataclass
class StoreOutcome:
    status: str  # new, updated (a new version), unchanged
    id: int
    previous_id: int | None = None
    version: int = 1


def document_key(url: str, item_key: str) -> str:
    return f"{url}#{item_key}" if item_key else url


_KNOWN = select(Document.id).where(Document.doc_key == bindparam("doc_key")).limit(1)
_VERSIONS = (select(Document.id, Document.version, Document.content_hash)
             .where(Document.doc_key == bindparam("doc_key")).order_by(Document.version.desc()))
_RETIRE = (update(Document).where(Document.doc_key == bindparam("key"), Document.is_latest == true())
           .values(is_latest=False))
_INSERT = insert(Document).returning(Document.id)


def known_key(session: Session, doc_key: str) -> bool:
    return session.connection().execute(_KNOWN, {"doc_key": doc_key}).first() is not None


def store_version(session: Session, values: dict) -> StoreOutcome:
    """Insert a document (column values) unless its content is stored under the same key.

    A different content under a known key becomes the next version; the earlier version
    stays (evidence) but is no longer the latest.
    """
    conn = session.connection()
    rows = conn.execute(_VERSIONS, {"doc_key": values["doc_key"]}).all()
    for row in rows:
        if row.content_hash == values["content_hash"]:
            return StoreOutcome("unchanged", row.id, version=row.version)
    previous = rows[0] if rows else None
    version = previous.version + 1 if previous else 1
    if previous is not None:
        conn.execute(_RETIRE, {"key": values["doc_key"]})
    doc_id = conn.execute(_INSERT, {**values, "version": version, "is_latest": True}).scalar_one()
    return StoreOutcome("updated" if previous else "new", doc_id,
                        previous.id if previous else None, version)


def versions_of(session: Session, doc: Document) -> list[Document]:
    return list(session.scalars(
        select(Document).where(Document.doc_key == doc.doc_key).order_by(Document.version)
    ))
