"""Resolution of a name, in any script and spelling, to one actor of the knowledge base.

A name is tried three ways, and the first that answers wins:

1. **exact** (score 1.0): the name's search key (``rasad.text.normalize``) equals the key
   of an alias, or of a spelling variant of one: the ZWNJ in "ذبیح‌الله" written as a
   space or left out, and the joinable name parts of ``data/matching.yaml`` written joined
   or apart ("عبدالکبیر" / "عبد الکبیر", "امیرخان" / "امیر خان"). Leading titles from the
   same file ("Mawlawi", "ملا", "الشيخ", "سردار") are dropped on a second try.
2. **translit** (score 0.9): the name's consonant *skeleton* (below) equals that of an
   alias. This is how "Zabiullah Mujahed", "Zabihullah Mojahed" and "ذبیح‌الله مجاهد" meet.
3. **fuzzy** (score 0.85 x similarity): rapidfuzz similarity of skeletons, the better of
   ``token_sort_ratio`` on the spaced skeletons (word order free) and ``ratio`` on the
   compact ones (word breaks free), at least ``FUZZY_THRESHOLD`` out of 100.

Every stage considers only actors of a kind compatible with the one asked for
(``COMPATIBLE_KINDS``), and every stage refuses rather than guesses: when the name fits
two actors equally (an exact key marked ambiguous, a skeleton shared by two people, or two
fuzzy candidates within ``AMBIGUITY_MARGIN`` points) the answer is ``None``.

The skeleton
------------
A spelling-independent key built the same way from Latin and Arabic-script names:

1. ZWNJ becomes a space, then ``normalize`` folds letters (ي/ی, ك/ک, ة/ه, hamza forms),
   digits, case and accents, and leading titles are dropped.
2. The Arabic article is taken out, as Latin spellings drop or assimilate it: "ال" at the
   start of a word ("البغدادی" -> "بغدادی"), inside the joinable parts ("عبدالکبیر" ->
   "عبد کبیر", "سراج‌الدین" -> "سراج دین"); in Latin, the particles al, el, ul, ud, ur,
   as, ash ... as words of their own ("al-Baghdadi", "Siraj ud-Din", "Khalil-ur-Rahman"),
   "Abdul/Abdel/Abdur" -> "Abd", and "-uddin/-eddin/-aldin" -> " din". "الله" keeps its
   lam, as "-ullah" does.
3. Arabic script is romanised letter by letter (anyascii), so that س + ه stays "s h" and
   only ش is "sh"; Latin is read with its digraphs. Both then fall into one class per
   sound: kh -> X; q, k, c, gh -> k (Persian ق and غ sound alike); sh -> S; ch -> C;
   zh -> Z; th and ث -> s; dh, ذ, ظ, ض, ځ -> z; ph -> f; څ, ts -> s; v -> w.
4. h is dropped at the end of a word (silent ه and ة: "Fatemeh" / "Fatima", "Haniyeh" /
   "هنية"; final ح too, on both sides alike) and before the "ll" of Allah ("Zabihullah" /
   "Zabiullah"). Other h's stay, so Hamas is not "ms".
5. Vowels are dropped (a e i o u and the vowel letters y w, ا و ی, ع, hamza): Arabic
   script does not write short vowels, and Latin writes them every which way.
6. Runs of one letter collapse ("Haqqani" = "Haqani" = "حقانی" = "hkn").

So "Zabihullah Mujahid", "Zabiullah Mujahed", "ذبیح‌الله مجاهد" and "ذبيح الله مجاهد" all
give "zb l mjhd" ("zblmjhd" without the spaces, which is what the translit stage
compares). The skeleton is coarse (Hossein and Hassan are both "hsn"), which is why the
translit stage needs at least ``MIN_TRANSLIT`` letters and refuses a skeleton shared by
two actors, and why fuzzy matching runs on it with a high threshold and only between
skeletons of at least ``MIN_FUZZY`` letters ("Bagram" is "bgrm", too short to tell from
"Abdul Karim" by similarity).

Thresholds: ``FUZZY_THRESHOLD`` 88 of 100, ``AMBIGUITY_MARGIN`` 4 points,
``MIN_TRANSLIT`` 4 and ``MIN_FUZZY`` 5 letters; tuned on the starter data so that three
spellings of a name meet while pairs such as Abdul Kabir / Abdul Qahar Balkhi, Ismail
Haniyeh / Esmail Qaani, Yahya / Mohammed Sinwar or the three "al-Hashimi al-Qurashi"
caliphs stay apart (tests/kb/test_resolve.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz, process

from rasad.errors import BadInput
from rasad.kb.starter import KINDS, AliasName, load_rules
from rasad.text.normalize import normalize
from rasad.text.script import dominant_script

__all__ = [
    "AMBIGUITY_MARGIN",
    "COMPATIBLE_KINDS",
    "FUZZY_THRESHOLD",
    "MIN_FUZZY",
    "MIN_TRANSLIT",
    "MatchingRules",
    "Resolution",
    "Resolver",
    "actor_names",
    "alias_keys",
    "matching_rules",
    "skeleton",
]

FUZZY_THRESHOLD = 88  # out of 100, on skeletons
AMBIGUITY_MARGIN = 4  # a runner-up this close to the best fuzzy score makes the name ambiguous
MIN_TRANSLIT = 4  # letters in the compact skeleton needed before it is trusted on its own
MIN_FUZZY = 5  # letters needed before a fuzzy match is attempted
SCORES = {"exact": 1.0, "translit": 0.9}
FUZZY_WEIGHT = 0.85

# The kinds of actor a caller asking for one kind will accept: an extractor that saw an
# organisation may be looking at a group, an outlet or a government; a place may be a state.
COMPATIBLE_KINDS: dict[str, frozenset[str]] = {
    "person": frozenset(["person"]),
    "group": frozenset(["group", "organization"]),
    "organization": frozenset(["organization", "group", "outlet", "state"]),
    "outlet": frozenset(["outlet", "organization"]),
    "state": frozenset(["state", "place", "organization"]),
    "place": frozenset(["place", "state"]),
}

ZWNJ = "\u200c"


@dataclass(frozen=True)
class Resolution:
    key: str  # the actor's stable key
    canonical: str
    kind: str
    score: float  # 0..1
    method: str  # exact, translit, fuzzy


# --- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchingRules:
    """``data/matching.yaml`` with every word normalised."""

    joined_prefixes: frozenset[str]
    joined_suffixes: frozenset[str]
    arabic_proclitics: tuple[str, ...]
    honorifics: tuple[tuple[str, ...], ...]  # token sequences, longest first


@functools.cache
def matching_rules() -> MatchingRules:
    data = load_rules("matching.yaml")

    def words(name: str) -> list[str]:
        return [k for k in (normalize(str(w)) for w in data.get(name) or []) if k]

    honorifics = {tuple(normalize(str(w)).split()) for ws in (data.get("honorifics") or {}).values()
                  for w in ws}
    honorifics.discard(())
    return MatchingRules(
        joined_prefixes=frozenset(words("joined_prefixes")),
        joined_suffixes=frozenset(words("joined_suffixes")),
        arabic_proclitics=tuple(sorted(words("arabic_proclitics"), key=len, reverse=True)),
        honorifics=tuple(sorted(honorifics, key=len, reverse=True)),
    )


@functools.lru_cache(maxsize=8)
def _honorifics_by_first_word(rules: MatchingRules) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for title in rules.honorifics:  # longest first, kept in that order
        index.setdefault(title[0], []).append(title)
    return {word: tuple(titles) for word, titles in index.items()}


def strip_honorifics(tokens: Sequence[str], rules: MatchingRules | None = None) -> list[str]:
    """Drop leading titles from a token list, keeping at least one token."""
    index = _honorifics_by_first_word(rules or matching_rules())
    tokens = list(tokens)
    changed = True
    while changed and tokens:
        changed = False
        for title in index.get(tokens[0], ()):
            n = len(title)
            if len(tokens) > n and tuple(tokens[:n]) == title:
                tokens = tokens[n:]
                changed = True
                break
    return tokens


# --- exact keys -----------------------------------------------------------------------------


def _joined_and_split(tokens: list[str], rules: MatchingRules) -> tuple[str, str]:
    """The key with every joinable part joined to its neighbour, and with every one apart."""
    joined: list[str] = []
    for token in tokens:
        if joined and (joined[-1] in rules.joined_prefixes or token in rules.joined_suffixes):
            joined[-1] += token
        else:
            joined.append(token)
    split: list[str] = []
    for token in tokens:
        head, tail = token, ""
        for prefix in rules.joined_prefixes:
            if head.startswith(prefix) and len(head) - len(prefix) >= 2:
                split.append(prefix)
                head = head[len(prefix):]
                break
        for suffix in rules.joined_suffixes:
            if head.endswith(suffix) and len(head) - len(suffix) >= 2:
                head, tail = head[: -len(suffix)], suffix
                break
        split.append(head)
        if tail:
            split.append(tail)
    return " ".join(joined), " ".join(split)


def alias_keys(name: str, rules: MatchingRules | None = None) -> list[str]:
    """The search key of ``name`` first, then its spelling variants (ZWNJ, joined parts)."""
    rules = rules or matching_rules()
    keys = [normalize(name)]
    bases = [keys[0]]
    if ZWNJ in name:
        bases.append(normalize(name.replace(ZWNJ, " ")))
    for base in bases:
        tokens = base.split()
        keys.append(base)
        keys.extend(_joined_and_split(tokens, rules))
    return [k for k in dict.fromkeys(keys) if k]


# --- skeletons ------------------------------------------------------------------------------

_LATIN_ARTICLES = frozenset(
    ["al", "el", "ul", "ud", "ad", "ed", "ar", "ur", "as", "us", "ash", "ush", "at", "ut", "az", "uz",
     "an", "un"]
)
_LATIN_ABD = re.compile(r"^abd[aeiou][lrsndtz](?=[a-z]{3})")
_LATIN_ABD_WORD = re.compile(r"^abd[aeiou][lrsndtz]$")
_LATIN_DIN = re.compile(r"(?<=[a-z]{3})(?:[aeiou][ld]|[ld])d[ie]e?n$")
_LATIN_SOUNDS = re.compile(r"kh|gh|sh|ch|zh|th|dh|ph|.")
_SOUND_CLASS = {
    "kh": "X", "gh": "k", "sh": "S", "ch": "C", "zh": "Z", "th": "s", "dh": "z", "ph": "f",
    "ts": "s", "dz": "z", "q": "k", "c": "k", "v": "w", "x": "ks",
}
# Arabic-script letters whose romanisation is more than one letter, or differs by language
_ARABIC_CLASS = {"ض": "z"}
_VOWELS = frozenset("aeiouyw")
_ARTICLE = "ال"
_ALLAH = "الله"


def _is_arabic(token: str) -> bool:
    return dominant_script(token) == "Arab"


@functools.cache
def _affixes(rules: MatchingRules) -> dict[str, tuple[str, ...]]:
    """The joinable parts by script, longest first."""
    def pick(words: Iterable[str], arabic: bool) -> tuple[str, ...]:
        return tuple(sorted((w for w in words if _is_arabic(w) == arabic), key=len, reverse=True))
    return {"ar_prefixes": pick(rules.joined_prefixes, True), "ar_suffixes": pick(rules.joined_suffixes, True),
            "latin_suffixes": pick(rules.joined_suffixes, False)}


def _arabic_parts(token: str, rules: MatchingRules) -> list[str]:
    if token == _ALLAH:
        return [token]
    affixes = _affixes(rules)
    for prefix in affixes["ar_prefixes"]:
        if token.startswith(prefix) and token != prefix:
            rest = token[len(prefix):]
            if rest.startswith(_ARTICLE) and len(rest) >= 5 and rest != _ALLAH:
                return [prefix, rest[2:]]
            if len(rest) >= 3:
                return [prefix, *_arabic_parts(rest, rules)]
    if token.startswith(_ARTICLE) and len(token) >= 4:
        token = token[2:]
    for suffix in affixes["ar_suffixes"]:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            head = token[: -len(suffix)]
            return [head, suffix if suffix == _ALLAH or not suffix.startswith(_ARTICLE) else suffix[2:]]
    return [token]


def _latin_parts(token: str, last: bool, rules: MatchingRules) -> list[str]:
    token = re.sub(r"[^a-z0-9]", "", anyascii(token).lower())
    if not token or (token in _LATIN_ARTICLES and not last):
        return []
    if _LATIN_ABD_WORD.match(token):
        return ["abd"]
    match = _LATIN_ABD.match(token)
    if match:
        return ["abd", *_latin_parts(token[match.end():], last, rules)]
    din = _LATIN_DIN.search(token)
    if din:
        return [token[: din.start()], "din"]
    for suffix in _affixes(rules)["latin_suffixes"]:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return [token[: -len(suffix)], suffix]
    return [token]


def _sounds(part: str, arabic: bool) -> list[str]:
    if arabic:
        out = []
        for ch in part:
            sound = _ARABIC_CLASS.get(ch)
            if sound is None:
                roman = re.sub(r"[^a-z0-9]", "", anyascii(ch).lower())
                sound = _SOUND_CLASS.get(roman, roman)
            out.append(sound)
        return [s for s in out if s]
    return [_SOUND_CLASS.get(s, s) for s in _LATIN_SOUNDS.findall(part)]


def _consonants(sounds: list[str]) -> str:
    if sounds and sounds[-1] == "h":
        sounds = sounds[:-1]
    kept: list[str] = []
    for i, sound in enumerate(sounds):
        if sound == "h":  # the h of -ullah after a vowel or directly: Zabihullah = Zabiullah
            j = i + 1
            while j < len(sounds) and sounds[j] in _VOWELS:
                j += 1
            if sounds[j:j + 2] == ["l", "l"]:
                continue
        if sound in _VOWELS:
            continue
        kept.append(sound)
    return re.sub(r"(.)\1+", r"\1", "".join(kept))


def skeleton(name: str, rules: MatchingRules | None = None) -> str:
    """The consonant skeleton of a name, one group per word (see the module docstring)."""
    rules = rules or matching_rules()
    tokens = strip_honorifics(normalize(name.replace(ZWNJ, " ")).split(), rules)
    groups: list[str] = []
    for index, token in enumerate(tokens):
        arabic = _is_arabic(token)
        parts = _arabic_parts(token, rules) if arabic else _latin_parts(token, index == len(tokens) - 1, rules)
        for part in parts:
            consonants = _consonants(_sounds(part, arabic))
            if consonants:
                groups.append(consonants)
    return " ".join(groups)


# --- the resolver ---------------------------------------------------------------------------


def actor_names(actor: object) -> list[AliasName]:
    """Canonical name and aliases of a starter ``Actor`` or of a database ``ActorRecord``."""
    names = [AliasName(actor.canonical, "en", dominant_script(actor.canonical))]
    for alias in getattr(actor, "aliases", []) or []:
        if isinstance(alias, AliasName):
            names.append(alias)
        elif isinstance(alias, (tuple, list)):
            name, lang, script = (list(alias) + ["", "", ""])[:3]
            names.append(AliasName(name, lang or "", script or dominant_script(name)))
        else:
            names.append(AliasName(alias.name, getattr(alias, "lang", ""), getattr(alias, "script", ""),
                                   bool(getattr(alias, "ambiguous", False)),
                                   bool(getattr(alias, "in_text", True))))
    return names


class Resolver:
    """Resolves names against a fixed list of actors; build once, query many times."""

    def __init__(self, actors: Iterable[object], *, threshold: float = FUZZY_THRESHOLD,
                 margin: float = AMBIGUITY_MARGIN, rules: MatchingRules | None = None) -> None:
        self.rules = rules or matching_rules()
        self.threshold = threshold
        self.margin = margin
        self.actors = list(actors)
        self._exact: dict[str, dict[int, int]] = {}  # key -> {actor index: rank}
        self._translit: dict[str, set[int]] = {}
        self._choices: dict[str, tuple[list[str], list[str], list[int]]] = {}
        spaced: list[str] = []
        compact: list[str] = []
        owner: list[int] = []
        for index, actor in enumerate(self.actors):
            seen_skeletons: set[str] = set()
            for alias in actor_names(actor):
                for rank, key in enumerate(alias_keys(alias.name, self.rules)):
                    ranks = self._exact.setdefault(key, {})
                    ranks[index] = min(ranks.get(index, 9), 0 if rank == 0 else 1)
                skel = skeleton(alias.name, self.rules)
                flat = skel.replace(" ", "")
                if not flat or skel in seen_skeletons:
                    continue
                seen_skeletons.add(skel)
                if len(flat) >= MIN_TRANSLIT:
                    self._translit.setdefault(flat, set()).add(index)
                if len(flat) < MIN_FUZZY:
                    continue  # "Bagram" is "bgrm": too short to be told apart by similarity
                spaced.append(skel)
                compact.append(flat)
                owner.append(index)
        for kind in KINDS:
            allowed = COMPATIBLE_KINDS[kind]
            picked = [i for i, a in enumerate(owner) if self.actors[a].kind in allowed]
            self._choices[kind] = ([spaced[i] for i in picked], [compact[i] for i in picked],
                                   [owner[i] for i in picked])
        self._choices[""] = (spaced, compact, owner)

    def __len__(self) -> int:
        return len(self.actors)

    def _allowed(self, kind: str | None) -> frozenset[str] | None:
        if kind is None:
            return None
        if kind not in COMPATIBLE_KINDS:
            raise BadInput(f"unknown actor kind {kind!r}; use one of {', '.join(KINDS)}")
        return COMPATIBLE_KINDS[kind]

    def _answer(self, index: int, score: float, method: str) -> Resolution:
        actor = self.actors[index]
        return Resolution(actor.key, actor.canonical, actor.kind, round(score, 3), method)

    def _exact_lookup(self, key: str, allowed: frozenset[str] | None) -> tuple[bool, int | None]:
        """(found anything, the single actor) for one key; found without an actor: ambiguous."""
        ranks = self._exact.get(key)
        if not ranks:
            return False, None
        fitting = {i: r for i, r in ranks.items() if allowed is None or self.actors[i].kind in allowed}
        if not fitting:
            return False, None
        best = min(fitting.values())
        top = [i for i, r in fitting.items() if r == best]
        return True, top[0] if len(top) == 1 else None

    def resolve(self, name: str, kind: str | None = None) -> Resolution | None:
        """The one actor ``name`` stands for, or ``None`` when unknown or ambiguous."""
        allowed = self._allowed(kind)
        key = normalize(name)
        if not key:
            return None
        tokens = key.split()
        stripped = strip_honorifics(tokens, self.rules)
        tried = [key] if stripped == tokens else [key, " ".join(stripped)]
        for candidate in tried:
            for variant in alias_keys(candidate, self.rules):
                found, index = self._exact_lookup(variant, allowed)
                if found:
                    return None if index is None else self._answer(index, SCORES["exact"], "exact")
        skel = skeleton(name, self.rules)
        flat = skel.replace(" ", "")
        if len(flat) >= MIN_TRANSLIT:
            owners = [i for i in self._translit.get(flat, ())
                      if allowed is None or self.actors[i].kind in allowed]
            if len(owners) == 1:
                return self._answer(owners[0], SCORES["translit"], "translit")
            if len(owners) > 1:
                return None
        if len(flat) < MIN_FUZZY:
            return None
        ranked = self._fuzzy(skel, flat, kind)
        if not ranked:
            return None
        (best_index, best), *rest = ranked
        if best < self.threshold or (rest and rest[0][1] >= best - self.margin):
            return None
        return self._answer(best_index, FUZZY_WEIGHT * best / 100, "fuzzy")

    def _fuzzy(self, skel: str, flat: str, kind: str | None, cutoff: float | None = None) -> list[tuple[int, float]]:
        spaced, compact, owner = self._choices[kind or ""]
        if not owner:
            return []
        cutoff = self.threshold - self.margin if cutoff is None else cutoff
        best: dict[int, float] = {}
        for query, choices, scorer in ((skel, spaced, fuzz.token_sort_ratio), (flat, compact, fuzz.ratio)):
            for _, score, position in process.extract(query, choices, scorer=scorer,
                                                      score_cutoff=cutoff, limit=25):
                actor = owner[position]
                if score > best.get(actor, -1):
                    best[actor] = score
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def candidates(self, name: str, kind: str | None = None, limit: int = 5) -> list[Resolution]:
        """The closest actors by skeleton similarity, best first, for "did you mean" lists."""
        self._allowed(kind)
        skel = skeleton(name, self.rules)
        flat = skel.replace(" ", "")
        if not flat:
            return []
        ranked = self._fuzzy(skel, flat, kind, cutoff=50)
        return [self._answer(i, FUZZY_WEIGHT * s / 100, "fuzzy") for i, s in ranked[:limit]]
