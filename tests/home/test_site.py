"""Site-wide behaviour: language, settings, sitemap, robots, production safety."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale

from cms.disclosure.vocabularies import Category
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.WAGTAIL_I18N_ENABLED
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES] == ["zh-hans", "en"]


@pytest.mark.django_db
def test_default_locale_is_simplified_chinese_and_english_exists():
    assert Locale.get_default().language_code == "zh-hans"
    assert Locale.objects.filter(language_code="en").exists()


@pytest.mark.django_db
def test_admin_speaks_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "登录" in html and "用户名" in html


@pytest.mark.django_db
def test_sitemap_lists_public_pages(client, tree, department):
    item = factories.make_item(department, category=Category.POLICY)
    draft = factories.make_item(department, live=False)
    body = client.get("/sitemap.xml").content.decode()
    assert item.url_path.replace("/home", "") in body
    assert draft.slug not in body


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.django_db
def test_footer_shows_site_settings(client, tree):
    from cms.core.models import SiteSettings

    site_settings = SiteSettings.for_site(tree["home"].get_site())
    site_settings.site_id_code = "3213000045"
    site_settings.icp_number = "苏ICP备05009181号"
    site_settings.police_record_number = "苏公网安备 32130202000001号"
    site_settings.sponsor = "宿迁市交通运输局"
    site_settings.save()
    html = client.get("/").content.decode()
    for text in (
        "网站标识码：3213000045",
        "苏ICP备05009181号",
        "苏公网安备 32130202000001号",
        "主办单位：宿迁市交通运输局",
    ):
        assert text in html


def _production_check(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "cms.settings.production", "PORTAL_VAR_DIR": "/tmp/portal-prod-check"}
    )
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_check({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_settings_pass_the_deploy_checklist():
    result = _production_check({"DJANGO_SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-check"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_admin_login_form_is_entirely_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "Password" not in html and "密码" in html
