"""The Atom feed of an alert (RFC 4287), at an unguessable address: /alerts/feed/{token}.atom.

The token is the only key: whoever has the address reads the feed, as with any private
feed URL, so a feed reader needs no account. Turning the feed off and on again (or
`rasad alerts feed-token NAME`) makes a new address and ends the old one. The feed lists
the latest matches, newest first. Written with the standard library's ElementTree, which
escapes text; characters XML 1.0 cannot carry (control characters from a bad page) are
dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasad import __version__
from rasad.alerts.messages import Item, alert_info, base, items_for
from rasad.errors import NotFound
from rasad.store.tables import Delivery, SavedSearch, User

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def feed_alert(session: Session, token: str) -> SavedSearch:
    """The alert whose feed this token opens; NotFound for anything else (an unknown or
    withdrawn token, a deactivated owner), saying nothing about which."""
    if not token or len(token) > 100 or not (token.isascii() and token.isprintable()):
        raise NotFound("no such feed")
    row = session.scalar(select(SavedSearch).join(User, User.id == SavedSearch.user_id)
                         .where(SavedSearch.feed_token == token, User.active.is_(True)))
    if row is None or not (row.channels or {}).get("atom"):
        raise NotFound("no such feed")
    return row


def feed_items(session: Session, row: SavedSearch, base_url: str, limit: int = FEED_ENTRIES) -> list[Item]:
    rows = session.execute(
        select(Delivery.id, Delivery.document_id, Delivery.created_at)
        .where(Delivery.saved_search_id == row.id, Delivery.channel == "atom")
        .order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)).all()
    return items_for(session, row, [(r.id, r.document_id, r.created_at) for r in rows], base_url)


def render_feed(row: SavedSearch, items: list[Item], base_url: str) -> bytes:
    root = base(base_url)
    info = alert_info(row, base_url)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"urn:rasad:alert:{row.id}:{row.created_at.strftime('%Y%m%dT%H%M%S')}")
    _add(feed, "title", f"Rasad alert: {row.name}")
    if row.query:
        _add(feed, "subtitle", row.query)
    updated = max([i.matched_at for i in items if i.matched_at] or [row.updated_at])
    _add(feed, "updated", _iso(updated))
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=f"{root}/alerts/feed/{row.feed_token}.atom")
    _add(feed, "link", rel="alternate", type="text/html", href=info.link)
    _add(feed, "generator", "Rasad", version=__version__)
    author = _add(feed, "author")
    _add(author, "name", "Rasad")
    for item in items:
        entry = _add(feed, "entry")
        if item.html_lang:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", item.html_lang)
        _add(entry, "id", f"urn:rasad:alert:{row.id}:document:{item.document_id}")
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        if item.url.startswith(("http://", "https://")):
            _add(entry, "link", rel="related", href=item.url)
        _add(entry, "updated", _iso(item.matched_at or updated))
        if item.published:
            _add(entry, "published", _iso(item.published))
        if item.source:
            source_author = _add(entry, "author")
            _add(source_author, "name", item.source)
        if item.threat_category:
            _add(entry, "category", term=item.threat_category,
                 label=f"{item.threat_category} {item.threat_score:.2f}")
        _add(entry, "category", term=f"lang:{'prs' if item.dialect == 'prs' else item.language}",
             label=item.language_label)
        _add(entry, "summary", item.snippet, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def feed_for_token(session: Session, token: str, base_url: str) -> bytes:
    row = feed_alert(session, token)
    return render_feed(row, feed_items(session, row, base_url), base_url)
