"""The dashboard's counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import make_ingester, write_texts

from rasad.store.dashboard import dashboard
from rasad.web.charts import bar_chart


def test_dashboard_counts_arrivals_by_language_source_and_day(settings, tmp_path):
    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()], source="desk")
    with db.session() as s:
        data = dashboard(s)
        later = dashboard(s, now=datetime.now(UTC) + timedelta(days=3))
    day = data["windows"]["24h"]
    assert day["documents"] == 6
    assert day["by_language"] == {"fa": 1, "prs": 1, "ps": 1, "ar": 1, "ur": 1, "en": 1}
    assert day["by_source"] == [{"source": "desk", "documents": 6}]
    assert data["per_day"][-1]["documents"] == 6 and len(data["per_day"]) == 14
    assert later["windows"]["24h"]["documents"] == 0 and later["windows"]["7d"]["documents"] == 6
    assert all(0 <= t["score"] <= 1 for t in data["top_threats"])
    ing.close()


def test_bar_chart_is_plain_svg_with_text_alternatives():
    svg = bar_chart([("2026-11-24", 3, 1), ("2026-11-25", 6, 2)], title="Documents per day")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<script" not in svg
    assert "2026-11-25: 6 documents, 2 with threats" in svg
    assert bar_chart([], title="x") == ""
