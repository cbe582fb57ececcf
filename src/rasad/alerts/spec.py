"""What an alert is, checked once, the same way for the command line, the web form and
the API.

Stored on ``saved_search`` as:

    filters  = {"languages": ["prs", "ps"], "sources": ["tolo"],
                "categories": ["suicide_attack"], "actor": "taliban"}
    channels = {"email": ["a@example.org"], "webhook": {"url": "...", "secret": "..."},
                "atom": true}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rasad.errors import BadInput
from rasad.search.query import parse_query
from rasad.store.extracted import THREAT_CATEGORIES
from rasad.store.users import normalize_email

FREQUENCIES = ("immediate", "hourly", "daily")
LANGUAGES = ("fa", "prs", "ps", "ar", "ur", "en")  # "prs": Persian with the Dari dialect
CHANNELS = ("email", "webhook", "atom")
MAX_NAME = 300
MAX_EMAILS = 20
MAX_SOURCES = 50
MIN_SECRET = 16
MAX_SECRET = 500
MAX_URL = 2000

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def one_line(value: str, limit: int) -> str:
    """Outside text for a header, a name or a subject: no control characters, one line."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def has_control(value: str) -> bool:
    return bool(_CONTROL.search(value or ""))


def check_webhook_url(url: str) -> str:
    url = (url or "").strip()
    if has_control(url):
        raise BadInput("webhook URL must not contain control characters")
    if len(url) > MAX_URL:
        raise BadInput(f"webhook URL is too long (at most {MAX_URL} characters)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"webhook URL must be an http:// or https:// URL: {url!r}")
    if parts.username or parts.password:
        raise BadInput("webhook URL must not carry a user name or password; the signature "
                       "authenticates the message")
    return url


@dataclass
class AlertSpec:
    name: str
    query: str = ""
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # source names
    categories: list[str] = field(default_factory=list)  # threat categories
    actor: str = ""  # an actor's id, key, name or alias (rasad actors)
    min_score: float = 0.0
    emails: list[str] = field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    atom: bool = True
    frequency: str = "immediate"
    new_only: bool = True
    muted: bool = False

    def checked(self) -> AlertSpec:
        """The same spec, cleaned; BadInput names the first thing wrong."""
        name = one_line(self.name, MAX_NAME + 1)
        if not name:
            raise BadInput("an alert needs a name")
        if len(name) > MAX_NAME:
            raise BadInput(f"the name is too long (at most {MAX_NAME} characters)")
        if name.isdigit():
            raise BadInput("an alert's name cannot be a number (numbers are alert ids)")
        query = one_line(self.query, 10 * MAX_NAME)  # the parser caps its length itself
        parse_query(query)  # BadInput for a query the search would refuse
        languages = _unique(x.strip().lower() for x in self.languages if x and x.strip())
        for lang in languages:
            if lang not in LANGUAGES:
                raise BadInput(f"unknown language {lang!r}: use {', '.join(LANGUAGES)}")
        sources = _unique(one_line(x, MAX_NAME) for x in self.sources if x and x.strip())
        if len(sources) > MAX_SOURCES:
            raise BadInput(f"too many sources (at most {MAX_SOURCES})")
        categories = _unique(x.strip() for x in self.categories if x and x.strip())
        for cat in categories:
            if cat not in THREAT_CATEGORIES:
                raise BadInput(f"unknown threat category {cat!r}; use one of "
                               f"{', '.join(THREAT_CATEGORIES)}")
        try:
            min_score = float(self.min_score or 0.0)
        except (TypeError, ValueError):
            raise BadInput(f"minimum threat score: not a number: {self.min_score!r}") from None
        if not 0.0 <= min_score <= 1.0:
            raise BadInput("the minimum threat score must be between 0 and 1")
        if any(has_control(x) for x in self.emails):
            raise BadInput("e-mail addresses must not contain control characters")
        emails = _unique(normalize_email(x) for x in self.emails if x and x.strip())
        if len(emails) > MAX_EMAILS:
            raise BadInput(f"too many e-mail addresses (at most {MAX_EMAILS})")
        url = (self.webhook_url or "").strip()
        secret = self.webhook_secret or ""
        if url:
            url = check_webhook_url(url)
            if has_control(secret):
                raise BadInput("the webhook secret must not contain control characters")
            if not MIN_SECRET <= len(secret) <= MAX_SECRET:
                raise BadInput(f"a webhook needs a secret of {MIN_SECRET} to {MAX_SECRET} "
                               "characters to sign its messages")
        elif secret:
            raise BadInput("a webhook secret was given without a webhook URL")
        if self.frequency not in FREQUENCIES:
            raise BadInput(f"unknown frequency {self.frequency!r}: use {', '.join(FREQUENCIES)}")
        if not (emails or url or self.atom):
            raise BadInput("an alert needs a channel: an e-mail address, a webhook or the Atom feed")
        actor = one_line(self.actor, 300)
        if not (parse_query(query).groups or parse_query(query).excluded or languages or sources
                or categories or actor or min_score):
            raise BadInput("an alert needs a query, a filter or a minimum threat score; as it "
                           "is it would match every document")
        return AlertSpec(name=name, query=query, languages=languages, sources=sources,
                         categories=categories, actor=actor, min_score=min_score, emails=emails,
                         webhook_url=url, webhook_secret=secret if url else "",
                         atom=bool(self.atom), frequency=self.frequency,
                         new_only=bool(self.new_only), muted=bool(self.muted))

    def filters(self) -> dict:
        return {"languages": self.languages, "sources": self.sources,
                "categories": self.categories, "actor": self.actor}

    def channels(self) -> dict:
        data: dict = {"email": self.emails, "atom": self.atom}
        if self.webhook_url:
            data["webhook"] = {"url": self.webhook_url, "secret": self.webhook_secret}
        return data

    @classmethod
    def of(cls, row) -> AlertSpec:
        """The spec of a stored saved search."""
        filters, channels = row.filters or {}, row.channels or {}
        hook = channels.get("webhook") or {}
        return cls(name=row.name, query=row.query or "", languages=list(filters.get("languages", [])),
                   sources=list(filters.get("sources", [])),
                   categories=list(filters.get("categories", [])), actor=filters.get("actor", ""),
                   min_score=row.min_threat_score or 0.0, emails=list(channels.get("email", [])),
                   webhook_url=hook.get("url", ""), webhook_secret=hook.get("secret", ""),
                   atom=bool(channels.get("atom")), frequency=row.frequency,
                   new_only=bool(row.new_only), muted=bool(row.muted))


def channel_names(channels: dict) -> list[str]:
    """The channels a stored ``channels`` value turns on, in a fixed order."""
    names = []
    if channels.get("email"):
        names.append("email")
    if (channels.get("webhook") or {}).get("url"):
        names.append("webhook")
    if channels.get("atom"):
        names.append("atom")
    return names


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))
