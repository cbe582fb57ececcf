"""Ingest over real HTTP from a local server: feeds, pages, polling, failures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.helpers import make_ingester
from tests.localserver import LocalServer, Route

from rasad.store.db import Database
from rasad.store.sources import add_source
from rasad.store.tables import Capture, Document

ARTICLE_FA = """<html lang="fa"><head><meta charset="utf-8"><title>بیانیه سپاه</title>
<meta property="article:published_time" content="2024-11-02T10:00:00+03:30"></head>
<body><nav>خانه | سیاسی</nav><article><h1>بیانیه سپاه درباره رزمایش</h1>
<p>روابط عمومی سپاه پاسداران در بیانیه‌ای اعلام کرد که رزمایش بزرگ نیروی دریایی از فردا در آب‌های خلیج فارس آغاز می‌شود.</p>
<p>در این بیانیه آمده است که هدف رزمایش نمایش آمادگی دفاعی و پیام صلح و دوستی به کشورهای همسایه است.</p>
</article><footer>تمامی حقوق محفوظ است</footer></body></html>"""

ARTICLE_AR_1256 = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>بيان الحركة</title></head><body><article><h1>بيان الحركة حول المفاوضات</h1>
<p>قال المتحدث باسم الحركة إن الوفد المفاوض سيعود إلى القاهرة الأسبوع المقبل لاستكمال المباحثات.</p>
<p>وأكد أن الحركة لن تقبل بأي اتفاق لا يضمن وقفاً شاملاً لإطلاق النار.</p></article></body></html>"""


def feed(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>Sat, 02 Nov 2024 07:00:00 +0000</pubDate><description>{t}</description></item>"
        for p, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<link>{base}/</link>{entries}</channel></rss>").encode()


@pytest.fixture
def server():
    with LocalServer() as s:
        s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
        yield s


def count(db, table):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_summary_feed_entries_get_their_article_fetched_and_archived(settings, server):
    base = server.url("")
    server.routes["/rss"] = Route(feed(base, [("/a/1", "بیانیه سپاه")]),
                                  headers={"Content-Type": "application/rss+xml"})
    server.routes["/a/1"] = Route(ARTICLE_FA.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    db, ing = make_ingester(settings)
    report = ing.run([server.url("/rss")])
    assert report.items[0].status == "new", report.items[0].error
    with db.session() as s:
        doc = s.scalars(select(Document)).one()
        assert "خلیج فارس" in doc.text and "تمامی حقوق" not in doc.text
        assert doc.language == "fa" and doc.url == server.url("/a/1")
        caps = s.scalars(select(Capture).order_by(Capture.id)).all()
        assert sorted(c.url for c in caps) == sorted([server.url("/rss"), server.url("/a/1")])
        assert all(c.http_status == 200 for c in caps)
    ing.close()


def test_polling_uses_conditional_get_and_picks_up_only_new_entries(settings, server):
    base = server.url("")
    state = {"items": [("/a/1", "بیانیه سپاه")], "etag": '"v1"'}

    def rss(headers):
        if headers.get("if-none-match") == state["etag"]:
            return 304, {"ETag": state["etag"]}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": state["etag"]}, feed(base, state["items"])

    server.routes["/rss"] = Route(handler=rss)
    server.routes["/a/1"] = Route(ARTICLE_FA.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    server.routes["/a/2"] = Route(ARTICLE_AR_1256.encode("cp1256"), headers={"Content-Type": "text/html"})
    db, ing = make_ingester(settings)
    with db.session() as s:
        add_source(s, "irgc-news", server.url("/rss"), "rss", language="fa")
    first = ing.poll(["irgc-news"])
    assert first.items[0].status == "new" and first.items[0].new == 1
    second = ing.poll(["irgc-news"])
    assert second.items[0].status == "not_modified"
    assert server.requests[-1][1].get("if-none-match") == '"v1"'
    state["items"].append(("/a/2", "بيان الحركة"))
    state["etag"] = '"v2"'
    third = ing.poll(["irgc-news"])
    assert (third.items[0].status, third.items[0].new) == ("new", 1)
    assert server.paths_requested().count("/a/1") == 1  # the known article is not fetched again
    with db.session() as s:
        ar = s.scalars(select(Document).where(Document.url == server.url("/a/2"))).one()
        assert "القاهرة" in ar.text and ar.language == "ar"  # windows-1256 decoded, no mojibake
    assert count(db, Document) == 2
    ing.close()


def test_dead_hanging_and_looping_urls_fail_alone(settings, server):
    server.routes["/500"] = Route(b"oops", status=500)
    server.routes["/hang"] = Route(b"late", delay=3.0)
    server.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    server.routes["/loop2"] = Route(status=302, headers={"Location": "/loop1"})
    server.routes["/ok"] = Route(ARTICLE_FA.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    settings = settings.with_overrides(fetch_timeout=1.0)
    db, ing = make_ingester(settings)
    report = ing.run([server.url("/500"), server.url("/hang"), server.url("/loop1"), server.url("/ok"),
                      "http://10.0.0.1/feed", server.url("/private/x")])
    got = [(i.status, i.error) for i in report.items]
    assert got[0][0] == "failed" and "HTTP 500" in got[0][1]
    assert got[1][0] == "failed" and "timed out" in got[1][1]
    assert got[2][0] == "failed" and "redirects" in got[2][1]
    assert got[3][0] == "new"
    assert got[4][0] == "failed" and "10.0.0.1 is a private address" in got[4][1]
    assert got[5][0] == "failed" and "robots.txt" in got[5][1]
    assert count(db, Document) == 1
    ing.close()


def test_failed_poll_is_recorded_on_the_source(settings, server):
    server.routes["/gone"] = Route(b"", status=410)
    db, ing = make_ingester(settings)
    with db.session() as s:
        add_source(s, "gone", server.url("/gone"), "rss")
    report = ing.poll(["gone"])
    assert report.items[0].status == "failed"
    again = Database(settings.db_url)
    with again.session() as s:
        from rasad.store.sources import get_source

        src = get_source(s, "gone")
        assert (src.last_status, src.failures) == ("failed", 1)
        assert "HTTP 410" in src.last_error
    ing.close()
