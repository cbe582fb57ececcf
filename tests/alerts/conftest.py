"""Fixtures for alerts: a store with a user on SQLite and PostgreSQL, a real SMTP server
(aiosmtpd) on 127.0.0.1, and helpers to ingest texts and to make alerts."""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass, field, replace
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from sqlalchemy import select

from rasad.alerts.saved import create_alert
from rasad.alerts.spec import AlertSpec
from rasad.config import Settings
from rasad.pipeline.ingest import Ingester
from rasad.search.service import open_backend
from rasad.store import users
from rasad.store.db import Database
from rasad.store.tables import Delivery, Document
from rasad.store.users import create_user

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(users, "_dummy_hash", None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: Message


class MailBox:
    """The aiosmtpd handler: keeps every message; ``refuse`` makes it answer 451."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "451 Requested action aborted: try again later"
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=default_policy)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    box = MailBox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


@dataclass
class Store:
    settings: Settings
    db: Database
    ingester: Ingester
    user_id: int
    folder: Path
    made: list = field(default_factory=list)
    n: int = 0
    last_folder: Path | None = None

    def user(self, session):
        return session.get(users.User, self.user_id)

    def alert(self, name: str = "alert", **fields) -> int:
        with self.db.session() as session:
            return create_alert(session, self.user(session), AlertSpec(name=name, **fields)).id

    def ingest(self, texts: dict[str, tuple[str, str]] | list[tuple[str, str]]) -> list[int]:
        """Write texts as .txt files and ingest them (the batch path); their new ids."""
        items = texts.items() if isinstance(texts, dict) else enumerate(texts)
        folder = self.folder / f"in{self.n}"
        self.n += 1
        folder.mkdir(parents=True)
        for key, (title, body) in items:
            (folder / f"{key}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        self.last_folder = folder
        before = self.max_doc_id()
        self.ingester.run([str(folder)])
        return [i for i in self.doc_ids() if i > before]

    def max_doc_id(self) -> int:
        ids = self.doc_ids()
        return max(ids) if ids else 0

    def doc_ids(self) -> list[int]:
        with self.db.session() as session:
            return sorted(session.scalars(select(Document.id)))

    def deliveries(self, alert_id: int | None = None, channel: str | None = None) -> list[Delivery]:
        with self.db.session() as session:
            stmt = select(Delivery).order_by(Delivery.id)
            if alert_id is not None:
                stmt = stmt.where(Delivery.saved_search_id == alert_id)
            if channel is not None:
                stmt = stmt.where(Delivery.channel == channel)
            return list(session.scalars(stmt))

    def matched(self, alert_id: int) -> set[int]:
        return {d.document_id for d in self.deliveries(alert_id)}


@pytest.fixture
def make_store(tmp_path, db_url):
    """make_store(extract=False, **settings) -> Store with one analyst, on both databases."""
    made: list = []

    def build(*, extract: bool = False, **overrides) -> Store:
        settings = Settings(home=tmp_path / "home", db=db_url, rate_limit_seconds=0.0,
                            extract_on_ingest=extract, allow_private=("127.0.0.1",),
                            base_url="https://rasad.example", smtp_starttls=False,
                            smtp_from="alerts@rasad.example")
        settings = replace(settings, **overrides)
        db = Database(settings.db_url)
        ingester = Ingester(settings, db, open_backend(settings, db))
        made.extend([ingester, db])
        with db.session() as session:
            user = session.scalar(select(users.User).where(users.User.email == "analyst@example.org"))
            if user is None:
                user = create_user(session, "analyst@example.org", PASSWORD, "analyst")
            user_id = user.id
        return Store(settings, db, ingester, user_id, tmp_path / "texts")

    yield build
    for thing in made:
        if isinstance(thing, Database):
            thing.dispose()
        else:
            thing.close()
