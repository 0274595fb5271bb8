"""Admin login brute-force protection (django-axes): five wrong passwords lock the user name and the address,
in Chinese with a 429, logged; the right password does not get through a lockout; an administrator unlocks it
in 设置 → 登录锁定."""

import pytest
from axes.models import AccessAttempt

from tests import factories

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="198.51.100.7"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_and_the_address_until_an_administrator_unlocks(client, caplog):
    factories.make_user("bgs_editor")
    for _n in range(4):
        assert attempt(client, "bgs_editor", "guess").status_code == 200  # the form again, with its error
    locked = attempt(client, "bgs_editor", "guess")
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    # Locked: the right password from the same address, and the same user name from another, are refused.
    assert attempt(client, "bgs_editor", "pw-bgs_editor").status_code == 429
    assert attempt(client, "bgs_editor", "pw-bgs_editor", ip="203.0.113.9").status_code == 429
    assert any("locking out" in record.getMessage().lower() for record in caplog.records)

    admin = factories.make_user("root_admin", superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/login-lockouts/")
    assert listing.status_code == 200 and "bgs_editor" in listing.content.decode()
    for row in AccessAttempt.objects.all():  # the user name's and the address's
        assert client.post(f"/admin/login-lockouts/delete/{row.pk}/").status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert attempt(client, "bgs_editor", "pw-bgs_editor").status_code == 302  # unlocked: signed in


def test_a_success_resets_the_count(client):
    factories.make_user("ysglc_editor")
    for _n in range(4):
        attempt(client, "ysglc_editor", "guess")
    assert attempt(client, "ysglc_editor", "pw-ysglc_editor").status_code == 302
    client.logout()
    for _n in range(4):
        assert attempt(client, "ysglc_editor", "guess").status_code == 200
