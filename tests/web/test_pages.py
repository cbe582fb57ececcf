"""The read-only web UI and its JSON twins, with the real app on a real store."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from tests.helpers import TEXTS, make_ingester, write_texts

from rasad.web.app import create_app


@pytest.fixture
def client(sqlite_settings, tmp_path):
    db, ing = make_ingester(sqlite_settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    evil = tmp_path / "evil" / "evil.txt"
    evil.parent.mkdir()
    evil.write_text("<script>alert(1)</script> statement\n\nThe commander said <b>nothing</b> "
                    "<img src=x onerror=alert(2)> about the attack.\n", encoding="utf-8")
    ing.run([str(evil)])
    app = create_app(sqlite_settings, db, ing.backend)
    with TestClient(app) as c:
        c.paths = paths
        yield c
    ing.close()


def test_home_lists_documents_and_has_a_json_twin(client):
    page = client.get("/")
    assert page.status_code == 200
    for title, _ in TEXTS.values():
        assert title.replace('"', "&#34;") in page.text or title in page.text
    data = client.get("/index.json").json()
    assert len(data["documents"]) == 7
    assert {row["language"] for row in data["languages"]} == {"fa", "ps", "ar", "ur", "en"}
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_search_in_persian_with_filters_html_and_json(client):
    data = client.get("/search.json", params={"q": "سخنگوي", "lang": "prs"}).json()
    assert data["total"] == 1
    assert data["results"][0]["title"] == TEXTS["prs"][0]
    assert "<mark>سخنگوی</mark>" in data["results"][0]["snippet"]
    page = client.get("/search", params={"q": "سخنگوي"})
    assert page.status_code == 200
    assert "2 results" in page.text
    assert "<mark>سخنگوی</mark>" in page.text
    api = client.get("/api/v1/search", params={"q": "kabul"}).json()
    assert [r["language"] for r in api["results"]] == ["en"]


def test_bad_search_input_is_a_400_not_a_crash(client):
    r = client.get("/search.json", params={"since": "yesterday"})
    assert r.status_code == 400 and "since" in r.json()["detail"]
    r = client.get("/search", params={"q": "x" * 2000})
    assert r.status_code == 400


def test_document_page_is_rtl_with_its_capture(client):
    data = client.get("/search.json", params={"q": "وویل"}).json()
    doc_id = data["results"][0]["id"]
    detail = client.get(f"/documents/{doc_id}.json").json()
    assert detail["language"] == "ps"
    raw = client.paths["ps"].read_bytes()
    assert detail["capture"]["sha256"] == hashlib.sha256(raw).hexdigest()
    page = client.get(f"/documents/{doc_id}")
    assert 'dir="rtl"' in page.text and 'lang="ps"' in page.text
    assert detail["capture"]["sha256"] in page.text
    download = client.get(f"/captures/{detail['capture']['id']}/raw")
    assert download.content == raw
    assert download.headers["content-type"] == "application/octet-stream"
    assert "attachment" in download.headers["content-disposition"]
    assert client.get("/documents/999999.json").status_code == 404
    assert client.get("/documents/999999").status_code == 404


def test_document_page_shows_statements_and_actors(client):
    data = client.get("/search.json", params={"q": "وویل"}).json()
    doc_id = data["results"][0]["id"]
    extraction = client.get(f"/documents/{doc_id}.json").json()["extraction"]
    assert [s["speaker"] for s in extraction["statements"]] == ["Zabihullah Mujahid"] * 2
    assert "Nangarhar" in {e["canonical"] for e in extraction["entities"]}
    page = client.get(f"/documents/{doc_id}").text
    assert "<h2>Statements</h2>" in page and "Zabihullah Mujahid" in page and "Nangarhar" in page


def test_outside_text_is_escaped_everywhere(client):
    home = client.get("/").text
    assert "<script>alert(1)" not in home and "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    data = client.get("/search.json", params={"q": "commander"}).json()
    doc_id = data["results"][0]["id"]
    assert "&lt;b&gt;" in data["results"][0]["snippet"]
    page = client.get(f"/documents/{doc_id}").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    search = client.get("/search", params={"q": "commander"}).text
    assert "<b>nothing</b>" not in search


def test_openapi_schema_lists_the_json_api(client):
    schema = client.get("/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
    assert "/api/v1/documents/{doc_id}" in schema["paths"]


def test_untitled_posts_show_the_start_of_their_text(client, tmp_path):
    from rasad.store.queries import display_title

    assert display_title("", "\n⚡ د خلافت سرتېرو برید وکړ\nنور جزئیات") == "⚡ د خلافت سرتېرو برید وکړ"
    assert display_title("Title", "text") == "Title"
    long = "كلمة " * 40
    assert display_title("", long).endswith(" …") and len(display_title("", long)) <= 92


def test_dashboard_and_actor_pages_with_json_twins(client):
    data = client.get("/dashboard.json").json()
    assert data["windows"]["24h"]["documents"] == 7
    assert data["windows"]["24h"]["by_language"]["prs"] == 1
    page = client.get("/dashboard").text
    assert "<svg" in page and "Documents per day" in page
    actors = client.get("/actors.json", params={"q": "مجاهد", "kind": "person"}).json()["actors"]
    assert "zabihullah-mujahid" in {a["key"] for a in actors}
    actor = client.get("/actors/ذبیح الله مجاهد.json").json()
    assert actor["key"] == "zabihullah-mujahid" and actor["activity"]["statements"] == 4
    assert client.get("/api/v1/actors/zabihullah-mujahid").json()["id"] == actor["id"]
    html = client.get("/actors/zabihullah-mujahid").text
    assert "Recent statements" in html and "ذبیح‌الله مجاهد" in html
    assert client.get("/actors/nobody-at-all.json").status_code == 404
