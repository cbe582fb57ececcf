"""Embedded search: a tantivy index beside the SQLite store.

The indexed fields hold Rasad's own normalised text split on whitespace, so the index
and the query see exactly the same tokens (tantivy's default tokenizer would split on
ZWNJ and diacritics and not fold ي/ی). Snippets are made from the stored original text
(rasad.search.snippets), so the index stores nothing but ids.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import tantivy

from rasad.errors import StoreError
from rasad.search.base import Hit, HitPage, IndexedDoc, SearchFilters
from rasad.search.query import ParsedQuery, Term

WRITER_HEAP = 128 * 1024 * 1024
MAX_TOKEN_CHARS = 200
STATE_FILE = "rasad-state.json"
TITLE_BOOST = 2.0


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("language", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("dialect", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("source", indexed=True, fast=True)
    builder.add_integer_field("sort_at", indexed=True, fast=True)
    return builder.build()


def _clip_tokens(text: str) -> str:
    if all(len(tok) <= MAX_TOKEN_CHARS for tok in text.split()):
        return text
    return " ".join(tok[:MAX_TOKEN_CHARS] for tok in text.split())


class TantivyBackend:
    name = "tantivy"
    transactional = False  # written after the store commits; see catch_up()

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        try:
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as exc:
            raise StoreError(f"search index at {self.path} cannot be opened ({exc}); "
                             "remove it and run `rasad reindex`") from exc
        self._writer: tantivy.IndexWriter | None = None
        self._pending_max_id = 0

    # -- writing -------------------------------------------------------------------------

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            deadline = time.monotonic() + 30
            while True:
                try:
                    self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
                    break
                except ValueError as exc:  # another process holds the writer lock
                    if time.monotonic() > deadline:
                        raise StoreError(f"search index {self.path} is locked by another "
                                         f"writer ({exc})") from exc
                    time.sleep(0.2)
        return self._writer

    def add(self, docs: Iterable[IndexedDoc], session=None) -> None:
        writer = self._get_writer()
        for doc in docs:
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(tantivy.Document(
                id=doc.id,
                title=_clip_tokens(doc.title_norm),
                body=_clip_tokens(f"{doc.text_norm} {doc.extra_norm}" if doc.extra_norm else doc.text_norm),
                language=doc.language,
                dialect=doc.dialect or "",
                source=doc.source_id or 0,
                sort_at=int(doc.sort_at.timestamp()),
            ))
            self._pending_max_id = max(self._pending_max_id, doc.id)

    def remove(self, ids: Iterable[int], session=None) -> None:
        writer = self._get_writer()
        for doc_id in ids:
            writer.delete_documents_by_term("id", doc_id)

    def clear(self, session=None) -> None:
        writer = self._get_writer()
        writer.delete_all_documents()
        self._write_state(0)
        self._pending_max_id = 0

    def commit(self) -> None:
        if self._writer is None:
            return
        self._writer.commit()
        self._writer.wait_merging_threads()
        self._writer = None
        if self._pending_max_id > self.watermark():
            self._write_state(self._pending_max_id)
        self.index.reload()

    def watermark(self) -> int:
        """The highest document id known to be committed to this index."""
        try:
            return int(json.loads((self.path / STATE_FILE).read_text())["max_document_id"])
        except (FileNotFoundError, ValueError, KeyError):
            return 0

    def _write_state(self, max_id: int) -> None:
        tmp = self.path / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps({"max_document_id": max_id}))
        tmp.replace(self.path / STATE_FILE)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    # -- reading -------------------------------------------------------------------------

    def _term_query(self, term: Term) -> tantivy.Query:
        parts = []
        for fld, boost in (("body", 1.0), ("title", TITLE_BOOST)):
            if term.is_phrase:
                q = tantivy.Query.phrase_query(self.schema, fld, list(term.tokens))
            else:
                q = tantivy.Query.term_query(self.schema, fld, term.tokens[0])
            parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost) if boost != 1.0 else q))
        return tantivy.Query.boolean_query(parts)

    def _filter_queries(self, filters: SearchFilters) -> list[tantivy.Query]:
        out = []
        if filters.languages:
            alts = []
            for lang in filters.languages:
                if lang == "prs":
                    alts.append(tantivy.Query.boolean_query([
                        (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "language", "fa")),
                        (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "dialect", "prs")),
                    ]))
                else:
                    alts.append(tantivy.Query.term_query(self.schema, "language", lang))
            out.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in alts]))
        if filters.source_ids:
            out.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "source", sid))
                for sid in filters.source_ids
            ]))
        if filters.document_ids is not None:
            out.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "id", doc_id))
                for doc_id in filters.document_ids
            ]))
        if filters.since or filters.until:
            out.append(tantivy.Query.range_query(
                self.schema, "sort_at", tantivy.FieldType.Integer,
                int(filters.since.timestamp()) if filters.since else None,
                int(filters.until.timestamp()) if filters.until else None,
            ))
        return out

    def search(self, query: ParsedQuery, filters: SearchFilters, *, limit: int = 20,
               offset: int = 0, order: str = "relevance") -> HitPage:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for group in query.groups:
            if len(group) == 1:
                clauses.append((tantivy.Occur.Must, self._term_query(group[0])))
            else:
                clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, self._term_query(t)) for t in group])))
        for term in query.excluded:
            clauses.append((tantivy.Occur.MustNot, self._term_query(term)))
        for fq in self._filter_queries(filters):
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(fq, 0.0)))
        if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        q = tantivy.Query.boolean_query(clauses)
        self.index.reload()
        searcher = self.index.searcher()
        by_date = order == "newest" or query.matches_all
        if by_date:
            result = searcher.search(q, limit=limit, offset=offset, order_by_field="sort_at")
        else:
            result = searcher.search(q, limit=limit, offset=offset)
        hits = []
        for key, address in result.hits:
            doc = searcher.doc(address)
            hits.append(Hit(id=int(doc["id"][0]), score=0.0 if by_date else float(key)))
        return HitPage(total=int(result.count or 0), hits=hits)

    def optimize(self) -> None:
        """Segments are merged by tantivy's own merge policy; nothing to do."""

    def count(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)
