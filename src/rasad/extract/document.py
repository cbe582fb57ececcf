"""All extraction for one document: entities, statements, dates, threats, relations, aliases.

The single extractors each answer one question; this module runs them in the order in
which they feed each other and reconciles what they say:

1. dates, so that statements can take the date of the sentence they were made in;
2. the gazetteer (known actors, longest match), whose people and organisations tell the
   statement extractor which speaker spans are names it knows;
3. statements, whose speakers are resolved to the knowledge base across scripts and
   spellings ("Zabiullah Mujahed" is Zabihullah Mujahid); a speaker the knowledge base
   does not know becomes an entity of its own (a person, with the role the text gives);
4. people the text introduces by a title or role but who do not speak ("commander X was
   killed"), from ``rasad.extract.entities``;
5. threats, and relations between the actors found, with speakers as sources of what
   they said;
6. clarifications ("X (i.e., Y)") that propose a new name for a known actor.

Everything is pure: the knowledge base comes in as a list of actor records (from the
database or the starter YAML), text comes in, dataclasses go out.
"""

from __future__ import annotations

import functools
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rasad.extract.dates import extract_dates
from rasad.extract.entities import find_titled_people
from rasad.extract.quotes import extract_statements, load_lexicon, word_keys
from rasad.extract.relations import extract_relations
from rasad.extract.threats import detect_threats
from rasad.kb.aliases import learn_aliases
from rasad.kb.gazetteer import Gazetteer
from rasad.kb.resolve import Resolver, skeleton, strip_honorifics
from rasad.kb.starter import Actor, AliasName, load_rules
from rasad.model import DateMatch, EntityMatch, RelationMatch, StatementMatch, ThreatMatch
from rasad.text.normalize import normalize
from rasad.text.script import dominant_script
from rasad.yamldata import load_yaml

log = logging.getLogger(__name__)

STAGE = "extract"
VERSION = 1

LANGUAGES = frozenset({"en", "fa", "prs", "ps", "ar", "ur"})
SPEAKER_KINDS = frozenset({"person", "organization", "group", "outlet", "state"})


@dataclass(frozen=True)
class AliasProposal:
    """A clarification in the text that names a known actor a new way."""

    entity_key: str
    canonical: str
    alias: str
    evidence: str
    start: int
    end: int


@dataclass
class Extraction:
    entities: list[EntityMatch] = field(default_factory=list)
    statements: list[StatementMatch] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)
    threats: list[ThreatMatch] = field(default_factory=list)
    relations: list[RelationMatch] = field(default_factory=list)
    proposals: list[AliasProposal] = field(default_factory=list)
    speaker_names: dict[int, str] = field(default_factory=dict)  # statement index -> name as written


def extraction_language(language: str | None, dialect: str | None) -> str | None:
    """The lexicon code for a document: "prs" for Dari, None when no lexicon applies."""
    if dialect == "prs":
        return "prs"
    return language if language in LANGUAGES else None


class Extractor:
    """Extraction against one state of the knowledge base; build once, run on many texts."""

    def __init__(self, actors: Iterable[object]) -> None:
        self.actors = list(actors)
        self.gazetteer = Gazetteer(self.actors)
        self.resolver = Resolver(self.actors)
        self._resolved: dict[tuple[str, str], tuple[str, str, str] | None] = {}
        self._holders = _RoleHolders(self.actors)
        self.demonyms = Gazetteer(_demonym_actors(self.actors))

    def resolve(self, name: str, kind: str = "person") -> tuple[str, str, str] | None:
        """(canonical, kind, key) of the actor ``name`` stands for, cached per name."""
        cache_key = (normalize(name), kind)
        if cache_key not in self._resolved:
            if len(self._resolved) > 50_000:
                self._resolved.clear()
            found = self.resolver.resolve(name, kind)
            self._resolved[cache_key] = (found.canonical, found.kind, found.key) if found else None
        return self._resolved[cache_key]

    def run(self, text: str, language: str | None, dialect: str | None = None, *,
            published: date | datetime | None = None, title: str = "", author: str = "",
            outlet: str = "") -> Extraction:
        if isinstance(published, datetime):
            published = published.date()
        lang = extraction_language(language, dialect)
        out = Extraction()
        if not text:
            return out
        out.dates = extract_dates(text, published, lang)
        known = self.gazetteer.find(text)
        known = _merge_entities(known, _short_mentions(text, known))
        date_spans = [(d.start, d.end, d.iso) for d in out.dates]
        titled = self._resolve_people(find_titled_people(text, lang)) if lang else []
        # people introduced by a title or role count as named for the statement extractor:
        # "خطیب نماز جمعه تهران، سید جواد موسوی‌نسب، گفت" is the preacher, not "خطیب نماز"
        people = [(e.start, e.end, e.canonical, e.entity_key, e.kind)
                  for e in _merge_entities(known, titled) if e.kind in SPEAKER_KINDS]
        if lang:
            statements = extract_statements(text, lang, published=published,
                                            find_people=lambda _text: people,
                                            find_dates=lambda _text: date_spans)
            out.statements, unknown_speakers = self._resolve_speakers(text, statements, known, out, published, lang)
            self._interview_answers(text, out, known, titled)
            self._attributions(text, lang, out, known, titled)
        else:
            unknown_speakers = []
        out.entities = _merge_entities(known, titled, unknown_speakers)
        if lang:
            out.threats = detect_threats(text, lang)
            # "Pakistani officials", "الجيش الإسرائيلي": a state as party to a relation, not a mention
            # places are where things happen, not parties to relations ("Nangarhar appeal ...")
            parties = [e for e in _merge_entities(out.entities, self.demonyms.find(text)) if e.kind != "place"]
            out.relations = extract_relations(text, lang, parties, out.statements, title=title,
                                              author=author or None, outlet=outlet or None)
        out.proposals = self._proposals(text)
        return out

    # --- speakers and people ----------------------------------------------------------------

    def _resolve_speakers(self, text: str, statements: list[StatementMatch], known: list[EntityMatch],
                          out: Extraction, published: date | None = None, lang: str | None = None
                          ) -> tuple[list[StatementMatch], list[EntityMatch]]:
        """Speakers resolved to the knowledge base, or to a person named earlier in the text.

        News names a person in full once and by surname after that ("Mujahid said",
        "نصرالله أضاف"); a short name whose words all belong to one person already named
        in the document is that person, known to the knowledge base or not.
        """
        people = _People.of(self.resolver.rules, known)
        resolved: list[StatementMatch] = []
        unknown: list[EntityMatch] = []
        for statement in statements:
            name = statement.speaker
            if name and statement.speaker_key is None:
                hit = self.resolve(name, "person")
                holder = self._holders.find(name, published, lang) if hit is None else None
                if holder is not None:
                    hit = (holder[0], "person", holder[1])
                earlier = people.find(name) if hit is None else None
                if hit is not None:
                    canonical, _kind, key = hit
                    out.speaker_names[len(resolved)] = name
                    statement = _replace(statement, speaker=canonical, speaker_key=key)
                    people.add(canonical, key, name)
                elif earlier is not None:
                    canonical, key = earlier
                    out.speaker_names[len(resolved)] = name
                    statement = _replace(statement, speaker=canonical, speaker_key=key)
                elif (stand_in := self._anaphor(name, lang, statement, known, resolved)) is not None:
                    out.speaker_names[len(resolved)] = name
                    statement = _replace(statement, speaker=stand_in[0], speaker_key=stand_in[1])
                else:
                    people.add(name, None, name)
                    span = _locate(text, name, statement.start, statement.end)
                    if span is not None:
                        unknown.append(EntityMatch(name, name, "person", span[0], span[1], None,
                                                   statement.speaker_role or ""))
            elif name:
                out.speaker_names[len(resolved)] = name
                people.add(name, statement.speaker_key, name)
            elif statement.speaker_role:
                holder = self._holders.find(statement.speaker_role, published, lang)
                if holder is not None:  # "امیرالمؤمنین", "د اسلامي امارت مشر": the role's current holder
                    statement = _replace(statement, speaker=holder[0], speaker_key=holder[1])
            if statement.outlet and _OUTLET_DESCRIPTOR.match(statement.outlet):
                statement = _replace(statement, outlet=_OUTLET_DESCRIPTOR.sub("", statement.outlet))
            resolved.append(statement)
        return resolved, unknown

    def _anaphor(self, name: str, lang: str | None, statement: StatementMatch, known: list[EntityMatch],
                 earlier: list[StatementMatch]) -> tuple[str, str | None] | None:
        """A speaker that is a noun standing for an actor named before: "الحركة", "جماعت", "البيان".

        A group noun is the last group or organisation named before the statement; a
        document noun ("the statement") is the last speaker; anything else stays as it is.
        """
        rules = _attribution_rules(lang) if lang else None
        if rules is None:
            return None
        _openers, _pronouns, documents, groups = rules
        key = normalize(name)
        if key in groups:
            before = [e for e in known if e.end <= statement.start and e.kind in ("group", "organization")]
            return (before[-1].canonical, before[-1].entity_key) if before else None
        if key in documents:
            said = [s for s in earlier if s.speaker]
            return (said[-1].speaker, said[-1].speaker_key) if said else None
        words = word_keys(name)
        if len(words) == 1 and words[0] in _role_words(lang):
            # "خطیب", "امام" read as a name: the last speaker whose role holds the word
            for s in reversed(earlier):
                if s.speaker and words[0] in word_keys(s.speaker_role or ""):
                    return s.speaker, s.speaker_key
        return None

    def _interview_answers(self, text: str, out: Extraction, known: list[EntityMatch],
                           titled: list[EntityMatch]) -> None:
        """Interview transcripts: "Hamdan: We gave ...", "ناصری‌فر: هنوز خیر ..." line by line.

        A line opening with a short label and a colon is an answer when the label names a
        person already named in the document (a speaker, a known or a titled person), and
        there are at least two such lines (one is a headline: "Mujahid: ...").
        """
        if len(_ANSWER.findall(text, 0, len(text))) < 2:
            return  # no transcript: at least two "label: answer" lines
        people = _People.of(self.resolver.rules, known, titled)
        for index, statement in enumerate(out.statements):
            if statement.speaker:
                people.add(statement.speaker, statement.speaker_key, out.speaker_names.get(index, statement.speaker))
        if not people.entries:
            return
        taken = [(s.start, s.end) for s in out.statements]
        added: list[StatementMatch] = []
        for m in _ANSWER.finditer(text):
            label, start, end = m.group("label").strip(), m.start("answer"), m.end("answer")
            while end > start and text[end - 1] in " \t\r»”\"":
                end -= 1
            if end <= start or any(a < end and start < b for a, b in taken):
                continue
            who = people.find(label)
            if who is None:
                continue
            canonical, key = who
            added.append(StatementMatch(canonical, "", text[start:end], "direct", None, None, start, end, key))
            out.speaker_names[len(out.statements) + len(added) - 1] = label
        if len(added) >= 2:  # a transcript, not a headline "Mujahid: ..."
            out.statements = out.statements + added
        else:
            for index in range(len(out.statements), len(out.statements) + len(added)):
                out.speaker_names.pop(index, None)

    def _attributions(self, text: str, lang: str, out: Extraction, known: list[EntityMatch],
                      titled: list[EntityMatch]) -> None:
        """Sentences opened by an attribution: "According to X, ...", "به گفته وی، ...".

        The cited X is a known actor named in it, a pronoun (the last speaker before it), a
        document ("the statement": the last organisation that spoke), or a person named
        earlier; anything else is left alone rather than guessed.
        """
        rules = _attribution_rules(lang)
        if rules is None or not rules[0].search(text):
            return
        opener, pronouns, documents, _groups = rules
        taken = [(s.start, s.end) for s in out.statements]
        people = _People.of(self.resolver.rules, known, titled)
        added: list[tuple[StatementMatch, str]] = []
        for m in opener.finditer(text):
            start, end = m.start("q"), m.end("q")
            while end > start and text[end - 1] in " .!?؟۔\"»”":
                end -= 1
            if end - start < 12 or any(a < end and start < b for a, b in taken):
                continue
            cited = m.group("x").strip()
            x_start, x_end = m.start("x"), m.end("x")
            who = self._cited(cited, x_start, x_end, known, people, pronouns, documents, out, m.start())
            if who is None:
                continue
            canonical, key = who
            added.append((StatementMatch(canonical, "", text[start:end], "indirect", None, None, start, end, key),
                          cited))
        for statement, cited in added:
            out.speaker_names[len(out.statements)] = cited
            out.statements.append(statement)

    def _cited(self, cited: str, x_start: int, x_end: int, known: list[EntityMatch], people: _People,
               pronouns: frozenset[str], documents: frozenset[str], out: Extraction,
               before: int) -> tuple[str, str | None] | None:
        inside = [e for e in known if x_start <= e.start and e.end <= x_end and e.kind in SPEAKER_KINDS]
        if inside:
            return inside[0].canonical, inside[0].entity_key
        key = normalize(cited)
        if key.startswith("ل") and "ا" + key in documents:
            key = "ا" + key  # Arabic ل + البيان is written للبيان
        earlier = [s for s in out.statements if s.start < before and s.speaker]
        if key in pronouns:
            return (earlier[-1].speaker, earlier[-1].speaker_key) if earlier else None
        if key in documents:
            return (earlier[-1].speaker, earlier[-1].speaker_key) if earlier else None
        found = people.find(cited)
        if found is not None:
            return found
        hit = self.resolve(cited, "person")
        return (hit[0], hit[2]) if hit else None

    def _resolve_people(self, titled: list[EntityMatch]) -> list[EntityMatch]:
        people = []
        for person in titled:
            hit = self.resolve(person.text, person.kind)
            if hit is not None:
                canonical, kind, key = hit
                person = EntityMatch(person.text, canonical, kind, person.start, person.end, key, person.role)
            people.append(person)
        return people

    def _proposals(self, text: str) -> list[AliasProposal]:
        proposals = []
        for learned in learn_aliases(text):
            for name, alias in ((learned.name, learned.alias), (learned.alias, learned.name)):
                owner = self.resolver.resolve(name)
                if owner is None:
                    continue
                other = self.resolver.resolve(alias)
                if other is not None:  # both names known: nothing new (or a conflict to leave alone)
                    break
                proposals.append(AliasProposal(owner.key, owner.canonical, alias.strip(),
                                               learned.evidence, learned.start, learned.end))
                break
        return proposals


def _demonym_actors(actors: list) -> list[Actor]:
    """The states of ``actors`` named by their nationality adjectives (kb/data/demonyms.yaml)."""
    data = load_rules("demonyms.yaml").get("demonyms") or {}
    by_key = {getattr(a, "key", None): a for a in actors}
    out = []
    for key, forms in data.items():
        state = by_key.get(key)
        if state is None:
            continue
        names = [AliasName(str(f), lang, dominant_script(str(f))) for lang, fs in (forms or {}).items() for f in fs]
        out.append(Actor(key=state.key, canonical=state.canonical, kind=state.kind, aliases=names))
    return out


class _RoleHolders:
    """Who held a role when: role titles in every language -> holders with their periods.

    "سخنگوی وزارت امور خارجه" in a text of 2023 is Nasser Kanaani, in one of 2025 Esmaeil
    Baghaei. A role phrase names a holder when it is a title or holds one whole ("سرپرست
    وزارت خارجه طالبان" holds no title, "المتحدث باسم الخارجية الإيرانية" is one); two
    holders at one date give no answer.
    """

    def __init__(self, actors: list) -> None:
        self.by_title: dict[str, list[tuple[str, str, str, str, str]]] = {}
        for actor in actors:
            for role in getattr(actor, "roles", None) or []:
                start = role.get("start") if isinstance(role, dict) else role.start
                end = role.get("end") if isinstance(role, dict) else role.end
                titles = role.get("titles") if isinstance(role, dict) else role.titles
                for lang, title in titles or ():
                    key = normalize(title)
                    if key:
                        self.by_title.setdefault(key, []).append(
                            (actor.canonical, actor.key, str(start or ""), str(end or ""), lang))

    def find(self, role: str, when: date | None, lang: str | None = None) -> tuple[str, str] | None:
        key = normalize(role)
        if not key:
            return None
        candidates = self.by_title.get(key)
        if candidates is None:
            padded = f" {key} "
            longest = max((t for t in self.by_title if len(t.split()) >= 2 and f" {t} " in padded),
                          key=len, default=None)
            candidates = self.by_title.get(longest) if longest else None
        if not candidates:
            return None
        day = when.isoformat() if when else None
        fitting = [(c, k, title_lang) for c, k, start, end, title_lang in candidates
                   if (day is None and not end) or (day is not None and (not start or start[:len(day)] <= day)
                                                      and (not end or day[:len(end)] <= end))]
        if lang and len({(c, k) for c, k, _ in fitting}) > 1:
            # Kabul's and Tehran's foreign ministries have spokesmen with one Persian title:
            # the title as Dari or Iranian Persian writes it decides
            fitting = [f for f in fitting if f[2] == lang] or fitting
        people = {(c, k) for c, k, _ in fitting}
        return next(iter(people)) if len(people) == 1 else None


@functools.cache
def _role_words(lang: str) -> frozenset[str]:
    try:
        return load_lexicon(lang).words.get("role", frozenset())
    except Exception:  # no speech lexicon for the language
        return frozenset()


ATTRIBUTION = Path(__file__).parent / "lexicons" / "attribution.yaml"


@functools.cache
def _attribution_rules(lang: str) -> tuple[_Openers, frozenset[str], frozenset[str], frozenset[str]] | None:
    """The language's sentence-opening attributions as one regex, and its pronouns and documents."""
    data = (load_yaml(ATTRIBUTION) or {}).get("fa" if lang == "prs" else lang)
    if not data or not data.get("openers"):
        return None
    forms = []
    for index, opener in enumerate(data["openers"]):
        before, _, after = str(opener).partition("{x}")
        part = r"\s+".join(map(re.escape, before.split()))
        if before.endswith(" "):
            part += r"\s+"  # else "ل{x}": the cited name is written onto the word
        part += rf"(?P<x{index}>[^\n.!?؟۔:،,]{{1,60}}?)"
        if after.strip():
            # closed by its own words ("X کے مطابق"): the comma after it is optional
            part += r"\s+" + r"\s+".join(map(re.escape, after.split())) + r"\s*[،,]?\s*"
        else:
            part += r"\s*[،,]\s*"
        forms.append(part)
    body = "|".join(f"(?:{form})" for form in forms)
    pattern = re.compile(rf"(?:^|(?<=[.!?؟۔])\s+)(?:و\s*)?(?:{body})(?P<q>[^\n]+?)(?=[.!?؟۔](?:\s|$)|\n|$)",
                         re.IGNORECASE | re.MULTILINE)
    return (_Openers(pattern, len(forms)),
            frozenset(normalize(str(w)) for w in data.get("pronouns") or []),
            frozenset(normalize(str(w)) for w in data.get("documents") or []),
            frozenset(normalize(str(w)) for w in data.get("groups") or []))


class _Openers:
    """The openers' regex; each alternative names its cited group x0, x1 ...; matches expose "x"."""

    def __init__(self, pattern: re.Pattern[str], count: int) -> None:
        self.pattern, self.count = pattern, count

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def finditer(self, text: str):
        for m in self.pattern.finditer(text):
            yield _Opened(m, next(f"x{i}" for i in range(self.count) if m.group(f"x{i}") is not None))


class _Opened:
    def __init__(self, m: re.Match[str], x: str) -> None:
        self.m, self.x = m, x

    def group(self, name: str) -> str:
        return self.m.group(self.x if name == "x" else name)

    def start(self, name: str | int = 0) -> int:
        return self.m.start(self.x if name == "x" else name)

    def end(self, name: str | int = 0) -> int:
        return self.m.end(self.x if name == "x" else name)


@functools.lru_cache(maxsize=20_000)
def _name_words(name: str, rules) -> frozenset[str]:
    """The spelling-free skeletons of a name's words, titles dropped ("Mawlawi", "ملا")."""
    words = strip_honorifics(normalize(name.replace("\u200c", " ")).split(), rules)
    return frozenset(filter(None, (skeleton(w, rules) for w in words)))


class _People:
    """People named so far in one document, findable by any of their names' words."""

    def __init__(self, rules) -> None:
        self.rules = rules
        self.entries: list[tuple[str, str | None, frozenset[str]]] = []
        self._by_word: dict[str, set[tuple[str, str | None]]] = {}

    @classmethod
    def of(cls, rules, *groups: list[EntityMatch]) -> _People:
        """The people among entity mentions, each by its canonical name and as written."""
        people = cls(rules)
        for group in groups:
            for entity in group:
                if entity.kind == "person":
                    people.add(entity.canonical, entity.entity_key, entity.text)
        return people

    def _words(self, name: str) -> frozenset[str]:
        return _name_words(name, self.rules)

    def add(self, canonical: str, key: str | None, written: str) -> None:
        words = self._words(canonical) | self._words(written)
        if words:
            self.entries.append((canonical, key, words))
            for word in words:
                self._by_word.setdefault(word, set()).add((canonical, key))

    def find(self, name: str) -> tuple[str, str | None] | None:
        """The one person whose names hold every word of ``name`` (None if none or several)."""
        words = self._words(name)
        if not words or len(words) > 2:
            return None
        owners = set.intersection(*(self._by_word.get(w, set()) for w in words))
        return owners.pop() if len(owners) == 1 else None


# "Hamdan: ...", "ناصری‌فر: ...": a label of one to three words, a colon, the answer to the line's end
_ANSWER = re.compile(r"(?m)^[ \t]*(?P<label>[^\W\d][\w\u200c.'’-]*(?:[ \t]+[\w\u200c.'’-]+){0,2})[ \t]*[:：][ \t]*"
                     r"[«“\"]?(?P<answer>[^\n]+)")
# "the Pashto-language Shamshad TV", "the state-run IRNA": the outlet is the name after these
_OUTLET_DESCRIPTOR = re.compile(r"^(?:(?:[A-Z][a-z]+-language|[Ss]tate-(?:run|owned|affiliated)|[Pp]ro-[\w-]+|"
                                r"Taliban-(?:run|controlled))\s+)+")
_MIN_SHORT_NAME = 4  # letters of a surname that is looked for on its own ("Mujahid", "نصرالله")


def _short_mentions(text: str, known: list[EntityMatch]) -> list[EntityMatch]:
    """Later mentions of a known person by the last word of the name the text used.

    "Hassan Nasrullah said ... Nasrullah also addressed ...": the second is the same person.
    Only for people the gazetteer found in full in this text, and only the word as the text
    wrote it, so a surname shared with another actor in the text is left alone.
    """
    owners: dict[str, set[str | None]] = {}
    labels: dict[str, EntityMatch] = {}
    for entity in known:
        if entity.kind != "person":
            continue
        words = entity.text.replace("\u200c", " ").split()
        if len(words) < 2:
            continue
        last = words[-1].strip(".,،'’")
        if len(last) < _MIN_SHORT_NAME:
            continue
        owners.setdefault(last, set()).add(entity.entity_key)
        labels[last] = entity
    found: list[EntityMatch] = []
    for word, keys in owners.items():
        if len(keys) != 1:
            continue
        entity = labels[word]
        for m in re.finditer(rf"(?<![\w\u200c]){re.escape(word)}(?![\w\u200c])", text):
            found.append(EntityMatch(word, entity.canonical, entity.kind, m.start(), m.end(),
                                     entity.entity_key, ""))
    return found


def _replace(statement: StatementMatch, **changes) -> StatementMatch:
    from dataclasses import replace

    return replace(statement, **changes)


def _locate(text: str, name: str, start: int, end: int) -> tuple[int, int] | None:
    """The speaker's name nearest to the quote it said (before it, else after it)."""
    before = text.rfind(name, max(0, start - 600), start)
    if before >= 0:
        return before, before + len(name)
    after = text.find(name, end, end + 400)
    if after >= 0:
        return after, after + len(name)
    anywhere = text.find(name)
    return (anywhere, anywhere + len(name)) if anywhere >= 0 else None


def _merge_entities(*groups: list[EntityMatch]) -> list[EntityMatch]:
    """All mentions in text order; an earlier group wins where spans overlap."""
    starts: list[int] = []  # taken spans, sorted and disjoint
    ends: list[int] = []
    merged: list[EntityMatch] = []
    for group in groups:
        for entity in group:
            at = bisect_right(starts, entity.start)
            if (at and ends[at - 1] > entity.start) or (at < len(starts) and starts[at] < entity.end):
                continue
            starts.insert(at, entity.start)
            ends.insert(at, entity.end)
            merged.append(entity)
    merged.sort(key=lambda e: (e.start, e.end))
    return merged
