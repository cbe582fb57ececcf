"""Paragraphs, quotations and sentences with character offsets into the original text.

Quote extraction needs three things from the text before it can look at words: where the
paragraphs are (a pronoun never reaches across one), where the quotation marks pair up
(a sentence never ends inside a quotation, and "...", "[i.e., ...]" or a full stop inside
one must not cut it), and where the sentences end. All three work on the original text and
return offsets into it, so nothing is ever re-mapped.

- A paragraph is a line: news text reaches Rasad one paragraph per line (article
  extraction) or with blank lines between paragraphs (channel posts); both give the same
  paragraphs here.
- Quotation marks pair within a paragraph: “ ” „ " « » ‹ › ‘ ’ ‚ and ' . Curly double
  quotes pair in either order, because right-to-left writers often type ”...“. Straight
  and single marks count only where they can open (after a space or an opening bracket,
  before a letter) or close (after a letter or punctuation, before a space or
  punctuation), so the apostrophes of "don't", "Taliban's" and "Shari'a" pair with
  nothing. Only the outermost pairs are returned; unclosed marks are ignored.
- A sentence ends at . ! ? ؟ ۔ and at the end of a paragraph, never inside a quotation,
  at an ellipsis (... …), inside a number (3.5, ۳.۵), after a one-letter word (U.S.,
  J. Smith, i.e., Arabic د. for doctor, Persian ه.ش), after a listed abbreviation (Dr.,
  Gen.), or before a lower-case Latin word. Arabic-script writers often type the Latin
  full stop without a space after it ("کابل.وی"): between two Arabic-script letters a
  full stop still ends the sentence, between Latin letters (example.com) it does not.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

__all__ = ["Quote", "find_quotes", "split_paragraphs", "split_sentences"]


class Quote(NamedTuple):
    """A pair of quotation marks: ``text[open]`` opens, ``text[close]`` closes."""

    open: int
    close: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


_LINE_BREAKS = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x85]+")
_SPACE = " \t\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def split_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text[start:end]``, trimmed of spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    for m in _LINE_BREAKS.finditer(text, start, end):
        _add_trimmed(spans, text, position, m.start())
        position = m.end()
    _add_trimmed(spans, text, position, end)
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and (text[start] in _SPACE or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _SPACE or text[end - 1].isspace()):
        end -= 1
    if end > start:
        spans.append((start, end))


# --- quotation marks ----------------------------------------------------------------------
_MARKS = re.compile("[\"'«»‹›“”„‟‘’‚‛]")
_DOUBLE, _SINGLE, _GUILLEMET, _ANGLE = "d", "s", "g", "a"
_OPENING_CONTEXT = frozenset("([{«‹“‘„‚—–-:/")


def _can_open(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before.isspace() or before in _OPENING_CONTEXT or before in _SPACE) and not (
        after.isspace() or after in _SPACE
    )


def _can_close(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and not after.isalnum()


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """The outermost quotation-mark pairs of one paragraph ``text[start:end]``, in order."""
    end = len(text) if end is None else end
    stack: list[tuple[str, int]] = []
    pairs: list[Quote] = []

    def close(kind: str, i: int) -> bool:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == kind:
                pairs.append(Quote(stack[depth][1], i))
                del stack[depth:]  # marks opened inside and never closed are dropped
                return True
        return False

    def top_is(kind: str) -> bool:
        return any(k == kind for k, _ in stack)

    for m in _MARKS.finditer(text, start, end):
        i = m.start()
        ch = m.group()
        if ch == "«":
            stack.append((_GUILLEMET, i))
        elif ch == "»":
            close(_GUILLEMET, i)
        elif ch == "‹":
            stack.append((_ANGLE, i))
        elif ch == "›":
            close(_ANGLE, i)
        elif ch in "„‟":
            stack.append((_DOUBLE, i))
        elif ch in "“”\"":
            opens, closes = _can_open(text, i, start, end), _can_close(text, i, start, end)
            if top_is(_DOUBLE) and (closes or ch != '"' and not opens):
                close(_DOUBLE, i)
            elif opens or (ch == "“" and not closes):
                stack.append((_DOUBLE, i))
        else:  # single marks: ' ‘ ’ ‚ ‛
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe: don't, Taliban's, Shari'a
            if ch == "‚":
                stack.append((_SINGLE, i))
            elif top_is(_SINGLE) and _can_close(text, i, start, end):
                close(_SINGLE, i)
            elif _can_open(text, i, start, end) and after.isalnum():
                stack.append((_SINGLE, i))
    pairs.sort()
    outer: list[Quote] = []
    for pair in pairs:
        if outer and pair.open < outer[-1].close:
            continue  # nested inside the previous pair
        if pair.close - pair.open > 1:
            outer.append(pair)
    return outer


# --- sentences ----------------------------------------------------------------------------
_TERMINATORS = re.compile(r"[.!?؟۔…]")
_TRAILING = frozenset(")]}»›”’\"'")


def _is_arabic_letter(ch: str) -> bool:
    return ch.isalpha() and ("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff")


def _is_latin_lower(ch: str) -> bool:
    return ch.isalpha() and ch.islower() and ch < "\u0250"


def split_sentences(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    quotes: list[Quote] | None = None,
    abbreviations: Collection[str] = (),
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the paragraph ``text[start:end]``.

    ``quotes`` are the paragraph's quotation pairs (``find_quotes``); computed when not
    given. ``abbreviations`` are words that a full stop follows without ending the
    sentence, compared in lower case ("dr", "gen").
    """
    end = len(text) if end is None else end
    if quotes is None:
        quotes = find_quotes(text, start, end)
    abbreviations = {a.lower().rstrip(".") for a in abbreviations} if abbreviations else set()
    spans: list[tuple[int, int]] = []
    sentence_start = start
    q = 0
    position = start
    while True:
        m = _TERMINATORS.search(text, position, end)
        if m is None:
            break
        i = m.start()
        while q < len(quotes) and quotes[q].close < i:
            q += 1
        inside = q < len(quotes) and quotes[q].open < i < quotes[q].close
        # the run of terminators and closing marks that ends here
        j = i
        while j < end and text[j] in ".!?؟۔…":
            j += 1
        if inside:
            # a terminator just before the closing mark may end the sentence after the mark
            if text[j:quotes[q].close].strip(_SPACE):
                position = j
                continue
            j = quotes[q].close + 1
            q += 1
        elif not _ends_sentence(text, i, j, start, end, abbreviations):
            position = j
            continue
        while j < end and text[j] in _TRAILING and not _opens_quote_at(quotes, q, j):
            j += 1
        if j < end and not (text[j].isspace() or text[j] in _SPACE) and not _is_arabic_letter(text[j]):
            position = j  # "Yahoo!News", "?»،": only an Arabic-script letter may follow unspaced
            continue
        nxt = j
        while nxt < end and (text[nxt].isspace() or text[nxt] in _SPACE):
            nxt += 1
        if nxt < end and _is_latin_lower(text[nxt]):
            position = j
            continue
        _add_trimmed(spans, text, sentence_start, j)
        sentence_start = j
        position = j
    _add_trimmed(spans, text, sentence_start, end)
    return spans


def _opens_quote_at(quotes: list[Quote], q: int, j: int) -> bool:
    return any(quote.open == j for quote in quotes[q:q + 2])


def _ends_sentence(text: str, i: int, j: int, start: int, end: int, abbreviations: set[str]) -> bool:
    """Whether the run of terminators ``text[i:j]`` (outside quotations) ends a sentence."""
    run = text[i:j]
    if "…" in run or ".." in run:
        return False  # an ellipsis marks omitted words, not the end of a sentence
    if run[0] != ".":
        return True
    before = text[i - 1] if i > start else " "
    after = text[j] if j < end else " "
    if before.isdigit() and after.isdigit():
        return False  # 3.5, ۳.۵
    # the word before the full stop
    w = i
    while w > start and text[w - 1].isalpha():
        w -= 1
    word = text[w:i]
    if len(word) == 1 and (w == start or not text[w - 1].isalnum()):
        return False  # U.S., J. Smith, i.e., د. خالد, ه.ش
    if word and word.lower() in abbreviations:
        return False
    if after.isalnum():
        return _is_arabic_letter(before) and _is_arabic_letter(after)
    return True
