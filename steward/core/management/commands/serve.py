"""Run Steward in the foreground: gunicorn for the web and the Huey worker, together.

Ctrl-C (SIGINT) or SIGTERM stops both cleanly; if either exits, the other is stopped too.
For scale-out, run `gunicorn steward.wsgi` and `manage.py run_huey` as separate services.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Steward with gunicorn plus the background worker until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.STEWARD_PORT)
        parser.add_argument("--host", default=os.environ.get("STEWARD_HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=settings.STEWARD_WEB_WORKERS)

    def handle(self, port, host, workers, **options):
        python = sys.executable
        web = [
            python,
            "-m",
            "gunicorn",
            "steward.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            # gunicorn's largest request line; Steward answers longer URLs than MAX_URL_LENGTH
            # (4096) itself, in the API's error shape, instead of gunicorn's HTML page.
            "--limit-request-line",
            "8190",
        ]
        worker = [python, "manage.py", "run_huey", "--flush-locks"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "steward.settings"),
        }
        procs = [subprocess.Popen(cmd, env=env, cwd=settings.BASE_DIR) for cmd in (web, worker)]  # noqa: S603
        self.stdout.write(f"Steward is running on http://{host}:{port}/ (Ctrl-C stops it)")

        stopping = False

        def stop(*_):
            nonlocal stopping
            if stopping:
                return
            stopping = True
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while all(p.poll() is None for p in procs) and not stopping:
            time.sleep(0.5)
        stop()
        deadline = time.monotonic() + 15
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
        self.stdout.write("Steward stopped.")
