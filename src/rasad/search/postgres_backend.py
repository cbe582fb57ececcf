"""Shared search: PostgreSQL full-text over Rasad's own tokens.

The tsvector and tsquery are built here from the normalised tokens and passed as
literals, so PostgreSQL's parser and locale never re-tokenise Arabic-script text and
both backends see the same tokens. Rows live in ``document_search`` (created by the
initial migration on PostgreSQL only) and are written in the ingesting transaction, so
every process sees one consistent index.

Ranking: a common word can match most of the corpus, and ranking every match costs
a full scan of their vectors. Candidates are therefore the ``RANK_WINDOW`` newest
matches (an index-ordered scan), ranked by ts_rank with recency as the tie-breaker;
rarer words (fewer matches than the window) are ranked exactly. Counting every match of
a common word costs a heap scan of all of them, so totals are exact up to ``COUNT_CAP``
(``RANK_WINDOW`` for ranked queries, read off the window itself) and beyond it the
planner's row estimate (flagged ``total_is_estimate``). The planner needs current
statistics to pick the index-ordered scan for common words, so ``optimize()`` runs
ANALYZE after bulk loads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Engine

from rasad.search.base import Hit, HitPage, IndexedDoc, SearchFilters
from rasad.search.query import ParsedQuery, Term

RANK_WINDOW = 1000
COUNT_CAP = 1000  # exact totals up to here; beyond, the planner's estimate
MAX_POSITION = 16383  # PostgreSQL's largest lexeme position
MAX_LEXEME_BYTES = 2000
MAX_VECTOR_BYTES = 900_000  # PostgreSQL refuses tsvectors over 1 MB


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title_norm: str, text_norm: str) -> str:
    """Title tokens weighted A, body tokens D, with positions for phrase queries."""
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    size = 0
    for weight, tokens in (("A", title_norm.split()), ("", text_norm.split())):
        for token in tokens:
            pos += 1
            if len(token.encode()) > MAX_LEXEME_BYTES:
                continue
            if pos > MAX_POSITION:
                break
            entry = positions[token]
            if not entry:
                size += len(token.encode()) + 8
            if len(entry) < 256:
                entry.append(f"{pos}{weight}")
                size += 4
            if size > MAX_VECTOR_BYTES:
                break
        pos += 1  # title and body are not one phrase
    return " ".join(f"{_quote(tok)}:{','.join(p)}" for tok, p in positions.items())


def _term_tsquery(term: Term) -> str:
    if term.is_phrase:
        return "(" + " <-> ".join(_quote(t) for t in term.tokens) + ")"
    return _quote(term.tokens[0])


def tsquery_literal(query: ParsedQuery) -> str:
    parts = []
    for group in query.groups:
        parts.append("(" + " | ".join(_term_tsquery(t) for t in group) + ")")
    for term in query.excluded:
        parts.append("!" + _term_tsquery(term))
    return " & ".join(parts)


class PostgresBackend:
    name = "postgres"
    transactional = True  # rows are written in the ingesting transaction

    def __init__(self, engine: Engine):
        self.engine = engine

    def _execute(self, stmt, params, session) -> None:
        """In the caller's transaction when a session is given, else in one of its own."""
        if session is not None:
            session.execute(stmt, params)
        else:
            with self.engine.begin() as conn:
                conn.execute(stmt, params)

    def add(self, docs: Iterable[IndexedDoc], session=None) -> None:
        rows = [
            {
                "id": d.id,
                "language": d.language,
                "dialect": d.dialect,
                "source_id": d.source_id,
                "sort_at": d.sort_at,
                "tsv": tsvector_literal(d.title_norm, f"{d.text_norm} {d.extra_norm}".strip()),
            }
            for d in docs
        ]
        if not rows:
            return
        stmt = text(
            "INSERT INTO document_search (document_id, language, dialect, source_id, sort_at, tsv) "
            "VALUES (:id, :language, :dialect, :source_id, :sort_at, CAST(:tsv AS tsvector)) "
            "ON CONFLICT (document_id) DO UPDATE SET language = EXCLUDED.language, "
            "dialect = EXCLUDED.dialect, "
            "source_id = EXCLUDED.source_id, sort_at = EXCLUDED.sort_at, tsv = EXCLUDED.tsv"
        )
        self._execute(stmt, rows, session)

    def remove(self, ids: Iterable[int], session=None) -> None:
        ids = list(ids)
        if not ids:
            return
        self._execute(text("DELETE FROM document_search WHERE document_id = ANY(:ids)"),
                      {"ids": ids}, session)

    def clear(self, session=None) -> None:
        self._execute(text("DELETE FROM document_search"), None, session)

    def commit(self) -> None:
        """Rows are written in the caller's transaction; nothing to flush."""

    def close(self) -> None:
        """The engine belongs to the Database; nothing to release."""

    def _where(self, query: ParsedQuery, filters: SearchFilters, params: dict) -> str:
        where = []
        if not query.matches_all or query.excluded:
            if query.matches_all:  # only exclusions
                params["q"] = " & ".join("!" + _term_tsquery(t) for t in query.excluded)
            else:
                params["q"] = tsquery_literal(query)
            where.append("s.tsv @@ CAST(:q AS tsquery)")
        if filters.languages:
            langs = [lang for lang in filters.languages if lang != "prs"]
            alts = []
            if langs:
                params["langs"] = langs
                alts.append("s.language = ANY(:langs)")
            if "prs" in filters.languages:
                alts.append("(s.language = 'fa' AND s.dialect = 'prs')")
            where.append("(" + " OR ".join(alts) + ")")
        if filters.source_ids:
            params["sources"] = list(filters.source_ids)
            where.append("s.source_id = ANY(:sources)")
        if filters.document_ids is not None:
            params["document_ids"] = list(filters.document_ids)
            where.append("s.document_id = ANY(:document_ids)")
        if filters.since:
            params["since"] = filters.since
            where.append("s.sort_at >= :since")
        if filters.until:
            params["until"] = filters.until
            where.append("s.sort_at <= :until")
        return " AND ".join(where) or "TRUE"

    def search(self, query: ParsedQuery, filters: SearchFilters, *, limit: int = 20,
               offset: int = 0, order: str = "relevance") -> HitPage:
        params: dict = {"limit": limit, "offset": offset, "window": RANK_WINDOW}
        where = self._where(query, filters, params)
        base = f"FROM document_search s WHERE {where}"
        with self.engine.connect() as conn:
            if order == "newest" or query.matches_all:
                total, capped = self._count(conn, base, params)
                rows = conn.execute(text(
                    f"SELECT s.document_id, 0.0 {base} ORDER BY s.sort_at DESC, s.document_id DESC "
                    "LIMIT :limit OFFSET :offset"), params).all()
            else:
                # one pass: the window of recent matches, ranked, with its size
                rows = conn.execute(text(
                    f"WITH c AS (SELECT s.document_id, s.sort_at, ts_rank(s.tsv, CAST(:q AS tsquery)) AS r "
                    f"{base} ORDER BY s.sort_at DESC LIMIT :window) "
                    "SELECT document_id, r, count(*) OVER () FROM c "
                    "ORDER BY r DESC, sort_at DESC, document_id DESC LIMIT :limit OFFSET :offset"
                ), params).all()
                if rows and rows[0][2] < RANK_WINDOW:
                    total, capped = int(rows[0][2]), False
                elif rows:
                    total, capped = self._estimate(conn, base, params, RANK_WINDOW), True
                else:
                    total, capped = self._count(conn, base, params)
        return HitPage(total=int(total), hits=[Hit(id=r[0], score=float(r[1])) for r in rows],
                       total_is_estimate=capped)

    def _count(self, conn, base: str, params: dict) -> tuple[int, bool]:
        total = conn.execute(text(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP + 1}) m"),
                             params).scalar_one()
        if total > COUNT_CAP:
            return self._estimate(conn, base, params, COUNT_CAP), True
        return int(total), False

    def _estimate(self, conn, base: str, params: dict, at_least: int) -> int:
        plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 {base}"), params).scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(at_least + 1, int(plan[0]["Plan"]["Plan Rows"]))

    def optimize(self) -> None:
        """Refresh planner statistics after a bulk load (ANALYZE)."""
        with self.engine.begin() as conn:
            conn.execute(text("ANALYZE document_search"))
            conn.execute(text("ANALYZE document"))

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM document_search")).scalar_one())
