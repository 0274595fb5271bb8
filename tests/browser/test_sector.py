"""行业领域公开 in a real browser: a citizen looks up a case's progress (a typo first), browses the 不见面清单 to
an item's guide, and follows a project's timeline to its deal."""

import datetime

import pytest

from cms.sector.models import ServiceListPage
from cms.sector.vocabularies import ServiceListKind
from tests import factories
from tests.sector.conftest import lookup_page, make_case, make_deal, make_decision, make_project, make_service  # noqa: F401

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def zfzd(tree):
    return factories.make_department(
        tree["departments"], title="宿迁市交通运输综合行政执法支队", short_name="执法支队", slug="zfzd"
    )


def test_citizen_looks_up_the_progress_of_a_case(page, live_server, lookup_page, zfzd):  # noqa: F811
    decision = make_decision(zfzd, case_number="宿交执罚〔2019〕第0123号")
    make_case(zfzd, decided_on=datetime.date(2019, 9, 27), decision=decision)

    page.goto(live_server.url + lookup_page.url)
    page.get_by_label("案件编号").fill("宿交执罚〔2019〕第0123号")
    page.get_by_label("查询码").fill("K7M2P9QA")  # one character wrong
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-lookup-error]")
    assert "未找到与该案件编号和查询码相符的案件" in page.locator("[data-lookup-error]").inner_text()
    assert page.get_by_label("案件编号").input_value() == "宿交执罚〔2019〕第0123号"  # nothing typed is lost

    page.get_by_label("查询码").fill("k7m2p9qx")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-case-result]")
    result = page.locator("[data-case-result]")
    assert result.locator("[data-current-stage]").inner_text() == "决定"
    assert "2019-09-27" in result.inner_text() and "张某某" in result.inner_text()
    assert "张三丰" not in page.content()
    current = result.locator('[aria-current="step"]')
    assert "决定" in current.inner_text()
    screenshot(page, "sector-case-lookup")
    result.get_by_role("link", name=decision.title).click()
    page.wait_for_url("**" + decision.url)
    assert "宿交执罚〔2019〕第0123号" in page.locator("[data-decision]").inner_text()


def test_citizen_browses_the_no_visit_list(page, live_server, tree):
    xzspc = factories.make_department(
        tree["departments"], title="宿迁市交通运输局行政审批处", short_name="行政审批处", slug="xzspc"
    )
    no_visit = factories.add_page(
        tree["disclosure"],
        ServiceListPage(title="不见面清单", slug="bjmqd", list_kind=ServiceListKind.NO_VISIT),
    )
    make_service(xzspc, title="道路货物运输经营许可", no_visit=True)
    make_service(xzspc, title="道路运输从业人员从业资格考试", one_visit=True)

    page.goto(live_server.url + tree["disclosure"].url)
    page.get_by_role("link", name="不见面清单").first.click()
    page.wait_for_url("**" + no_visit.url)
    table = page.locator("[data-service-list]")
    assert page.locator("[data-count]").inner_text() == "1"
    assert "道路货物运输经营许可" in table.inner_text()
    assert "道路运输从业人员从业资格考试" not in table.inner_text()
    screenshot(page, "sector-no-visit-list")
    table.get_by_role("link", name="道路货物运输经营许可").click()
    page.wait_for_selector("[data-service]")
    assert "不见面审批（全程网办）" in page.locator("[data-field=visits]").inner_text()
    assert "道路货物运输经营申请表" in page.locator("[data-service]").inner_text()


def test_citizen_follows_a_project_timeline_to_its_deal(page, live_server, tree):
    jsglc = factories.make_department(
        tree["departments"], title="宿迁市交通运输局建设管理处", short_name="建设管理处", slug="jsglc"
    )
    project = make_project(
        jsglc,
        progress=[
            {"date": datetime.date(2019, 3, 31), "percent": 38, "text": "疏浚土方累计860万立方米。"},
            {"date": datetime.date(2019, 6, 30), "percent": 52, "text": "护岸工程累计完成28.4公里。"},
        ],
    )
    deal = make_deal(
        jsglc,
        project=project,
        stages=[
            {"stage": "notice", "date": datetime.date(2019, 4, 22)},
            {
                "stage": "result",
                "date": datetime.date(2019, 6, 20),
                "summary": "中标人：江苏运河航务工程有限公司",
            },
        ],
    )

    page.goto(live_server.url + tree["columns"]["zdxm"].url)
    page.get_by_role("link", name=project.title).click()
    page.wait_for_selector("[data-project-timeline]")
    entries = page.locator("[data-project-timeline] li")
    assert entries.count() == 2
    assert "38%" in entries.nth(0).inner_text() and "52%" in entries.nth(1).inner_text()
    assert "52%" in page.locator("[data-field=percent]").inner_text()
    stages = page.locator("[data-deal-timeline] li")
    assert stages.count() == 5
    assert (
        page.locator('[data-deal-timeline] [data-stage="qualification"]').get_attribute("data-state")
        == "missing"
    )
    screenshot(page, "sector-project-timeline")
    page.get_by_role("link", name=deal.title).click()
    page.wait_for_selector("[data-deal]")
    assert "中标人：江苏运河航务工程有限公司" in page.locator("[data-deal-timeline]").inner_text()
    page.locator("[data-project-link]").click()
    page.wait_for_selector("[data-project-timeline]")
