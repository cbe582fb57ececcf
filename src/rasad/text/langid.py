"""Language and Persian dialect of a text, for the languages Rasad monitors.

Arabic-script text is decided among Persian (fa), Arabic (ar), Pashto (ps) and Urdu (ur)
by mixing up to four opinions, each a probability distribution over the four:

- function words (data/langid_features.yaml): each language's share of the hits;
- letters only some languages use (Pashto ټ ښ ځ ..., Urdu ے ں ہ ٹ ..., Arabic ة إ ى,
  and پ چ ژ گ against Arabic), counted in the raw text;
- the share of words carrying the Arabic article ال: about a third in Arabic, a few
  borrowed names in the others (binomial odds, Arabic against the rest);
- py3langid restricted to the four (an instance of its own; the module-level py3langid
  identifier is left alone) on the first ``MODEL_CHARS`` characters, flattened towards
  uniform for texts of fewer than 20 letters. It is skipped when words and letters are
  already unanimous, which they are for most news text.

Words and letters weigh more than the model once there are a few of them, because the
model is swayed by keyboards (Persian typed with Arabic ي/ك looks Arabic to it: a
Persian headline typed so comes out "und" rather than "ar") and Pashto and Urdu share
most letters with Persian. Other scripts go to the full py3langid model. Text with
fewer than ``MIN_LETTERS`` letters, no script holding ``MIN_SCRIPT_SHARE`` of the
letters, or a best guess under ``MIN_CONFIDENCE`` is "und".

Dialect, for Persian only: weighted Dari and Iranian markers (vocabulary, institutions,
month names used as dates) from data/dialect_markers.yaml. The side with at least
``threshold`` evidence and ``ratio`` times the other side's wins; otherwise the dialect
is None, unless the source hint names one. That file spells out the rule.

A source hint ("prs", "fa", "ps", "fa-AF" ...) adds a small vote, settles near-ties and
decides texts too short to judge; it never overrides clear evidence. "prs" and "fa-AF"
mean Persian, dialect Dari; "fa-IR" and "pes" mean Persian, dialect Iranian; plain "fa"
names the language only, since sources label Dari "fa" as often as not.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rasad.model import LanguageGuess
from rasad.text.normalize import normalize
from rasad.text.script import NO_SCRIPT, script_counts
from rasad.yamldata import load_yaml

__all__ = ["ARABIC_SCRIPT_LANGUAGES", "MIN_CONFIDENCE", "MIN_LETTERS", "detect", "dialect_scores"]

ARABIC_SCRIPT_LANGUAGES = ("fa", "ar", "ps", "ur")
MIN_LETTERS = 3
MIN_SCRIPT_SHARE = 0.6  # below this the text mixes scripts with no dominant language
MIN_CONFIDENCE = 0.45
SAMPLE_CHARS = 2000  # scripts, letters and words are counted here
MODEL_CHARS = 600  # py3langid reads this much; its byte-by-byte walk is the slow part
DIALECT_CHARS = 3000  # dialect markers are rarer, so read further

HINT_WEIGHT = 0.3  # a hint's vote in the Arabic-script mixture
HINT_TIE = 0.1  # a hinted language this close to the best one is taken

_MODEL_WEIGHT = 1.0
_WORD_WEIGHT = 2.0  # reached at _WORDS_FOR_FULL_WEIGHT hits
_LETTER_WEIGHT = 1.5  # reached at _LETTERS_FOR_FULL_WEIGHT letters
_WORDS_FOR_FULL_WEIGHT = 4
_LETTERS_FOR_FULL_WEIGHT = 4
_ARTICLE_WEIGHT = 1.0  # reached at _WORDS_FOR_FULL_ARTICLE_WEIGHT words
_WORDS_FOR_FULL_ARTICLE_WEIGHT = 8
_MODEL_LETTERS_FOR_FULL_TRUST = 20
_SKIP_MODEL_HITS = 12  # words and letters this unanimous make the model unnecessary
_SKIP_MODEL_SHARE = 0.85

_LETTER_CLASS = "\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f"
_ARABIC_WORD = re.compile(f"[{_LETTER_CLASS}]+")  # no digits, punctuation or ZWNJ
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")

_HINTS: dict[str, tuple[str, str | None]] = {
    "fa": ("fa", None), "per": ("fa", None), "fas": ("fa", None), "persian": ("fa", None),
    "farsi": ("fa", None), "prs": ("fa", "prs"), "dari": ("fa", "prs"), "fa-af": ("fa", "prs"),
    "pes": ("fa", "fa"), "fa-ir": ("fa", "fa"), "ps": ("ps", None), "pus": ("ps", None),
    "pbt": ("ps", None), "pbu": ("ps", None), "pashto": ("ps", None), "ar": ("ar", None),
    "ara": ("ar", None), "arb": ("ar", None), "arabic": ("ar", None), "ur": ("ur", None),
    "urd": ("ur", None), "urdu": ("ur", None), "en": ("en", None), "eng": ("en", None),
    "english": ("en", None),
}
# py3langid labels folded into the language Rasad reports: Egyptian and Moroccan Arabic
# are Arabic; its Nigerian Pidgin model mostly steals probability from short English
# headlines, and Rasad's sources publish no Pidgin; "zxx" means no language at all.
_MODEL_CODES = {"zxx": "und", "arz": "ar", "ary": "ar", "pcm": "en"}


def detect(text: str, hint: str | None = None) -> LanguageGuess:
    """Language, Persian dialect, script and confidence of ``text``; never raises on a str."""
    sample = text[:SAMPLE_CHARS]
    counts = script_counts(sample)
    letters = sum(counts.values())
    script = max(counts, key=counts.__getitem__) if counts else NO_SCRIPT
    if letters < MIN_LETTERS:
        return LanguageGuess("und", None, script, 0.0)
    share = counts[script] / letters
    if share < MIN_SCRIPT_SHARE:
        return LanguageGuess("und", None, script, round(share, 3))
    hint_language, hint_dialect = _parse_hint(hint)
    if not _fits_script(hint_language, script):
        hint_language = hint_dialect = None

    if script == "Arab":
        language, confidence = _arabic_script_language(sample, counts[script], hint_language)
    else:
        language, confidence = _model_language(sample, hint_language)
    if confidence < MIN_CONFIDENCE and hint_language:
        language, confidence = hint_language, MIN_CONFIDENCE  # too little to judge: trust the source
    if language == "und" or confidence < MIN_CONFIDENCE:
        return LanguageGuess("und", None, script, round(confidence, 3))

    dialect = None
    if language == "fa":
        dialect = _decide_dialect(dialect_scores(text[:DIALECT_CHARS]))
        if dialect is None and hint_language == "fa":
            dialect = hint_dialect
    return LanguageGuess(language, dialect, script, round(confidence, 3))


def _parse_hint(hint: str | None) -> tuple[str | None, str | None]:
    if not hint or not hint.strip():
        return None, None
    key = hint.strip().lower().replace("_", "-")
    if key in _HINTS:
        return _HINTS[key]
    base = key.split("-", 1)[0]
    return _HINTS.get(base, (base, None))[0], None


def _fits_script(language: str | None, script: str) -> bool:
    """Whether a hinted language is written in ``script`` (it says nothing otherwise)."""
    if not language or language == "und":
        return False
    return (language in ARABIC_SCRIPT_LANGUAGES) == (script == "Arab")


# --- Arabic script ------------------------------------------------------------------


def _arabic_script_language(sample: str, arabic_letters: int, hint: str | None) -> tuple[str, float]:
    features = _features()
    opinions: list[tuple[float, dict[str, float]]] = []

    hits: Counter[str] = Counter()
    owner = features.word_language
    word_counts = Counter(_ARABIC_WORD.findall(_HARAKAT.sub("", sample)))
    for word, n in word_counts.items():
        language = owner.get(word)
        if language is not None:
            hits[language] += n
    total_hits = sum(hits.values())
    words = _share(hits)
    if total_hits:
        opinions.append((_WORD_WEIGHT * min(1.0, total_hits / _WORDS_FOR_FULL_WEIGHT), words))

    n_words = sum(word_counts.values())
    if n_words:
        with_article = sum(n for word, n in word_counts.items() if word.startswith(features.article_prefixes))
        opinions.append((
            _ARTICLE_WEIGHT * min(1.0, n_words / _WORDS_FOR_FULL_ARTICLE_WEIGHT),
            _article_opinion(with_article, n_words, features),
        ))

    found = {lang: sum(map(sample.count, chars)) for lang, chars in features.letters.items()}
    total_letters = sum(found.values())
    letters = _share(found)
    if total_letters:
        opinions.append((_LETTER_WEIGHT * min(1.0, total_letters / _LETTERS_FOR_FULL_WEIGHT), letters))

    unanimous = False
    if total_hits >= _SKIP_MODEL_HITS:
        best_words = max(words, key=words.__getitem__)
        unanimous = words[best_words] >= _SKIP_MODEL_SHARE and (
            total_letters < _LETTERS_FOR_FULL_WEIGHT or max(letters, key=letters.__getitem__) == best_words
        )
    if not unanimous:
        opinions.append((_MODEL_WEIGHT, _restricted_model_probs(sample[:MODEL_CHARS], arabic_letters)))
    if hint in ARABIC_SCRIPT_LANGUAGES:
        opinions.append((HINT_WEIGHT, {lang: float(lang == hint) for lang in ARABIC_SCRIPT_LANGUAGES}))

    total_weight = sum(weight for weight, _ in opinions)
    mixed = {
        lang: sum(weight * opinion[lang] for weight, opinion in opinions) / total_weight
        for lang in ARABIC_SCRIPT_LANGUAGES
    }
    best = max(mixed, key=mixed.__getitem__)
    if hint in mixed and mixed[hint] >= mixed[best] - HINT_TIE:
        best = hint
    return best, mixed[best]


def _article_opinion(k: int, n: int, features: _Features) -> dict[str, float]:
    """Arabic against the rest from k of n words carrying the article (binomial odds)."""
    p_ar, p_other = features.article_rate_ar, features.article_rate_other
    log_odds = k * math.log(p_ar / p_other) + (n - k) * math.log((1 - p_ar) / (1 - p_other))
    ar = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))
    rest = (1.0 - ar) / (len(ARABIC_SCRIPT_LANGUAGES) - 1)
    return {lang: (ar if lang == "ar" else rest) for lang in ARABIC_SCRIPT_LANGUAGES}


def _share(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {lang: (counts.get(lang, 0) / total if total else 0.0) for lang in ARABIC_SCRIPT_LANGUAGES}


def _restricted_model_probs(text: str, letters: int) -> dict[str, float]:
    """The model's opinion, flattened for short texts: over four languages it is sure of
    itself on a single word ("طالبان" -> ar 0.75), which is no evidence at all."""
    probs = dict(_identifiers().restricted.rank(text))
    trust = min(1.0, letters / _MODEL_LETTERS_FOR_FULL_TRUST)
    uniform = 1.0 / len(ARABIC_SCRIPT_LANGUAGES)
    return {lang: uniform + (probs.get(lang, 0.0) - uniform) * trust for lang in ARABIC_SCRIPT_LANGUAGES}


# --- other scripts ------------------------------------------------------------------


def _model_language(sample: str, hint: str | None) -> tuple[str, float]:
    probs: dict[str, float] = {}
    for code, prob in _identifiers().full.rank(sample[:MODEL_CHARS])[:10]:
        code = _MODEL_CODES.get(code, code)
        probs[code] = probs.get(code, 0.0) + prob
    best = max(probs, key=probs.__getitem__)
    if hint in probs and probs[hint] >= probs[best] - HINT_TIE:
        best = hint
    return best, probs[best]


@dataclass(frozen=True)
class _Identifiers:
    full: Any  # py3langid LanguageIdentifier over every language
    restricted: Any  # the same model restricted to ARABIC_SCRIPT_LANGUAGES


@functools.cache
def _identifiers() -> _Identifiers:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    nb_ptc, nb_pc, nb_classes = full._full_model  # share the arrays: loading takes 0.6 s
    restricted = LanguageIdentifier(
        nb_ptc, nb_pc, nb_classes, full.tk_nextmove, full.tk_output,
        norm_probs=True, tk_row=full.tk_row,
    )
    restricted.set_languages(list(ARABIC_SCRIPT_LANGUAGES))
    return _Identifiers(full, restricted)


# --- language data ------------------------------------------------------------------


def _load_yaml(name: str) -> dict[str, Any]:
    with resources.files("rasad.text").joinpath("data", name).open(encoding="utf-8") as fh:
        return load_yaml(fh)


@dataclass(frozen=True)
class _Features:
    letters: dict[str, str]  # language -> letters that point at it
    word_language: dict[str, str]  # function word (every spelling) -> language
    article_prefixes: tuple[str, ...]  # a word starting so has the Arabic article
    article_rate_ar: float  # expected share of such words in Arabic ...
    article_rate_other: float  # ... and in Persian, Pashto and Urdu


_PERSIAN_TO_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك"})
_URDU_HEH_TO_HEH = str.maketrans({"ہ": "ه", "ھ": "ه", "ۂ": "ه"})
_NO_HAMZA_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def _spellings(language: str, word: str) -> list[str]:
    """Other ways keyboards and habits spell ``word``."""
    if language == "ar":
        bare = word.translate(_NO_HAMZA_ALEF)
        return [bare] + [form[:-1] + "ى" for form in (word, bare) if form.endswith("ي")]
    variants = [word.translate(_PERSIAN_TO_ARABIC_FORMS)]
    if language == "ur":
        variants.append(word.translate(_URDU_HEH_TO_HEH))
    return variants


@functools.cache
def _features() -> _Features:
    data = _load_yaml("langid_features.yaml")
    function_words = {str(lang): [str(w) for w in words] for lang, words in data["function_words"].items()}
    owner: dict[str, str] = {}
    for language, words in function_words.items():
        for word in words:
            if not _ARABIC_WORD.fullmatch(word):
                raise ValueError(f"langid_features.yaml: {word!r} ({language}) is not one Arabic-script word")
            if owner.setdefault(word, language) != language:
                raise ValueError(f"langid_features.yaml: {word!r} is listed for {owner[word]} and {language}")
    # a variant spelling that two languages would claim belongs to neither
    claims: dict[str, set[str]] = {}
    for language, words in function_words.items():
        for word in words:
            for variant in _spellings(language, word):
                if variant not in owner:
                    claims.setdefault(variant, set()).add(language)
    owner.update({variant: langs.pop() for variant, langs in claims.items() if len(langs) == 1})
    letters = {str(lang): str(chars) for lang, chars in data["letters"].items()}
    article = data["article"]
    return _Features(
        letters,
        owner,
        tuple(str(prefix) for prefix in article["prefixes"]),
        float(article["rate"]["ar"]),
        float(article["rate"]["other"]),
    )


# --- Persian dialect ----------------------------------------------------------------

_MONTH_WORD = "ماه"
_DATE_PREFIXES = frozenset([_MONTH_WORD, "برج"])
_YEAR = re.compile(r"1[2-4]\d\d")
_DAY = re.compile(r"\d{1,2}")


@dataclass(frozen=True)
class _Markers:
    phrases: dict[tuple[str, ...], tuple[str, float]]  # words -> (side, weight)
    phrase_lengths: dict[str, list[int]]  # first word -> phrase lengths, longest first
    # month -> (side, weight alone, ambiguous); weight -1 for a month joined to "ماه"
    months: dict[str, tuple[str, float, bool]]
    interesting: frozenset[str]  # tokens that start a marker or are months
    raw: list[tuple[str, re.Pattern[str], str, float]]  # (word, its whole-word pattern, side, weight)
    threshold: float
    ratio: float
    cap: int
    date_weight: float


def _phrase_forms(phrase: str) -> set[tuple[str, ...]]:
    """A compound matches written with ZWNJ, a space or nothing between its parts."""
    forms = {normalize(phrase), normalize(phrase.replace("\u200c", " ")), normalize(phrase.replace(" ", ""))}
    return {tuple(form.split()) for form in forms if form}


@functools.cache
def _markers() -> _Markers:
    data = _load_yaml("dialect_markers.yaml")
    explicit: dict[tuple[str, ...], tuple[str, float]] = {}
    for side, markers in data["markers"].items():
        for phrase, weight in markers.items():
            for words in _phrase_forms(str(phrase)):
                explicit[words] = (str(side), float(weight))
    # endings on the last word; an inflected form that both sides would claim counts for neither
    suffixes = [normalize(str(s)) for s in data.get("suffixes", [])]
    derived: dict[tuple[str, ...], tuple[str, float]] = {}
    contested: set[tuple[str, ...]] = set()
    for words, (side, weight) in explicit.items():
        for suffix in suffixes:
            key = (*words[:-1], words[-1] + suffix)
            if key in derived and derived[key][0] != side:
                contested.add(key)
            derived[key] = (side, weight)
    phrases = {key: value for key, value in derived.items() if key not in contested}
    phrases.update(explicit)
    lengths: dict[str, set[int]] = {}
    for words in phrases:
        lengths.setdefault(words[0], set()).add(len(words))
    months: dict[str, tuple[str, float, bool]] = {}
    for side, names in data["months"].items():
        for name, weight in names.items():
            month = normalize(str(name))
            months[month] = (str(side), float(weight), float(weight) == 0.0)
            months[month + _MONTH_WORD] = (str(side), -1.0, False)  # "دیماه" from "دی‌ماه"
    raw = [
        (str(word), re.compile(rf"(?<![\w\u200c]){re.escape(str(word))}(?![\w\u200c])"), str(side), float(weight))
        for side, words in (data.get("raw_markers") or {}).items()
        for word, weight in words.items()
    ]
    return _Markers(
        phrases=phrases,
        phrase_lengths={first: sorted(ns, reverse=True) for first, ns in lengths.items()},
        months=months,
        interesting=frozenset(lengths) | frozenset(months),
        raw=raw,
        threshold=float(data["threshold"]),
        ratio=float(data["ratio"]),
        cap=int(data["cap"]),
        date_weight=float(data["date_weight"]),
    )


def dialect_scores(text: str) -> dict[str, float]:
    """Weighted evidence for Dari ("prs") and Iranian Persian ("fa") found in ``text``."""
    markers = _markers()
    tokens = normalize(text).split()
    scores = {"prs": 0.0, "fa": 0.0}
    seen: Counter[object] = Counter()

    def add(key: object, side: str, weight: float) -> None:
        seen[key] += 1
        if seen[key] <= markers.cap:
            scores[side] += weight

    n = len(tokens)
    phrase_end = 0  # a word inside a phrase already counted starts nothing
    for i in [i for i, token in enumerate(tokens) if token in markers.interesting]:
        token = tokens[i]
        if i >= phrase_end:
            for length in markers.phrase_lengths.get(token, ()):
                words = tuple(tokens[i:i + length])
                if words in markers.phrases:
                    add(words, *markers.phrases[words])
                    phrase_end = i + length
                    break
        month = markers.months.get(token)
        if month is None:
            continue
        side, alone, ambiguous = month
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < n else ""
        if (
            alone < 0
            or before in _DATE_PREFIXES
            or after == _MONTH_WORD
            or _DAY.fullmatch(before) is not None
            or (not ambiguous and _YEAR.fullmatch(after) is not None)
        ):
            add(("date", token), side, markers.date_weight)
        elif alone:
            add(("alone", token), side, alone)
    for word, pattern, side, weight in markers.raw:
        if word in text:  # much cheaper than the pattern, which cannot skip ahead
            scores[side] += weight * min(markers.cap, len(pattern.findall(text)))
    return scores


def _decide_dialect(scores: dict[str, float]) -> str | None:
    markers = _markers()
    prs, fa = scores["prs"], scores["fa"]
    winner, best, other = ("prs", prs, fa) if prs > fa else ("fa", fa, prs)
    if best >= markers.threshold and best >= markers.ratio * other:
        return winner
    return None
