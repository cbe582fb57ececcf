"""Which writing system a text is in, as an ISO 15924 code ("Arab", "Latn", "Cyrl" ...).

Only letters count: digits, punctuation, symbols, marks and modifier letters (tatweel)
are shared between scripts. A letter's script comes from the first word of its Unicode
name, which is cheap, needs no table to maintain, and is cached per code point.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["NO_SCRIPT", "UNKNOWN_SCRIPT", "dominant_script", "script_counts"]

NO_SCRIPT = "Zyyy"  # no letters at all (ISO 15924 "Common")
UNKNOWN_SCRIPT = "Zzzz"  # letters of a script not in the table below

_BY_NAME = {
    "ARABIC": "Arab", "LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek",
    "HEBREW": "Hebr", "SYRIAC": "Syrc", "THAANA": "Thaa", "NKO": "Nkoo",
    "DEVANAGARI": "Deva", "BENGALI": "Beng", "GURMUKHI": "Guru", "GUJARATI": "Gujr",
    "ORIYA": "Orya", "TAMIL": "Taml", "TELUGU": "Telu", "KANNADA": "Knda",
    "MALAYALAM": "Mlym", "SINHALA": "Sinh", "THAI": "Thai", "LAO": "Laoo",
    "TIBETAN": "Tibt", "MYANMAR": "Mymr", "KHMER": "Khmr", "MONGOLIAN": "Mong",
    "GEORGIAN": "Geor", "ARMENIAN": "Armn", "ETHIOPIC": "Ethi", "TIFINAGH": "Tfng",
    "HANGUL": "Hang", "HIRAGANA": "Hira", "KATAKANA": "Kana", "BOPOMOFO": "Bopo",
    "CJK": "Hani", "IDEOGRAPHIC": "Hani", "YI": "Yiii", "CHEROKEE": "Cher",
    "CANADIAN": "Cans", "OGHAM": "Ogam", "RUNIC": "Runr", "COPTIC": "Copt",
    "GLAGOLITIC": "Glag", "SAMARITAN": "Samr", "MANDAIC": "Mand", "JAVANESE": "Java",
    "BALINESE": "Bali", "SUNDANESE": "Sund", "TAGALOG": "Tglg", "VAI": "Vaii",
}
# name prefixes of letters that belong to no particular script (mathematical alphabets,
# ordinal indicators ...): not counted
_COMMON = frozenset(["MATHEMATICAL", "FEMININE", "MASCULINE", "SUPERSCRIPT", "SUBSCRIPT"])
_WIDTH_PREFIXES = ("FULLWIDTH ", "HALFWIDTH ")
_LETTER_CATEGORIES = frozenset(["Lu", "Ll", "Lt", "Lo"])  # not Lm: tatweel, modifiers


def _script_of(ch: str) -> str | None:
    if unicodedata.category(ch) not in _LETTER_CATEGORIES:
        return None
    name = unicodedata.name(ch, "")
    for prefix in _WIDTH_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    first = name.split(" ", 1)[0]
    if first in _COMMON:
        return None
    return _BY_NAME.get(first, UNKNOWN_SCRIPT)


# Each script is written into the translated string as a one-character tag. Tags are
# ASCII while they last, so that str.translate keeps its fast path on ASCII input.
_TAG_CHARS = [chr(c) for c in range(0x21, 0x7F)]
_TAGS: dict[str, str] = {}
_SCRIPT_OF_TAG: dict[str, str] = {}


def _tag(script: str) -> str:
    tag = _TAGS.get(script)
    if tag is None:
        n = len(_TAGS)
        tag = _TAG_CHARS[n] if n < len(_TAG_CHARS) else chr(0xF0000 + n)
        _TAGS[script] = tag
        _SCRIPT_OF_TAG[tag] = script
    return tag


_FREQUENT_TAGS = (_tag("Arab"), _tag("Latn"))


class _TagTable(dict):
    def __missing__(self, cp: int) -> str | None:
        script = _script_of(chr(cp))
        value = _tag(script) if script else None
        if len(self) < 300_000:
            self[cp] = value
        return value


_TABLE = _TagTable()
# Latin, Arabic and general punctuation are looked up in a plain dict filled on first use:
# str.translate is about a third faster with a plain dict than with a dict subclass.
_COMMON_BLOCKS = ((0x0000, 0x036F), (0x0600, 0x06FF), (0x0750, 0x077F), (0x2000, 0x206F), (0xFE70, 0xFEFF))
_UNCOMMON = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _COMMON_BLOCKS) + "]")


@functools.cache
def _common_table() -> dict[int, str | None]:
    return {cp: _TABLE[cp] for lo, hi in _COMMON_BLOCKS for cp in range(lo, hi + 1)}


def script_counts(text: str) -> dict[str, int]:
    """Letters per script, in order of first appearance."""
    table = _TABLE if _UNCOMMON.search(text) else _common_table()
    tags = text.translate(table)
    found = {}
    remaining = len(tags)
    for tag in _FREQUENT_TAGS:  # counting is much cheaper than walking the string
        n = tags.count(tag)
        if n:
            found[tag] = n
            remaining -= n
    if remaining:
        for tag in set(tags).difference(found):
            found[tag] = tags.count(tag)
    order = sorted(found, key=tags.index) if len(found) > 1 else found
    return {_SCRIPT_OF_TAG[tag]: found[tag] for tag in order}


def dominant_script(text: str) -> str:
    """The script with the most letters; the earliest seen wins a tie; "Zyyy" if none."""
    counts = script_counts(text)
    if not counts:
        return NO_SCRIPT
    return max(counts, key=counts.__getitem__)
