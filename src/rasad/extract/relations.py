"""Relations between actors: who criticises, praises, threatens, supports, allies with,
appeals to, denies or declines to comment on whom.

An analyst's "Context and reactions" paragraph is built from sentences such as "Mujahid
said Pakistan's claims were baseless", «ایران حمله اسرائیل به لبنان را محکوم کرد»,
"پاکستان د طالبانو غندنه وکړه", "وأدانت حماس ..." or "پاکستان نے ... کی مذمت کی". Each has
a cue (a verb, or a noun with its light verb), a subject and an object; the subject is
often a speaker quoted around it. This module finds the cues with one Aho-Corasick pass
over the document's normalised words and reads the two actors off the word order and the
small words around the names, with rules kept deliberately simple and visible:

- Cues and every word class the rules consult live in ``lexicons/relations/<lang>.yaml``
  (format in the README there): relation cues per type, light verbs (active, passive,
  negated), negations, complementisers and speech verbs (which open a reported clause),
  pronouns, conjunctions, role words, and markers: adpositions that make a name a target
  ("against", را, پر, على, کی), an agent ("by", توسط, له خوا, من قبل, کی جانب سے), a
  subject (Urdu نے), a setting (in, در, په ... کې, في, میں) or, next to an attack word, a
  victim ("attack on", حمله به, الهجوم على). Named settings and victims are never actors
  of a relation: condemning "the attack on Lebanon" criticises the attacker, not Lebanon;
  nor is an outlet that only reports ("according to X", "به گزارش X", "X کے مطابق").
- Only the actors the caller found (``entities``, with offsets) and the speakers of its
  ``statements`` take part; a relation of an actor with itself is never produced.
- The subject is the first unmarked name of the cue's clause (after a complementiser, a
  speech verb, a quotation mark or the previous cue), read as a noun phrase: "Taliban
  spokesman Zabihullah Mujahid" and "ذبیح‌الله مجاهد، سخنگوی طالبان،" give Mujahid; "Iran
  and Pakistan" gives both. Arabic verb-first clauses take the first name after the verb.
  A cue in a quotation or reported clause with no subject of its own (or a pronoun: "we",
  ما, موږ, إنه, ہم) belongs to the statement's speaker, else to the subject of the clause
  that reports it, else to the last source of the paragraph. A passive with an agent ("was
  condemned by", "توسط ... محکوم شد") swaps the two.
- The target is the nearest eligible name after the cue (English, Arabic) or between the
  subject and the cue (Persian, Pashto, Urdu), unless the cue says otherwise
  (``target: before|after|either``; "Pakistan's claims were baseless").
- A negation next to the cue, or a negated light verb ("انتقاد نکرد", "غندنه یې ونه کړه",
  "مذمت نہیں کی", "لم ينتقد", "did not criticise") cancels it; so does standing in what a
  denial denies or an appeal asks for ("denied that it had armed X", "urged X to stop
  supporting Y").
- Document level: an opinion piece (title and body) whose author's own sentences attack
  the most-mentioned state or group yields one low-confidence "AUTHOR/OUTLET criticize
  TARGET". Reported speech never counts, so a news report of someone's criticism does not
  become the outlet's.

Everything is pure and fast: one automaton per language (built once), one pass over the
text, and work per cue bounded by the names of its sentence.
"""

from __future__ import annotations

import functools
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from rasad.errors import ConfigError
from rasad.extract.lexicon import cue_entries, cue_patterns
from rasad.extract.sentences import find_quotes, split_paragraphs, split_sentences
from rasad.model import EntityMatch, RelationMatch, StatementMatch
from rasad.text.normalize import fold_letters, normalize
from rasad.yamldata import read_lexicon

__all__ = ["LANGUAGES", "RELATION_TYPES", "RelationLexicon", "extract_relations", "load_lexicon"]

log = logging.getLogger(__name__)

# The relation types of the analysis contract (ARCHITECTURE.md): extend, never rename.
RELATION_TYPES = ("criticize", "praise", "threaten", "support", "ally", "appeal", "deny", "refuse_comment")
LANGUAGES = ("en", "fa", "ps", "ar", "ur")  # one lexicon each; Dari (prs) uses fa
_LANGUAGE_ALIASES = {
    "prs": "fa", "fas": "fa", "per": "fa", "pes": "fa",
    "pus": "ps", "pbt": "ps", "pbu": "ps", "pst": "ps",
    "ara": "ar", "arb": "ar",
    "urd": "ur",
    "eng": "en",
}
_ACTOR_KINDS = frozenset({"person", "organization", "outlet", "state", "place", "group"})
_OPINION_TARGET_KINDS = frozenset({"state", "group", "organization"})

# --- confidence ---------------------------------------------------------------------------
_DEFAULT_WEIGHT = 0.8
_NEAR = 3  # an actor at most this many words from its cue counts as adjacent
_DISTANCE_STEP = 0.03  # confidence lost per word beyond _NEAR (source and target together)
_DISTANCE_FLOOR = 0.6
_SPEAKER_FACTOR = 0.9  # the source is the speaker of the quotation the cue stands in
_INFERRED_FACTOR = 0.75  # ... the reporting clause's subject or the paragraph's last source
_OTHER_SIDE_FACTOR = 0.85  # the target stood on the cue's less usual side
_OPINION_CONFIDENCE = 0.35  # document level; plus _OPINION_STEP per further aimed sentence
_OPINION_STEP = 0.05
_OPINION_MAX = 0.5

# --- document level: how much an opinion piece must say before it counts ------------------
_OPINION_MIN_CUES = 3  # criticism cues in the title and the author's own sentences
_OPINION_MIN_SENTENCES = 2  # body sentences with a cue that name the target
_BYLINE_CHARS = 60  # a first or last paragraph this short naming an outlet is a byline

_VICTIM_REACH = 4  # an attack word this many words from a name makes a victim marker count
_AGENT_REACH = 6  # an agent marker makes an active-looking cue passive within this many words
_OWNER_REACH = 4  # "Pakistan's claims were baseless": the owner stands this close before the word
_MAX_HEADS = 4  # coordinated names ("Iran, Russia and China") taken at most
_WORD = re.compile("[\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+")
_ZWNJ = "\u200c"
_KEY_CACHE: dict[str, str] = {}

# --- lexicon ------------------------------------------------------------------------------
_LIST_KINDS = {  # section -> kind of its entries
    "negation": "negation",
    "complementisers": "complementiser",
    "clause_breaks": "break",
    "speech_verbs": "speech",
    "pronouns": "pronoun",
    "conjunctions": "conjunction",
    "roles": "role",
    "determiners": "determiner",
    "preludes": "prelude",
    "auxiliaries": "auxiliary",
    "attack_nouns": "attack",
    "heads": "head",
    "passive_aux": "passive_aux",
    "reporting": "reporting",
    "criticism": "criticism",
    "exclude": "exclude",
}
_LIGHT_VOICES = ("active", "passive", "negated")
_MARKER_ROLES = ("target", "possessor", "agent", "subject", "setting", "victim")
_TOP_KEYS = frozenset({"language", "order", "genitive", "prefixes", "suffixes", "negation_window", "light_gap",
                       "relations", "light_verbs", "markers", "attached_markers", *_LIST_KINDS})
_ENTRY_KEYS = frozenset({"cue", "weight", "light", "passive", "target", "source", "marked", "requires",
                         "exact", "participle", "mutual", "dialect", "unless", "note"})
_ORDERS = ("svo", "sov", "vso")
_SIDES = ("before", "after", "either")
# kinds whose last word takes the language's suffixes, and kinds that take no clitic prefix
_SUFFIXED = frozenset({"relation", "criticism", "attack", "head", "role", "determiner"})
_UNPREFIXED = frozenset({"marker", "determiner", "conjunction", "light"})
# kinds that compete for their words: a longer one hides a shorter one inside it
_STRUCTURAL = frozenset({"relation", "negation", "complementiser", "break", "speech", "pronoun", "conjunction",
                         "auxiliary",
                         "role", "determiner", "prelude", "marker", "passive_aux", "exclude"})


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # relation, light, negation, marker, ... (see _LIST_KINDS)
    label: str  # relation type; light verb voice; "role:pre|post" for a marker; "" otherwise
    text: str  # as written in the lexicon
    weight: float = _DEFAULT_WEIGHT
    light: bool = False  # a noun that is a verb only with a light verb after it
    passive: bool = False  # the cue is itself passive ("مورد انتقاد قرار گرفت")
    target: str = ""  # before, after, either; "" = the language's order decides
    source: str = "subject"  # subject, or speaker: whoever says the sentence ("baseless")
    marked: bool = False  # the target must carry a target marker ("از X خواست")
    requires: tuple[str, ...] = ()  # padded keys; one must occur in the sentence
    exact: bool = False  # no prefixes or suffixes added
    participle: bool = False  # "داعياً", "محذراً": the sentence's subject is its subject
    mutual: bool = False  # "cooperation between X and Y": the two names after it are allies


class RelationLexicon:
    """One language's relation vocabulary, compiled into one automaton. See ``load_lexicon``."""

    def __init__(self, language: str, entries: list[_Entry], settings: dict[str, Any]) -> None:
        self.language = language
        self.order: str = settings.get("order", "svo")
        self.negation_before, self.negation_after = settings.get("negation_window", (3, 0))
        self.light_gap: int = settings.get("light_gap", 3)
        self.head_first: bool = settings.get("genitive", "head_last") == "head_first"
        self.attached_markers: frozenset[str] = frozenset(settings.get("attached_markers", ()))
        prefixes: list[str] = settings.get("prefixes", [])
        suffixes: list[str] = settings.get("suffixes", [])
        patterns: dict[str, list[tuple[_Entry, int]]] = {}
        for entry in entries:
            for pattern, prefix_len in _patterns(entry, prefixes, suffixes):
                owners = patterns.setdefault(pattern, [])
                if (entry, prefix_len) not in owners:
                    owners.append((entry, prefix_len))
        automaton = ahocorasick.Automaton()
        for pattern, owners in patterns.items():
            automaton.add_word(pattern, (len(pattern), not pattern.endswith(" "), tuple(owners)))
        if patterns:
            automaton.make_automaton()
        self._automaton = automaton if patterns else None
        self.cue_count = sum(1 for e in entries if e.kind == "relation")
        self.type_counts = {t: sum(1 for e in entries if e.kind == "relation" and e.label == t)
                            for t in RELATION_TYPES}
        self.entry_count = len(entries)
        self.pattern_count = len(patterns)

    def __repr__(self) -> str:
        return (f"<RelationLexicon {self.language}: {self.cue_count} relation cues, "
                f"{self.entry_count} entries, {self.pattern_count} patterns>")

    def hits(self, key: str) -> Iterator[tuple[int, int, bool, _Entry, int]]:
        """(start, last, open end, entry, prefix length) of every entry in a space-padded key.

        ``start`` is the first character of the match, ``last`` its last character.
        """
        if self._automaton is None:
            return
        for last, (length, open_end, owners) in self._automaton.iter(key):
            start = last - length + 2  # after the leading space
            end_char = last if open_end else last - 1
            for entry, prefix_len in owners:
                yield start, end_char, open_end, entry, prefix_len


def _patterns(entry: _Entry, prefixes: list[str], suffixes: list[str]) -> Iterator[tuple[str, int]]:
    """Every spelling of an entry (``extract.lexicon.cue_patterns``); suffixes and prefixes only
    for the kinds that take them, none for an ``exact`` entry."""
    return cue_patterns(entry.text, prefixes, suffixes,
                        use_suffixes=entry.kind in _SUFFIXED and not entry.exact,
                        use_prefixes=entry.kind not in _UNPREFIXED and not entry.exact)


def _lexicon_path(language: str) -> Any:
    return resources.files("rasad.extract").joinpath("lexicons", "relations", f"{language}.yaml")


def _read_yaml(source: Any, name: str) -> dict[str, Any]:
    return read_lexicon(source, name, "a relation lexicon is a mapping (see lexicons/relations/README.md)", _TOP_KEYS)


def _items(value: Any, where: str) -> list[dict[str, Any]]:
    """The entries of one list section, checked; plain strings become ``{"cue": ...}``."""
    out = []
    for place, text, item, weight in cue_entries(value, where, _ENTRY_KEYS, _DEFAULT_WEIGHT):
        for flag in ("light", "passive", "marked", "exact", "participle", "mutual"):
            if not isinstance(item.get(flag, False), bool):
                raise ConfigError(f"{place} ({text}): {flag} is true or false")
        if item.get("target", "") not in ("", *_SIDES):
            raise ConfigError(f"{place} ({text}): target must be one of {', '.join(_SIDES)}")
        if item.get("source", "subject") not in ("subject", "speaker"):
            raise ConfigError(f"{place} ({text}): source must be subject or speaker")
        for key in ("unless", "requires"):
            phrases = item.get(key, [])
            if not isinstance(phrases, list) or not all(isinstance(v, str) and normalize(v) for v in phrases):
                raise ConfigError(f"{place} ({text}): {key} is a list of phrases")
        out.append({**item, "cue": text, "weight": weight})
    return out


def _requires(phrases: list[str]) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for phrase in phrases:
        for form in (phrase.replace("_", "").replace(_ZWNJ, ""), phrase.replace("_", " ").replace(_ZWNJ, " ")):
            key = normalize(form)
            if key:
                keys[" " + key] = None
    return tuple(keys)


def _entries_of(data: dict[str, Any], name: str) -> list[_Entry]:
    entries: list[_Entry] = []

    def plain(kind: str, label: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            entries.append(_Entry(kind=kind, label=label, text=item["cue"], weight=item["weight"]))

    relations = data.get("relations") or {}
    if not isinstance(relations, dict):
        raise ConfigError(f"{name}: relations: expected a mapping of relation type to cues")
    for rtype, items in relations.items():
        if rtype not in RELATION_TYPES:
            raise ConfigError(f"{name}: unknown relation type {rtype!r}; the types are {', '.join(RELATION_TYPES)}")
        for item in _items(items, f"{name}: relations.{rtype}"):
            entries.append(_Entry(
                kind="relation", label=rtype, text=item["cue"], weight=item["weight"],
                light=bool(item.get("light", False)), passive=bool(item.get("passive", False)),
                target=item.get("target", ""), source=item.get("source", "subject"),
                marked=bool(item.get("marked", False)), requires=_requires(item.get("requires", [])),
                exact=bool(item.get("exact", False)), participle=bool(item.get("participle", False)),
                mutual=bool(item.get("mutual", False)),
            ))
            for phrase in item.get("unless", []):
                entries.append(_Entry(kind="exclude", label=item["cue"], text=phrase))
    light = data.get("light_verbs") or {}
    if not isinstance(light, dict) or set(light) - set(_LIGHT_VOICES):
        raise ConfigError(f"{name}: light_verbs: expected lists under {', '.join(_LIGHT_VOICES)}")
    for voice, items in light.items():
        plain("light", voice, _items(items, f"{name}: light_verbs.{voice}"))
    markers = data.get("markers") or {}
    if not isinstance(markers, dict) or set(markers) - set(_MARKER_ROLES):
        raise ConfigError(f"{name}: markers: expected sections {', '.join(_MARKER_ROLES)}")
    for role, sides in markers.items():
        if sides is None:
            continue
        if not isinstance(sides, dict) or set(sides) - {"pre", "post"}:
            raise ConfigError(f"{name}: markers.{role}: expected 'pre' and/or 'post' lists")
        for side, items in sides.items():
            plain("marker", f"{role}:{side}", _items(items, f"{name}: markers.{role}.{side}"))
    for section, kind in _LIST_KINDS.items():
        plain(kind, "", _items(data.get(section), f"{name}: {section}"))
    return entries


def _string_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list")
    return [normalize(str(v)) for v in value if normalize(str(v))]


def _lexicon_code(language: str) -> str | None:
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] if language else ""
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


def load_lexicon(language: str, *extra: Path | str) -> RelationLexicon:
    """The packaged lexicon of ``language`` plus an analyst's additions in ``extra`` files.

    Lists in an extra file are added to the packaged ones; ``order``, ``prefixes``,
    ``suffixes``, ``attached_markers``, ``negation_window`` and ``light_gap`` replace them.
    Errors name the file and the entry.
    """
    code = _lexicon_code(language)
    if code is None:
        raise ConfigError(f"no relation lexicon for language {language!r}; there are: {', '.join(LANGUAGES)}")
    documents = [(_read_yaml(_lexicon_path(code), f"{code}.yaml"), f"{code}.yaml")]
    for path in extra:
        documents.append((_read_yaml(Path(path), str(path)), str(path)))
    entries: list[_Entry] = []
    settings: dict[str, Any] = {}
    for data, name in documents:
        declared = data.get("language")
        if declared is not None and _lexicon_code(str(declared)) != code:
            raise ConfigError(f"{name}: language {declared!r} does not match {code!r}")
        entries.extend(_entries_of(data, name))
        if "order" in data:
            if data["order"] not in _ORDERS:
                raise ConfigError(f"{name}: order must be one of {', '.join(_ORDERS)}")
            settings["order"] = data["order"]
        if "genitive" in data:
            if data["genitive"] not in ("head_first", "head_last"):
                raise ConfigError(f"{name}: genitive must be head_first or head_last")
            settings["genitive"] = data["genitive"]
        for key in ("prefixes", "suffixes", "attached_markers"):
            if key in data:
                settings[key] = _string_list(data[key], f"{name}: {key}")
        if "negation_window" in data:
            value = data["negation_window"]
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10 for v in value)):
                raise ConfigError(f"{name}: negation_window is [words before, words after], 0 to 10 each")
            settings["negation_window"] = (value[0], value[1])
        if "light_gap" in data:
            value = data["light_gap"]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
                raise ConfigError(f"{name}: light_gap is a number of words from 0 to 6")
            settings["light_gap"] = value
    return RelationLexicon(code, entries, settings)


@functools.cache
def _packaged(code: str) -> RelationLexicon:
    return load_lexicon(code)


# --- words --------------------------------------------------------------------------------


def _word_key(word: str) -> str:
    key = _KEY_CACHE.get(word)
    if key is None:
        key = normalize(word)
        if len(_KEY_CACHE) > 200_000:
            _KEY_CACHE.clear()
        _KEY_CACHE[word] = key
    return key


@dataclass(slots=True)
class _Words:
    """The words of a text: offsets in the text, keys, and the space-padded joined key."""

    starts: list[int]
    ends: list[int]
    keys: list[str]
    key: str = ""
    key_starts: list[int] = field(default_factory=list)


def _words(text: str) -> _Words:
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []
    cache = _KEY_CACHE
    find = text.find
    position = 0
    for word in _WORD.findall(text):
        start = find(word, position)
        position = start + len(word)
        key = cache.get(word)
        if key is None:
            key = _word_key(word)
        if not key:
            continue
        if " " in key:  # a ligature or "_" may give two keys for one word
            for part in key.split(" "):
                starts.append(start)
                ends.append(position)
                keys.append(part)
            continue
        starts.append(start)
        ends.append(position)
        keys.append(key)
    words = _Words(starts, ends, keys)
    position = 1
    for key in keys:
        words.key_starts.append(position)
        position += len(key) + 1
    words.key = " " + " ".join(keys) + " "
    return words


# --- hits ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # first word
    end: int  # word after the last
    entry: _Entry
    prefix: str  # the clitic written onto the first word ("و" of "وأدان"), folded


def _document_hits(words: _Words, lexicon: RelationLexicon) -> list[_Hit]:
    hits: list[_Hit] = []
    key_starts = words.key_starts
    for start_char, last_char, _open, entry, prefix_len in lexicon.hits(words.key):
        first = bisect_right(key_starts, start_char) - 1
        last = bisect_right(key_starts, last_char) - 1
        if first < 0 or key_starts[first] != start_char:
            continue
        prefix = words.keys[first][:prefix_len] if prefix_len else ""
        hits.append(_Hit(first, last + 1, entry, prefix))
    return hits


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Drop excluded cues, then structural hits strictly inside a longer structural hit.

    "did not comment" (refuse_comment) hides "not" (a negation); "کی جانب سے" (an agent
    marker) hides "کی" and "سے"; "called on" hides the marker "on". Hits of identical spans
    are all kept; light verbs, attack words and document-level words are never hidden.
    """
    excluding = [h for h in hits if h.entry.kind == "exclude"]
    if excluding:
        hits = [h for h in hits if h.entry.kind != "exclude" and not (
            h.entry.kind == "relation" and any(
                h.start < x.end and x.start < h.end and (x.entry.label in ("", h.entry.text))
                for x in excluding))]
    structural = sorted((h for h in hits if h.entry.kind in _STRUCTURAL), key=lambda h: (h.start, -h.end))
    kept: list[_Hit] = []
    reach_start, reach_end = -1, -1  # the longest structural span seen that covers the current
    for hit in structural:
        if hit.end <= reach_end and (hit.start, hit.end) != (reach_start, reach_end) and hit.start >= reach_start:
            continue
        if hit.end > reach_end:
            reach_start, reach_end = hit.start, hit.end
        kept.append(hit)
    kept.extend(h for h in hits if h.entry.kind not in _STRUCTURAL)
    kept.sort(key=lambda h: (h.start, -h.end))
    return kept


# --- actors -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    name: str  # canonical
    key: str  # its normalised form, to compare names
    kind: str
    start: int  # in the text
    end: int
    first: int  # first word
    last: int  # word after the last
    marks: set[str] = field(default_factory=set)  # target, agent, subject, setting, victim


def _mentions(text: str, entities: Sequence[EntityMatch], words: _Words) -> list[_Mention]:
    mentions: list[_Mention] = []
    n = len(text)
    for entity in entities:
        try:
            start, end = int(entity.start), int(entity.end)
            name = str(entity.canonical or entity.text or "").strip()
            kind = str(entity.kind)
        except (AttributeError, TypeError, ValueError):
            continue
        if not name or kind not in _ACTOR_KINDS or not 0 <= start < end <= n:
            continue
        first = bisect_right(words.ends, start)  # the first word ending after the start
        last = bisect_left(words.starts, end)  # words starting before the end
        if first >= last:
            continue
        mentions.append(_Mention(name, _name_key(name), kind, start, end, first, last))
    mentions.sort(key=lambda m: (m.first, m.last))
    unique: list[_Mention] = []
    for mention in mentions:  # overlapping mentions: the first (longest at a start) wins
        if unique and mention.first < unique[-1].last:
            continue
        unique.append(mention)
    return unique


@functools.lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    return normalize(name)


def _same(a: str, b: str) -> bool:
    return a == b or _name_key(a) == _name_key(b)


# --- sentences ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Sentence:
    start: int  # in the text
    end: int
    paragraph: int
    paragraph_start: int  # in the text
    lo: int  # first word
    hi: int  # word after the last


def _sentences(text: str, words: _Words) -> tuple[list[_Sentence], list[tuple[int, int]]]:
    """Sentences with their word ranges, and every quotation pair (open, close) of the text."""
    sentences: list[_Sentence] = []
    quotes: list[tuple[int, int]] = []
    for index, (p_start, p_end) in enumerate(split_paragraphs(text)):
        pairs = find_quotes(text, p_start, p_end)
        quotes.extend((q.open, q.close) for q in pairs)
        for start, end in split_sentences(text, p_start, p_end, quotes=pairs, abbreviations=_ABBREVIATIONS):
            for piece_start, piece_end in _pieces(text, start, end):
                lo = bisect_left(words.starts, piece_start)
                hi = bisect_left(words.starts, piece_end)
                if hi > lo:
                    sentences.append(_Sentence(piece_start, piece_end, index, p_start, lo, hi))
    return sentences, quotes


_MAX_SENTENCE = 800  # longer runs (scraped text without punctuation) are cut at commas or spaces
_COMMA = re.compile(r"[,،؛;]\s")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentence, or for a run longer than _MAX_SENTENCE its pieces, so that the work per
    cue stays bounded whatever the text."""
    while end - start > _MAX_SENTENCE:
        cut = None
        for m in _COMMA.finditer(text, start + 1, start + _MAX_SENTENCE):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + 1, start + _MAX_SENTENCE)
            cut = space + 1 if space > start else start + _MAX_SENTENCE
        yield start, cut
        start = cut
    yield start, end


_ABBREVIATIONS = ("Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Mr", "Mrs", "Ms", "Sen", "Rep", "Gov", "Prof",
                  "St", "No", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec")


# --- one document -------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    source: str
    type: str
    target: str
    evidence: str
    confidence: float
    order: int  # position in the text, for a stable output order


@dataclass(slots=True)
class _Cue:
    hit: _Hit
    end: int  # word after the cue and its light verb
    passive: bool
    negated: bool
    sources: list[str] = field(default_factory=list)


class _Document:
    """Everything the sentence rules consult, computed once per document."""

    def __init__(self, text: str, lexicon: RelationLexicon, entities: Sequence[EntityMatch],
                 statements: Sequence[StatementMatch]) -> None:
        self.text = text
        self.lx = lexicon
        self.words = _words(text)
        self.sentences, self.quotes = _sentences(text, self.words)
        self.mentions = _mentions(text, entities, self.words)
        self.mention_firsts = [m.first for m in self.mentions]
        self.statements = _statements(statements, len(text))
        self.statement_starts = [st[0] for st in self.statements]
        self.longest_statement = max((end - start for start, end, _ in self.statements), default=0)
        self.quote_opens = [q[0] for q in self.quotes]
        self.hits = sorted(_document_hits(self.words, lexicon), key=lambda h: (h.start, -h.end))
        self.hit_starts = [h.start for h in self.hits]
        self.last_source: dict[int, list[str]] = {}  # paragraph -> last source names
        self.paragraph_starts = {s.paragraph: s.paragraph_start for s in self.sentences}
        self._resolved: dict[int, list[_Hit]] = {}

    # -- per sentence ------------------------------------------------------------------------

    def sentence_hits(self, s: _Sentence) -> list[_Hit]:
        if s.lo not in self._resolved:
            lo = bisect_left(self.hit_starts, s.lo)
            hi = bisect_left(self.hit_starts, s.hi)
            self._resolved[s.lo] = _resolve([h for h in self.hits[lo:hi] if h.end <= s.hi])
        return self._resolved[s.lo]

    def sentence_mentions(self, s: _Sentence) -> list[_Mention]:
        lo = bisect_left(self.mention_firsts, s.lo)
        hi = bisect_left(self.mention_firsts, s.hi)
        return [m for m in self.mentions[lo:hi] if m.last <= s.hi]


def _statements(statements: Sequence[StatementMatch], n: int) -> list[tuple[int, int, str | None]]:
    out = []
    for st in statements or ():
        try:
            start, end = int(st.start), int(st.end)
            speaker = str(st.speaker).strip() if st.speaker else None
        except (AttributeError, TypeError, ValueError):
            continue
        if 0 <= start < end <= n:
            out.append((start, end, speaker or None))
    out.sort()
    return out


class _SentenceReader:
    """The relation rules applied to one sentence."""

    def __init__(self, doc: _Document, s: _Sentence) -> None:
        self.doc = doc
        self.lx = doc.lx
        self.s = s
        self.words = doc.words
        self.hits = doc.sentence_hits(s)
        self.mentions = doc.sentence_mentions(s)
        by_kind: dict[str, list[_Hit]] = {}
        for hit in self.hits:
            by_kind.setdefault(hit.entry.kind, []).append(hit)
        self.by_kind = by_kind
        self.named = {i for m in self.mentions for i in range(m.first, m.last)}
        self.structural_at: dict[int, list[_Hit]] = {}
        for hit in self.hits:
            if hit.entry.kind in _STRUCTURAL:
                for i in range(hit.start, hit.end):
                    self.structural_at.setdefault(i, []).append(hit)
        self._mark_mentions()

    # -- marks ----------------------------------------------------------------------------

    def _kind_at(self, i: int, *kinds: str) -> _Hit | None:
        for hit in self.structural_at.get(i, ()):
            if hit.entry.kind in kinds:
                return hit
        return None

    def _mark_mentions(self) -> None:
        markers = self.by_kind.get("marker", [])
        ending: dict[int, list[_Hit]] = {}
        starting: dict[int, list[_Hit]] = {}
        for hit in markers:
            role, side = hit.entry.label.split(":")
            (ending if side == "pre" else starting).setdefault(hit.end if side == "pre" else hit.start, []).append(hit)
        attack_words = sorted({i for h in self.by_kind.get("attack", []) for i in range(h.start, h.end)})
        previous: _Mention | None = None
        for m in self.mentions:
            m.marks = set()
            first = m.first
            if first > self.s.lo and first not in ending and self._kind_at(first - 1, "determiner"):
                first -= 1  # "against the Taliban", "بر ولایت خوست"
            before = ending.get(first, [])
            if not before and first > self.s.lo and self._kind_at(first - 1, "conjunction"):
                before = self._carried_marker(first - 1, ending)  # "از مردم فلسطین و حماس"
            roles = [h.entry.label.split(":")[0] for h in before]
            roles += [h.entry.label.split(":")[0] for h in starting.get(m.last, ())]
            word_start = self.words.starts[m.first]
            if m.start > word_start:  # a clitic written onto the name: "بحماس", "لإيران", "والعراق"
                clitic = fold_letters(self.doc.text[word_start:m.start])
                stripped = clitic[1:] if len(clitic) > 1 and clitic[0] in "وف" else clitic
                if stripped in self.lx.attached_markers:
                    roles.append("target")
                elif clitic in ("و", "ف") and not before:
                    roles += [h.entry.label.split(":")[0] for h in self._carried_marker(m.first, ending)]
            if m.kind == "place" and self._place_is_setting(m):
                roles.append("setting")  # "جنایت تروریستی کرمان", "امام جمعه اصفهان", "the Kerman bombing"
            if not roles and previous is not None and previous.marks & {"setting", "victim"} and all(
                    self._kind_at(i, "conjunction", "determiner") for i in range(previous.last, m.first)):
                # "در میدان فلسطین تهران و شهرهای مشهد": one setting, however many names
                roles = [r for r in ("setting", "victim") if r in previous.marks]
            previous = m
            for role in roles:
                if role == "possessor":  # "د X", "X کی": a target, or the subject's owner
                    m.marks.update(("possessor", "target"))
                elif role == "victim":
                    near = bisect_left(attack_words, m.first - _VICTIM_REACH)
                    if near < len(attack_words) and attack_words[near] < m.last + _VICTIM_REACH:
                        m.marks.add("victim")
                    else:
                        m.marks.add("target")
                else:
                    m.marks.add(role)

    def _place_is_setting(self, m: _Mention) -> bool:
        """A place named next to an attack, a crime or a role is where something happened or
        whose official speaks, not an actor."""
        near = range(max(self.s.lo, m.first - 2), min(self.s.hi, m.last + 1))
        return any(i not in range(m.first, m.last) and self._word_is(i, "attack", "criticism", "head", "role")
                   for i in near)

    def _word_is(self, i: int, *kinds: str) -> bool:
        return any(h.start <= i < h.end for kind in kinds for h in self.by_kind.get(kind, []))

    def _carried_marker(self, conj: int, ending: dict[int, list[_Hit]]) -> list[_Hit]:
        """The preposition of the first conjunct, at most three words before the conjunction,
        with no name or cue in between: "against the army and X", "از مردم فلسطین و حماس"."""
        for k in range(conj, max(self.s.lo, conj - 3) - 1, -1):
            if k in ending:
                return ending[k]
            if k < conj and (k in self.named or self._kind_at(k, "relation", "speech", "complementiser")):
                break
        return []

    # -- noun phrases -----------------------------------------------------------------------

    def _link(self, a: _Mention, b: _Mention) -> str | None:
        """How two neighbouring names belong together: apposition, coordination or not at all."""
        gap = range(a.last, b.first)
        between = self.doc.text[a.end:b.start]
        punct = any(not ch.isspace() and not ch.isalnum() and ch not in "\u200c\u200d" for ch in between)
        roles = conj = others = possessive = 0
        for i in gap:
            kinds = {h.entry.kind for h in self.structural_at.get(i, ())}
            if "role" in kinds:
                roles += 1
            elif "conjunction" in kinds:
                conj += 1
            elif self.words.keys[i] == "s" and self.lx.language == "en":
                possessive += 1
            elif "determiner" not in kinds:
                others += 1
        if roles:  # "Taliban spokesman Mujahid", "Iran's army chief X", "X, the group's spokesman,"
            if len(gap) <= 4 and not conj and not self._gap_has(
                    gap, "marker", "relation", "speech", "complementiser", "negation", "pronoun"):
                return "apposition"
            return None
        if others:
            return None
        if conj or self._clitic(b) in ("و", "ف"):
            return "coordination"  # "Iran and Russia", "أمريكا وبريطانيا"
        if possessive:
            return "apposition"  # "Iran's IRGC"
        if punct:
            return "apposition" if (a.kind == "person") != (b.kind == "person") else "coordination"
        if b.kind == "person" and self._role_before(a):
            return "apposition"  # "سخنگوی طالبان ذبیح‌الله مجاهد", "المتحدث باسم حماس حازم قاسم"
        return None

    def _clitic(self, m: _Mention) -> str:
        """The letters written onto the front of a name: "و" of "وبريطانيا", "ب" of "بحماس"."""
        word_start = self.words.starts[m.first]
        return fold_letters(self.doc.text[word_start:m.start]) if m.start > word_start else ""

    def _gap_has(self, gap: range, *kinds: str) -> bool:
        return any(self._kind_at(i, *kinds) for i in gap)

    def _role_before(self, m: _Mention) -> bool:
        return any(self._kind_at(i, "role") for i in range(max(self.s.lo, m.first - 2), m.first))

    def _phrase(self, index: int, pool: list[_Mention], backward: bool = False) -> _Phrase:
        """The noun phrase ``pool[index]`` stands in (extended to the left too if ``backward``).

        Apposed names count once, a person first ("Taliban spokesman Mujahid" is Mujahid);
        coordinated names each count ("Iran and Pakistan").
        """
        lo = hi = index
        while backward and lo > 0 and self._link(pool[lo - 1], pool[lo]):
            lo -= 1
        while hi + 1 < len(pool) and self._link(pool[hi], pool[hi + 1]):
            hi += 1
        groups: list[list[_Mention]] = [[pool[lo]]]
        for i in range(lo + 1, hi + 1):
            if self._link(pool[i - 1], pool[i]) == "apposition":
                groups[-1].append(pool[i])
            else:
                groups.append([pool[i]])
        heads = []
        for group in groups[:_MAX_HEADS]:
            people = [m for m in group if m.kind == "person"]
            heads.append(people[-1] if people else group[-1])
        return _Phrase(heads, pool[lo:hi + 1])

    # -- the rules ----------------------------------------------------------------------------

    def cues(self) -> list[_Cue]:
        """Relation cues that act as verbs here (a light noun needs its light verb)."""
        relation_starts = sorted({h.start for h in self.by_kind.get("relation", [])})
        # a "light verb" right before another cue is that cue's marker: "الزامات کی تردید کی";
        # one that is also a marker must end its clause: "مذمت کی۔", not "امداد کی بندش"
        lights = [h for h in self.by_kind.get("light", []) if not _starts_in(relation_starts, h.start, h.end + 1)
                  and (not self._kind_at(h.start, "marker") or self._clause_ends_at(h.end))]
        negations = self.by_kind.get("negation", [])
        sentence_key: str | None = None
        out: list[_Cue] = []
        for hit in self.by_kind.get("relation", []):
            if any(i in self.named for i in range(hit.start, hit.end)):
                continue  # "متحد" of "سازمان ملل متحد", "Islamic State" is no "state"
            entry = hit.entry
            end, passive, negated = hit.end, entry.passive, False
            if entry.light:
                light = _first_light(lights, hit.end, hit.end + self.lx.light_gap)
                if light is None or _starts_in(relation_starts, hit.end, light.end) or any(
                        hit.end <= h.start < light.start for h in self.by_kind.get("marker", [])):
                    continue  # no light verb, or one of a later cue or across a postposition
                end = light.end
                passive = passive or light.entry.label == "passive"
                negated = light.entry.label == "negated"
            if entry.requires:
                if sentence_key is None:
                    sentence_key = " " + " ".join(self.words.keys[self.s.lo:self.s.hi]) + " "
                if not any(r in sentence_key for r in entry.requires):
                    continue
            if not negated:
                lo, hi = hit.start - self.lx.negation_before, end + self.lx.negation_after
                negated = any(lo <= n.start and n.end <= hi and (n.end <= hit.start or n.start >= hit.end)
                              for n in negations)
            out.append(_Cue(hit, end, passive, negated))
        # a cue inside another's span (a light verb that is also a cue) yields to the outer one
        out.sort(key=lambda c: (c.hit.start, -c.end))
        kept: list[_Cue] = []
        for cue in out:
            if kept and cue.hit.start < kept[-1].end:
                continue
            kept.append(cue)
        return kept

    def _clause_ends_at(self, i: int) -> bool:
        return i >= self.s.hi or bool(self._kind_at(i, "auxiliary", "conjunction", "complementiser", "speech",
                                                    "break")) or self._word_is(i, "auxiliary")

    def read(self) -> list[_Found]:
        cues = self.cues()
        found: list[_Found] = []
        evidence = self.doc.text[self.s.start:self.s.end]
        for index, cue in enumerate(cues):
            prev = cues[index - 1] if index else None
            nxt = cues[index + 1] if index + 1 < len(cues) else None
            reading = self._relate(cue, prev, nxt)
            if reading is None:
                continue
            cue.sources = reading.sources
            if reading.sources:
                self.doc.last_source[self.s.paragraph] = reading.sources
            if cue.negated or self._denied(cue, prev):
                continue
            distance = max(0, reading.source_gap - _NEAR) + max(0, reading.target_gap - _NEAR)
            confidence = cue.hit.entry.weight * reading.factor * max(_DISTANCE_FLOOR, 1 - _DISTANCE_STEP * distance)
            for source in reading.sources:
                source_key = _name_key(source)
                for target in reading.targets:
                    if source_key != target.key:
                        found.append(_Found(source, cue.hit.entry.label, target.name, evidence,
                                            round(min(1.0, confidence), 2), self.s.start))
        return found

    def _denied(self, cue: _Cue, prev: _Cue | None) -> bool:
        """A cue in the clause a denial or an appeal governs is what was denied or asked for,
        not a relation: "Iran denied that it had sent weapons to the Houthis", "ویاند له
        ګاونډیو هېوادونو وغوښتل چې ... له اسلامي امارت سره همکاري وکړي"."""
        if prev is None or prev.hit.entry.label not in ("deny", "appeal") or prev.negated:
            return False
        return any(prev.end <= h.start <= prev.end + 1 and h.end <= cue.hit.start
                   for h in self.by_kind.get("complementiser", []))

    def _clause(self, c: int) -> _Clause:
        """The clause of the word ``c``: where it starts, what reports it, who says it."""
        lo, opener = self.s.lo, None
        for kind in ("complementiser", "speech", "break"):
            for hit in self.by_kind.get(kind, []):
                if lo < hit.end <= c:
                    # "but" starts a clause of its own; what stands before it reports nothing
                    lo, opener = hit.end, (None if kind == "break" else hit.start)
        position = self.words.starts[c]
        speaker: str | None = None
        quoted: tuple[int, int] | None = None
        doc = self.doc
        first = bisect_left(doc.statement_starts, position - doc.longest_statement)
        for start, end, who in doc.statements[first:bisect_right(doc.statement_starts, position)]:
            if position < end:
                speaker, quoted = who, (start, end)
        # quotation pairs do not nest (find_quotes keeps the outermost), so one can hold it
        index = bisect_left(doc.quote_opens, position) - 1
        if index >= 0:
            q_open, q_close = doc.quotes[index]
            if position < q_close and (quoted is None or q_open + 1 > quoted[0]):
                quoted = (q_open + 1, q_close)
        words: tuple[int, int] | None = None
        if quoted is not None:
            starts = self.words.starts
            words = (bisect_left(starts, quoted[0]), bisect_left(starts, quoted[1]))
            if words[0] > lo:
                lo, opener = words[0], words[0]
        return _Clause(lo, opener, speaker, words)

    def _unmarked(self, m: _Mention) -> bool:
        return not (m.marks - {"subject"})

    def _pool(self, lo: int, hi: int) -> list[_Mention]:
        return [m for m in self.mentions if lo <= m.first and m.last <= hi]

    def _subject(self, lo: int, hi: int) -> tuple[_Phrase | None, bool]:
        """The subject phrase among the words lo..hi, and whether a pronoun stands first."""
        pool = self._pool(lo, hi)
        marked = [i for i, m in enumerate(pool) if "subject" in m.marks]
        if marked:  # Urdu "X نے"
            return self._phrase(marked[-1], pool, backward=True), False
        first = next((i for i, m in enumerate(pool) if self._unmarked(m)), None)
        pronoun = next((h.start for h in self.by_kind.get("pronoun", []) if lo <= h.start < hi), None)
        if pronoun is not None and (first is None or pronoun < pool[first].first):
            return None, True
        if first is None:  # "the spokesman added", "وزیر دفاع نے", "سخنگوی وزارت خارجه": a role alone
            named = {m.first for m in self.mentions}
            # a role with its name after it is an apposition, not a role alone
            roles = [h for h in self.by_kind.get("role", []) if lo <= h.start and h.end <= hi
                     and not any(i in named and not self._gap_has(range(h.end, i), "marker")
                                 for i in range(h.end, h.end + 3))]
            if roles and roles[0].start <= lo + 2:
                return None, True
        if first is not None:
            return self._phrase(first, pool), False
        if pool and "possessor" in pool[0].marks and pool[0].first <= lo + 1 and pool[0].last + 1 < hi:
            # "د پاکستان د بهرنیو چارو وزارت ...", "پاکستان کی وزارت خارجہ نے ...", "د تاجکستان
            # سفارت ...": the owner of an unnamed subject stands for it; not "د پاکستان غندنه",
            # where the name belongs to the cue itself
            return self._phrase(0, pool), False
        return None, False

    def _relate(self, cue: _Cue, prev: _Cue | None, nxt: _Cue | None) -> _Reading | None:
        entry = cue.hit.entry
        c = cue.hit.start
        clause = self._clause(c)
        sub_lo = clause.lo
        if prev is not None and sub_lo < prev.end <= c:
            sub_lo = prev.end
        hi = self.s.hi if clause.quoted is None else min(self.s.hi, clause.quoted[1])
        after_hi = hi if nxt is None else min(hi, nxt.hit.start)
        reading = _Reading()

        passive, agent, subject = self._passive(cue, clause.lo, hi)
        if passive:
            if agent is not None:
                reading.sources = [m.name for m in agent.heads]
                reading.source_gap = min(_gap(m, cue) for m in agent.heads)
                exclude = agent.members
            elif clause.speaker:
                reading.sources, reading.factor = [clause.speaker], _SPEAKER_FACTOR
                exclude = []
            else:
                return None
            if subject is not None:
                reading.targets = [m for m in subject.heads if not any(m is x for x in exclude)]
            else:
                reading.targets, _ = self._targets(entry, cue, sub_lo, after_hi, exclude)
            reading.target_gap = min((_gap(m, cue) for m in reading.targets), default=0)
            return reading

        subject: _Phrase | None = None
        pronoun = False
        if entry.mutual:  # "التنسيق بين حزب الله وحركة حماس", "پاکستان اور چین کے درمیان تعاون"
            before = entry.target == "before"
            pool = self._pool(sub_lo, c) if before else self._pool(cue.end, after_hi)
            eligible = [i for i, m in enumerate(pool) if not m.marks & {"setting", "victim"}]
            index = (eligible[-1] if before else eligible[0]) if eligible else None
            heads = self._phrase(index, pool, backward=True).heads if index is not None else []
            if len(heads) < 2:
                return None
            reading.sources, reading.targets = [heads[0].name], heads[1:2]
            reading.target_gap = _gap(heads[0], cue)
            return reading
        if entry.source == "speaker":
            if clause.speaker:
                reading.sources, reading.factor = [clause.speaker], _SPEAKER_FACTOR
            elif clause.opener is not None and (matrix := self._subject(self.s.lo, clause.opener)[0]):
                reading.sources, reading.factor = [m.name for m in matrix.heads], _INFERRED_FACTOR
                subject = matrix
            elif subject := self._subject(sub_lo, c)[0]:  # "X called Y's claims baseless"
                reading.sources = [m.name for m in subject.heads]
                reading.source_gap = min(_gap(m, cue) for m in subject.heads)
            else:
                return None
        else:
            shared = self._shared_subject(cue, prev)
            if shared is not None:
                reading.sources = shared
            elif entry.participle:  # "..., accusing the Taliban of ...": the sentence's subject
                subject = self._opening_subject(clause.lo, c)
                if subject is None:  # "The Foreign Office ..., accusing": a subject the caller did not name
                    pronoun = any(h.start <= clause.lo + 1 for h in self.by_kind.get("pronoun", [])
                                  if h.start >= clause.lo)
                    if not pronoun and not clause.speaker:
                        return None
            elif self.lx.order == "vso" and self._verb_first(sub_lo, c):
                subject = self._verb_first_subject(entry, cue, clause.lo, after_hi)
                if subject is None:  # "كما شكر إيران": he thanked Iran; "X تؤكد ...، وتحذر أمريكا"
                    subject = self._subject(clause.lo, c)[0]
                    pronoun = subject is None
            else:
                subject, pronoun = self._subject(sub_lo, c)
            if subject is not None:
                reading.sources = [m.name for m in subject.heads]
                reading.source_gap = min(_gap(m, cue) for m in subject.heads)
            if not reading.sources:
                if clause.speaker:
                    reading.sources, reading.factor = [clause.speaker], _SPEAKER_FACTOR
                else:
                    reading.sources = self._inferred_source(clause, pronoun)
                    reading.factor = _INFERRED_FACTOR
                    if not reading.sources:
                        return None
        exclude = subject.members if subject is not None else []
        start = sub_lo
        end = cue.end
        if subject is not None and subject.members[-1].last <= c:
            start = max(start, subject.members[-1].last)
        elif subject is not None:  # Arabic: the subject follows the verb, the target follows it
            end = subject.members[-1].last
        reading.targets, other_side = self._targets(entry, cue, start, self._after_limit(entry, cue, nxt, after_hi),
                                                    exclude, end)
        if not reading.targets and entry.label == "ally" and subject is not None and len(subject.heads) > 1:
            reading.sources, reading.targets = reading.sources[:1], subject.heads[1:2]  # "X and Y signed a pact"
        if other_side:
            reading.factor *= _OTHER_SIDE_FACTOR
        reading.target_gap = min((_gap(m, cue) for m in reading.targets), default=0)
        return reading

    def _marker_between(self, lo: int, hi: int) -> bool:
        """Whether a target preposition opens a phrase of its own between lo and hi."""
        named = {m.first for m in self.mentions}
        return any(lo <= h.start and h.end < hi and h.end not in named and h.entry.label == "target:pre"
                   for h in self.by_kind.get("marker", []))

    def _after_limit(self, entry: _Entry, cue: _Cue, nxt: _Cue | None, hi: int) -> int:
        """Where the search for a target after the cue stops.

        At a reported clause ("denied that ...", "warned that the Qassam Brigades are ready",
        "مكتفياً بالقول إن واشنطن ..."): its names are its own subjects (a threat aimed into
        it has a cue of its own there: "... that Israel would pay a heavy price"); at a colon
        or a quotation; in English before the subject of the next verb ("did not respond, and
        the army refrained ...").
        """
        for kind in ("complementiser", "speech", "break"):
            for hit in self.by_kind.get(kind, []):
                if cue.end <= hit.start < hi:
                    hi = hit.start
        # a colon or an opening quotation mark starts someone's own words, whose names are
        # their subjects: 'Mujahid warned: "... the Islamic Emirate has the right ..."'
        if cue.end < hi:
            lo_char, hi_char = self.words.starts[cue.end - 1], self.words.starts[hi] if hi < len(self.words.starts) else self.s.end
            colon = self.doc.text.find(":", lo_char, hi_char)
            index = bisect_left(self.doc.quote_opens, lo_char)
            opening = self.doc.quote_opens[index] if index < len(self.doc.quote_opens) else -1
            for cut in (colon, opening if opening < hi_char else -1):
                if cut >= 0 and not self._in_quote(cue):
                    hi = min(hi, bisect_left(self.words.starts, cut))
        if nxt is not None and self.lx.order == "svo":
            conj = [h.start for h in self.by_kind.get("conjunction", []) if cue.end <= h.start < nxt.hit.start]
            if conj and any(conj[-1] < m.first and m.last <= nxt.hit.start and self._unmarked(m)
                            for m in self.mentions):
                hi = min(hi, conj[-1])
        return hi

    def _in_quote(self, cue: _Cue) -> bool:
        position = self.words.starts[cue.hit.start]
        index = bisect_left(self.doc.quote_opens, position) - 1
        return index >= 0 and position < self.doc.quotes[index][1]

    def _passive(self, cue: _Cue, lo: int, hi: int) -> tuple[bool, _Phrase | None, _Phrase | None]:
        """Whether the cue is passive, its agent phrase and its subject phrase.

        English needs an auxiliary before the cue ("was condemned") and reads a following
        "by X" as the agent; in the other languages an agent marker (توسط, له خوا, من قبل,
        کی جانب سے) on the usual side of the cue, or a passive cue or light verb, is enough.
        """
        c = cue.hit.start
        if cue.hit.entry.source == "speaker":
            return False, None, None  # "X's claims are baseless": no subject, no agent
        pool = self._pool(lo, hi)
        agents = [i for i, m in enumerate(pool) if "agent" in pool[i].marks
                  and (cue.passive or _gap(m, cue) <= _AGENT_REACH)]
        if self.lx.order == "svo":
            # "was condemned", "were warned": a one-word verb cue after an auxiliary; not "is
            # criticising", "were baseless" (no subject of its own), "is allied with"
            aux = (cue.hit.end - cue.hit.start == 1 and cue.hit.entry.source == "subject"
                   and not self.words.keys[c].endswith("ing")
                   and any(c - 2 <= h.end <= c for h in self.by_kind.get("passive_aux", [])))
            if not (cue.passive or aux):
                return False, None, None
            agents = [i for i in agents if pool[i].first >= cue.end]
        else:
            before = [i for i in agents if pool[i].last <= c]
            after = [i for i in agents if pool[i].first >= cue.end]
            agents = before[-1:] + after[:1] if self.lx.order == "sov" else after[:1] + before[-1:]
            if not agents and not cue.passive:
                return False, None, None
        agent = self._phrase(agents[0], pool, backward=True) if agents else None
        rest = [m for m in pool if m.last <= c and (agent is None or not any(m is a for a in agent.members))]
        first = next((i for i, m in enumerate(rest) if self._unmarked(m)), None)
        subject = self._phrase(first, rest) if first is not None else None
        return True, agent, subject

    def _opening_subject(self, lo: int, c: int) -> _Phrase | None:
        """A subject that opens the clause (after role words): "Iran is supporting ...",
        "Pakistan, accusing ..."; None when the clause opens with something else."""
        pool = [m for m in self._pool(lo, c) if self._unmarked(m)]
        if not pool:
            return None
        opening = pool[0].first
        while opening > lo and self._kind_at(opening - 1, "role", "determiner"):
            opening -= 1
        return self._phrase(0, pool) if opening - lo <= 1 else None

    def _verb_first(self, lo: int, c: int) -> bool:
        """Arabic: the verb opens its clause, or the part of it after the last comma ("وعندما
        سئل عن ...، امتنع بقائي"), with nothing but conjunctions and preludes ("قد", "بدوره")
        before it."""
        starts = self.words.starts
        comma = max(self.doc.text.rfind("،", starts[lo] if lo < len(starts) else 0, starts[c]),
                    self.doc.text.rfind(",", starts[lo] if lo < len(starts) else 0, starts[c]))
        if comma >= 0:
            lo = max(lo, bisect_left(starts, comma))
        return all(self._kind_at(i, "prelude", "conjunction", "complementiser", "speech") for i in range(lo, c))

    def _shared_subject(self, cue: _Cue, prev: _Cue | None) -> list[str] | None:
        """One subject for two joined verbs: "X condemned Y and praised Z", "وأشادت بـ".

        Persian "X ... را محکوم کرد و از Z تقدیر کرد" joins at the end of the first verb.
        """
        if prev is None or not prev.sources or prev.end > cue.hit.start:
            return None
        if cue.hit.entry.participle:
            return prev.sources
        c = cue.hit.start
        if self.lx.order == "vso":
            if cue.hit.prefix[:1] not in ("و", "ف") and self._kind_at(c - 1, "conjunction") is None:
                return None
            following = self._pool(cue.end, cue.end + 2)
            return None if following and self._unmarked(following[0]) else prev.sources
        if self.lx.order == "svo":
            joined = self._kind_at(c - 1, "conjunction") is not None or (
                c - 2 >= prev.end and self._kind_at(c - 2, "conjunction") is not None
                and not any(m.last == c for m in self.mentions))
            return prev.sources if joined else None
        # the conjunction follows the first verb (one word such as خواند may stand between);
        # an unmarked name right after it is a new subject: "... و پاکستان از Y حمایت کرد"
        conj = next((i for i in range(prev.end, min(prev.end + 2, c)) if self._kind_at(i, "conjunction")), None)
        if conj is None:
            return None
        following = self._pool(conj + 1, c)
        return None if following and self._unmarked(following[0]) else prev.sources

    def _inferred_source(self, clause: _Clause, pronoun: bool = False) -> list[str]:
        """The subject of the reporting clause, a name right after a quotation ("«...»، مجاهد
        گفت"), else, for a pronoun, the paragraph's last speaker, else its last source."""
        if clause.opener is not None and clause.opener > self.s.lo:
            matrix = self._subject(self.s.lo, clause.opener)[0]
            if matrix is not None:
                return [m.name for m in matrix.heads]
        if clause.quoted is not None and clause.quoted[1] < self.s.hi:
            after = self._subject(clause.quoted[1], self.s.hi)[0]
            if after is not None:
                return [m.name for m in after.heads]
        if pronoun:  # "he", "هغه", "وی": the person the paragraph last quoted
            speaker = self._last_speaker()
            if speaker:
                return [speaker]
        return self._last_source()

    def _last_source(self) -> list[str]:
        """The last source of this paragraph, else of the one before (news often gives each
        sentence a paragraph: "وأضاف ...", "He also warned ...")."""
        doc = self.doc
        return list(doc.last_source.get(self.s.paragraph) or doc.last_source.get(self.s.paragraph - 1) or [])

    def _last_speaker(self) -> str | None:
        """The speaker of the last statement that starts before this sentence, in this
        paragraph or the one before."""
        doc = self.doc
        index = bisect_left(doc.statement_starts, self.s.start) - 1
        limit = doc.paragraph_starts.get(self.s.paragraph - 1, self.s.paragraph_start)
        while index >= 0 and doc.statements[index][0] >= limit:
            if doc.statements[index][2]:
                return doc.statements[index][2]
            index -= 1
        return None

    def _verb_first_subject(self, entry: _Entry, cue: _Cue, lo: int, hi: int) -> _Phrase | None:
        """Arabic verb-first clause: the name after the verb is its subject when another name
        follows as the object ("أدانت إيران إسرائيل"); a name alone is the object of a verb
        whose subject is a pronoun ("كما شكر إيران ..."), except for two allies."""
        pool = self._pool(cue.end, hi)
        first = next((i for i, m in enumerate(pool) if self._unmarked(m)), None)
        if first is None:
            return None
        phrase = self._phrase(first, pool)
        if entry.label == "ally" and len(phrase.heads) > 1:
            return phrase
        if pool[first].first - cue.end <= 3 and self._role_before(pool[first]):
            return phrase  # "امتنع متحدث باسم البنتاغون عن التعليق"
        last = phrase.members[-1].last
        quotes = self.doc.quotes
        for m in pool:
            if m.first >= last and not m.marks & {"setting", "victim", "subject"}:
                if not any(q_open < m.start < q_close for q_open, q_close in quotes):
                    return phrase
        return None if self._continuation_exists() or self._subject(lo, cue.hit.start)[0] else phrase

    def _continuation_exists(self) -> bool:
        return bool(self._last_source()) or self._last_speaker() is not None

    def _targets(self, entry: _Entry, cue: _Cue, before_lo: int, after_hi: int, exclude: list[_Mention],
                 after_lo: int | None = None) -> tuple[list[_Mention], bool]:
        """The target phrase's heads, and whether they stood on the cue's less usual side."""
        c = cue.hit.start
        after_lo = cue.end if after_lo is None else after_lo
        side = entry.target or ("before" if self.lx.order == "sov" else "after")
        names = {m.key for m in exclude}

        def ok(m: _Mention) -> bool:
            if any(m is e for e in exclude) or m.marks & {"setting", "victim", "subject"}:
                return False
            if entry.source == "speaker" and m.last <= c and c - m.last > _OWNER_REACH:
                return False  # "... پاکستان کے ... اداروں پر عائد پابندیاں جانبدارانہ ہیں": too far to own it
            if entry.marked and "target" not in m.marks:
                return False
            return m.key not in names

        def before() -> list[_Mention]:
            pool = self._pool(before_lo, c)
            # the genitive of a head noun is what the cue is about: "حمایت امریکا از اسرائیل را
            # محکوم ...", "ادعای آمریکا درباره ... را تکذیب کرد", "د پاکستان ادعاوې رد کړې"
            heads = [h for h in self.hits if h.entry.kind in ("relation", "attack", "head")
                     and before_lo <= h.start and h.end <= c]
            if self.lx.head_first:
                after_head = {h.end for h in heads}
                for i in range(len(pool) - 1, -1, -1):
                    if pool[i].first in after_head and ok(pool[i]):
                        return [m for m in self._phrase(i, pool).heads if ok(m)]
            else:
                before_head = {h.start for h in heads}
                for i in range(len(pool) - 1, -1, -1):
                    m = pool[i]
                    owner = m.last in before_head or ("possessor" in m.marks and m.last + 1 in before_head)
                    if owner and ok(m):
                        return [x for x in self._phrase(i, pool, backward=True).heads if ok(x)]
            for i in range(len(pool) - 1, -1, -1):
                if ok(pool[i]):
                    if entry.marked and self._marker_between(pool[i].last, c):
                        return []  # "له نړیوالو سازمانونو یې وغوښتل": the marked object is no name
                    return [m for m in self._phrase(i, pool, backward=True).heads if ok(m)]
            return []

        def after() -> list[_Mention]:
            pool = self._pool(after_lo, after_hi)
            for i, m in enumerate(pool):
                if ok(m):
                    return [h for h in self._phrase(i, pool).heads if ok(h)]
            return []

        if side == "before":
            return before(), False
        if side == "after":
            return after(), False
        usual, other = (before, after) if self.lx.order == "sov" else (after, before)
        found = usual()
        if found:
            return found, False
        found = other()
        return found, bool(found)


@dataclass(slots=True)
class _Phrase:
    heads: list[_Mention]  # the actors the phrase names
    members: list[_Mention]  # every name in it, apposed ones included


@dataclass(slots=True)
class _Clause:
    lo: int  # first word of the cue's clause
    opener: int | None  # word where the reporting part ends (complementiser, speech verb, quote)
    speaker: str | None  # speaker of the statement the cue stands in
    quoted: tuple[int, int] | None  # words of the quotation or reported clause


@dataclass(slots=True)
class _Reading:
    sources: list[str] = field(default_factory=list)
    targets: list[_Mention] = field(default_factory=list)
    factor: float = 1.0
    source_gap: int = 0  # words between the source and the cue
    target_gap: int = 0


def _first_light(lights: list[_Hit], lo: int, hi: int) -> _Hit | None:
    best: _Hit | None = None
    for hit in lights:
        if lo <= hit.start <= hi and (best is None or (hit.start, -hit.end) < (best.start, -best.end)):
            best = hit
    return best


def _starts_in(starts: list[int], lo: int, hi: int) -> bool:
    """Whether a value of the sorted ``starts`` lies in [lo, hi]."""
    i = bisect_left(starts, lo)
    return i < len(starts) and starts[i] <= hi


def _gap(m: _Mention, cue: _Cue) -> int:
    if m.last <= cue.hit.start:
        return cue.hit.start - m.last
    if m.first >= cue.end:
        return m.first - cue.end
    return 0


# --- document level -----------------------------------------------------------------------


def _opinion(doc: _Document, title: str, author: str | None, outlet: str | None,
             relations: list[_Found]) -> _Found | None:
    """"AUTHOR criticize TARGET" for an opinion piece whose own voice attacks one actor."""
    source = (author or "").strip() or (outlet or "").strip() or _byline(doc)
    if not source or not title.strip():
        return None
    counts: dict[str, int] = {}
    for m in doc.mentions:
        if m.kind in _OPINION_TARGET_KINDS:
            counts[m.name] = counts.get(m.name, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    target, mentions = ranked[0]
    if mentions < 2 or (len(ranked) > 1 and ranked[1][1] == mentions) or _same(target, source):
        return None
    # the title: a criticism cue, in the author's own voice, naming nobody but the target
    title_words = _words(title)
    title_hits = _resolve(_document_hits(title_words, doc.lx))
    if not _criticism_count(title_hits) or _reported(title_hits) or any(q in title for q in "«»\"“”:"):
        return None
    title_key = title_words.key
    named = {m.name: normalize(doc.text[m.start:m.end]) for m in doc.mentions}
    for name, surface in named.items():
        if surface and f" {surface} " in title_key and not _same(name, target) and not _same(name, source):
            return None
    cues = _criticism_count(title_hits)
    aimed = 0
    others = {r.order for r in relations if not _same(r.source, source)}
    for s in doc.sentences:
        if s.start in others:
            continue  # someone else's relation, read at sentence level
        hits = doc.sentence_hits(s)
        count = _criticism_count(hits)
        if not count or _reported(hits) or _in_statement(doc, s) or _quoted(doc, s):
            continue
        cues += count
        if any(_same(m.name, target) for m in doc.sentence_mentions(s)):
            aimed += 1
    if cues < _OPINION_MIN_CUES or aimed < _OPINION_MIN_SENTENCES:
        return None
    confidence = min(_OPINION_MAX, _OPINION_CONFIDENCE + _OPINION_STEP * (aimed - _OPINION_MIN_SENTENCES))
    return _Found(source, "criticize", target, title.strip(), round(confidence, 2), len(doc.text))


def _criticism_count(hits: list[_Hit]) -> int:
    return len({h.start for h in hits if h.entry.kind == "criticism"
                or (h.entry.kind == "relation" and h.entry.label == "criticize")})


def _reported(hits: list[_Hit]) -> bool:
    return any(h.entry.kind in ("speech", "reporting") for h in hits)


def _in_statement(doc: _Document, s: _Sentence) -> bool:
    return any(start < s.end and s.start < end for start, end, _ in doc.statements)


def _quoted(doc: _Document, s: _Sentence) -> bool:
    return any(s.start <= q_open < s.end for q_open, _ in doc.quotes)


def _byline(doc: _Document) -> str | None:
    """An outlet named alone in a short first or last paragraph, or in a dateline's brackets."""
    paragraphs = split_paragraphs(doc.text)
    if not paragraphs:
        return None
    edges = {paragraphs[0], paragraphs[-1]}
    for m in doc.mentions:
        if m.kind != "outlet":
            continue
        for start, end in edges:
            if start <= m.start and m.end <= end and end - start <= _BYLINE_CHARS:
                return m.name
        opening = doc.text[max(0, m.start - 1):m.start]
        closing = doc.text[m.end:m.end + 1]
        if m.start < 40 and opening in "([" and opening and closing in ")]" and closing:
            return m.name
    return None


# --- entry point --------------------------------------------------------------------------


def extract_relations(text: str, language: str, entities: Sequence[EntityMatch],
                      statements: Sequence[StatementMatch] = (), *, title: str = "",
                      author: str | None = None, outlet: str | None = None,
                      lexicon: RelationLexicon | None = None) -> list[RelationMatch]:
    """Relations between the actors of ``text``: one per (source, type, target), best evidence.

    ``entities`` are the known actors found in ``text`` (character offsets, end exclusive)
    and ``statements`` the quotations with their speakers; a cue inside a quotation whose
    own clause names no subject belongs to the speaker. ``language`` is an ISO code (en,
    fa, prs, ps, ar, ur; regional tags such as fa-AF are accepted); a language without a
    lexicon yields nothing. ``title``, ``author`` and ``outlet`` serve the document-level
    reading of opinion pieces. ``lexicon`` replaces the packaged one (``load_lexicon``).
    Bad input yields an empty list, never an exception.
    """
    try:
        if not isinstance(text, str) or not text.strip():
            return []
        if lexicon is None:
            code = _lexicon_code(language) if isinstance(language, str) else None
            if code is None:
                return []
            lexicon = _packaged(code)
        actors = {e.canonical for e in entities or ()} | {s.speaker for s in statements or () if s.speaker}
        if len(actors) < 2 and not (author or outlet):
            return []  # a relation needs two actors (or an author or outlet and one)
        doc = _Document(text, lexicon, entities or (), statements or ())
        found: list[_Found] = []
        if doc.mentions:
            relation_starts = [h.start for h in doc.hits if h.entry.kind == "relation"]
            for sentence in doc.sentences:
                if _starts_in(relation_starts, sentence.lo, sentence.hi - 1):
                    found.extend(_SentenceReader(doc, sentence).read())
        opinion = _opinion(doc, title if isinstance(title, str) else "",
                           author if isinstance(author, str) else None,
                           outlet if isinstance(outlet, str) else None, found)
        if opinion is not None:
            found.append(opinion)
        return _deduplicated(found)
    except Exception:  # a relation is never worth losing the document's other extraction
        log.warning("relation extraction failed; no relations for this document", exc_info=True)
        return []


def _deduplicated(found: list[_Found]) -> list[RelationMatch]:
    best: dict[tuple[str, str, str], _Found] = {}
    for f in found:
        key = (normalize(f.source), f.type, normalize(f.target))
        kept = best.get(key)
        if kept is None or f.confidence > kept.confidence:
            best[key] = f
    ordered = sorted(best.values(), key=lambda f: (f.order, -f.confidence))
    return [RelationMatch(f.source, f.type, f.target, f.evidence, f.confidence) for f in ordered]
