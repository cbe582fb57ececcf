"""Statements: who said what, when, and in which outlet, in direct and reported speech.

An analyst's lead sentence ("Taliban spokesman Zabihullah Mujahid told Tolo News on Tuesday
that ...") is assembled from four things a news text says in every language Rasad reads:
a speech verb (said, گفت, وویل, قال, کہا), what was said (a quotation in any quotation
marks, an unmarked quotation after a colon, or a reported clause after "that", که, چې,
أن/إن, کہ), who said it (a name, often with a role in apposition: "X, the group's
spokesman," / "سخنگوی وزارت خارجه، X،" / "د اسلامي امارت ویاند X" / "المتحدث باسم الحركة
X" / "ترجمان دفتر خارجہ X نے"), and where ("in an interview with", "به ... گفت", "له ...
سره په مرکه کې", "في مقابلة مع", "... سے گفتگو میں"). The rules here find those pieces
around each speech verb, sentence by sentence, and put them together.

How a statement is found (details in ``lexicons/speech/README.md``):

- Text is cut into paragraphs, quotation pairs and sentences (``rasad.extract.sentences``)
  and into words, whose letters are folded the way ``rasad.text.normalize`` folds them
  (ی/ي, ک/ك, hamza, harakat, ZWNJ) without changing their offsets, so every span maps
  straight back to the original text.
- Every speech verb looks right for what it introduces: a quotation (``direct``), a colon
  and unmarked words to the end of the sentence (``direct``), or a complementiser and the
  clause to the end of the sentence (``indirect``). The speaker stands left of the verb
  in English, Persian, Pashto and Urdu, and between the verb and the complementiser in
  Arabic ("قال المتحدث ... إن"). A verb with nothing after it attributes what comes
  before it: "“...,” Mujahid said", "«...»، مجاهد گفت", "..., said Mujahid".
- The words between speaker and verb are cut at commas into segments, after outlets,
  statements ("in a statement", در بیانیه‌ای, في بيان), times and places (on Tuesday,
  روز سه‌شنبه, پرون, يوم الثلاثاء, منگل کو, in Kabul, در کابل ...) are set aside. A segment
  with a role word gives the role, and the name that follows the role phrase ("سخنگوی
  امارت اسلامی ذبیح‌الله مجاهد"); a segment without one gives the name (in English, a
  capitalised run) or an organisation. A role segment next to a name segment is its
  apposition.
- A pronoun ("he", وی, هغه, انہوں نے) or no subject at all (Arabic "وأضاف أن", Persian
  "افزود که") continues the speaker of the paragraph's last statement, with its role,
  outlet and date (an unnamed source in between ends the chain: "he" is then that
  source); a role alone ("the spokesman added") continues the last speaker whose role
  says as much. A quotation that is a sentence by itself continues the paragraph's last
  speaker. Across a paragraph break nothing is continued: the speaker stays unknown
  (None), as it does for "officials", "a resident" and other unnamed sources.
- Everything is rule and lexicon: no model, no network, about a millisecond for a short
  news article.

The optional ``find_people`` hook (the knowledge base's name finder) makes names exact
and adds their key; ``find_dates`` (the date extractor) gives the statement's date.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from rasad.errors import ConfigError, RasadError
from rasad.extract.sentences import Quote, find_quotes, split_paragraphs, split_sentences
from rasad.model import StatementMatch
from rasad.text.normalize import normalize
from rasad.yamldata import read_lexicon

__all__ = ["LANGUAGES", "DateFinder", "PeopleFinder", "SpeechLexicon", "extract_statements", "load_lexicon"]

log = logging.getLogger(__name__)

PeopleFinder = Callable[[str], list[tuple[int, int, str, str | None]]]
DateFinder = Callable[[str], list[tuple[int, int, str | None]]]

LANGUAGES = ("en", "fa", "ps", "ar", "ur")  # one lexicon each; Dari (prs) uses fa
_LANGUAGE_ALIASES = {
    "prs": "fa", "fas": "fa", "per": "fa", "pes": "fa",
    "pus": "ps", "pbt": "ps", "pbu": "ps", "pst": "ps",
    "ara": "ar", "arb": "ar",
    "urd": "ur",
    "eng": "en",
}
_MIN_WORDS = 2  # shorter quotations ("scare quotes", a single word) are not statements
_MAX_NAME_WORDS = 3  # a guessed name has at most this many words besides titles (and one particle)
_SLOT_WORDS = 5  # an outlet or adverbial slot spans at most this many words
_AFTER_VERB = {"sov": 1, "svo": 8, "vso": 18}  # words a verb may stand from what it introduces
_AHEAD = 30  # words a verb may reach over adverbials to its "that"
_SHORT_FRAME = 10  # "He said." as a sentence of its own has at most this many words

# --- folding: letters as the normaliser folds them, offsets unchanged ----------------------
_JOIN = "\u200c"  # stands for every character the normaliser drops inside a word
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|\u200c)*")
# a word of the original text: letters and digits with the marks and joiners inside words
# (harakat, tatweel, combining accents, ZWNJ/ZWJ)
_WORD = re.compile("[\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+")
_KEY_CACHE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":
        return _JOIN
    if category[0] in "PZS" or category in ("Cc", "Co", "Cs", "Cn"):
        return ch
    key = normalize(ch)
    if len(key) == 1:
        return key
    if not key:
        return _JOIN  # harakat, tatweel, combining accents: part of the word around them
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


_CONTINUE_PARAGRAPHS = 2  # "He added" reaches back over at most this many paragraph breaks


class _FoldTable(dict):
    def __missing__(self, cp: int) -> str:
        value = _fold_char(chr(cp))
        if len(self) < 200_000:
            self[cp] = value
        return value


_COMMON = ((0x0000, 0x036F), (0x0600, 0x06FF), (0x0750, 0x077F), (0x2000, 0x206F))
_UNCOMMON = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _COMMON) + "]")


@functools.cache
def _common_table() -> dict[int, str]:
    return {cp: _fold_char(chr(cp)) for lo, hi in _COMMON for cp in range(lo, hi + 1)}


_RARE_TABLE = _FoldTable()


def _fold(text: str) -> str:
    """Lower case, folded letters and digits; exactly one character for each of ``text``."""
    if _UNCOMMON.search(text) is None:
        return text.translate(_common_table())
    return text.translate(_RARE_TABLE)


def _keys(text: str) -> list[str]:
    return [m.group().replace(_JOIN, "") for m in _TOKEN.finditer(_fold(text))]


def word_keys(text: str) -> list[str]:
    """The folded word keys the speech lexicons are matched on (for other extractors)."""
    return _keys(text)


def _word_key(word: str) -> str:
    """The matching key of one word of the text ("" when it is no word: "_", a lone mark)."""
    found = _TOKEN.findall(_fold(word))
    key = "".join(found).replace(_JOIN, "") if len(found) == 1 else ""
    if len(_KEY_CACHE) > 200_000:
        _KEY_CACHE.clear()
    _KEY_CACHE[word] = key
    return key


def _tokenize(text: str) -> tuple[list[int], list[int], list[str]]:
    """Start, end and key of every word of ``text``; keys are cached across documents."""
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
        if key:
            starts.append(start)
            ends.append(position)
            keys.append(key)
        elif "_" in word:  # "#وعده_صادق_۲": each part is a word
            for m in _TOKEN.finditer(_fold(word)):
                starts.append(start + m.start())
                ends.append(start + m.end())
                keys.append(m.group().replace(_JOIN, ""))
    return starts, ends, keys


# --- lexicon ------------------------------------------------------------------------------
_LIST_KINDS = (
    "verbs", "complementisers", "pronouns", "roles", "titles", "organisations", "complements",
    "links", "statements", "anonymous", "stopwords", "prepositions", "determiners",
    "outlet_types", "not_outlets", "exclude", "outlets", "adverbials", "name_particles", "relatives",
    "conjunctions", "clause_words", "indefinites", "agent_markers",
)
_TOP_KEYS = frozenset({"language", "order", "name_before_role", "prefixes", "suffixes",
                       "complement_prefixes", "abbreviations", *_LIST_KINDS})
_ENTRY_KEYS = frozenset({"cue", "bare", "participle", "weekday", "days_ago", "dialect", "note", "takes"})
_SLOT = re.compile(r"\{[^{}]*\}")
_SLOT_KINDS = frozenset({"outlets", "adverbials"})
_SUFFIXED = frozenset({"roles", "organisations", "complements", "statements", "anonymous",
                       "outlet_types", "not_outlets", "titles"})
_ORDERS = ("svo", "sov", "vso")
# kinds whose hits keep the phrase found (the others only record where they are)
_DETAILED = frozenset({"verb", "outlet", "adverbial", "statement", "not_outlet", "role", "complement",
                       "organisation"})
_PHRASE_KINDS = frozenset({"outlet", "adverbial", "statement", "not_outlet"})
_TAGS = ("verb", "complementiser", "pronoun", "role", "title", "organisation", "complement", "link",
         "statement", "anonymous", "stopword", "preposition", "determiner", "outlet_type", "not_outlet",
         "exclude", "outlet", "adverbial", "particle", "relative", "conjunction", "clause_word",
         "indefinite", "agent_marker", "outlet>", "adverbial>", "statement>", "not_outlet>")


@dataclass(frozen=True, slots=True)
class _Phrase:
    kind: str  # the lexicon section, singular: verb, role, outlet ...
    text: str  # as written in the lexicon
    left: tuple[str, ...]  # word keys before the slot (the whole phrase when there is none)
    right: tuple[str, ...]  # word keys after the slot
    slot: bool
    attached: bool  # the slot is written onto the last left word: "ل{outlet}"
    bare: bool = False  # a verb that may take its clause without a complementiser
    participle: bool = False  # "saying", "مضيفاً": its subject is the sentence's speaker
    takes: tuple[str, ...] = ()  # a verb whose statement follows one of these words: "urged ... to"
    takes_attached: tuple[str, ...] = ()  # ... or a word with one of these written on: "طالب ... بالضغط"
    weekday: int | None = None  # an adverbial naming a weekday (Monday = 0)
    days_ago: int | None = None  # an adverbial naming a day relative to publication


@dataclass(frozen=True, slots=True)
class _Anchor:
    keys: tuple[str, ...]
    phrase: _Phrase
    side: str  # "left" or "right": which literal part of the phrase this is
    wild: bool  # the last key is a stem ("spokes*")
    tag: str = ""  # the kind its hits are filed under: "outlet", or "outlet>" for a right part

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag", self.phrase.kind if self.side == "left" else self.phrase.kind + ">")


class SpeechLexicon:
    """One language's speech vocabulary, compiled for matching. Build with ``load_lexicon``."""

    def __init__(self, language: str, phrases: list[_Phrase], settings: dict[str, Any]) -> None:
        self.language = language
        self.order: str = settings.get("order", "svo")
        self.name_before_role: bool = bool(settings.get("name_before_role", False))
        self.latin: bool = language == "en"
        self.abbreviations: frozenset[str] = frozenset(settings.get("abbreviations", ()))
        self.complement_prefixes: tuple[str, ...] = tuple(settings.get("complement_prefixes", ()))
        prefixes: list[str] = settings.get("prefixes", [])
        suffixes: list[str] = settings.get("suffixes", [])
        self.suffixes: frozenset[str] = frozenset(suffixes)
        self.first: dict[str, list[_Anchor]] = {}
        self.wild: dict[str, list[_Anchor]] = {}
        self.trie: dict[str, list[Any]] = {}
        self.attached: list[tuple[str, _Phrase]] = []
        self.words: dict[str, frozenset[str]] = {}  # single-word keys per kind, for slot checks
        singles: dict[str, set[str]] = {}
        for phrase in phrases:
            if phrase.attached:
                self.attached.append((phrase.left[-1], phrase))
                continue
            keys = phrase.left or phrase.right
            side = "left" if phrase.left else "right"
            if len(phrase.left) + len(phrase.right) == 1 and not phrase.slot:
                singles.setdefault(phrase.kind, set()).add(keys[0].rstrip("*"))
            wild = keys[-1].endswith("*")
            if wild:
                keys = (*keys[:-1], keys[-1].rstrip("*"))
            variants = [keys]
            if suffixes and phrase.kind + "s" in _SUFFIXED and not wild and not phrase.slot:
                variants += [(*keys[:-1], keys[-1] + s) for s in suffixes]
            for variant in variants:
                self._add(_Anchor(variant, phrase, side, wild))
                if side == "left" and phrase.kind != "complementiser":
                    for prefix in prefixes:
                        attached = _attach(prefix, variant[0])
                        if attached is not None:
                            self._add(_Anchor((attached, *variant[1:]), phrase, side, wild))
        self.words = {kind: frozenset(words) for kind, words in singles.items()}
        # first words of the speech verbs: a paragraph without one (and without quotation
        # marks) is not matched at all
        self.verb_first: frozenset[str] = frozenset(
            word for word, anchors in self.first.items() if any(a.phrase.kind == "verb" for a in anchors))
        # the first word of each entry as written, to tell a clitic ("و" + "المتحدث") from it
        self.first_words: dict[str, frozenset[str]] = {}
        for phrase in phrases:
            if phrase.left:
                self.first_words[phrase.text] = self.first_words.get(phrase.text, frozenset()) | {phrase.left[0]}
        self.phrase_count = len(phrases)

    def _add(self, anchor: _Anchor) -> None:
        if anchor.wild and len(anchor.keys) == 1:
            self.wild.setdefault(anchor.keys[0][:2], []).append(anchor)
            return
        self.first.setdefault(anchor.keys[0], []).append(anchor)
        # a trie of word keys; each node is [children, tags of phrases ending there, their
        # anchors (kinds that need them), stems of phrases whose last word is open ("spokes*"),
        # the anchors of outlets, statements and adverbials among them]
        children = self.trie
        node: list[Any] = []
        words = anchor.keys[:-1] if anchor.wild else anchor.keys
        for word in words:
            node = children.get(word) or children.setdefault(word, [None, (), (), (), ()])
            if node[0] is None:
                node[0] = {}
            children = node[0]
        if anchor.wild:
            node[3] = (*node[3], (anchor.keys[-1], anchor))
        else:
            if anchor.tag not in node[1]:
                node[1] = (*node[1], anchor.tag)
            if anchor.phrase.kind in _DETAILED:
                node[2] = (*node[2], anchor)
            if anchor.phrase.kind in _PHRASE_KINDS:
                node[4] = (*node[4], anchor)

    def __repr__(self) -> str:
        return f"<SpeechLexicon {self.language}: {self.phrase_count} phrases>"


def _attach(prefix: str, word: str) -> str | None:
    """``prefix`` written onto ``word``; Arabic ل + ال is spelled لل."""
    if word.startswith("ال") and prefix.endswith("ل"):
        return prefix + word[1:]
    return prefix + word


def _lexicon_path(language: str) -> Any:
    return resources.files("rasad.extract").joinpath("lexicons", "speech", f"{language}.yaml")


def _read_yaml(source: Any, name: str) -> dict[str, Any]:
    return read_lexicon(source, name, "a speech lexicon is a mapping (see lexicons/speech/README.md)", _TOP_KEYS)


def _phrases_of(section: str, value: Any, name: str) -> list[_Phrase]:
    if value is None:
        return []
    where = f"{name}: {section}"
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of entries")
    kind = {"verbs": "verb", "complementisers": "complementiser", "anonymous": "anonymous",
            "not_outlets": "not_outlet", "outlet_types": "outlet_type",
            "name_particles": "particle", "relatives": "relative", "clause_words": "clause_word"}.get(
                section, section.rstrip("s"))
    out: list[_Phrase] = []
    for i, item in enumerate(value):
        place = f"{where}[{i}]"
        if isinstance(item, bool) or (isinstance(item, dict) and isinstance(item.get("cue"), bool)):
            raise ConfigError(f"{place}: YAML reads this word as true/false; put it in quotes (\"on\", \"no\")")
        if isinstance(item, (str, int, float)):
            item = {"cue": str(item)}
        if not isinstance(item, dict) or "cue" not in item:
            raise ConfigError(f"{place}: an entry is a string or a mapping with a 'cue' key")
        unknown = set(item) - _ENTRY_KEYS
        if unknown:
            raise ConfigError(f"{place}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        text = str(item["cue"]).strip()
        slots = _SLOT.findall(text)
        if slots and section not in _SLOT_KINDS:
            raise ConfigError(f"{place} ({text}): only outlets and adverbials take a {{slot}}")
        if len(slots) > 1:
            raise ConfigError(f"{place} ({text}): at most one {{slot}} per entry")
        left_text, _, right_text = _SLOT.split(text, maxsplit=1)[0], None, ""
        if slots:
            left_text, right_text = _SLOT.split(text, maxsplit=1)
        attached = bool(slots) and bool(left_text) and not left_text[-1].isspace()
        for key in ("weekday", "days_ago"):
            value_ = item.get(key)
            if value_ is not None and (isinstance(value_, bool) or not isinstance(value_, int)
                                       or not 0 <= value_ <= (6 if key == "weekday" else 31)):
                raise ConfigError(f"{place} ({text}): {key} must be a whole number"
                                  f" ({'0 = Monday ... 6 = Sunday' if key == 'weekday' else '0 to 31'})")
        if item.get("dialect") not in (None, "prs", "fa"):
            raise ConfigError(f"{place} ({text}): dialect must be prs or fa")
        for key in ("bare", "participle"):
            if not isinstance(item.get(key, False), bool):
                raise ConfigError(f"{place} ({text}): {key} is true or false")
        takes = item.get("takes") or []
        if not isinstance(takes, list) or not all(isinstance(t, str) and t.strip() for t in takes):
            raise ConfigError(f"{place} ({text}): takes is a list of words")
        takes_words = tuple(k for t in takes if not t.endswith("+") for k in _keys(t)[:1])
        takes_attached = tuple(k for t in takes if t.endswith("+") for k in _keys(t[:-1])[:1])
        spellings = _spellings(left_text), _spellings(right_text)
        if not any(spellings[0]) and not any(spellings[1]):
            raise ConfigError(f"{place}: empty entry")
        if attached and any(len(left) == 0 for left in spellings[0]):
            raise ConfigError(f"{place} ({text}): a slot written onto a word needs that word")
        seen = set()
        for left in spellings[0]:
            for right in spellings[1]:
                if (left, right) in seen:
                    continue
                seen.add((left, right))
                out.append(_Phrase(kind=kind, text=text, left=left, right=right, slot=bool(slots),
                                   attached=attached, bare=bool(item.get("bare", False)),
                                   participle=bool(item.get("participle", False)),
                                   weekday=item.get("weekday"), days_ago=item.get("days_ago"),
                                   takes=takes_words, takes_attached=takes_attached))
    return out


def _spellings(text: str) -> list[tuple[str, ...]]:
    """Word keys of ``text``; ZWNJ or "_" marks a junction written joined or apart."""
    text = text.strip()
    if not text:
        return [()]
    star = text.endswith("*")
    body = text.rstrip("*").strip()
    forms = []
    for junction in ("", " "):
        words = _keys(body.replace("_", junction).replace(_JOIN, junction))
        if words:
            if star:
                words[-1] += "*"
            forms.append(tuple(words))
    return list(dict.fromkeys(forms)) or [()]


def _lexicon_code(language: str) -> str | None:
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] if language else ""
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


def load_lexicon(language: str, *extra: Path | str) -> SpeechLexicon:
    """The packaged speech lexicon of ``language`` plus an analyst's additions in ``extra``.

    Lists in an extra file are added to the packaged ones; ``order``, ``name_before_role``,
    ``prefixes``, ``suffixes`` and ``complement_prefixes`` replace them. Errors name the
    file and the entry.
    """
    code = _lexicon_code(language)
    if code is None:
        raise ConfigError(f"no speech lexicon for language {language!r}; there are: {', '.join(LANGUAGES)}")
    documents = [(_read_yaml(_lexicon_path(code), f"{code}.yaml"), f"{code}.yaml")]
    for path in extra:
        documents.append((_read_yaml(Path(path), str(path)), str(path)))
    phrases: list[_Phrase] = []
    settings: dict[str, Any] = {"abbreviations": []}
    for data, name in documents:
        declared = data.get("language")
        if declared is not None and _lexicon_code(str(declared)) != code:
            raise ConfigError(f"{name}: language {declared!r} does not match {code!r}")
        for section in _LIST_KINDS:
            phrases.extend(_phrases_of(section, data.get(section), name))
        if "order" in data:
            if data["order"] not in _ORDERS:
                raise ConfigError(f"{name}: order must be one of {', '.join(_ORDERS)}")
            settings["order"] = data["order"]
        if "name_before_role" in data:
            if not isinstance(data["name_before_role"], bool):
                raise ConfigError(f"{name}: name_before_role is true or false")
            settings["name_before_role"] = data["name_before_role"]
        for key in ("prefixes", "suffixes", "complement_prefixes", "abbreviations"):
            if key in data:
                value = data[key] or []
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise ConfigError(f"{name}: {key} is a list of strings")
                if key == "abbreviations":
                    settings[key] = settings[key] + [v.strip() for v in value]
                else:
                    settings[key] = [k for v in value for k in _keys(v)]
    return SpeechLexicon(code, phrases, settings)


@functools.cache
def _packaged(code: str) -> SpeechLexicon:
    return load_lexicon(code)


# --- the document -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Hit:
    end: int  # token index, exclusive
    anchor: _Anchor


@dataclass(slots=True)
class _Span:
    """A phrase found in a sentence: an outlet, a statement or an adverbial."""

    kind: str
    first: int  # token range, end exclusive
    last: int
    phrase: _Phrase | None = None
    outlet: str | None = None  # the slot's text, for outlets that name one


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    t0: int
    t1: int
    quotes: list[Quote]
    index: int
    spans: list[_Span] | None = None
    skip: dict[int, int] | None = None  # token -> end of the set-aside phrase covering it
    skip_first: dict[int, int] | None = None  # token -> start of that phrase


@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int
    sentences: list[_Sentence]
    index: int


@dataclass(slots=True)
class _Subject:
    kind: str  # name, org, role, pronoun, anonymous, none, other
    speaker: str | None = None
    role: str = ""
    key: str | None = None
    span: tuple[int, int] | None = None  # of the name, in the text
    role_span: tuple[int, int] | None = None
    whole: str = ""  # a role segment's whole text, for an apposition ("X, <whole>, said")


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    kind: str
    subject: _Subject
    sentence: _Sentence
    paragraph: _Paragraph
    anchor: int  # character where the speech verb (or the quotation) stands
    outlet: str | None = None
    statement: bool = False
    speaker: str | None = None
    role: str = ""
    key: str | None = None
    antecedent: _Draft | None = None
    frame: list[tuple[int, int]] = field(default_factory=list)  # token ranges of the frame


_SEPARATORS = frozenset(",،;؛()[]{}—–:|")
_JOINED_GAP = re.compile("[\\s\\-\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]*")
_FUNCTION_KINDS = ("stopword", "preposition", "link", "pronoun", "verb", "complementiser", "determiner",
                   "relative")
_INNER_MARKS = frozenset("'’-‐‑/")


class _Document:
    """One text: its words with offsets and folded keys, the lexicon phrases found in it,
    the hooks' answers (asked for once, when first needed) and the statements so far."""

    def __init__(self, text: str, lexicon: SpeechLexicon, published: date | None,
                 find_people: PeopleFinder | None, find_dates: DateFinder | None) -> None:
        self.text = text
        self.lx = lexicon
        self.published = published
        self._find_people = find_people
        self._find_dates = find_dates
        self._people: list[tuple[int, int, str, str | None]] | None = None
        self._dates: list[tuple[int, int, str | None]] | None = None
        self.starts, self.ends, self.keys = _tokenize(text)
        self.persons: set[tuple[int, int]] = set()
        self.n = len(self.keys)
        self.kinds: dict[str, dict[int, int]] = {tag: {} for tag in _TAGS}  # kind -> token -> end
        # token -> [(end, anchors of the phrases ending there)], for kinds in _DETAILED
        self.hits: dict[int, list[tuple[int, tuple[_Anchor, ...]]]] = {}
        self.phrase_hits: dict[int, list[tuple[int, tuple[_Anchor, ...]]]] = {}  # ... in _PHRASE_KINDS
        self.claimed: list[tuple[int, int]] = []
        self.drafts: list[_Draft] = []

    # -- matching --------------------------------------------------------------------------
    def match(self, first: int, last: int) -> None:
        """Every lexicon phrase in tokens [first, last), in one walk of the word trie per word."""
        trie, wild, keys = self.lx.trie, self.lx.wild, self.keys
        hits, kinds, phrase_hits = self.hits, self.kinds, self.phrase_hits
        n = last
        for i in range(first, last):
            key = keys[i]
            node = trie.get(key)
            if wild:
                for anchor in wild.get(key[:2], ()):
                    if key.startswith(anchor.keys[0]):
                        self._record(i, i + 1, anchor)
            j = i + 1
            while node is not None:
                children, tags, anchors, stems, phrases = node
                for tag in tags:
                    bucket = kinds[tag]
                    if bucket.get(i, 0) < j:
                        bucket[i] = j
                if anchors:
                    found = hits.get(i)
                    if found is None:
                        hits[i] = [(j, anchors)]
                    else:
                        found.append((j, anchors))
                    if phrases:
                        found = phrase_hits.get(i)
                        if found is None:
                            phrase_hits[i] = [(j, phrases)]
                        else:
                            found.append((j, phrases))
                if j >= n or (children is None and not stems):
                    break
                nxt = children.get(keys[j]) if children is not None else None
                if (nxt is None and not stems) or not self._joined(j):
                    break
                for stem, anchor in stems:
                    if keys[j].startswith(stem):
                        self._record(i, j + 1, anchor)
                node = nxt
                j += 1

    def _joined(self, i: int) -> bool:
        """Whether token ``i`` follows token ``i - 1`` with only spaces (or a hyphen) between."""
        gap = self.text[self.ends[i - 1]:self.starts[i]]
        return gap.isspace() or _JOINED_GAP.fullmatch(gap) is not None

    def _record(self, i: int, end: int, anchor: _Anchor) -> None:
        self.hits.setdefault(i, []).append((end, (anchor,)))
        if anchor.phrase.kind in _PHRASE_KINDS:
            self.phrase_hits.setdefault(i, []).append((end, (anchor,)))
        bucket = self.kinds[anchor.tag]
        if bucket.get(i, 0) < end:
            bucket[i] = end

    def hits_at(self, i: int) -> list[_Hit]:
        """The phrases (of kinds in _DETAILED) that start at token ``i``."""
        return [_Hit(end, anchor) for end, anchors in self.hits.get(i, ()) for anchor in anchors]

    def at(self, i: int, kind: str) -> int:
        """End of the longest ``kind`` phrase starting at token ``i``, or 0."""
        return self.kinds[kind].get(i, 0)

    def within(self, i: int, kind: str, lo: int) -> int:
        """End of a ``kind`` phrase covering token ``i`` that starts at ``lo`` or later, or 0."""
        for start in range(i, max(lo, i - 4) - 1, -1):
            end = self.at(start, kind)
            if end > i:
                return end
        return 0

    # -- hooks -----------------------------------------------------------------------------
    @property
    def people(self) -> list[tuple[int, int, str, str | None]]:
        if self._people is None:
            self._people = []
            if self._find_people is not None:
                try:
                    found = [tuple(p) for p in self._find_people(self.text) or []]
                    found = [p for p in found if 0 <= int(p[0]) < int(p[1]) <= len(self.text)]
                    self._people = sorted((int(p[0]), int(p[1]), str(p[2]), p[3]) for p in found)
                    # a fifth field, when the hook gives one, is the kind: people can be
                    # the subject a later "he said" continues
                    self.persons = {(int(p[0]), int(p[1])) for p in found if len(p) > 4 and p[4] == "person"}
                except Exception:  # a failing hook must not cost the statements
                    log.exception("find_people failed")
        return self._people

    @property
    def dates(self) -> list[tuple[int, int, str | None]]:
        if self._dates is None:
            self._dates = []
            if self._find_dates is not None:
                try:
                    found = self._find_dates(self.text) or []
                    self._dates = sorted((int(s), int(e), iso) for s, e, iso in found
                                         if 0 <= int(s) < int(e) <= len(self.text))
                except Exception:
                    log.exception("find_dates failed")
        return self._dates

    # -- small helpers ---------------------------------------------------------------------
    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect_left(self.starts, char)

    def separated(self, i: int) -> bool:
        """Whether punctuation stands between token ``i - 1`` and token ``i``."""
        gap = self.text[self.ends[i - 1]:self.starts[i]]
        if not gap or gap.isspace():
            return False
        if any(c in _SEPARATORS for c in gap):
            return True
        if " - " in gap or "—" in gap or "–" in gap:
            return True
        return any(unicodedata.category(c)[0] == "P" and c not in _INNER_MARKS and c != "." for c in gap)

    def capital(self, i: int) -> bool:
        ch = self.text[self.starts[i]]
        return ch.isupper() or ch.isdigit()

    def claimed_at(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.claimed)

    def word_count(self, start: int, end: int) -> int:
        return bisect_left(self.starts, end) - bisect_left(self.starts, start)

    @functools.cached_property
    def function_words(self) -> frozenset[int]:
        kinds = self.kinds
        return frozenset(i for kind in _FUNCTION_KINDS for i in kinds[kind])

    def is_function_word(self, i: int) -> bool:
        return i in self.function_words


# --- entry point --------------------------------------------------------------------------


def extract_statements(
    text: str,
    language: str,
    *,
    published: date | None = None,
    find_people: PeopleFinder | None = None,
    find_dates: DateFinder | None = None,
    lexicon: SpeechLexicon | None = None,
) -> list[StatementMatch]:
    """Statements in ``text``: speaker, role, quotation, kind, date and outlet, in text order.

    ``language`` is an ISO code (en, fa, prs, ps, ar, ur; regional tags such as fa-AF are
    accepted); a language without a lexicon yields nothing. ``find_people(text)`` returns
    (start, end, canonical name, key) of known people and organisations; a speaker span
    holding one takes its canonical name and key. ``find_dates(text)`` returns (start,
    end, ISO date) spans; the date in the sentence of the speech verb (else in the first
    sentence of its paragraph) is the statement's. Without ``find_dates``, ``published``
    dates statements said "yesterday", "on Tuesday", دیروز, يوم الثلاثاء ... ``lexicon``
    replaces the packaged one (``load_lexicon``). Never raises: bad input gives [].
    """
    try:
        if lexicon is None:
            code = _lexicon_code(language or "")
            if code is None or not text:
                return []
            lexicon = _packaged(code)
        if not text or not isinstance(text, str):
            return []
        if isinstance(published, datetime):
            published = published.date()  # a document's published_at is a datetime
        return _Extractor(_Document(text, lexicon, published, find_people, find_dates)).run()
    except RasadError:
        log.exception("speech lexicon for %r cannot be loaded", language)
        return []
    except Exception:  # never let one odd document stop a pipeline run
        log.exception("statement extraction failed")
        return []


class _Extractor:
    """The rules: paragraphs and sentences, speech verbs, subjects, continuation, dates."""

    def __init__(self, doc: _Document) -> None:
        self.doc = doc
        self.lx = doc.lx
        self.known: set[tuple[str, ...]] = set()  # word keys of speakers' names so far

    def run(self) -> list[StatementMatch]:
        doc = self.doc
        verb_first = self.lx.verb_first
        candidates = [i for i, key in enumerate(doc.keys) if key in verb_first]
        if not candidates and not _has_quote_mark(doc.text):
            return []
        paragraphs: list[_Paragraph] = []
        for p_index, (p_start, p_end) in enumerate(split_paragraphs(doc.text)):
            t0, t1 = doc.token_at(p_start), doc.token_at(p_end)
            c = bisect_left(candidates, t0)
            if not (c < len(candidates) and candidates[c] < t1) and not _has_quote_mark(doc.text, p_start, p_end):
                paragraphs.append(_Paragraph(p_start, p_end, [], p_index))  # nothing said here
                continue
            doc.match(t0, t1)
            quotes = find_quotes(doc.text, p_start, p_end)
            sentences = []
            for s_index, (s_start, s_end) in enumerate(split_sentences(
                    doc.text, p_start, p_end, quotes=quotes, abbreviations=self.lx.abbreviations)):
                inside = [q for q in quotes if s_start <= q.open < s_end]
                sentences.append(_Sentence(s_start, s_end, doc.token_at(s_start), doc.token_at(s_end),
                                           inside, s_index))
            paragraphs.append(_Paragraph(p_start, p_end, sentences, p_index))
        self.paragraphs = paragraphs
        for paragraph in paragraphs:
            t0, t1 = doc.token_at(paragraph.start), doc.token_at(paragraph.end)
            verbs = doc.kinds.get("verb", {})
            if not any(t0 <= i < t1 for i in verbs) and not any(s.quotes for s in paragraph.sentences):
                continue
            self.paragraph(paragraph)
        return self.finish()

    # -- per paragraph ---------------------------------------------------------------------
    def paragraph(self, paragraph: _Paragraph) -> None:
        doc = self.doc
        for sentence in paragraph.sentences:
            for i, end in self.verbs(sentence):
                if doc.claimed_at(doc.starts[i]):
                    continue
                self.verb(paragraph, sentence, i, end)
            for quote in sentence.quotes:
                if not doc.claimed_at(quote.open + 1):
                    self.lone_quote(paragraph, sentence, quote)

    def verbs(self, sentence: _Sentence) -> list[tuple[int, int]]:
        doc = self.doc
        verbs = doc.kinds.get("verb", {})
        excluded = doc.kinds.get("exclude", {})
        found: list[tuple[int, int]] = []
        reach = -1
        for i in range(sentence.t0, sentence.t1):
            end = verbs.get(i)
            if not end or end > sentence.t1 or i < reach:
                continue
            if any(start <= i < stop or i <= start < end for start, stop in excluded.items()
                   if start >= sentence.t0 - 3 and start < end):
                continue
            char = doc.starts[i]
            if any(q.open < char < q.close for q in sentence.quotes):
                continue  # a verb inside a quotation is part of what was said
            found.append((i, end))
            reach = end
        return found

    # -- one speech verb -------------------------------------------------------------------
    def verb(self, paragraph: _Paragraph, sentence: _Sentence, i: int, end: int) -> None:
        doc = self.doc
        phrase = next(h.anchor.phrase for h in doc.hits_at(i) if h.anchor.phrase.kind == "verb" and h.end == end)
        before = self.quote_before(sentence, i, end)
        if before is not None:
            # "“...,” Mujahid said (in an audio message ...)", "«...»، مجاهد گفت", "«...»، قال X"
            quote, subject, frame = before
            self.draft(paragraph, sentence, quote.open + 1, quote.close, "direct", subject, doc.starts[i], frame,
                       marked=True)
            content = self.content_after(paragraph, sentence, i, end, phrase)
            if content is not None and content[4] is not None:  # “...,” he said, “...”
                self.draft(paragraph, sentence, content[1], content[2], "direct", subject, doc.starts[i], frame,
                           marked=True)
            return
        if self.inverted(sentence, i, end):
            self.post_attribution(paragraph, sentence, i, end)
            return
        content = self.content_after(paragraph, sentence, i, end, phrase)
        if content is not None:
            kind, q_start, q_end, middle, quote = content
            subject, frame = self.subject_for(sentence, i, end, middle)
            if phrase.participle and (subject.kind in ("none", "other") or doc.separated(i)):
                # "X addressed the killing of Y ..., stating that": X, the sentence's subject
                subject = self.sentence_subject(sentence, i)
            pieces = [(q_start, q_end)]
            if kind == "indirect" and quote is None:
                pieces = self.split_reported(sentence, q_start, self.clause_end(sentence, q_start, q_end))
            for a, b in pieces:
                self.draft(paragraph, sentence, a, b, kind, subject, doc.starts[i], frame,
                           marked=quote is not None)
            return
        self.post_attribution(paragraph, sentence, i, end)

    def quote_before(self, sentence: _Sentence, i: int,
                     end: int) -> tuple[Quote, _Subject, list[tuple[int, int]]] | None:
        """A quotation that the verb at [i, end) and its subject follow: “...,” Mujahid said."""
        doc, lx = self.doc, self.lx
        char = doc.starts[i]
        previous = [q for q in sentence.quotes if q.close < char]
        if not previous:
            return None
        quote = previous[-1]
        if doc.claimed_at(quote.open + 1) or any(c.isalnum() for c in doc.text[sentence.start:quote.open]):
            return None  # only a quotation that opens its sentence: “...,” he said
        first = doc.token_at(quote.close)
        if first < sentence.t1 and doc.text[quote.close + 1:doc.starts[first]].strip(" ,،-—–\u00a0"):
            return None
        skip = self.skip(sentence)
        between = [t for t in range(first, i) if t not in skip]
        if len(between) > _SHORT_FRAME + 2 or any(doc.at(t, "verb") or doc.at(t, "complementiser") for t in between):
            return None
        stop = sentence.t1
        for q in sentence.quotes:
            if q.open > char:
                stop = min(stop, doc.token_at(q.open))
        if between:
            subject = self.subject(sentence, first, i)
        elif lx.order in ("svo", "vso"):
            subject = self.subject(sentence, end, stop, nearest_first=True)  # “...,” said X
        else:
            subject = _Subject("none")
        if subject.kind == "other":
            return None
        return quote, subject, [(first, stop)]

    def inverted(self, sentence: _Sentence, i: int, end: int) -> bool:
        """"..., said Mujahid, the group's spokesman.": the speaker follows the verb."""
        doc = self.doc
        if self.lx.order != "svo" or i == sentence.t0:
            return False
        gap = doc.text[doc.ends[i - 1]:doc.starts[i]]
        if "," not in gap:
            return False
        stop = sentence.t1
        for q in sentence.quotes:
            if q.open > doc.starts[i]:
                stop = min(stop, doc.token_at(q.open))
        skip = self.skip(sentence)
        rest = [t for t in range(end, stop) if t not in skip]
        if not rest or len(rest) > _SHORT_FRAME:
            return False
        if any(doc.at(t, kind) for t in rest for kind in ("stopword", "verb", "complementiser", "pronoun")):
            return False  # "..., said the Emirate had no ties": a clause, not a name
        return self.subject(sentence, end, stop).kind in ("name", "org", "role")

    def content_after(self, paragraph: _Paragraph, sentence: _Sentence, i: int, end: int,
                      phrase: _Phrase) -> tuple[str, int, int, tuple[int, int], Quote | None] | None:
        """What the verb at tokens [i, end) introduces: (kind, start, end, middle, quotation).

        ``middle`` is the token range between the verb and what it introduces (in Arabic,
        the speaker).
        """
        doc, lx = self.doc, self.lx
        order = lx.order
        skip = self.skip(sentence)
        k = end
        unknown = 0
        limit = _AFTER_VERB[order]
        if order == "svo":
            ahead = self.complementiser_ahead(sentence, end)
            if ahead is not None:
                k = ahead  # "said in a televised speech ... on January 14, 2024 that ..."
        while True:
            lo = doc.ends[k - 1]
            hi = doc.starts[k] if k < sentence.t1 else sentence.end
            gap = doc.text[lo:hi]
            quote = next((q for q in sentence.quotes if lo <= q.open < hi), None)
            if quote is not None:
                before = doc.text[lo:quote.open].strip().lstrip("»”\"')›").strip()
                if before and set(before) <= set(":,،-—–") or not before and (
                        phrase.bare and k == end or k > end and order != "vso"):
                    return "direct", quote.open + 1, quote.close, (end, k), quote
                if order == "vso" and k > end and k < sentence.t1:
                    k = max(k + 1, doc.token_at(quote.close))  # "على منصة «إكس» أن ...": a name
                    continue
                return None  # 'warning "all companies" against ...': a quoted object
            if ":" in gap or "：" in gap:
                if k >= sentence.t1:
                    return self.next_paragraph(paragraph, sentence, (end, k))
                return "direct", doc.starts[k], sentence.end, (end, k), None
            if k >= sentence.t1 or any(c in gap for c in ".!?؟۔;؛"):
                return None
            if ("," in gap or "،" in gap) and order != "vso" and not (k > end and doc.at(k, "complementiser")):
                if order == "sov" and k == end and not lx.latin and phrase.bare:
                    return "indirect", doc.starts[k], sentence.end, (end, k), None
                return None
            c_end = doc.at(k, "complementiser")
            if c_end:
                lo2 = doc.ends[c_end - 1]
                hi2 = doc.starts[c_end] if c_end < sentence.t1 else sentence.end
                quote = next((q for q in sentence.quotes if lo2 <= q.open < hi2), None)
                if quote is not None and set(doc.text[lo2:quote.open].strip()) <= set(":,،") \
                        and self.quote_ends_clause(sentence, quote):
                    return "direct", quote.open + 1, quote.close, (end, k), quote
                if c_end >= sentence.t1:
                    return None
                if ":" in doc.text[lo2:hi2]:
                    return "direct", doc.starts[c_end], sentence.end, (end, k), None
                # from the end of the complementiser, so that a quotation mark opening the
                # clause ("إن «أحد الاستشهاديين» فجّر ...") stays with it
                return "indirect", lo2, sentence.end, (end, k), None
            if phrase.takes and doc.keys[k] in phrase.takes and k + 1 < sentence.t1:
                # "urged the authorities to reopen ...", "دعا القوى السياسية إلى الإسراع ..."
                return "indirect", doc.starts[k + 1], sentence.end, (end, k), None
            if phrase.takes_attached and k > end and len(doc.keys[k]) > 3 and \
                    any(doc.keys[k].startswith(a) for a in phrase.takes_attached):
                # "طالبت الحركة مصر وقطر بالضغط على ...": the statement starts on the word
                return "indirect", doc.starts[k] + 1, sentence.end, (end, k), None
            if k in skip:
                k = max(skip[k], k + 1)
                continue
            if doc.at(k, "verb"):
                return None
            if order == "vso":
                if k - end >= limit:
                    return None
                k += 1
                continue
            if order == "svo":
                if phrase.bare and self.opens_clause(k):
                    return "indirect", doc.starts[k], sentence.end, (end, k), None
                if unknown < 6 and not doc.at(k, "preposition") and not phrase.bare:
                    unknown += 1  # "told the newspaper that"
                    k += 1
                    continue
                return None
            # sov: the clause follows the verb directly ("گفت امارت اسلامی ...")
            if k == end and phrase.bare and self.opens_clause(k):
                return "indirect", doc.starts[k], sentence.end, (end, k), None
            return None

    def complementiser_ahead(self, sentence: _Sentence, end: int) -> int | None:
        """The "that" a verb reaches over adverbials and commas, or None.

        "said the following day, during a visit to the border, that ...", "said in an
        interview aired by X on January 14 that ...": up to ``_AHEAD`` words, not across
        another speech verb, a quotation, a colon or the end of the sentence.
        """
        doc = self.doc
        stop = min(sentence.t1, end + _AHEAD)
        for q in sentence.quotes:
            if q.open > doc.ends[end - 1]:
                stop = min(stop, doc.token_at(q.open))
        for t in range(end + 1, stop):
            gap = doc.text[doc.ends[t - 1]:doc.starts[t]]
            if ":" in gap or any(c in gap for c in ".!?؟;؛"):
                return None
            if doc.at(t, "verb") or doc.at(t, "pronoun") or doc.at(t, "relative"):
                return None  # "said on Tuesday they had fired ... attacks that": a clause came first
            if doc.at(t, "complementiser"):
                before = doc.text[doc.ends[end - 1]:doc.starts[t]]
                first = end
                # an adverbial start (a preposition, a set-aside phrase) or a comma before
                # "that": not "said the group that attacked the base was ..."
                if doc.at(first, "preposition") or first in self.skip(sentence) or "," in gap \
                        or any(ch.isdigit() for ch in before):
                    return t
                return None
        return None

    def split_reported(self, sentence: _Sentence, start: int, end: int) -> list[tuple[int, int]]:
        """A reported clause cut at "and that" / "وأن" into the statements it joins."""
        doc = self.doc
        cuts: list[tuple[int, int]] = []
        first, last = doc.token_at(start), doc.token_at(end)
        for t in range(first + 1, min(last, doc.n - 1)):
            char = doc.starts[t]
            if any(q.open < char < q.close for q in sentence.quotes):
                continue
            if doc.at(t, "conjunction") and doc.at(t + 1, "complementiser"):
                cuts.append((doc.starts[t], doc.ends[doc.at(t + 1, "complementiser") - 1]))
            elif doc.at(t, "conjunction"):
                # "... گفته است که X و «Y»": a quotation joined to the clause is a statement too
                after = doc.ends[t]
                quote = next((q for q in sentence.quotes if q.open >= after
                              and not doc.text[after:q.open].strip()), None)
                if quote is not None and quote.close >= end - 2:
                    cuts.append((doc.starts[t], quote.open + 1))
            elif self.lx.order == "vso" and doc.keys[t][:1] == "و" and doc.keys[t][1:] in self._complementisers():
                cuts.append((doc.starts[t], doc.ends[t]))
        if not cuts:
            return [(start, end)]
        pieces, at = [], start
        for cut_start, cut_end in cuts:
            pieces.append((at, cut_start))
            at = cut_end
        pieces.append((at, end))
        return [(a, b) for a, b in pieces if doc.text[a:b].strip()]

    def _complementisers(self) -> frozenset[str]:
        return self.lx.words.get("complementiser", frozenset())

    def quote_ends_clause(self, sentence: _Sentence, quote: Quote) -> bool:
        """"قال إن «...»": a quotation after a complementiser is the statement only if the
        clause ends with it; "إن «أحد الاستشهاديين» فجّر ..." is reported speech quoting a phrase."""
        doc = self.doc
        after = doc.text[quote.close + 1:sentence.end]
        if not any(c.isalnum() for c in after) or after.lstrip()[:1] in (",", "،", ";", "؛"):
            return True
        t = doc.token_at(quote.close)
        while t < sentence.t1 and (doc.at(t, "conjunction") or doc.at(t, "stopword")) and not doc.at(t, "verb"):
            t += 1
        return t < sentence.t1 and bool(doc.at(t, "verb"))  # "«...» و افزود ..."

    def opens_clause(self, k: int) -> bool:
        doc = self.doc
        if doc.at(k, "preposition") or doc.at(k, "stopword") and not doc.at(k, "pronoun"):
            return bool(doc.at(k, "determiner"))
        return not doc.at(k, "verb")

    def next_paragraph(self, paragraph: _Paragraph, sentence: _Sentence,
                       middle: tuple[int, int]) -> tuple[str, int, int, tuple[int, int], Quote | None] | None:
        """A speech verb and a colon at the end of a paragraph introduce the next one."""
        if sentence is not paragraph.sentences[-1] or paragraph.index + 1 >= len(self.paragraphs):
            return None
        following = self.paragraphs[paragraph.index + 1]
        if self.doc.claimed_at(following.start):
            return None
        first = following.sentences[0] if following.sentences else None
        if first is not None and first.quotes and first.quotes[0].open == following.start:
            quote = first.quotes[0]
            return "direct", quote.open + 1, quote.close, middle, quote
        start = following.start
        if self.doc.text[start] in "«\"“„":
            start += 1  # a quotation running over several paragraphs opens here
        return "direct", start, following.end, middle, None

    # -- set-aside phrases -----------------------------------------------------------------
    def skip(self, sentence: _Sentence) -> dict[int, int]:
        if sentence.skip is None:
            self.phrases(sentence)
        assert sentence.skip is not None
        return sentence.skip

    def phrases(self, sentence: _Sentence) -> list[_Span]:
        """Outlets, statements and adverbials of the sentence (outside its quotations)."""
        if sentence.spans is not None:
            return sentence.spans
        doc = self.doc
        found: list[_Span] = []
        quoted = {t for q in sentence.quotes for t in range(doc.token_at(q.open), doc.token_at(q.close))}
        in_quote = quoted.__contains__

        # adverbials matter only in the frames of the verbs (what comes long after the last
        # verb is what was said); outlets anywhere ("..., according to Tolo News")
        verbs = doc.kinds["verb"]
        reach = max((verbs[t] for t in range(sentence.t0, sentence.t1) if t in verbs), default=sentence.t0)
        reach += _AFTER_VERB["vso"] + 2
        phrase_hits = doc.phrase_hits
        attached = bool(self.lx.attached)
        for i in range(sentence.t0, sentence.t1):
            hits = phrase_hits.get(i)
            if hits and not in_quote(i):
                for end, anchors in hits:
                    if end > sentence.t1:
                        continue
                    for anchor in anchors:
                        if anchor.phrase.kind == "adverbial" and i > reach:
                            continue
                        span = self.expand(sentence, i, end, anchor)
                        if span is not None:
                            found.append(span)
            if attached and not in_quote(i):
                span = self.attached_outlet(sentence, i)
                if span is not None:
                    found.append(span)
        # brackets and parentheses: clarifications, never a speaker or an outlet
        for m in re.finditer(r"\([^()]*\)|\[[^\[\]]*\]", doc.text[sentence.start:sentence.end]):
            a, b = doc.token_at(sentence.start + m.start()), doc.token_at(sentence.start + m.end())
            if a < b and not in_quote(a):
                found.append(_Span("bracket", a, b))
        for s, e, _ in doc.dates if doc._find_dates is not None else ():
            if sentence.start <= s < sentence.end:
                a, b = doc.token_at(s), doc.token_at(e)
                if a < b:
                    found.append(_Span("date", a, b))
        # longest first at each start, better kinds first; overlaps go to the earlier span
        rank = {"outlet": 0, "statement": 1, "not_outlet": 2, "date": 3, "bracket": 4, "adverbial": 5}
        found.sort(key=lambda s: (s.first, rank[s.kind], -(s.last - s.first)))
        kept: list[_Span] = []
        reach = -1
        for span in found:
            if span.first < reach:
                if span.kind in ("outlet", "statement") and kept and kept[-1].kind == "adverbial" \
                        and kept[-1].first == span.first and kept[-1].last <= span.last:
                    kept[-1] = span  # "in an interview with X" beats "in {x}"
                    reach = span.last
                elif span.kind == "adverbial" and span.last > reach and span.phrase is not None \
                        and span.phrase.slot and not span.phrase.left:
                    # "{x} کے دوران" whose slot ran into "جمعرات کو": keep the rest of it
                    kept.append(_Span(span.kind, reach, span.last, span.phrase))
                    reach = span.last
                continue
            kept.append(span)
            reach = span.last
        skip: dict[int, int] = {}
        skip_first: dict[int, int] = {}
        for span in kept:
            for t in range(span.first, span.last):
                skip[t] = max(skip.get(t, 0), span.last)
                skip_first.setdefault(t, span.first)
        sentence.spans = kept
        sentence.skip = skip
        sentence.skip_first = skip_first
        return kept

    def expand(self, sentence: _Sentence, i: int, end: int, anchor: _Anchor) -> _Span | None:
        """The whole phrase around a literal part found at tokens [i, end)."""
        doc = self.doc
        phrase = anchor.phrase
        kind = phrase.kind
        if not phrase.slot:
            return _Span(kind, i, end, phrase)
        outlet_slot = kind == "outlet"
        if anchor.side == "right":  # "{outlet} reported": the slot runs leftwards
            if phrase.left:
                return None  # found through its left part
            first = self.slot_backward(sentence, i, outlet_slot)
            if first >= i:
                return None
            if outlet_slot and not self.lx.latin:
                first = self.outlet_start(first, i)
            return _Span(kind, first, end, phrase, self.slot_text(first, i) if outlet_slot else None)
        if phrase.right:  # "به {outlet} گفت": the slot lies between the two parts
            size = len(phrase.right)
            for k in range(end + 1, min(end + _SLOT_WORDS + 1, sentence.t1 - size + 1)):
                if tuple(doc.keys[k:k + size]) == phrase.right and all(doc._joined(k + m) for m in range(1, size)):
                    if any(doc.at(t, "verb") or doc.at(t, "complementiser") for t in range(end, k)):
                        return None
                    if any(doc.separated(t) and not self.quote_gap(t) for t in range(end + 1, k + 1)):
                        return None
                    return _Span(kind, i, k + size, phrase, self.slot_text(end, k) if outlet_slot else None)
            return None
        if outlet_slot and self.lx.latin:
            found = self.latin_outlet(sentence, end)
            if found is None:
                return None
            first, last = found
            return _Span(kind, i, last, phrase, self.slot_text(first, last))
        last = self.slot_forward(sentence, end, outlet_slot)
        if last <= end:
            return None
        return _Span(kind, i, last, phrase, self.slot_text(end, last) if outlet_slot else None)

    def latin_outlet(self, sentence: _Sentence, k: int) -> tuple[int, int] | None:
        """The outlet named after "told", "in an interview with" ...: a capitalised run.

        "told the Taliban-run outlet Neda-ye Emarat that": the run after a word such as
        outlet, website or agency is the name; otherwise the first run is.
        """
        doc = self.doc
        types = self.lx.words.get("outlet_type", frozenset())
        quote = next((q for q in sentence.quotes if k < doc.n and doc.ends[k - 1] <= q.open < doc.starts[k]), None)
        if quote is not None and quote.close - quote.open < 60:
            return k, doc.token_at(quote.close)
        runs: list[tuple[int, int, bool]] = []
        after_type = False
        j = k
        limit = min(sentence.t1, k + 8)
        while j < limit:
            if j > k and doc.separated(j):
                break
            if doc.at(j, "verb") or doc.at(j, "complementiser") or doc.at(j, "preposition") \
                    or doc.at(j, "pronoun") or doc.at(j, "adverbial") and not doc.capital(j):
                break
            if doc.capital(j) and not doc.at(j, "stopword") and not doc.at(j, "adverbial"):
                run = j + 1
                while run < limit and not doc.separated(run) and (
                        doc.capital(run) and not doc.at(run, "stopword") and not doc.at(run, "adverbial")
                        or self.glued(run) or (doc.at(run, "particle") or doc.keys[run] in ("of", "and"))
                        and run + 1 < limit and doc.capital(run + 1) and not doc.separated(run + 1)):
                    run += 1
                runs.append((j, run, after_type))
                j = run
                after_type = False
                continue
            after_type = doc.keys[j] in types
            j += 1
        if not runs:
            return None
        first, last, _ = next((r for r in runs if r[2]), runs[0])
        return first, last

    def glued(self, t: int) -> bool:
        """Whether token ``t`` is written onto the one before ("Neda-ye", "Mu'min")."""
        gap = self.doc.text[self.doc.ends[t - 1]:self.doc.starts[t]]
        return bool(gap) and all(c in "-'’‐‑" for c in gap)

    def quote_gap(self, t: int) -> bool:
        gap = self.doc.text[self.doc.ends[t - 1]:self.doc.starts[t]]
        return set(gap.strip()) <= set("«»\"“”'‘’")

    def slot_stop(self, t: int, outlet: bool) -> bool:
        doc = self.doc
        if doc.at(t, "verb") or doc.at(t, "complementiser") or doc.at(t, "preposition"):
            return True
        if outlet and (doc.at(t, "stopword") or doc.at(t, "pronoun")):
            return True
        if doc.at(t, "stopword") and not doc.at(t, "determiner"):
            return True
        if doc.at(t, "outlet") or doc.at(t, "outlet>") or doc.at(t, "statement") or doc.at(t, "adverbial"):
            return True
        if self.lx.attached and t < doc.n and any(doc.keys[t].startswith(p) for p, _ in self.lx.attached) \
                and self.attached_outlet_at(t):
            return True
        return False

    def slot_forward(self, sentence: _Sentence, k: int, outlet: bool) -> int:
        """End of a slot starting at token ``k`` (a quoted name counts as one slot)."""
        doc = self.doc
        if k >= sentence.t1:
            return k
        lo = doc.ends[k - 1] if k > 0 else 0
        quote = next((q for q in sentence.quotes if lo <= q.open < doc.starts[k]), None)
        if quote is not None and quote.close - quote.open < 60:
            return doc.token_at(quote.close)
        latin = self.lx.latin
        j = k
        if latin and doc.at(j, "determiner"):
            j += 1
        capital_run = latin and j < sentence.t1 and doc.capital(j)
        if latin and outlet and not capital_run:
            return k
        count = 0
        while j < sentence.t1 and count < _SLOT_WORDS:
            if j > k and doc.separated(j):
                break
            if self.slot_stop(j, outlet):
                break
            if latin:
                if capital_run and not doc.capital(j):
                    joined = j + 1 < sentence.t1 and doc.capital(j + 1) and not doc.separated(j + 1)
                    if not (doc.at(j, "particle") or doc.keys[j] in ("of", "and", "for")) or not joined:
                        break
                if not capital_run and doc.at(j, "stopword"):
                    break
            j += 1
            count += 1
        if latin and outlet:
            while j > k and not doc.capital(j - 1):
                j -= 1
        if latin and not outlet and capital_run and j < sentence.t1 and (doc.at(j, "role") or self.glued(j)):
            return k  # "after Pakistan's Foreign Office spokesperson": a name's phrase, not a place
        return j

    def outlet_start(self, first: int, last: int) -> int:
        """Where an outlet's name begins in the words [first, last) before "ته یې وویل", "سے گفتگو میں".

        The name ends right before the cue, but nothing marks its start in "وزیر امیر خان
        متقي آزادي راډیو ته وویل": a word such as radio, agency or news decides ("آزادي
        راډیو", "خبرگزاری تسنیم"); otherwise the last three words are taken.
        """
        types = self.lx.words.get("outlet_type", frozenset())
        keys = self.doc.keys
        for t in range(last - 1, first - 1, -1):
            if keys[t] in types:
                return max(first, t - 1) if t == last - 1 else t
        return max(first, last - 3)

    def slot_backward(self, sentence: _Sentence, i: int, outlet: bool) -> int:
        """Start of a slot that ends just before token ``i``."""
        doc = self.doc
        j = i
        count = 0
        while j > sentence.t0 and count < _SLOT_WORDS:
            t = j - 1
            if doc.separated(j) and not (j < i and self.quote_gap(j)):
                if j < i:
                    break
                if not self.quote_gap(j):
                    break
            if self.slot_stop(t, outlet) or outlet and doc.at(t, "link") or doc.at(t, "role") \
                    or doc.at(t, "clause_word"):
                break
            if self.lx.latin and outlet and not doc.capital(t):
                break
            j = t
            count += 1
        return j

    def slot_text(self, first: int, last: int) -> str | None:
        doc = self.doc
        if last <= first:
            return None
        if self.lx.latin:
            while first < last and doc.at(first, "determiner"):
                first += 1
        if first >= last:
            return None
        not_outlets = self.lx.words.get("not_outlet", frozenset())
        types = self.lx.words.get("outlet_type", frozenset())
        rest = first
        while rest < last and (doc.keys[rest] in not_outlets or doc.at(rest, "not_outlet")):
            rest = max(rest + 1, doc.at(rest, "not_outlet"))
        if rest > first:
            if rest >= last or not (doc.keys[rest] in types or self.lx.latin and doc.capital(rest)):
                return None  # "told reporters", "به خبرنگاران گفت"
            first = rest  # "خبرنگار خبرگزاری پاسدار": the agency's reporter
        value = doc.text[doc.starts[first]:doc.ends[last - 1]]
        return value.strip(" «»\"“”'‘’") or None

    def attached_outlet(self, sentence: _Sentence, i: int) -> _Span | None:
        """Arabic "لـ«الجزيرة»", "لقناة الجزيرة": the preposition written onto the outlet."""
        doc = self.doc
        key = doc.keys[i]
        types = self.lx.words.get("outlet_type", frozenset())
        for prefix, phrase in self.lx.attached:
            if not key.startswith(prefix):
                continue
            before = phrase.left[:-1]
            first = i - len(before)
            if first < sentence.t0 or tuple(doc.keys[first:i]) != before:
                continue
            rest = key[len(prefix):]
            if rest:
                if rest not in types:
                    continue
                last = self.slot_forward(sentence, i + 1, True) if i + 1 < sentence.t1 and not doc.separated(i + 1) else i + 1
                start = self.after_prefix(i, len(prefix))
                value = doc.text[start:doc.ends[last - 1]].strip(" «»\"“”")
                return _Span("outlet", first, last, phrase, value or None)
            if i + 1 >= sentence.t1:
                continue
            gap = doc.text[doc.ends[i]:doc.starts[i + 1]]
            if not (set(gap.strip()) & set("«\"“") or doc.at(i + 1, "outlet_type")):
                continue
            last = self.slot_forward(sentence, i + 1, True)
            if last > i + 1:
                return _Span("outlet", first, last, phrase, self.slot_text(i + 1, last))
        return None

    def attached_outlet_at(self, t: int) -> bool:
        """Whether token ``t`` is "لـ«X»" or "لقناة": an outlet written onto a preposition."""
        doc = self.doc
        types = self.lx.words.get("outlet_type", frozenset())
        for prefix, _ in self.lx.attached:
            key = doc.keys[t]
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            if rest in types:
                return True
            if not rest and t + 1 < doc.n and set(doc.text[doc.ends[t]:doc.starts[t + 1]].strip()) & set("«\"“"):
                return True
        return False

    def after_prefix(self, i: int, letters: int) -> int:
        """Offset in the text after the first ``letters`` letters of token ``i``."""
        doc = self.doc
        position = doc.starts[i]
        folded = _fold(doc.text[position:doc.ends[i]])
        seen = 0
        for offset, ch in enumerate(folded):
            if seen == letters and ch != _JOIN:
                return position + offset
            if ch != _JOIN:
                seen += 1
        return doc.ends[i]

    # -- subjects --------------------------------------------------------------------------
    def subject_for(self, sentence: _Sentence, i: int, end: int,
                    middle: tuple[int, int]) -> tuple[_Subject, list[tuple[int, int]]]:
        """The subject of a verb that introduces what follows it, and the frame's token ranges."""
        left = self.left_boundary(sentence, i)
        if self.lx.order == "svo" and i > sentence.t0 and self.doc.at(i - 1, "conjunction") \
                and not self.doc.separated(i):
            # "... را رد کرد و گفت", "declined to comment and said": the sentence's subject
            return self.sentence_subject(sentence, i), [(left, middle[1])]
        if self.lx.order == "vso":
            subject = self.subject(sentence, middle[0], middle[1], nearest_first=True)
            if subject.kind == "none" and left < i and not self.doc.separated(i):
                before = self.subject(sentence, left, i, adjacent_only=True)
                if before.kind not in ("none", "other"):
                    return before, [(left, middle[1])]
            return subject, [(left, middle[1])]
        return self.subject(sentence, left, i), [(left, middle[1])]

    def sentence_subject(self, sentence: _Sentence, i: int) -> _Subject:
        """Who a participle ("..., saying", "، مضيفاً") belongs to: the sentence's speaker.

        That is the speaker of an earlier statement in the same sentence, else the first
        subject in the sentence ("Baloch declined to comment, saying: ..."), else nobody
        (the last speaker of the paragraph, as for a pronoun).
        """
        doc = self.doc
        for draft in reversed(doc.drafts):
            if draft.sentence is sentence and draft.anchor < doc.starts[i]:
                if draft.speaker is None:
                    break
                return _Subject("name", draft.speaker, draft.role, draft.key, None)
        if self.lx.order == "vso":
            return _Subject("none")  # the subject stands after a verb this lexicon may not know
        opening = doc.starts[sentence.t0]
        for s, e, canonical, key in doc.people if doc._find_people is not None else ():
            if s == opening and e <= doc.starts[i]:
                return _Subject("name", canonical, "", key, (s, e))  # "Nasrallah also addressed ..., stating"
        first = self.subject(sentence, sentence.t0, i, nearest_first=True)
        if first.kind in ("name", "org", "role", "pronoun", "anonymous"):
            return first
        for seg in self.segments(sentence, sentence.t0, i):
            part = self.segment(sentence, seg)
            if part.kind == "other" and self.lx.latin:
                tokens = [t for t in seg if t not in self.skip(sentence) and not doc.at(t, "determiner")]
                if tokens and doc.capital(tokens[0]) and not doc.is_function_word(tokens[0]):
                    end = self.name_run(sentence, tokens[0], seg[-1] + 1)
                    if end > tokens[0]:
                        a, b = doc.starts[tokens[0]], doc.ends[end - 1]
                        org = any(doc.within(t, "organisation", tokens[0]) for t in range(tokens[0], end))
                        return self.with_people(_Subject("org" if org else "name", doc.text[a:b], "", None, (a, b)),
                                                seg[0], seg[-1] + 1)
            if part.kind not in ("none", "adverbial"):
                break
        return _Subject("none")

    def left_boundary(self, sentence: _Sentence, i: int) -> int:
        """First token of the words that may hold the subject of the verb at token ``i``."""
        doc = self.doc
        left = sentence.t0
        char = doc.starts[i]
        for q in sentence.quotes:
            # a quotation that is a statement ends the zone ("“...,” he said, “...”"); quoted
            # words inside the zone ("... را «مبالغه‌آمیز» خواند و گفت") do not
            if q.close < char and (doc.claimed_at(q.open + 1) or not doc.text[sentence.start:q.open].strip()):
                left = max(left, doc.token_at(q.close))
        for t in range(i - 1, left, -1):
            if ":" in doc.text[doc.ends[t - 1]:doc.starts[t]]:
                left = t  # "دیدبان: وزارت امور خارجه ... گفته است": a label before a colon
                break
        for t in range(i - 1, left - 1, -1):
            if doc.at(t, "verb") and doc.at(t, "verb") <= i:
                return max(left, doc.at(t, "verb"))
            # "X said that Y ... said": a complementiser of a speech verb ends the zone; one
            # that opens a relative clause ("یک باشنده که نخواست نامش ذکر شود") does not
            if doc.at(t, "complementiser") and t > left and self.verb_ends_at(t):
                return doc.at(t, "complementiser")
        for a, b in doc.claimed:
            if a < char and b <= char and b > doc.starts[left]:
                left = max(left, doc.token_at(b))
        return left

    def verb_ends_at(self, t: int) -> bool:
        """Whether a speech verb ends right before token ``t``."""
        doc = self.doc
        return any(doc.at(s, "verb") == t for s in range(max(0, t - 4), t))

    def segments(self, sentence: _Sentence, first: int, last: int) -> list[list[int]]:
        """Token lists of the comma-separated parts of [first, last), without relative clauses.

        "یک باشنده این ولسوالی که نخواست نامش ذکر شود": a complementiser or relative
        pronoun inside a part opens a clause about it; only the words before it are kept.
        """
        doc = self.doc
        segments: list[list[int]] = []
        current: list[int] = []
        cut = False
        for t in range(first, last):
            if doc.separated(t) and (current or cut):
                if current:
                    segments.append(current)
                current = []
                cut = False
            if cut:
                continue
            if current and doc.at(t, "relative"):
                cut = True
                continue
            if current and doc.at(t, "complementiser"):
                if self.relative_clause(t, last):
                    cut = True
                else:
                    current = []  # "... مطرح شد که ممتاز زهرا بلوچ، ...": the subject follows
                continue
            current.append(t)
        if current:
            segments.append(current)
        return segments

    def relative_clause(self, t: int, last: int) -> bool:
        """Whether the complementiser at token ``t`` opens a clause about the words before it.

        "یک باشنده که نخواست نامش ذکر شود،": the clause has a verb (a clause word) or starts
        with a preposition; "... مطرح شد که ممتاز زهرا بلوچ،": a bare name follows, which is
        the subject of what comes next.
        """
        doc = self.doc
        j = t + 1
        if j < last and (doc.at(j, "preposition") or doc.at(j, "adverbial")):
            return True
        while j < last and not doc.separated(j):
            if doc.at(j, "clause_word"):
                return True
            j += 1
        return j - t - 1 > _MAX_NAME_WORDS + 1

    def subject(self, sentence: _Sentence, first: int, last: int, adjacent_only: bool = False,
                nearest_first: bool = False) -> _Subject:
        """Who the words [first, last) name: a name with its role, an organisation, a pronoun ...

        The words are cut at commas into segments. The segment nearest the verb (the last
        one before it, or the first one after it when ``nearest_first``) decides: a pronoun
        is a pronoun; a name or organisation takes a role segment next to it as its
        apposition; a role or a description ("a local farmer", "یک دهقان محلی") takes the
        name next to it, and is the role; a clause ("... را رد کرد و") is passed over.
        """
        if last <= first:
            return _Subject("none")
        segments = self.segments(sentence, first, last)
        if adjacent_only:
            segments = segments[-1:]
        parts = [p for p in (self.segment(sentence, seg) for seg in segments) if p.kind not in ("none", "adverbial")]
        if not parts:
            return _Subject("none")
        # Persian, Pashto and Urdu put the subject first and long adverbials (with commas of
        # their own: "با اشاره به ... تهران، خوزستان و ایلام") before the verb
        nearest_first = nearest_first or self.lx.order == "sov"
        order = list(range(len(parts))) if nearest_first else list(range(len(parts) - 1, -1, -1))
        step = 1 if nearest_first else -1
        chosen: _Subject | None = None
        for index in order:
            part = parts[index]
            if part.kind in ("relative", "other"):
                continue  # "ISPR, which said", a clause: the subject is further from the verb
            if part.kind == "pronoun":
                chosen = part
                break
            if part.kind in ("name", "org"):
                chosen = part
                if not part.role:
                    # an apposition: "X, the group's spokesman,"; a role part that guessed a
                    # name of its own ("سخنگوی نیروهای مسلح یمن") is read whole as the role
                    role = next((parts[j] for j in (index - step, index + step) if 0 <= j < len(parts)
                                 and (parts[j].kind == "role" or parts[j].role and parts[j].whole)), None)
                    if role is not None:
                        chosen.role, chosen.role_span = role.whole or role.role, role.role_span
                break
            if part.kind in ("role", "anonymous"):
                further = index + step
                if 0 <= further < len(parts) and parts[further].kind in ("name", "org") and not parts[further].role:
                    name = parts[further]
                    role = part.whole or part.role
                    chosen = _Subject(name.kind, name.speaker, role, None, name.span, part.role_span)
                else:
                    chosen = part
                break
        if chosen is None:
            chosen = _Subject("other")
        return self.with_people(chosen, first, last)

    def with_people(self, subject: _Subject, first: int, last: int) -> _Subject:
        """Names from the ``find_people`` hook win over guessed ones."""
        doc = self.doc
        if doc._find_people is None or last <= first:
            return subject
        lo, hi = doc.starts[first], doc.ends[last - 1]
        people = [p for p in doc.people if lo <= p[0] and p[1] <= hi]
        if not people:
            return subject
        markers = self.lx.words.get("agent_marker")
        if markers and last < doc.n:
            # "... ردعمل دیتے ہوئے ممتاز زہرہ بلوچ نے کہا": the agent stands right before نے / کا
            verb_at = doc.starts[last] if last < doc.n else hi
            for s, e, canonical, key in reversed(people):
                between = _keys(doc.text[e:verb_at])
                if all(w in markers for w in between):
                    return _Subject("name", canonical, subject.role, key, (s, e), subject.role_span)
        if subject.span is not None:
            a, b = subject.span
            for s, e, canonical, key in people:
                if s < b and e > a:
                    return _Subject(subject.kind if subject.kind != "other" else "name", canonical,
                                    subject.role, key, (s, e), subject.role_span)
            if subject.kind == "name" and self.lx.order == "vso":
                # the speaker stands next to the verb: "دعا قاسم القوى السياسية إلى ..."
                earlier = [p for p in people if p[0] == lo and p[1] <= a]
                if earlier:
                    s, e, canonical, key = earlier[0]
                    return _Subject("name", canonical, subject.role, key, (s, e), subject.role_span)
            if subject.kind == "name" and self.lx.order == "sov":
                # a guessed name that a known name follows in apposition is part of the role:
                # "معاون امنیتی ... استاندار سیستان و بلوچستان، حمیدرضا شهرکی‌نژاد، ... گفت"
                later = [p for p in people if p[0] >= b and self.own_segment(p[0], p[1])]
                if later:
                    s, e, canonical, key = later[0]
                    return _Subject("name", canonical, subject.role, key, (s, e), subject.role_span)
        if subject.kind in ("role", "none", "other") or (subject.kind == "name" and subject.span is None):
            # a name read off the words next to the verb stays: "Referring to U.S. envoy
            # Amos Hochstein ..., Nasrallah said" is Nasrallah, whoever else is named
            for s, e, canonical, key in people:
                if subject.role_span and subject.role_span[0] <= s and e <= subject.role_span[1]:
                    continue  # the organisation of "سخنگوی امارت اسلامی" belongs to the role
                return _Subject("name", canonical, subject.role, key, (s, e), subject.role_span)
        return subject

    def own_segment(self, start: int, end: int) -> bool:
        """Whether [start, end) stands alone between commas: "...، حمیدرضا شهرکی‌نژاد، ..."."""
        text = self.doc.text
        before = text[max(0, start - 3):start].rstrip()
        after = text[end:end + 3].lstrip()
        return before[-1:] in (",", "،") and after[:1] in (",", "،")

    def segment(self, sentence: _Sentence, seg: list[int]) -> _Subject:
        """Reads one comma-separated segment of a subject."""
        doc = self.doc
        skip = self.skip(sentence)
        tokens = [t for t in seg if t not in skip]
        if not tokens:
            return _Subject("none")
        # conjunctions and fillers at the start ("and", "also", همچنین, کما) carry nothing
        while tokens and not doc.at(tokens[0], "pronoun") and not doc.at(tokens[0], "indefinite"):
            end = doc.at(tokens[0], "stopword")
            if not end:
                break
            tokens = [t for t in tokens if t >= end]
        if not tokens:
            return _Subject("none")
        # an indefinite description: "a local farmer", "یک دهقان محلی", "یکی از دکانداران"
        first = tokens[0]
        indefinite = doc.at(first, "indefinite")
        if indefinite and not doc.at(first, "role") and not (self.lx.latin and indefinite < doc.n
                                                              and doc.capital(indefinite)):
            rest = [t for t in seg if t >= indefinite]
            while rest and rest[-1] in skip:
                rest.pop()
            if not rest or doc.at(rest[0], "pronoun"):
                return _Subject("anonymous")  # "یکی از آنان"
            role_at = next((t for t in rest if doc.at(t, "role")), None)
            if role_at is not None:
                return self.role_segment(sentence, seg, [t for t in rest if t not in skip] or rest, role_at)
            bounds = (doc.starts[rest[0]], doc.ends[rest[-1]])
            text = doc.text[bounds[0]:bounds[1]]
            return _Subject("role", None, text, None, None, bounds, text)
        while tokens and not self.lx.latin and doc.at(tokens[0], "determiner") and not doc.at(tokens[0], "pronoun"):
            end = doc.at(tokens[0], "determiner")
            tokens = [t for t in tokens if t >= end]
        if not tokens:
            return _Subject("none")
        head = tokens[0]
        if doc.at(head, "preposition"):
            return _Subject("adverbial")
        if doc.at(head, "relative"):
            return _Subject("relative")
        if doc.at(head, "pronoun"):
            return _Subject("pronoun")
        if self.dateline(sentence, seg):
            return _Subject("adverbial")
        if doc.at(head, "role"):
            return self.role_segment(sentence, seg, tokens, head)
        known = self.known_speaker(head, seg[-1] + 1)
        if known and not any(doc.at(t, "role") for t in tokens):
            a, b = doc.starts[head], doc.ends[known - 1]
            org = any(doc.within(t, "organisation", head) for t in range(head, known))
            return _Subject("org" if org else "name", doc.text[a:b], "", None, (a, b))
        if any(doc.at(t, "clause_word") for t in tokens):
            return _Subject("other")  # "این گزارش‌ها را ... خواند و": a clause, not a subject
        role_at = next((t for t in tokens if doc.at(t, "role")), None)
        if role_at is not None:
            return self.role_segment(sentence, seg, tokens, role_at)
        if doc.at(head, "anonymous") or (self.lx.latin and head + 1 in tokens and doc.at(head + 1, "anonymous")
                                         and not doc.capital(head + 1)):
            return _Subject("anonymous")
        return self.name_segment(sentence, tokens)

    def known_speaker(self, t: int, limit: int) -> int:
        """End of a name that an earlier statement of the document gave its speaker, or 0.

        "مجاهد پاسخ مشخص نداد و گفت": once Mujahid has spoken, his name (or its last word)
        is known, which ends the name where no capital letter or function word does.
        """
        if self.lx.latin or not self.known:
            return 0
        doc = self.doc
        best = 0
        for size in (3, 2, 1):
            if t + size <= limit and tuple(doc.keys[t:t + size]) in self.known:
                best = t + size
                break
        return best

    def dateline(self, sentence: _Sentence, seg: list[int]) -> bool:
        """"KABUL —", "کابل –", "اسلام آباد (قومی نگاہ)": a place opening a report."""
        doc = self.doc
        last = seg[-1]
        if last + 1 >= doc.n or seg[0] != sentence.t0 or len(seg) > 3:
            return False
        if any(doc.at(t, "role") or doc.at(t, "organisation") for t in seg):
            return False
        gap = doc.text[doc.ends[last]:doc.starts[last + 1]]
        if "—" in gap or "–" in gap or " - " in gap:
            return not self.lx.latin or all(doc.text[doc.starts[t]:doc.ends[t]].isupper() for t in seg)
        return "(" in gap and not self.lx.latin and sentence.index == 0

    def name_run(self, sentence: _Sentence, t: int, limit: int) -> int:
        """End of the name that starts at token ``t`` (``t`` itself when there is none)."""
        doc = self.doc
        skip = self.skip(sentence)
        starts = sentence.skip_first or {}
        j = t
        count = titles = particles = 0
        latin = self.lx.latin
        # a set-aside phrase that began before the name (in the role: "القيادي في حركة
        # حماس X", "سفیر ایران در کابل X") does not end it
        while j < limit and not (j in skip and starts.get(j, j) >= t):
            if j > t and doc.separated(j):
                break
            if latin:
                glued = j > t and doc.ends[j - 1] < doc.starts[j] and not doc.text[doc.ends[j - 1]:doc.starts[j]].strip(
                    "'’-") and not doc.text[doc.ends[j - 1]:doc.starts[j]].isspace()
                if doc.at(j, "role") and not glued and (j > t or self.role_head(sentence, j, limit)):
                    break
                if not doc.capital(j) and not glued:
                    nxt = j + 1
                    if not (doc.at(j, "particle") and nxt < limit and doc.capital(nxt) and not doc.separated(nxt)):
                        break
                elif doc.is_function_word(j) and not glued and not doc.at(j, "title"):
                    break
            else:
                org_end = doc.at(j, "organisation")
                if org_end and org_end <= limit and not any(k in skip for k in range(j, org_end)):
                    j = org_end  # "آئی ایس پی آر": a listed organisation counts as one word
                    count += 1
                    continue
                if doc.at(j, "anonymous") and j > t:
                    return t  # "اظهارات اخیر برخی مقامات": an object, not a name
                if doc.is_function_word(j) or doc.at(j, "anonymous") or doc.keys[j].isdigit():
                    break
                if doc.at(j, "role") and (j > t or self.role_head(sentence, j, limit)) or doc.at(j, "clause_word"):
                    break
                if count - titles >= _MAX_NAME_WORDS + (1 if particles else 0):
                    return t  # no boundary after a name's length: a clause, not a name
            titles += 1 if doc.at(j, "title") else 0
            particles += 1 if doc.at(j, "particle") else 0
            j += 1
            count += 1
        return j

    def name_segment(self, sentence: _Sentence, tokens: list[int]) -> _Subject:
        doc = self.doc
        limit = tokens[-1] + 1
        start = tokens[0]
        if self.lx.latin:
            while start < limit and (doc.at(start, "determiner") or not doc.capital(start)):
                if not doc.capital(start) and not doc.at(start, "determiner"):
                    return _Subject("other")
                start += 1
            if start >= limit:
                return _Subject("none")  # "the statement said": only a determiner is left
        end = self.name_run(sentence, start, limit)
        if end <= start and not self.lx.latin:
            tail = self.tail_name(sentence, start, limit)  # "لکی مروت محمد ارشد خٹک نے"
            if tail is not None and (tail[1] >= limit or doc.is_function_word(tail[1])):
                start, end = tail
        if end <= start:
            return _Subject("other")
        if all(doc.at(t, "title") for t in range(start, end)):
            return _Subject("anonymous")  # "یک داکتر": a title without a name
        if self.lx.latin and end < limit and end in tokens and not doc.capital(end) and doc.at(end, "organisation"):
            end = doc.at(end, "organisation")  # "Yemen's Houthi movement", "the Taliban government"
        elif self.lx.latin and end < limit and end in tokens and not doc.capital(end) \
                and not doc.is_function_word(end) and not doc.at(end, "anonymous"):
            return _Subject("other")  # "Afghan officials": an adjective, not a name
        if self.lx.latin and end < limit and end in tokens and doc.at(end, "anonymous"):
            return _Subject("anonymous")
        org = any(doc.within(t, "organisation", start) for t in range(start, end))
        a, b = doc.starts[start], doc.ends[end - 1]
        return _Subject("org" if org else "name", doc.text[a:b], "", None, (a, b))

    def role_segment(self, sentence: _Sentence, seg: list[int], tokens: list[int], role_at: int) -> _Subject:
        doc = self.doc
        lx = self.lx
        limit = seg[-1] + 1
        skip = self.skip(sentence)
        core_end = doc.at(role_at, "role")
        while core_end < limit and doc.at(core_end, "role") and not doc.separated(core_end) \
                and self.role_head(sentence, core_end, limit):
            core_end = doc.at(core_end, "role")
        role_end = self.extend_role(sentence, core_end, limit)
        # modifiers right before the role word: "Taliban spokesman", "د اسلامي امارت ویاند"
        before: list[int] = []
        t = role_at - 1
        while t >= seg[0] and t in tokens and self.may_modify(t):
            before.insert(0, t)
            t -= 1
        name_first = role_end
        while name_first < limit and doc.at(name_first, "determiner") and lx.latin:
            name_first += 1
        starts = sentence.skip_first or {}
        blocked = name_first in skip and starts.get(name_first, name_first) >= role_at and name_first == role_end \
            and starts.get(name_first) == name_first
        name_end = self.name_run(sentence, name_first, limit) if name_first < limit and not blocked else name_first
        if name_end == name_first and not lx.latin and name_first < limit and not blocked:
            tail = self.tail_name(sentence, name_first, limit)
            if tail is not None:
                # "المتحدث باسم قيادة شرطة كابل عبد الرحمن فاروقي": the words before the
                # name continue the role
                role_end, (name_first, name_end) = tail[0], tail
        if lx.latin and name_end > name_first and name_end < limit and not doc.capital(name_end) \
                and not doc.is_function_word(name_end) and name_end not in skip:
            name_end = name_first
        role_first = before[0] if before else role_at
        if name_end == name_first and before and lx.name_before_role and not self.modifiers(before):
            # "عباس عراقجي وزير الخارجية": the name stands before the role
            a, b = doc.starts[before[0]], doc.ends[before[-1]]
            role = self.role_text(role_at, role_end)
            return _Subject("name", doc.text[a:b], role, None, (a, b), self.role_bounds(role_at, role_end))
        role = self.role_text(role_first, role_end)
        bounds = self.role_bounds(role_first, role_end)
        whole = self.role_text(role_first, tokens[-1] + 1) if tokens[-1] + 1 > role_end else role
        if name_end > name_first:
            a, b = doc.starts[name_first], doc.ends[name_end - 1]
            org = any(doc.within(t, "organisation", name_first) for t in range(name_first, name_end))
            return _Subject("org" if org else "name", doc.text[a:b], role, None, (a, b), bounds,
                            self.role_text(role_first, tokens[-1] + 1))
        return _Subject("role", None, role, None, None, bounds, whole)

    def tail_name(self, sentence: _Sentence, first: int, limit: int) -> tuple[int, int] | None:
        """The name that ends a long run of words after a role phrase, or None.

        Takes the last two words, and the words that belong with them: an article-led word
        ("الرحمن") and a particle before a word ("عبد الرحمن", "أبو عبيدة").
        """
        doc = self.doc
        skip = self.skip(sentence)
        starts = sentence.skip_first or {}
        j = first
        while j < limit and j - first < 9:
            if j > first and doc.separated(j) or j in skip and starts.get(j, j) >= first:
                break
            if doc.is_function_word(j) or doc.at(j, "anonymous") or doc.at(j, "clause_word") or doc.keys[j].isdigit():
                break
            j += 1
        if j - first <= 2 or j - first >= 9:
            return None
        tail = j - (3 if j - first >= 5 else 2)
        while tail > first and j - tail < _MAX_NAME_WORDS and (
                self.complement_prefixed(tail) or doc.at(tail - 1, "particle") or doc.at(tail - 1, "title")):
            tail -= 1
        return tail, j

    def may_modify(self, t: int) -> bool:
        """Whether token ``t`` can stand in a role phrase before its role word."""
        doc = self.doc
        if doc.at(t, "link") or doc.at(t, "determiner") or doc.within(t, "complement", t - 3) \
                or doc.within(t, "organisation", t - 3) or doc.at(t, "role"):
            return True
        if any(doc.at(t, kind) for kind in ("stopword", "preposition", "pronoun", "verb", "complementiser",
                                             "relative", "anonymous")):
            return False
        if not self.lx.latin:
            return True
        if doc.capital(t):
            return True
        after = doc.text[doc.ends[t]:doc.ends[t] + 2]
        return after[:1] in ("'", "’") or (t > 0 and doc.text[doc.starts[t] - 1:doc.starts[t]] in ("'", "’"))

    def modifiers(self, tokens: list[int]) -> bool:
        """Whether words before a role word qualify it (not a name standing before it)."""
        doc = self.doc
        return any(doc.at(t, "link") or doc.within(t, "complement", tokens[0]) or doc.within(t, "organisation", tokens[0])
                   or self.lx.latin and not doc.capital(t) for t in tokens)

    def extend_role(self, sentence: _Sentence, j: int, limit: int) -> int:
        """End of a role phrase whose role word ends at token ``j``: its complements."""
        doc, lx = self.doc, self.lx
        spans = {s.first: s for s in self.phrases(sentence)}
        while j < limit:
            if doc.separated(j) or doc.at(j, "title"):
                break
            span = spans.get(j)
            if span is not None and span.kind in ("outlet", "statement", "date"):
                break
            end = doc.at(j, "complement") or doc.at(j, "organisation") or (
                doc.at(j, "role") if self.role_head(sentence, j, limit) else 0)
            if end:
                j = end
                continue
            if self.complement_prefixed(j):
                j += 1
                continue
            if doc.at(j, "conjunction") and j + 1 < limit and (doc.at(j + 1, "complement") or self.complement_prefixed(j + 1)):
                j += 1  # "وزارت انرژی و آب", "وزارت امور مهاجرین و عودت‌کنندگان"
                continue
            if doc.at(j, "link") and j + 1 < limit and not doc.separated(j + 1):
                nxt = j + 1
                if lx.latin:
                    stop = nxt
                    count = 0
                    while stop < limit and count < 5 and not doc.separated(stop) and not (
                            doc.at(stop, "verb") or doc.at(stop, "complementiser") or doc.at(stop, "pronoun")
                            or doc.at(stop, "preposition") or doc.at(stop, "stopword") or stop in self.skip(sentence)
                            and spans.get(stop) is not None and spans[stop].kind != "adverbial"):
                        stop += 1
                        count += 1
                    if stop > nxt:
                        j = stop
                        continue
                    break
                if doc.at(nxt, "complement") or doc.at(nxt, "organisation") or self.complement_prefixed(nxt):
                    j = nxt
                    continue
            break
        return j

    def role_head(self, sentence: _Sentence, j: int, limit: int) -> bool:
        """Whether the role word at token ``j`` heads a role phrase rather than opens a name.

        "وزیر امیر خان متقي": امیر (emir) is also a given name; a role word followed by a plain
        word (not a complement, link or function word) is taken as the start of a name, and
        in English a capitalised role word followed by a capitalised word ("Amir Khan").
        """
        doc = self.doc
        end = doc.at(j, "role")
        if not end:
            return False
        if end >= limit or doc.separated(end) or end in self.skip(sentence):
            return True
        if self.lx.latin:
            return not (doc.capital(j) and doc.capital(end) and not doc.at(end, "role")
                        and not doc.at(end, "organisation") and not doc.at(end, "complement"))
        return bool(doc.at(end, "complement") or doc.at(end, "organisation") or doc.at(end, "link")
                    or doc.at(end, "role") or doc.is_function_word(end) or self.complement_prefixed(end))

    def complement_prefixed(self, j: int) -> bool:
        doc = self.doc
        if not self.lx.complement_prefixes or doc.at(j, "title") or doc.is_function_word(j):
            return False
        key = doc.keys[j]
        return any(key.startswith(p) and len(key) > len(p) + 1 for p in self.lx.complement_prefixes)

    def role_bounds(self, first: int, last: int) -> tuple[int, int]:
        return self.doc.starts[first], self.doc.ends[last - 1]

    def role_text(self, first: int, last: int) -> str:
        doc = self.doc
        while first < last and doc.at(first, "determiner"):
            first += 1
        if first >= last:
            return ""
        start = doc.starts[first]
        # a clitic written onto the first word ("والمتحدث") is not part of the role
        prefix = max((len(h.anchor.keys[0]) - len(a) for h in doc.hits_at(first)
                      for a in self.lx.first_words.get(h.anchor.phrase.text, ())
                      if h.anchor.keys[0].endswith(a) and h.anchor.keys[0] != a), default=0)
        if prefix:
            start = self.after_prefix(first, prefix)
        return doc.text[start:doc.ends[last - 1]]

    # -- attribution after the fact --------------------------------------------------------
    def post_attribution(self, paragraph: _Paragraph, sentence: _Sentence, i: int, end: int) -> None:
        """A verb with nothing after it: "..., Mujahid said.", "..., said Mujahid.", "He added."."""
        doc, lx = self.doc, self.lx
        skip = self.skip(sentence)
        char = doc.starts[i]
        stop = sentence.t1
        for q in sentence.quotes:
            if q.open > char:
                stop = min(stop, doc.token_at(q.open))
        after = [t for t in range(end, stop) if t not in skip]
        first = self.frame_start(sentence, i)
        if lx.order == "sov":
            if after:
                return
            subject = self.subject(sentence, first, i)
        elif after:
            if lx.order == "svo" and first < i and self.subject(sentence, first, i).kind not in ("none", "other"):
                return  # "Mujahid said nothing"
            subject = self.subject(sentence, end, stop, nearest_first=True)
        else:
            subject = self.subject(sentence, first, i)
        if subject.kind in ("other", "none"):
            return
        frame = [(first, stop)]
        if first > sentence.t0:
            # "The Emirate will not allow it, Mujahid said."
            clause_first = self.left_boundary(sentence, first)
            if doc.at(clause_first, "preposition") or clause_first >= first:
                return
            comma = doc.ends[first - 1]
            while comma < doc.starts[first] and doc.text[comma] not in ",،":
                comma += 1
            if doc.word_count(doc.starts[clause_first], comma) < 3:
                return
            self.draft(paragraph, sentence, doc.starts[clause_first], comma, "indirect", subject, char, frame)
            return
        # "He added." as a sentence of its own, after a quotation standing alone
        if sentence.index == 0 or stop - sentence.t0 > _SHORT_FRAME:
            return
        prior = paragraph.sentences[sentence.index - 1]
        if len(prior.quotes) == 1 and self.stands_alone(prior, prior.quotes[0]) \
                and not doc.claimed_at(prior.quotes[0].open + 1):
            q = prior.quotes[0]
            self.draft(paragraph, sentence, q.open + 1, q.close, "direct", subject, char, frame, marked=True)

    def frame_start(self, sentence: _Sentence, i: int) -> int:
        """The token after the last comma before token ``i`` (the sentence start if none)."""
        doc = self.doc
        left = self.left_boundary(sentence, i)
        for t in range(i - 1, left, -1):
            gap = doc.text[doc.ends[t - 1]:doc.starts[t]]
            if "," in gap or "،" in gap:
                return t
        return left

    # -- quotations without a speech verb --------------------------------------------------
    def lone_quote(self, paragraph: _Paragraph, sentence: _Sentence, quote: Quote) -> None:
        doc = self.doc
        before = doc.text[sentence.start:quote.open].rstrip()
        if before.endswith(":") and not before[:-1].rstrip().endswith(tuple(".!?؟۔")):
            # a headline frame: "Taliban spokesman: “...”", "مجاهد: «...»"
            first, last = sentence.t0, doc.token_at(quote.open)
            if 0 < last - first <= 6 and not any(doc.at(t, "verb") for t in range(first, last)):
                subject = self.subject(sentence, first, last)
                trusted = subject.kind == "role" or subject.role or subject.key or (
                    subject.kind in ("name", "org") and self.lx.latin and " " in (subject.speaker or ""))
                if trusted and subject.kind in ("name", "org", "role"):
                    self.draft(paragraph, sentence, quote.open + 1, quote.close, "direct", subject,
                               quote.open, [(first, last)], marked=True)
            return
        if not self.stands_alone(sentence, quote):
            return
        # a quotation standing as a sentence continues the paragraph's speaker, unless the
        # next sentence is a short frame ("He added.") that will claim it
        if sentence.index + 1 < len(paragraph.sentences):
            nxt = paragraph.sentences[sentence.index + 1]
            if nxt.t1 - nxt.t0 <= _SHORT_FRAME and any(True for _ in self.verbs(nxt)):
                return
        if self.last_named(paragraph, quote.open) is None:
            return
        self.draft(paragraph, sentence, quote.open + 1, quote.close, "direct", _Subject("pronoun"),
                   quote.open, [], marked=True)

    def stands_alone(self, sentence: _Sentence, quote: Quote) -> bool:
        outside = self.doc.text[sentence.start:quote.open] + self.doc.text[quote.close + 1:sentence.end]
        return not any(ch.isalnum() for ch in outside)

    # -- drafts ----------------------------------------------------------------------------
    def last_named(self, paragraph: _Paragraph, before: int) -> _Draft | None:
        """The last statement before ``before``: whom "he said" / "وی افزود" continues.

        News puts one paragraph on a line and opens the next with "He added that ..." /
        "وأضاف أن ...", so the chain reaches back over up to ``_CONTINUE_PARAGRAPHS``
        paragraph breaks. A statement by an unnamed source ("a resident said") ends the
        chain: a pronoun after it means that source, not an earlier named speaker.
        """
        for draft in reversed(self.doc.drafts):
            if draft.paragraph is not paragraph:
                if paragraph.index - draft.paragraph.index > _CONTINUE_PARAGRAPHS:
                    return None
                if draft.paragraph.index < paragraph.index:
                    return draft
                continue
            if draft.anchor <= before + 1:
                return draft
        return None

    def draft(self, paragraph: _Paragraph, sentence: _Sentence, start: int, end: int, kind: str,
              subject: _Subject, anchor: int, frame: list[tuple[int, int]], marked: bool = False) -> None:
        doc = self.doc
        if not marked:
            end = self.clause_end(sentence, start, end)
        start, end = _trim_quote(doc.text, start, end, marked)
        if end <= start or doc.word_count(start, end) < _MIN_WORDS:
            return
        draft = _Draft(start, end, kind, subject, sentence, paragraph, anchor, frame=frame)
        draft.outlet, draft.statement = self.frame_outlet(sentence, frame)
        if subject.kind in ("name", "org"):
            draft.speaker, draft.role, draft.key = subject.speaker, subject.role, subject.key
            if subject.span is not None:
                words = tuple(_keys(doc.text[subject.span[0]:subject.span[1]]))
                if words:
                    self.known.add(words)
                    self.known.add(words[-1:])
        elif subject.kind in ("pronoun", "none"):
            antecedent = self.last_named(paragraph, anchor)
            salient = self.salient_person(paragraph, antecedent, anchor)
            if salient is not None:
                draft.speaker, draft.key = salient
            elif antecedent is not None:
                draft.antecedent = antecedent
                draft.speaker, draft.role, draft.key = antecedent.speaker, antecedent.role, antecedent.key
        elif subject.kind == "role":
            antecedent = self.same_role(subject.role)
            draft.role = subject.role
            if antecedent is not None:
                draft.antecedent = antecedent
                draft.speaker, draft.role, draft.key = antecedent.speaker, antecedent.role, antecedent.key
        if not draft.role and draft.statement and subject.kind == "org":
            draft.role = "statement"
        if draft.outlet is None:
            draft.outlet = self.sentence_outlet(sentence, start, end)
        if draft.outlet is None and draft.antecedent is not None:
            draft.outlet = draft.antecedent.outlet
        doc.drafts.append(draft)
        doc.claimed.append((start, end))

    def salient_person(self, paragraph: _Paragraph, antecedent: _Draft | None,
                       anchor: int) -> tuple[str, str | None] | None:
        """A person who became the topic after the last statement: whom "he said" means.

        "Prime Minister Shehbaz Sharif praised the army. He said that ...": the subject of a
        sentence without a statement, named after the last speaker (at the start of its
        sentence, or right before an agent marker: "شہباز شریف نے ... کیا۔ ان کا کہنا تھا").
        """
        doc = self.doc
        if not doc.persons:
            return None
        first_paragraph = max(0, paragraph.index - _CONTINUE_PARAGRAPHS)
        lo = antecedent.anchor if antecedent is not None else self.paragraphs[first_paragraph].start
        markers = self.lx.words.get("agent_marker", frozenset())
        best = None
        for s, e, canonical, key in doc.people:
            if not (lo < s and e < anchor) or (s, e) not in doc.persons or doc.claimed_at(s):
                continue
            t = doc.token_at(s)
            sentence_start = next((x.t0 for p in self.paragraphs for x in p.sentences if x.t0 <= t < x.t1), t)
            after = doc.token_at(e)
            opening = t - sentence_start <= 3
            marked = after < doc.n and doc.keys[after] in markers
            said_there = any(d.anchor > s and doc.token_at(d.anchor) < next(
                (x.t1 for p in self.paragraphs for x in p.sentences if x.t0 <= t < x.t1), t) for d in doc.drafts)
            if (opening or marked) and not said_there:
                best = (canonical, key)
        return best

    def clause_end(self, sentence: _Sentence, start: int, end: int) -> int:
        """A reported clause ends where the speaker goes on: "..., مؤكداً أن", "..., adding that"."""
        doc = self.doc
        first = doc.token_at(start)
        for t in range(first + 1, doc.token_at(end)):
            if not doc.at(t, "verb"):
                continue
            char = doc.starts[t]
            if any(q.open < char < q.close for q in sentence.quotes):
                continue
            lead = t
            while lead - 1 > first and doc.at(lead - 1, "stopword") and not doc.separated(lead):
                lead -= 1  # ", but added:", "، كما أكد"
            gap = doc.text[doc.ends[lead - 1]:doc.starts[lead]]
            if "," in gap or "،" in gap:
                return doc.ends[lead - 1] + min(gap.index(c) for c in ",،" if c in gap)
        return end

    def same_role(self, role: str) -> _Draft | None:
        """The last speaker whose role says at least what ``role`` says ("the spokesman")."""
        skipped = self.lx.words.get("determiner", frozenset()) | self.lx.words.get("link", frozenset())
        words = [w for w in _keys(role) if w not in skipped]
        if not words:
            return None
        suffixes = self.lx.suffixes

        def covered(word: str, theirs: list[str]) -> bool:
            return any(w == word or w.startswith(word) and w[len(word):] in suffixes for w in theirs)

        for draft in reversed(self.doc.drafts):
            if draft.speaker is not None:
                theirs = _keys(draft.role)
                if all(covered(w, theirs) for w in words):
                    return draft
        return None

    def frame_outlet(self, sentence: _Sentence, frame: list[tuple[int, int]]) -> tuple[str | None, bool]:
        outlet = None
        statement = False
        for span in self.phrases(sentence):
            if not any(a <= span.first < b or span.first < a < span.last for a, b in frame):
                continue
            if span.kind == "outlet" and outlet is None and span.outlet:
                outlet = span.outlet
            if span.kind == "statement":
                statement = True
        return outlet, statement

    def sentence_outlet(self, sentence: _Sentence, start: int, end: int) -> str | None:
        doc = self.doc
        for span in self.phrases(sentence):
            if span.kind == "outlet" and span.outlet and not (start <= doc.starts[span.first] < end):
                return span.outlet
        return None

    # -- dates and output ------------------------------------------------------------------
    def finish(self) -> list[StatementMatch]:
        doc = self.doc
        drafts = sorted(doc.drafts, key=lambda d: (d.start, d.kind != "direct", -(d.end - d.start)))
        kept: list[_Draft] = []
        for draft in drafts:
            clash = next((k for k in kept if draft.start < k.end and k.start < draft.end), None)
            if clash is not None:
                if clash.kind == "indirect" and draft.kind == "direct":
                    kept[kept.index(clash)] = draft
                continue
            kept.append(draft)
        out = []
        for draft in kept:
            out.append(StatementMatch(
                speaker=draft.speaker,
                speaker_role=draft.role,
                quote=doc.text[draft.start:draft.end],
                kind=draft.kind,
                date=self.date_of(draft),
                outlet=draft.outlet,
                start=draft.start,
                end=draft.end,
                speaker_key=draft.key,
            ))
        return out

    def date_of(self, draft: _Draft) -> str | None:
        found = self.date_in(draft.sentence, draft)
        if found is None and draft.sentence.index > 0:
            found = self.date_in(draft.paragraph.sentences[0], draft)
        if found is None and draft.antecedent is not None:
            found = self.date_of(draft.antecedent)
        return found

    def date_in(self, sentence: _Sentence, draft: _Draft) -> str | None:
        doc = self.doc
        candidates: list[tuple[int, str]] = []
        if doc._find_dates is not None:
            for s, e, iso in doc.dates:
                if sentence.start <= s and e <= sentence.end and iso and not (draft.start <= s < draft.end):
                    candidates.append((abs(s - draft.anchor), iso))
        elif self.doc.published is not None:
            for span in self.phrases(sentence):
                phrase = span.phrase
                if span.kind != "adverbial" or phrase is None:
                    continue
                s = doc.starts[span.first]
                if draft.start <= s < draft.end:
                    continue
                iso = _relative(phrase, self.doc.published)
                if iso:
                    candidates.append((abs(s - draft.anchor), iso))
        if not candidates:
            return None
        return min(candidates)[1]


def _relative(phrase: _Phrase, published: date) -> str | None:
    if phrase.days_ago is not None:
        return (published - timedelta(days=phrase.days_ago)).isoformat()
    if phrase.weekday is not None:
        back = (published.weekday() - phrase.weekday) % 7
        return (published - timedelta(days=back)).isoformat()
    return None


_OPEN_TRIM = " \t\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\n"


def _trim_quote(text: str, start: int, end: int, marked: bool) -> tuple[int, int]:
    """Trim spaces, and the comma or full stop that belongs to the sentence, not the quotation."""
    while start < end and text[start] in _OPEN_TRIM:
        start += 1
    while True:
        while end > start and text[end - 1] in _OPEN_TRIM:
            end -= 1
        if end > start and text[end - 1] in ",،;؛:":
            end -= 1
            continue
        if not marked and end > start and text[end - 1] in ".۔" and not text[start:end].endswith("..") \
                and not (end - start >= 3 and text[end - 3] == "." and text[end - 2].isupper()):
            end -= 1
            continue
        break
    return start, end


_QUOTE_MARK = re.compile("[\"«“”„'‘’‹]")


def _has_quote_mark(text: str, start: int = 0, end: int | None = None) -> bool:
    return _QUOTE_MARK.search(text, start, len(text) if end is None else end) is not None

