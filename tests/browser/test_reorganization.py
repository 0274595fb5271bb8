"""A merge in a real browser: preview, confirm, progress (a Celery worker runs it), result; then an old URL."""

import re
import threading

import pytest
from wagtail.models import Page

from cms.departments import reorganization as reorganization_module
from cms.disclosure.vocabularies import Category
from tests import factories
from tests.bulk import bulk_items
from tests.workers import running_worker

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_merges_two_units_and_follows_it_to_the_end(live_server, page, monkeypatch):
    from playwright.sync_api import expect

    tree = factories.site_tree()
    glglc = factories.make_department(
        tree["departments"], title="宿迁市公路管理处", short_name="公路处", slug="glglc"
    )
    glzx = factories.make_department(
        tree["departments"], title="宿迁市公路事业发展中心", short_name="公路中心", slug="glzx"
    )
    start = factories.make_item(
        glglc, category=Category.NOTICES, title="G344宿城段路面大修工程施工期间交通组织公告", slug="g344"
    )
    bulk_items(
        glglc,
        [
            {
                "slug": f"yh-{n}",
                "title": f"国省干线公路养护信息（{n}）",
                "category": Category.NEWS,
                "publish_date": start.publish_date,
            }
            for n in range(150)
        ],
    )
    editor = factories.make_user("glglc_editor", groups=[glglc.editors_group])
    factories.make_user("admin", superuser=True)

    # Hold the worker's transaction open at its last step until the browser has shown the progress page.
    release = threading.Event()
    original = reorganization_module.Executor.record_history

    def held_open(self):
        assert release.wait(60)
        return original(self)

    monkeypatch.setattr(reorganization_module.Executor, "record_history", held_open)

    errors = []  # JavaScript errors on any admin page
    with running_worker():
        try:
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(live_server.url + "/admin/login/")
            page.get_by_label("用户名").fill("admin")
            page.get_by_label("密码").fill("pw-admin")
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(re.compile(r".*/admin/$"))

            page.goto(live_server.url + "/admin/reorganizations/")
            page.get_by_role("link", name="新建：合并").click()
            page.get_by_label("宿迁市公路管理处").check()
            page.get_by_label("并入").select_option(label="宿迁市公路事业发展中心")
            page.get_by_label("文号").fill("宿编〔2019〕12号")
            page.get_by_label("生效日期").fill("2019-03-29")
            screenshot(page, "reorganization-1-form")
            # From the keyboard: the date picker Wagtail opens over the form can stay in the pointer's way.
            page.get_by_role("button", name="预览调整").focus()
            page.keyboard.press("Enter")

            # Preview: what moves where, the URLs, the people; nothing has changed yet.
            preview = page.locator("[data-preview]")
            expect(preview).to_contain_text("预览：确认前不会有任何更改")
            expect(page.locator("[data-move-pages]")).to_have_text("151")
            expect(preview).to_contain_text("网址变化：151 个公开网址")
            expect(page.locator("[data-url-changes]")).to_contain_text("/jgsz/glglc/g344/")
            expect(page.locator("[data-url-changes]")).to_contain_text("/jgsz/glzx/g344/")
            expect(page.locator("[data-memberships]")).to_contain_text("加入“宿迁市公路事业发展中心·编辑”")
            expect(page.locator("[data-history-preview]")).to_contain_text("整体并入宿迁市公路事业发展中心")
            screenshot(page, "reorganization-2-preview")
            page.get_by_role("button", name="确认执行").click()

            # Progress, while the worker holds the transaction open.
            expect(page.locator("[data-progress]")).to_contain_text("正在执行")
            # 302 units of work: 151 pages to move, then 151 old URLs to redirect.
            expect(page.locator("[data-progress-bar]")).to_have_attribute("max", "302")
            expect(page.locator("[data-progress-text]")).to_contain_text("已用时", timeout=15_000)  # it polls
            screenshot(page, "reorganization-3-progress")
            release.set()

            # The page polls and reloads itself when the task has finished.
            result = page.locator("[data-result]")
            expect(result).to_contain_text("已完成", timeout=60_000)
            expect(page.locator("[data-result-redirects]")).to_contain_text("新建永久重定向 151 条")
            expect(page.locator("[data-history-result]")).to_contain_text("宿迁市公路管理处并入本机构")
            screenshot(page, "reorganization-4-result")
        finally:
            release.set()
            screenshot(page, "reorganization-last")

    # A visitor following an old link lands on the item's new address, which names both units.
    page.goto(live_server.url + "/jgsz/glglc/g344/")
    assert page.url == live_server.url + "/jgsz/glzx/g344/"
    expect(page.locator("[data-field=publisher]")).to_have_text(
        "宿迁市公路管理处（现：宿迁市公路事业发展中心）"
    )
    page.goto(live_server.url + "/jgsz/glglc/")
    expect(page.locator("[data-history]")).to_contain_text("宿编〔2019〕12号")
    screenshot(page, "reorganization-5-old-unit")
    assert errors == []
    assert editor.groups.get().name == "宿迁市公路事业发展中心·编辑"
    assert Page.objects.child_of(glzx).count() == 151
