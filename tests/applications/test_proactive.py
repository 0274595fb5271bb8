"""Art. 44: the same information asked for by several applicants is suggested for proactive disclosure, and one
click makes a draft item in the right department (which then goes through the review gate)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.applications import proactive, services
from cms.applications.models import InformationRequest
from cms.applications.similarity import info_key
from cms.applications.vocabularies import Outcome
from cms.disclosure.models import DisclosureItemPage
from tests import factories

from .conftest import id_number, make_request

pytestmark = pytest.mark.django_db
D = datetime.date


def test_info_key_normalises_titles_and_prefers_the_document_number():
    assert info_key("关于申请公开《宿迁市2019年农村公路提档升级工程计划》的相关信息") == info_key(
        "宿迁市 2019 年农村公路提档升级工程计划"
    )
    assert info_key("任意名称", "宿交发〔2019〕45号") == info_key("另一个名称", "宿交发[2019]45号")
    assert info_key("宿迁市2019年农村公路计划") != info_key("宿迁市2020年农村公路计划")


@pytest.fixture
def repeated(tree, department, clerk):
    construction = factories.make_department(
        tree["departments"], title="宿迁市交通运输局建设管理处", slug="jsglc"
    )
    first = make_request(
        D(2025, 9, 16), department=construction, info_title="宿迁市2019年农村公路提档升级工程计划"
    )
    services.reply(
        first,
        Outcome.DISCLOSED,
        D(2025, 9, 30),
        "见附件",
        clerk,
        files=[SimpleUploadedFile("plan.txt", "提档升级农村公路568公里".encode())],
    )
    make_request(
        D(2025, 10, 9),
        department=construction,
        info_title="申请公开《宿迁市2019年农村公路提档升级工程计划》",
        name="周兰芳",
        id_number=id_number("32130219590617128"),
    )
    # Asked twice by the same person: not "several applicants".
    make_request(D(2025, 9, 16), info_title="码头工程合同")
    make_request(D(2025, 9, 17), info_title="码头工程合同")
    return construction


def test_suggestions_group_distinct_applicants_with_a_disclosure(repeated):
    groups = proactive.repeated_requests()
    assert [(g.title, g.applicants, len(g.requests)) for g in groups] == [
        ("宿迁市2019年农村公路提档升级工程计划", 2, 2)
    ]
    assert groups[0].department == repeated


def test_one_click_draft_in_the_department(client, repeated, clerk):
    clerk.groups.add(repeated.editors_group)  # may edit the department's pages: the draft opens in the editor
    client.force_login(clerk)
    page_html = client.get("/admin/applications/suggestions/").content.decode()
    assert "宿迁市2019年农村公路提档升级工程计划" in page_html and "2 位申请人" in page_html
    assert "周兰芳" not in page_html  # masked: 周**
    key = proactive.repeated_requests()[0].key
    response = client.post(
        "/admin/applications/suggestions/", {"key": key, "department": repeated.pk, "category": "zdxm"}
    )
    draft = DisclosureItemPage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live and draft.get_parent().specific == repeated and draft.category == "zdxm"
    revision = draft.get_latest_revision_as_object()
    assert [a.document.file.read().decode() for a in revision.attachments.all()] == [
        "提档升级农村公路568公里"
    ]
    assert set(
        InformationRequest.objects.exclude(proactive_item=None).values_list("info_key", flat=True)
    ) == {key}
    assert proactive.repeated_requests() == []  # no longer suggested


def test_a_clerk_who_cannot_edit_that_department_is_told_where_the_draft_is(client, repeated, clerk):
    client.force_login(clerk)
    key = proactive.repeated_requests()[0].key
    response = client.post("/admin/applications/suggestions/", {"key": key, "department": repeated.pk})
    assert response.status_code == 302 and response["Location"] == "/admin/applications/suggestions/"
    assert DisclosureItemPage.objects.get().get_parent().specific == repeated
    assert "由该部门编辑完善" in client.get(response["Location"]).content.decode()
