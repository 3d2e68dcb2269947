"""Schemathesis against the committed OpenAPI document, for each role with a real token.

Every documented operation (but token revocation, which would end the run's authentication) is
called in-process through Django's WSGI application, with a real write-scope bearer token of a
requester (of an organisation, with an incident of their own), an agent and an administrator:

- generated input (the document's examples and fuzzed valid and invalid values), per role;
- every boundary and every kind of invalid value of each parameter, and the methods an
  operation does not have (schemathesis' coverage phase), as the administrator;
- sequences of calls that feed one answer's ids into the next (the stateful phase), per role.

Every answer must pass all of schemathesis' checks: no 5xx; a documented status, content type,
headers and body; input the document calls invalid refused, and input it calls valid not refused
but for a rule the document cannot express (a 422 naming the field; for a read only where two
parameters depend on each other); a created record found again; the token not ignored. Every 4xx
must be in the one error shape (``schemathesis_support.error_shape``).

The cases are deterministic (derandomized, fixed seed, no example database) and bounded (see
``schemathesis_support``). A failure prints the request (method, path, body as a curl command),
the answer and, for a 500, the exception behind it.
"""

from __future__ import annotations

import hypothesis
import pytest
from schemathesis.core.failures import FailureGroup

from tests.api.schemathesis_support import (
    APP,
    STATEFUL_SCENARIOS,
    STATEFUL_STEPS,
    error_shape,
    load_schema,
    seeded_once,
    undone,
)

pytestmark = pytest.mark.django_db

ROLES = ["requester", "agent", "administrator"]

generated = load_schema("examples", "fuzzing")
boundaries = load_schema("coverage")
sequences = load_schema("stateful")


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    with seeded_once(django_db_blocker) as role_tokens:
        yield role_tokens


@pytest.fixture
def app(db):
    with APP.running() as application:
        yield application


def call_and_check(case, token: str, app) -> None:
    """One generated call, answered and checked, its writes undone."""
    app.forget()
    with undone():
        try:
            case.call_and_validate(
                app=app,
                headers={"Authorization": f"Bearer {token}"},
                additional_checks=[error_shape],
            )
        except FailureGroup as exc:
            raise app.explained(exc) from None


@pytest.mark.parametrize("role", ROLES)
@generated.parametrize()
def test_generated_input_is_answered_as_documented(case, role, tokens, app):
    """The document's examples and fuzzed input, as each role."""
    call_and_check(case, tokens[role], app)


@boundaries.parametrize()
def test_boundary_and_invalid_input_is_answered_as_documented(case, tokens, app):
    """Each parameter's boundaries and invalid values, and the missing methods, as the
    administrator (refused nothing, so every case reaches the deepest code)."""
    call_and_check(case, tokens["administrator"], app)


@pytest.mark.parametrize("role", ROLES)
def test_sequences_of_calls_are_answered_as_documented(role, tokens, app):
    """Calls fed by earlier answers (ids from a list or a creation), as each role; each
    sequence's writes are undone before the next."""
    headers = {"Authorization": f"Bearer {tokens[role]}"}

    class Sequences(sequences.as_state_machine()):
        def setup(self):
            self._undo = undone()
            self._undo.__enter__()

        def teardown(self):
            self._undo.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            app.forget()
            return {"app": app, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            try:
                # The headers name the run's own credentials, as in the tests above.
                case.validate_response(
                    response,
                    headers=headers,
                    additional_checks=[error_shape],
                    transport_kwargs=kwargs,
                    recorder=self.recorder,
                )
            except FailureGroup as exc:
                raise app.explained(exc) from None

    Sequences.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
