"""Thin ``requests`` clients for the platforms' HTTP APIs. They know the contracts (paths, JSON, error codes) and
nothing about jobs: every failure is raised as an ``ApiError`` with its class (``syndication.errors``).

Base URLs and timeouts come from settings at call time, so a deployment (or a test) points them at a proxy or
at the in-project sandbox. Credentials travel in the query string (WeChat, as the platform requires) or the
``Authorization`` header (Weibo); they are never logged, and error messages are redacted.
"""

import requests
from django.conf import settings

from ..errors import ApiError, Kind, transport_error


class BaseClient:
    channel = ""

    def __init__(self, base_url=None, timeout=None, session=None):
        self.base_url = (base_url or self.default_base_url()).rstrip("/")
        self.timeout = timeout or tuple(settings.SYNDICATION_HTTP_TIMEOUT)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "suqian-jtj-portal/syndication"

    def default_base_url(self):
        raise NotImplementedError

    def request(self, method, path, *, step="", **kwargs):
        """One HTTP call; transport failures become TRANSIENT (never sent) or UNKNOWN (may have acted)."""
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, self.base_url + path, **kwargs)
        except requests.RequestException as exc:
            raise transport_error(self.channel, exc, step=step) from None
        if response.status_code >= 500:
            raise ApiError(
                self.channel,
                f"HTTP {response.status_code}",
                response.reason or "",
                Kind.TRANSIENT,
                reason=f"平台接口返回 HTTP {response.status_code}，稍后自动重试",
                step=step,
            )
        return response

    @staticmethod
    def json_of(response):
        try:
            return response.json()
        except ValueError:
            return None
