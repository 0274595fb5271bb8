"""Fixed-window rate limits in Django's cache (Redis in production: ``REDIS_CACHE_URL``).

``cache.add`` creates the counter with its expiry only if it is missing and ``cache.incr`` is atomic on Redis and
on the local-memory cache, so concurrent requests cannot both slip under the limit.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The visitor's address. The proxy header (``PORTAL_CLIENT_IP_HEADER``) is believed only when the request
    comes from one of ``PORTAL_TRUSTED_PROXIES``; in an ``X-Forwarded-For`` chain the address is the last one
    not added by a trusted proxy (anything left of it could have been typed by the client)."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.PORTAL_CLIENT_IP_HEADER
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.PORTAL_TRUSTED_PROXIES]
    if not header or not _trusted(remote, networks):
        return remote
    chain = [a.strip() for a in request.META.get(header, "").split(",") if a.strip()]
    for address in reversed(chain):
        if not _trusted(address, networks):
            return address
    return chain[0] if chain else remote


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


def count(scope, ident):
    """Attempts counted in the current window of ``scope``/``ident``."""
    return cache.get(_key(scope, ident)) or 0


def exceeded(scope, ident, limit):
    """True if the window of ``scope``/``ident`` is already full (without counting an attempt)."""
    return limit > 0 and (cache.get(_key(scope, ident)) or 0) >= limit
