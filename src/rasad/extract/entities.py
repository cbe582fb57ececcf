"""People and organisations the knowledge base does not know, found by their titles and roles.

News introduces a new commander, governor or spokesman with a title or a role next to the
name, in every language Rasad reads: "Mullah Abdul Hakim", "Taliban commander Qari Nasir",
"the governor of Helmand, Talib Akhund,", "سخنگوی پلیس هرات، محمود رسولی،", "مولوی عبدالرشید",
"الشيخ أبو محمد", "د ولایت والي، مولوي محمد قاسم،", "ترجمان، عبدالکریم شاہ،". The words
come from the speech lexicons (``lexicons/speech/<lang>.yaml``: ``roles``, ``titles``,
``organisations`` and the function-word lists), so an analyst who adds a role there
teaches both the statement extractor and this module.

Three patterns, all inside one clause:

- **title + name**: a title ("Mawlawi", "ملا", "الشيخ", "سردار") and the one to three
  name words after it (capitalised ones in English);
- **role, name,**: a clause holding a role word, a comma, then one to three name words
  closed by a comma or the end of the clause ("سفیر ایران در کابل، حسن کاظمی قمی،"), or in
  English "Name, the group's spokesman," the other way round;
- **role Name Name** (English): a role word followed by at least two capitalised words.

A name word is any word that is not a function word, verb, role, title, organisation
head or complement of the language. The caller resolves each find against the knowledge
base; what stays unknown is reported as written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rasad.extract.quotes import load_lexicon
from rasad.model import EntityMatch
from rasad.text.normalize import fold_letters
from rasad.yamldata import load_yaml

_WORD = re.compile(r"[^\s,،;؛:.!?؟()\[\]{}«»\"“”‹›]+(?:[.'’][^\s,،;؛:.!?؟()\[\]{}«»\"“”‹›]+)*")
_CLAUSE_END = re.compile(r"[;؛:!?؟()\[\]{}«»\"“”‹›\n]|[.۔](?=\s|$)")
_COMMA = re.compile(r"^\s*[,،]\s*$")
_NOT_NAME_KINDS = ("verb", "complementiser", "pronoun", "role", "title", "organisation", "complement",
                   "link", "statement", "anonymous", "stopword", "preposition", "determiner",
                   "outlet_type", "not_outlet", "adverbial", "relative", "conjunction", "clause_word",
                   "indefinite", "exclude")
MAX_NAME_WORDS = 3


LEXICON = Path(__file__).parent / "lexicons" / "entities.yaml"


@dataclass(frozen=True)
class _Words:
    naming: tuple[tuple[str, ...], ...]  # "عرف نفسه باسم", "identified himself as": a name follows
    heads: frozenset[str]  # organisation heads: "Front", "جبهه", "حركة"
    complements: frozenset[str]  # words that continue a name after a head: "افغانستان", "ایران"
    role: frozenset[str]
    title: frozenset[str]
    link: frozenset[str]
    particle: frozenset[str]
    not_name: frozenset[str]
    auxiliaries: frozenset[str]
    long_name: frozenset[str]
    latin: bool


@functools.cache
def _words(language: str) -> _Words | None:
    try:
        lexicon = load_lexicon(language)
    except Exception:  # a language without a speech lexicon: no patterns
        return None
    words = lexicon.words
    not_name = frozenset().union(*(words.get(kind, frozenset()) for kind in _NOT_NAME_KINDS))
    data = load_yaml(LEXICON.read_text(encoding="utf-8")) or {}
    latin = lexicon.latin

    def keys(items) -> frozenset[str]:
        return frozenset(_key(str(w)) for w in items or ())

    naming = tuple(tuple(_key(w) for w in str(phrase).split()) for phrase in (data.get("naming") or {}).get(language, [])
                   if "..." not in str(phrase))
    heads = keys((data.get("organisation_heads") or {}).get(language))
    return _Words(naming, heads, words.get("complement", frozenset()), words.get("role", frozenset()), words.get("title", frozenset()),
                  words.get("link", frozenset()), words.get("particle", frozenset()) | keys(["عبد", "ابو", "أبو"]),
                  not_name, keys((data.get(language) or {}).get("auxiliaries")),
                  keys(data.get("long_name_words")), latin)


_KEYS: dict[str, str] = {}  # word as written -> folded, lower-cased key; news repeats its words


def _key(word: str) -> str:
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) > 200_000:
            _KEYS.clear()
        key = _KEYS[word] = fold_letters(word).lower()
    return key


def find_titled_people(text: str, language: str) -> list[EntityMatch]:
    """People introduced by a title or a role, and organisations by their head word
    ("... Front", "جبهه ...", "حركة ..."), in text order, without overlaps."""
    if not text or not isinstance(text, str):
        return []
    code = "fa" if language in ("prs", "fa-AF") else language
    lexicon = _words(code)
    if lexicon is None:
        return []
    found: list[EntityMatch] = []
    clause_start = 0
    for end_match in [*_CLAUSE_END.finditer(text), None]:
        clause_end = end_match.start() if end_match else len(text)
        if clause_end > clause_start:
            found.extend(_in_clause(text, clause_start, clause_end, lexicon))
        clause_start = end_match.end() if end_match else len(text)
    found.sort(key=lambda e: (e.start, e.end))
    kept: list[EntityMatch] = []
    for entity in found:
        if kept and entity.start < kept[-1].end:
            continue
        kept.append(entity)
    return kept


def _in_clause(text: str, start: int, end: int, lx: _Words) -> list[EntityMatch]:
    tokens = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    if not tokens:
        return []
    keys = [_key(text[a:b]) for a, b in tokens]
    out: list[EntityMatch] = []
    i = 0
    while i < len(tokens):
        key = keys[i]
        named = next((len(p) for p in lx.naming if tuple(keys[i:i + len(p)]) == p), 0)
        if named:
            j = i + named
            while j < len(tokens) and keys[j] in lx.title and _adjacent(text, tokens[j - 1], tokens[j]):
                j += 1
            n = _name_run(text, tokens, keys, j, lx)
            if n:
                start = tokens[i + named][0]  # titles after the phrase stay with the name
                out.append(_person(text, start, tokens[j + n - 1][1], ""))
                i = j + n
                continue
        if key in lx.heads:
            span = _organisation(text, tokens, keys, i, lx)
            if span is not None:
                a, b, last = span
                out.append(EntityMatch(text[a:b], text[a:b], "organization", a, b, None, ""))
                i = last + 1
                continue
        if key in lx.title:
            j = i + 1
            while j < len(tokens) and keys[j] in lx.title and _adjacent(text, tokens[j - 1], tokens[j]):
                j += 1  # titles chain: "حجت‌الاسلام سید", "Mullah Haji"
            n = _name_run(text, tokens, keys, j, lx)
            if n:
                first = _role_start(text, tokens, keys, i, lx)
                role = text[tokens[first][0]:tokens[i][0]].strip(" ,،") if first < i else ""
                # the title stays in the mention, the name without it is the canonical form
                out.append(_person(text, tokens[i][0], tokens[j + n - 1][1], role, tokens[j][0]))
                i = j + n
                continue
        if key in lx.role:
            m = _role_end(text, tokens, keys, i, lx)
            if m < len(tokens) and _comma_between(text, tokens[m - 1], tokens[m]):
                n = _name_run(text, tokens, keys, m, lx)
                closes = m + n == len(tokens) or _comma_between(text, tokens[m + n - 1], tokens[m + n])
                if n and closes:
                    first = _role_start(text, tokens, keys, i, lx)
                    role = text[tokens[first][0]:tokens[m - 1][1]]
                    out.append(_person(text, tokens[m][0], tokens[m + n - 1][1], role))
                    i = m + n
                    continue
            elif lx.latin and m < len(tokens) and _adjacent(text, tokens[m - 1], tokens[m]):
                n = _name_run(text, tokens, keys, m, lx)
                if n >= 2:
                    first = _role_start(text, tokens, keys, i, lx)
                    role = text[tokens[first][0]:tokens[m - 1][1]]
                    out.append(_person(text, tokens[m][0], tokens[m + n - 1][1], role))
                    i = m + n
                    continue
        if lx.latin and i + 2 < len(tokens) and key in ("the", "a", "an") and i > 0 \
                and _comma_between(text, tokens[i - 1], tokens[i]):
            out.extend(_latin_apposition(text, tokens, keys, i, lx))
        i += 1
    return out


def _latin_apposition(text, tokens, keys, i, lx) -> list[EntityMatch]:
    """"Name Name, the group's spokesman," : a capitalised name before a comma and a role."""
    j = i + 1
    while j < len(tokens) and j <= i + 6 and keys[j] not in lx.role:
        j += 1
    if j >= len(tokens) or keys[j] not in lx.role:
        return []
    k = i - 1
    count = 0
    while k >= 0 and count < MAX_NAME_WORDS + 1 and _is_name(text, tokens[k], keys[k], lx):
        count += 1
        k -= 1
    if count < 2 or (k >= 0 and _adjacent(text, tokens[k], tokens[k + 1]) and text[tokens[k][0]].isupper()):
        return []
    role_end = _role_end(text, tokens, keys, j, lx)
    return [_person(text, tokens[k + 1][0], tokens[i - 1][1], text[tokens[i][0]:tokens[role_end - 1][1]])]


def _organisation(text: str, tokens, keys, i: int, lx: _Words) -> tuple[int, int, int] | None:
    """(start, end, last token) of an organisation's name around the head at token i."""
    if lx.latin:
        if not text[tokens[i][0]].isupper():
            return None
        first = i
        while first > 0 and i - first < 4 and _adjacent(text, tokens[first - 1], tokens[first]) and \
                text[tokens[first - 1][0]].isupper() and keys[first - 1] not in lx.not_name:
            first -= 1
        last = i
        # "Army of Justice", "Council of Ulema": the name may go on after "of"
        if last + 2 < len(tokens) and keys[last + 1] == "of" and text[tokens[last + 2][0]].isupper() and \
                _adjacent(text, tokens[last], tokens[last + 1]):
            last += 2
        if first == i and last == i:
            return None

        return tokens[first][0], tokens[last][1], last
    n = 0
    while i + 1 + n < len(tokens) and n < MAX_NAME_WORDS and _adjacent(text, tokens[i + n], tokens[i + 1 + n]) \
            and (_is_name(text, tokens[i + 1 + n], keys[i + 1 + n], lx) or keys[i + 1 + n] in lx.complements):
        n += 1
    if n == MAX_NAME_WORDS and not (keys[i + n].startswith("ال") or keys[i + n] in lx.complements):
        n -= 1  # "حركة المجاهدين الأحرار مسؤوليتها": the third word is the clause's, not the name's
    if n and i + 1 + n < len(tokens) and _adjacent(text, tokens[i + n], tokens[i + 1 + n]) and \
            keys[i + 1 + n] in lx.auxiliaries:
        n -= 1
    if not n:
        return None
    return tokens[i][0], tokens[i + n][1], i + n


def _person(text: str, start: int, end: int, role: str, name_start: int | None = None) -> EntityMatch:
    return EntityMatch(text[start:end], text[name_start if name_start is not None else start:end], "person",
                       start, end, None, role.strip())


def _adjacent(text: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    return not text[left[1]:right[0]].strip()


def _comma_between(text: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    return bool(_COMMA.match(text[left[1]:right[0]]))


def _is_name(text: str, span: tuple[int, int], key: str, lx: _Words) -> bool:
    word = text[span[0]:span[1]]
    if key in lx.not_name or any(ch.isdigit() for ch in word):
        return False
    if lx.latin:
        return word[:1].isupper() or key in lx.particle
    return any(ch.isalpha() for ch in word)


def _name_run(text: str, tokens, keys, j: int, lx: _Words) -> int:
    """How many name words start at token j (0 when none), in one run without punctuation."""
    n = 0
    limit = MAX_NAME_WORDS + 1 if lx.latin else MAX_NAME_WORDS
    while j + n < len(tokens) and n < limit and _is_name(text, tokens[j + n], keys[j + n], lx):
        if n and not _adjacent(text, tokens[j + n - 1], tokens[j + n]):
            break
        n += 1
    if lx.latin:
        while n and keys[j + n - 1] in lx.particle:  # "bin" at the end is not a name
            n -= 1
        if n and not text[tokens[j][0]].isupper():
            return 0
        return n
    closed = j + n == len(tokens) or not _adjacent(text, tokens[j + n - 1], tokens[j + n])
    if n == 3 and not closed and not (keys[j] in lx.particle or keys[j + 1] in lx.particle
                                      or keys[j + 2] in lx.long_name or keys[j + 2].startswith("ال")):
        n = 2
    if n > 1 and not closed and keys[j + n] in lx.auxiliaries:
        n -= 1  # "مولوی عبدالرشید بازداشت شد": the last word belongs to the verb
    return n


def _role_end(text: str, tokens, keys, i: int, lx: _Words) -> int:
    """The token after a role phrase: the role word and what complements it, in one run."""
    j = i + 1
    while j < len(tokens) and j - i <= 6 and _adjacent(text, tokens[j - 1], tokens[j]):
        if not lx.latin and keys[j] not in lx.title:
            j += 1  # "سخنگوی پلیس هرات، ...": a role phrase runs to its comma
        elif keys[j] in lx.not_name and keys[j] not in lx.title:
            j += 1
        elif lx.latin and keys[j - 1] in lx.link and text[tokens[j][0]].isupper():
            j += 1  # "the governor of Helmand, ..."
        else:
            break
    return j


def _role_start(text: str, tokens, keys, i: int, lx: _Words) -> int:
    """The first token of the role phrase ending at token i (modifiers before the role word)."""
    k = i
    while k > 0 and i - k < 4 and _adjacent(text, tokens[k - 1], tokens[k]) and \
            (keys[k - 1] in lx.role or (lx.latin and text[tokens[k - 1][0]].isupper()
                                        and keys[k - 1] not in lx.title)):
        k -= 1
    return k
