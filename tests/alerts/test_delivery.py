"""Delivery with real peers: an SMTP server (aiosmtpd) and an HTTP receiver on 127.0.0.1
that verifies the webhook signature; leases, retries with backoff, digests, muting."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from rasad.alerts.outbox import backoff, claim, mark_delivered, next_due
from rasad.alerts.saved import get_alert, set_muted
from rasad.alerts.worker import DeliveryWorker
from rasad.store.tables import Delivery, Document, utcnow
from tests.helpers import TEXTS
from tests.localserver import LocalServer, Route

SECRET = "a shared secret for signing"


def worker(store, clock=None, **overrides) -> DeliveryWorker:
    from dataclasses import replace

    settings = replace(store.settings, **overrides)
    return DeliveryWorker(settings, store.db, clock=clock or utcnow)


def mail_store(make_store, smtp, **overrides):
    return make_store(smtp_host="127.0.0.1", smtp_port=smtp.port, **overrides)


def test_email_sends_one_multipart_message_per_document_with_outside_text_escaped(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("Kabul watch", query="کابل OR kabul",
                        emails=["analyst@example.org", "desk@example.org"], atom=False)
    store.ingest({"prs": TEXTS["prs"], "evil": (
        'Kabul <script>alert(1)</script> "quoted" & more',
        "A report from Kabul <img src=x onerror=alert(2)> about the talks.")})
    report = worker(store).run_once()
    assert (report.messages, report.delivered, report.retried, report.failed) == (2, 2, 0, 0)
    assert len(smtp.messages) == 2
    evil = next(m for m in smtp.messages if "script" in m.message["Subject"])
    assert evil.rcpt_tos == ["analyst@example.org", "desk@example.org"]
    assert evil.mail_from == "alerts@rasad.example"
    msg = evil.message
    assert msg["Subject"] == '[Rasad] Kabul watch: Kabul <script>alert(1)</script> "quoted" & more'
    assert msg["Auto-Submitted"] == "auto-generated"
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    page = msg.get_body(preferencelist=("html",)).get_content()
    with store.db.session() as session:
        doc_id = session.scalar(select(Document.id).where(Document.title.startswith("Kabul <script>")))
    assert f"https://rasad.example/documents/{doc_id}" in plain
    assert "file://" not in plain  # local paths stay out of mail
    assert f'href="https://rasad.example/documents/{doc_id}"' in page
    assert "English" in plain and "A report from Kabul" in plain
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x" in page
    assert "<mark>Kabul</mark>" in page
    dari = next(m for m in smtp.messages if m is not evil).message
    dari_html = dari.get_body(preferencelist=("html",)).get_content()
    assert 'dir="auto" lang="fa-AF"' in dari_html and "Dari" in dari_html
    assert {r.status for r in store.deliveries(alert)} == {"delivered"}
    assert worker(store).run_once().messages == 0  # nothing twice
    assert len(smtp.messages) == 2


def signed_receiver(secret: str, seen: list):
    """What a receiver does: recompute the HMAC over timestamp + "." + raw body, compare
    in constant time, refuse stale timestamps."""
    def on_post(headers: dict, body: bytes) -> int:
        stamp = headers.get("x-rasad-timestamp", "")
        expected = "sha256=" + hmac.new(secret.encode(), stamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
        ok = fresh and hmac.compare_digest(expected, headers.get("x-rasad-signature", ""))
        seen.append((ok, headers, body))
        return 204 if ok else 401
    return on_post


def test_webhook_posts_signed_json_that_the_receiver_verifies(make_store):
    store = make_store()
    seen: list = []
    with LocalServer() as server:
        server.routes["/hook"] = Route(on_post=signed_receiver(SECRET, seen))
        alert = store.alert("emirate", query='"امارت اسلامی"', webhook_url=server.url("/hook"),
                            webhook_secret=SECRET, atom=False)
        store.ingest({"prs": TEXTS["prs"], "en": TEXTS["en"]})
        report = worker(store).run_once()
    with store.db.session() as session:
        doc_id = session.scalar(select(Document.id).where(Document.title == TEXTS["prs"][0]))
    assert (report.messages, report.delivered) == (1, 1)
    ok, headers, body = seen[0]
    assert ok and headers["content-type"] == "application/json"
    data = json.loads(body)
    assert data["type"] == "rasad.alert" and data["timestamp"] == int(headers["x-rasad-timestamp"])
    assert data["alert"] == {"id": alert, "name": "emirate", "query": '"امارت اسلامی"',
                             "frequency": "immediate", "link": f"https://rasad.example/alerts/{alert}"}
    assert data["digest"] is None
    [item] = data["items"]
    row = store.deliveries(alert)[0]
    assert headers["x-rasad-delivery"] == str(row.id) == str(item["delivery_id"])
    assert item["document_id"] == doc_id and item["title"] == TEXTS["prs"][0]
    assert (item["language"], item["dialect"]) == ("fa", "prs")
    assert item["link"] == f"https://rasad.example/documents/{doc_id}"
    assert "امارت اسلامی" in item["snippet"] and "<mark>" not in item["snippet"]
    assert item["threat"] is None and item["published"] is None


def test_a_receiver_that_rejects_the_signature_gets_retried_with_the_reason(make_store):
    store = make_store()
    seen: list = []
    with LocalServer() as server:
        server.routes["/hook"] = Route(on_post=signed_receiver("not the same secret!", seen))
        alert = store.alert("kabul", query="کابل", webhook_url=server.url("/hook"),
                            webhook_secret=SECRET, atom=False)
        store.ingest({"prs": TEXTS["prs"]})
        report = worker(store).run_once()
    assert seen and not seen[0][0]
    assert (report.messages, report.retried) == (0, 1)
    [row] = store.deliveries(alert)
    assert row.status == "retry" and row.attempts == 1
    assert row.last_error.endswith("answered HTTP 401")


def test_webhooks_to_private_addresses_need_allow_private(make_store):
    store = make_store(allow_private=())
    alert = store.alert("kabul", query="کابل", webhook_url="http://127.0.0.1:9/hook",
                        webhook_secret=SECRET, atom=False)
    store.ingest({"prs": TEXTS["prs"]})
    worker(store).run_once()
    [row] = store.deliveries(alert)
    assert row.status == "retry"
    assert "loopback" in row.last_error and "RASAD_ALLOW_PRIVATE" in row.last_error


def test_a_worker_that_dies_mid_delivery_leaves_the_row_to_be_delivered_once_later(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("kabul", query="کابل", emails=["analyst@example.org"], atom=False)
    store.ingest({"prs": TEXTS["prs"]})
    t0 = utcnow()
    session = store.db.new_session()
    try:  # a worker claims the row, then dies: it never sends nor records anything
        [dead] = claim(session, now=t0, lease_seconds=60, owner="dead-worker")
    finally:
        session.close()
    assert worker(store, clock=lambda: t0 + timedelta(seconds=30)).run_once().messages == 0
    assert smtp.messages == []  # still leased
    report = worker(store, clock=lambda: t0 + timedelta(seconds=61)).run_once()
    assert (report.messages, report.delivered) == (1, 1)
    assert len(smtp.messages) == 1
    [row] = store.deliveries(alert)
    assert (row.status, row.attempts, row.lease_owner) == ("delivered", 2, None)
    with store.db.session() as session:  # the dead worker, back, cannot overwrite anything
        assert mark_delivered(session, [dead]) == 0
    assert worker(store, clock=lambda: t0 + timedelta(hours=1)).run_once().messages == 0
    assert len(smtp.messages) == 1


def test_failed_sends_back_off_exponentially_up_to_a_cap_then_fail(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("kabul", query="کابل", emails=["analyst@example.org"], atom=False)
    store.ingest({"prs": TEXTS["prs"]})
    smtp.refuse = True
    t = utcnow()
    waits = []
    for _ in range(4):
        worker(store, clock=lambda t=t: t, alerts_retry_seconds=60, alerts_retry_cap_seconds=200,
               alerts_max_attempts=4).run_once()
        [row] = store.deliveries(alert)
        if row.status == "failed":
            break
        assert row.status == "retry"
        waits.append((row.next_attempt_at - t).total_seconds())
        # not due a second before the retry time
        early = t + timedelta(seconds=waits[-1] - 1)
        assert worker(store, clock=lambda early=early: early).run_once().messages == 0
        t = row.next_attempt_at
    assert waits == [60, 120, 200]
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert "451" in row.last_error
    assert smtp.messages == []
    assert [backoff(n, 60, 3600).total_seconds() for n in (1, 2, 3, 7, 8)] == [60, 120, 240, 3600, 3600]


def test_email_waits_when_smtp_is_not_set_up(make_store):
    store = make_store(smtp_host="")
    alert = store.alert("kabul", query="کابل", emails=["analyst@example.org"], atom=False)
    store.ingest({"prs": TEXTS["prs"]})
    report = worker(store).run_once()
    [row] = store.deliveries(alert)
    assert row.status == "retry" and "RASAD_SMTP_HOST" in row.last_error
    assert report.errors and "RASAD_SMTP_HOST" in report.errors[0]


def test_an_hourly_digest_sends_one_message_per_period(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("digest", query="کابل OR کابل OR kabul OR ننگرهار",
                        emails=["analyst@example.org"], frequency="hourly", atom=False)
    ids = store.ingest({"prs": TEXTS["prs"], "ps": TEXTS["ps"], "en": TEXTS["en"]})
    rows = store.deliveries(alert)
    assert len(rows) == 3
    due = next_due("hourly", rows[0].created_at)
    assert {r.next_attempt_at for r in rows} == {due}
    assert due.minute == 0 and timedelta(0) < due - rows[0].created_at <= timedelta(hours=1)
    assert worker(store, clock=lambda: due - timedelta(seconds=1)).run_once().messages == 0
    report = worker(store, clock=lambda: due + timedelta(seconds=1)).run_once()
    assert (report.messages, report.delivered) == (1, 3)
    [mail] = smtp.messages
    assert mail.message["Subject"] == "[Rasad] digest: 3 new items (hourly digest)"
    plain = mail.message.get_body(preferencelist=("plain",)).get_content()
    for doc_id in ids:
        assert f"https://rasad.example/documents/{doc_id}" in plain
    assert mail.message["X-Rasad-Delivery"] == ",".join(str(r.id) for r in rows)
    # the next period's items make the next message
    more = store.ingest({"ur": ("کابل", "کابل میں ملاقات")})
    later = next_due("hourly", due + timedelta(minutes=5))
    assert worker(store, clock=lambda: later + timedelta(seconds=1)).run_once().messages == 1
    assert len(smtp.messages) == 2 and more


def test_a_digest_cut_by_the_claim_size_still_goes_out_as_one_message(make_store, smtp):
    store = mail_store(make_store, smtp)
    first = store.alert("first", query="کابل OR kabul OR ننگرهار", emails=["analyst@example.org"],
                        frequency="daily", atom=False)
    second = store.alert("second", query="کابل OR kabul OR ننگرهار", emails=["desk@example.org"],
                         frequency="daily", atom=False)
    store.ingest({"prs": TEXTS["prs"], "ps": TEXTS["ps"], "en": TEXTS["en"]})
    assert len(store.deliveries(first)) == len(store.deliveries(second)) == 3
    w = worker(store, clock=lambda: utcnow() + timedelta(days=1, minutes=1))
    w.claim_batch = 2  # the first claim holds two rows of the first digest only
    report = w.run_once()
    assert (report.messages, report.delivered) == (2, 6)
    assert sorted((m.rcpt_tos[0], m.message["Subject"]) for m in smtp.messages) == [
        ("analyst@example.org", "[Rasad] first: 3 new items (daily digest)"),
        ("desk@example.org", "[Rasad] second: 3 new items (daily digest)")]


def test_daily_digests_fall_due_at_the_configured_hour():
    from datetime import UTC, datetime

    now = datetime(2026, 5, 1, 7, 30, tzinfo=UTC)
    assert next_due("daily", now, 6) == datetime(2026, 5, 2, 6, 0, tzinfo=UTC)
    assert next_due("daily", now, 9) == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert next_due("hourly", now) == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    assert next_due("immediate", now) == now


def test_muting_cancels_waiting_messages(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("kabul", query="کابل", emails=["analyst@example.org"], frequency="daily")
    store.ingest({"prs": TEXTS["prs"]})
    with store.db.session() as session:
        set_muted(session, get_alert(session, alert), True)
    report = worker(store, clock=lambda: utcnow() + timedelta(days=2)).run_once()
    assert report.messages == 0 and smtp.messages == []
    rows = {r.channel: r for r in store.deliveries(alert)}
    assert (rows["email"].status, rows["email"].last_error) == ("cancelled", "the alert was muted")
    assert rows["atom"].status == "delivered"  # what the feed already lists stays


def test_workers_claiming_at_once_never_share_a_row(make_store):
    store = make_store()
    alert = store.alert("kabul", query="کابل OR kabul OR ننگرهار OR دہشت OR المقاومه",
                        webhook_url="https://hooks.example/x", webhook_secret=SECRET, atom=False)
    store.ingest({f"{k}{i}": v for i in range(3) for k, v in TEXTS.items()})
    with store.db.session() as session:
        total = len(list(session.scalars(select(Delivery.id).where(Delivery.saved_search_id == alert))))
    assert total >= 9
    got: list[list[int]] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run():
        session = store.db.new_session()
        try:
            while True:
                rows = claim(session, lease_seconds=300, limit=2)
                if not rows:
                    return
                with lock:
                    got.append([r.id for r in rows])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    claimed = [i for batch in got for i in batch]
    assert errors == []
    assert len(claimed) == len(set(claimed)) == total


@pytest.mark.parametrize("secret", ["short", ""])
def test_a_webhook_needs_a_real_secret(make_store, secret):
    from rasad.errors import BadInput

    store = make_store()
    with pytest.raises(BadInput, match="secret"):
        store.alert("x", query="کابل", webhook_url="https://hooks.example/x", webhook_secret=secret)


def test_a_deleted_document_or_alert_cancels_instead_of_sending(make_store, smtp):
    store = mail_store(make_store, smtp)
    alert = store.alert("kabul", query="کابل", emails=["analyst@example.org"], atom=False)
    store.ingest({"prs": TEXTS["prs"]})
    with store.db.session() as session:  # the alert loses its e-mail channel meanwhile
        row = get_alert(session, alert)
        row.channels = {"email": [], "atom": True}
    worker(store).run_once()
    [row] = store.deliveries(alert)
    assert row.status == "cancelled" and "email channel" in row.last_error
    assert smtp.messages == []
    with store.db.session() as session:
        assert session.scalar(select(Document.id).where(Document.id == row.document_id))


def test_ingest_and_a_delivering_worker_run_side_by_side(make_store):
    """On SQLite a transaction that read before writing fails at once if another process
    wrote in between; ingest therefore takes the write lock up front, and the worker waits."""
    store = make_store()
    with LocalServer() as server:
        server.routes["/hook"] = Route(on_post=lambda headers, body: 204)
        for i, word in enumerate(["کابل", "kabul", "امارت", "ننگرهار", "said"]):
            store.alert(f"a{i}", query=word, webhook_url=server.url("/hook"), webhook_secret=SECRET,
                        atom=False)
        folder = store.folder / "many"
        folder.mkdir(parents=True)
        for n in range(600):
            title, body = list(TEXTS.values())[n % len(TEXTS)]
            (folder / f"{n:04d}.txt").write_text(f"{title} {n}\n\n{body} ({n})\n", encoding="utf-8")
        stop, errors = threading.Event(), []
        deliverer = worker(store)

        def deliver():
            while not stop.is_set():
                try:
                    deliverer.run_once()
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                time.sleep(0.01)

        thread = threading.Thread(target=deliver)
        thread.start()
        try:
            report = store.ingester.run([str(folder)])
        finally:
            stop.set()
            thread.join(60)
        deliverer.run_once()
    assert report.totals()["documents_new"] == 600 and report.failed == []
    assert errors == []
    rows = store.deliveries()
    assert len(rows) > 600 and {r.status for r in rows} == {"delivered"}
    assert len(server.posts) == len(rows)
