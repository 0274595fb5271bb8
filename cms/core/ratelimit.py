"""Fixed-window rate limits in Django's cache (Redis in production: ``REDIS_CACHE_URL``).

``cache.add`` creates the counter with its expiry only if it is missing and ``cache.incr`` is atomic on Redis and
on the local-memory cache, so concurrent requests cannot both slip under the limit.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    header = settings.PORTAL_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def _key(scope, ident):
    return "core:rl:" + scope + ":" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def hit(scope, ident, limit, seconds):
    """Count one attempt; False once more than ``limit`` attempts were made in the window."""
    if limit <= 0:
        return True
    key = _key(scope, ident)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def exceeded(scope, ident, limit):
    """True if the window of ``scope``/``ident`` is already full (without counting an attempt)."""
    return limit > 0 and (cache.get(_key(scope, ident)) or 0) >= limit
