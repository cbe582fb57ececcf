"""The one query syntax shared by every search backend.

    words           all must match (AND)
    "a phrase"      the words in this order
    a OR b          either (OR binds tighter than the implicit AND)
    -word -"a b"    must not match

Terms are normalised with the same normaliser as the indexed text, so a query typed
with Arabic ي/ك matches Persian ی/ک, with or without ZWNJ and diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasad.errors import BadInput
from rasad.text.normalize import tokenize

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64

# a token of the query language: an optional '-', then a quoted phrase or a bare word
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word or phrase as a tuple of normalised tokens (one token for a plain word)."""

    tokens: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1


@dataclass
class ParsedQuery:
    # conjunction of disjunctions: every group must have at least one matching term
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def matches_all(self) -> bool:
        """True when no word is required (an empty query lists documents by date)."""
        return not self.groups

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def _compound_variants(raw: str, tokens: tuple[str, ...]) -> list[Term]:
    """The term as typed, plus its other spelling: a ZWNJ compound ("ذبیح‌الله") also as
    its spaced parts, and a short phrase ("ذبیح الله مجاهد") also with one adjacent pair
    joined, since Persian writes with ZWNJ what Pashto and Urdu often write with a space."""
    variants = [Term(tokens)]
    if "\u200c" in raw:
        spaced = tuple(tokenize(raw.replace("\u200c", " ")))
        if spaced != tokens:
            variants.append(Term(spaced))
    if 2 <= len(tokens) <= 4 and all(not t.isascii() for t in tokens):
        for i in range(len(tokens) - 1):
            joined = tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2:]
            variants.append(Term(joined))
    return list(dict.fromkeys(variants))


def parse_query(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_CHARS:
        raise BadInput(f"query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    parsed = ParsedQuery()
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word == "OR":
                pending_or = bool(parsed.groups)
                continue
            if word.startswith("-") and len(word) > 1:
                negated, word = "-", word[1:]
            raw = word
        else:
            raw = phrase
        tokens = tuple(tokenize(raw))
        if not tokens:
            continue
        variants = _compound_variants(raw, tokens)
        if negated:
            parsed.excluded.extend(variants)
            pending_or = False
        elif pending_or:
            parsed.groups[-1].extend(variants)
            pending_or = False
        else:
            parsed.groups.append(variants)
    if len(parsed.positive_terms) + len(parsed.excluded) > MAX_TERMS:
        raise BadInput(f"query has too many terms (at most {MAX_TERMS})")
    return parsed
