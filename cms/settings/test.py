"""Test settings: fast hasher, locmem cache, plain static storage, fixed secret.

SQLite by default; PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set.
"""

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
