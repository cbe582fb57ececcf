"""Reading the YAML that holds Rasad's language data, with libyaml when it is there.

Lexicons, month names and alias lists are read at start-up of every command; PyYAML's
pure-Python parser takes about a second for all of them, libyaml a twentieth of that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | Path | Any) -> Any:
    """Parse YAML from a path, a string or an open file (safe subset only)."""
    if isinstance(source, Path):
        source = source.read_text(encoding="utf-8")
    return yaml.load(source, Loader=SafeLoader)  # noqa: S506 - a safe loader


def read_lexicon(source: Any, name: str, kind: str, known_sections: frozenset[str] | None = None) -> dict:
    """A lexicon file as a mapping, or a one-line ``ConfigError`` naming the file.

    ``source`` is anything with ``open(encoding=...)`` (a ``Path`` or a package resource);
    ``kind`` names the lexicon and its README in the message ("a threat lexicon is a
    mapping (see lexicons/threats/README.md)"); sections outside ``known_sections`` are
    refused, so that a typo does not silently drop a list.
    """
    from rasad.errors import ConfigError

    try:
        with source.open(encoding="utf-8") as fh:
            data = load_yaml(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{name}: no such lexicon file") from exc
    except OSError as exc:
        raise ConfigError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: {kind}")
    if known_sections is not None:
        unknown = set(data) - known_sections
        if unknown:
            raise ConfigError(f"{name}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
    return data
