"""The session secret, forged cookies, HTML from outside, and the settings that govern
accounts."""

from __future__ import annotations

import stat

import pytest

from rasad.config import Settings, load_settings
from rasad.errors import ConfigError
from rasad.web.sanitize import clean_snippet
from rasad.web.secret_key import load_secret_key, secret_key_file
from rasad.web.sessions import COOKIE_NAME, session_serializer


def test_the_secret_key_is_generated_once_private_and_reused(tmp_path):
    settings = Settings(home=tmp_path / "home")
    key = load_secret_key(settings)
    path = secret_key_file(settings)
    assert len(key) >= 60 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret_key(settings) == key
    path.chmod(0o644)
    assert load_secret_key(settings) == key and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob(".secret_key.*"))  # no temporary file left behind


def test_a_configured_secret_key_wins_and_must_be_long(tmp_path):
    long_key = "k" * 40
    assert load_secret_key(Settings(home=tmp_path, secret_key=long_key)) == long_key
    assert not secret_key_file(Settings(home=tmp_path)).exists()
    with pytest.raises(ConfigError, match="RASAD_SECRET_KEY is too short"):
        load_secret_key(Settings(home=tmp_path, secret_key="short"))
    assert "k" * 40 not in repr(Settings(secret_key=long_key))


def test_account_settings_come_from_the_environment(tmp_path):
    env = {"RASAD_HOME": str(tmp_path)}
    assert load_settings(env).public_read is None
    assert load_settings({**env, "RASAD_PUBLIC_READ": "auto"}).public_read is None
    assert load_settings({**env, "RASAD_PUBLIC_READ": "true"}).public_read is True
    assert load_settings({**env, "RASAD_PUBLIC_READ": "0"}).public_read is False
    assert load_settings({**env, "RASAD_TRUST_PROXY": "yes"}).trust_proxy is True
    assert load_settings({**env, "RASAD_SECRET_KEY": "s" * 40}).secret_key == "s" * 40
    with pytest.raises(ConfigError, match="RASAD_PUBLIC_READ='maybe' is not valid"):
        load_settings({**env, "RASAD_PUBLIC_READ": "maybe"})
    (tmp_path / "rasad.toml").write_text('public_read = false\n', encoding="utf-8")
    assert load_settings(env).public_read is False
    (tmp_path / "rasad.toml").write_text('public_read = "auto"\n', encoding="utf-8")
    assert load_settings(env).public_read is None


def test_a_cookie_signed_with_another_key_or_tampered_with_is_ignored(make_site):
    site = make_site()
    forged = session_serializer("x" * 64).dumps({"uid": site.users["admin"], "epoch": 0, "csrf": "t"})
    site.client.cookies.set(COOKIE_NAME, forged)
    assert site.client.get("/admin/users", follow_redirects=False).status_code == 303
    good = site.cookie("admin").split("=", 1)[1]
    site.client.cookies.clear()
    site.client.cookies.set(COOKIE_NAME, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert site.client.get("/admin/users", follow_redirects=False).status_code == 303
    site.client.cookies.clear()
    site.client.cookies.set(COOKIE_NAME, good)
    assert site.client.get("/admin/users").status_code == 200


def test_snippets_keep_only_mark_tags():
    dirty = ('a &lt;b&gt; <mark>x</mark> <mark onclick="steal()">y</mark> <script>alert(1)</script>'
             '<img src=x onerror=alert(2)><a href="javascript:alert(3)">z</a> "q" &amp; <b>bold</b>')
    assert str(clean_snippet(dirty)) == 'a &lt;b&gt; <mark>x</mark> <mark>y</mark> z "q" &amp; bold'
    assert str(clean_snippet(None)) == ""


def test_new_pages_keep_the_security_headers(make_site):
    site = make_site()
    page = site.client.get("/login")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
    assert 'name="csrf_token"' in page.text and 'autocomplete="current-password"' in page.text
