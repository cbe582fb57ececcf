"""RSS and Atom feeds (feedparser): one draft per entry."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from rasad.collect.html import html_fragment_text
from rasad.errors import BadInput
from rasad.model import DocumentDraft

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/feed+json", "text/rss+xml",
}


def looks_like_feed(content: bytes) -> bool:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) \
        or head.startswith(b"<rss") or head.startswith(b"<feed")


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def parse_feed(content: bytes, url: str = "") -> tuple[dict, list[DocumentDraft]]:
    """Feed metadata (title, link, language) and one draft per entry.

    Each draft's text is the entry's full content when the feed carries it, else its
    summary; ``meta["summary_only"]`` tells the caller that the article page should be
    fetched for the full text.
    """
    parsed = feedparser.parse(content, response_headers={"content-location": url} if url else None)
    feed = parsed.feed
    info = {
        "title": feed.get("title", ""),
        "link": feed.get("link", ""),
        "language": (feed.get("language") or "").strip().lower(),  # keep "fa-af" (Dari)
    }
    drafts = []
    for index, entry in enumerate(parsed.entries):
        content_html = ""
        if entry.get("content"):
            content_html = max((c.get("value", "") for c in entry.content), key=len)
        summary_html = entry.get("summary", "")
        body = html_fragment_text(content_html) or html_fragment_text(summary_html)
        link = entry.get("link", "")
        title = html_fragment_text(entry.get("title", ""))
        if not body and not title:
            continue  # an empty or broken entry
        key = entry.get("id") or link or f"entry-{index}"
        drafts.append(DocumentDraft(
            url=link or url,
            item_key=key if key != link else "",
            title=title,
            author=entry.get("author", ""),
            published=_when(entry),
            text=body,
            language_hint=(entry.get("language") or info["language"] or ""),
            meta={"feed": url, "summary_only": not content_html},
        ))
    if not drafts and (parsed.bozo or not parsed.feed):
        reason = getattr(parsed, "bozo_exception", None)
        raise BadInput(f"not a readable RSS/Atom feed{': ' + str(reason) if reason else ''}")
    return info, drafts
