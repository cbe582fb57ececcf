"""`rasad alerts deliver`: claim due outbox rows, send them, record what happened.

Rows of an alert sent immediately become one message each; rows of a digest alert that
fall due together (its period ended) become one message per channel. A row whose alert
was muted or deleted meanwhile, whose owner was deactivated, or whose channel was
removed is cancelled, not sent. See rasad.alerts.outbox for leases and retries.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from rasad.alerts.messages import AlertInfo, Item, alert_info, items_for
from rasad.alerts.outbox import (
    CLAIM_BATCH,
    Claimed,
    cancel,
    claim,
    fail_abandoned,
    mark_delivered,
    mark_failed_attempt,
    renew,
)
from rasad.alerts.spec import channel_names
from rasad.config import Settings
from rasad.errors import ConfigError, RasadError, StoreError
from rasad.store.db import Database
from rasad.store.tables import SavedSearch, User, utcnow

log = logging.getLogger(__name__)
MAX_DIGEST_ITEMS = 200  # a digest longer than this goes out in several messages
MAX_CLAIMS_PER_RUN = 10_000


class Channel(Protocol):
    name: str

    def send(self, alert: AlertInfo, items: list[Item]) -> str: ...


@dataclass
class DeliveryReport:
    messages: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: DeliveryReport) -> None:
        self.messages += other.messages
        self.delivered += other.delivered
        self.retried += other.retried
        self.failed += other.failed
        self.cancelled += other.cancelled
        self.errors += other.errors

    def as_json(self) -> dict:
        return {"messages": self.messages, "delivered": self.delivered, "retried": self.retried,
                "failed": self.failed, "cancelled": self.cancelled, "errors": self.errors[:20]}


def default_channels(settings: Settings) -> dict[str, Channel]:
    from rasad.alerts.email import EmailChannel
    from rasad.alerts.webhook import WebhookChannel

    return {"email": EmailChannel(settings), "webhook": WebhookChannel(settings)}


def check_settings(settings: Settings) -> None:
    if settings.alerts_retry_seconds < 1 or settings.alerts_retry_cap_seconds < settings.alerts_retry_seconds:
        raise ConfigError("RASAD_ALERTS_RETRY must be at least 1 second and at most RASAD_ALERTS_RETRY_CAP")
    if settings.alerts_max_attempts < 1:
        raise ConfigError("RASAD_ALERTS_MAX_ATTEMPTS must be at least 1")
    if settings.alerts_lease_seconds < 10:
        raise ConfigError("RASAD_ALERTS_LEASE must be at least 10 seconds")
    if not 0 <= settings.alerts_daily_hour <= 23:
        raise ConfigError("RASAD_ALERTS_DAILY_HOUR must be an hour from 0 to 23")


class DeliveryWorker:
    def __init__(self, settings: Settings, db: Database, channels: dict[str, Channel] | None = None,
                 *, clock: Callable[[], datetime] = utcnow) -> None:
        check_settings(settings)
        self.settings = settings
        self.db = db
        self.channels = channels if channels is not None else default_channels(settings)
        self.clock = clock
        self.worker_id = uuid.uuid4().hex[:12]
        self.claim_batch = CLAIM_BATCH

    def close(self) -> None:
        for channel in self.channels.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()

    def run_once(self) -> DeliveryReport:
        """Deliver everything due now, then return. A database that is busy (SQLite while
        an ingest holds the write lock longer than the busy timeout) or unreachable is a
        StoreError; rows claimed by then are retried once their lease expires."""
        try:
            return self._run_once()
        except OperationalError as exc:
            raise StoreError(f"alerts delivery: the database is busy or unreachable ({exc.orig})") from exc

    def _run_once(self) -> DeliveryReport:
        report = DeliveryReport()
        s = self.settings
        with self.db.session() as session:
            report.failed += fail_abandoned(session, now=self.clock(), max_attempts=s.alerts_max_attempts)
        for _ in range(MAX_CLAIMS_PER_RUN):
            session = self.db.new_session()
            try:
                owner = f"{self.worker_id}-{uuid.uuid4().hex[:12]}"
                claimed = claim(session, now=self.clock(), lease_seconds=s.alerts_lease_seconds,
                                max_attempts=s.alerts_max_attempts, owner=owner,
                                limit=self.claim_batch)
                if not claimed:
                    break
                claimed += self._rest_of_digests(session, claimed, owner)
                report.add(self.deliver(session, claimed))
            finally:
                session.close()
        return report

    def run_forever(self, stop: threading.Event | None = None,
                    on_report: Callable[[DeliveryReport], None] | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                report = self.run_once()
                if on_report and (report.messages or report.cancelled or report.failed):
                    on_report(report)
            except RasadError as exc:  # e.g. the database is unreachable for a while
                log.error("alerts delivery: %s", exc)
            stop.wait(self.settings.alerts_poll_seconds)

    def _rest_of_digests(self, session, claimed: list[Claimed], owner: str) -> list[Claimed]:
        """A claim stops at its size limit, possibly in the middle of a digest: claim the
        rest of each digest begun, so that a period still makes one message."""
        digests = set(session.execute(
            select(SavedSearch.id).where(SavedSearch.id.in_({c.saved_search_id for c in claimed}),
                                         SavedSearch.frequency.in_(("hourly", "daily")))).scalars())
        session.commit()
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for c in claimed:
            if c.saved_search_id in digests:
                counts[(c.saved_search_id, c.channel)] += 1
        more: list[Claimed] = []
        seen = {c.id for c in claimed}
        s = self.settings
        for group, n in counts.items():
            if n < MAX_DIGEST_ITEMS:  # claim() answers with every row the owner holds
                for row in claim(session, now=self.clock(), lease_seconds=s.alerts_lease_seconds,
                                 max_attempts=s.alerts_max_attempts, owner=owner, only=group,
                                 limit=MAX_DIGEST_ITEMS - n):
                    if row.id not in seen:
                        seen.add(row.id)
                        more.append(row)
        return more

    # -- one claim -------------------------------------------------------------------------

    def deliver(self, session, claimed: list[Claimed]) -> DeliveryReport:
        """Send the claimed rows and record the outcome of each message as it goes."""
        report = DeliveryReport()
        alerts = {row.id: (row, active) for row, active in session.execute(
            select(SavedSearch, User.active).outerjoin(User, User.id == SavedSearch.user_id)
            .where(SavedSearch.id.in_({c.saved_search_id for c in claimed})))}
        session.commit()  # reads end here: each write below starts a transaction of its own
        groups: dict[tuple[int, str], list[Claimed]] = defaultdict(list)
        for row in sorted(claimed, key=lambda c: c.id):
            groups[(row.saved_search_id, row.channel)].append(row)
        for (search_id, channel_name), rows in groups.items():
            found = alerts.get(search_id)
            reason = self._cancel_reason(found, channel_name)
            if reason:
                report.cancelled += cancel(session, rows, reason)
                session.commit()
                continue
            alert_row = found[0]
            batches = ([rows[i:i + MAX_DIGEST_ITEMS] for i in range(0, len(rows), MAX_DIGEST_ITEMS)]
                       if alert_row.frequency in ("hourly", "daily") else [[r] for r in rows])
            info = alert_info(alert_row, self.settings.base_url)
            for batch in batches:
                self._send(session, info, alert_row, channel_name, batch, report)
                session.commit()
        return report

    def _cancel_reason(self, found, channel_name: str) -> str:
        if found is None:
            return "the alert was deleted"
        row, owner_active = found
        if row.muted:
            return "the alert was muted"
        if not owner_active:
            return "the alert's owner is deactivated"
        if channel_name not in channel_names(row.channels or {}) or channel_name not in self.channels:
            return f"the alert no longer has the {channel_name} channel"
        return ""

    def _send(self, session, info: AlertInfo, alert_row: SavedSearch, channel_name: str,
              batch: list[Claimed], report: DeliveryReport) -> None:
        s = self.settings
        batch = renew(session, batch, now=self.clock(), lease_seconds=s.alerts_lease_seconds)
        if not batch:
            return
        items = items_for(session, alert_row, [(c.id, c.document_id, c.created_at) for c in batch],
                          s.base_url)
        session.commit()
        if not items:
            report.cancelled += cancel(session, batch, "the document is gone")
            return
        try:
            note = self.channels[channel_name].send(info, items)
        except RasadError as exc:
            retried, failed = mark_failed_attempt(
                session, batch, str(exc), now=self.clock(), base=s.alerts_retry_seconds,
                cap=s.alerts_retry_cap_seconds, max_attempts=s.alerts_max_attempts)
            report.retried += retried
            report.failed += failed
            report.errors.append(f"alert {info.id} ({channel_name}): {exc}")
            return
        except Exception as exc:  # a bug in a channel must not stop the others
            log.exception("alert %s: %s channel failed", info.id, channel_name)
            retried, failed = mark_failed_attempt(
                session, batch, f"internal error: {type(exc).__name__}: {exc}", now=self.clock(),
                base=s.alerts_retry_seconds, cap=s.alerts_retry_cap_seconds,
                max_attempts=s.alerts_max_attempts)
            report.retried += retried
            report.failed += failed
            report.errors.append(f"alert {info.id} ({channel_name}): internal error {type(exc).__name__}")
            return
        report.messages += 1
        report.delivered += mark_delivered(session, batch, now=self.clock(), note=note)
