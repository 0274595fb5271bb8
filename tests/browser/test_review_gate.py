import re

import pytest
from django.contrib.auth.models import Group

from cms.review.setup import POLICY_GROUP, TEXT_GROUP
from tests import factories

from .conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    return page


def dump(page, name):
    screenshot(page, name)
    ARTIFACTS.joinpath(f"{name}.html").write_text(page.content())


def test_explore(live_server, browser, department):
    factories.make_user("bgs_editor", groups=[department.editors_group])
    factories.make_user("bgs_reviewer", groups=[department.reviewers_group])
    factories.make_user("zcfgc_shenhe", groups=[Group.objects.get(name=POLICY_GROUP)])
    factories.make_user("bgs_wenzi", groups=[Group.objects.get(name=TEXT_GROUP)])
    page = open_as(browser, live_server, "bgs_editor")
    page.goto(f"{live_server.url}/admin/pages/add/disclosure/disclosureitempage/{department.pk}/")
    try:
        page.get_by_placeholder("页面标题*").fill("关于2019年国庆节期间道路运输保障工作的通知")
        body = page.get_by_role("textbox", name="正文")
        print("body count", body.count())
        body.click()
        page.keyboard.type("为做好2019年国庆节期间道路运输保障工作，现将有关事项通知如下。")
        page.keyboard.press("Enter")
        page.keyboard.type("各单位要加强值班值守，确保人民群众安全便捷出行。")
        page.get_by_role("tab", name="公开属性").click()
        page.get_by_label("组配分类").select_option(label="通知公告")
        page.get_by_label("关键词").fill("国庆节,道路运输,保障")
        page.get_by_label("内容概述").fill("部署2019年国庆节期间道路运输保障工作。")
        page.get_by_role("tab", name="推广").click()
        print("slug", repr(page.get_by_label("缩略名").input_value()))
        dump(page, "explore-filled")
    except Exception:
        dump(page, "explore-fail")
        raise
