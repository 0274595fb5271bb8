import contextlib

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings


@contextlib.contextmanager
def module_content(django_db_blocker, tmp_path_factory):
    """Content shared by a test module: created once inside a transaction that is rolled back after the
    module's last test (each test still runs in its own savepoint), files in a temporary media root."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Synonyms and hot searches are cached: every test starts without them."""
    cache.clear()
    yield
    cache.clear()
