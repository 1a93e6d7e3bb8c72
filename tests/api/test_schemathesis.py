"""Property-based run of every GET operation against the OpenAPI document, in process."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema").include(method="GET")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_get_operations_conform_to_the_document(case):
    # A well-formed but unknown code (`unit=12345`) is answered 422 on purpose, naming the parameter:
    # the document cannot list which codes exist, so "valid data must be accepted" does not apply.
    # The in-process transport does not decode compressed bodies (compression has its own tests).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )
