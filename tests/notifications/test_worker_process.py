"""End to end with real parts: a change in one process, the Huey worker in another, Redis as the
queue and a real SMTP server. The email arrives once, and the outbox row is marked sent."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from steward.notifications.models import OutboundEmail
from tests.notifications.conftest import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
NOTIFY = """
from steward.notifications import operations
from steward.people.models import User
operations.notify(None, [User.objects.get(username="worker-target")],
                  subject="Disk full on db01", body="The database server ran out of space.")
"""


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgresql://{s['USER'] or 'postgres'}@{host}:{port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_mail_enqueued_by_another_process_through_redis(
    make_user, tmp_path, redis_server
):
    make_user("worker-target", email="oncall@example.org")
    queue_url = f"{redis_server}/10"  # the test session's own Redis (tests/conftest.py)
    redis.Redis.from_url(queue_url).flushdb()
    smtp = SmtpServer(free_port())
    smtp.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("STEWARD_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "steward.settings",
        "DATABASE_URL": database_url(),
        "STEWARD_QUEUE_URL": queue_url,
        "STEWARD_EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "STEWARD_SECRET_KEY": "worker-test-key",
        "STEWARD_DEBUG": "true",
        "STEWARD_DATA_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        change = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", NOTIFY],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert change.returncode == 0, change.stderr
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not smtp.messages:
            time.sleep(0.2)
        time.sleep(1)  # anything sent twice would arrive now
        assert [m["Subject"] for m in smtp.messages] == ["Disk full on db01"]
        assert smtp.recipients == [["oncall@example.org"]]
        row = OutboundEmail.objects.get()
        deadline = time.monotonic() + 10
        while row.status != "sent" and time.monotonic() < deadline:
            time.sleep(0.2)
            row.refresh_from_db()
        assert row.status == "sent" and row.attempts <= 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        smtp.stop()
