"""The reorganization admin: bad input gets a clear error and changes nothing; preview, confirm, progress, CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.departments.models import DepartmentHistoryEntry, Reorganization
from cms.departments.reorganization import ReorganizationError, plan_for, run
from tests import factories

from .conftest import reorganization

pytestmark = pytest.mark.django_db

BASIS = {"document_number": "宿编〔2019〕12号", "effective_date": "2019-03-29", "note": ""}


def state():
    """Everything a reorganization could change."""
    return {
        "pages": list(Page.objects.order_by("pk").values()),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "memberships": sorted(Group.user_set.through.objects.values_list("user_id", "group_id")),
        "redirects": Redirect.objects.count(),
        "history": DepartmentHistoryEntry.objects.count(),
    }


@pytest.fixture
def admin_client(client):
    client.force_login(factories.make_user("admin", superuser=True))
    return client


def post(client, kind, data):
    return client.post(reverse("reorganizations:create", args=[kind]), {**BASIS, **data})


def test_merging_a_unit_into_itself_is_refused_with_a_clear_error(admin_client, org):
    glglc = org["units"]["glglc"]
    before = state()
    response = post(admin_client, "merge", {"sources": [glglc.pk], "target": glglc.pk})
    assert response.status_code == 400
    assert "不能把“宿迁市公路管理处”并入（划入）其自身" in response.content.decode()
    assert state() == before and not Reorganization.objects.exists()


def test_merging_a_unit_into_its_own_descendant_is_refused(admin_client, org):
    glglc = org["units"]["glglc"]
    child = Page.objects.child_of(glglc).first()
    before = state()
    response = post(admin_client, "merge", {"sources": [glglc.pk], "target": child.pk})  # a crafted POST
    assert response.status_code == 400
    assert f"不能把“宿迁市公路管理处”并入（划入）其下级页面“{child.title}”" in response.content.decode()
    # The same check runs when the task plans again: a record that got through is refused there.
    record = run(reorganization("merge", {"sources": [glglc.pk], "target": child.pk}).pk)
    assert record.status == "failed" and "其下级页面" in record.error and "未作任何更改" in record.error
    assert state() == before


def test_a_split_that_leaves_items_unassigned_is_refused(admin_client, org):
    units = org["units"]
    before = state()
    response = post(
        admin_client,
        "split",
        {
            "source": units["ysglc"].pk,
            "rules-TOTAL_FORMS": "3",
            "rules-INITIAL_FORMS": "0",
            "rules-0-target": units["xzspc"].pk,
            "rules-0-categories": ["bsfw"],
            "rules-1-target": units["zfzd"].pk,
            "rules-1-keywords": "网约车",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "拆分后仍有2个页面未分配承接机构" in html and "《关于调整市区部分公交线路的公告》" in html
    assert state() == before


def test_a_split_that_separates_a_policy_from_its_interpretation_is_refused(org):
    units = org["units"]
    spec = {
        "source": units["ysglc"].pk,
        "rules": [
            {"target": units["xzspc"].pk, "categories": ["bsfw", "zcwj", "tzgg", "gzdt"]},
            {"target": units["zfzd"].pk, "categories": ["zcjd"]},
        ],
    }
    with pytest.raises(ReorganizationError, match="政策文件与其解读须划入同一机构"):
        plan_for(Reorganization(kind="split", spec=spec, document_number="宿编〔2019〕1号"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "宿迁市公路事业发展中心"}, "机构名称“宿迁市公路事业发展中心”已被其他机构使用"),
        ({"short_name": "公路中心"}, "机构简称“公路中心”已被其他机构使用"),
        ({"slug": "glzx"}, "网址名称“glzx”已被同级页面使用"),
        ({"org_code": "123"}, "应为9位组织机构代码或18位统一社会信用代码"),
    ],
)
def test_a_rename_to_a_name_in_use_is_refused(admin_client, org, change, message):
    units = org["units"]
    glzx = units["glzx"]
    data = {
        "unit": units["glglc"].pk,
        "title": "宿迁市公路事业发展中心（筹）",
        "short_name": "公路事业中心",
        **change,
    }
    if "org_code" not in change:
        data["org_code"] = ""
    before = state()
    response = post(admin_client, "rename", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before and glzx.title == "宿迁市公路事业发展中心"


def test_a_rename_to_an_org_code_in_use_and_a_group_name_in_use_are_refused(org):
    units = org["units"]
    record = Reorganization(kind="rename", document_number="宿编〔2019〕1号")
    record.spec = {
        "unit": units["glglc"].pk,
        "title": "新名称",
        "short_name": "新简称",
        "org_code": units["glzx"].org_code,
    }
    with pytest.raises(ReorganizationError, match="已被“宿迁市公路事业发展中心”使用"):
        plan_for(record)
    Group.objects.create(name="宿迁市公路养护中心·编辑")
    record.spec = {"unit": units["glglc"].pk, "title": "宿迁市公路养护中心", "short_name": "养护中心"}
    with pytest.raises(ReorganizationError, match="用户组“宿迁市公路养护中心·编辑”已存在"):
        plan_for(record)


def test_other_bad_input_gets_a_message_not_a_500(admin_client, org):
    units = org["units"]
    assert "请选择要合并的机构" in post(admin_client, "merge", {"target": units["glzx"].pk}).content.decode()
    response = post(admin_client, "merge", {"sources": [units["glglc"].pk], "target": ""})
    assert response.status_code == 400 and "合并组建新机构至少需要两个原机构" in response.content.decode()
    response = post(
        admin_client,
        "rename",
        {**BASIS, "unit": units["glglc"].pk, "title": "宿迁市公路管理处", "short_name": "公路处"},
    )
    assert response.status_code == 400 and "没有需要更名的内容" in response.content.decode()
    response = post(
        admin_client,
        "transfer",
        {"source": units["glglc"].pk, "target": units["zfzd"].pk, "duty": "路政", "categories": ["zcwj"]},
    )
    assert response.status_code == 400 and "没有对应内容" in response.content.decode()
    response = post(admin_client, "abolish", {"unit": units["glglc"].pk, "document_number": ""})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["document_number"]
    response = post(
        admin_client,
        "transfer",
        {"source": units["glglc"].pk, "target": units["zfzd"].pk, "duty": "路政", "pages": "/jgsz/nowhere/"},
    )
    assert response.status_code == 400 and "第1行：找不到页面" in response.content.decode()
    assert admin_client.get(reverse("reorganizations:create", args=["dissolve"])).status_code == 404
    assert not Reorganization.objects.exists()


def test_an_already_retired_unit_cannot_be_reorganized_again(org):
    units = org["units"]
    run(reorganization("merge", {"sources": [units["glglc"].pk], "target": units["glzx"].pk}).pk)
    record = run(reorganization("abolish", {"unit": units["glglc"].pk, "successor": None}).pk)
    assert record.status == "failed" and "机构“宿迁市公路管理处”已合并，不能再调整" in record.error


def test_preview_then_confirm_queues_the_task_after_commit(
    admin_client, org, django_capture_on_commit_callbacks
):
    units = org["units"]
    glglc, glzx = units["glglc"], units["glzx"]
    response = post(admin_client, "merge", {"sources": [glglc.pk], "target": glzx.pk})
    assert response.status_code == 302, factories.admin_errors(response)
    record = Reorganization.objects.get()
    assert record.status == "preview" and record.summary == "宿迁市公路管理处并入宿迁市公路事业发展中心"

    preview = admin_client.get(response["Location"]).content.decode()
    assert "预览：确认前不会有任何更改" in preview
    assert "/jgsz/glglc/cy-ybbt/" in preview and "/jgsz/glzx/cy-ybbt/" in preview
    assert "2019年度报告 → 2019年度报告-glglc" in preview
    assert "glglc_editor" in preview and "加入“宿迁市公路事业发展中心·编辑”" in preview
    assert "整体并入宿迁市公路事业发展中心" in preview and Page.objects.child_of(glglc).count() == 7

    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(reverse("reorganizations:urls_csv", args=[record.pk])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0] == ["原网址", "新网址"] and len(rows) == 1 + 7
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("reorganizations:confirm", args=[record.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    record.refresh_from_db()
    assert record.status == "queued" and record.confirmed_by.username == "admin"
    assert Page.objects.child_of(glglc).count() == 7  # nothing happens before the task runs

    progress = admin_client.get(reverse("reorganizations:progress", args=[record.pk])).json()
    assert progress["status"] == "queued" and not progress["finished"]
    response = admin_client.post(reverse("reorganizations:confirm", args=[record.pk]))  # twice: refused
    assert Reorganization.objects.get().status == "queued"
    run(record.pk)
    progress = admin_client.get(reverse("reorganizations:progress", args=[record.pk])).json()
    assert progress["status"] == "done" and progress["finished"]
    assert progress["done"] == progress["total"] == 14  # 7 pages moved, 7 old URLs redirected
    result = admin_client.get(reverse("reorganizations:detail", args=[record.pk])).content.decode()
    assert "已完成" in result and "新建永久重定向 7 条" in result


def test_only_people_with_the_permission_reach_the_admin(client, org):
    units, people = org["units"], org["people"]
    editor = people["glglc_editor"]
    client.force_login(editor)
    record = reorganization(
        "merge", {"sources": [units["glglc"].pk], "target": units["glzx"].pk}, status="preview"
    )
    for url in (
        reverse("reorganizations:index"),
        reverse("reorganizations:create", args=["merge"]),
        reverse("reorganizations:detail", args=[record.pk]),
        reverse("reorganizations:progress", args=[record.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url  # Wagtail sends them to the dashboard
    assert client.post(reverse("reorganizations:confirm", args=[record.pk])).status_code in (302, 403)
    assert Reorganization.objects.get(pk=record.pk).status == "preview"
    group = Group.objects.create(name="机构编制管理")
    group.permissions.add(
        Permission.objects.get(codename="run_reorganization"), Permission.objects.get(codename="access_admin")
    )
    editor.groups.add(group)
    client.force_login(type(editor).objects.get(pk=editor.pk))
    assert client.get(reverse("reorganizations:index")).status_code == 200
    assert '"url": "/admin/reorganizations/"' in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_second_operation_waits_for_the_running_one(admin_client, org):
    units = org["units"]
    reorganization(
        "rename", {"unit": units["bgs"].pk, "title": "宿迁市交通运输局办公室（新）", "short_name": "局办"}
    )
    record = reorganization(
        "merge", {"sources": [units["glglc"].pk], "target": units["glzx"].pk}, status="preview"
    )
    response = admin_client.post(reverse("reorganizations:confirm", args=[record.pk]), follow=True)
    assert "正在执行，请待其完成后再确认" in response.content.decode()
    assert Reorganization.objects.get(pk=record.pk).status == "preview"


def test_moving_a_page_in_the_explorer_does_not_trip_the_gate(admin_client, org):
    """Wagtail's own move (MovePageAction) saves a base Page: the gate is not asked, the live revision stays, and
    Wagtail's automatic redirect is created."""
    from cms.review.models import GateBypass

    units = org["units"]
    page = org["real"]["live"]
    old_url, live_revision = page.url, page.live_revision_id
    bypasses = GateBypass.objects.count()
    response = admin_client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, units["glzx"].pk]))
    assert response.status_code == 302
    page = type(page).objects.get(pk=page.pk)
    assert page.get_parent().pk == units["glzx"].pk and page.live and page.live_revision_id == live_revision
    assert GateBypass.objects.count() == bypasses
    assert admin_client.get(old_url).status_code == 301


def test_an_administrator_records_earlier_history_shown_on_the_public_page(admin_client, client, org):
    glzx = org["units"]["glzx"]
    response = admin_client.post(
        reverse("department_history:add"),
        {
            "department": glzx.pk,
            "kind": "establish",
            "effective_date": "2003-06-30",
            "document_number": "宿编〔2003〕8号",
            "description": "设立宿迁市公路管理处",
        },
    )
    assert response.status_code == 302, factories.admin_errors(response)
    listing = admin_client.get(reverse("department_history:index")).content.decode()
    assert "设立宿迁市公路管理处" in listing
    html = client.get(glzx.url).content.decode()
    assert "设立：设立宿迁市公路管理处" in html and "宿编〔2003〕8号" in html and "2003-06-30" in html
