"""Test settings: fast hasher, locmem cache, plain static storage, fixed secret.

SQLite by default; PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env_float, env_str

SECRET_KEY = "test-only-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"

# Tests that need a broker start a real worker, in this process or in a subprocess. Without CELERY_BROKER_URL
# they share the embedded SQLite broker in a file of this test run (handed to worker subprocesses through the
# same variable); with it (Redis in the PostgreSQL pass), that broker.
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL",
    f"sqla+sqlite:///{Path(tempfile.gettempdir()) / f'portal-test-broker-{os.getpid()}.sqlite3'}",
)
# Parallel runs (pytest-xdist): each test process gets its own Redis database, so that a worker started by one
# never takes the tasks of another. Done once per process; worker subprocesses inherit the result.
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "")
if (
    _xdist.startswith("gw")
    and CELERY_BROKER_URL.startswith("redis")
    and os.environ.get("PORTAL_TEST_BROKER_FOR") != _xdist
):
    _base, _, _db = CELERY_BROKER_URL.rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    CELERY_BROKER_URL = f"{_base}/{(_db - 1 - int(_xdist[2:])) % 16}"
    os.environ["PORTAL_TEST_BROKER_FOR"] = _xdist
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False

# Search indexing in the request, so tests see the index at once; tests/search covers the Celery path.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend", "ASYNC_UPDATES": False}}

LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# A file, not SQLite's shared in-memory database: threads in the concurrency tests then wait on SQLite's
# write lock (with the busy timeout) instead of failing at once with "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"portal-test-{os.getpid()}.sqlite3")
    }

STATIC_ROOT = Path(tempfile.gettempdir()) / "portal-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

# New media: tests start the sandbox on a free port and point the clients at it; waits are short so retry,
# reconcile and quota paths run in seconds.
# Nothing listens on port 9: a test that forgets the sandbox fails. A worker subprocess gets the sandbox's URL.
SYNDICATION_WECHAT_API_BASE = env_str("SYNDICATION_WECHAT_API_BASE", "http://127.0.0.1:9/")
SYNDICATION_WEIBO_API_BASE = env_str("SYNDICATION_WEIBO_API_BASE", "http://127.0.0.1:9/")
SYNDICATION_PUBLIC_BASE_URL = "https://jtj.suqian.gov.cn"
SYNDICATION_HTTP_TIMEOUT = (2.0, env_float("SYNDICATION_READ_TIMEOUT", 2.0))
SYNDICATION_RETRY_BASE_SECONDS = 0.05
SYNDICATION_RETRY_MAX_SECONDS = 0.4
SYNDICATION_MAX_ATTEMPTS = 12
SYNDICATION_POLL_SECONDS = [0.2, 0.2, 0.3, 0.5]
SYNDICATION_RECONCILE_SECONDS = 0.2
SYNDICATION_WEIBO_RECONCILE_WINDOW = 1.5
SYNDICATION_QUOTA_WAIT = {"minute": 0.3, "hour": 0.3, "midnight": 0.3}
SYNDICATION_DISPATCH_GRACE_SECONDS = 0
