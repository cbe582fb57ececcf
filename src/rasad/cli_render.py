"""Turning HTML snippets (<mark>) into Rich text for the terminal."""

from __future__ import annotations

import html
import re

from rich.text import Text

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def snippet_to_rich(title: str, snippet: str) -> Text:
    text = Text(title + "\n", style="bold") if title else Text()
    pos = 0
    for m in _MARK.finditer(snippet):
        text.append(html.unescape(snippet[pos:m.start()]))
        text.append(html.unescape(m.group(1)), style="black on yellow")
        pos = m.end()
    text.append(html.unescape(snippet[pos:]))
    return text
