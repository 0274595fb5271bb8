"""互动交流 in a real browser: a citizen comments on a consultation and sends a message; an editor writes the
采纳情况 report (refused until every group not adopted has a reason), it passes the review gate and is public."""

import contextlib
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.participation.models import ConsultationComment, ConsultationPage, InteractionIndexPage, Message
from cms.participation.vocabularies import Moderation
from cms.review.setup import DEFAULT_WORKFLOW_NAME, POLICY_GROUP, TEXT_GROUP
from tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "建议10路公交在市第一人民医院增设站点，方便老年人就医。"


def _consultation(department, **dates):
    today = timezone.localdate()
    page = ConsultationPage(
        title="《宿迁市市区公交线路优化调整方案（征求意见稿）》公开征求意见",
        slug="gjxl-zqyj",
        summary="公开征求对市区公交线路优化调整方案的意见。",
        body="<p>一、调整10路走向，增设幸福路站点。</p>",
        explanation="<p>为对接宿迁站综合客运枢纽，起草了本方案。</p>",
        opens_on=dates.get("opens_on", today - datetime.timedelta(days=5)),
        closes_on=dates.get("closes_on", today + datetime.timedelta(days=24)),
    )
    return factories.add_page(department, page)


@contextlib.contextmanager
def context(browser, width=390, height=844):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def test_citizen_comments_on_a_consultation_and_sends_a_message(live_server, browser, tree, department):
    from playwright.sync_api import expect

    consultation = _consultation(department)
    board = factories.add_page(tree["home"], InteractionIndexPage(title="互动交流", slug="hdjl"))
    with context(browser) as page:
        page.goto(live_server.url + consultation.url)
        expect(page.locator("[data-status]")).to_contain_text("征求中")
        expect(page.locator("[data-countdown]")).to_contain_text("距截止还有 24 天")
        page.get_by_label("姓名或称呼").fill("陈立新")
        page.get_by_label("联系方式").fill("13805271111")
        page.get_by_label("意见内容").fill("好")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_selector("[data-form-error]")
        expect(page.locator("#id_body_error")).to_contain_text("意见内容过短")
        assert page.get_by_label("姓名或称呼").input_value() == "陈立新"  # kept
        screenshot(page, "participation-comment-error")
        page.get_by_label("意见内容").fill(COMMENT)
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_selector("[data-comment-submitted]")
        expect(page.locator(".approved-comments")).not_to_contain_text(COMMENT)  # held for moderation
        screenshot(page, "participation-comment-held")
    comment = ConsultationComment.objects.get()
    assert comment.status == Moderation.HELD and comment.body == COMMENT
    comment.status = Moderation.APPROVED
    comment.save()

    with context(browser) as page:
        page.goto(live_server.url + consultation.url)
        expect(page.locator("[data-comment]")).to_contain_text(COMMENT)
        expect(page.locator("[data-comment]")).to_contain_text("陈**")
        assert "13805271111" not in page.content()

        page.goto(live_server.url + board.url)
        page.get_by_role("link", name="我要留言").first.click()
        page.wait_for_url("**/hdjl/messages/write/")
        page.get_by_label("留言类别").select_option(label="咨询")
        page.get_by_label("留言对象").select_option(label=department.title)
        page.get_by_label("留言标题").fill("市区公交10路冬季末班车时间")
        page.get_by_label("留言内容").fill("请问市区公交10路冬季末班车几点从汽车客运站发车？")
        page.get_by_label("姓名").fill("王建国")
        page.get_by_label("联系电话").fill("1390527")  # a typo
        page.get_by_role("button", name="提交留言").click()
        page.wait_for_selector("[data-form-error]")
        expect(page.locator("#id_phone_error")).to_contain_text("联系电话应为11位手机号码")
        assert page.get_by_label("留言标题").input_value() == "市区公交10路冬季末班车时间"
        page.get_by_label("联系电话").fill("13905271234")
        page.get_by_role("button", name="提交留言").click()
        page.wait_for_url("**/hdjl/messages/done/")
        code = page.locator("[data-message-code]").inner_text().strip()
        screenshot(page, "participation-message-done")
    message = Message.objects.get()
    assert message.code == code and message.department == department and message.due_on


def test_editor_publishes_the_adoption_report(live_server, browser, department):
    from playwright.sync_api import expect

    today = timezone.localdate()
    consultation = _consultation(
        department, opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=3)
    )
    decision = factories.make_item(
        department, category="zcwj", title="宿迁市市区公交线路优化调整方案", slug="gjxl-fa"
    )
    editor = factories.make_user("bgs_editor", groups=[department.editors_group])
    reviewers = [
        factories.make_user("bgs_reviewer", groups=[department.reviewers_group]),
        factories.make_user("zcfgc_shenhe", groups=[Group.objects.get(name=POLICY_GROUP)]),
        factories.make_user("bgs_wenzi", groups=[Group.objects.get(name=TEXT_GROUP)]),
    ]
    with context(browser, 1280, 900) as page:
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("用户名").fill("bgs_editor")
        page.get_by_label("密码").fill("pw-bgs_editor")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/admin/$"))
        page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=(consultation.pk,)))
        page.get_by_role("tab", name="采纳情况").click()
        panel = page.get_by_role("tabpanel", name="采纳情况")
        for n, (summary, adoption) in enumerate(
            [("建议增设市一院站点", "采纳"), ("建议10路改为24小时运营", "不予采纳")]
        ):
            panel.get_by_role("button", name="增加 意见").first.click()
            row = panel.locator(f"#inline_child_opinion_groups-{n}")
            row.get_by_label("意见内容（归纳）").fill(summary)
            row.get_by_label("采纳情况").select_option(label=adoption)
        panel.get_by_role("checkbox", name="征求意见已完成").check()
        page.get_by_role("button", name="保存草稿").click()
        # Refused: the group not adopted has no reason. Nothing typed is lost.
        page.wait_for_load_state()
        page.get_by_role("tab", name="采纳情况").click()
        expect(panel.get_by_text("第2组意见“不予采纳”，须说明理由。")).to_be_visible()
        screenshot(page, "participation-report-refused")
        row = panel.locator("#inline_child_opinion_groups-1")
        assert row.get_by_label("意见内容（归纳）").input_value() == "建议10路改为24小时运营"
        row.get_by_label("理由或采纳方式").fill("夜间客流不足，24小时运营成本过高；夜间线路末班延长至22:30。")
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
        expect(page.get_by_role("status").locator("li.success")).to_be_visible()
        page.get_by_role("navigation", name="操作（页脚）").get_by_role("button", name="更多动作").click()
        page.get_by_role("button", name=f"提交给{DEFAULT_WORKFLOW_NAME}", exact=True).click()
        expect(page.get_by_role("status").locator("li.success")).to_contain_text("已经提交进行审核")

    for reviewer in (
        reviewers
    ):  # the three stages of the gate (their own browser flow is tests/browser/test_review_gate.py)
        state = ConsultationPage.objects.get(pk=consultation.pk).current_workflow_task_state
        state.task.specific.on_action(state, reviewer, "approve")
    page_obj = ConsultationPage.objects.get(pk=consultation.pk)
    assert page_obj.live and page_obj.completed and not page_obj.has_unpublished_changes
    assert page_obj.live_revision.user == editor
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        decision=decision
    )  # the decision, issued later

    with context(browser) as page:
        page.goto(live_server.url + consultation.url)
        report = page.locator("[data-adoption-report]")
        expect(report).to_contain_text("建议10路改为24小时运营")
        expect(report).to_contain_text("夜间客流不足")
        expect(report.locator('[data-adoption="not_adopted"]')).to_have_text("不予采纳")
        expect(page.locator("[data-status]")).to_contain_text("已完成")
        screenshot(page, "participation-report-public")
        page.goto(live_server.url + decision.url)
        expect(page.locator("[data-consultation-links]")).to_contain_text(consultation.title)
