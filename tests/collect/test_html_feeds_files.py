"""Parsing of HTML pages, feeds, JSON records and WARC files (no database)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rasad.collect.feeds import looks_like_feed, parse_feed
from rasad.collect.files import parse_json_records, suffix_of
from rasad.collect.html import extract_html, html_fragment_text
from rasad.collect.warc import iter_warc_responses
from rasad.errors import BadInput

PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>هشدار سپاه به همسایگان | خبرگزاری نمونه</title>
<meta name="author" content="مریم احمدی">
<meta property="article:published_time" content="2024-10-03T09:15:00+03:30">
<link rel="canonical" href="https://news.example/fa/1234"></head>
<body><nav><a href="/">صفحه اصلی</a> | <a href="/politics">سیاسی</a> | <a href="/sport">ورزشی</a></nav>
<article><h1>هشدار سپاه به همسایگان</h1>
<p>فرمانده نیروی زمینی سپاه روز پنجشنبه گفت که نیروهای مسلح ایران آماده‌اند به هر تهدیدی در مرزهای شرقی پاسخ دهند.</p>
<p>وی افزود: «ما به همسایگان خود اطمینان می‌دهیم که امنیت آنان را امنیت خود می‌دانیم، اما هیچ تعرضی را بی‌پاسخ نمی‌گذاریم.»</p>
</article><footer><p>کلیه حقوق این سایت محفوظ است.</p><a href="/about">درباره ما</a></footer></body></html>"""


def test_html_main_text_metadata_and_zwnj_are_kept():
    draft = extract_html(PAGE, "https://news.example/fa/1234?utm=x")
    assert draft.title == "هشدار سپاه به همسایگان"
    assert draft.author == "مریم احمدی"
    assert draft.published == datetime(2024, 10, 3, 5, 45, tzinfo=UTC)
    assert draft.url == "https://news.example/fa/1234"
    assert "آماده\u200cاند" in draft.text and "بی\u200cپاسخ" in draft.text
    assert "کلیه حقوق" not in draft.text and "ورزشی" not in draft.text
    assert draft.language_hint == "fa"


def test_truncated_html_still_gives_text_and_empty_page_is_refused():
    cut = PAGE[: PAGE.index("اما هیچ")]
    draft = extract_html(cut)
    assert draft.text.startswith("هشدار سپاه") or "فرمانده نیروی زمینی" in draft.text
    with pytest.raises(BadInput, match="no text found"):
        extract_html("<html><body><script>var x=1;</script></body></html>")


def test_fragment_text_keeps_paragraphs():
    assert html_fragment_text("<p>یو</p><p>دوه<br>درې</p>") == "یو\nدوه\nدرې"
    assert html_fragment_text("plain") == "plain"


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>د ازادۍ غږ</title><link>https://azadi.example/</link><language>ps</language>
<item><title>ویاند: خبرې اترې به دوام ومومي</title><link>https://azadi.example/ps/1</link>
<guid>azadi-1</guid><pubDate>Tue, 05 Nov 2024 08:30:00 +0430</pubDate><dc:creator>خبریال</dc:creator>
<content:encoded><![CDATA[<p>د بهرنیو چارو وزارت ویاند وویل چې خبرې اترې به دوام ومومي.</p><p>هغه زیاته کړه چې پلاوی به راتلونکې اونۍ سفر وکړي.</p>]]></content:encoded></item>
<item><title>لنډ خبر</title><link>https://azadi.example/ps/2</link><description>یوازې لنډیز</description></item>
</channel></rss>"""


def test_rss_entries_become_drafts_with_dates_and_authors():
    assert looks_like_feed(FEED.encode())
    info, drafts = parse_feed(FEED.encode(), "https://azadi.example/rss")
    assert info["language"] == "ps"
    assert [d.url for d in drafts] == ["https://azadi.example/ps/1", "https://azadi.example/ps/2"]
    assert drafts[0].item_key.endswith("azadi-1")
    assert drafts[0].published == datetime(2024, 11, 5, 4, 0, tzinfo=UTC)
    assert drafts[0].author == "خبریال"
    assert drafts[0].text.split("\n")[1] == "هغه زیاته کړه چې پلاوی به راتلونکې اونۍ سفر وکړي."
    assert drafts[0].meta["summary_only"] is False
    assert drafts[1].meta["summary_only"] is True and drafts[1].text == "یوازې لنډیز"


def test_unreadable_feed_is_refused():
    with pytest.raises(BadInput, match="not a readable RSS/Atom feed"):
        parse_feed(b"<?xml version='1.0'?><rss><channel><item><title>x</ti")


def test_json_array_and_record_errors():
    data = json.dumps([{"id": 1, "text": "متن اول"}, {"id": 2}, "x"], ensure_ascii=False)
    drafts, errors = parse_json_records(data, "file:///x.json", jsonl=False)
    assert [d.text for d in drafts] == ["متن اول"]
    assert [e.message for e in errors] == ["item 2: record 2 has no 'text'", "item 3: expected a JSON object"]
    with pytest.raises(BadInput, match="not valid JSON"):
        parse_json_records("{", "file:///x.json", jsonl=False)


def test_suffixes():
    assert suffix_of("a/b/c.warc.gz") == ".warc.gz"
    assert suffix_of("x.JSONL") == ".jsonl"


def _warc_bytes() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    body = "<html><body><article><p>قال المتحدث باسم الوزارة إن الوفد سيصل غداً إلى الدوحة لاستئناف المحادثات.</p></article></body></html>".encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    rec = writer.create_warc_record("https://ar.example/news/7", "response", payload=io.BytesIO(body),
                                    http_headers=headers, warc_headers_dict={"WARC-Date": "2024-09-30T10:00:00Z"})
    writer.write_record(rec)
    return buf.getvalue()


def test_warc_response_records_keep_their_url_date_and_status(tmp_path):
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc_bytes())
    (result,) = list(iter_warc_responses(path))
    assert result.url == "https://ar.example/news/7"
    assert result.status == 200
    assert result.fetched_at == datetime(2024, 9, 30, 10, 0, tzinfo=UTC)
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert "الدوحة".encode() in result.content


def test_corrupt_warc_is_refused(tmp_path):
    path = tmp_path / "b.warc"
    path.write_bytes(b"this is not a warc file at all\r\n\r\n")
    with pytest.raises(BadInput, match="not a readable WARC"):
        list(iter_warc_responses(path))
