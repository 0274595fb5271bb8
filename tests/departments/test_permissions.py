"""Department boundaries, exercised through the Wagtail admin as an editor would."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission

from cms.departments.models import DepartmentPage
from cms.disclosure.models import DisclosureItemPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(tree):
    a = factories.make_department(
        tree["departments"], title="宿迁市交通运输局运输管理处", short_name="运输管理处"
    )
    b = factories.make_department(
        tree["departments"], title="宿迁市交通运输局建设管理处", short_name="建设管理处"
    )
    return a, b


def test_creating_a_department_creates_its_groups_scoped_to_its_subtree(two_departments):
    a, b = two_departments
    assert a.editors_group.name == "宿迁市交通运输局运输管理处·编辑"
    assert a.reviewers_group.name == "宿迁市交通运输局运输管理处·审核"
    editor_perms = set(
        GroupPagePermission.objects.filter(group=a.editors_group).values_list(
            "page_id", "permission__codename"
        )
    )
    reviewer_perms = set(
        GroupPagePermission.objects.filter(group=a.reviewers_group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert editor_perms == {(a.pk, "add_page"), (a.pk, "change_page")}
    assert (a.pk, "lock_page") in reviewer_perms
    assert (a.pk, "publish_page") not in reviewer_perms  # pages go live only through the review gate
    assert {page for page, _ in editor_perms | reviewer_perms} == {a.pk}
    assert a.collection.name == a.title
    assert a.editors_group.permissions.filter(codename="access_admin").exists()


def test_groups_survive_a_later_revision_of_the_department_page(two_departments):
    a, _ = two_departments
    groups = (a.editors_group_id, a.reviewers_group_id, a.collection_id)
    a.refresh_from_db()
    a.phone = "0527-84355052"
    factories.publish(a)
    a.refresh_from_db()
    assert (a.editors_group_id, a.reviewers_group_id, a.collection_id) == groups


def test_editor_of_a_cannot_edit_publish_or_move_pages_of_b(client, two_departments):
    a, b = two_departments
    own = factories.make_item(a, title="运输处的通知")
    foreign = factories.make_item(b, title="建设处的通知")
    editor = factories.make_user("ysglc_editor", groups=[a.editors_group])
    client.force_login(editor)

    # Own department: can open the editor and save a draft.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    # Another department: no editor, no publish, no move, no child pages, no delete.
    for name in ("edit", "delete", "move", "unpublish"):
        response = client.get(reverse(f"wagtailadmin_pages:{name}", args=[foreign.pk]))
        assert response.status_code in (302, 403), name
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[foreign.pk]),
        {"title": "篡改", "slug": foreign.slug, "action-publish": "publish"},
    )
    assert response.status_code in (302, 403)
    response = client.get(reverse("wagtailadmin_pages:add", args=["disclosure", "disclosureitempage", b.pk]))
    assert response.status_code in (302, 403)
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[own.pk, b.pk]))
    assert response.status_code in (302, 403)

    foreign.refresh_from_db()
    own.refresh_from_db()
    assert foreign.title == "建设处的通知"
    assert own.get_parent().pk == a.pk


def test_neither_editor_nor_reviewer_can_publish_directly_the_editor_submits(client, two_departments):
    a, _ = two_departments
    editor = factories.make_user("ysglc_editor", groups=[a.editors_group])
    reviewer = factories.make_user("ysglc_reviewer", groups=[a.reviewers_group])
    add_url = reverse("wagtailadmin_pages:add", args=["disclosure", "disclosureitempage", a.pk])
    form = {
        "title": "关于开展道路运输安全生产大检查的通知",
        "slug": "aqsc-jc",
        "body": '{"blocks":[{"key":"a","type":"unstyled","text":"各县区交通运输局：现就开展安全生产大检查通知如下。","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "category": "tzgg",
        "topic": "gl",
        "genre": "tz",
        "validity": "valid",
        "disclosure_mode": "active",
        **factories.empty_inlines(),
        "action-publish": "publish",
    }
    client.force_login(editor)
    response = client.post(add_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = DisclosureItemPage.objects.get(slug="aqsc-jc")
    assert not page.live and page.index_number is None  # an editor's publish button is not honoured

    client.force_login(reviewer)  # reviewers approve their stage of the gate; they do not publish directly
    edit_form = dict(
        form,
        slug="aqsc-jc",
        summary="开展道路运输安全生产大检查。",
        document_number="宿交发〔2019〕12号",
        written_date="2019-03-01",
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert not page.live

    client.force_login(editor)
    del edit_form["action-publish"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {**edit_form, "action-submit": "1"}
    )
    assert response.status_code == 302, factories.admin_errors(response)
    page.refresh_from_db()
    assert page.current_workflow_task.name == "政治关（处室负责人）"


def test_creating_a_department_in_the_admin_creates_its_groups(client, tree):
    admin = factories.make_user("root-admin", superuser=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=["departments", "departmentpage", tree["departments"].pk])
    response = client.post(
        url,
        {
            "title": "宿迁市交通运输局科技信息处",
            "slug": "kjxxc",
            "short_name": "科技信息处",
            "kind": "office",
            "org_code": factories.valid_org_code(777),
            "status": "active",
            "leaders-TOTAL_FORMS": "0",
            "leaders-INITIAL_FORMS": "0",
            "leaders-MIN_NUM_FORMS": "0",
            "leaders-MAX_NUM_FORMS": "1000",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "publish",
            "gate_bypass_reason": "机构改革后新设处室，按局党组决定发布",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = DepartmentPage.objects.get(slug="kjxxc")
    assert page.live
    assert page.editors_group.name == "宿迁市交通运输局科技信息处·编辑"
    codenames = set(
        GroupPagePermission.objects.filter(group=page.reviewers_group, page=page).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "lock_page", "unlock_page"}


def test_a_wrong_org_code_check_digit_is_refused_in_the_admin(client, tree):
    client.force_login(factories.make_user("root-admin", superuser=True))
    url = reverse("wagtailadmin_pages:add", args=["departments", "departmentpage", tree["departments"].pk])
    body = factories.valid_org_code(5)[:8]
    wrong = body + ("0" if factories.valid_org_code(5)[8] != "0" else "1")
    response = client.post(
        url,
        {
            "title": "某处",
            "slug": "mc",
            "short_name": "某处",
            "kind": "office",
            "org_code": wrong,
            "status": "active",
            "leaders-TOTAL_FORMS": "0",
            "leaders-INITIAL_FORMS": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 200
    assert "代码校验位不正确" in response.content.decode()
    assert not DepartmentPage.objects.filter(slug="mc").exists()
