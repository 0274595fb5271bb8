import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.core.workdays import clear_cache
from cms.participation.models import (
    ConsultationPage,
    EmergencyIncidentPage,
    InteractionIndexPage,
    InterviewPage,
    Message,
    OpinionGroup,
)
from cms.participation.querysets import MANAGERS_GROUP
from cms.participation.setup import ensure_groups
from tests import factories

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def tree(db):
    """The home page and 机构设置 only: these tests need no columns or catalogue (and run much faster)."""
    from cms.departments.models import DepartmentIndexPage
    from home.bootstrap import ensure_home_page

    home = ensure_home_page()
    departments = factories.add_page(
        home, DepartmentIndexPage(title="机构设置", slug="jgsz", show_in_menus=True)
    )
    return {"home": home, "departments": departments}


@pytest.fixture(autouse=True)
def _calendar():
    clear_cache()
    yield
    clear_cache()


def make_consultation(department, *, opens_on=None, closes_on=None, live=True, groups=(), **fields):
    today = timezone.localdate()
    opens_on = opens_on or today - datetime.timedelta(days=10)
    closes_on = closes_on or opens_on + datetime.timedelta(days=29)
    fields.setdefault("title", "宿迁市农村公路养护管理办法（征求意见稿）")
    fields.setdefault("slug", f"zqyj-{opens_on:%Y%m%d}-{closes_on:%Y%m%d}")
    fields.setdefault("body", "<p>第一条 为加强农村公路养护管理，根据《公路法》制定本办法。</p>")
    fields.setdefault("explanation", "<p>为落实“四好农村路”建设要求，起草了本办法。</p>")
    fields.setdefault("summary", "公开征求对农村公路养护管理办法的意见。")
    page = ConsultationPage(opens_on=opens_on, closes_on=closes_on, **fields)
    for n, (adoption, reason) in enumerate(groups):
        page.opinion_groups.add(
            OpinionGroup(summary=f"第{n + 1}组意见", count=2, adoption=adoption, reason=reason)
        )
    return factories.add_page(department, page, live=live)


@pytest.fixture
def consultation(department):
    return make_consultation(department)


@pytest.fixture
def board(tree):
    return factories.add_page(tree["home"], InteractionIndexPage(title="互动交流", slug="hdjl"))


@pytest.fixture
def manager(db):
    ensure_groups()
    user = factories.make_user("hd_manager", groups=[Group.objects.get(name=MANAGERS_GROUP)])
    user.email = "hd@example.com"
    user.save()
    return user


def make_message(department=None, received_on=None, **fields):
    fields.setdefault("category", "consult")
    fields.setdefault("subject", "市区公交10路末班车时间咨询")
    fields.setdefault("body", "请问市区公交10路冬季末班车几点发车？")
    fields.setdefault("name", "王建国")
    fields.setdefault("phone", "13905271234")
    message = Message(department=department, received_on=received_on or timezone.localdate(), **fields)
    message.full_clean()
    message.save()
    return message


def make_incident(department, occurred_at=None, live=False, **fields):
    fields.setdefault("title", "关于京杭运河宿迁段船舶碰撞事故的通报")
    fields.setdefault("slug", "cbpz-tb")
    fields.setdefault("summary", "京杭运河宿迁段发生船舶碰撞事故，搜救工作正在进行。")
    fields.setdefault("body", "<p>事故发生后，市交通运输局立即启动应急预案，组织开展搜救。</p>")
    page = EmergencyIncidentPage(occurred_at=occurred_at or timezone.now(), **fields)
    return factories.add_page(department, page, live=live)


def make_interview(board, starts_at=None, live=True, **fields):
    from cms.participation.models import InterviewGuest

    fields.setdefault("title", "畅通农村公路 服务乡村振兴——市交通运输局负责人做客在线访谈")
    fields.setdefault("slug", "zxft-1")
    fields.setdefault("summary", "介绍2019年农村公路提档升级工程和城乡公交一体化工作。")
    page = InterviewPage(starts_at=starts_at or timezone.now() + datetime.timedelta(days=7), **fields)
    page.guests.add(InterviewGuest(name="张志远", position="市交通运输局副局长"))
    return factories.add_page(board, page, live=live)
