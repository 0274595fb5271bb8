"""The editorial gate in a real browser: an editor submits, three reviewers approve, the page is live."""

import contextlib
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.disclosure.models import DisclosureItemPage
from cms.review.models import GateRelease
from cms.review.setup import DEFAULT_WORKFLOW_NAME, POLICY_GROUP, TEXT_GROUP
from tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDEX_NUMBER = re.compile(r"^[0-9A-Z]{8}[0-9X]/\d{4}-\d{5}$")
TITLE = "关于2019年国庆节期间道路运输保障工作的通知"
PARAGRAPHS = [
    "各县（区）交通运输局、局属各单位：",
    "为做好2019年国庆节期间道路运输保障工作，确保人民群众安全便捷出行，现将有关事项通知如下。",
]
STAGES = [
    ("bgs_reviewer", "政治关（处室负责人）"),
    ("zcfgc_shenhe", "政策关（含保密审查）"),
    ("bgs_wenzi", "文字关"),
]


@pytest.fixture
def people(department):
    """As tests/review/conftest.py: an editor and one reviewer per stage (password "pw-<username>")."""
    return {
        "editor": factories.make_user("bgs_editor", groups=[department.editors_group]),
        "political": factories.make_user("bgs_reviewer", groups=[department.reviewers_group]),
        "policy": factories.make_user("zcfgc_shenhe", groups=[Group.objects.get(name=POLICY_GROUP)]),
        "text": factories.make_user("bgs_wenzi", groups=[Group.objects.get(name=TEXT_GROUP)]),
    }


@contextlib.contextmanager
def signed_in(browser, live_server, username):
    """A fresh browser context (no cookies) logged in to the admin through Wagtail's login form."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill("pw-" + username)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/admin/$"))
        yield page
    except Exception:
        screenshot(page, f"review-gate-failed-{username}")
        raise
    finally:
        context.close()


def footer_action(page, name):
    """Open the editor footer's "more actions" dropdown and click one of its actions."""
    page.get_by_role("navigation", name="操作（页脚）").get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=name, exact=True).click()


def waiting_banner(page):
    """Wagtail's lock banner on the edit view of a page in a workflow: which stage it waits for."""
    return page.get_by_role("status").get_by_role("listitem").filter(has_text="此页面正在等待")


def success_message(page):
    return page.get_by_role("status").locator("li.success")


def test_an_editor_submits_three_reviewers_approve_and_the_page_is_live(
    live_server, browser, department, people
):
    from playwright.sync_api import expect

    with contextlib.ExitStack() as stack:
        editor = stack.enter_context(signed_in(browser, live_server, "bgs_editor"))

        # 1. The editor writes the notice in the page editor and saves a draft.
        add_url = reverse("wagtailadmin_pages:add", args=("disclosure", "disclosureitempage", department.pk))
        editor.goto(live_server.url + add_url)
        editor.get_by_placeholder("页面标题*").fill(TITLE)
        body = editor.locator('[data-contentpath="body"]').get_by_role("textbox")
        body.click()
        expect(body).to_be_focused()  # on a busy machine Draftail may not have taken the focus yet
        for n, paragraph in enumerate(PARAGRAPHS):
            if n:
                editor.keyboard.press("Enter")
            editor.keyboard.type(paragraph)
        expect(body).to_contain_text(PARAGRAPHS[-1])
        editor.get_by_role("tab", name="公开属性").click()
        editor.get_by_role("combobox", name="组配分类").select_option(label="通知公告")
        editor.get_by_role("textbox", name="关键词", exact=True).fill("国庆节,道路运输,运输保障")
        editor.get_by_role("textbox", name="内容概述", exact=True).fill(
            "部署2019年国庆节期间道路运输保障工作。"
        )
        editor.get_by_role("tab", name="推广").click()
        editor.get_by_role("textbox", name="缩略名").fill("2019-gqj-dlys-bz")
        screenshot(editor, "review-gate-1-editor-draft")
        editor.get_by_role("button", name="保存草稿").click()
        editor.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
        expect(success_message(editor)).to_contain_text(TITLE)
        edit_url = editor.url
        item = DisclosureItemPage.objects.get(slug="2019-gqj-dlys-bz")
        assert not item.live and item.get_parent().pk == department.pk

        # 2. ... and submits it to the review workflow from the footer's action menu.
        footer_action(editor, f"提交给{DEFAULT_WORKFLOW_NAME}")
        expect(success_message(editor)).to_contain_text(f"页面 '{TITLE}' 已经提交进行审核")
        expect(editor.get_by_role("row").filter(has=editor.get_by_role("link", name=TITLE))).to_contain_text(
            "审核中"
        )
        # The automated check passed on its own: the page waits for the first human stage, locked for its editor.
        editor.goto(edit_url)
        expect(waiting_banner(editor)).to_contain_text(f"“{STAGES[0][1]}”")
        expect(editor.locator("[data-review-checks]")).to_contain_text("必须修改 0 处")
        screenshot(editor, "review-gate-2-submitted")

        # 3. Each reviewer finds the page in 待我审核 on the dashboard and approves their stage.
        for n, (username, stage) in enumerate(STAGES, start=1):
            with signed_in(browser, live_server, username) as page:
                pending = page.locator("section[data-review-pending]")
                row = pending.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
                expect(row).to_have_count(1)
                for text in (stage, "宿迁市交通运输局办公室", "bgs_editor", re.compile(r"\d+ 个工作日")):
                    expect(row).to_contain_text(text)
                screenshot(page, f"review-gate-3-{n}-dashboard-{username}")
                row.get_by_role("link", name=TITLE).click()
                page.wait_for_url(edit_url)
                footer_action(page, "审核通过")
                # Back on the dashboard, told what happened: the next stage, or published.
                page.wait_for_url(live_server.url + "/admin/")
                outcome = f"已进入“{STAGES[n][1]}”" if n < len(STAGES) else "已通过全部审核并发布"
                expect(page.get_by_text(outcome)).to_be_visible()
                expect(page.get_by_text("没有权限")).to_have_count(0)
                screenshot(page, f"review-gate-3-{n}-approved-{username}")
                # The stage is done: it leaves this reviewer's list.
                expect(pending).to_contain_text("暂无待审核的内容。")
            # ... and the editor, reloading the page, sees it waiting for the next stage (or published).
            editor.goto(edit_url)
            if n < len(STAGES):
                expect(waiting_banner(editor)).to_contain_text(f"“{STAGES[n][1]}”")
            else:
                expect(waiting_banner(editor)).to_have_count(0)
        screenshot(editor, "review-gate-3-editor-after-approvals")

    # 4. The page is live: an anonymous visitor reads it with its 索引号.
    item = DisclosureItemPage.objects.get(pk=item.pk)
    assert item.live and INDEX_NUMBER.match(item.index_number)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(live_server.url + item.url)
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        table = page.locator("[data-metadata-table]")
        expect(table).to_contain_text("索引号")
        expect(table.locator('[data-field="index_number"]')).to_have_text(item.index_number)
        expect(page.get_by_text(PARAGRAPHS[1])).to_be_visible()
        screenshot(page, "review-gate-4-public")
    finally:
        context.close()

    assert GateRelease.objects.filter(page=item).count() == 1
    release = GateRelease.objects.get(page=item)
    assert release.via == "workflow" and release.revision_id == item.live_revision_id
    assert [a["user"] for a in release.approvals if a["user"]] == [u for u, _stage in STAGES]
