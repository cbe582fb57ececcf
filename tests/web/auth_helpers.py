"""Helpers for the account tests: a site (app, store, users), logging in, forging cookies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from rasad.config import Settings
from rasad.store.tables import User
from rasad.web.secret_key import load_secret_key
from rasad.web.sessions import COOKIE_NAME, session_serializer

PASSWORD = "a long enough passphrase"
ROLES = ("subscriber", "analyst", "admin")


@dataclass
class Site:
    client: TestClient
    settings: Settings
    db: object
    doc_id: int = 0
    capture_id: int = 0
    users: dict[str, int] = field(default_factory=dict)  # role or name -> user id
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token

    def email(self, who: str) -> str:
        return f"{who}@example.org"

    def cookie(self, who: str | None, csrf: str = "csrf-token-for-tests") -> str:
        """A signed session cookie as the app would issue it (None: an anonymous session
        that only carries a CSRF token)."""
        data: dict = {"csrf": csrf}
        if who is not None:
            with self.db.session() as session:
                user = session.get(User, self.users[who])
                data.update(uid=user.id, epoch=user.session_epoch)
        value = session_serializer(load_secret_key(self.settings)).dumps(data)
        return f"{COOKIE_NAME}={value}"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD, next: str = "/"):
    form = client.get("/login", params={"next": next})
    return client.post("/login", data={"email": email, "password": password, "next": next,
                                       "csrf_token": csrf_from(form.text)}, follow_redirects=False)
