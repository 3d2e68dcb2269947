"""Shared fixtures: people in each role, and API clients that authenticate like scripts do."""

from __future__ import annotations

import fcntl
import itertools
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from steward.people import operations as people_ops
from steward.people.choices import Role

# Browser fixtures (Chromium, pages, axe audit, screenshots on failure) for every folder.
pytest_plugins = ["tests.browser_support"]

_seq = itertools.count(1)


@pytest.fixture
def make_user(db):
    """make_user(roles=["agent"], organization=None, **fields) -> User (through operations)."""

    def make(
        username: str | None = None,
        roles=(Role.AGENT,),
        password: str = "correct-horse-9",
        **fields,
    ):
        username = username or f"user{next(_seq)}"
        fields.setdefault("email", f"{username}@example.org")
        fields.setdefault("first_name", username.capitalize())
        return people_ops.create_user(
            None, username=username, password=password, roles=list(roles), **fields
        )

    return make


@pytest.fixture
def make_org(db):
    def make(name: str | None = None, **fields):
        n = next(_seq)
        name = name or f"Org {n}"
        fields.setdefault("code", f"org-{n}")
        return people_ops.create_organization(None, name=name, **fields)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", roles=[Role.ADMIN, Role.AGENT])


@pytest.fixture
def agent(make_user):
    return make_user("agent", roles=[Role.AGENT])


@pytest.fixture
def requester(make_user, make_org):
    return make_user("requester", roles=[Role.REQUESTER], organization=make_org("Retail Banking"))


_openapi: dict | None = None


def _openapi_doc() -> dict:
    global _openapi
    if _openapi is None:
        from steward.api import api

        _openapi = api.get_openapi_schema(path_prefix="/api/v1")
    return _openapi


def _match_operation(method: str, path: str) -> dict | None:
    import re

    for template, operations in _openapi_doc()["paths"].items():
        pattern = "^" + re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method in operations:
            return operations[method]
    return None


def validate_against_openapi(method: str, path: str, status: int, data) -> None:
    """Every JSON response of a documented operation must match the documented schema."""
    import jsonschema

    operation = _match_operation(method, path.split("?")[0])
    if operation is None or data is None:
        return
    responses = operation["responses"]
    documented = responses.get(status) or responses.get(str(status))
    assert documented is not None, f"{method.upper()} {path} answered {status}, not documented"
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema:
        jsonschema.validate(data, {**schema, "components": _openapi_doc()["components"]})


class ApiClient:
    """Calls /api/v1 with a personal token, as scripts do; returns (status, json).

    Every response is checked against the OpenAPI document generated from the code.
    """

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body=None, **params):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = json.dumps(body) if not isinstance(body, (str, bytes)) else body
            kwargs["content_type"] = "application/json"
        elif params:
            kwargs["data"] = params
        response = getattr(self.client, method)(url, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = None
        validate_against_openapi(method, url, response.status_code, data)
        return response.status_code, data

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._send("patch", path, body)

    def put(self, path, body):
        return self._send("put", path, body)

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture
def api_as(db):
    """api_as(user, scope="write") -> ApiClient authenticated with a fresh token of that user."""

    def make(user, scope: str = "write") -> ApiClient:
        if user is None:
            return ApiClient(None)
        _, secret = people_ops.create_api_token(user, user, name="test", scope=scope)
        return ApiClient(secret)

    return make


def pytest_collection_modifyitems(config, items):
    """`postgres` tests need PostgreSQL: they run in the PostgreSQL pass of .ci/run.

    With STEWARD_REQUIRE_POSTGRES=1 (that pass) a non-PostgreSQL database is an error, so the
    PostgreSQL pass can never quietly skip them.
    """
    import os

    from django.conf import settings

    vendor_is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if os.environ.get("STEWARD_REQUIRE_POSTGRES") and not vendor_is_pg:
        raise pytest.UsageError(
            "STEWARD_REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL"
        )
    if vendor_is_pg:
        return
    skip = pytest.mark.skip(reason="PostgreSQL only: runs in the PostgreSQL pass of .ci/run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def world(make_user, make_org):
    """Two customer organizations and one person per role, for permission tables."""
    from steward.services import operations as service_ops

    retail = make_org("Retail", code="retail")
    corporate = make_org("Corporate", code="corporate")
    people = {
        "admin": make_user("root", roles=[Role.ADMIN]),
        "agent": make_user("agent", roles=[Role.AGENT]),
        "requester": make_user("req", roles=[Role.REQUESTER], organization=retail),
        "neighbour": make_user("neighbour", roles=[Role.REQUESTER], organization=retail),
        "outsider": make_user("outsider", roles=[Role.REQUESTER], organization=corporate),
    }
    owner = make_user("owner", roles=[Role.AGENT, Role.SERVICE_OWNER])
    retail_live = service_ops.create_service(
        None, name="Online Banking", owner=owner, status="live", criticality=1, customers=[retail]
    )
    retail_pipeline = service_ops.create_service(
        None, name="Video", owner=owner, status="pipeline", customers=[retail]
    )
    corporate_live = service_ops.create_service(
        None, name="Treasury", owner=owner, status="live", customers=[corporate]
    )
    for service in (retail_live, retail_pipeline, corporate_live):
        service_ops.accept_ownership(owner, service)  # owners have signed up
    group = people_ops.create_group(
        None, name="Network", manager=people["agent"], members=[people["agent"], owner]
    )
    return {
        "orgs": {"retail": retail, "corporate": corporate},
        "people": people,
        "owner": owner,
        "services": {
            "retail_live": retail_live,
            "retail_pipeline": retail_pipeline,
            "corporate_live": corporate_live,
        },
        "group": group,
    }


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Django test client signed in as that user."""

    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(user)
        return client

    return make


# --- a Redis server of the test session's own ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server():
    """``redis://127.0.0.1:<port>``: a ``redis-server`` started for this test session (each
    xdist worker its own, on a free port, nothing saved to disk), stopped at its end. Like the
    mail tests' SMTP server: nothing needs to be running before ``make test`` (which installs
    Debian's redis-server when the binary is missing)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make test` installs it (apt redis-server)")
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        import redis

        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The .mo files, built once whichever test worker gets here first (``make test`` builds
    them before the suite; running pytest alone still works)."""
    lock = _ROOT / "var" / "compilemessages.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        stale = [
            po
            for po in _ROOT.glob("steward/*/locale/*/LC_MESSAGES/django.po")
            if not po.with_suffix(".mo").exists()
            or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        ]
        if stale:
            call_command("compilemessages", ignore_patterns=[".venv", ".venv-lock"], verbosity=0)
    translation.trans_real._translations.clear()  # read the fresh catalogues
    translation.trans_real._default = None
