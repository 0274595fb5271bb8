"""Every response carries a Permissions-Policy and a Content-Security-Policy whose scripts need this response's
nonce; the public site's own inline scripts carry it, so they still run."""

import re
import time

import pytest

pytestmark = pytest.mark.django_db


def _nonce(policy):
    return re.search(r"'nonce-([^']+)'", policy).group(1)


def test_public_pages_enforce_a_nonce_policy_that_their_inline_scripts_carry(client, tree):
    first, second = client.get("/"), client.get("/")
    policy = first["Content-Security-Policy"]
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    nonce = _nonce(policy)
    assert nonce != _nonce(second["Content-Security-Policy"])  # a new nonce per response
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", first.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert "camera=()" in first["Permissions-Policy"] and "geolocation=()" in first["Permissions-Policy"]


def test_the_admin_reports_the_policy_and_the_session_ends_after_a_working_day(admin_client, monkeypatch):
    response = admin_client.get("/admin/")
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy-Report-Only"]
    assert response["Permissions-Policy"]
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600  # renewed by use
    # Used again within ten minutes: no write; later: eight more hours from then.
    assert "sessionid" not in admin_client.get("/admin/").cookies
    later = time.time() + 601
    monkeypatch.setattr("cms.core.security.time.time", lambda: later)
    assert admin_client.get("/admin/").cookies["sessionid"]["max-age"] == 8 * 3600


def test_a_bad_search_date_keeps_the_headers(client, tree):
    response = client.get("/search/?date_to=9999-12-31")
    assert response.status_code == 400 and "Content-Security-Policy" in response
