"""Schemathesis against the app's own OpenAPI description: no generated input may cause a
server error (5xx), on a store holding documents in every language, as an analyst with an
API token (including the alert endpoints, whose generated writes are real)."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from rasad.config import Settings  # noqa: E402
from rasad.pipeline.ingest import Ingester  # noqa: E402
from rasad.search.service import open_backend  # noqa: E402
from rasad.store.db import Database  # noqa: E402
from rasad.store.users import create_api_token, create_user  # noqa: E402
from rasad.web.app import create_app  # noqa: E402
from tests.helpers import write_texts  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    config = Settings(home=tmp / "home", db=f"sqlite:///{tmp / 'rasad.db'}", public_read=True)
    db = Database(config.db_url)
    ingester = Ingester(config, db, open_backend(config, db))
    ingester.run([str(p) for p in write_texts(tmp / "in").values()])
    with db.session() as session:  # an analyst's API token: the requests get past the door
        user = create_user(session, "fuzz@example.org", "a long enough passphrase", "analyst")
        _, token = create_api_token(session, user, "fuzz")
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(config, db, ingester.backend))
    yield schema, {"Authorization": f"Bearer {token}"}
    ingester.close()


def test_no_generated_request_makes_a_server_error(api_schema):
    schema, auth = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures, calls = [], []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def exercise(case):
            response = case.call(headers=auth)
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        exercise()
    assert failures == []
    assert len(calls) >= 2 * len(operations) and 200 in calls  # it really exercised the API
