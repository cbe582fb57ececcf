"""Read side of the dashboard: what came in, by language, source and threat category.

Counts are over the latest versions of documents, by the time Rasad stored them
(``created_at``): a dashboard answers "what arrived in the last 24 hours", whatever date
the item itself carries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from rasad.store.tables import Document, Source, Threat

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}


def _language_label(language: str, dialect: str | None) -> str:
    return "prs" if language == "fa" and dialect == "prs" else language


def dashboard(session: Session, *, now: datetime | None = None, days: int = 14, top: int = 10) -> dict:
    """Counts for the last 24 hours and 7 days, documents per day, and the strongest threats."""
    now = now or datetime.now(UTC)
    out: dict = {"generated_at": now.isoformat(), "windows": {}}
    latest = Document.is_latest.is_(True)
    for name, span in WINDOWS.items():
        since = now - span
        recent = (Document.created_at >= since) & latest
        total = session.execute(select(func.count()).select_from(Document).where(recent)).scalar_one()
        languages = session.execute(
            select(Document.language, Document.dialect, func.count()).where(recent)
            .group_by(Document.language, Document.dialect)).all()
        by_language: dict[str, int] = {}
        for language, dialect, n in languages:
            label = _language_label(language, dialect)
            by_language[label] = by_language.get(label, 0) + n
        sources = session.execute(
            select(func.coalesce(Source.name, "(no source)"), func.count())
            .select_from(Document).outerjoin(Source, Source.id == Document.source_id)
            .where(recent).group_by(Source.name).order_by(func.count().desc()).limit(top)).all()
        categories = session.execute(
            select(Threat.category, func.count(func.distinct(Threat.document_id)), func.max(Threat.score))
            .join(Document, Document.id == Threat.document_id).where(recent)
            .group_by(Threat.category).order_by(func.max(Threat.score).desc())).all()
        out["windows"][name] = {
            "documents": total,
            "by_language": dict(sorted(by_language.items(), key=lambda kv: -kv[1])),
            "by_source": [{"source": s, "documents": n} for s, n in sources],
            "by_threat_category": [{"category": c, "documents": n, "max_score": round(m or 0, 2)}
                                   for c, n, m in categories],
        }
    start = (now - timedelta(days=days - 1)).date()
    day = func.date(Document.created_at)
    rows = session.execute(
        select(day, func.count(), func.sum(case((Document.id.in_(select(Threat.document_id)), 1), else_=0)))
        .where(latest, Document.created_at >= datetime.combine(start, datetime.min.time(), UTC))
        .group_by(day)).all()
    per_day = {str(d)[:10]: (n, t or 0) for d, n, t in rows}
    out["per_day"] = [{"day": (start + timedelta(days=i)).isoformat(),
                       "documents": per_day.get((start + timedelta(days=i)).isoformat(), (0, 0))[0],
                       "with_threats": per_day.get((start + timedelta(days=i)).isoformat(), (0, 0))[1]}
                      for i in range(days)]
    week = now - WINDOWS["7d"]
    rows = session.execute(
        select(Threat, Document.id, Document.title, Document.language, Document.dialect, Source.name)
        .join(Document, Document.id == Threat.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(latest, Document.created_at >= week)
        .order_by(Threat.score.desc(), Threat.id.desc()).limit(top)).all()
    out["top_threats"] = [
        {"category": t.category, "score": t.score, "mode": t.mode, "evidence": t.evidence,
         "document": {"id": doc_id, "title": title, "language": _language_label(language, dialect),
                      "source": source}}
        for t, doc_id, title, language, dialect, source in rows]
    return out
