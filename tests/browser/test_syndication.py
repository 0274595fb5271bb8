"""New media in a real browser: an editor opts a page into WeChat and Weibo on its 新媒体 tab, three reviewers
approve it through the gate, a Celery worker pushes it to the sandbox, and the editor sees the published status
and the links; a mobile reader opens the WeChat article."""

import contextlib
import re

import pytest
from django.urls import reverse

from cms.disclosure.vocabularies import Category
from syndication.models import JobState, SyndicationJob
from tests import factories
from tests.syndication import conftest as syndication_fixtures
from tests.syndication.conftest import wait_for
from tests.workers import running_worker

from . import test_review_gate
from .conftest import screenshot
from .test_review_gate import STAGES, footer_action, signed_in, success_message

# The fixtures this test shares: the sandbox and its accounts; the editor and the three reviewers.
sandbox = syndication_fixtures.sandbox
accounts = syndication_fixtures.accounts
people = test_review_gate.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "宿迁市2019年农村公路提档升级工程全面开工"
WECHAT_TITLE = "农村公路提档升级工程全面开工"
WEIBO_TEXT = "【宿迁交通】2019年农村公路提档升级工程全面开工，全年计划改造农村公路500公里。"


def test_an_editor_opts_a_page_in_it_passes_the_gate_and_the_editor_sees_the_posts(
    live_server, browser, department, people, accounts, sandbox
):
    from playwright.sync_api import expect

    draft = factories.make_item(
        department,
        category=Category.NEWS,
        live=False,
        user=people["editor"],
        title=TITLE,
        slug="2019-ncgl-tdsj-kg",
        body="<p>4月1日，全市农村公路提档升级工程全面开工，全年计划改造农村公路500公里、危桥80座。</p>",
        summary="全市农村公路提档升级工程全面开工。",
    )
    edit_url = live_server.url + reverse("wagtailadmin_pages:edit", args=[draft.pk])
    with contextlib.ExitStack() as stack:
        stack.enter_context(running_worker(pool="threads", concurrency=2))
        editor = stack.enter_context(signed_in(browser, live_server, "bgs_editor"))

        # 1. The editor opts the page in on its 新媒体 tab and submits it for review.
        editor.goto(edit_url)
        editor.get_by_role("tab", name="新媒体").click()
        editor.get_by_role("button", name="增加 公众号").click()
        wechat = editor.locator("[id^='inline_child_wechat_targets-0']")
        wechat.get_by_role("combobox", name="公众号").select_option(label="微信公众号·宿迁交通")
        wechat.get_by_role("textbox", name="微信标题").fill(WECHAT_TITLE)
        editor.get_by_role("button", name="增加 微博账号").click()
        weibo = editor.locator("[id^='inline_child_weibo_targets-0']")
        weibo.get_by_role("combobox", name="微博账号").select_option(label="微博·宿迁交通")
        weibo.get_by_role("textbox", name="微博正文").fill(WEIBO_TEXT)
        screenshot(editor, "syndication-1-new-media-tab")
        editor.get_by_role("button", name="保存草稿").click()
        expect(success_message(editor)).to_contain_text(TITLE)
        footer_action(editor, "提交给三审（默认）")
        expect(success_message(editor)).to_contain_text("已经提交进行审核")
        assert not SyndicationJob.objects.exists()  # nothing goes out before the gate

        # 2. The three reviewers approve, each from 待我审核.
        for username, _stage in STAGES:
            with signed_in(browser, live_server, username) as reviewer:
                pending = reviewer.locator("section[data-review-pending]")
                pending.get_by_role("link", name=TITLE).click()
                reviewer.wait_for_url(edit_url)
                footer_action(reviewer, "审核通过")
                reviewer.wait_for_url(live_server.url + "/admin/")

        # 3. The worker pushes both posts; the editor's 新媒体 tab shows the result and the links.
        wait_for(
            lambda: SyndicationJob.objects.filter(page=draft, state=JobState.PUBLISHED).count() == 2,
            60,
            "both posts to be published",
        )
        editor.goto(edit_url)
        editor.get_by_role("tab", name="新媒体").click()
        status = editor.locator("[data-syndication-status]")
        expect(status.get_by_role("row").filter(has_text="微信公众号·宿迁交通")).to_contain_text("已发布")
        expect(status.get_by_role("row").filter(has_text="微博·宿迁交通")).to_contain_text("已发布")
        screenshot(editor, "syndication-2-published-status")
        with editor.context.expect_page() as opened:
            status.get_by_role("link", name="查看文章").click()
        article = opened.value
        article.set_viewport_size({"width": 390, "height": 844})  # a phone
        expect(article.get_by_role("heading", level=1)).to_have_text(WECHAT_TITLE)
        expect(article.get_by_role("link", name="阅读原文")).to_have_attribute(
            "href", re.compile(r"https://jtj\.suqian\.gov\.cn/jgsz/bgs/2019-ncgl-tdsj-kg/$")
        )
        screenshot(article, "syndication-3-wechat-article-on-a-phone")
        with editor.context.expect_page() as opened:
            status.get_by_role("link", name="查看微博").click()
        expect(opened.value.get_by_text(WEIBO_TEXT)).to_be_visible()
