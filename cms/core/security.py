"""Response headers a government site sends on every response: a Content-Security-Policy whose scripts run only
with this response's nonce (no ``unsafe-inline`` for scripts), and a Permissions-Policy that turns off browser
features the portal never uses.

Templates mark their own inline scripts with ``nonce="{{ request.csp_nonce }}"``. The Wagtail admin's pages
carry scripts of Wagtail and its packages that the project does not control: there the same policy is sent as
``Content-Security-Policy-Report-Only`` (``PORTAL_ADMIN_CSP_ENFORCE`` switches it to enforcing).
"""

import secrets
import time

from django.conf import settings

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)


def content_security_policy(nonce):
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = tuple(
            getattr(settings, "PORTAL_ADMIN_PATH_PREFIXES", ("/admin/", "/django-admin/"))
        )

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        admin = request.path.startswith(self.admin_prefixes)
        enforce = not admin or getattr(settings, "PORTAL_ADMIN_CSP_ENFORCE", False)
        header = "Content-Security-Policy" if enforce else "Content-Security-Policy-Report-Only"
        response.setdefault(header, content_security_policy(request.csp_nonce))
        return response


class SessionRenewalMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` without activity: a signed-in user's session is renewed when it
    is used, at most once per ``PORTAL_SESSION_RENEW_SECONDS`` (not on every request, as
    ``SESSION_SAVE_EVERY_REQUEST`` would: a write per admin request, which on SQLite waits behind a long
    reorganization)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= getattr(settings, "PORTAL_SESSION_RENEW_SECONDS", 600):
                session["_renewed_at"] = now  # marks the session modified: saved with a fresh expiry
        return response
