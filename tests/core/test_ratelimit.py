"""The rate limits on the cache backends the site runs on: local memory here, Redis in production (tested against
the suite's Redis when the PostgreSQL + Redis pass provides one)."""

import os
import threading
import uuid

import pytest
from django.test import override_settings

from cms.core import ratelimit

BACKENDS = [pytest.param({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, id="locmem")]
if os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
    BACKENDS.append(
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["CELERY_BROKER_URL"],
            },
            id="redis",
        )
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_fixed_window_holds_under_concurrency(backend):
    config = {**backend, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    with override_settings(CACHES={"default": config}):
        ident = uuid.uuid4().hex
        results = []

        def attempt():
            results.append(ratelimit.hit("test", ident, 10, 60))

        threads = [threading.Thread(target=attempt) for _ in range(25)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results.count(True) == 10 and results.count(False) == 15
        assert ratelimit.exceeded("test", ident, 10)
        assert not ratelimit.exceeded("test", uuid.uuid4().hex, 10)
        # No clear(): on Redis that would flush the broker's database; the keys expire after the window.


def test_client_ip_behind_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    # The header of a client that is not a configured proxy is not believed.
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_a_forwarded_chain_counts_the_address_the_trusted_proxy_saw(rf, settings):
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    # The client typed "1.2.3.4" itself; the proxies appended what they saw.
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9, 10.0.0.2")
    assert ratelimit.client_ip(forged) == "198.51.100.9"
    direct = rf.get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert ratelimit.client_ip(direct) == "198.51.100.20"
