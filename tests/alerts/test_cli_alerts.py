"""`rasad alerts ...` as an operator runs it: add, list, test, mute, deliver, history;
settings from RASAD_SMTP_* variables; one-line errors with exit code 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.helpers import TEXTS, write_texts

RASAD = [sys.executable, "-m", "rasad.cli"]
PASSWORD = "a long enough passphrase"


def runner(tmp_path, db_url: str, **env_extra: str):
    env = {**os.environ, "RASAD_HOME": str(tmp_path / "home"), "RASAD_DB": db_url,
           "RASAD_EXTRACT": "false", **env_extra}

    def run(*args, stdin: str = "", code: int = 0):
        proc = subprocess.run(RASAD + list(args), input=stdin, capture_output=True, text=True,
                              env=env, timeout=120)
        assert proc.returncode == code, proc.stderr
        return proc

    return run


def test_add_ingest_test_deliver_and_history(tmp_path, db_url, smtp):
    rasad = runner(tmp_path, db_url, RASAD_SMTP_HOST="127.0.0.1", RASAD_SMTP_PORT=str(smtp.port),
                   RASAD_SMTP_STARTTLS="false", RASAD_SMTP_FROM="alerts@rasad.example",
                   RASAD_BASE_URL="https://rasad.example/")
    rasad("users", "add", "a@example.org", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    added = json.loads(rasad("alerts", "add", "Mujahid", "--query", "ذبیح‌الله", "--lang", "prs",
                             "--lang", "ps", "--email", "a@example.org", "--user", "a@example.org",
                             "--json").stdout)
    assert added["name"] == "Mujahid" and added["filters"]["languages"] == ["prs", "ps"]
    assert added["feed_url"].startswith("https://rasad.example/alerts/feed/")
    assert added["frequency"] == "immediate" and added["new_only"] is True
    plain = rasad("alerts", "add", "Kabul digest", "--query", "کابل", "--digest", "daily",
                  "--no-atom", "--email", "a@example.org", "--user", "a@example.org").stdout
    assert plain.startswith("added alert 'Kabul digest' (id 2) for a@example.org")
    listed = json.loads(rasad("alerts", "list", "--json").stdout)
    assert [(a["name"], a["frequency"], a["feed_url"] is None) for a in listed] == [
        ("Kabul digest", "daily", True), ("Mujahid", "immediate", False)]

    paths = write_texts(tmp_path / "in")
    rasad("ingest", *[str(p) for p in paths.values()])
    tested = json.loads(rasad("alerts", "test", "Mujahid", "--days", "7", "--json").stdout)
    assert tested["matched"] == 2 and tested["checked"] == 2
    assert {i["title"] for i in tested["items"]} == {TEXTS["prs"][0], TEXTS["ps"][0]}
    assert "2 match(es)" in rasad("alerts", "test", "Mujahid").stdout

    delivered = json.loads(rasad("alerts", "deliver", "--once", "--json").stdout)
    assert delivered["messages"] == 2 and delivered["delivered"] == 2 and delivered["errors"] == []
    assert len(smtp.messages) == 2
    assert all(m.message["Subject"].startswith("[Rasad] Mujahid: ") for m in smtp.messages)
    history = json.loads(rasad("alerts", "history", "Mujahid", "--json").stdout)
    statuses = sorted((d["channel"], d["status"]) for d in history["deliveries"])
    assert statuses == [("atom", "delivered")] * 2 + [("email", "delivered")] * 2
    digest = json.loads(rasad("alerts", "history", "Kabul digest", "--json").stdout)["deliveries"]
    assert [d["status"] for d in digest] == ["pending", "pending"]  # due at the daily hour

    assert rasad("alerts", "mute", "Kabul digest").stdout.strip() == "muted alert 'Kabul digest'"
    digest = json.loads(rasad("alerts", "history", "Kabul digest", "--json").stdout)["deliveries"]
    assert {d["status"] for d in digest} == {"cancelled"}
    assert json.loads(rasad("alerts", "unmute", "2", "--json").stdout) == {
        "id": 2, "name": "Kabul digest", "muted": False}
    assert "Mujahid" in rasad("alerts", "list").stdout


def test_bad_input_is_a_one_line_error_with_exit_code_2(tmp_path, db_url):
    rasad = runner(tmp_path, db_url)
    rasad("users", "add", "a@example.org", "--role", "subscriber", "--password-stdin", stdin=PASSWORD + "\n")
    cases = [
        (["alerts", "add", "x", "--query", "kabul", "--webhook", "https://h.example/", "--user",
          "a@example.org"], "a webhook needs a secret"),
        (["alerts", "add", "x", "--query", "kabul", "--digest", "weekly", "--user", "a@example.org"],
         "--digest must be hourly or daily"),
        (["alerts", "add", "x", "--query", "kabul", "--lang", "xx", "--user", "a@example.org"],
         "unknown language 'xx'"),
        (["alerts", "add", "x", "--query", "kabul", "--category", "bombs", "--user", "a@example.org"],
         "unknown threat category 'bombs'"),
        (["alerts", "add", "x", "--query", "kabul", "--source", "nowhere", "--user", "a@example.org"],
         "no source named 'nowhere'"),
        (["alerts", "add", "x", "--lang", "fa", "--no-atom", "--user", "a@example.org"],
         "an alert needs a channel"),
        (["alerts", "add", "x", "--query", "kabul", "--user", "nobody@example.org"], "no user"),
        (["alerts", "mute", "nothing"], "no alert named 'nothing'"),
    ]
    for args, message in cases:
        proc = rasad(*args, code=2)
        assert proc.stderr.startswith("rasad: error: ") and message in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1
    rasad("alerts", "add", "x", "--query", "kabul", "--user", "a@example.org")
    proc = rasad("alerts", "add", "x", "--query", "kabul", "--user", "a@example.org", code=2)
    assert "already has an alert named 'x'" in proc.stderr
