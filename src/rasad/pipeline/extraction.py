"""The extraction stage: the knowledge base from the database, extraction, and its storage.

Ingest calls ``ExtractionStage.apply`` on every new document version; ``rasad reanalyze``
calls it on stored documents whose extraction is older than ``VERSION``. Both replace the
stage's own rows for those documents and nothing else (``store.extraction``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad.extract.document import STAGE, VERSION, Extraction, Extractor
from rasad.kb.starter import load_starter
from rasad.kb.store import load_actor_records, seed_starter
from rasad.store.extraction import replace_extractions
from rasad.store.tables import Document, Source

log = logging.getLogger(__name__)

__all__ = ["STAGE", "VERSION", "ExtractionStage", "ensure_kb", "extractor_from_session"]


@dataclass
class DocumentInput:
    id: int
    text: str
    language: str | None
    dialect: str | None
    published: datetime | None = None
    title: str = ""
    author: str = ""
    outlet: str = ""


def ensure_kb(session: Session) -> None:
    """Seed the starter knowledge base when the YAML is new or changed (cheap otherwise)."""
    seed_starter(session, load_starter())


def extractor_from_session(session: Session) -> Extractor:
    ensure_kb(session)
    return Extractor(load_actor_records(session))


class ExtractionStage:
    """One extractor for a run; the knowledge base is read once, when first needed."""

    def __init__(self) -> None:
        self._extractor: Extractor | None = None

    def extractor(self, session: Session) -> Extractor:
        if self._extractor is None:
            self._extractor = extractor_from_session(session)
        return self._extractor

    def apply(self, session: Session, documents: Iterable[DocumentInput]) -> int:
        """Extract from ``documents`` and store the results; returns how many were done."""
        documents = list(documents)
        if not documents:
            return 0
        extractor = self.extractor(session)
        results: list[tuple[int, Extraction]] = []
        for doc in documents:
            try:
                found = extractor.run(doc.text, doc.language, doc.dialect, published=doc.published,
                                      title=doc.title, author=doc.author, outlet=doc.outlet)
            except Exception:  # one odd document must not stop an ingest job
                log.exception("extraction failed for document %s", doc.id)
                found = Extraction()
            results.append((doc.id, found))
        replace_extractions(session, results, stage=STAGE, version=VERSION)
        return len(results)


def stale_documents(session: Session, *, everything: bool = False, limit: int = 500,
                    after_id: int = 0) -> tuple[list[DocumentInput], int | None]:
    """Latest document versions after ``after_id`` whose extraction is missing or older than
    ``VERSION`` (all of them with ``everything``), and the last id looked at (None: done)."""
    rows = session.execute(
        select(Document.id, Document.text, Document.language, Document.dialect, Document.published_at,
               Document.title, Document.author, Document.stages, Source.title, Source.name)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(Document.is_latest.is_(True), Document.id > after_id)
        .order_by(Document.id).limit(limit)).all()
    out = []
    for row in rows:
        if not everything and (row.stages or {}).get(STAGE) == VERSION:
            continue
        out.append(DocumentInput(row.id, row.text, row.language, row.dialect, row.published_at,
                                 row.title, row.author, row[8] or row[9] or ""))
    return out, (rows[-1].id if rows else None)
