"""Logging in and out, session cookies, CSRF, the login rate limit, API tokens, the
account and admin pages, public reading, and the audit rows all of it leaves; with the
real app on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from tests.web.auth_helpers import PASSWORD, csrf_from, login

from rasad.store.audit import audit_rows
from rasad.store.tables import ApiToken, User
from rasad.store.users import create_api_token, create_user, deactivate, get_user
from rasad.web.sessions import COOKIE_NAME


def actions(site, action: str | None = None) -> list[tuple[str, str]]:
    with site.db.session() as session:
        return [(row["action"], row["target"]) for row in audit_rows(session, action=action)][::-1]


def set_cookie_header(response) -> str:
    headers = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert len(headers) == 1, headers
    return headers[0]


# --- logging in and out --------------------------------------------------------------------


def test_login_sets_a_signed_httponly_lax_cookie_and_logout_ends_every_session(make_site):
    site = make_site()
    client = site.client
    response = login(client, "Admin@Example.org", next="/admin/users")
    assert response.status_code == 303 and response.headers["location"] == "/admin/users"
    cookie = set_cookie_header(response)
    assert cookie.startswith(f"{COOKIE_NAME}=")
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert flags == {"path", "max-age", "httponly", "samesite"}  # no Secure over plain HTTP
    assert "SameSite=Lax" in cookie and "Path=/" in cookie and "Max-Age=1209600" in cookie
    stolen = client.cookies.get(COOKIE_NAME)

    page = client.get("/admin/users")
    assert page.status_code == 200 and "viewer@example.org" not in page.text
    assert "admin@example.org" in page.text and "Log out" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    with site.db.session() as session:
        assert get_user(session, "admin@example.org").last_login_at is not None

    out = client.post("/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert "Max-Age=0" in set_cookie_header(out)
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, stolen)  # a copy of the cookie taken before logging out
    again = client.get("/admin/users", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    assert actions(site) == [("user.created", "subscriber@example.org"),
                             ("user.created", "analyst@example.org"),
                             ("user.created", "admin@example.org"),
                             ("user.login", "admin@example.org"),
                             ("user.logout", "admin@example.org")]
    with site.db.session() as session:
        rows = audit_rows(session, action="user.login")
        admin_id = get_user(session, "admin@example.org").id
    assert rows[0]["by"] == "admin@example.org" and rows[0]["detail"] == {"via": "web", "ip": "testclient"}
    assert admin_id == site.users["admin"]


def test_cookies_are_secure_over_https_and_behind_a_proxy_only_when_trusted(make_site):
    https = make_site(base_url="https://testserver")
    assert "; Secure" in set_cookie_header(https.client.get("/login"))
    plain = make_site()
    spoofed = plain.client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in set_cookie_header(spoofed)
    proxied = make_site(trust_proxy=True)
    assert "; Secure" in set_cookie_header(proxied.client.get("/login", headers={"X-Forwarded-Proto": "https"}))


def test_wrong_password_unknown_email_and_deactivated_user_all_fail_alike_and_are_audited(make_site):
    site = make_site()
    with site.db.session() as session:
        deactivate(session, get_user(session, "analyst@example.org"))
    for email, password in [("admin@example.org", "not the password"),
                            ("nobody@example.org", PASSWORD),
                            ("analyst@example.org", PASSWORD)]:
        site.client.cookies.clear()
        response = login(site.client, email, password)
        assert response.status_code == 400
        assert "Wrong email or password, or the account is deactivated." in response.text
        assert site.client.get("/account", follow_redirects=False).status_code == 303
    with site.db.session() as session:
        failures = audit_rows(session, action="user.login_failed")
    assert [(r["target"], r["detail"]["reason"], r["by"]) for r in failures[::-1]] == [
        ("admin@example.org", "wrong password", None),
        ("nobody@example.org", "no such user", None),
        ("analyst@example.org", "deactivated", None)]


def test_after_login_only_local_paths_are_followed(make_site):
    site = make_site()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        site.client.cookies.clear()
        assert login(site.client, "subscriber@example.org", next=target).headers["location"] == "/"
    site.client.cookies.clear()
    assert login(site.client, "subscriber@example.org",
                 next="/search?q=x").headers["location"] == "/search?q=x"


def test_a_deactivated_users_session_and_tokens_stop_working_at_once(make_site):
    site = make_site()
    assert login(site.client, "analyst@example.org").status_code == 303
    with site.db.session() as session:
        token = create_api_token(session, get_user(session, "analyst@example.org"))[1]
    assert site.client.get("/sources").status_code == 200
    with site.db.session() as session:
        deactivate(session, get_user(session, "analyst@example.org"))
    assert site.client.get("/sources", follow_redirects=False).status_code == 303
    site.client.cookies.clear()
    response = site.client.get("/api/v1/sources", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


# --- rate limit -------------------------------------------------------------------------------


def test_five_failed_logins_per_email_and_address_then_429_even_with_the_right_password(make_site):
    site = make_site(trust_proxy=True)
    client = site.client
    here = {"X-Forwarded-For": "203.0.113.7"}

    def attempt(email, password, headers=here):
        client.cookies.clear()
        token = csrf_from(client.get("/login", headers=headers).text)
        return client.post("/login", headers=headers, follow_redirects=False, data={
            "email": email, "password": password, "csrf_token": token})

    for _ in range(5):
        assert attempt("admin@example.org", "guess guess guess").status_code == 400
    blocked = attempt("ADMIN@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 14 * 60
    assert "Too many failed logins for this email from your address. Try again in 15 minutes." in blocked.text
    # another account from the same address, and the same account from elsewhere, are not blocked
    assert attempt("subscriber@example.org", PASSWORD).status_code == 303
    assert attempt("admin@example.org", PASSWORD, {"X-Forwarded-For": "198.51.100.2"}).status_code == 303
    assert [a for a, _ in actions(site) if a.startswith("user.login")] == (
        ["user.login_failed"] * 5 + ["user.login_throttled", "user.login", "user.login"])


def test_the_throttle_forgets_failures_older_than_the_window():
    from rasad.web.login_limit import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, window=60, clock=lambda: now[0])
    for step in (0, 10, 20):
        now[0] = 1000.0 + step
        throttle.failed("a@example.org", "1.2.3.4")
    assert throttle.retry_after("A@example.org ", "1.2.3.4") == 40
    assert throttle.retry_after("a@example.org", "5.6.7.8") == 0
    now[0] = 1060.5
    assert throttle.retry_after("a@example.org", "1.2.3.4") == 0
    throttle.failed("a@example.org", "1.2.3.4")
    assert throttle.retry_after("a@example.org", "1.2.3.4") == 10
    throttle.succeeded("a@example.org", "1.2.3.4")
    assert throttle.retry_after("a@example.org", "1.2.3.4") == 0


# --- CSRF ------------------------------------------------------------------------------------


def test_every_cookie_authenticated_change_needs_the_csrf_token(make_site):
    site = make_site()
    client = site.client
    subscriber = site.users["subscriber"]
    # logging in itself needs it (no login CSRF)
    client.get("/login")
    refused = client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 403 and "CSRF check failed" in refused.text
    assert login(client, "admin@example.org").status_code == 303
    token = csrf_from(client.get("/admin/users").text)
    for data in ({"role": "analyst"}, {"role": "analyst", "csrf_token": "forged"}):
        response = client.post(f"/admin/users/{subscriber}/role", data=data, follow_redirects=False)
        assert response.status_code == 403
    assert client.put(f"/api/v1/users/{subscriber}/role", json={"role": "analyst"}).status_code == 403
    assert client.post("/logout", follow_redirects=False).status_code == 403
    with site.db.session() as session:
        assert session.get(User, subscriber).role == "subscriber"
    ok = client.post(f"/admin/users/{subscriber}/role", data={"role": "analyst", "csrf_token": token},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/admin/users"
    api = client.put(f"/api/v1/users/{subscriber}/role", json={"role": "admin"},
                     headers={"X-CSRF-Token": token})
    assert api.status_code == 200 and api.json()["role"] == "admin"
    assert [(a, t) for a, t in actions(site, "user.role_changed")] == [
        ("user.role_changed", "subscriber@example.org")] * 2


def test_requests_with_an_api_token_need_no_csrf_token(make_site):
    site = make_site(tokens=True)
    analyst = site.users["analyst"]
    response = site.client.put(f"/api/v1/users/{analyst}/role", json={"role": "subscriber"},
                               headers={"Authorization": f"Bearer {site.tokens['admin']}"})
    assert response.status_code == 200 and response.json()["role"] == "subscriber"
    with site.db.session() as session:
        row = audit_rows(session, action="user.role_changed")[0]
    assert row["by"] == "admin@example.org" and row["detail"] == {
        "via": "api", "ip": "testclient", "old": "analyst", "new": "subscriber"}


# --- API tokens ------------------------------------------------------------------------------


def test_api_tokens_authenticate_on_the_api_and_are_stored_only_as_hashes(make_site):
    site = make_site(tokens=True)
    client = site.client
    token = site.tokens["subscriber"]
    bearer = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/account", headers=bearer)
    assert me.status_code == 200 and me.json()["user"]["email"] == "subscriber@example.org"
    assert me.headers["cache-control"] == "private, no-store"
    assert client.get("/api/v1/search", params={"q": "spokesman"}, headers=bearer).json()["total"] == 1
    assert client.get("/api/v1/sources", headers=bearer).status_code == 403
    with site.db.session() as session:
        rows = session.scalars(select(ApiToken)).all()
        mine = next(r for r in rows if r.user_id == site.users["subscriber"])
        assert mine.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert mine.prefix == token[:12] and mine.last_used_at is not None
        assert all(token not in (r.token_hash, r.prefix, r.label) for r in rows)
    # a bad token is a 401, never a fall-back to the session cookie
    assert login(client, "admin@example.org").status_code == 303
    for header in (f"Bearer {token}x", "Bearer rasad_nope", "Basic YWRtaW46YWRtaW4=", "Bearer"):
        response = client.get("/api/v1/account", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["error"] == "NotAuthenticated"
    # tokens are for the JSON routes, not the HTML pages
    client.cookies.clear()
    assert client.get("/account.json", headers=bearer).json()["user"]["email"] == "subscriber@example.org"
    assert client.get("/", headers=bearer, follow_redirects=False).status_code == 303
    assert client.get("/account", headers=bearer, follow_redirects=False).status_code == 303
    # revoking the token in use, through the API, ends it
    token_id = me.json()["tokens"][0]["id"]
    assert client.delete(f"/api/v1/account/tokens/{token_id}", headers=bearer).json() == {"revoked": token_id}
    assert client.get("/api/v1/account", headers=bearer).status_code == 401
    assert [t for a, t in actions(site) if a == "token.revoked"] == ["subscriber@example.org"]


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(make_site):
    site = make_site()
    client = site.client
    assert login(client, "subscriber@example.org").status_code == 303
    page = client.get("/account")
    assert page.status_code == 200 and "No tokens." in page.text
    made = client.post("/account/tokens", data={"label": "alerts script", "csrf_token": csrf_from(page.text)})
    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    token = made.text.split('<code class="hash">')[1].split("</code>")[0]
    assert token.startswith("rasad_") and len(token) > 40
    again = client.get("/account")
    assert token not in again.text and f"{token[:12]}…" in again.text and "alerts script" in again.text
    assert token not in client.get("/account.json").text
    assert client.get("/api/v1/account", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = client.get("/account.json").json()["tokens"][0]["id"]
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(again.text)},
                          follow_redirects=False)
    assert revoked.status_code == 303
    assert client.get("/account.json").json()["tokens"][0]["revoked_at"] is not None
    client.cookies.clear()
    assert client.get("/api/v1/account", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert [a for a, _ in actions(site) if a.startswith("token.")] == ["token.created", "token.revoked"]


def test_one_cannot_revoke_someone_elses_token(make_site):
    site = make_site(tokens=True)
    with site.db.session() as session:
        admins = session.scalar(select(ApiToken.id).where(ApiToken.user_id == site.users["admin"]))
    response = site.client.delete(f"/api/v1/account/tokens/{admins}",
                                  headers={"Authorization": f"Bearer {site.tokens['analyst']}"})
    assert response.status_code == 404
    assert site.client.get("/api/v1/account",
                           headers={"Authorization": f"Bearer {site.tokens['admin']}"}).status_code == 200


# --- admin -----------------------------------------------------------------------------------


def test_the_admin_page_lists_users_changes_roles_and_keeps_one_admin(make_site):
    site = make_site()
    client = site.client
    assert login(client, "admin@example.org").status_code == 303
    page = client.get("/admin/users")
    token = csrf_from(page.text)
    data = client.get("/admin/users.json").json()
    assert [(u["email"], u["role"], u["active"]) for u in data["users"]] == [
        ("admin@example.org", "admin", True), ("analyst@example.org", "analyst", True),
        ("subscriber@example.org", "subscriber", True)]
    assert data["roles"] == ["subscriber", "analyst", "admin"]
    assert data["audit"][0]["action"] == "user.login"
    assert client.get("/api/v1/users").json()["users"] == data["users"]
    # the only admin cannot demote or deactivate themself
    me = site.users["admin"]
    demote = client.post(f"/admin/users/{me}/role", data={"role": "analyst", "csrf_token": token})
    assert demote.status_code == 400 and "the only active admin" in demote.text
    bad = client.post(f"/admin/users/{me}/role", data={"role": "owner", "csrf_token": token})
    assert bad.status_code == 400 and "unknown role" in bad.text
    assert client.post(f"/admin/users/{me}/deactivate", data={"csrf_token": token}).status_code == 400
    analyst = site.users["analyst"]
    assert client.post(f"/admin/users/{analyst}/deactivate", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert client.post("/admin/users/9999/deactivate", data={"csrf_token": token}).status_code == 404
    rows = client.get("/admin/users.json").json()["users"]
    assert [u["active"] for u in rows] == [True, False, True]
    assert [t for a, t in actions(site) if a == "user.deactivated"] == ["analyst@example.org"]


def test_navigation_shows_what_the_viewer_may_open(make_site):
    site = make_site(public_read=True)
    client = site.client
    anonymous = client.get("/").text
    assert 'href="/search"' in anonymous and 'href="/sources"' not in anonymous
    assert 'href="/login"' in anonymous and "Log out" not in anonymous
    assert COOKIE_NAME not in client.cookies  # browsing anonymously sets no cookie
    login(client, "analyst@example.org")
    analyst = client.get("/").text
    assert 'href="/sources"' in analyst and 'href="/admin/users"' not in analyst
    assert "analyst@example.org" in analyst and "Log out" in analyst
    client.cookies.clear()
    login(client, "admin@example.org")
    assert 'href="/admin/users"' in client.get("/").text


# --- public reading --------------------------------------------------------------------------


def test_public_read_auto_is_open_until_the_first_account_exists(make_site):
    site = make_site(public_read=None, users=False)
    client = site.client
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/search", params={"q": "spokesman"}).json()["total"] == 1
    assert client.get("/sources", follow_redirects=False).status_code == 303
    assert "rasad users add EMAIL --role admin" in client.get("/login").text
    with site.db.session() as session:
        create_user(session, "first@example.org", PASSWORD, "admin")
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/index.json").status_code == 401
    assert "rasad users add" not in client.get("/login").text


@pytest.mark.parametrize("public_read", [True, False])
def test_public_read_setting_decides_for_anonymous_visitors(make_site, public_read):
    site = make_site(public_read=public_read)
    doc = site.client.get(f"/documents/{site.doc_id}.json")
    assert doc.status_code == (200 if public_read else 401)
    raw = site.client.get(f"/captures/{site.capture_id}/raw", follow_redirects=False)
    assert raw.status_code == (200 if public_read else 303)
    assert site.client.get("/sources.json").status_code == 401
