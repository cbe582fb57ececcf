"""The knowledge base's starter data: actors and their names, read from YAML and checked.

Analysts edit the YAML files in ``kb/data/`` (their format is in ``kb/data/README.md``);
this module turns them into ``Actor`` records and refuses data that would make matching
silently wrong: an unknown kind or language, a duplicate key, a name with nothing to match
on, a parent that does not exist, or one normalised name given to two actors without
saying that it is ambiguous. Every error is one line naming the file and the entry, so
that a typo in a 3,000-line file can be fixed without reading a traceback.

Nothing here touches the database: ``rasad.kb.store.seed_starter`` takes the actors this
module returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rasad.errors import BadInput
from rasad.text.normalize import normalize
from rasad.text.script import dominant_script

__all__ = [
    "DATA_DIR",
    "KINDS",
    "LANGS",
    "RULE_FILES",
    "Actor",
    "AliasName",
    "Role",
    "StarterDataError",
    "load_rules",
    "load_starter",
    "starter_paths",
    "validate_starter",
]

DATA_DIR = Path(__file__).with_name("data")
KINDS = ("person", "organization", "outlet", "state", "place", "group")
LANGS = ("en", "fa", "prs", "ps", "ar", "ur")
SCRIPTS = ("Latn", "Arab")
# YAML files in DATA_DIR that hold matching rules, not actors
RULE_FILES = ("matching.yaml", "clarifications.yaml", "demonyms.yaml")

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ACTOR_FIELDS = frozenset(
    ["key", "canonical", "kind", "country", "affiliation", "description", "parent", "aliases", "roles"]
)
_ALIAS_FIELDS = frozenset(["name", "lang", "script", "ambiguous", "in_text", "note"])
_ROLE_FIELDS = frozenset(["title", "from", "to", "titles", "note"])


class StarterDataError(BadInput):
    """The starter YAML cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class AliasName:
    name: str
    lang: str  # en, fa, prs (Dari), ps, ar, ur
    script: str  # ISO 15924: Latn or Arab
    ambiguous: bool = False  # the same normalised name may also name another actor
    in_text: bool = True  # False: resolved when given as a name, never matched in running text


@dataclass(frozen=True)
class Role:
    title: str  # in English, e.g. "Chief spokesman of the Islamic Emirate"
    start: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None = None  # None while the role is held (or when the end is not known)
    titles: tuple[tuple[str, str], ...] = ()  # (lang, the title as written in that language)


@dataclass
class Actor:
    key: str  # stable ASCII slug
    canonical: str  # the English name analysts use
    kind: str  # one of KINDS
    country: str = ""  # ISO 3166-1 alpha-2, empty for international or transnational actors
    affiliation: str = ""
    description: str = ""
    parent: str | None = None  # key of the actor this one belongs to (wing, branch, member of)
    aliases: list[AliasName] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    source: str = ""  # "file.yaml" the actor was read from, for messages

    def names(self) -> list[AliasName]:
        """The canonical name followed by the aliases, one entry per normalised key."""
        canonical = AliasName(self.canonical, "en", dominant_script(self.canonical))
        seen: set[str] = set()
        out: list[AliasName] = []
        for alias in [canonical, *self.aliases]:
            key = normalize(alias.name)
            if key and key not in seen:
                seen.add(key)
                out.append(alias)
        return out


# --- YAML reading ---------------------------------------------------------------------------


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~20x faster
    """Safe YAML that refuses a repeated mapping key (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display(path: Path) -> str:
    """``kb/data/iran.yaml`` for a shipped file, the path as given otherwise."""
    try:
        if path.resolve().parent == DATA_DIR.resolve():
            return f"kb/data/{path.name}"
    except OSError:
        pass
    return str(path)


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StarterDataError(f"{_display(path)}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise StarterDataError(f"{_display(path)}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StarterDataError(f"{_display(path)}:{where}: YAML error: {problem}") from exc


def starter_paths() -> list[Path]:
    """The actor files shipped with Rasad, in a stable order."""
    return sorted(p for p in DATA_DIR.glob("*.yaml") if p.name not in RULE_FILES)


def load_rules(name: str) -> dict:
    """One of the rule files (``matching.yaml``, ``clarifications.yaml``) as a mapping."""
    path = DATA_DIR / name
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise StarterDataError(f"{_display(path)}: expected a mapping at the top level")
    return data


# --- validation -----------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def _where(source: str, index: int, key: object) -> str:
    label = f"'{key}'" if isinstance(key, str) and key else f"#{index + 1}"
    return f"{source}: actor {label}"


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip()
    return None


def _date(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text if _DATE_RE.match(text) else ""


def _parse_alias(raw: object, where: str, problems: _Problems) -> AliasName | None:
    if not isinstance(raw, dict):
        problems.add(where, f"an alias must be a mapping like {{name: ..., lang: fa}}, got {raw!r}")
        return None
    unknown = sorted(set(raw) - _ALIAS_FIELDS)
    name = _text(raw.get("name"))
    label = f"{where}: alias {name!r}" if name else where
    if unknown:
        problems.add(label, f"unknown field(s) {', '.join(map(str, unknown))} "
                            f"(allowed: {', '.join(sorted(_ALIAS_FIELDS))})")
    if not name:
        problems.add(where, f"alias without a name: {raw!r}")
        return None
    if not normalize(name):
        problems.add(label, "has no letters or digits to match on")
        return None
    lang = raw.get("lang")
    if lang not in LANGS:
        problems.add(label, f"unknown lang {lang!r} (use one of {', '.join(LANGS)})")
        return None
    detected = dominant_script(name)
    script = raw.get("script", detected)
    if script not in SCRIPTS:
        problems.add(label, f"unknown script {script!r} (use one of {', '.join(SCRIPTS)})")
        return None
    if script != detected:
        problems.add(label, f"script {script!r} does not match the name's letters ({detected})")
        return None
    if (lang == "en") != (script == "Latn"):
        problems.add(label, f"lang {lang!r} is not written in {script}")
        return None
    flags = {}
    for flag, default in (("ambiguous", False), ("in_text", True)):
        value = raw.get(flag, default)
        if not isinstance(value, bool):
            problems.add(label, f"{flag} must be true or false, got {value!r}")
            value = default
        flags[flag] = value
    return AliasName(name, lang, script, **flags)


def _parse_role(raw: object, where: str, problems: _Problems) -> Role | None:
    if not isinstance(raw, dict) or not _text(raw.get("title")):
        problems.add(where, f"a role needs a title: {raw!r}")
        return None
    unknown = sorted(set(raw) - _ROLE_FIELDS)
    if unknown:
        problems.add(where, f"role {raw['title']!r}: unknown field(s) {', '.join(map(str, unknown))}")
    start, end = _date(raw.get("from")), _date(raw.get("to"))
    if start == "" or end == "":
        problems.add(where, f"role {raw['title']!r}: from/to must be YYYY, YYYY-MM or YYYY-MM-DD")
        return None
    titles = raw.get("titles") or {}
    if not isinstance(titles, dict) or any(k not in LANGS or not _text(v) for k, v in titles.items()):
        problems.add(where, f"role {raw['title']!r}: titles must map a lang ({', '.join(LANGS)}) to text")
        titles = {}
    return Role(_text(raw["title"]) or "", start, end, tuple((k, _text(v) or "") for k, v in titles.items()))


def _parse_actor(raw: object, source: str, index: int, problems: _Problems) -> Actor | None:
    if not isinstance(raw, dict):
        problems.add(f"{source}: actor #{index + 1}", f"expected a mapping, got {type(raw).__name__}")
        return None
    key = raw.get("key")
    where = _where(source, index, key)
    unknown = sorted(set(raw) - _ACTOR_FIELDS)
    if unknown:
        problems.add(where, f"unknown field(s) {', '.join(map(str, unknown))} "
                            f"(allowed: {', '.join(sorted(_ACTOR_FIELDS))})")
    ok = True
    if not isinstance(key, str) or not _KEY_RE.match(key):
        problems.add(where, "key must be a lower-case ASCII slug like 'zabihullah-mujahid'")
        ok = False
    canonical = _text(raw.get("canonical"))
    if not canonical or not normalize(canonical):
        problems.add(where, "canonical name is missing or empty")
        ok = False
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.add(where, f"unknown kind {kind!r} (use one of {', '.join(KINDS)})")
        ok = False
    country = raw.get("country") or ""
    if not isinstance(country, str) or (country and not _COUNTRY_RE.match(country)):
        problems.add(where, f"country must be an ISO 3166 two-letter code like AF, got {country!r}")
        ok = False
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _KEY_RE.match(parent)):
        problems.add(where, f"parent must be the key of another actor, got {parent!r}")
        ok = False
    for text_field in ("affiliation", "description"):
        value = raw.get(text_field, "")
        if value is not None and not isinstance(value, str):
            problems.add(where, f"{text_field} must be text")
            ok = False
    raw_aliases = raw.get("aliases") or []
    if not isinstance(raw_aliases, list):
        problems.add(where, "aliases must be a list")
        raw_aliases, ok = [], False
    aliases = [a for a in (_parse_alias(r, where, problems) for r in raw_aliases) if a is not None]
    raw_roles = raw.get("roles") or []
    if not isinstance(raw_roles, list):
        problems.add(where, "roles must be a list")
        raw_roles, ok = [], False
    roles = [r for r in (_parse_role(r, where, problems) for r in raw_roles) if r is not None]
    if not ok:
        return None
    return Actor(key=key, canonical=canonical, kind=kind, country=country,
                 affiliation=(raw.get("affiliation") or "").strip(),
                 description=" ".join((raw.get("description") or "").split()),
                 parent=parent, aliases=aliases, roles=roles, source=source)


def _check_actors(actors: list[Actor], problems: _Problems) -> None:
    by_key: dict[str, Actor] = {}
    for actor in actors:
        if actor.key in by_key:
            first = by_key[actor.key]
            problems.add(f"{actor.source}: actor '{actor.key}'",
                         f"duplicate key (first defined in {first.source})")
        else:
            by_key[actor.key] = actor
    for actor in actors:
        seen = {actor.key}
        parent = actor.parent
        while parent is not None:
            if parent not in by_key:
                problems.add(f"{actor.source}: actor '{actor.key}'", f"parent {parent!r} is not an actor key")
                break
            if parent in seen:
                problems.add(f"{actor.source}: actor '{actor.key}'", f"parent chain loops back to {parent!r}")
                break
            seen.add(parent)
            parent = by_key[parent].parent
    # one normalised name, one actor, unless every use of it is marked ambiguous
    owners: dict[str, dict[str, tuple[Actor, AliasName, bool]]] = {}
    for actor in by_key.values():
        marked = {normalize(a.name) for a in actor.aliases if a.ambiguous}
        for alias in actor.names():
            key = normalize(alias.name)
            owners.setdefault(key, {})[actor.key] = (actor, alias, key in marked)
    for key, users in owners.items():
        if len(users) < 2 or all(flag for _, _, flag in users.values()):
            continue
        listed = "; ".join(f"{a.source}: '{a.key}' as {al.name!r}" for a, al, _ in users.values())
        first = next(iter(users.values()))[0]
        problems.add(f"{first.source}: actor '{first.key}'",
                     f"the name {key!r} is given to {len(users)} actors ({listed}); "
                     f"mark it `ambiguous: true` on each of them or remove it")


def validate_starter(paths: Iterable[str | Path] | None = None) -> tuple[list[Actor], list[str]]:
    """Every actor that could be read, and every problem found (one line each)."""
    problems = _Problems()
    actors: list[Actor] = []
    for path in [Path(p) for p in (starter_paths() if paths is None else paths)]:
        data = _read_yaml(path)
        source = _display(path)
        if data is None:
            continue
        if not isinstance(data, dict) or "actors" not in data:
            problems.add(source, "expected a mapping with an 'actors:' list at the top level")
            continue
        extra = sorted(set(data) - {"actors"})
        if extra:
            problems.add(source, f"unknown top-level field(s) {', '.join(map(str, extra))}")
        entries = data["actors"] or []
        if not isinstance(entries, list):
            problems.add(source, "'actors' must be a list")
            continue
        for index, raw in enumerate(entries):
            actor = _parse_actor(raw, source, index, problems)
            if actor is not None:
                actors.append(actor)
    _check_actors(actors, problems)
    return actors, problems.lines


def load_starter(paths: Sequence[str | Path] | None = None) -> list[Actor]:
    """The starter actors, or ``StarterDataError`` naming the first problem (and how many more)."""
    actors, problems = validate_starter(paths)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise StarterDataError(problems[0] + more)
    return actors
