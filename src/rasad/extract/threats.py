"""Threat detection: which sentences call for, threaten, praise, report or deny violence.

The same words ("martyrdom operation", عملیات استشهادی, ځانمرګی برید) appear in a news
report of an attack, in a eulogy of it and in a call for the next one; an analyst needs
those apart. So every sentence is read twice over: once for *what* it is about (a threat
category, from cue terms) and once for *what it does* with it (a mode, from verbs and
formulas: imperatives and "must" for a call, first-person future for a threat, "heroic"
and congratulations for praise, news verbs and attributions for a report, "denied" for a
denial). The score is the product of the two, so a call to carry out a martyrdom
operation outranks a eulogy of one, which outranks a news report of one.

All language data lives in ``lexicons/threats/<lang>.yaml`` (format in the README there)
so analysts can extend it without a release; one Aho-Corasick automaton per language is
built from it on first use, and a document is matched in a single pass over its
normalised text (``rasad.text.normalize``), so spelling habits and keyboards do not
matter. The rules are deliberately simple and visible: a sentence with no cue yields
nothing, and actor and target are filled only when a listed name is in the sentence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from rasad.errors import ConfigError
from rasad.extract.lexicon import cue_entries, cue_patterns
from rasad.model import ThreatMatch
from rasad.text.normalize import normalize, normalize_with_offsets
from rasad.yamldata import read_lexicon

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "MODES",
    "ThreatLexicon",
    "detect_threats",
    "load_lexicon",
]

# The threat categories of the analysis contract (ARCHITECTURE.md): extend, never rename.
CATEGORIES = (
    "suicide_attack",
    "call_to_violence",
    "threat_of_attack",
    "recruitment",
    "foreign_fighters",
    "financing",
    "weapons",
    "incitement",
    "praise_of_attack",
)
MODES = ("call", "threat", "praise", "report", "denial")
LANGUAGES = ("en", "fa", "ps", "ar", "ur")  # one lexicon each; Dari (prs) uses fa

# --- scoring ------------------------------------------------------------------------------
# score = cue strength x mode weight (x _NEGATED when a negation stands next to the cue)
_MODE_WEIGHT = {"call": 1.0, "threat": 0.9, "praise": 0.7, "report": 0.3, "denial": 0.1}
_UNMARKED = 0.4  # no mode cue at all: bare text, neither a news verb nor a call (mode "report")
_NEGATED = 0.3
_EXTRA_CUE_BONUS = 0.05  # each further distinct cue of the same category, at most two
_MAX_EXTRA_CUES = 2
_MARKER_REACH = 3  # a target comes at most two words after its marker (spaces between)
_STRONG = 0.8  # an off-topic word (football, weather ...) drops the cues weaker than this
_DEFAULT_WEIGHT = 0.8
# categories whose cues show by themselves that an attack is being talked about
_VIOLENT = frozenset({"suicide_attack", "call_to_violence", "threat_of_attack", "praise_of_attack"})
_MODE_PRIORITY = {"call": 4, "threat": 3, "praise": 2, "report": 1}

# language codes that mean a lexicon of LANGUAGES
_LANGUAGE_ALIASES = {
    "prs": "fa", "fas": "fa", "per": "fa", "pes": "fa",
    "pus": "ps", "pbt": "ps", "pbu": "ps", "pst": "ps",
    "ara": "ar", "arb": "ar",
    "urd": "ur",
    "eng": "en",
}

# --- sentences ----------------------------------------------------------------------------
# A sentence ends at . ! ? ؟ ۔ … (with any closing quotes or brackets) and a clause at ; ؛
# or a line break. A full stop between digits (3.5) or after a lone capital (U.S., J. Smith)
# ends nothing.
# (one leading character class lets the regex engine skip ahead: three times faster)
_BOUNDARY = re.compile(r"[.!?؟۔…;؛\n\r\u2028\u2029][.!?؟۔…]*[\"'»”’)\]]*")
_CLAUSE_MARKS = frozenset(";؛\n\r\u2028\u2029")
_MAX_SENTENCE = 600  # longer runs (scraped text without punctuation) are cut at commas
_COMMA = re.compile(r"[,،]\s")
_EDGE_JUNK = " \t\r\n\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        mark = m.group()
        if mark[0] in _CLAUSE_MARKS:  # dropped, and what follows it opens the next clause
            _add_trimmed(spans, text, start, m.start())
            start = m.start() + 1
            continue
        if mark[0] == "." and mark.rstrip("\"'»”’)]") == "." and _inside_word(text, m.start()):
            continue
        _add_trimmed(spans, text, start, m.end())
        start = m.end()
    _add_trimmed(spans, text, start, len(text))
    return spans


def _inside_word(text: str, dot: int) -> bool:
    """A full stop in 3.5 or after the lone capital of U.S. or J. Smith ends nothing."""
    after = text[dot + 1] if dot + 1 < len(text) else ""
    if after.isdigit():
        return True
    before = text[dot - 1] if dot else ""
    return "A" <= before <= "Z" and (dot < 2 or not text[dot - 2].isalpha())


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.lstrip(_EDGE_JUNK)
    start += len(piece) - len(stripped)
    end = start + len(stripped.rstrip(_EDGE_JUNK))
    if end - start <= _MAX_SENTENCE:
        if end > start:
            spans.append((start, end))
        return
    # cut at the comma nearest before the limit, or at a space, or hard at the limit
    while end - start > _MAX_SENTENCE:
        cut = None
        for m in _COMMA.finditer(text, start + 1, start + _MAX_SENTENCE):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + 1, start + _MAX_SENTENCE)
            cut = space + 1 if space > start else start + _MAX_SENTENCE
        _add_trimmed(spans, text, start, cut)
        start = cut
    _add_trimmed(spans, text, start, end)


# --- lexicon ------------------------------------------------------------------------------
_LIST_KINDS = ("negation", "condemnation", "off_topic", "exclude", "actors", "targets")
_CONTEXTS = ("attack", "militant")
_CATEGORY_MODES = ("call", "threat", "praise", "report")
_ENTRY_KEYS = frozenset({"cue", "weight", "mode", "needs", "dialect", "exact", "unless", "spelled", "note"})
_TOP_KEYS = frozenset(
    {"language", "suffixes", "prefixes", "negation_window", "categories", "modes", "context",
     "target_markers", *_LIST_KINDS}
)
_ZWNJ = "\u200c"


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str  # category, mode, negation, condemnation, context, off_topic, exclude, actor, target, after, before
    label: str  # the category, mode or context group; "" for the other kinds
    text: str  # as written in the lexicon
    weight: float = _DEFAULT_WEIGHT
    mode: str | None = None  # the mode a category cue implies by itself (an imperative: call)
    needs: str | None = None  # "attack" or "militant": counts only with such a word nearby
    exact: bool = False  # no prefixes or suffixes added
    spelled: tuple[str, ...] = ()  # counts only if the original text spells one of these


_NAME_KINDS = frozenset({"actor", "target", "after", "before"})


class ThreatLexicon:
    """One language's cues, compiled into one automaton. Build with ``load_lexicon``."""

    def __init__(self, language: str, cues: list[_Cue], prefixes: list[str], suffixes: list[str],
                 negation_window: tuple[int, int]) -> None:
        self.language = language
        self.negation_before, self.negation_after = negation_window
        patterns: dict[str, list[tuple[_Cue, int]]] = {}
        for cue in cues:
            for pattern, prefix_len in _patterns(cue, prefixes, suffixes):
                patterns.setdefault(pattern, []).append((cue, prefix_len))
        automaton = ahocorasick.Automaton()
        for pattern, owners in patterns.items():
            automaton.add_word(pattern, (len(pattern), not pattern.endswith(" "), tuple(owners)))
        if patterns:
            automaton.make_automaton()
        self._automaton = automaton if patterns else None
        self.cue_count = len(cues)
        self.pattern_count = len(patterns)

    def __repr__(self) -> str:
        return f"<ThreatLexicon {self.language}: {self.cue_count} cues, {self.pattern_count} patterns>"

    def hits(self, key: str) -> Iterator[tuple[int, int, _Cue, int]]:
        """(start, end, cue, prefix length) of every cue in ``key`` (padded with spaces)."""
        if self._automaton is None:
            return
        for last, (length, open_end, owners) in self._automaton.iter(key):
            start = last - length + 2  # after the leading space
            end = last + 1 if open_end else last  # before the trailing space
            for cue, prefix_len in owners:
                yield start, end, cue, prefix_len


def _patterns(cue: _Cue, prefixes: list[str], suffixes: list[str]) -> Iterator[tuple[str, int]]:
    """Every spelling of ``cue``; an ``exact`` entry takes no suffixes and no prefixes."""
    return cue_patterns(cue.text, prefixes, suffixes, use_suffixes=not cue.exact, use_prefixes=not cue.exact)


def _lexicon_path(language: str) -> Any:
    return resources.files("rasad.extract").joinpath("lexicons", "threats", f"{language}.yaml")


def _read_yaml(source: Any, name: str) -> dict[str, Any]:
    return read_lexicon(source, name, "a threat lexicon is a mapping (see lexicons/threats/README.md)", _TOP_KEYS)


def _entries(value: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for place, text, item, weight in cue_entries(value, where, _ENTRY_KEYS, _DEFAULT_WEIGHT):
        if item.get("needs") not in (None, *_CONTEXTS):
            raise ConfigError(f"{place} ({text}): needs must be one of {', '.join(_CONTEXTS)}")
        if item.get("mode") not in (None, *_CATEGORY_MODES):
            raise ConfigError(f"{place} ({text}): mode must be one of {', '.join(_CATEGORY_MODES)}")
        if not isinstance(item.get("exact", False), bool):
            raise ConfigError(f"{place} ({text}): exact is true or false")
        for key in ("unless", "spelled"):
            phrases = item.get(key, [])
            if not isinstance(phrases, list) or not all(isinstance(v, str) and v.strip() for v in phrases):
                raise ConfigError(f"{place} ({text}): {key} is a list of phrases")
        out.append({**item, "cue": text, "weight": weight})
    return out


def _cues_of(data: dict[str, Any], name: str) -> list[_Cue]:
    cues: list[_Cue] = []

    def add(kind: str, label: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            cues.append(_Cue(
                kind=kind,
                label=label,
                text=item["cue"],
                weight=item["weight"],
                mode=item.get("mode"),
                needs=item.get("needs"),
                exact=bool(item.get("exact", False)),
                spelled=tuple(item.get("spelled", ())),
            ))
            for phrase in item.get("unless", []):
                # cancels this cue (by its text) wherever the phrase overlaps it
                cues.append(_Cue(kind="exclude", label=item["cue"], text=phrase))

    categories = data.get("categories") or {}
    if not isinstance(categories, dict):
        raise ConfigError(f"{name}: categories: expected a mapping of category to cues")
    for category, items in categories.items():
        if category not in CATEGORIES:
            raise ConfigError(
                f"{name}: unknown category {category!r}; the categories are {', '.join(CATEGORIES)}"
            )
        add("category", category, _entries(items, f"{name}: categories.{category}"))
    modes = data.get("modes") or {}
    if not isinstance(modes, dict):
        raise ConfigError(f"{name}: modes: expected a mapping of mode to cues")
    for mode, items in modes.items():
        if mode not in MODES:
            raise ConfigError(f"{name}: unknown mode {mode!r}; the modes are {', '.join(MODES)}")
        add("mode", mode, _entries(items, f"{name}: modes.{mode}"))
    context = data.get("context") or {}
    if not isinstance(context, dict):
        raise ConfigError(f"{name}: context: expected a mapping of group to cues")
    for group, items in context.items():
        if group not in _CONTEXTS:
            raise ConfigError(f"{name}: unknown context group {group!r}; use {', '.join(_CONTEXTS)}")
        add("context", group, _entries(items, f"{name}: context.{group}"))
    for kind in _LIST_KINDS:
        label = {"actors": "actor", "targets": "target"}.get(kind, kind)
        add(label, "", _entries(data.get(kind), f"{name}: {kind}"))
    markers = data.get("target_markers") or {}
    if not isinstance(markers, dict) or set(markers) - {"after", "before"}:
        raise ConfigError(f"{name}: target_markers: expected 'after' and/or 'before' lists")
    for side, items in markers.items():
        add(side, "", _entries(items, f"{name}: target_markers.{side}"))
    return cues


def _string_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list")
    return [normalize(str(v)) for v in value if normalize(str(v))]


def load_lexicon(language: str, *extra: Path | str) -> ThreatLexicon:
    """The packaged lexicon of ``language`` plus an analyst's additions in ``extra`` files.

    Lists in an extra file are added to the packaged ones; ``suffixes``, ``prefixes`` and
    ``negation_window`` replace them. Errors name the file and the entry.
    """
    code = _lexicon_code(language)
    if code is None:
        raise ConfigError(f"no threat lexicon for language {language!r}; there are: {', '.join(LANGUAGES)}")
    documents = [(_read_yaml(_lexicon_path(code), f"{code}.yaml"), f"{code}.yaml")]
    for path in extra:
        documents.append((_read_yaml(Path(path), str(path)), str(path)))
    cues: list[_Cue] = []
    prefixes: list[str] = []
    suffixes: list[str] = []
    window = (4, 4)
    for data, name in documents:
        declared = data.get("language")
        if declared is not None and _lexicon_code(str(declared)) != code:
            raise ConfigError(f"{name}: language {declared!r} does not match {code!r}")
        cues.extend(_cues_of(data, name))
        if "prefixes" in data:
            prefixes = _string_list(data["prefixes"], f"{name}: prefixes")
        if "suffixes" in data:
            suffixes = _string_list(data["suffixes"], f"{name}: suffixes")
        if "negation_window" in data:
            value = data["negation_window"]
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 20 for v in value)):
                raise ConfigError(f"{name}: negation_window is [tokens before, tokens after], 0 to 20 each")
            window = (value[0], value[1])
    return ThreatLexicon(code, cues, prefixes, suffixes, window)


@functools.cache
def _packaged(code: str) -> ThreatLexicon:
    return load_lexicon(code)


def _lexicon_code(language: str) -> str | None:
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] if language else ""
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


# --- detection ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    start: int  # in the joined key, end exclusive
    end: int
    cue: _Cue
    prefix_len: int


def detect_threats(text: str, language: str, *, lexicon: ThreatLexicon | None = None) -> list[ThreatMatch]:
    """Threat signals in ``text``: one match per sentence and category, best first per sentence.

    ``language`` is an ISO code (en, fa, prs, ps, ar, ur; regional tags such as fa-AF are
    accepted); a language without a lexicon yields no matches. ``lexicon`` replaces the
    packaged one (see ``load_lexicon``).
    """
    if lexicon is None:
        code = _lexicon_code(language or "")
        if code is None:
            return []
        lexicon = _packaged(code)
    if not text:
        return []
    spans, keys = _sentence_keys(text)
    if not keys:
        return []
    # one pass over all sentences, kept apart by " | " (no cue contains "|")
    key_starts: list[int] = []
    position = 1
    for key in keys:
        key_starts.append(position)
        position += len(key) + 3
    joined = " " + " | ".join(keys) + " "
    # hits arrive in order of their end, and no cue spans a " | ", so the sentence index
    # only moves forward; a sentence is judged only if a category cue is in it
    by_sentence: dict[int, list[tuple[int, int, _Cue, int]]] = {}
    with_category: set[int] = set()
    index = 0
    last = len(key_starts) - 1
    for hit in lexicon.hits(joined):
        while index < last and key_starts[index + 1] <= hit[0]:
            index += 1
        by_sentence.setdefault(index, []).append(hit)
        if hit[2].kind == "category":
            with_category.add(index)
    matches: list[ThreatMatch] = []
    for index in sorted(with_category):
        hits = [_Hit(*hit) for hit in by_sentence[index]]
        matches.extend(_judge_sentence(text, spans[index], keys[index], key_starts[index],
                                       joined, hits, lexicon))
    return matches


# a letter normalize keeps as it is, inside the blocks its fast path covers, and that
# news text does not use (LATIN LETTER BILABIAL PERCUSSIVE)
_SEAM = "\u02ac"


def _sentence_keys(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The sentences of ``text`` that have a key, with their keys.

    The sentences are normalised in one call, sewn together with a rare letter and cut
    apart again, which is much faster than one call per sentence; when the text
    itself holds that letter (or normalisation ever drops it) each sentence is normalised
    on its own.
    """
    all_spans = _sentences(text)
    keys: list[str] | None = None
    if _SEAM not in text and all_spans:
        sewn = normalize(f" {_SEAM} ".join(text[start:end] for start, end in all_spans))
        pieces = sewn.split(_SEAM)
        if len(pieces) == len(all_spans):
            keys = [piece.strip(" ") for piece in pieces]
    if keys is None:
        keys = [normalize(text[start:end]) for start, end in all_spans]
    spans = [span for span, key in zip(all_spans, keys, strict=True) if key]
    return spans, [key for key in keys if key]


def _judge_sentence(text: str, span: tuple[int, int], key: str, key_start: int, joined: str,
                    hits: list[_Hit], lexicon: ThreatLexicon) -> list[ThreatMatch]:
    original = _SentenceMap(text, span, key, key_start)
    if any(h.cue.spelled for h in hits):
        hits = [h for h in hits if not h.cue.spelled or any(w in original.text_of(h) for w in h.cue.spelled)]
    names = [h for h in hits if h.cue.kind in _NAME_KINDS]
    cues = _resolve([h for h in hits if h.cue.kind not in _NAME_KINDS])
    kinds: dict[str, list[_Hit]] = {}
    for hit in cues:
        kinds.setdefault(hit.cue.kind, []).append(hit)
    categories = kinds.get("category", [])
    if kinds.get("off_topic"):
        categories = [h for h in categories if h.cue.weight >= _STRONG]
    contexts = {h.cue.label for h in kinds.get("context", [])}
    for hit in categories:
        if hit.cue.needs is None:
            contexts.add("militant")
            if hit.cue.label in _VIOLENT:
                contexts.add("attack")
    categories = [h for h in categories if h.cue.needs is None or h.cue.needs in contexts]
    if not categories:
        return []
    by_category: dict[str, list[_Hit]] = {}
    for hit in categories:
        by_category.setdefault(hit.cue.label, []).append(hit)

    def token(position: int) -> int:
        return joined.count(" ", key_start, position)

    negations = [token(h.start) for h in kinds.get("negation", [])]
    sentence_modes = [(h.cue.label, h.cue.weight) for h in kinds.get("mode", []) if h.cue.label != "denial"]
    sentence_modes += [(h.cue.mode, 1.0) for h in categories if h.cue.mode]
    denial = max((h.cue.weight for h in kinds.get("mode", []) if h.cue.label == "denial"), default=None)
    condemned = bool(kinds.get("condemnation"))
    actor, marked_target, named_target = _actor_and_target(original, joined, names) if names else (None, None, None)

    start, end = span
    evidence = text[start:end]
    results = []
    for category, own in by_category.items():
        own_modes = [(h.cue.mode, 1.0) for h in own if h.cue.mode]
        mode, factor = _mode(own_modes or sentence_modes, denial, condemned)
        negated = mode == "denial"
        if not negated and negations:
            for hit in own:
                first = token(hit.start)
                last = first + joined.count(" ", hit.start, hit.end)
                if any(first - lexicon.negation_before <= n <= last + lexicon.negation_after for n in negations):
                    negated = True
                    factor *= _NEGATED
                    break
        weights = sorted({h.cue.text: h.cue.weight for h in own}.values(), reverse=True)
        strength = min(1.0, weights[0] + _EXTRA_CUE_BONUS * min(_MAX_EXTRA_CUES, len(weights) - 1))
        score = round(min(1.0, max(0.0, strength * factor)), 2)
        target = marked_target or (named_target if mode in ("call", "threat") else None)
        results.append(ThreatMatch(category=category, score=score, evidence=evidence, start=start,
                                   end=end, mode=mode, negated=negated, actor=actor, target=target))
    results.sort(key=lambda m: (-m.score, CATEGORIES.index(m.category)))
    return results


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Drop cues cancelled by an ``exclude`` or ``unless`` phrase, then cues inside a longer cue.

    "will never stop" (a threat) swallows "never" (a negation) and "heart attack"
    (excluded) swallows "attack". A category cue yields only to a longer cue of its own
    category, so "heroic martyrdom operation" is praise and a suicide attack both.
    Identical spans are all kept ("نخواهیم" is a negation and a future at once).
    """
    cancelling = [h for h in hits if h.cue.kind == "exclude"]
    if cancelling:
        hits = [h for h in hits if h.cue.kind != "exclude" and not any(
            h.start < c.end and h.end > c.start and (c.cue.label == "" or c.cue.label == h.cue.text)
            for c in cancelling
        )]
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[_Hit] = []
    by_category: dict[str, int] = {}  # furthest end of a cue of each category so far
    furthest = -1  # ... of any cue
    for hit in hits:
        is_category = hit.cue.kind == "category"
        reach = by_category.get(hit.cue.label, -1) if is_category else furthest
        if hit.end > reach or (kept and (kept[-1].start, kept[-1].end) == (hit.start, hit.end)):
            kept.append(hit)
        if is_category:
            by_category[hit.cue.label] = max(by_category.get(hit.cue.label, -1), hit.end)
        furthest = max(furthest, hit.end)
    return kept


def _mode(candidates: Iterable[tuple[str | None, float]], denial: float | None,
          condemned: bool) -> tuple[str, float]:
    """The mode a sentence gives its threat, and its weight.

    A mode cue of confidence c moves the weight from report's toward its mode's by c; the
    strongest reading wins (ties by call > threat > praise > report). A denial wins unless
    a call or threat cue is surer than it; a condemnation makes the sentence a report.
    """
    best: tuple[float, int, str] | None = None
    report = False
    surest_call = 0.0
    for mode, confidence in candidates:
        if mode is None:
            continue
        if mode == "report":
            report = True
            continue
        if mode in ("call", "threat"):
            surest_call = max(surest_call, confidence)
        low = _MODE_WEIGHT["report"]
        factor = low + (_MODE_WEIGHT[mode] - low) * confidence
        option = (factor, _MODE_PRIORITY[mode], mode)
        if best is None or option > best:
            best = option
    if denial is not None and denial >= surest_call:
        return "denial", _MODE_WEIGHT["denial"]
    if condemned:
        return "report", _MODE_WEIGHT["report"]
    if best is not None:
        return best[2], best[0]
    return "report", _MODE_WEIGHT["report"] if report else _UNMARKED


_WORD = re.compile(r"\S+")


class _SentenceMap:
    """Maps cue hits back to the original text of one sentence (built on first need).

    Works word by word: every whitespace-separated word is normalised on its own (the key
    of the sentence is the keys of its words joined by spaces, as ``normalize`` maps each
    character on its own), and only the words a hit touches are walked character by
    character, which costs far less than ``normalize_with_offsets`` on the whole sentence.
    """

    def __init__(self, text: str, span: tuple[int, int], key: str, key_start: int) -> None:
        self.text = text
        self.span = span
        self.key = key
        self.key_start = key_start
        self._words: list[tuple[int, int, int, str]] | None = None  # key start, start, end, key
        self._word_starts: list[int] = []

    def _index(self) -> list[tuple[int, int, int, str]]:
        if self._words is None:
            words = []
            position = 0
            for m in _WORD.finditer(self.text, self.span[0], self.span[1]):
                word_key = normalize(m.group())
                if word_key:
                    words.append((position, m.start(), m.end(), word_key))
                    position += len(word_key) + 1
            # the word keys joined by spaces are the sentence key by construction; if they
            # ever were not, map nothing rather than something wrong
            if " ".join(w[3] for w in words) != self.key:
                words = []
            self._words = words
            self._word_starts = [w[0] for w in words]
        return self._words

    def _original(self, position: int) -> int | None:
        """Index in the text of the character that produced key ``position`` (local)."""
        words = self._index()
        if not words:
            return None
        word_start, start, end, word_key = words[bisect_right(self._word_starts, position) - 1]
        inside = position - word_start
        if inside >= len(word_key):  # the space after the word
            return end
        if len(word_key) == end - start and word_key == self.text[start:end]:
            return start + inside  # the common case: the word is its own key
        _, offsets = normalize_with_offsets(self.text[start:end])
        return start + offsets[inside]

    def bounds(self, hit: _Hit) -> tuple[int, int] | None:
        """Original (start, end) of a hit, without its clitic prefix or trailing punctuation."""
        first = self._original(hit.start - self.key_start + hit.prefix_len)
        last = self._original(hit.end - self.key_start - 1)
        if first is None or last is None:
            return None
        last += 1
        # marks and joiners that belong to the last letter (harakat, ZWNJ before a suffix)
        limit = self.span[1]
        while last < limit and not self.text[last].isspace() and not normalize(self.text[last]) \
                and not _is_separator(self.text[last]):
            last += 1
        while last > first and _is_separator(self.text[last - 1]):
            last -= 1
        return first, last

    def text_of(self, hit: _Hit) -> str:
        bounds = self.bounds(hit)
        return self.text[bounds[0]:bounds[1]] if bounds else ""


def _actor_and_target(original: _SentenceMap, joined: str,
                      names: list[_Hit]) -> tuple[str | None, str | None, str | None]:
    """Who acts and against whom, when the sentence names them; None when it does not.

    Returns the actor, the marked target and the named target. The marked target is a
    listed name at most two words after a marker such as "against", علیه, ضد (or before a
    postposition such as کے خلاف, باندې); the named target is the first listed target
    class, which the caller trusts only in a call or a threat ("police said" in a report
    names a source, not a target). The actor is the first listed actor that is not the
    marked target.
    """
    mentions = _resolve([h for h in names if h.cue.kind in ("actor", "target")])
    if not mentions:
        return None, None, None
    after = [h.end for h in names if h.cue.kind == "after"]
    before = [h.start for h in names if h.cue.kind == "before"]

    def marked(hit: _Hit) -> bool:
        return any(end <= hit.start and joined.count(" ", end, hit.start) <= _MARKER_REACH for end in after) or any(
            start >= hit.end and joined.count(" ", hit.end, start) <= _MARKER_REACH for start in before
        )

    marked_hit = next((h for h in mentions if marked(h)), None)
    named_hit = next((h for h in mentions if h.cue.kind == "target" and h is not marked_hit), None)
    actor_hit = next((h for h in mentions if h.cue.kind == "actor" and h is not marked_hit), None)

    def surface(hit: _Hit | None) -> str | None:
        return (original.text_of(hit) or None) if hit is not None else None

    return surface(actor_hit), surface(marked_hit), surface(named_hit)


def _is_separator(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZS" or unicodedata.category(ch) == "Cf"
