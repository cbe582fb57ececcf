"""Date mentions in news text: where they are, in which calendar, and which Gregorian day.

Militant and state media date things in three calendars and six languages: "۱۹ بهمن ۱۴۰۲"
(Iran), "۲۵ حمل ۱۴۰۳" and "د ۱۴۰۳ کال د وري ۲۵مه" (Afghanistan), "27 رجب 1445هـ" and
"8 شباط 2024" (Arabic), "8 فروری 2024ء" (Urdu), and "yesterday" / "دیروز" / "پرون"
relative to the day of publication. An analyst needs each mention where it stands in the
text and as one Gregorian day, to line up statements and events across sources.

How it works, and why:

- Matching runs on a folded copy of the text (``fold_letters``: one yeh, one kaf, no
  diacritics, tatweel or ZWNJ, ASCII digits) so that keyboards and spelling habits do not
  matter; offsets are mapped back to the original text, which is never changed.
- Every date has a number or a date word in it, so the text is scanned for those
  *anchors* (runs of digits; month and weekday names, "سال", "دیروز" ... with one regex
  built as a trie, which is what keeps this fast) and the grammar is tried only there.
- The grammar is small and visible: day month [year], month day [year] (English and
  Pashto "د وري ۲۵مه"), month year, Pashto "د ۱۴۰۳ کال د وري ۲۵مه", numeric dates, a year
  with an era or a year word, and the relative phrases of each language. All words live in
  ``lexicons/dates.yaml`` so analysts can add spellings without a release.
- Conversions use jdatetime (Solar Hijri) and hijridate (Umm al-Qura) only. A date that
  does not exist (31 Esfand in a common year, 30 February) is dropped, never guessed at;
  a day and month without a year take the year that puts them nearest to the publication
  date, and are dropped when that is unknown.
- Month names that are also ordinary words (مهر "seal", تیر "bullet", Pashto دی "is")
  never count alone; the worst of them (listed in the lexicon) need a year, "ماه", a
  weekday or an ordinal ending even next to a day number.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jdatetime
from hijridate import Gregorian, Hijri

from rasad.errors import ConfigError
from rasad.model import DateMatch
from rasad.text.normalize import fold_letters
from rasad.yamldata import read_lexicon

__all__ = ["CALENDARS", "LANGUAGES", "DateLexicon", "extract_dates", "load_lexicon"]

CALENDARS = ("gregorian", "solar_hijri", "lunar_hijri")
LANGUAGES = ("en", "fa", "prs", "ps", "ar", "ur")
_ERA_KINDS = (*CALENDARS, "hijri", "before_era")
_HIJRI = ("solar_hijri", "lunar_hijri")
# languages that write numeric dates day first (08/02/2024 is 8 February)
_DAY_FIRST = frozenset({"fa", "prs", "ps", "ar", "ur"})

_LANGUAGE_ALIASES = {
    "fas": "fa", "per": "fa", "pes": "fa",
    "fa-af": "prs", "dari": "prs",
    "pus": "ps", "pbt": "ps", "pbu": "ps", "pst": "ps",
    "ara": "ar", "arb": "ar",
    "urd": "ur",
    "eng": "en",
}
_RELATIVE_SECTION = {"prs": "fa"}  # Dari uses the Persian relative phrases

# --- names and tries -------------------------------------------------------------------------
# A name in the lexicon is folded, lower-cased and cut into parts at spaces, hyphens,
# apostrophes and dots; in the text the parts may be joined by any run of those (or by
# nothing, which is how "ربیع‌الاول" looks once its ZWNJ is folded away).
_SPLIT = re.compile(r"[\s\-'’._]+")
_NAME_SEP = r"[\s\-'’._]*"
_JOIN = "\x00"  # stands for _NAME_SEP inside a trie key
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
_NO_NUMBER_BEFORE = r"(?<![\d.,:/٫٬])"
_SENTENCE_END = re.compile(r"[.!?؟۔\n]")
_MAX_TENSE_LOOKAHEAD = 200


def _parts(name: object) -> list[str]:
    return [p for p in _SPLIT.split(fold_letters(str(name)).lower()) if p]


def _key(text: str) -> str:
    """The lookup key of a name as matched in the folded, lower-cased text."""
    return _SPLIT.sub("", text)


def _with_dots(names: list[list[str]]) -> list[list[str]]:
    """The names of one month or weekday plus "Feb." for every Latin name that shortens
    another ("Feb" of "February"); a full name keeps the full stop after it out."""
    out = list(names)
    for parts in names:
        key = "".join(parts)
        if key.isascii() and any(other.startswith(key) and other != key for other in map("".join, names)):
            out.append([*parts[:-1], parts[-1] + "."])
    return out


def _trie(names: Iterable[list[str]]) -> str:
    """One regex for many names, factored by common prefixes (a plain alternation of a few
    hundred names is six times slower to scan with)."""
    root: dict[str, Any] = {}
    for parts in names:
        if not parts:
            continue
        node = root
        for ch in _JOIN.join(parts):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(root) or "(?!)"


def _emit(node: dict[str, Any]) -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        piece = _NAME_SEP if ch == _JOIN else re.escape(ch)
        branches.append(piece + _emit(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?"
    return body


# --- folding with an offset map --------------------------------------------------------------
# fold_letters maps every character on its own; most map to exactly one character. The
# others ("special": removed marks, ZWNJ, tatweel, presentation forms that expand) are
# recorded with their position, so that an index into the folded text can be taken back.
_PLAIN_BLOCKS = ((0x0000, 0x036F), (0x0600, 0x06FF), (0x0750, 0x077F), (0x2000, 0x206F), (0xFE70, 0xFEFF))
_ARABIC_MARKS = ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))
_ASCII_LOWER = {c: c + 32 for c in range(0x41, 0x5B)}
_CAPITAL = re.compile(r"[A-Z]")  # only Latin date words need lower-casing
_WIDTH_CACHE: dict[str, int] = {}


@functools.cache
def _special_chars() -> re.Pattern[str]:
    """One character class (scanned far faster than an alternation): the characters of the
    plain blocks that do not fold to exactly one character, and everything outside them."""
    odd = [
        chr(cp)
        for lo, hi in _PLAIN_BLOCKS
        for cp in range(lo, hi + 1)
        if not 0xD800 <= cp <= 0xDFFF and len(fold_letters(chr(cp))) != 1
    ]
    outside, prev = [], 0
    for lo, hi in (*_PLAIN_BLOCKS, (0x110000, 0x110000)):
        if lo > prev:
            outside.append(f"\\U{prev:08x}-\\U{lo - 1:08x}")
        prev = max(prev, hi + 1)
    return re.compile("[" + "".join(re.escape(c) for c in odd) + "".join(outside) + "]")


def _width(ch: str) -> int:
    width = _WIDTH_CACHE.get(ch)
    if width is None:
        width = len(fold_letters(ch))
        if len(_WIDTH_CACHE) < 100_000:
            _WIDTH_CACHE[ch] = width
    return width


def _is_trailing_mark(ch: str) -> bool:
    """A removed character that belongs to the letter before it (a haraka, tatweel)."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _ARABIC_MARKS)


class _TextMap:
    """The folded, lower-cased text and the way back to offsets in the original."""

    __slots__ = ("text", "low", "_at", "_orig", "_width")

    def __init__(self, text: str) -> None:
        self.text = text
        self._at: list[int] = []  # position in the folded text of each special character
        self._orig: list[int] = []  # its position in the original
        self._width: list[int] = []  # how many folded characters it became (0 = removed)
        if text.isascii():
            folded = text
        else:
            folded = fold_letters(text)
            shift = 0
            for m in _special_chars().finditer(text):
                i = m.start()
                width = _width(text[i])
                if width == 1:
                    continue
                self._at.append(i + shift)
                self._orig.append(i)
                self._width.append(width)
                shift += width - 1
            if len(folded) != len(text) + shift:  # never expected; keep offsets honest
                folded = self._fold_slowly(text)
        if _CAPITAL.search(folded) is None:
            self.low = folded
            return
        low = folded.lower()
        if len(low) != len(folded):  # a few capitals lower into two characters
            low = folded.translate(_ASCII_LOWER)
        self.low = low

    def _fold_slowly(self, text: str) -> str:
        self._at, self._orig, self._width = [], [], []
        out: list[str] = []
        length = 0
        for i, ch in enumerate(text):
            piece = fold_letters(ch)
            if len(piece) != 1:
                self._at.append(length)
                self._orig.append(i)
                self._width.append(len(piece))
            out.append(piece)
            length += len(piece)
        return "".join(out)

    def start(self, f: int) -> int:
        i = bisect_right(self._at, f) - 1
        if i < 0:
            return f
        at, orig, width = self._at[i], self._orig[i], self._width[i]
        if f < at + width:
            return orig
        return orig + 1 + (f - at - width)

    def end(self, f_start: int, f_end: int) -> int:
        end = self.start(f_end - 1) + 1 if f_end > f_start else self.start(f_start)
        text = self.text
        while end < len(text) and _is_trailing_mark(text[end]):
            end += 1
        return end

    def capitalised(self, f: int) -> bool:
        """False for a Latin word written in lower case ("may", "sat")."""
        ch = self.text[self.start(f)]
        return not ("a" <= ch <= "z")


# --- calendars -------------------------------------------------------------------------------


def _to_gregorian(calendar: str, year: int, month: int, day: int) -> date | None:
    try:
        if calendar == "gregorian":
            return date(year, month, day)
        if calendar == "solar_hijri":
            g = jdatetime.date(year, month, day).togregorian()
        else:
            g = Hijri(year, month, day).to_gregorian()
        return date(g.year, g.month, g.day)
    except (ValueError, OverflowError, TypeError):
        return None


def _year_in(calendar: str, day: date) -> int | None:
    try:
        if calendar == "gregorian":
            return day.year
        if calendar == "solar_hijri":
            return jdatetime.date.fromgregorian(date=day).year
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError, TypeError):
        return None


def _nearest(calendar: str, month: int, day: int, published: date) -> date | None:
    """The day and month in the year that puts them nearest the publication date."""
    year = _year_in(calendar, published)
    if year is None:
        return None
    best: date | None = None
    for candidate in (year - 1, year, year + 1):
        found = _to_gregorian(calendar, candidate, month, day)
        if found is not None and (best is None or abs((found - published).days) < abs((best - published).days)):
            best = found
    return best


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _language(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-")
    if code in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[code]
    code = code.split("-")[0]
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in LANGUAGES else None


# --- the lexicon -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Month:
    calendar: str
    number: int
    latin: bool
    everyday_in: frozenset[str] | None  # languages where it is an everyday word; "*" = all

    def needs_evidence(self, language: str | None) -> bool:
        if self.everyday_in is None:
            return False
        return language is None or "*" in self.everyday_in or language in self.everyday_in


@dataclass(frozen=True)
class _Phrase:
    kind: str  # day, ago, on, last, tense, stop
    value: Any  # days (day), (past, future) days (tense), else None
    regex: re.Pattern[str]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    future: re.Pattern[str] | None


@dataclass(frozen=True)
class _Grammar:
    """What is looked for in a text of one language (or of an unknown one)."""

    language: str | None
    words: re.Pattern[str]  # a date word after a non-word character
    first_word: re.Pattern[str]  # the same at the start of the text
    # by the key of their first word ("#" = a number): one regex that any of them needs to
    # match (several phrases often share a first word: Pashto د), and the phrases
    phrases: dict[str, tuple[re.Pattern[str] | None, tuple[_Phrase, ...]]]


@dataclass
class _Found:
    start: int  # in the folded text
    end: int
    priority: int  # on equal length: 3 not-a-date phrase, 2 absolute date, 1 relative date
    result: tuple[str, str, str, bool] | None = None  # calendar, iso, precision, relative


_TOP_KEYS = frozenset({
    "calendars", "everyday_month_names", "weekdays", "everyday_weekday_names", "eras",
    "year_words_before", "year_words_after", "month_words", "ordinals", "day_month_links",
    "month_day_links", "genitive_before", "weekday_prefixes", "weekday_links", "not_dates",
    "relative", "day_words",
})
_RELATIVE_KEYS = frozenset({
    "numbers", "phrases", "days_ago", "on_weekday", "last_weekday", "by_tense",
    "future_markers", "not_dates", "needs_language",
})


class DateLexicon:
    """The words of ``dates.yaml``, compiled; one grammar per language, built on first use."""

    def __init__(self, data: dict[str, Any], name: str = "dates.yaml") -> None:
        self.name = name
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise ConfigError(f"{name}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
        self.year_range: dict[str, tuple[int, int]] = {}
        self.months: dict[str, _Month] = {}  # by key
        self._month_names: list[list[str]] = []
        self._read_calendars(data.get("calendars"))
        self._read_everyday_months(data.get("everyday_month_names") or {})
        self._everyday_weekdays = {"".join(p) for p in self._names(data.get("everyday_weekday_names") or [],
                                                                    "everyday_weekday_names")}
        self.weekdays: dict[str, dict[str, int]] = {}  # language -> key -> 0 (Monday) .. 6
        self._weekday_names: dict[str, list[list[str]]] = {}
        self._read_weekdays(data.get("weekdays"))
        self._weekday_of = {key: day for table in self.weekdays.values() for key, day in table.items()}
        self.eras: dict[str, str] = {}  # key -> calendar, "hijri" or "before_era"
        self._era_names: list[list[str]] = []
        self._read_eras(data.get("eras") or {})
        self._relative: dict[str, dict[str, Any]] = self._read_relative(data.get("relative") or {})
        self._not_dates = self._strings(data, "not_dates")
        self._year_before = self._names(data.get("year_words_before") or [], "year_words_before")
        self._month_words = self._names(data.get("month_words") or [], "month_words")
        self._weekday_prefixes = self._names(data.get("weekday_prefixes") or [], "weekday_prefixes")
        self._genitive = re.compile(
            _LETTER_BEFORE + "(?:" + self._alternation(data, "genitive_before") + r")\s+\Z"
        )
        self._day_words: dict[str, int] = {}  # "السابع" -> 7: days written as ordinal words
        self._day_word_names: list[list[str]] = []
        for number, names in (data.get("day_words") or {}).items():
            if not isinstance(number, int) or not 1 <= number <= 31:
                raise ConfigError(f"{name}: day_words: {number!r} is not a day 1-31")
            for parts in self._names(names, f"day_words.{number}"):
                self._day_words["".join(parts)] = number
                self._day_word_names.append(parts)
        self._forms = self._compile_forms(data)
        # which forms can start at a date word
        self._forms_by_key: dict[str, tuple[str, ...]] = {}
        for key in self.months:
            self._add_forms(key, ("mdy", "my"))
        for parts in self._date_weekdays() + self._weekday_prefixes:
            self._add_forms("".join(parts), ("dmy", "mdy", "my", "num"))
        for parts in self._year_before:
            self._add_forms("".join(parts), ("year",))
        for key in self._day_words:
            self._add_forms(key, ("dmy",))
        self._grammars: dict[str | None, _Grammar] = {}

    def _date_weekdays(self) -> list[list[str]]:
        """Weekday names that may open a date: all but the everyday words."""
        return [
            parts
            for names in self._weekday_names.values()
            for parts in names
            if "".join(parts) not in self._everyday_weekdays
        ]

    def _alternation(self, data: dict[str, Any], key: str) -> str:
        return _trie(self._names(data.get(key) or [], key))

    def _compile_forms(self, data: dict[str, Any]) -> dict[str, re.Pattern[str]]:
        """The grammar of absolute dates; every form starts where a date word or number is."""
        eras = _trie(self._era_names)
        weekday = (  # optional: "روز پنجشنبه", "on Thursday,", "الخميس الموافق"
            rf"(?:(?:(?P<wdp>{_trie(self._weekday_prefixes)})\s+)?(?P<wd>{_trie(self._date_weekdays())})"
            rf"{_LETTER_AFTER}[\s,،]*(?:(?:{self._alternation(data, 'weekday_links')}){_LETTER_AFTER}\s*)?)?"
        )
        day = (
            rf"(?:{_NO_NUMBER_BEFORE}(?P<d>\d{{1,2}})(?!\d)"
            rf"(?:(?P<ord>{self._alternation(data, 'ordinals')}){_LETTER_AFTER})?"
        )
        if self._day_word_names:  # "السابع من أكتوبر", "الحادي والعشرين من رمضان"
            day += rf"|(?P<dw>{_trie(self._day_word_names)}){_LETTER_AFTER}"
        day += ")"
        months = _trie(self._month_names)
        # "آذار/مارس": the Levantine and the Egyptian name of one Gregorian month
        month = (rf"(?P<m>{months})(?:{_LETTER_AFTER}\s*/\s*(?:{months}))?"
                 rf"(?:\s*(?P<mw>{_trie(self._month_words)}))?{_LETTER_AFTER}")
        year = (
            rf"{_NO_NUMBER_BEFORE}(?P<y>\d{{4}})(?!\d)(?![.,٫٬]\d)"
            rf"(?:\s*(?P<era>{eras}){_LETTER_AFTER})?"
        )
        year_word = rf"(?:(?P<yw>{_trie(self._year_before)}){_LETTER_AFTER}\s*)?"
        before_year = r"(?P<msep>\s*(?:[,،]\s*)?)" + year_word
        dm_link = rf"\s*(?:(?:{self._alternation(data, 'day_month_links')})\s+)?"
        md_link = rf"\s*(?:(?:{self._alternation(data, 'month_day_links')})\s+)?"
        kal = rf"(?P<kal>{self._alternation(data, 'year_words_after')}){_LETTER_AFTER}"
        genitive = rf"(?:(?:{self._alternation(data, 'genitive_before')})\s+)?"
        return {
            # ۱۹ بهمن ۱۴۰۲, 8th of February, 2024, 5 رمضان 1445هـ (the year is optional)
            "dmy": re.compile(weekday + day + dm_link + month + "(?P<dmend>)(?:" + before_year + year + ")?"),
            # February 8, 2024; Pashto د وري پر ۲۵مه
            "mdy": re.compile(
                weekday + month + md_link + day + r"(?P<dmend>)(?:(?P<msep>\s*(?:[,،]\s*)?)" + year + ")?"
            ),
            # بهمن ۱۴۰۲, February 2024, رمضان 1445
            "my": re.compile(weekday + month + before_year + year),
            # Pashto: د ۱۴۰۳ کال د وري ۲۵مه (the day is optional)
            "ps": re.compile(year + r"\s*" + kal + r"\s*" + genitive + month + "(?:" + md_link + day + ")?"),
            # سال ۱۴۰۳, 1445 هـ, د ۱۴۰۳ کال
            "year": re.compile(year_word + year + rf"(?:\s*{kal})?"),
            # 2024-02-08, ۱۴۰۲/۱۱/۱۹, 14/9/2024م
            "num": re.compile(
                weekday + r"(?<![\d.,:/٫٬\-])(?:(?P<y1>\d{4})(?P<s1>[/.\-])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
                r"|(?P<d2>\d{1,2})(?P<s2>[/.\-])(?P<m2>\d{1,2})(?P=s2)(?P<y2>\d{4}))"
                rf"(?!\d)(?![/.\-٫]\d)(?:\s*(?P<era>{eras}){_LETTER_AFTER})?"
            ),
        }

    # -- reading the YAML -------------------------------------------------------------------

    def _strings(self, data: dict[str, Any], key: str) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise ConfigError(f"{self.name}: {key} is a list of words")
        return [str(v) for v in value]

    def _names(self, value: Any, where: str) -> list[list[str]]:
        if not isinstance(value, list):
            raise ConfigError(f"{self.name}: {where} is a list of names")
        out = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise ConfigError(f"{self.name}: {where}: {item!r} is not a name (quote words YAML reads as true/false)")
            parts = _parts(item)
            if not parts:
                raise ConfigError(f"{self.name}: {where}: empty name")
            out.append(parts)
        return out

    def _read_calendars(self, calendars: Any) -> None:
        if not isinstance(calendars, dict) or not calendars:
            raise ConfigError(f"{self.name}: calendars is a mapping of calendar to months")
        for calendar, body in calendars.items():
            if calendar not in CALENDARS:
                raise ConfigError(f"{self.name}: unknown calendar {calendar!r}; use one of {', '.join(CALENDARS)}")
            where = f"calendars.{calendar}"
            if not isinstance(body, dict) or not isinstance(body.get("months"), dict):
                raise ConfigError(f"{self.name}: {where} needs years and months")
            years = body.get("years")
            if (
                not isinstance(years, list) or len(years) != 2
                or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
            ):
                raise ConfigError(f"{self.name}: {where}.years is [first, last]")
            self.year_range[calendar] = (years[0], years[1])
            for number, by_language in body["months"].items():
                if not isinstance(number, int) or not 1 <= number <= 12:
                    raise ConfigError(f"{self.name}: {where}.months: {number!r} is not a month number 1-12")
                if not isinstance(by_language, dict):
                    raise ConfigError(f"{self.name}: {where}.months.{number} maps languages to names")
                group: list[list[str]] = []
                for language, names in by_language.items():
                    group += self._names(names, f"{where}.months.{number}.{language}")
                self._month_names += _with_dots(group)
                for parts in group:
                    key = "".join(parts)
                    known = self.months.get(key)
                    if known is not None and (known.calendar, known.number) != (calendar, number):
                        raise ConfigError(
                            f"{self.name}: month name {key!r} is both {known.calendar} {known.number}"
                            f" and {calendar} {number}"
                        )
                    self.months[key] = _Month(calendar, number, key.isascii(), None)

    def _read_weekdays(self, weekdays: Any) -> None:
        if not isinstance(weekdays, dict):
            raise ConfigError(f"{self.name}: weekdays is a mapping of language to weekday names")
        for language, days in weekdays.items():
            if language not in LANGUAGES or not isinstance(days, dict):
                raise ConfigError(f"{self.name}: weekdays: {language!r} is not a language with 0-6 names")
            table: dict[str, int] = {}
            names: list[list[str]] = []
            for number, day_names in days.items():
                if not isinstance(number, int) or not 0 <= number <= 6:
                    raise ConfigError(f"{self.name}: weekdays.{language}: {number!r} is not 0 (Monday) to 6")
                group = self._names(day_names, f"weekdays.{language}.{number}")
                for parts in group:
                    table["".join(parts)] = number
                names += _with_dots(group)
            self.weekdays[language] = table
            self._weekday_names[language] = names

    def _read_everyday_months(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise ConfigError(f"{self.name}: everyday_month_names maps a month name to languages or all")
        for name, languages in value.items():
            key = "".join(_parts(name))
            month = self.months.get(key)
            if month is None:
                raise ConfigError(f"{self.name}: everyday_month_names: {name!r} is not a month name")
            if languages == "all":
                scope = frozenset({"*"})
            elif isinstance(languages, list) and all(lang in LANGUAGES for lang in languages):
                scope = frozenset(languages)
            else:
                raise ConfigError(f"{self.name}: everyday_month_names.{name}: a list of languages or all")
            self.months[key] = _Month(month.calendar, month.number, month.latin, scope)

    def _read_eras(self, eras: Any) -> None:
        if not isinstance(eras, dict):
            raise ConfigError(f"{self.name}: eras is a mapping of era kind to names")
        for kind, names in eras.items():
            if kind not in _ERA_KINDS:
                raise ConfigError(f"{self.name}: eras: unknown kind {kind!r}; use one of {', '.join(_ERA_KINDS)}")
            for parts in self._names(names, f"eras.{kind}"):
                self.eras["".join(parts)] = kind
                self._era_names.append(parts)

    def _read_relative(self, relative: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(relative, dict):
            raise ConfigError(f"{self.name}: relative is a mapping of language to phrases")
        for section, body in relative.items():
            if section not in LANGUAGES or section in _RELATIVE_SECTION:
                raise ConfigError(f"{self.name}: relative: no language {section!r} (Dari uses fa)")
            if not isinstance(body, dict) or set(body) - _RELATIVE_KEYS:
                raise ConfigError(
                    f"{self.name}: relative.{section}: expected a mapping with {', '.join(sorted(_RELATIVE_KEYS))}"
                )
        return relative

    def _add_forms(self, key: str, forms: tuple[str, ...]) -> None:
        known = self._forms_by_key.get(key, ())
        self._forms_by_key[key] = known + tuple(f for f in forms if f not in known)

    # -- grammars per language ----------------------------------------------------------------

    def _grammar_for(self, language: str | None) -> _Grammar:
        found = self._grammars.get(language)
        if found is None:
            found = self._grammars[language] = self._build_grammar(language)
        return found

    def _build_grammar(self, language: str | None) -> _Grammar:
        if language is None:
            sections = list(self._relative)
        else:
            section = _RELATIVE_SECTION.get(language, language)
            sections = [section] if section in self._relative else []
        phrases: dict[str, list[_Phrase]] = {}
        anchor_names: list[list[str]] = list(self._month_names)
        anchor_names += self._date_weekdays()
        anchor_names += self._weekday_prefixes + self._year_before + self._day_word_names
        for section in sections:
            for first, parts, phrase in self._section_phrases(section, explicit=language is not None):
                phrases.setdefault(first, []).append(phrase)
                anchor_names.append(parts)
        for text in self._not_dates:
            phrase = self._phrase("stop", None, text, {}, {}, {}, None, "not_dates")
            for first, parts in self._first_words(text, {}):
                phrases.setdefault(first, []).append(phrase)
                anchor_names.append(parts)
        # Arabic writes "and", "in", "for" on the word: ورمضان, برمضان, لرمضان
        proclitic = ""
        if language in (None, "ar"):
            arabic_months = _trie(p for p in self._month_names if not "".join(p).isascii())
            proclitic = f"(?:[وفبل](?={arabic_months}))?"
        word = (
            f"{proclitic}(?P<kw>{_trie(anchor_names)})"
            rf"(?:\s*(?:{_trie(self._month_words)}))?{_LETTER_AFTER}"
        )
        # led by \W rather than a look-behind: a pattern that opens with a character class
        # lets the regex engine skip ahead, which makes this scan twice as fast
        return _Grammar(
            language, re.compile(r"\W" + word), re.compile(word),
            {key: (_any_of(group), tuple(group)) for key, group in phrases.items()},
        )

    def _section_phrases(self, section: str, explicit: bool) -> Iterator[tuple[str, list[str], _Phrase]]:
        body = self._relative[section]
        where = f"relative.{section}"
        numbers_raw = body.get("numbers") or {}
        if not isinstance(numbers_raw, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in numbers_raw.values()
        ):
            raise ConfigError(f"{self.name}: {where}.numbers maps number words to numbers")
        numbers = {"".join(_parts(k)): v for k, v in numbers_raw.items()}
        weekdays = dict(self.weekdays.get(section, {}))
        weekday_names = self._weekday_names.get(section, [])
        if not explicit:
            weekdays = {k: v for k, v in weekdays.items() if k not in self._everyday_weekdays}
            weekday_names = [p for p in weekday_names if "".join(p) not in self._everyday_weekdays]
        number_names = [_parts(k) for k in numbers_raw]
        names = {"{weekday}": weekday_names, "{n}": number_names}
        needs_language = {"".join(_parts(p)) for p in self._strings(body, "needs_language")}
        markers = self._strings(body, "future_markers")
        future = (
            re.compile(_LETTER_BEFORE + "(?:" + _trie(_parts(m) for m in markers) + ")" + _LETTER_AFTER)
            if markers else None
        )

        def entries(key: str, kind: str) -> Iterator[tuple[str, Any]]:
            value = body.get(key) or ({} if kind in ("day", "tense") else [])
            if kind in ("day", "tense"):
                if not isinstance(value, dict):
                    raise ConfigError(f"{self.name}: {where}.{key} maps phrases to days")
                yield from value.items()
            else:
                if not isinstance(value, list):
                    raise ConfigError(f"{self.name}: {where}.{key} is a list of phrases")
                for text in value:
                    yield text, None

        for key, kind in (("phrases", "day"), ("by_tense", "tense"), ("days_ago", "ago"),
                          ("on_weekday", "on"), ("last_weekday", "last"), ("not_dates", "stop")):
            for text, value in entries(key, kind):
                text = str(text)
                if not explicit and ("".join(_parts(text.replace("_", " "))) in needs_language or kind == "tense"):
                    continue
                if kind == "day" and (isinstance(value, bool) or not isinstance(value, int)):
                    raise ConfigError(f"{self.name}: {where}.phrases.{text}: days must be a whole number")
                if kind == "tense" and not (
                    isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
                ):
                    raise ConfigError(f"{self.name}: {where}.by_tense.{text}: [past days, future days]")
                if kind == "ago" and "{n}" not in text.split():
                    raise ConfigError(f"{self.name}: {where}.days_ago: {text!r} has no {{n}}")
                if kind in ("on", "last") and "{weekday}" not in text.split():
                    raise ConfigError(f"{self.name}: {where}: {text!r} has no {{weekday}}")
                phrase = self._phrase(kind, value, text, weekdays, numbers, names, future, where)
                for first, parts in self._first_words(text, names):
                    yield first, parts, phrase

    @staticmethod
    def _first_words(text: str, names: dict[str, list[list[str]]]) -> list[tuple[str, list[str]]]:
        """The anchor keys (and their name parts) a phrase can start with; "#" = digits."""
        first = text.split()[0]
        if first in names:
            extra = [("#", [])] if first == "{n}" else []
            return extra + [(_key("".join(p)), p) for p in names[first]]
        parts = _parts(first.replace("_", " "))
        return [("".join(parts), parts)]

    def _phrase(
        self, kind: str, value: Any, text: str, weekdays: dict[str, int], numbers: dict[str, int],
        names: dict[str, list[list[str]]], future: re.Pattern[str] | None, where: str,
    ) -> _Phrase:
        pieces = []
        for token in text.split():
            if token in ("{weekday}", "{n}") and token not in names:
                raise ConfigError(f"{self.name}: {where}: {text!r}: no {token} here")
            if token == "{weekday}":
                pieces.append(f"(?P<wd>{_trie(names['{weekday}'])})")
            elif token == "{n}":
                pieces.append(rf"(?P<n>{_NO_NUMBER_BEFORE}\d{{1,2}}(?!\d)|{_trie(names['{n}'])})")
            elif "{" in token or "}" in token:
                raise ConfigError(f"{self.name}: {where}: {text!r}: only {{weekday}} and {{n}} are placeholders")
            else:
                words = [_parts(w) for w in token.split("_") if w]
                if not words or not all(words):
                    raise ConfigError(f"{self.name}: {where}: {text!r} has an empty word")
                pieces.append(_NAME_SEP.join(re.escape("".join(w)) for w in words))
        if not pieces:
            raise ConfigError(f"{self.name}: {where}: empty phrase")
        regex = re.compile(_LETTER_BEFORE + r"\s+".join(pieces) + _LETTER_AFTER)
        return _Phrase(kind, value if kind != "tense" else tuple(value), regex, weekdays, numbers, future)

    # -- extraction ---------------------------------------------------------------------------

    def extract(self, text: str, published: date | None, language: str | None) -> list[DateMatch]:
        """``extract_dates`` with this lexicon; ``language`` is one of LANGUAGES or None."""
        grammar = self._grammar_for(language)
        tm = _TextMap(text)
        low = tm.low
        out: list[DateMatch] = []
        last = 0
        for start, word, digits in _anchors(grammar, low):
            if start < last:
                continue
            if word is None:
                forms = _DIGIT_FORMS.get(digits, ())
                phrases = grammar.phrases.get("#", _NONE) if digits <= 2 else _NONE
            else:
                key = word if word.isalpha() else _key(word)
                forms = self._forms_by_key.get(key, ())
                phrases = grammar.phrases.get(key, _NONE)
            best: _Found | None = None
            for form in forms:
                m = self._forms[form].match(low, start)
                if m is not None:
                    best = _better(best, self._absolute(form, m, tm, published, language, last))
            needed, candidates = phrases
            if needed is None or needed.match(low, start):
                for phrase in candidates:
                    m = phrase.regex.match(low, start)
                    if m is not None:
                        best = _better(best, self._relative_date(phrase, m, tm, published))
            if best is None:
                continue
            last = best.end
            if best.result is not None:
                calendar, iso, precision, relative = best.result
                s = tm.start(best.start)
                e = tm.end(best.start, best.end)
                out.append(DateMatch(text[s:e], calendar, iso, s, e, relative, precision))
        return out

    def _absolute(
        self, form: str, m: re.Match[str], tm: _TextMap, published: date | None,
        language: str | None, floor: int,
    ) -> _Found | None:
        wd = m.group("wd") if form != "year" and form != "ps" else None
        if wd is not None and not tm.capitalised(m.start("wd")):
            return None
        if form == "num":
            return self._numeric(m, published, language)
        if form == "year":
            return self._year_only(m, tm, published, language, floor)
        return self._named(form, m, tm, published, language, floor)

    def _genitive_start(self, tm: _TextMap, start: int, floor: int) -> int | None:
        g = self._genitive.search(tm.low, max(floor, start - 8), start)
        return g.start() if g is not None else None

    def _named(
        self, form: str, m: re.Match[str], tm: _TextMap, published: date | None,
        language: str | None, floor: int,
    ) -> _Found | None:
        month = self.months.get(_key(m.group("m")))
        if month is None:
            return None
        if month.latin and not tm.capitalised(m.start("m")):
            return None
        groups = m.groupdict()
        start, end = m.start(), m.end()
        genitive = False
        if form in ("mdy", "my", "ps") and not month.latin:
            before = self._genitive_start(tm, start, floor)
            if before is not None:
                start, genitive = before, True
        day_text = groups.get("d")
        ordinal = bool(groups.get("ord"))
        if groups.get("dw"):
            day_text, ordinal = str(self._day_words[_key(groups["dw"])]), True
        if form == "mdy" and not month.latin and not (genitive or ordinal):
            return None  # "بهمن ۱۹" is not how Persian, Arabic or Urdu write a date
        year_text = m.group("y")
        era = self.eras.get(_key(m.group("era"))) if m.group("era") else None
        year = int(year_text) if year_text else None
        if year is not None:
            if era == "before_era" or not _era_fits(era, month.calendar):
                return _Found(start, end, 2)
            low_year, high_year = self.year_range[month.calendar]
            if not low_year <= year <= high_year:
                if day_text is None or form == "ps":
                    return None
                end, year = m.end("dmend"), None  # a count after the date, not its year
        separator = (groups.get("msep") or "").replace("،", ",")
        year_evidence = year is not None and (month.latin or "," not in separator)
        evidence = year_evidence or ordinal or genitive or bool(groups.get("mw")) or bool(groups.get("wd"))
        if month.needs_evidence(language) and not evidence:
            return None
        day = int(day_text) if day_text else None
        if year is not None:
            found = _to_gregorian(month.calendar, year, month.number, day or 1)
        elif day is None:
            return None
        elif published is None:
            return _Found(start, end, 2)  # no year to give it
        else:
            found = _nearest(month.calendar, month.number, day, published)
        if found is None:
            return _Found(start, end, 2)  # a day the month does not have
        precision = "day" if day is not None else "month"
        return _Found(start, end, 2, (month.calendar, found.isoformat(), precision, False))

    def _calendar_of_year(
        self, year: int, era: str | None, language: str | None, published: date | None,
        month: int = 1, day: int = 1,
    ) -> str | None:
        def fits(calendar: str) -> bool:
            low_year, high_year = self.year_range.get(calendar, (0, -1))
            return low_year <= year <= high_year

        if era in CALENDARS:
            return era if fits(era) else None
        if era is None and fits("gregorian"):
            return "gregorian"
        candidates = [c for c in _HIJRI if fits(c)]
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        if language in ("ar", "ur"):
            return "lunar_hijri"
        if published is not None:
            distance = {}
            for calendar in candidates:
                found = _to_gregorian(calendar, year, month, day)
                if found is not None:
                    distance[calendar] = abs((found - published).days)
            if distance:
                return min(distance, key=lambda c: distance[c])
        # no publication date: the years in use now are ~1400 solar and ~1445 lunar
        return "solar_hijri" if year < 1425 else "lunar_hijri"

    def _year_only(
        self, m: re.Match[str], tm: _TextMap, published: date | None, language: str | None, floor: int,
    ) -> _Found | None:
        era = self.eras.get(_key(m.group("era"))) if m.group("era") else None
        start, end = m.start(), m.end()
        if era == "before_era":
            return _Found(start, end, 2)
        if not (era or m.group("yw") or m.group("kal")):
            return None
        if m.group("kal"):
            before = self._genitive_start(tm, start, floor)
            if before is not None:
                start = before
        year = int(m.group("y"))
        calendar = self._calendar_of_year(year, era, language, published)
        if calendar is None:
            return None
        found = _to_gregorian(calendar, year, 1, 1)
        if found is None:
            return None
        return _Found(start, end, 2, (calendar, found.isoformat(), "year", False))

    def _numeric(self, m: re.Match[str], published: date | None, language: str | None) -> _Found | None:
        era = self.eras.get(_key(m.group("era"))) if m.group("era") else None
        start, end = m.start(), m.end()
        if era == "before_era":
            return _Found(start, end, 2)
        if m.group("y1"):
            year, month, day = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
            calendar = self._calendar_of_year(year, era, language, published, month, day)
        else:
            year, first, second = int(m.group("y2")), int(m.group("d2")), int(m.group("m2"))
            calendar = self._calendar_of_year(year, era, language, published, min(second, 12), first)
            day, month = first, second
            if calendar == "gregorian" and second > 12 >= first:
                day, month = second, first  # 2/14/2024
            elif (calendar == "gregorian" and first != second and max(first, second) <= 12
                  and language not in _DAY_FIRST):
                # 08/02/2024 in English: February or August? Only a weekday can tell
                weekday = self._weekday_of.get(_key(m.group("wd") or ""))
                fits = [
                    (d, mo) for d, mo in ((first, second), (second, first))
                    if (found := _to_gregorian(calendar, year, mo, d)) and found.weekday() == weekday
                ]
                if len(fits) != 1:
                    return _Found(start, end, 2)
                day, month = fits[0]
        if calendar is None:
            return None
        found = _to_gregorian(calendar, year, month, day) if 1 <= month <= 12 else None
        if found is None:
            return _Found(start, end, 2)
        return _Found(start, end, 2, (calendar, found.isoformat(), "day", False))

    def _relative_date(
        self, phrase: _Phrase, m: re.Match[str], tm: _TextMap, published: date | None,
    ) -> _Found | None:
        start, end = m.start(), m.end()
        if phrase.kind == "stop":
            return _Found(start, end, 3)
        weekday: int | None = None
        if phrase.kind in ("on", "last"):
            if not tm.capitalised(m.start("wd")):
                return None
            weekday = phrase.weekdays.get(_key(m.group("wd")))
            if weekday is None:
                return None
        if published is None:
            return _Found(start, end, 1)
        if phrase.kind == "day":
            days = phrase.value
        elif phrase.kind == "tense":
            past, future = phrase.value
            days = future if self._future_tense(phrase, tm.low, end) else past
        elif phrase.kind == "ago":
            count = m.group("n")
            number = int(count) if count.isdigit() else phrase.numbers.get(_key(count))
            if not number:
                return None
            days = -number
        else:
            assert weekday is not None
            back = (published.weekday() - weekday) % 7
            if phrase.kind == "last" and back == 0:
                back = 7
            days = -back
        try:
            found = published + timedelta(days=days)
        except OverflowError:
            return _Found(start, end, 1)
        return _Found(start, end, 1, ("gregorian", found.isoformat(), "day", True))

    @staticmethod
    def _future_tense(phrase: _Phrase, low: str, end: int) -> bool:
        if phrase.future is None:
            return False
        stop = _SENTENCE_END.search(low, end, end + _MAX_TENSE_LOOKAHEAD)
        return phrase.future.search(low, end, stop.start() if stop else end + _MAX_TENSE_LOOKAHEAD) is not None


_DIGITS = re.compile(r"\d+")
# which forms can start at a run of so many digits: a day, or a year
_DIGIT_FORMS: dict[int, tuple[str, ...]] = {1: ("dmy", "num"), 2: ("dmy", "num"), 4: ("ps", "num", "year")}
_NONE: tuple[None, tuple[_Phrase, ...]] = (None, ())


def _any_of(phrases: list[_Phrase]) -> re.Pattern[str] | None:
    """One regex that matches where any of ``phrases`` does (None for a single phrase)."""
    if len(phrases) < 2:
        return None
    bodies = {re.sub(r"\(\?P<\w+>", "(?:", p.regex.pattern) for p in phrases}
    return re.compile("(?:" + "|".join(sorted(bodies)) + ")")


def _anchors(grammar: _Grammar, low: str) -> list[tuple[int, str | None, int]]:
    """Where a date can start: (position, date word or None, number of digits)."""
    found: list[tuple[int, str | None, int]] = [
        (m.start("kw"), m.group("kw"), 0) for m in grammar.words.finditer(low)
    ]
    first = grammar.first_word.match(low)
    if first is not None:
        found.append((first.start("kw"), first.group("kw"), 0))
    found += [(m.start(), None, m.end() - m.start()) for m in _DIGITS.finditer(low)]
    found.sort(key=lambda hit: hit[0])
    return found


def _era_fits(era: str | None, calendar: str) -> bool:
    return era is None or era == calendar or (era == "hijri" and calendar in _HIJRI)


def _better(best: _Found | None, found: _Found | None) -> _Found | None:
    if found is None:
        return best
    if best is None:
        return found
    if (found.end - found.start, found.priority) > (best.end - best.start, best.priority):
        return found
    return best


# --- loading ---------------------------------------------------------------------------------


def _merge(base: Any, extra: Any) -> Any:
    """An analyst's file adds to the packaged lexicon: lists are extended, mappings merged."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [v for v in extra if v not in base]
    return extra


def _read_yaml(source: Any, name: str) -> dict[str, Any]:
    return read_lexicon(source, name, "a date lexicon is a mapping (see the comments in dates.yaml)")


def load_lexicon(*extra: Path | str) -> DateLexicon:
    """The packaged date lexicon plus an analyst's additions in ``extra`` YAML files."""
    packaged = resources.files("rasad.extract").joinpath("lexicons", "dates.yaml")
    data = _read_yaml(packaged, "dates.yaml")
    names = ["dates.yaml"]
    for path in extra:
        data = _merge(data, _read_yaml(Path(path), str(path)))
        names.append(str(path))
    return DateLexicon(data, " + ".join(names))


@functools.cache
def _default_lexicon() -> DateLexicon:
    return load_lexicon()


def extract_dates(
    text: str,
    published: date | None = None,
    language: str | None = None,
    *,
    lexicon: DateLexicon | None = None,
) -> list[DateMatch]:
    """Every date mention in ``text``, in order, with offsets into ``text``.

    ``published`` (a date or datetime) resolves "yesterday", "on Wednesday" and a day and
    month without a year; without it those are left out. ``language`` ("en", "fa", "prs",
    "ps", "ar", "ur"; None when unknown) chooses the relative phrases, decides numeric
    dates such as 08/02/2024 (day first outside English) and whether a bare Hijri year is
    lunar. Never raises on any text.
    """
    if not isinstance(text, str) or not text:
        return []
    lex = lexicon if lexicon is not None else _default_lexicon()
    return lex.extract(text, _as_date(published), _language(language))
