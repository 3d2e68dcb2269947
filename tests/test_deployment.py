"""Production configuration: `check --deploy` passes, secrets are required, health is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "steward.settings",
    "DATABASE_URL": "postgresql://steward@127.0.0.1:5432/steward",
    "STEWARD_SECRET_KEY": "x7Hq2vP9LmN4rT8wK1sZ6yB3cF5gJ0dA-production-key-for-the-check-only",
    "STEWARD_DEBUG": "false",
    "STEWARD_HTTPS": "true",
    "STEWARD_ALLOWED_HOSTS": "steward.example.org",
}


def manage(*args, env_overrides: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "production" process.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("STEWARD_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update({"STEWARD_DATA_DIR": str(tmp_path)}, **env_overrides)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = env_overrides.get("DJANGO_SETTINGS_MODULE", "steward.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "STEWARD_SECRET_KEY"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "STEWARD_SECRET_KEY must be set" in result.stderr


def test_the_embedded_mode_generates_and_keeps_a_secret_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "--no-imports", "-c", code, env_overrides={}, tmp_path=tmp_path)
    second = manage("shell", "--no-imports", "-c", code, env_overrides={}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() != ""
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first.stdout.strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


HEALTH = """
from django.test import Client
r = Client().get('/healthz')
print(r.status_code, r.content.decode())
try:  # IT staff get the details (signing in needs the database)
    from steward.people import operations as ops
    staff = Client()
    staff.force_login(ops.create_user(None, username='ops', roles=['agent']))
    r = staff.get('/healthz')
    print(r.status_code, r.content.decode())
except Exception as exc:
    print('- cannot sign in:', type(exc).__name__)
"""


@pytest.mark.parametrize(
    "overrides,expected,down",
    [
        ({}, 200, None),
        ({"STEWARD_QUEUE_URL": "{redis}/15"}, 200, None),  # the session's own Redis
        ({"STEWARD_QUEUE_URL": "redis://127.0.0.1:1/0"}, 503, "queue"),
        (
            {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/steward", "STEWARD_DEBUG": "true"},
            503,
            "database",
        ),
    ],
)
def test_healthz_reports_database_and_queue(tmp_path, overrides, expected, down, request):
    if "{redis}" in overrides.get("STEWARD_QUEUE_URL", ""):
        redis_url = request.getfixturevalue("redis_server")
        overrides = {
            **overrides,
            "STEWARD_QUEUE_URL": overrides["STEWARD_QUEUE_URL"].format(redis=redis_url),
        }
    migrate = manage("migrate", "-v0", env_overrides={}, tmp_path=tmp_path)
    assert migrate.returncode == 0, migrate.stderr
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        HEALTH,
        tmp_path=tmp_path,
        env_overrides={"STEWARD_ALLOWED_HOSTS": "testserver", **overrides},
    )
    assert result.returncode == 0, result.stderr
    public, staff = result.stdout.strip().splitlines()[-2:]
    status, _, body = public.partition(" ")
    assert int(status) == expected, body
    import json

    # Anyone: only whether Steward is up.
    assert json.loads(body) == {"status": "ok" if expected == 200 else "unavailable"}
    if down == "database":  # nobody can sign in: the reason is in the log only
        assert staff.startswith("- cannot sign in")
        return
    status, _, body = staff.partition(" ")
    assert int(status) == expected, body
    data = json.loads(body)
    assert set(data) == {"status", "database", "queue"}
    if down:
        assert data[down]["ok"] is False and data[down]["error"]
    else:
        assert data["database"]["ok"] and data["queue"]["ok"]


@pytest.mark.django_db
def test_security_headers_on_every_response(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_healthz_answers_200_with_status_in_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_tells_only_it_staff_the_database_vendor_and_queue_depth(
    client, client_for, make_user
):
    from django.test import Client

    from steward.people import operations as people_ops

    assert client.get("/healthz").json() == {"status": "ok"}
    requester = make_user("req", roles=["requester"])
    assert client_for(requester).get("/healthz").json() == {"status": "ok"}
    agent = make_user("it", roles=["agent"])
    details = client_for(agent).get("/healthz").json()
    assert details["database"]["vendor"] and "pending" in details["queue"]
    _, secret = people_ops.create_api_token(None, agent, name="monitoring", scope="read")
    by_token = Client().get("/healthz", headers={"Authorization": f"Bearer {secret}"}).json()
    assert by_token["database"]["ok"] is True
    bad = Client().get("/healthz", headers={"Authorization": "Bearer stw_wrong"})
    assert bad.status_code == 200 and bad.json() == {"status": "ok"}


def test_the_wsgi_application_is_ready_before_the_first_request(tmp_path):
    """Each gunicorn worker builds the URLconf and the API when it loads the application, not on
    a visitor's first request (that took about two seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEWARD_", "DATABASE_URL"))}
    env.update({**PRODUCTION, "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")})
    env["STEWARD_DATA_DIR"] = str(tmp_path)
    probe = "import sys, steward.wsgi; print('steward.api' in sys.modules)"
    command = [sys.executable, "-c", probe]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
