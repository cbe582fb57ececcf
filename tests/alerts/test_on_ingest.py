"""Matching on ingest: outbox rows written in the ingesting transaction, on the batch path
(local files) and the one-by-one path (URLs), never twice, and not for muted alerts,
deactivated owners, older items or new versions of a page that already alerted."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from rasad.alerts.saved import get_alert, set_muted, update_alert
from rasad.alerts.spec import AlertSpec
from rasad.store.tables import Document, Threat, utcnow
from rasad.store.users import deactivate, get_user
from tests.helpers import TEXTS
from tests.localserver import LocalServer, Route

PAGE = """<!doctype html><html lang="fa"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"""


def test_batch_path_writes_one_row_per_channel_atom_delivered_at_once(make_store):
    store = make_store()
    alert = store.alert("mujahid", query="ذبیح‌الله", emails=["a@example.org"],
                        webhook_url="https://hooks.example/x", webhook_secret="s" * 20)
    ids = store.ingest(TEXTS)
    rows = store.deliveries(alert)
    matched = {r.document_id for r in rows}
    assert len(matched) == 2  # the Dari text (ZWNJ) and the Pashto one (spaced)
    assert matched <= set(ids)
    assert sorted(r.channel for r in rows) == ["atom", "atom", "email", "email", "webhook", "webhook"]
    for r in rows:
        if r.channel == "atom":
            assert (r.status, r.delivered_at is not None, r.next_attempt_at) == ("delivered", True, None)
        else:
            assert r.status == "pending" and r.attempts == 0
            assert r.next_attempt_at <= utcnow()
    store.ingester.run([str(store.last_folder)])  # the same files again: nothing new, nothing queued twice
    assert len(store.deliveries(alert)) == 6


def test_url_path_matches_too_and_a_new_version_of_a_page_does_not_alert_again(make_store):
    store = make_store()
    alert = store.alert("emirate", query='"امارت اسلامی"')
    other = store.alert("kabul", query="کابل")
    with LocalServer() as server:
        server.routes["/news/1.html"] = Route(PAGE.format(
            title="امارت اسلامی", body="سخنگوی امارت اسلامی در کابل سخن گفت.").encode(),
            headers={"Content-Type": "text/html; charset=utf-8"})
        url = server.url("/news/1.html")
        store.ingester.run([url])
        assert len(store.matched(alert)) == 1 and len(store.matched(other)) == 1
        # the page changes: a new document version, which both alerts already saw
        server.routes["/news/1.html"] = Route(PAGE.format(
            title="امارت اسلامی", body="سخنگوی امارت اسلامی در کابل و هرات سخن گفت.").encode(),
            headers={"Content-Type": "text/html; charset=utf-8"})
        late = store.alert("herat", query="هرات")
        store.ingester.run([url])
    with store.db.session() as session:
        versions = list(session.scalars(select(Document.version).where(Document.url == url)))
    assert sorted(versions) == [1, 2]
    assert len(store.deliveries(alert)) == 1 and len(store.deliveries(other)) == 1
    assert len(store.matched(late)) == 1  # new to this alert


def test_muted_alerts_and_deactivated_owners_match_nothing(make_store):
    store = make_store()
    muted = store.alert("muted", query="کابل", muted=True)
    later_muted = store.alert("later", query="کابل")
    with store.db.session() as session:
        set_muted(session, get_alert(session, later_muted), True)
    store.ingest({"prs": TEXTS["prs"]})
    assert store.deliveries(muted) == [] and store.deliveries(later_muted) == []
    live = store.alert("live", query="کابل")
    with store.db.session() as session:
        from rasad.store.users import create_user

        create_user(session, "admin@example.org", "a long enough passphrase", "admin")
        deactivate(session, get_user(session, "analyst@example.org"))
    store.ingest({"ps": TEXTS["ps"]})
    assert store.deliveries(live) == []


def test_unmuting_matches_from_then_on_without_backfill(make_store):
    store = make_store()
    alert = store.alert("kabul", query="کابل", muted=True)
    store.ingest({"prs": TEXTS["prs"]})
    with store.db.session() as session:
        set_muted(session, get_alert(session, alert), False)
    new = store.ingest({"ps": TEXTS["ps"]})
    assert store.matched(alert) == set(new)


def test_only_items_dated_after_the_alert_unless_asked_for_all(make_store, tmp_path):
    store = make_store()
    fresh = store.alert("fresh", query="کابل")
    everything = store.alert("all", query="کابل", new_only=False)
    today = utcnow().date().isoformat()
    records = [{"id": "old", "title": "کابل", "text": "خبری قدیمی از کابل", "published": "2021-08-15"},
               {"id": "new", "title": "کابل", "text": "خبری تازه از کابل", "published": today},
               {"id": "undated", "title": "کابل", "text": "خبری بی‌تاریخ از کابل"}]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    store.ingester.run([str(path)])
    with store.db.session() as session:
        by_item = dict(session.execute(select(Document.item_key, Document.id)).all())
    assert store.matched(fresh) == {by_item["new"], by_item["undated"]}
    assert store.matched(everything) == set(by_item.values())


def test_threat_and_actor_filters_use_the_extraction_stored_in_the_same_transaction(make_store):
    store = make_store(extract=True)
    martyrdom = store.alert("martyrdom", categories=["suicide_attack"], min_score=0.5)
    taliban = store.alert("taliban", actor="طالبان")
    any_threat = store.alert("threats", query="کابل OR kabul", min_score=0.2)
    texts = {
        "call": ("بیان", "سخنگوی طالبان گفت که مجاهدین باید عملیات استشهادی علیه اشغالگران انجام دهند."),
        "praise": ("Statement", "The Taliban spokesman Zabihullah Mujahid praised the martyrdom "
                                "operation in Kabul."),
        "neutral": TEXTS["en"], "roads": TEXTS["prs"],
    }
    ids = store.ingest(texts)
    with store.db.session() as session:
        scores = {}
        for doc_id, category, score in session.execute(select(Threat.document_id, Threat.category, Threat.score)):
            scores.setdefault(doc_id, {}).setdefault(category, 0.0)
            scores[doc_id][category] = max(scores[doc_id][category], score)
        by_title = {t: i for i, t in session.execute(select(Document.id, Document.title)) if i in ids}
    strong = {d for d, s in scores.items() if s.get("suicide_attack", 0) >= 0.5}
    assert by_title["بیان"] in strong  # the Persian call to a martyrdom operation
    assert store.matched(martyrdom) == strong
    # "امارت اسلامی" (the Islamic Emirate) in the Dari text is the Taliban too
    assert store.matched(taliban) == {by_title["بیان"], by_title["Statement"], by_title[TEXTS["prs"][0]]}
    assert store.matched(any_threat) == {d for d in (by_title["Statement"],)
                                         if max(scores.get(d, {0: 0}).values()) >= 0.2}
    assert by_title[TEXTS["en"][0]] not in store.matched(martyrdom) | store.matched(any_threat)


def test_editing_an_alert_moves_waiting_digests_and_cancels_removed_channels(make_store):
    store = make_store()
    alert = store.alert("kabul", query="کابل", emails=["a@example.org"],
                        webhook_url="https://hooks.example/x", webhook_secret="s" * 20)
    store.ingest({"prs": TEXTS["prs"]})
    with store.db.session() as session:
        row = get_alert(session, alert)
        spec = AlertSpec.of(row)
        spec.frequency, spec.webhook_url, spec.webhook_secret = "daily", "", ""
        update_alert(session, row, spec, daily_hour=6)
    rows = {r.channel: r for r in store.deliveries(alert)}
    assert rows["webhook"].status == "cancelled"
    assert rows["webhook"].last_error == "the webhook channel was removed"
    due = rows["email"].next_attempt_at
    assert due.hour == 6 and due.minute == 0 and timedelta(0) < due - utcnow() <= timedelta(days=1)
