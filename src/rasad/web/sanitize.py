"""HTML from outside passes through nh3 with an allow-list before it is shown.

Templates escape every other value (Jinja2 autoescape); the one piece of HTML a page
renders as markup, a search snippet, is built by rasad.search.snippets from escaped text
plus <mark> tags, and is cleaned here as well, so that a bug there cannot become script.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

SNIPPET_TAGS = frozenset({"mark"})


def clean_snippet(html: str | None) -> Markup:
    """Only <mark> survives, without attributes; everything else is dropped or escaped."""
    return Markup(nh3.clean(html or "", tags=set(SNIPPET_TAGS), attributes={}, url_schemes=set(),
                            strip_comments=True))
