"""schemathesis against the app's own OpenAPI document (accounts on, anonymous and signed in as an
admin): no server error, and every response conforms to its documented status codes, media types
and schemas. Bounded: a dozen derandomised cases per operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from cityindex.auth.testing import sign_in

FUZZ = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15
    return operations


def _fuzz(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @FUZZ
    def run(case):
        case.call_and_validate(headers=headers)

    run()


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_operation_conforms_to_the_schema(accounts_app, who):
    from fastapi.testclient import TestClient

    headers = {}
    if who == "admin":
        with TestClient(accounts_app) as client:
            sign_in(client, "admin@example.org")
            headers = {"cookie": f"cityindex_session={client.cookies.get('cityindex_session')}"}
    for operation in _operations(accounts_app):
        try:
            _fuzz(operation, headers)
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
