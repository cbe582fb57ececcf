"""Finding every known alias of every actor in running text, fast, in any script.

One Aho-Corasick automaton (pyahocorasick) holds the search key of every alias, padded
with a space on each side, and scans the search key of the text, also padded: a match can
only start and end at word boundaries, so "ایران" is not found in "ایرانی" nor "Hamas" in
"Hamasi". The keys come from ``rasad.text.normalize``, so ZWNJ or none, ي or ی, ك or ک,
Persian, Arabic or ASCII digits, diacritics and tatweel make no difference; each alias is
also entered in the spellings of ``resolve.alias_keys`` ("ذبیح‌الله" written "ذبیح الله",
"عبدالکبیر" written "عبد الکبیر").

Which match wins
    The longest: overlapping matches are settled longest first, then leftmost, so
    "Islamic State Khorasan Province" is one match, not "Islamic State" plus a place.
    A key that belongs to two actors (marked ``ambiguous`` in the YAML, or two variants
    colliding) still takes part, so it hides shorter matches inside it, but yields nothing.
Acronyms
    An alias written in capitals with no two lower-case letters in a row (ISKP, TTP, UN,
    US, IS, LeT, ISIS-K) matches only when the text writes the same letters in the same
    case: "US" but not "us", "IS" but not "is", "LeT" but not "let".
Arabic proclitics
    Aliases whose lang is ``ar`` are also found with و ف ب ل (and pairs such as وب)
    written in front: "وحماس", "بغزة", "للحرس الثوري" (ل + ال written لل). The span leaves
    the proclitic out, except for لل, where it covers the word. No other morphology is
    attempted: "والإيرانية" (and the Iranian ...) is an adjective, not "Iran", and a
    gazetteer should not guess at suffixes.
Offsets
    Character offsets into the original text, so ``text[start:end]`` is the name as
    written (combining marks after its last letter included). They equal the offsets of
    ``normalize_with_offsets`` (tests compare the two), but are computed only around the
    matches: the text is cut at whitespace, each piece is normalised once (and cached,
    since news repeats its words), and only a matched piece is walked character by
    character. One consequence of cutting at whitespace: a piece with no letters, such as
    a dash standing alone ("Islamic State – Khorasan Province"), ends a name, while a
    hyphen inside a word ("Islamic State-Khorasan Province") does not.
Speed
    Building over the starter set takes about 0.1 s. On this project's 2-core machine one
    300-word news text with a dozen or more matches takes about 0.2-0.35 ms, about two to
    three times the cost of ``normalize`` of the same text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick

from rasad.kb.resolve import MatchingRules, actor_names, alias_keys, matching_rules
from rasad.model import EntityMatch
from rasad.text.normalize import normalize, normalize_with_offsets

__all__ = ["Gazetteer"]

_ACRONYM_LOWER_RUN = re.compile(r"[a-z]{2}")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
_LONG_SPACE = re.compile(r"\s{2,}")
_MARK_CATEGORIES = ("Mn", "Me")
_RANK_PRIMARY, _RANK_VARIANT, _RANK_PROCLITIC = 0, 1, 2
_MAX_CACHED_TOKENS = 400_000


@dataclass(frozen=True)
class _Candidate:
    actor: int
    rank: int
    prefix: int  # characters of an Arabic proclitic at the start of the key, left out of the span
    letters: str | None  # for acronyms: the letters the original text must show, case and all


@functools.lru_cache(maxsize=65_536)
def _piece_offsets(token: str) -> list[int]:
    return normalize_with_offsets(token)[1]


def _acronym_letters(name: str) -> str | None:
    if not name.isascii() or _ACRONYM_LOWER_RUN.search(name) or not re.search(r"[A-Z]", name):
        return None
    return _NOT_ALNUM.sub("", name)


class Gazetteer:
    """All aliases of ``actors`` (starter ``Actor``s or database ``ActorRecord``s), ready to scan."""

    def __init__(self, actors: Iterable[object], *, kinds: Iterable[str] | None = None,
                 rules: MatchingRules | None = None) -> None:
        self.rules = rules or matching_rules()
        wanted = frozenset(kinds) if kinds is not None else None
        self.actors = list(actors)
        entries: dict[str, dict[int, _Candidate]] = {}
        marked: set[str] = set()

        def add_key(key: str, candidate: _Candidate) -> None:
            if len(key.replace(" ", "")) < 2:
                return
            if candidate.letters is None and key.isascii() and len(key) < 3:
                return  # two-letter Latin keys only as case-checked acronyms
            known = entries.setdefault(key, {})
            old = known.get(candidate.actor)
            if old is None or candidate.rank < old.rank:
                known[candidate.actor] = candidate

        for index, actor in enumerate(self.actors):
            if wanted is not None and actor.kind not in wanted:
                continue
            names = actor_names(actor)
            # a form marked `in_text: false` stays out of text matching whoever else lists it,
            # the canonical name included ("Dawn", "Inspire")
            hidden = {normalize(a.name) for a in names if not a.in_text}
            for alias in names:
                if not alias.in_text or normalize(alias.name) in hidden:
                    continue
                letters = _acronym_letters(alias.name)
                keys = alias_keys(alias.name, self.rules)
                if alias.ambiguous:
                    marked.add(keys[0])
                for rank, key in enumerate(keys):
                    if rank and key in hidden:
                        continue
                    add_key(key, _Candidate(index, _RANK_PRIMARY if rank == 0 else _RANK_VARIANT, 0, letters))
                if alias.lang == "ar":
                    for key in keys:
                        for variant, prefix in self._with_proclitics(key):
                            add_key(variant, _Candidate(index, _RANK_PROCLITIC, prefix, None))
        self._automaton = ahocorasick.Automaton()
        for key, candidates in entries.items():
            ranked = sorted(candidates.values(), key=lambda c: c.rank)
            needs_check = any(c.letters is not None for c in ranked)
            decided = None if needs_check else self._decide(ranked)
            self._automaton.add_word(f" {key} ", (len(key) + 2, decided, tuple(ranked), needs_check))
        self.key_count = len(entries)
        self.ambiguous_keys = sorted(k for k in marked if len(entries.get(k, {})) > 1)
        if entries:
            self._automaton.make_automaton()
        self._labels = [(a.canonical, a.kind, a.key) for a in self.actors]
        self._token_keys: dict[str, str] = {}  # piece of text -> its search key; news repeats words

    def _with_proclitics(self, key: str) -> list[tuple[str, int]]:
        first = key.split(" ", 1)[0]
        if len(first) < 3 or first.isascii():
            return []
        out = []
        for prefix in self.rules.arabic_proclitics:
            if prefix.endswith("ل") and key.startswith("ال"):
                # ل + ال is written لل; the span keeps that ل (so covers the word after و/ف)
                out.append((prefix + key[1:], len(prefix) - 1))
            else:
                out.append((prefix + key, len(prefix)))
        return out

    @staticmethod
    def _decide(candidates: Iterable[_Candidate]) -> _Candidate | None:
        """The one candidate of best rank, or None when two actors share it (ambiguous)."""
        candidates = list(candidates)
        if not candidates:
            return None
        best = candidates[0].rank
        top = [c for c in candidates if c.rank == best]
        return top[0] if len({c.actor for c in top}) == 1 else None

    def __len__(self) -> int:
        return self.key_count

    def find(self, text: str) -> list[EntityMatch]:
        """Known actors named in ``text``, longest non-overlapping matches, in text order."""
        if not text or not self.key_count:
            return []
        raw = text.split()
        cache = self._token_keys
        keys = list(map(cache.get, raw))
        if None in keys:
            if len(cache) > _MAX_CACHED_TOKENS:
                cache.clear()
            for i, key in enumerate(keys):
                if key is None:
                    keys[i] = cache[raw[i]] = normalize(raw[i])
        joined = " ".join(keys)
        hits = list(self._automaton.iter(f" {joined} "))
        if not hits:
            return []
        locate = _Locator(text, raw, keys, joined)
        # (start, end exclusive) in ``joined``; hits come in order of their end
        spans = [(end_index - value[0] + 1, end_index - 1, value[1]) for end_index, value in hits]
        if any(value[3] for _, value in hits):  # acronyms: the text must write them in capitals
            spans = [self._check_case(text, locate, span, value[2]) if value[3] else span
                     for span, (_, value) in zip(spans, hits, strict=True)]
            spans = [span for span in spans if span is not None]
        if any(spans[i][0] < spans[i - 1][1] for i in range(1, len(spans))):
            spans = self._longest_first(spans, len(joined))
        matches = []
        size = len(text)
        labels, span, category = self._labels, locate.span, unicodedata.category
        for start, end, candidate in spans:
            if candidate is None:
                continue  # an ambiguous name: it hid what it covers, it names no one
            begin, stop = span(start + candidate.prefix, end - 1)
            while stop < size and category(text[stop]) in _MARK_CATEGORIES:
                stop += 1
            canonical, kind, key = labels[candidate.actor]
            # EntityMatch(text, canonical, kind, start, end, entity_key), positionally: faster
            matches.append(EntityMatch(text[begin:stop], canonical, kind, begin, stop, key))
        return matches

    def _check_case(self, text: str, locate: _Locator, span: tuple, candidates: tuple):
        start, end, _ = span
        letters = _NOT_ALNUM.sub("", text[locate(start):locate(end - 1) + 1])
        fitting = [c for c in candidates if c.letters is None or c.letters == letters]
        return (start, end, self._decide(fitting)) if fitting else None

    @staticmethod
    def _longest_first(spans: list[tuple[int, int, _Candidate | None]], size: int):
        """Overlapping matches settled longest first, then leftmost; returned in text order."""
        taken = bytearray(size)
        kept = []
        for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            start, end = span[0], span[1]
            if taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * (end - start)
                kept.append(span)
        kept.sort()
        return kept


class _Locator:
    """Maps a position in the text's search key back to the original character offset.

    The key is the keys of the whitespace-separated pieces of the text joined by single
    spaces (a piece with no letters, such as a dash standing alone, leaves two spaces, so
    no multi-word name is matched across it). The piece a key position falls in is found
    by counting separators before it, in the key itself or, when some piece's key has
    spaces of its own ("al-Qaeda" -> "al qaeda"), in the same pieces joined by NUL; the
    place inside the piece comes from ``normalize_with_offsets``. Where each piece starts
    in the text follows from the pieces' lengths plus the extra characters of the few
    whitespace runs longer than one character, so nothing walks the text character by
    character in Python.
    """

    def __init__(self, text: str, raw: list[str], keys: list[str], joined: str) -> None:
        self.raw = raw
        if joined.count(" ") == len(keys) - 1:
            self.pieces, self.sep = joined, " "
        else:
            self.pieces, self.sep = "\x00".join(keys), "\x00"  # same positions as ``joined``
        self._cursor = (0, 0)  # (key position, separators before it): matches come in order
        self.raw_lengths = list(accumulate(map(len, raw), initial=0))
        self.lead = len(text) - len(text.lstrip())
        self.break_at: list[int] = []  # piece index from which ...
        self.extra: list[int] = []  # ... this many more characters precede each piece
        if len(text.rstrip()) == self.lead + self.raw_lengths[-1] + len(raw) - 1:
            return  # one whitespace character between every two pieces: nothing to add
        extra = self.lead
        base = self.raw_lengths
        for run in _LONG_SPACE.finditer(text):
            run_start, run_end = run.span()
            if run_start == 0:
                continue  # the leading run is ``lead``
            # the piece after this run: the first whose start, as counted so far, is past it
            self.break_at.append(bisect_left(range(len(base)), run_start + 1 - extra,
                                             key=lambda n: base[n] + n))
            extra += run_end - run_start - 1
            self.extra.append(extra)

    def _piece_index(self, position: int) -> int:
        """Separators before ``position``, counted on from the last call when it lies ahead."""
        at, count = self._cursor
        if position >= at:
            count += self.pieces.count(self.sep, at, position)
        else:
            count = self.pieces.count(self.sep, 0, position)
        self._cursor = (position, count)
        return count

    def _piece_start(self, r: int) -> int:
        if self.break_at:
            k = bisect_right(self.break_at, r)
            return self.raw_lengths[r] + r + (self.extra[k - 1] if k else self.lead)
        return self.raw_lengths[r] + r + self.lead

    def __call__(self, position: int) -> int:
        pieces, sep = self.pieces, self.sep
        r = self._piece_index(position)
        first = pieces.rfind(sep, 0, position) + 1
        return self._piece_start(r) + _piece_offsets(self.raw[r])[position - first]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original (start, end) of the key characters first..last, inclusive."""
        pieces, sep = self.pieces, self.sep
        r = self._piece_index(first)
        piece_first = pieces.rfind(sep, 0, first) + 1
        piece_end = pieces.find(sep, first)
        start = self._piece_start(r)
        offsets = _piece_offsets(self.raw[r])
        if piece_end == -1 or last < piece_end:  # the usual case: the name is one piece
            return start + offsets[first - piece_first], start + offsets[last - piece_first] + 1
        return start + offsets[first - piece_first], self(last) + 1
