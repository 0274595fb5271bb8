"""Test settings: fast hasher, locmem cache, plain static storage, fixed secret.

SQLite by default; PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import env_str

SECRET_KEY = "test-only-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"

# Tests that need a broker start a real worker; without CELERY_BROKER_URL it uses kombu's in-memory transport.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
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
