"""The contract: schemathesis calls every operation of the published schema on the running
application (pytest-django's live server) with a read and write token, and every answer must
be documented and match its schema; none may be a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import TokenScope
from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    Force,
    Inspection,
    Item,
    ProgressUpdate,
    TimelineEntry,
)
from tests.api.conftest import make_side, token_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Generated requests per operation, valid and invalid: about 30 seconds for the whole schema.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Where a path names an object, half the requests name one that exists (of either force),
# so that answers with data are checked too, not only 404s.
KNOWN = {
    "/api/forces/": lambda: list(Force.objects.values_list("slug", flat=True)),
    "/api/inspections/": lambda: list(Inspection.objects.values_list("pk", flat=True)),
    "/api/causes-of-concern/": lambda: list(CauseOfConcern.objects.values_list("pk", flat=True)),
    "/api/items/": lambda: list(Item.objects.values_list("pk", flat=True)),
    "/api/actions/": lambda: list(Action.objects.values_list("pk", flat=True)),
    "/api/progress-updates/": lambda: list(ProgressUpdate.objects.values_list("pk", flat=True)),
    "/api/evidence/": lambda: list(Evidence.objects.values_list("pk", flat=True)),
    "/api/timeline/": lambda: list(TimelineEntry.objects.values_list("pk", flat=True)),
}


@pytest.fixture
def contract_token(force, other_force, lead, owner, other_lead, inspector) -> str:
    """Data of two forces for the requests to find, and the lead's read and write token."""
    for _ in range(2):
        make_side(force, lead=lead, owner=owner)
        make_side(other_force, lead=other_lead, owner=other_lead)
    return token_for(lead, scope=TokenScope.READ_WRITE)


@pytest.fixture
def api_schema(live_server, contract_token):
    auth = {"Authorization": f"Bearer {contract_token}"}
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=auth, timeout=10
    )


def known_values(path: str) -> list:
    prefix = next((p for p in KNOWN if path.startswith(p) and path != p), None)
    return KNOWN[prefix]() if prefix else []


def contract_of(operation, *, known: list, auth: dict):
    """The property for one operation: any request, valid by the schema or not, gets an
    answer the schema documents (invalid ones a 4xx), never a server error."""

    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases, use_known=st.booleans(), pick=st.integers(0, 99))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_the_contract(case, use_known, pick):
        if known and use_known:
            name = next(iter(case.path_parameters))
            case.path_parameters = {name: known[pick % len(known)]}
        case.call_and_validate(headers=auth, checks=CHECKS, timeout=10)

    return keeps_the_contract


def test_every_operation_keeps_the_contract(api_schema, contract_token):
    """Each operation with a few generated requests (deterministic, so a failure repeats);
    every failure is reported, with the request that caused it."""
    auth = {"Authorization": f"Bearer {contract_token}"}
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            contract_of(operation, known=known_values(operation.path), auth=auth)()
        except (Exception, BaseExceptionGroup) as failure:  # collected, reported below
            failures.append(f"{operation.label}: {failure}")
    assert operations >= 20  # the whole schema
    assert not failures, "\n\n".join(failures)
