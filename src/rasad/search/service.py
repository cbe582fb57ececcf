"""Search as the CLI, the web app and the pipeline use it: backend choice, indexing,
ranked results with snippets, and rebuilding the index from the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select

from rasad.config import Settings
from rasad.errors import BadInput, ConfigError
from rasad.search.base import IndexedDoc, SearchBackend, SearchFilters
from rasad.search.query import parse_query
from rasad.search.snippets import make_snippet
from rasad.store.db import Database
from rasad.store.extracted import THREAT_CATEGORIES, actor_ids, find_actor
from rasad.store.queries import display_title
from rasad.store.tables import Document, Mention, Source, Threat

REINDEX_BATCH = 1000


def open_backend(settings: Settings, db: Database) -> SearchBackend:
    choice = settings.search_backend
    if choice == "auto":
        choice = "postgres" if db.dialect == "postgresql" else "tantivy"
    if choice == "tantivy":
        from rasad.search.tantivy_backend import TantivyBackend

        return TantivyBackend(settings.index_dir)
    if choice == "postgres":
        if db.dialect != "postgresql":
            raise ConfigError("search backend 'postgres' needs a PostgreSQL database (RASAD_DB)")
        from rasad.search.postgres_backend import PostgresBackend

        return PostgresBackend(db.engine)
    raise ConfigError(f"unknown search backend {choice!r}: use auto, tantivy or postgres")


def indexed_doc(doc: Document) -> IndexedDoc:
    from rasad.text.normalize import compound_parts, normalize

    return IndexedDoc(
        id=doc.id, title_norm=normalize(doc.title or ""), text_norm=doc.text_norm,
        language=doc.language, dialect=doc.dialect, source_id=doc.source_id,
        sort_at=doc.published_at or doc.created_at,
        extra_norm=" ".join(compound_parts(f"{doc.title}\n{doc.text}")),
    )


@dataclass
class SearchResult:
    id: int
    title: str
    url: str
    language: str
    dialect: str | None
    published: str | None
    snippet: str
    score: float
    source: str = ""
    display_title: str = ""

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "language": self.language,
                "dialect": self.dialect, "published": self.published, "source": self.source,
                "display_title": self.display_title,
                "snippet": self.snippet, "score": round(self.score, 4)}


@dataclass
class SearchResults:
    total: int
    results: list[SearchResult] = field(default_factory=list)
    total_is_estimate: bool = False

    def as_json(self) -> dict:
        data = {"total": self.total, "results": [r.as_json() for r in self.results]}
        if self.total_is_estimate:
            data["total_is_estimate"] = True
        return data


MAX_RESTRICTED = 20_000  # documents an extraction filter may leave before it is refused


def restrict_by_extraction(db: Database, filters: SearchFilters, *, actor: str | None = None,
                           category: str | None = None) -> SearchFilters:
    """``filters`` narrowed to the documents that mention ``actor`` (any alias, merged actors
    included) and have a threat of ``category``; unchanged when neither is given."""
    if not actor and not category:
        return filters
    with db.session() as session:
        ids: set[int] | None = None
        if actor:
            members = actor_ids(session, find_actor(session, actor))
            ids = set(session.scalars(select(Mention.document_id).where(Mention.entity_id.in_(members))
                                      .distinct().limit(MAX_RESTRICTED + 1)))
        if category:
            if category not in THREAT_CATEGORIES:
                raise BadInput(f"unknown threat category {category!r}; use one of {', '.join(THREAT_CATEGORIES)}")
            found = set(session.scalars(select(Threat.document_id).where(Threat.category == category)
                                        .distinct().limit(MAX_RESTRICTED + 1)))
            ids = found if ids is None else ids & found
    if len(ids) > MAX_RESTRICTED:
        raise BadInput(f"the actor or category filter leaves more than {MAX_RESTRICTED:,} documents; "
                       "add words or another filter")
    return replace(filters, document_ids=sorted(ids))


def run_search(db: Database, backend: SearchBackend, query: str, filters: SearchFilters | None = None,
               *, limit: int = 20, offset: int = 0, order: str = "relevance") -> SearchResults:
    parsed = parse_query(query)
    page = backend.search(parsed, filters or SearchFilters(), limit=limit, offset=offset, order=order)
    ids = [hit.id for hit in page.hits]
    if not ids:
        return SearchResults(total=page.total, total_is_estimate=page.total_is_estimate)
    with db.session() as session:
        rows = session.execute(
            select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
            .where(Document.id.in_(ids))
        ).all()
        by_id = {doc.id: (doc, name) for doc, name in rows}
    terms = parsed.positive_terms
    results = []
    for hit in page.hits:
        if hit.id not in by_id:  # index ahead of a rolled-back store: skip, reindex fixes it
            continue
        doc, source_name = by_id[hit.id]
        results.append(SearchResult(
            id=doc.id, title=doc.title, url=doc.url, language=doc.language, dialect=doc.dialect,
            published=doc.published_at.isoformat() if doc.published_at else None,
            snippet=make_snippet(doc.text, terms, text_norm=doc.text_norm), score=hit.score, source=source_name or "",
            display_title=display_title(doc.title, doc.text),
        ))
    return SearchResults(total=page.total, results=results,
                         total_is_estimate=page.total_is_estimate)


def reindex(db: Database, backend: SearchBackend,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the index from the store (latest versions only). Returns documents indexed."""
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Document)
                               .where(Document.is_latest.is_(True))) or 0
        backend.clear(session=session)
        done, last_id = 0, 0
        while True:
            batch = list(session.scalars(
                select(Document).where(Document.is_latest.is_(True), Document.id > last_id)
                .order_by(Document.id).limit(REINDEX_BATCH)))
            if not batch:
                break
            backend.add([indexed_doc(d) for d in batch], session=session)
            done += len(batch)
            last_id = batch[-1].id
            session.expunge_all()
            if progress:
                progress(done, total)
    backend.commit()
    backend.optimize()
    return done


def catch_up(db: Database, backend: SearchBackend) -> int:
    """Index latest documents stored after the index's last commit (after a crash)."""
    watermark = getattr(backend, "watermark", None)
    if watermark is None:
        return 0
    mark = watermark()
    with db.session() as session:
        docs = list(session.scalars(
            select(Document).where(Document.id > mark, Document.is_latest.is_(True))
            .order_by(Document.id)))
        if not docs:
            return 0
        # earlier versions of these documents may still be in the index
        keys = [d.doc_key for d in docs if d.version > 1]
        stale = [] if not keys else list(session.scalars(
            select(Document.id).where(Document.doc_key.in_(keys), Document.is_latest.is_(False))))
        backend.remove(stale)
        backend.add([indexed_doc(d) for d in docs])
    backend.commit()
    return len(docs)
