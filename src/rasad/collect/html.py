"""Main text, title, author and date of an HTML page (trafilatura), tolerant of bad markup.

trafilatura drops every non-printable character, which would delete the zero-width
non-joiner of Persian words ("می‌گوید" -> "میگوید") and bidi marks from the text we
store. Those characters are swapped for rare printable placeholders before extraction
and restored afterwards, so the stored text keeps the page's own orthography.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime

import lxml.html
import trafilatura
from lxml import etree

from rasad.errors import BadInput
from rasad.model import DocumentDraft

# format characters worth keeping -> printable placeholders (Yijing hexagram symbols)
_KEEP = "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
_PLACEHOLDERS = "".join(chr(0x4DC0 + i) for i in range(len(_KEEP)))
_PROTECT = str.maketrans(_KEEP, _PLACEHOLDERS)
_RESTORE = str.maketrans(_PLACEHOLDERS, _KEEP)

_DATE_META = (
    "article:published_time", "og:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "sailthru.date",
)


def _parse_iso(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _meta_published(tree) -> datetime | None:
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip()
        if key.lower() in {k.lower() for k in _DATE_META}:
            found = _parse_iso(node.get("content") or "")
            if found:
                return found
    for node in tree.iter("time"):
        found = _parse_iso(node.get("datetime") or "")
        if found:
            return found
    return None


def _fallback_text(tree) -> str:
    for bad in tree.xpath("//script|//style|//noscript|//nav|//header|//footer"):
        bad.drop_tree()
    body = tree.find("body") if tree.find("body") is not None else tree
    blocks = [re.sub(r"[ \t\r\f\v]+", " ", t).strip() for t in body.itertext()]
    return "\n".join(b for b in blocks if b)


def extract_html(markup: str, url: str = "") -> DocumentDraft:
    """One document from a full HTML page. Raises BadInput when the page holds no text."""
    protect = not any(ch in markup for ch in _PLACEHOLDERS)
    source = markup.translate(_PROTECT) if protect else markup
    try:
        tree = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        raise BadInput(f"not parseable as HTML: {exc}") from exc
    # read what trafilatura does not give back before it prunes the tree in place
    published = _meta_published(tree)
    lang = tree.get("lang") or ""
    node = tree.find(".//title")
    page_title = (node.text_content() if node is not None else "") or ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = trafilatura.bare_extraction(
            tree, url=url or None, with_metadata=True,
            include_comments=False, include_tables=True, favor_recall=True,
        )
    text = (result.text or "") if result is not None else ""
    title = (result.title or "") if result is not None else ""
    author = (result.author or "") if result is not None else ""
    canonical = (result.url or "") if result is not None else ""
    sitename = (result.sitename or "") if result is not None else ""
    if not text.strip():  # rare: parse again, the first tree was pruned
        text = _fallback_text(lxml.html.document_fromstring(source))
    title = title or page_title
    if published is None and result is not None and result.date:
        published = _parse_iso(result.date)
    restore = (lambda s: s.translate(_RESTORE)) if protect else (lambda s: s)
    text, title, author = restore(text).strip(), restore(title).strip(), restore(author).strip()
    if not text:
        raise BadInput("no text found in the HTML page")
    lang = tree.get("lang") or ""
    return DocumentDraft(
        url=canonical if canonical.startswith(("http://", "https://")) else url,
        text=text, title=title, author=author, published=published,
        language_hint=lang.strip().lower(),  # full tag: "fa-AF" tells Dari from Iranian Persian
        meta={"site_name": restore(sitename)} if sitename else {},
    )


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content), one line per block element."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"):
        block.tail = "\n" + (block.tail or "")
    for bad in tree.xpath(".//script|.//style"):
        bad.drop_tree()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in tree.text_content().split("\n")]
    return "\n".join(line for line in lines if line)
