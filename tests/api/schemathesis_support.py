"""What the schemathesis suite needs: the schema, the application, a seeded world, the checks.

Kept apart from the test module so the test reads as the contract: for each role, every
documented operation, fed generated (valid and invalid) input, answers without a server error,
with a status, content type and body the committed document promises, and every 4xx in the one
error shape.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction

from steward.people import operations as people_ops
from steward.people.choices import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

#: Revoking a token ends the run's authentication (every later answer is a 401), so the
#: operation is left out; everything else, token creation included, is exercised.
EXCLUDED_PATH = r"^/api/v1/tokens/\{token_id\}/revoke$"

#: Bounded so the whole file stays within a few minutes per database on two cores:
#: - fuzzing draws MAX_EXAMPLES cases per operation and role;
#: - the coverage phase (every boundary and every kind of invalid value of each parameter, the
#:   methods an operation does not have) is finite by construction, about 80 calls per
#:   operation, and runs once, as the administrator: the input schemas refuse invalid values
#:   before any permission check, and the administrator is refused nothing, so every valid
#:   boundary value reaches the deepest code;
#: - the stateful phase runs STATEFUL_SCENARIOS sequences of up to STATEFUL_STEPS calls per role.
MAX_EXAMPLES = 6
STATEFUL_SCENARIOS = 20
STATEFUL_STEPS = 8
SEED = 20_260_101

#: Answers that do not refuse schema-valid input (schemathesis' defaults).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
#: Answers that refuse schema-invalid input (schemathesis' defaults, plus 413 and 414).
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428"]
REFUSED += ["429", "5xx"]

CONFIG = {
    "seed": SEED,
    "suppress-health-check": ["all"],
    "generation": {
        "mode": "all",  # valid input and invalid input
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,  # derandomize: the same cases on every run, in CI too
        "database": "none",  # no Hypothesis example database: nothing replayed from earlier runs
        "with-security-parameters": False,  # the run authenticates with a real token
    },
    "checks": {
        # Every check schemathesis has, with the statuses this API documents for each outcome.
        "enabled": True,
        # Input the document calls valid may still break a rule it cannot express (a reference
        # to a record that does not exist, an unknown time zone): a 422 naming the field.
        "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]},
        # Input the document calls invalid is refused; too large a body or URL is refused too.
        "negative_data_rejection": {"expected-statuses": REFUSED},
    },
    "operations": [
        {
            # Their links from the incident operations are inferred: the major incident record
            # (and its communication plan, its updates, its review) exists only once the
            # incident is declared major, so a 404 after creating an incident is the documented
            # answer, not a lost resource.
            "include-path-regex": "^/api/v1/incidents/\\{number\\}/major",
            "checks": {"ensure_resource_availability": {"enabled": False}},
        },
        {
            # Adding a widget answers the whole dashboard (its widgets in order), so the links
            # schemathesis infers from that answer to a widget's own operations find no
            # `widget_id` and send "None" in the path: a 422 naming widget_id, rightly.
            "include-path-regex": "^/api/v1/dashboards/\\{dashboard_id\\}/widgets/\\{widget_id\\}",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        },
        {
            # The reads with a rule between parameters: `until` must be after `since`; the
            # trends' `from` before `to`, and at most ten years apart.
            "include-name": "GET /api/v1/sla-reports/compliance",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        },
        {
            "include-name": "GET /api/v1/problems/trends",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        },
        {
            # the knowledge measures' period: `from` before `to`, at most two years apart
            "include-name": "GET /api/v1/knowledge/metrics",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        },
        {
            # the satisfaction results' period: `from` before `to`
            "include-name": "GET /api/v1/csat",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
        },
        {
            # Other reads refuse nothing but what their parameters' schemas describe: a 422 for
            # a query value the document calls valid means the document is wrong.
            "include-method": "GET",
            "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        },
    ],
    "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
}

PHASES = ("examples", "coverage", "fuzzing", "stateful")


def load_schema(*phases: str):
    """The committed document, as served at /api/v1/openapi.json, minus the revoke operation;
    the tests built from it run the given phases."""
    assert set(phases) <= set(PHASES), phases
    config = {**CONFIG, "phases": {**CONFIG["phases"]}}
    for phase in PHASES:
        config["phases"][phase] = {**config["phases"].get(phase, {}), "enabled": phase in phases}
    config = schemathesis.Config.from_dict(config)
    schema = schemathesis.openapi.from_path(DOC, config=config).exclude(path_regex=EXCLUDED_PATH)
    # Every call, the checks' own follow-up calls included, goes to the application in-process.
    schema.app = APP
    return schema


# --- The application, in-process ------------------------------------------------------------


class InProcessApp:
    """Django's WSGI application for in-process calls inside a test's transaction.

    Django closes "old" connections at the start and end of every request; inside a test's
    transaction that would mark it for rollback and break every later query, so for the
    duration of the run those two receivers are disconnected, as Django's test client does.
    """

    def __init__(self):
        self.handler = WSGIHandler()
        #: The exceptions behind the 500s since the case began, so a report names the line.
        self.errors: list[str] = []

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)

    def forget(self) -> None:
        self.errors.clear()

    def explained(self, exc: BaseException) -> BaseException:
        """``exc`` with the exceptions behind this case's 500s, if any, as notes."""
        for text in dict.fromkeys(self.errors):
            exc.add_note(f"The exception behind a 500:\n{text}")
        return exc

    def _on_exception(self, sender, request=None, **kwargs):
        self.errors.append("".join(traceback.format_exception(*sys.exc_info())[-12:]))

    @contextmanager
    def running(self):
        # Refusals are the expected answers to generated input (and to the checks' probes
        # without credentials): no log line for each one.
        quiet = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
        levels = [log.level for log in quiet]
        for log in quiet:
            log.setLevel(logging.CRITICAL)
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(self._on_exception)
        try:
            yield self
        finally:
            got_request_exception.disconnect(self._on_exception)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            for log, level in zip(quiet, levels, strict=True):
                log.setLevel(level)


APP = InProcessApp()


@contextmanager
def undone():
    """Run one generated call and roll its writes back, so every case meets the same world.

    The same input then gives the same answer, which Hypothesis needs to shrink a failure to its
    smallest case. A savepoint also survives a statement PostgreSQL refused (an aborted
    transaction rolls back to it).
    """
    sid = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(sid)
        # A helper operation that joined its caller's transaction without a savepoint may have
        # marked it for rollback; the rollback to the savepoint above undid all of it.
        transaction.set_rollback(False)


# --- The world the run meets ----------------------------------------------------------------


def _user(username: str, roles: list[str], **fields):
    return people_ops.create_user(
        None,
        username=username,
        password="correct-horse-9",
        roles=roles,
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        **fields,
    )


def seed_world() -> dict[str, str]:
    """People in each role with a write token, and records for them to find by id, made
    through the operations.

    Returns {role: token} for the requester, the agent and the administrator.
    """
    from steward.incidents import operations as incident_ops
    from steward.services import operations as service_ops

    retail = people_ops.create_organization(None, name="Retail Banking", code="retail")
    people_ops.create_organization(None, name="Corporate", code="corporate")
    admin = _user("admin", [Role.ADMIN, Role.AGENT])
    agent = _user("agent", [Role.AGENT])
    requester = _user("requester", [Role.REQUESTER], organization=retail)
    owner = _user("owner", [Role.AGENT, Role.SERVICE_OWNER])
    service = service_ops.create_service(
        None, name="Online Banking", owner=owner, status="live", criticality=1, customers=[retail]
    )
    service_ops.accept_ownership(owner, service)
    people_ops.create_group(None, name="Service Desk", manager=agent, members=[agent, owner])
    # The requester's own incident: they may read and comment on it.
    incident_ops.open_incident(
        requester,
        title="Cannot sign in to online banking",
        caller=requester,
        impact=2,
        urgency=2,
        service=service,
    )
    tokens = {}
    for role, user in (("requester", requester), ("agent", agent), ("administrator", admin)):
        _, secret = people_ops.create_api_token(user, user, name="schemathesis", scope="write")
        tokens[role] = secret
    return tokens


@contextmanager
def seeded_once(django_db_blocker):
    """The world, made once for a module inside a transaction of its own.

    Each test's transaction (pytest-django's) nests inside it as a savepoint and rolls back to
    it, so every test meets the same world without paying for making it; at the end the whole
    transaction rolls back and leaves the test database as it found it.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            tokens = seed_world()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield tokens
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- The error shape ------------------------------------------------------------------------


def error_shape(ctx, response, case) -> bool | None:
    """Every 4xx answers ``{"error": {"code": str, "message": str, "fields": {name: [str]}}}``.

    A 400 or 422 (the input is wrong) names at least one field, so the caller knows where.
    """
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.split(";")[0].strip() == "application/json", (
        f"A {response.status_code} must be JSON in the error shape; "
        f"got Content-Type {content_type!r}: {response.text[:200]!r}"
    )
    try:
        body = json.loads(response.text)
    except ValueError:
        raise AssertionError(
            f"A {response.status_code} body is not JSON: {response.text[:200]!r}"
        ) from None
    assert isinstance(body, dict) and set(body) == {"error"}, f"Not the error shape: {body!r}"
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"code", "message", "fields"}, (
        f"`error` must have exactly code, message, fields: {body!r}"
    )
    assert isinstance(error["code"], str) and error["code"], f"`code` must be a text: {body!r}"
    assert isinstance(error["message"], str) and error["message"], (
        f"`message` must be a text: {body!r}"
    )
    fields = error["fields"]
    assert isinstance(fields, dict), f"`fields` must be an object: {body!r}"
    for name, problems in fields.items():
        assert isinstance(problems, list) and problems, (
            f"`fields.{name}` must be a non-empty list: {body!r}"
        )
        assert all(isinstance(p, str) and p for p in problems), (
            f"`fields.{name}` must list texts: {body!r}"
        )
    if response.status_code in (400, 422):
        assert fields, f"A {response.status_code} must name the field at fault: {body!r}"
    return True
