"""Real headless Chromium against a live server: what visitors and editors actually do."""

import re

import pytest
from django.core.management import call_command

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDEX_NUMBER = re.compile(r"^[0-9A-Z]{8}[0-9X]/\d{4}-\d{5}$")


def test_visitor_goes_from_home_to_a_department_and_an_item(live_server, page):
    call_command("load_demo", password="browser-pass-1", quiet_accounts=True)

    page.goto(live_server.url + "/")
    assert page.title().startswith("宿迁市交通运输局")
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link").all_inner_texts() == [
        "首页",
        "信息公开",
        "机构设置",
        "政务服务",
        "互动交流",
        "新闻中心",
    ]
    assert page.locator(".site-footer").inner_text().count("网站标识码") == 1
    assert page.locator(".site-header").inner_text().count("网站标识码") == 1
    screenshot(page, "home")

    nav.get_by_role("link", name="机构设置").click()
    page.wait_for_url("**/jgsz/")
    page.get_by_role("link", name="宿迁市交通运输局办公室").click()
    page.wait_for_url("**/jgsz/bgs/")
    assert page.get_by_role("heading", level=1).inner_text() == "宿迁市交通运输局办公室"
    assert "主要职责" in page.content()

    policies = page.get_by_role("region", name="政策文件")
    first_item = policies.get_by_role("link").first
    title = first_item.inner_text()
    first_item.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title

    table = page.locator("[data-metadata-table]")
    assert INDEX_NUMBER.match(table.locator('[data-field="index_number"]').inner_text())
    assert table.locator('[data-field="publisher"]').inner_text().startswith("宿迁市交通运输局办公室")
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", table.locator('[data-field="publish_date"]').inner_text())
    assert page.locator('meta[name="ArticleTitle"]').get_attribute("content") == title
    crumbs = page.get_by_role("navigation", name="当前位置").get_by_role("link").all_inner_texts()
    assert crumbs == ["首页", "机构设置", "宿迁市交通运输局办公室"]
    screenshot(page, "item")


def test_keyboard_skip_link_and_larger_text_mode(live_server, page):
    call_command("load_demo", password="browser-pass-1", quiet_accounts=True)
    page.goto(live_server.url + "/xxgk/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    size_before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle = page.get_by_role("button", name="大字版")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="标准版").get_attribute("aria-pressed") == "true"
    size_after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size_after > size_before * 1.2
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('large-text')")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "home-mobile-large-text")


def test_editor_logs_in_to_the_admin_and_sees_only_their_department(live_server, page):
    call_command("load_demo", password="browser-pass-1", quiet_accounts=True)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill("bgs_editor")
    page.get_by_label("密码").fill("browser-pass-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    assert "仪表板" in page.title() or "仪表盘" in page.title() or "宿迁市交通运输局" in page.content()
    screenshot(page, "admin-dashboard")

    page.goto(live_server.url + "/admin/pages/")
    explorer = page.content()
    assert "宿迁市交通运输局办公室" in explorer
    assert "宿迁市交通运输局财务处" not in explorer
