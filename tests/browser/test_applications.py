"""依申请公开 in a real browser: a citizen applies online, staff confirm and reply in the admin, and the citizen
sees the reply through the status lookup."""

import re

import pytest
from django.contrib.auth.models import Group

from cms.applications.models import ApplicationPage, InformationRequest
from cms.applications.querysets import INTAKE_GROUP
from cms.applications.setup import ensure_groups
from tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
FIRST17 = "32130219850317123"
ID_NUMBER = FIRST17 + "10X98765432"[sum(int(d) * w for d, w in zip(FIRST17, ID_WEIGHTS, strict=True)) % 11]
PHONE = "13905271234"
TITLE = "宿迁市2019年农村公路提档升级工程计划"


@pytest.fixture
def apply_page(tree, department):
    ensure_groups()
    factories.make_user("ysq_clerk", groups=[Group.objects.get(name=INTAKE_GROUP)])
    return factories.add_page(
        tree["disclosure"], ApplicationPage(title="依申请公开", slug="ysqgk", body="<p>申请须知</p>")
    )


def test_citizen_applies_and_later_reads_the_reply(live_server, browser, apply_page):
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = citizen.new_page()
    try:
        page.goto(live_server.url + "/xxgk/ysqgk/")
        page.get_by_role("link", name="在线申请").click()
        page.wait_for_url("**/ysqgk/apply/")
        page.get_by_label("姓名或名称").fill("王晓燕")
        page.get_by_label("证件类型").select_option("resident_id")
        # A typo in the ID number: refused with a message at the field, everything typed is kept.
        page.get_by_label("证件号码").fill(ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2"))
        page.get_by_label("联系电话").fill(PHONE)
        page.get_by_label("电子邮箱").fill("wang@example.com")
        page.get_by_label("所需信息名称").fill(TITLE)
        page.get_by_label("所需信息的特征性描述").fill("包括各县区项目清单和补助标准。")
        page.get_by_label("电子邮件", exact=True).check()
        page.get_by_label("本人（单位）承诺所填信息真实有效").check()
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_selector("[data-form-error]")
        assert "身份证号码不正确" in page.locator("#id_id_number_error").inner_text()
        assert page.get_by_label("所需信息名称").input_value() == TITLE
        assert page.get_by_label("联系电话").input_value() == PHONE
        screenshot(page, "applications-form-error")
        page.get_by_label("证件号码").fill(ID_NUMBER)
        page.get_by_label("本人（单位）承诺所填信息真实有效").check()
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url("**/ysqgk/done/")
        code = page.locator("[data-tracking-code]").inner_text().strip()
        assert re.fullmatch(r"YSQ\d{4}[2-9A-Z]{8}", code)
        assert ID_NUMBER not in page.content()
        screenshot(page, "applications-done")
    finally:
        citizen.close()
    assert InformationRequest.objects.get().tracking_code == code

    # The intake office confirms receipt and replies in the admin.
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = staff.new_page()
    try:
        admin.goto(live_server.url + "/admin/login/")
        admin.get_by_label("用户名").fill("ysq_clerk")
        admin.get_by_label("密码").fill("pw-ysq_clerk")
        admin.get_by_role("button", name="登录").click()
        admin.wait_for_url(re.compile(r".*/admin/$"))
        panel = admin.locator("[data-applications-clock]")
        panel.get_by_role("link", name=code).click()
        admin.wait_for_url("**/admin/applications/process/*/")
        assert ID_NUMBER in admin.locator("[data-personal]").inner_text()
        screenshot(admin, "applications-process")
        admin.locator('[data-action="confirm"]').get_by_role("button", name="确认收到申请").click()
        admin.wait_for_selector("text=已完成：确认收到申请")
        assert "办理中" in admin.locator("[data-status]").inner_text()
        reply = admin.locator('[data-action="reply"]')
        if reply.get_attribute("open") is None:
            reply.locator("summary").click()
        reply.get_by_label("答复类型").select_option("disclosed")
        reply.get_by_label("答复内容").fill("所申请的计划全文见附件，共涉及提档升级农村公路568公里。")
        reply.get_by_role("button", name="作出答复").click()
        admin.wait_for_url("**/admin/applications/letter/*/")
        assert "政府信息公开申请答复书" in admin.content()
        screenshot(admin, "applications-letter")
    finally:
        staff.close()

    # Later, the citizen looks the request up with the code and the phone number.
    later = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = later.new_page()
    try:
        page.goto(live_server.url + "/xxgk/ysqgk/")
        page.get_by_role("link", name="办理进度查询").click()
        page.get_by_label("申请编号").fill(code)
        page.get_by_label("申请时填写的联系电话").fill(PHONE)
        page.get_by_role("button", name="查询").click()
        result = page.locator("[data-status-result]")
        result.wait_for()
        assert result.locator("[data-stage]").inner_text() == "答复"
        reply_text = result.locator("[data-reply]").inner_text()
        assert "共涉及提档升级农村公路568公里" in reply_text and "第三十六条第二项" in reply_text
        assert ID_NUMBER not in page.content() and PHONE not in page.content()
        screenshot(page, "applications-status")
    finally:
        later.close()
