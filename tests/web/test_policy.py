"""Every route of the app, tried as anonymous, subscriber, analyst and admin (with a
browser session, and with an API token where tokens apply), against the policy written
out here independently of rasad.web.permissions. A new route fails this test until it is
added to ROUTES."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from rasad.web.permissions import POLICY, Role

# (method, path) -> what it takes; every route of the app, no more, no less
ROUTES = {
    ("GET", "/"): "read",
    ("GET", "/index.json"): "read",
    ("GET", "/api/v1/documents/latest"): "read",
    ("GET", "/dashboard"): "read",
    ("GET", "/dashboard.json"): "read",
    ("GET", "/api/v1/dashboard"): "read",
    ("GET", "/actors"): "read",
    ("GET", "/actors.json"): "read",
    ("GET", "/api/v1/actors"): "read",
    ("GET", "/actors/{ref}"): "read",
    ("GET", "/actors/{ref}.json"): "read",
    ("GET", "/api/v1/actors/{ref}"): "read",
    ("GET", "/search"): "read",
    ("GET", "/search.json"): "read",
    ("GET", "/api/v1/search"): "read",
    ("GET", "/documents/{doc_id}"): "read",
    ("GET", "/documents/{doc_id}.json"): "read",
    ("GET", "/api/v1/documents/{doc_id}"): "read",
    ("GET", "/captures/{capture_id}/raw"): "read",
    ("GET", "/api/v1/captures/{capture_id}/raw"): "read",
    ("GET", "/sources"): "analyst",
    ("GET", "/sources.json"): "analyst",
    ("GET", "/api/v1/sources"): "analyst",
    ("GET", "/login"): "anyone",
    ("POST", "/login"): "anyone",
    ("GET", "/logout"): "anyone",
    ("POST", "/logout"): "anyone",
    ("GET", "/account"): "subscriber",
    ("GET", "/account.json"): "subscriber",
    ("GET", "/api/v1/account"): "subscriber",
    ("POST", "/account/tokens"): "subscriber",
    ("POST", "/account/tokens/{token_id}/revoke"): "subscriber",
    ("DELETE", "/api/v1/account/tokens/{token_id}"): "subscriber",
    ("GET", "/alerts"): "subscriber",
    ("GET", "/alerts.json"): "subscriber",
    ("GET", "/api/v1/alerts"): "subscriber",
    ("GET", "/alerts/new"): "subscriber",
    ("POST", "/alerts"): "subscriber",
    ("POST", "/api/v1/alerts"): "subscriber",
    ("GET", "/alerts/{alert_id}"): "subscriber",
    ("GET", "/alerts/{alert_id}.json"): "subscriber",
    ("GET", "/api/v1/alerts/{alert_id}"): "subscriber",
    ("GET", "/alerts/{alert_id}/edit"): "subscriber",
    ("POST", "/alerts/{alert_id}"): "subscriber",
    ("PUT", "/api/v1/alerts/{alert_id}"): "subscriber",
    ("POST", "/alerts/{alert_id}/mute"): "subscriber",
    ("POST", "/alerts/{alert_id}/unmute"): "subscriber",
    ("GET", "/alerts/{alert_id}/test"): "subscriber",
    ("GET", "/alerts/{alert_id}/test.json"): "subscriber",
    ("GET", "/api/v1/alerts/{alert_id}/test"): "subscriber",
    ("GET", "/alerts/{alert_id}/history"): "subscriber",
    ("GET", "/alerts/{alert_id}/history.json"): "subscriber",
    ("GET", "/api/v1/alerts/{alert_id}/history"): "subscriber",
    ("POST", "/alerts/{alert_id}/delete"): "subscriber",
    ("DELETE", "/api/v1/alerts/{alert_id}"): "subscriber",
    ("GET", "/alerts/feed/{token}.atom"): "anyone",
    ("GET", "/admin/users"): "admin",
    ("GET", "/admin/users.json"): "admin",
    ("GET", "/api/v1/users"): "admin",
    ("POST", "/admin/users/{user_id}/role"): "admin",
    ("POST", "/admin/users/{user_id}/deactivate"): "admin",
    ("PUT", "/api/v1/users/{user_id}/role"): "admin",
    ("GET", "/openapi.json"): "anyone",
    ("GET", "/docs"): "anyone",
    ("GET", "/docs/oauth2-redirect"): "anyone",
    ("GET", "/redoc"): "anyone",
    ("GET", "/static/rasad.css"): "anyone",
}
RANK = {"anyone": 0, "subscriber": 1, "analyst": 2, "admin": 3}
VIEWERS = (None, "subscriber", "analyst", "admin")


def app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path + "/rasad.css"))
        elif isinstance(route, APIRoute):
            found |= {(m, route.path) for m in route.methods}
        else:
            found |= {(m, route.path) for m in route.methods if m != "HEAD"}
    return found


def needed(requirement: str, public_read: bool) -> int:
    if requirement == "read":
        return 0 if public_read else 1
    return RANK[requirement]


def is_json(path: str) -> bool:
    return path.endswith(".json") or path.startswith("/api/")


def fill(path: str, site, victim: int, token_id: int, alert: tuple[int, str] = (0, "")) -> str:
    return (path.replace("{doc_id}", str(site.doc_id)).replace("{ref}", "taliban").replace("{capture_id}", str(site.capture_id))
            .replace("{user_id}", str(victim)).replace("{token_id}", str(token_id))
            .replace("{alert_id}", str(alert[0])).replace("{token}", alert[1]))


def check(response, *, allowed: bool, anonymous: bool, path: str, what: str) -> None:
    status = response.status_code
    if allowed:
        assert status not in (401, 403) and status < 500, f"{what}: {status}: {response.text[:200]}"
        assert not (status == 303 and response.headers["location"].startswith("/login")), what
        return
    if not anonymous:
        assert status == 403, f"{what}: {status}, expected 403"
        if is_json(path):
            assert response.json()["error"] == "Forbidden"
    elif is_json(path):
        assert status == 401, f"{what}: {status}, expected 401"
        assert response.json()["error"] == "NotAuthenticated"
        assert response.headers["www-authenticate"].startswith("Bearer")
    else:
        assert status == 303, f"{what}: {status}, expected a redirect to /login"
        assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("public_read", [False, True], ids=["private", "public-read"])
def test_every_route_answers_each_role_as_the_policy_says(make_site, public_read):
    site = make_site(public_read=public_read, tokens=True)
    client = site.client
    assert app_routes(client.app) == set(ROUTES)
    from rasad.alerts.saved import create_alert
    from rasad.alerts.spec import AlertSpec
    from rasad.store.users import create_user

    with site.db.session() as session:  # a user for the admin's forms to act on
        victim_user = create_user(session, "victim@example.org", "a long enough passphrase", "subscriber")
        victim = victim_user.id
        row = create_alert(session, victim_user, AlertSpec(name="watch", query="kabul"))
        alert = (row.id, row.feed_token)  # someone else's: the roles below get "no alert", not 403
    token_id = 999_999
    for (method, template), requirement in ROUTES.items():
        path = fill(template, site, victim, token_id, alert)
        for who in VIEWERS:
            allowed = (RANK[who] if who else 0) >= needed(requirement, public_read)
            client.cookies.clear()
            response = client.request(
                method, path, follow_redirects=False,
                headers={"Cookie": site.cookie(who), "X-CSRF-Token": "csrf-token-for-tests"},
                **({"data": {"csrf_token": "csrf-token-for-tests"}} if method == "POST" else {}))
            check(response, allowed=allowed, anonymous=who is None, path=template,
                  what=f"{method} {path} as {who or 'anonymous'} (session)")
            if (template.startswith("/api/") or template.endswith(".json")) and who is not None:
                client.cookies.clear()
                response = client.request(method, path, follow_redirects=False,
                                          headers={"Authorization": f"Bearer {site.tokens[who]}"})
                check(response, allowed=allowed, anonymous=False, path=template,
                      what=f"{method} {path} as {who} (API token)")


def test_the_policy_table_in_the_code_matches_the_documented_one():
    assert {name: role.name.lower() for name, role in POLICY.items()} == {
        "public": "anonymous", "read": "subscriber", "account": "subscriber",
        "alerts": "subscriber", "sources": "analyst", "admin": "admin"}
    assert Role.ANONYMOUS < Role.SUBSCRIBER < Role.ANALYST < Role.ADMIN


def test_an_app_with_an_unguarded_route_refuses_to_start(make_site):
    from rasad.web.permissions import check_every_route_is_guarded

    site = make_site(users=False)
    app = site.client.app
    app.get("/oops")(lambda: {"open": True})
    with pytest.raises(RuntimeError, match="/oops"):
        check_every_route_is_guarded(app)
