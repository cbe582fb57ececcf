"""`rasad users ...` as an administrator runs it on the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rasad.store.audit import audit_rows
from rasad.store.db import Database
from rasad.store.users import verify_api_token

RASAD = [sys.executable, "-m", "rasad.cli"]
PASSWORD = "a long enough passphrase"


def runner(tmp_path, db_url: str):
    env = {**os.environ, "RASAD_HOME": str(tmp_path / "home"), "RASAD_DB": db_url}

    def run(*args, stdin: str = "", code: int = 0):
        proc = subprocess.run(RASAD + list(args), input=stdin, capture_output=True, text=True,
                              env=env, timeout=120)
        assert proc.returncode == code, proc.stderr
        return proc

    run.db_url = db_url
    return run


@pytest.fixture
def rasad(tmp_path, db_url):
    """`rasad` on SQLite and on PostgreSQL."""
    return runner(tmp_path, db_url)


@pytest.fixture
def rasad_sqlite(tmp_path):
    """`rasad` on SQLite only, for checks that do not depend on the database."""
    return runner(tmp_path, f"sqlite:///{tmp_path / 'rasad.db'}")


def test_users_add_list_set_role_and_deactivate(rasad):
    added = rasad("users", "add", "Admin@Example.org", "--role", "admin", "--name", "Ada",
                  "--password-stdin", "--json", stdin=PASSWORD + "\n")
    assert json.loads(added.stdout)["email"] == "admin@example.org"
    assert rasad("users", "add", "s@example.org", "--role", "subscriber", "--password-stdin",
                 stdin=PASSWORD + "\n").stdout.strip() == "added s@example.org (subscriber)"
    rows = json.loads(rasad("users", "list", "--json").stdout)
    assert [(r["email"], r["name"], r["role"], r["active"], r["tokens"]) for r in rows] == [
        ("admin@example.org", "Ada", "admin", True, 0), ("s@example.org", "", "subscriber", True, 0)]
    assert rasad("users", "set-role", "S@example.org", "analyst").stdout.strip() == "s@example.org is now analyst"
    assert rasad("users", "deactivate", "s@example.org").stdout.strip() == "deactivated s@example.org"
    listing = rasad("users", "list").stdout
    assert "admin@example.org" in listing and "2 user(s)" in listing
    db = Database(rasad.db_url)
    with db.session() as session:
        rows = audit_rows(session)
    db.dispose()
    assert [(r["action"], r["target"], r["detail"]["via"]) for r in rows[::-1]] == [
        ("user.created", "admin@example.org", "cli"), ("user.created", "s@example.org", "cli"),
        ("user.role_changed", "s@example.org", "cli"), ("user.deactivated", "s@example.org", "cli")]
    assert all(r["by"] is None and "os_user" in r["detail"] for r in rows)


def test_users_add_asks_for_the_password_twice(rasad_sqlite):
    rasad = rasad_sqlite
    proc = rasad("users", "add", "p@example.org", "--role", "analyst", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert proc.stdout.strip() == "added p@example.org (analyst)"
    assert "Password" in proc.stderr and PASSWORD not in proc.stdout
    mismatch = rasad("users", "add", "q@example.org", "--role", "analyst",
                     stdin=f"{PASSWORD}\nsomething else entirely\n", code=1)
    assert "do not match" in mismatch.stderr + mismatch.stdout


def test_users_token_prints_the_token_once_and_it_works(rasad):
    rasad("users", "add", "t@example.org", "--role", "subscriber", "--password-stdin", stdin=PASSWORD)
    proc = rasad("users", "token", "t@example.org", "--label", "cron")
    token = proc.stdout.strip()
    assert token.startswith("rasad_") and "\n" not in token
    assert "copy it now" in proc.stderr
    listed = json.loads(rasad("users", "tokens", "t@example.org", "--json").stdout)
    assert [(t["id"], t["label"], t["prefix"]) for t in listed] == [(1, "cron", token[:12])]
    assert token not in rasad("users", "tokens", "t@example.org").stdout
    db = Database(rasad.db_url)
    with db.session() as session:
        assert verify_api_token(session, token).email == "t@example.org"
    again = json.loads(rasad("users", "token", "t@example.org", "--json").stdout)
    assert again["id"] == 2 and again["token"] != token
    assert rasad("users", "revoke-token", "1").stdout.strip() == "revoked token 1"
    with db.session() as session:
        assert verify_api_token(session, token) is None
        assert verify_api_token(session, again["token"]) is not None
    db.dispose()


def test_bad_input_is_a_one_line_error_with_exit_code_2(rasad_sqlite):
    rasad = rasad_sqlite
    cases = [
        (["users", "add", "nobody", "--role", "admin", "--password-stdin"], PASSWORD,
         "rasad: error: not an email address: 'nobody'"),
        (["users", "add", "a@example.org", "--role", "owner", "--password-stdin"], PASSWORD,
         "rasad: error: unknown role 'owner': use subscriber, analyst, admin"),
        (["users", "add", "a@example.org", "--role", "admin", "--password-stdin"], "short",
         "rasad: error: the password is too short: use at least 10 characters"),
        (["users", "add", "a@example.org", "--role", "admin", "--password-stdin"], "",
         "rasad: error: --password-stdin: no password on standard input"),
        (["users", "set-role", "ghost@example.org", "admin"], "", "rasad: error: no user 'ghost@example.org'"),
        (["users", "deactivate", "ghost@example.org"], "", "rasad: error: no user 'ghost@example.org'"),
        (["users", "token", "ghost@example.org"], "", "rasad: error: no user 'ghost@example.org'"),
        (["users", "revoke-token", "42"], "", "rasad: error: no token 42"),
    ]
    for args, stdin, message in cases:
        proc = rasad(*args, stdin=stdin, code=2)
        assert proc.stderr.strip() == message, args
        assert proc.stderr.count("\n") == 1
    rasad("users", "add", "a@example.org", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    proc = rasad("users", "set-role", "a@example.org", "subscriber", code=2)
    assert proc.stderr.strip() == ("rasad: error: a@example.org is the only active admin; "
                                   "make another admin first")
    proc = rasad("users", "add", "A@example.org", "--role", "admin", "--password-stdin", stdin=PASSWORD, code=2)
    assert proc.stderr.strip() == "rasad: error: user a@example.org already exists"
