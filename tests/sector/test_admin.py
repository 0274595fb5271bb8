"""The editor's side: creating records in the page editor (empty 正文 written from the fields, names masked),
submitting them to the review gate, the 执法案件 admin (masked list), the 公开时限 report."""

import pytest
from django.urls import reverse

from cms.sector.models import EnforcementCase, EnforcementDecisionPage, ServiceItemPage
from tests import factories

from .conftest import PERSON, make_case

pytestmark = pytest.mark.django_db

DECISION_FORM = {
    "title": f"{PERSON}未取得道路运输经营许可擅自从事道路运输经营案行政处罚决定",
    "slug": "cf-admin",
    "decision_kind": "penalty",
    "decision_date": "2019-09-27",
    "case_number": "宿交执罚〔2019〕第0777号",
    "party_type": "person",
    "party_name": PERSON,
    "party_code": "",
    "facts": f"当事人{PERSON}驾驶小型客车擅自从事道路旅客运输经营。",
    "basis": "《中华人民共和国道路运输条例》第六十三条",
    "result": "罚款人民币贰万元整。",
    "body": "null",  # Draftail posts an empty editor as null
    "category": "xzzf",
    "topic": "gl",
    "genre": "jd",
    "validity": "valid",
    "disclosure_mode": "active",
    "keywords": "行政处罚,双公示",
    "summary": "",
}


def test_editor_creates_a_decision_and_submits_it_to_the_gate(client, zfzd):
    editor = factories.make_user("zfzd_editor", groups=[zfzd.editors_group])
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["sector", "enforcementdecisionpage", zfzd.pk])
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, {**DECISION_FORM, **factories.empty_inlines(), "action-submit": "1"})
    assert response.status_code == 302, factories.admin_errors(response)
    page = EnforcementDecisionPage.objects.get(slug="cf-admin")
    assert not page.live and page.current_workflow_task is not None  # in review, not published
    revision = page.latest_revision.as_object()
    assert revision.title.startswith("张某某") and "张某某" in revision.facts
    assert (
        PERSON not in revision.body and "罚款人民币贰万元整" in revision.body
    )  # 正文 written from the fields
    assert revision.summary.startswith("当事人张某某")
    assert page.publication_due.isoformat() == "2019-10-12"


def test_editor_form_errors_keep_what_was_typed(client, zfzd):
    client.force_login(factories.make_user("zfzd_editor", groups=[zfzd.editors_group]))
    add_url = reverse("wagtailadmin_pages:add", args=["sector", "enforcementdecisionpage", zfzd.pk])
    form = {**DECISION_FORM, "party_type": "organisation", "party_name": "宿迁市通达物流有限公司"}
    response = client.post(add_url, {**form, **factories.empty_inlines(), "action-submit": "1"})
    assert response.status_code == 200
    errors = " ".join(factories.admin_errors(response))
    assert "统一社会信用代码" in errors
    assert "宿迁市通达物流有限公司" in response.content.decode()


def test_editor_creates_a_service_item(client, tree):
    xzspc = factories.make_department(
        tree["departments"], title="宿迁市交通运输局行政审批处", short_name="行政审批处", slug="xzspc"
    )
    client.force_login(factories.make_user("xzspc_editor", groups=[xzspc.editors_group]))
    add_url = reverse("wagtailadmin_pages:add", args=["sector", "serviceitempage", xzspc.pk])
    form = {
        "title": "道路货物运输经营许可",
        "slug": "dlhy",
        "list_type": "power",
        "service_type": "xzxk",
        "provincial_code": "321300-XK-0101",
        "basis": "《中华人民共和国道路运输条例》第二十四条",
        "time_limit": "承诺5个工作日",
        "fees": "不收费",
        "online_url": "",
        "no_visit": "on",
        "body": factories.draftail(""),
        "category": "bsfw",
        "topic": "gl",
        "genre": "qt",
        "validity": "valid",
        "disclosure_mode": "active",
        "keywords": "办事指南",
        **factories.empty_inlines(),
    }
    response = client.post(add_url, form)
    assert response.status_code == 200
    assert "不见面审批事项须填写网上办理地址" in " ".join(factories.admin_errors(response))
    response = client.post(add_url, {**form, "online_url": "https://sq.jszwfw.gov.cn/"})
    assert response.status_code == 302, factories.admin_errors(response)
    assert ServiceItemPage.objects.get(slug="dlhy").summary


def test_case_admin_lists_parties_masked(client, zfzd):
    make_case(zfzd)
    client.force_login(factories.make_user("admin", superuser=True))
    listing = client.get(reverse("enforcementcase:index")).content.decode()
    assert "宿交执罚〔2019〕第0123号" in listing and "张某某" in listing and PERSON not in listing
    assert "告知" in listing  # the current stage


def test_case_admin_creates_a_case_with_a_code(client, zfzd):
    client.force_login(factories.make_user("admin", superuser=True))
    response = client.post(
        reverse("enforcementcase:add"),
        {
            "case_number": "宿交执罚〔2020〕第0001号",
            "kind": "penalty",
            "department": zfzd.pk,
            "cause": "超限运输",
            "party_type": "organisation",
            "party_name": "宿迁市通达物流有限公司",
            "accepted_on": "2020-01-06",
            "notified_on": "2020-01-10",
        },
    )
    assert response.status_code == 200  # 告知 without 调查: refused, at the field
    assert "请先填写之前环节的日期" in response.content.decode() or "请补填" in response.content.decode()
    assert not EnforcementCase.objects.exists()


def test_deadline_report_and_dashboard(client, zfzd):
    client.force_login(factories.make_user("admin", superuser=True))
    response = client.get(reverse("sector_deadlines"))
    assert response.status_code == 200 and "data-no-flags" in response.content.decode()
