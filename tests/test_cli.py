"""The `rasad` command as a user runs it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TEXTS, write_texts

RASAD = [sys.executable, "-m", "rasad.cli"]


def run(args, home: Path, db: str | None = None, check_code: int | None = 0):
    env = {**os.environ, "RASAD_HOME": str(home), "RASAD_ALLOW_PRIVATE": "127.0.0.1"}
    if db:
        env["RASAD_DB"] = db
    else:
        env.pop("RASAD_DB", None)
    proc = subprocess.run(RASAD + args, capture_output=True, text=True, env=env, timeout=120)
    if check_code is not None:
        assert proc.returncode == check_code, proc.stderr
    return proc


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_ingest_search_and_show_with_json(home, tmp_path):
    write_texts(tmp_path / "in")
    out = json.loads(run(["ingest", str(tmp_path / "in"), "--json"], home).stdout)
    assert (out["item_count"], out["documents_new"], out["failed_items"]) == (6, 6, 0)
    assert {i["status"] for i in out["items"]} == {"new"}
    res = json.loads(run(["search", "سخنگوي", "--json"], home).stdout)
    assert res["total"] == 2
    assert set(res["results"][0]) >= {"id", "title", "url", "language", "published", "snippet", "score"}
    dari = json.loads(run(["search", "سخنگوی", "--lang", "prs", "--json"], home).stdout)
    assert [r["title"] for r in dari["results"]] == [TEXTS["prs"][0]]
    doc = json.loads(run(["show", str(dari["results"][0]["id"]), "--json"], home).stdout)
    assert doc["dialect"] == "prs" and len(doc["capture"]["sha256"]) == 64
    listing = json.loads(run(["documents", "--lang", "ur", "--json"], home).stdout)
    assert [d["title"] for d in listing] == [TEXTS["ur"][0]]
    assert run(["reindex"], home).stdout.strip() == "indexed 6 document(s) (tantivy)"


def test_analyze_prints_the_contract_keys(home, tmp_path):
    paths = write_texts(tmp_path / "in")
    data = json.loads(run(["analyze", str(paths["ps"]), "--json"], home).stdout)
    assert data["language"] == "ps" and data["script"] == "Arab" and data["dialect"] is None
    assert data["title"] == TEXTS["ps"][0]
    assert {e["canonical"] for e in data["entities"]} == {
        "Zabihullah Mujahid", "Taliban", "Kabul", "Afghanistan", "Nangarhar"}
    assert [(s["speaker"], s["kind"], s["quote"][:12]) for s in data["statements"]] == [
        ("Zabihullah Mujahid", "indirect", "اسلامي امارت"), ("Zabihullah Mujahid", "indirect", "د ننګرهار ول")]
    text = paths["ps"].read_text(encoding="utf-8")
    assert all(text[s["start"]:s["end"]] == s["quote"] for s in data["statements"])
    assert data["dates"] == [] and data["threats"] == []  # "پرون" needs a publication date
    assert json.loads(run(["analyze", str(paths["prs"]), "--json"], home).stdout)["dialect"] == "prs"


def test_errors_are_one_line_with_exit_codes(home, tmp_path):
    proc = run(["analyze", str(tmp_path / "nope.txt"), "--json"], home, check_code=2)
    assert proc.stderr.count("\n") == 1 and "no such file" in proc.stderr
    proc = run(["ingest", str(tmp_path / "nope.txt")], home, check_code=2)
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(["search", "x", "--since", "last week"], home, check_code=2)
    assert proc.stderr.strip() == "rasad: error: --since: not a date (use YYYY-MM-DD): 'last week'"
    proc = run(["search", "x"], home, db="mysql://nobody@nowhere/x", check_code=2)
    assert proc.stderr.startswith("rasad: error: unsupported database") and proc.stderr.count("\n") == 1
    proc = run(["show", "12345"], home, check_code=2)
    assert proc.stderr.strip() == "rasad: error: no document 12345"
    proc = run(["sources", "add", "x", "ftp://example.org/feed", "--kind", "rss"], home, check_code=2)
    assert "must start with http" in proc.stderr
    proc = run(["nonsense"], home, check_code=2)


def test_sources_add_list_and_a_failing_fetch_is_recorded(home):
    run(["sources", "add", "internal", "http://10.0.0.1/feed.xml", "--kind", "rss", "--lang", "prs"], home)
    listing = json.loads(run(["sources", "list", "--json"], home).stdout)
    assert [(s["name"], s["kind"], s["language"]) for s in listing] == [("internal", "rss", "prs")]
    proc = run(["sources", "fetch", "--json"], home, check_code=1)
    out = json.loads(proc.stdout)
    assert out["item_count"] == 1 and out["failed_items"] == 1
    assert "10.0.0.1 is a private address" in out["items"][0]["error"]
    listing = json.loads(run(["sources", "list", "--json"], home).stdout)
    assert listing[0]["last_status"] == "failed" and "private" in listing[0]["last_error"]
    assert listing[0]["failures"] == 1


def test_db_option_works_before_and_after_the_command(tmp_path):
    from rasad.cli import hoist_global_options

    assert hoist_global_options(["search", "x", "--db", "sqlite:///a.db", "--json"]) == \
        ["--db", "sqlite:///a.db", "search", "x", "--json"]
    assert hoist_global_options(["--home=h", "ingest", "f", "--debug"]) == ["--home=h", "--debug", "ingest", "f"]
    paths = write_texts(tmp_path / "in")
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    run(["ingest", str(paths["ar"]), "--db", url], tmp_path / "home")
    assert (tmp_path / "elsewhere.db").exists() and (tmp_path / "elsewhere.db.index").is_dir()
    found = json.loads(run(["--db", url, "search", "المقاومة", "--json"], tmp_path / "home").stdout)
    assert found["total"] == 1


def test_analyze_reports_threats_with_offsets_into_the_file(home, tmp_path):
    path = tmp_path / "post.txt"
    text = "پیام کانال\n\nبرادران مجاهد! برای عملیات استشهادی آماده شوید و به صفوف فدائیان بپیوندید.\n"
    path.write_text(text, encoding="utf-8")
    data = json.loads(run(["analyze", str(path), "--json"], home).stdout)
    suicide = [t for t in data["threats"] if t["category"] == "suicide_attack"]
    assert len(suicide) == 1 and suicide[0]["mode"] == "call" and suicide[0]["score"] >= 0.9
    assert text[suicide[0]["start"]:suicide[0]["end"]] == suicide[0]["evidence"]


def test_actors_commands_edit_the_knowledge_base_reversibly(home, tmp_path):
    listed = json.loads(run(["actors", "list", "--kind", "person", "-q", "مجاهد", "--json"], home).stdout)
    assert "zabihullah-mujahid" in {a["key"] for a in listed}
    added = json.loads(run(["actors", "add", "Qari Nasir Ahmad", "--kind", "person", "--country", "AF",
                            "--alias", "قاري نصیر احمد", "--json"], home).stdout)
    assert added["key"] == "qari-nasir-ahmad" and len(added["aliases"]) == 2
    alias = json.loads(run(["actors", "alias", "qari-nasir-ahmad", "Qari Naseer Ahmad", "--lang", "en",
                            "--json"], home).stdout)
    assert alias["status"] == "added"
    run(["actors", "merge", "qari-nasir-ahmad", "zabihullah-mujahid"], home)
    shown = json.loads(run(["actors", "show", "Qari Naseer Ahmad", "--json"], home).stdout)
    assert shown["key"] == "zabihullah-mujahid"  # the alias now leads to the surviving actor
    via = {a["name"]: (a["via"], a["provenance"].split(":")[0]) for a in shown["aliases"]}
    assert via["Qari Naseer Ahmad"] == ("qari-nasir-ahmad", "analyst")
    run(["actors", "unmerge", "qari-nasir-ahmad"], home)
    shown = json.loads(run(["actors", "show", "Qari Naseer Ahmad", "--json"], home).stdout)
    assert shown["key"] == "qari-nasir-ahmad" and shown["merged_into"] is None
    proc = run(["actors", "add", "X", "--kind", "planet"], home, check_code=2)
    assert proc.stderr.startswith("rasad: error: unknown actor kind 'planet'")


def test_extraction_listings_filter_and_refuse_bad_values(home, tmp_path):
    write_texts(tmp_path / "in")
    run(["ingest", str(tmp_path / "in")], home)
    said = json.loads(run(["statements", "--speaker", "ذبیح‌الله مجاهد", "--lang", "prs", "--json"], home).stdout)
    assert [s["speaker"] for s in said] == ["Zabihullah Mujahid"] * 2
    assert said[0]["date"] == "2024-11-05" and said[0]["document"]["dialect"] == "prs"
    run(["threats", "--json"], home)
    assert json.loads(run(["relations", "--type", "criticize", "--json"], home).stdout) == []
    proc = run(["threats", "--category", "bombing"], home, check_code=2)
    assert proc.stderr.startswith("rasad: error: --category: unknown threat category 'bombing'")
    proc = run(["statements", "--speaker", "nobody-at-all", "--json"], home)
    assert json.loads(proc.stdout) == []
    redone = json.loads(run(["reanalyze", "--all", "--json"], home).stdout)
    assert redone["documents"] == 6
