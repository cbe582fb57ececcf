"""Alerts on the web: pages with CSRF-checked forms and JSON twins, the /api/v1 routes,
who sees which alert, and the Atom feed read by feedparser; SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re

import feedparser
from sqlalchemy import select
from tests.helpers import TEXTS, make_ingester, write_texts
from tests.web.auth_helpers import csrf_from, login

from rasad.alerts.saved import create_alert
from rasad.alerts.spec import AlertSpec
from rasad.store.tables import SavedSearch, User
from rasad.store.users import deactivate, get_user

SECRET = "a shared secret for signing"


def bearer(site, who: str) -> dict:
    return {"Authorization": f"Bearer {site.tokens[who]}"}


def ingest(site, tmp_path, texts: dict) -> None:
    db, ing = make_ingester(site.settings)
    try:
        paths = write_texts(tmp_path / f"more{len(list(tmp_path.iterdir()))}", texts)
        ing.run([str(p) for p in paths.values()])
    finally:
        ing.close()
        db.dispose()


def test_make_edit_mute_and_delete_an_alert_with_the_forms(make_site):
    site = make_site()
    client = site.client
    assert login(client, "analyst@example.org").status_code == 303
    search = client.get("/search", params={"q": 'امارت "ذبیح الله"', "lang": "prs"})
    link = html.unescape(re.search(r'href="(/alerts/new\?[^"]+)"', search.text).group(1))
    assert "Save this search" in search.text
    form = client.get(link)
    assert form.status_code == 200
    assert 'value="امارت &#34;ذبیح الله&#34;"' in form.text
    assert re.search(r'value="prs" checked', form.text)
    assert "analyst@example.org" in form.text  # the viewer's address, filled in
    fields = {"name": "Emirate", "query": 'امارت "ذبیح الله"', "lang": ["prs"],
              "emails": "analyst@example.org\ndesk@example.org", "atom": "1",
              "frequency": "hourly", "new_only": "1", "min_score": "0"}
    assert client.post("/alerts", data=fields, follow_redirects=False).status_code == 403  # no CSRF
    created = client.post("/alerts", data={**fields, "csrf_token": csrf_from(form.text)},
                          follow_redirects=False)
    assert created.status_code == 303
    path = created.headers["location"]
    alert_id = int(path.rsplit("/", 1)[1])
    page = client.get(path)
    assert page.status_code == 200 and "Emirate" in page.text and "hourly" in page.text
    data = client.get(f"{path}.json").json()["alert"]
    assert data["channels"] == {"email": ["analyst@example.org", "desk@example.org"],
                                "webhook": None, "atom": True}
    assert data["filters"]["languages"] == ["prs"] and data["user"] == "analyst@example.org"
    assert data["feed_url"].startswith("http://127.0.0.1:8000/alerts/feed/")

    # a bad edit is shown on the form, with what was typed kept
    edit = client.get(f"{path}/edit")
    token = csrf_from(edit.text)
    bad = client.post(path, data={**fields, "min_score": "2", "csrf_token": token})
    assert bad.status_code == 400 and "between 0 and 1" in bad.text and "desk@example.org" in bad.text
    unknown = client.post(path, data={**fields, "source": ["nowhere"], "csrf_token": token})
    assert unknown.status_code == 400 and "no source named" in unknown.text
    ok = client.post(path, data={**fields, "webhook_url": "https://hooks.example/in",
                                 "webhook_secret": SECRET, "frequency": "daily", "csrf_token": token},
                     follow_redirects=False)
    assert ok.status_code == 303
    data = client.get(f"{path}.json").json()["alert"]
    assert data["frequency"] == "daily"
    assert data["channels"]["webhook"] == {"url": "https://hooks.example/in", "secret_set": True}
    assert SECRET not in client.get(f"{path}/edit").text  # never shown back
    # saved again with the secret field empty: the secret stays
    client.post(path, data={**fields, "webhook_url": "https://hooks.example/in", "csrf_token": token})
    with site.db.session() as session:
        assert session.get(SavedSearch, alert_id).channels["webhook"]["secret"] == SECRET

    assert client.post(f"{path}/mute", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get(f"{path}.json").json()["alert"]["muted"] is True
    client.post(f"{path}/unmute", data={"csrf_token": token})
    assert client.get(f"{path}.json").json()["alert"]["muted"] is False
    assert client.get(f"{path}/history").status_code == 200
    assert client.get(f"{path}/history.json").json() == {"alert": {"id": alert_id, "name": "Emirate"},
                                                          "deliveries": []}
    listing = client.get("/alerts")
    assert listing.status_code == 200 and f'href="/alerts/{alert_id}"' in listing.text
    assert client.post(f"{path}/delete", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get(f"{path}.json").status_code == 404


def test_each_user_sees_only_their_own_alerts_and_admins_see_all(make_site):
    site = make_site(tokens=True)
    client = site.client
    mine = client.post("/api/v1/alerts", headers=bearer(site, "subscriber"), json={
        "name": "mine", "query": "kabul", "emails": ["subscriber@example.org"]})
    assert mine.status_code == 201
    alert_id = mine.json()["alert"]["id"]
    client.post("/api/v1/alerts", headers=bearer(site, "analyst"), json={"name": "theirs", "query": "کابل"})
    names = lambda who: [a["name"] for a in client.get("/api/v1/alerts", headers=bearer(site, who)).json()["alerts"]]  # noqa: E731
    assert names("subscriber") == ["mine"] and names("analyst") == ["theirs"]
    assert names("admin") == ["mine", "theirs"]
    for path in (f"/api/v1/alerts/{alert_id}", f"/api/v1/alerts/{alert_id}/history",
                 f"/api/v1/alerts/{alert_id}/test"):
        assert client.get(path, headers=bearer(site, "analyst")).status_code == 404
        assert client.get(path, headers=bearer(site, "admin")).status_code == 200
        assert client.get(path, headers=bearer(site, "subscriber")).status_code == 200
    assert client.delete(f"/api/v1/alerts/{alert_id}", headers=bearer(site, "analyst")).status_code == 404
    assert client.get("/api/v1/alerts").status_code == 401


def test_subscribers_may_mail_only_their_own_address(make_site):
    site = make_site(tokens=True)
    client = site.client
    other = client.post("/api/v1/alerts", headers=bearer(site, "subscriber"), json={
        "name": "spam", "query": "kabul", "emails": ["someone@else.example"]})
    assert other.status_code == 403 and "own address" in other.json()["detail"]
    assert client.post("/api/v1/alerts", headers=bearer(site, "analyst"), json={
        "name": "team", "query": "kabul", "emails": ["desk@else.example"]}).status_code == 201


def test_api_create_update_and_delete(make_site):
    site = make_site(tokens=True)
    client = site.client
    auth = bearer(site, "analyst")
    bad = client.post("/api/v1/alerts", headers=auth, json={"name": "x", "languages": ["xx"]})
    assert bad.status_code == 400 and "unknown language" in bad.json()["detail"]
    empty = client.post("/api/v1/alerts", headers=auth, json={"name": "everything"})
    assert empty.status_code == 400 and "would match every document" in empty.json()["detail"]
    made = client.post("/api/v1/alerts", headers=auth, json={
        "name": "threats", "categories": ["suicide_attack"], "min_score": 0.6,
        "webhook_url": "https://hooks.example/in", "webhook_secret": SECRET, "atom": False})
    assert made.status_code == 201
    alert = made.json()["alert"]
    assert SECRET not in made.text and alert["feed_url"] is None
    assert alert["channels"]["webhook"] == {"url": "https://hooks.example/in", "secret_set": True}
    changed = client.put(f"/api/v1/alerts/{alert['id']}", headers=auth, json={
        "name": "threats", "categories": ["suicide_attack", "call_to_violence"], "min_score": 0.5,
        "webhook_url": "https://hooks.example/in", "muted": True, "atom": True})
    assert changed.status_code == 200
    data = changed.json()["alert"]
    assert data["muted"] is True and data["filters"]["categories"] == ["suicide_attack", "call_to_violence"]
    assert data["channels"]["webhook"]["secret_set"] and data["feed_url"]
    assert client.delete(f"/api/v1/alerts/{alert['id']}", headers=auth).json() == {"deleted": alert["id"]}


def test_the_atom_feed_is_public_at_its_token_and_feedparser_reads_it(make_site, tmp_path):
    site = make_site()
    with site.db.session() as session:
        user = get_user(session, "subscriber@example.org")
        row = create_alert(session, user, AlertSpec(name="Kabul <watch>", query="کابل OR kabul",
                                                    new_only=False))
        token, alert_id = row.feed_token, row.id
    ingest(site, tmp_path, {"prs": TEXTS["prs"], "ps": TEXTS["ps"], "ar": TEXTS["ar"],
                            "evil": ("Kabul <b>bold</b> & \x07bell", "Kabul \x0b text <script>x</script>")})
    site.client.cookies.clear()
    response = site.client.get(f"/alerts/feed/{token}.atom")  # anonymous
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Rasad alert: Kabul <watch>"
    assert feed.feed.link == f"http://127.0.0.1:8000/alerts/{alert_id}"
    titles = {e.title for e in feed.entries}
    assert titles == {TEXTS["prs"][0], TEXTS["ps"][0], "Kabul <b>bold</b> & bell"}
    dari = next(e for e in feed.entries if e.title == TEXTS["prs"][0])
    assert dari.link.startswith("http://127.0.0.1:8000/documents/")
    assert dari.id.startswith(f"urn:rasad:alert:{alert_id}:document:")
    assert "کابل" in dari.summary and dari.get("language") in ("fa-AF", None)
    assert {"term": "lang:prs", "label": "Dari", "scheme": None} in [dict(t) for t in dari.tags]
    assert b"<script>" not in response.content
    assert site.client.get("/alerts/feed/not-a-token.atom").status_code == 404
    with site.db.session() as session:  # the owner leaves: the feed closes
        deactivate(session, session.scalar(select(User).where(User.email == "subscriber@example.org")))
    assert site.client.get(f"/alerts/feed/{token}.atom").status_code == 404


def test_alert_pages_need_an_account(make_site):
    site = make_site(public_read=True)
    client = site.client
    assert client.get("/alerts", follow_redirects=False).headers["location"] == "/login?next=%2Falerts"
    assert client.get("/alerts.json").status_code == 401
    assert "Save this search" not in client.get("/search", params={"q": "kabul"}).text
