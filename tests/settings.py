"""Test settings: the production settings with a fixed key, fast hashing and an inline queue.

DATABASE_URL selects the database exactly as in production (SQLite when unset).
"""

import os
import tempfile

os.environ.setdefault("STEWARD_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("STEWARD_DATA_DIR", tempfile.mkdtemp(prefix="steward-test-"))

from steward.settings import *  # noqa: F403
from steward.settings import DATABASES, EMBEDDED, HUEY, MIDDLEWARE

# Counts the requests in flight, which browser tests wait for before emptying the database.
MIDDLEWARE = ["tests.inflight.InFlightMiddleware", *MIDDLEWARE]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The queue runs tasks inline in tests; tests that exercise retries call the worker functions.
HUEY = {**HUEY, "immediate": True, "immediate_use_memory": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if EMBEDDED:
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.environ["STEWARD_DATA_DIR"], "test.sqlite3")
    }
