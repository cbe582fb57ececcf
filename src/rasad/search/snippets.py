"""Highlighted snippets cut from the original text (not the normalised index text).

The original is normalised with an offset map, query terms are found in the normalised
form on token boundaries, and the matching spans of the original are marked. The result
is HTML-safe: the original is escaped, only <mark> tags are added.
"""

from __future__ import annotations

import html
import re

from rasad.search.query import Term
from rasad.text.normalize import normalize_with_offsets

_SPACE = re.compile(r"\s")


def find_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Original-text spans [start, end) where any of the terms occurs, sorted, merged."""
    if not terms or not text:
        return []
    norm, offsets = normalize_with_offsets(text)
    padded = f" {norm} "
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = " " + " ".join(term.tokens) + " "
        start = padded.find(needle)
        while start != -1:
            n_start = start  # index in norm of the first char (padded has one leading space)
            n_end = start + len(needle) - 2  # exclusive, in norm
            spans.append((offsets[n_start], offsets[n_end - 1] + 1))
            start = padded.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _extend_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


SCAN_WINDOW = 700  # characters of original text normalised around an estimated match


def _locate(text: str, text_norm: str, terms: list[Term]) -> tuple[int, int] | None:
    """Where in ``text`` the first match probably is, from the stored normalised text.

    Normalising a whole long document with offsets is the slow part of a snippet; the
    stored search key tells cheaply whether and roughly where a term occurs, and only a
    window of the original around that point is then normalised.
    """
    padded = f" {text_norm} "
    first = min((p for p in (padded.find(" " + " ".join(t.tokens) + " ") for t in terms) if p >= 0),
                default=-1)
    if first < 0:
        return None
    centre = int(first / max(1, len(padded)) * len(text))
    lo = max(0, centre - SCAN_WINDOW // 2)
    hi = min(len(text), lo + SCAN_WINDOW)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def make_snippet(text: str, terms: list[Term], width: int = 240, text_norm: str | None = None) -> str:
    """An HTML snippet of about ``width`` characters around the densest group of matches.

    With ``text_norm`` (the stored normalised text) only a window of the original is
    searched when the document is long; without it, the whole text is.
    """
    spans: list[tuple[int, int]] = []
    if text_norm is not None and terms and len(text) > SCAN_WINDOW:
        window = _locate(text, text_norm, terms)
        if window is not None:
            lo, hi = window
            spans = [(s + lo, e + lo) for s, e in find_spans(text[lo:hi], terms)]
            if not spans:
                spans = find_spans(text, terms)
    else:
        spans = find_spans(text, terms)
    if not spans:
        cut = text[:width]
        if len(text) > width:
            cut = cut[: cut.rfind(" ")] if " " in cut[width // 2:] else cut
            return html.escape(_collapse(cut)) + " …"
        return html.escape(_collapse(cut))
    # choose the window start (a span start) covering the most spans
    best_i, best_n = 0, 0
    for i, (s, _) in enumerate(spans):
        n = sum(1 for s2, e2 in spans[i:] if e2 <= s + width)
        if n > best_n:
            best_i, best_n = i, n
    first = spans[best_i][0]
    lo = max(0, first - width // 4)
    hi = min(len(text), lo + width)
    lo, hi = _extend_to_word(text, lo, hi)
    inside = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in spans if e > lo and s < hi]
    body = highlight(text[lo:hi], inside)
    return ("… " if lo > 0 else "") + _collapse(body) + (" …" if hi < len(text) else "")


def _collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
