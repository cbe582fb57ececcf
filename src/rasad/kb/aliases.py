"""Proposing new aliases from clarifications that name one thing two ways.

Translators write "the Emirate [i.e., the Taliban government]"; reporters write "ISKP,
also known as ISIS-K", "داعش خراسان یعنی ولایت خراسان", "تنظيم الدولة المعروف بداعش",
"ملا محمد عمر جسے ملا عمر بھی کہا جاتا ہے". Each such clarification proposes Y as another
name of X. The proposals are for an analyst to accept: nothing here changes the
knowledge base.

The cues and the stop words live in ``data/clarifications.yaml``. X and Y are kept to
names: one to six words, inside one clause, not starting or ending with a stop word
(function words, verbs of saying, role nouns such as "spokesman" / "سخنگوی" / "الناطق").
Going left from the cue, X stops at punctuation and at a stop word; in English it is the
phrase from the nearest determiner ("the Emirate") or, failing that, the run of
capitalised words ("Islamic State Khorasan Province"). Going right, an unbracketed Y
stops at punctuation and at a stop word, and in English at the first lower-case word that
is not a name particle ("ISIS-K claimed the attack" gives "ISIS-K"). A bracketed Y is the
whole bracket, if it is short enough to be a name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from rasad.kb.starter import load_rules
from rasad.text.normalize import fold_letters, normalize
from rasad.text.script import dominant_script

__all__ = ["MAX_WORDS", "LearnedAlias", "learn_aliases"]

MAX_WORDS = 6
# An unbracketed Arabic-script Y has no capital letters to end it; past this many words
# it runs into the verb of the sentence more often than it names anything.
_MAX_UNBRACKETED_ARABIC = 4

_DETERMINERS = frozenset(["the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "a", "an"])
# lower-case words that may stand inside an English-written name
_PARTICLES = frozenset(["of", "al", "el", "ul", "ud", "ur", "ad", "bin", "ibn", "bint", "abu", "e", "i",
                        "wa", "wal", "de", "du", "ka", "ki", "al-", "ul-"])
# characters that end a clause: X never reaches back past one, Y never forward past one
_CLAUSE_END = re.compile(r"[,،;؛!?؟\n()\[\]{}«»\"“”]|[.:۔](?=\s|$)")
_QUOTES = "\"'«»“”‘’`"
_MARKS = "[\u064b-\u065f\u0670\u0640\u200c\u200d]*"  # what may sit between letters of a cue


@dataclass(frozen=True)
class LearnedAlias:
    name: str  # X, as written in the text
    alias: str  # Y, proposed as another name of X
    evidence: str  # text[start:end]: X, the cue and Y
    start: int
    end: int


@dataclass(frozen=True)
class _Cue:
    form: str  # bracket, inline, wrap
    pattern: re.Pattern[str]
    length: int  # characters of the cue, to try longer cues first
    anchor: str  # the cue's longest word, folded: a text without it cannot match


def _anchor(*parts: str) -> str:
    """The longest word of the cue (and of its closing words), dots dropped ("i.e." -> "ie")."""
    words = [w for part in parts for w in re.split(r"[\s\u0640]+", fold_letters(part).lower().replace(".", "")) if w]
    return max(words, key=len) if words else ""


_ANCHOR_WORD = re.compile(r"\w+")


@functools.cache
def _letter_classes() -> dict[str, str]:
    """Arabic-script letter -> regex class of every letter the normaliser folds with it."""
    groups: dict[str, list[str]] = {}
    for cp in list(range(0x0620, 0x06D4)) + list(range(0x0750, 0x0780)):
        ch = chr(cp)
        if not unicodedata.category(ch).startswith("L"):
            continue
        folded = fold_letters(ch)
        if len(folded) == 1:
            groups.setdefault(folded, []).append(ch)
    return {ch: "[" + "".join(sorted(set(members))) + "]" for members in groups.values() for ch in members}


def _cue_regex(cue: str) -> str:
    classes = _letter_classes()
    out = []
    for ch in cue:
        if ch.isspace():
            out.append(r"[\s\u200c]+")
        elif ch == "\u200c":
            out.append(r"[\s\u200c]*")
        elif ch == ".":
            out.append(r"\.?")
        elif ch == "\u0640":
            out.append("\u0640*")
        elif ch in classes:
            out.append(classes[ch] + _MARKS)
        else:
            out.append(re.escape(ch))
    return "".join(out)


@functools.cache
def _rules() -> tuple[tuple[_Cue, ...], frozenset[str]]:
    data = load_rules("clarifications.yaml")
    cues: dict[str, _Cue] = {}
    for entries in (data.get("cues") or {}).values():
        for entry in entries:
            cue, form = str(entry["cue"]), entry.get("form", "inline")
            body = _cue_regex(cue)
            before = r"(?<!\w)"
            after = r"\u0640*\s*" if entry.get("attached") else r"(?!\w)[\s,،:]*"
            if form == "bracket":
                pattern = rf"[(\[]\s*{before}{body}{after}"
            elif form == "wrap":
                close = _cue_regex(str(entry["close"]))
                pattern = rf"(?:[,،]\s*)?{before}{body}\s+(?P<y>[^\n()\[\]]{{1,120}}?)\s+{close}(?!\w)"
            elif entry.get("comma"):
                pattern = rf"[,،]\s*{before}{body}{after}"
            else:
                pattern = rf"(?:[,،]\s*)?{before}{body}{after}"
            anchor = _anchor(cue, str(entry.get("close", "")))
            cues.setdefault(pattern, _Cue(form, re.compile(pattern, re.IGNORECASE), len(cue), anchor))
    stops = {normalize(str(w)) for ws in (data.get("stop_words") or {}).values() for w in ws}
    stops.discard("")
    return tuple(sorted(cues.values(), key=lambda c: -c.length)), frozenset(stops)


def _words(text: str, offset: int) -> list[tuple[str, int, int]]:
    out = []
    for m in re.finditer(r"\S+", text):
        word = m.group().strip(_QUOTES)
        if not word:
            continue
        lead = len(m.group()) - len(m.group().lstrip(_QUOTES))
        start = offset + m.start() + lead
        out.append((word, start, start + len(word)))
    return out


def _is_stop(word: str, stops: frozenset[str]) -> bool:
    return normalize(word) in stops


def _is_capitalised(word: str) -> bool:
    """A word that can stand in an English-written name: "Khorasan", "ISIS-K", "al-Mu'minin"."""
    if word[:1].isupper() or word[:1].isdigit():
        return True
    head, dash, rest = word.partition("-")
    return bool(dash) and head.lower() in _PARTICLES and rest[:1].isupper()


def _name_before(text: str, pos: int, stops: frozenset[str]) -> list[tuple[str, int, int]]:
    """The words of X, which ends where the cue (or its comma or bracket) begins.

    A bracket right before the cue is stepped over: in "Islamic State Khorasan Province
    (ISKP), also known as ISIS-K" X is the name before "(ISKP)".
    """
    stripped = text[:pos].rstrip()
    if stripped.endswith((")", "]")):
        opener = stripped.rfind("(" if stripped.endswith(")") else "[")
        if opener >= 0 and pos - opener <= 40:
            pos = opener
    window_start = 0
    for m in _CLAUSE_END.finditer(text, 0, pos):
        window_start = m.end()
    words = _words(text[window_start:pos], window_start)[-12:]
    if not words:
        return []
    if dominant_script(" ".join(w for w, _, _ in words)) == "Arab":
        picked: list[tuple[str, int, int]] = []
        for word in reversed(words):
            if _is_stop(word[0], stops) or len(picked) == MAX_WORDS:
                break
            picked.insert(0, word)
        return picked
    tail = words[-MAX_WORDS:]
    for i in range(len(tail) - 1, -1, -1):
        if tail[i][0].lower() in _DETERMINERS:
            return tail[i:] if i < len(tail) - 1 else []
    picked = []
    for word in reversed(tail):
        if _is_capitalised(word[0]) or (picked and word[0].lower() in _PARTICLES):
            picked.insert(0, word)
        else:
            break
    while picked and picked[0][0].lower() in _PARTICLES:
        picked.pop(0)
    if not picked and not _is_stop(tail[-1][0], stops):
        picked = [tail[-1]]
    return picked


def _name_after(text: str, pos: int, stops: frozenset[str]) -> list[tuple[str, int, int]]:
    """The words of an unbracketed Y, which begins where the cue ends."""
    m = _CLAUSE_END.search(text, pos)
    words = _words(text[pos:m.start() if m else len(text)], pos)
    if not words:
        return []
    if dominant_script(" ".join(w for w, _, _ in words[:MAX_WORDS])) == "Arab":
        picked = []
        for word in words:
            if _is_stop(word[0], stops) or len(picked) == _MAX_UNBRACKETED_ARABIC:
                break
            picked.append(word)
        return picked
    picked = []
    for index, word in enumerate(words):
        lower = word[0].lower()
        if index == 0 and lower in _DETERMINERS:
            picked.append(word)
        elif _is_capitalised(word[0]) or (picked and lower in _PARTICLES):
            picked.append(word)
        else:
            break
    while picked and (picked[-1][0].lower() in _PARTICLES or picked[-1][0].lower() in _DETERMINERS):
        picked.pop()
    return picked


def _span_text(text: str, words: list[tuple[str, int, int]]) -> str:
    return text[words[0][1]:words[-1][2]].strip(" ,،:.;")


def _plausible(words: list[tuple[str, int, int]], stops: frozenset[str]) -> bool:
    if not words or len(words) > MAX_WORDS:
        return False
    first, last = words[0][0], words[-1][0]
    if _is_stop(last, stops) or (_is_stop(first, stops) and first.lower() not in _DETERMINERS):
        return False
    return any(ch.isalpha() for w, _, _ in words for ch in w)


def learn_aliases(text: str) -> list[LearnedAlias]:
    """Clarifications in ``text`` as (X, Y) proposals, in text order, each once."""
    if not text:
        return []
    cues, stops = _rules()
    # to skip, cheaply, the cues a text cannot contain: each needs its anchor as a word
    words = set(_ANCHOR_WORD.findall(fold_letters(text).lower().replace(".", "")))
    brackets = "(" in text or "[" in text
    found: dict[tuple[int, int], LearnedAlias] = {}
    used: list[tuple[int, int]] = []
    for cue in cues:
        if cue.anchor not in words or (cue.form == "bracket" and not brackets):
            continue
        for m in cue.pattern.finditer(text):
            if any(m.start() < u_end and u_start < m.end() for u_start, u_end in used):
                continue
            x_words = _name_before(text, m.start(), stops)
            if cue.form == "bracket":
                opener = text[m.start()]
                closer = ")" if opener == "(" else "]"
                close = text.find(closer, m.end())
                inner = text[m.end():close] if close >= 0 else ""
                if close < 0 or close - m.end() > 120 or any(c in inner for c in "()[]\n"):
                    continue
                y_words = _words(inner, m.end())
                end = close + 1
            elif cue.form == "wrap":
                y_words = _words(m.group("y"), m.start("y"))
                end = m.end()
            else:
                y_words = _name_after(text, m.end(), stops)
                end = y_words[-1][2] if y_words else m.end()
            if not (_plausible(x_words, stops) and _plausible(y_words, stops)):
                continue
            name, alias = _span_text(text, x_words), _span_text(text, y_words)
            if not name or not alias or normalize(name) == normalize(alias):
                continue
            start = x_words[0][1]
            used.append((m.start(), m.end()))
            found.setdefault((start, end), LearnedAlias(name, alias, text[start:end], start, end))
    return sorted(found.values(), key=lambda a: (a.start, a.end))
