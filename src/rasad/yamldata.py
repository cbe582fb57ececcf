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
