"""Response headers a government site sends on every response: a Content-Security-Policy whose scripts run only
with this response's nonce (no ``unsafe-inline`` for scripts), and a Permissions-Policy that turns off browser
features the portal never uses.

Templates mark their own inline scripts with ``nonce="{{ request.csp_nonce }}"``. The Wagtail admin's pages
carry scripts of Wagtail and its packages that the project does not control: there the same policy is sent as
``Content-Security-Policy-Report-Only`` (``PORTAL_ADMIN_CSP_ENFORCE`` switches it to enforcing).
"""

import secrets

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
