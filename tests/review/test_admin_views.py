"""The gate in the admin: findings in the editor, 待我审核 with SLA, review statistics, column workflows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowTask

from cms.disclosure.models import ColumnPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.models import ReviewStage, ReviewStageTask
from cms.review.setup import DEFAULT_WORKFLOW_NAME
from tests import factories

from .conftest import VALID_ID
from .test_gate import act, draft, submit

pytestmark = pytest.mark.django_db


def test_findings_show_in_the_editor_with_location_and_suggested_fix(client, department, people):
    page = draft(
        department,
        body=f"<p>认真学习贯彻党十九大精神。</p><p>联系人身份证号{VALID_ID}，请核对。</p>",
    )
    client.force_login(people["editor"])
    response = client.get(reverse("review_check_page", args=[page.pk]), follow=True)
    html = response.content.decode()
    assert "内容检查发现 2 个必须修改的问题" in html
    assert "正文第1段" in html and "<mark>党十九大</mark>" in html and "党的十九大" in html
    assert "正文第2段" in html and "321302********" in html
    panel = html[
        html.index("data-review-checks") : html.index("</section>", html.index("data-review-checks"))
    ]
    assert "321302********" in panel and VALID_ID not in panel  # findings keep personal data masked


def test_the_check_view_is_refused_to_users_who_cannot_edit_the_page(client, department, tree):
    page = draft(department)
    other = factories.make_department(tree["departments"], title="宿迁市交通运输局财务审计处", slug="cwc")
    outsider = factories.make_user("cwc_editor", groups=[other.editors_group])
    client.force_login(outsider)
    response = client.get(reverse("review_check_page", args=[page.pk]))
    assert response.status_code in (302, 403) and not page.check_reports.exists()


def test_pending_reviews_show_age_in_working_days_and_flag_the_sla(client, department, people):
    fresh = submit(draft(department, title="关于开展交通运输安全生产月活动的通知"), people["editor"])
    old = submit(draft(department, title="关于调整市区公交票价的公告"), people["editor"])
    # 2019-12-02 (Monday) to 2019-12-06 (Friday): four working days at the 政治关.
    monday = timezone.make_aware(datetime.datetime(2019, 12, 2, 9, 0))
    TaskState.objects.filter(pk=old.current_workflow_task_state.pk).update(started_at=monday)
    TaskState.objects.filter(pk=fresh.current_workflow_task_state.pk).update(
        started_at=timezone.make_aware(datetime.datetime(2019, 12, 5, 9, 0))
    )
    from cms.review.views import pending_reviews

    rows, sla = pending_reviews(
        people["political"], now=timezone.make_aware(datetime.datetime(2019, 12, 6, 10))
    )
    assert sla == 2
    assert [(r["title"], r["age"], r["overdue"]) for r in rows] == [
        ("关于调整市区公交票价的公告", 4, True),
        ("关于开展交通运输安全生产月活动的通知", 1, False),
    ]
    assert pending_reviews(people["policy"])[0] == []  # not at the policy stage yet

    client.force_login(people["political"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待我审核" in html and "关于调整市区公交票价的公告" in html and "超过 2 个工作日时限" in html


def test_review_statistics_per_stage_and_department(client, department, people):
    page = submit(draft(department), people["editor"])
    for stage in ("political", "policy", "text"):
        act(client, people[stage], page, "approve")
    returned = submit(draft(department), people["editor"])
    act(client, people["political"], returned, "reject", comment="请补充附件")

    client.force_login(people["text"])
    response = client.get(reverse("review_statistics"))
    assert response.status_code == 200
    stages = {row["name"]: row for row in response.context["stage_rows"]}
    assert stages["政治关（处室负责人）"]["approved"] == 1 and stages["政治关（处室负责人）"]["rejected"] == 1
    assert stages["文字关"]["approved"] == 1
    (dept_row,) = response.context["department_rows"]
    assert (dept_row["name"], dept_row["submitted"], dept_row["published"], dept_row["returned"]) == (
        department.title,
        2,
        1,
        1,
    )
    assert client.get(reverse("review_statistics"), {"days": "很多"}).status_code == 400
    client.force_login(people["editor"])
    response = client.get(reverse("review_statistics"))
    assert response.status_code in (302, 403)


def test_a_column_can_name_its_own_workflow_and_a_department_assignment_wins(tree, department, people):
    legal = ReviewStageTask.objects.create(name="法律关", stage=ReviewStage.LEGAL)
    legal.groups.add(*people["policy"].groups.all())
    workflow = Workflow.objects.create(name="政策文件四审")
    for order, task in enumerate(Workflow.objects.get(name=DEFAULT_WORKFLOW_NAME).tasks.all()):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowTask.objects.create(workflow=workflow, task=legal, sort_order=10)
    column = ColumnPage.objects.get(category=Category.POLICY)
    column.workflow = workflow
    column.save()

    policy = DisclosureItemPage.objects.get(pk=draft(department, category=Category.POLICY).pk)
    notice = DisclosureItemPage.objects.get(pk=draft(department).pk)
    assert policy.get_workflow() == workflow
    assert notice.get_workflow().name == DEFAULT_WORKFLOW_NAME

    own = Workflow.objects.create(name="办公室两审")
    WorkflowPage.objects.create(page=department, workflow=own)
    assert DisclosureItemPage.objects.get(pk=policy.pk).get_workflow() == own
