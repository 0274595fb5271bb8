"""重大项目 and 公共资源配置: a project's progress timeline, approvals and deals; a deal's five-stage timeline with
missing and overdue stages flagged to editors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.sector.deadlines import deal_flags, deal_timeline
from cms.sector.models import DealStage, ProjectApproval, ProjectPage
from tests import factories

from .conftest import make_deal, make_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def jsglc(tree):
    return factories.make_department(
        tree["departments"], title="宿迁市交通运输局建设管理处", short_name="建设管理处", slug="jsglc"
    )


def test_timeline_with_a_missing_and_an_overdue_stage():
    stages = [
        DealStage(stage="notice", date=datetime.date(2019, 3, 29)),
        DealStage(stage="result", date=datetime.date(2019, 6, 12)),
        DealStage(stage="performance", due_date=TODAY - datetime.timedelta(days=1)),
    ]
    views = deal_timeline(stages)
    assert [v.stage.value for v in views] == ["notice", "qualification", "process", "result", "performance"]
    assert [v.state for v in views] == ["done", "missing", "missing", "done", "overdue"]
    assert [v.flagged for v in views] == [False, True, True, False, True]


def test_timeline_of_a_deal_in_progress():
    views = deal_timeline(
        [
            DealStage(stage="notice", date=datetime.date(2019, 3, 29)),
            DealStage(stage="qualification", due_date=TODAY + datetime.timedelta(days=3)),
        ]
    )
    assert [v.state for v in views] == ["done", "due", "pending", "pending", "pending"]


def test_deal_and_project_pages_show_the_timeline(client, jsglc):
    image = factories.make_image("宿连航道施工现场")
    project = make_project(
        jsglc,
        progress=[
            {"date": datetime.date(2019, 3, 31), "percent": 20, "text": "完成航道疏浚土方120万立方米。"},
            {
                "date": datetime.date(2019, 6, 30),
                "percent": 45,
                "text": "完成护岸工程18公里。",
                "image": image,
            },
        ],
    )
    project = ProjectPage.objects.get(pk=project.pk)
    project.approvals = [
        ProjectApproval(kind="design", document_number="苏交计〔2018〕88号", date=datetime.date(2018, 9, 20)),
        ProjectApproval(
            kind="construction", document_number="苏交建许〔2018〕12号", date=datetime.date(2018, 11, 30)
        ),
    ]
    factories.publish(project)
    deal = make_deal(
        jsglc,
        project=project,
        stages=[
            {"stage": "notice", "date": datetime.date(2019, 3, 29), "summary": "施工第五标段招标公告"},
            {
                "stage": "result",
                "date": datetime.date(2019, 6, 12),
                "summary": "中标人：江苏省交通工程集团有限公司",
            },
        ],
    )

    html = client.get(deal.url).content.decode()
    assert 'data-stage="qualification" data-state="missing"' in html
    assert 'data-stage="result" data-state="done"' in html and "2019-06-12" in html
    assert project.title in html and "data-project-link" in html

    html = client.get(project.url).content.decode()
    assert "45%" in html and "完成护岸工程18公里" in html and "352000.00万元" in html
    assert "苏交计〔2018〕88号" in html and "施工许可" in html
    assert deal.title in html and 'data-stage="qualification" data-state="missing"' in html
    assert html.index("完成航道疏浚土方") < html.index("完成护岸工程")  # in date order
    assert "<img" in html  # the site photo


def test_missing_and_overdue_stages_are_flagged_to_editors(client, jsglc):
    deal = make_deal(
        jsglc,
        stages=[
            {"stage": "notice", "date": datetime.date(2019, 3, 29)},
            {"stage": "process", "date": datetime.date(2019, 5, 29)},
            {"stage": "result", "due_date": TODAY - datetime.timedelta(days=2)},
        ],
    )
    problems = [f.problem for f in deal_flags() if f.page.pk == deal.pk]
    assert any("资格审查结果" in p and "缺少" in p for p in problems)
    assert any("成交信息" in p and "逾期" in p for p in problems)
    assert not any("合同履约信息" in p for p in problems)

    admin = factories.make_user("admin", superuser=True)
    client.force_login(admin)
    report = client.get(reverse("sector_deadlines")).content.decode()
    assert "缺少“资格审查结果”环节" in report
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-sector-panel" in dashboard and "资格审查结果" in dashboard


def test_project_dates_are_checked(jsglc):
    with pytest.raises(ValidationError) as raised:
        make_project(jsglc, planned_completion=datetime.date(2018, 1, 1))
    assert "planned_completion" in raised.value.message_dict


def test_projects_are_found_by_their_progress_text(client, jsglc):
    make_project(
        jsglc, progress=[{"date": datetime.date(2019, 6, 30), "percent": 45, "text": "完成护岸工程18公里。"}]
    )
    assert "宿连航道整治工程" in client.get("/search/", {"q": "护岸工程"}).content.decode()
