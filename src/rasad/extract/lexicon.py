"""What the threat and relation lexicons share: reading a list of cues and writing a
proclitic onto a word. Each lexicon then checks the keys that are its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasad.errors import ConfigError
from rasad.text.normalize import normalize


def attach_proclitic(prefix: str, body: str) -> str | None:
    """``prefix`` written onto the first word of ``body``; Arabic ل + ال is spelled لل, and an
    article cannot follow an article (None)."""
    if body.startswith("ال"):
        if prefix.endswith("ال") or prefix.endswith("لل"):
            return None
        if prefix.endswith("ل"):
            return prefix + body[1:]
    return prefix + body


def cue_entries(value: Any, where: str, known_keys: frozenset[str],
                default_weight: float) -> Iterator[tuple[str, str, dict[str, Any], float]]:
    """(place, cue text, entry, weight) of each entry of a list section, the common checks done.

    An entry is a plain string or a mapping with a ``cue``; a word YAML reads as true/false,
    an unknown key, an empty cue or a weight outside [0, 1] is a one-line ``ConfigError``
    naming the file, section and entry.
    """
    if value is None:
        return
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of cues")
    for i, item in enumerate(value):
        place = f"{where}[{i}]"
        if isinstance(item, bool) or (isinstance(item, dict) and isinstance(item.get("cue"), bool)):
            raise ConfigError(f"{place}: YAML reads this word as true/false; put the cue in quotes (\"on\", \"no\")")
        if isinstance(item, (str, int, float)):
            item = {"cue": str(item)}
        if not isinstance(item, dict) or "cue" not in item:
            raise ConfigError(f"{place}: a cue is a string or a mapping with a 'cue' key")
        unknown = set(item) - known_keys
        if unknown:
            raise ConfigError(f"{place}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        text = str(item["cue"]).strip()
        if not text.rstrip("*").strip() or not normalize(text.replace("_", " ").rstrip("*")):
            raise ConfigError(f"{place}: empty cue")
        weight = item.get("weight", default_weight)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
            raise ConfigError(f"{place} ({text}): weight must be a number from 0 to 1")
        if item.get("dialect") not in (None, "prs", "fa"):
            raise ConfigError(f"{place} ({text}): dialect must be prs or fa")
        yield place, text, item, float(weight)


ZWNJ = "\u200c"


def cue_patterns(text: str, prefixes: list[str], suffixes: list[str], *, use_suffixes: bool = True,
                 use_prefixes: bool = True) -> Iterator[tuple[str, int]]:
    """Every spelling of a cue as a pattern on a space-padded search key, with its prefix length.

    ZWNJ or "_" in a cue marks a junction that may be written joined or apart; a final "*"
    accepts any ending (and takes no suffixes); otherwise the language's suffixes are added
    to the last word and its clitic prefixes to the first, when the caller allows them.
    """
    raw = text.strip()
    open_end = raw.endswith("*")
    raw = raw.rstrip("*").strip()
    joined = normalize(raw.replace("_", "").replace(ZWNJ, ""))
    spaced = normalize(raw.replace("_", " ").replace(ZWNJ, " "))
    for form in dict.fromkeys((joined, spaced)):
        if not form:
            continue
        words = form.split(" ")
        lasts = [words[-1]] + ([words[-1] + s for s in suffixes] if use_suffixes and not open_end else [])
        for last in lasts:
            body = " ".join([*words[:-1], last])
            tail = "" if open_end else " "
            yield " " + body + tail, 0
            if not use_prefixes:
                continue
            for prefix in prefixes:
                attached = attach_proclitic(prefix, body)
                if attached is not None:
                    yield " " + attached + tail, len(attached) - len(body)
