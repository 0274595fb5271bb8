"""Each reorganization on a realistic tree: what moves, which URLs redirect, who keeps access, what history says."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageLogEntry, Revision

from cms.departments.models import DepartmentHistoryEntry, DepartmentPage, Reorganization
from cms.departments.reorganization import run
from cms.departments.tasks import reindex_pages
from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.review.gate import bypass
from cms.review.models import GateBypass, GateRelease
from tests import factories

from .conftest import items_for, reorganization

pytestmark = pytest.mark.django_db


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def children(unit):
    return {p.slug: p.specific for p in Page.objects.child_of(unit)}


def assert_redirects(client, old_url, page):
    response = client.get(old_url)
    assert response.status_code == 301, (old_url, response.status_code)
    assert response["Location"] == fresh(page).url
    assert client.get(response["Location"]).status_code == 200


def can_edit(user, page):
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per user object
    return page.permissions_for_user(user).can_edit()


def test_merge_into_an_existing_unit_moves_everything_and_keeps_history_true(client, org):
    units, people, real = org["units"], org["people"], org["real"]
    glglc, glzx = units["glglc"], units["glzx"]
    document = get_document_model()(title="桥梁检测方案", collection=glglc.collection)
    document.file.save("qljc.txt", ContentFile("桥梁检测方案全文".encode()), save=False)
    document.save()
    real["live"].attachments.add(
        DisclosureAttachment(document=document)
    )  # a live page's rows go through the gate
    factories.publish(real["live"])
    moving = {p.slug: p for p in Page.objects.child_of(glglc)}
    old_urls = {slug: page.url for slug, page in moving.items()}
    identity = {
        pk: (number, publisher)
        for pk, number, publisher in DisclosureItemPage.objects.child_of(glglc).values_list(
            "pk", "index_number", "publisher_name"
        )
    }
    revisions = list(Revision.objects.order_by("pk").values_list("pk", "object_id", "content"))
    live_revisions = dict(
        Page.objects.filter(pk__in=[p.pk for p in moving.values()]).values_list("pk", "live_revision")
    )
    bypasses, releases = GateBypass.objects.count(), GateRelease.objects.count()

    record = run(reorganization("merge", {"sources": [glglc.pk], "target": glzx.pk}).pk)

    assert record.status == Reorganization.Status.DONE, record.error
    assert record.summary == "宿迁市公路管理处并入宿迁市公路事业发展中心"
    # Every page moved under the successor, the clashing slug renamed; the old unit is empty but still there.
    after = children(glzx)
    assert {"2019年度报告", "2019年度报告-glglc", "cy-ybbt", "qljc", "yhzb", "ncgl-tdsj"} <= set(after)
    assert not Page.objects.child_of(glglc).exists()
    glglc, glzx = fresh(glglc), fresh(glzx)
    assert (glglc.status, glglc.live, glglc.numchild) == ("merged", True, 0)
    assert glzx.numchild == Page.objects.child_of(glzx).count() == 9
    # Every old URL answers with a permanent redirect to the page's new, live URL.
    for slug, old_url in old_urls.items():
        new_slug = "2019年度报告-glglc" if slug == "2019年度报告" else slug
        if moving[slug].live:
            assert_redirects(client, old_url, after[new_slug])
    assert Redirect.objects.filter(redirect_page__in=moving.values()).count() == sum(
        p.live for p in moving.values()
    )
    # 索引号 and 发布机构 unchanged; the item names its current unit too.
    moved_identity = DisclosureItemPage.objects.child_of(glzx).filter(pk__in=identity)
    assert {p.pk: (p.index_number, p.publisher_name) for p in moved_identity} == identity
    html = client.get(after["cy-ybbt"].url).content.decode()
    assert '宿迁市公路管理处（现：<a href="/jgsz/glzx/">宿迁市公路事业发展中心</a>）' in html
    # The review gate was not involved: no new revision, same live revision, no release or bypass.
    assert list(Revision.objects.order_by("pk").values_list("pk", "object_id", "content")) == revisions
    assert (
        dict(Page.objects.filter(pk__in=live_revisions).values_list("pk", "live_revision")) == live_revisions
    )
    assert (GateBypass.objects.count(), GateRelease.objects.count()) == (bypasses, releases)
    assert PageLogEntry.objects.filter(action="wagtail.move", page__in=moving.values()).count() == len(moving)
    # Editors and reviewers on both sides reach the moved content; the old unit's groups are gone.
    for name in ("glglc_editor", "glzx_editor"):
        assert can_edit(people[name], after["qljc"]), name
    assert not can_edit(people["ysglc_editor"], after["qljc"])
    assert set(people["glglc_editor"].groups.values_list("name", flat=True)) == {
        "宿迁市公路事业发展中心·编辑"
    }
    assert set(people["glglc_reviewer"].groups.values_list("name", flat=True)) == {
        "宿迁市公路事业发展中心·审核"
    }
    assert not Group.objects.filter(name__startswith="宿迁市公路管理处").exists()
    assert not can_edit(people["glglc_editor"], glglc)
    document.refresh_from_db()
    assert document.collection_id == glzx.collection_id
    # 机构沿革, on both units' public pages; the old unit's page points to its successor.
    assert list(glzx.predecessors.all()) == [glglc]
    html = client.get(glglc.url).content.decode()
    assert "本机构已已合并" not in html and "本机构已合并，职责由" in html
    assert (
        "合并：整体并入宿迁市公路事业发展中心" in html and "宿编〔2019〕12号" in html and "2019-03-29" in html
    )
    html = client.get(glzx.url).content.decode()
    assert "合并：宿迁市公路管理处并入本机构" in html and "前身机构" in html
    # The pending draft still publishes, at its new place.
    draft = fresh(real["draft_pending"])
    assert draft.has_unpublished_changes
    with bypass("测试：更正公告", user=None):
        draft.get_latest_revision().publish()
    draft = fresh(draft)
    assert draft.title == "公路养护工程招标公告（更正）" and draft.url == "/jgsz/glzx/yhzb/"


def test_a_renamed_slug_is_carried_by_the_revisions_so_a_later_publish_keeps_it(org):
    glglc, glzx = org["units"]["glglc"], org["units"]["glzx"]
    clash = factories.make_item(glzx, title="公路中心桥梁检测通知", slug="qljc")
    page = org["real"]["live"]
    run(reorganization("merge", {"sources": [glglc.pk], "target": glzx.pk}).pk)

    page = fresh(page)
    assert page.slug == "qljc-glglc" and page.url == "/jgsz/glzx/qljc-glglc/"
    assert {r.content["slug"] for r in Revision.page_revisions.filter(object_id=str(page.pk))} == {
        "qljc-glglc"
    }
    page.title = "关于国省干线公路桥梁检测工作的通知（修订）"
    factories.publish(page)
    assert fresh(page).url == "/jgsz/glzx/qljc-glglc/" and fresh(clash).url == "/jgsz/glzx/qljc/"


def test_merge_two_units_into_a_new_one_creates_it_through_a_recorded_bypass(client, org):
    units = org["units"]
    glglc, dfhsj = units["glglc"], units["dfhsj"]
    items_for(dfhsj, [("cy-ybbt", "春运期间水上交通安全保障工作安排", "gzdt", "春运")])  # a slug both have
    spec = {
        "sources": [glglc.pk, dfhsj.pk],
        "target": None,
        "new_unit": {
            "title": "宿迁市交通运输事业发展中心",
            "short_name": "交通事业中心",
            "org_code": glglc.org_code,  # the new centre keeps the 公路管理处's code
            "slug": "jtsyzx",
            "kind": "affiliated",
        },
    }
    record = run(reorganization("merge", spec, number="宿编〔2019〕20号").pk)

    assert record.status == "done", record.error
    new = DepartmentPage.objects.get(slug="jtsyzx")
    assert new.live and new.status == "active" and new.kind == "affiliated"
    assert set(Page.objects.child_of(new).values_list("slug", flat=True)) >= {
        "cy-ybbt",
        "cy-ybbt-dfhsj",
        "cy-sssaq",
        "qljc",
    }
    assert new.org_code == glglc.org_code
    assert new.editors_group.name == "宿迁市交通运输事业发展中心·编辑"
    assert set(new.editors_group.user_set.values_list("username", flat=True)) == {
        "glglc_editor",
        "dfhsj_editor",
    }
    assert "宿编〔2019〕20号" in GateBypass.objects.get(page=new).reason
    assert set(new.predecessors.values_list("slug", flat=True)) == {"glglc", "dfhsj"}
    assert "国省干线" in new.duties and "水上交通" in new.duties  # the duties of both, to edit from there
    assert fresh(dfhsj).status == "merged"
    html = client.get(new.url).content.decode()
    assert "由宿迁市公路管理处、宿迁市地方海事局合并组建" in html


def test_rename_renames_groups_and_collection_redirects_urls_and_keeps_publisher_names(client, org):
    units, people = org["units"], org["people"]
    ysglc = units["ysglc"]
    item = Page.objects.child_of(ysglc).get(slug="gjxl-ts").specific
    old_unit_url, old_item_url = ysglc.url, item.url
    new_code = factories.valid_org_code(902)
    spec = {
        "unit": ysglc.pk,
        "title": "宿迁市交通运输局运输服务处",
        "short_name": "运输服务处",
        "org_code": new_code,
        "slug": "ysfwc",
    }
    record = run(reorganization("rename", spec).pk)

    assert record.status == "done", record.error
    ysglc = fresh(ysglc)
    assert (ysglc.title, ysglc.short_name, ysglc.org_code, ysglc.url) == (
        "宿迁市交通运输局运输服务处",
        "运输服务处",
        new_code,
        "/jgsz/ysfwc/",
    )
    assert ysglc.editors_group.name == "宿迁市交通运输局运输服务处·编辑"
    assert ysglc.reviewers_group.name == "宿迁市交通运输局运输服务处·审核"
    assert ysglc.collection.name == "宿迁市交通运输局运输服务处"
    assert can_edit(people["ysglc_editor"], fresh(item))
    assert_redirects(client, old_unit_url, ysglc)
    assert_redirects(client, old_item_url, item)
    html = client.get(fresh(item).url).content.decode()
    assert (
        "宿迁市交通运输局运输管理处（现：" in html
        and fresh(item).specific.publisher_name == "宿迁市交通运输局运输管理处"
    )
    assert (
        "更名：“宿迁市交通运输局运输管理处”更名为“宿迁市交通运输局运输服务处”"
        in client.get(ysglc.url).content.decode()
    )
    # Items published from now on carry the new code in their 索引号.
    assert factories.make_item(ysglc, title="运输服务处成立后的第一条通知").index_number.startswith(
        new_code + "/"
    )


def test_a_unit_draft_from_before_the_rename_cannot_bring_the_old_name_back(org):
    ysglc = org["units"]["ysglc"]
    ysglc.phone = "0527-84355071"
    stale = ysglc.save_revision()  # drafted before the rename: carries the old name
    run(
        reorganization(
            "rename", {"unit": ysglc.pk, "title": "宿迁市交通运输局运输服务处", "short_name": "运输服务处"}
        ).pk
    )
    with bypass("测试：联系电话更新", user=None):
        Revision.objects.get(pk=stale.pk).publish()  # as a later approval loads it
    ysglc = fresh(ysglc)
    assert (ysglc.title, ysglc.short_name, ysglc.phone) == (
        "宿迁市交通运输局运输服务处",
        "运输服务处",
        "0527-84355071",
    )


def test_the_unit_editor_shows_the_structure_read_only(client, org):
    ysglc = org["units"]["ysglc"]
    client.force_login(factories.make_user("admin", superuser=True))
    from django.urls import reverse

    response = client.get(reverse("wagtailadmin_pages:edit", args=[ysglc.pk]))
    form = response.context["form"]
    assert all(form.fields[name].disabled for name in ("title", "short_name", "org_code", "slug", "status"))
    assert "机构调整" in form.fields["title"].help_text


def test_split_assigns_every_item_by_column_keyword_or_list(client, org):
    units, people = org["units"], org["people"]
    ysglc, xzspc, zfzd = units["ysglc"], units["xzspc"], units["zfzd"]
    guide = Page.objects.child_of(ysglc).get(slug="jsy-px")
    spec = {
        "source": ysglc.pk,
        "rules": [
            {"target": xzspc.pk, "categories": ["bsfw"], "people_follow": False},
            {
                "target": zfzd.pk,
                "keywords": ["网约车", "公交", "机动车维修"],
                "pages": [],
                "people_follow": True,
            },
        ],
    }
    record = run(reorganization("split", spec).pk)

    assert record.status == "done", record.error
    assert set(Page.objects.child_of(xzspc).values_list("slug", flat=True)) == {"bjy-qd", "dlys-xk", "jsy-px"}
    assert set(Page.objects.child_of(zfzd).values_list("slug", flat=True)) == {
        "czc-gl",
        "czc-gl-jd",
        "gjxl-ts",
        "wx-sc",
    }
    assert fresh(ysglc).status == "split"
    assert set(fresh(xzspc).predecessors.all()) == {fresh(ysglc)} == set(fresh(zfzd).predecessors.all())
    assert set(people["ysglc_editor"].groups.values_list("name", flat=True)) == {
        "宿迁市交通运输综合行政执法支队·编辑"
    }
    guide = fresh(guide)
    assert can_edit(people["xzspc_editor"], guide) and not can_edit(people["ysglc_editor"], guide)
    html = client.get(ysglc.url).content.decode()
    assert "拆分：拆分，职责和信息分别划入宿迁市交通运输局行政审批处、宿迁市交通运输综合行政执法支队" in html
    assert (
        "承接宿迁市交通运输局运输管理处拆分划入的职责和信息（2个页面）"
        in client.get(xzspc.url).content.decode()
    )


def test_transfer_moves_one_duty_with_its_content_and_the_unit_continues(client, org):
    units, people = org["units"], org["people"]
    glglc, zfzd = units["glglc"], units["zfzd"]
    spec = {"source": glglc.pk, "target": zfzd.pk, "duty": "公路路政执法", "categories": ["xzzf"]}
    record = run(reorganization("transfer", spec, number="宿编〔2019〕31号").pk)

    assert record.status == "done", record.error
    assert list(Page.objects.child_of(zfzd).values_list("slug", flat=True)) == ["zfgs"]
    assert Page.objects.child_of(glglc).count() == 6 and fresh(glglc).status == "active"
    moved = Page.objects.get(slug="zfgs")
    assert can_edit(people["zfzd_editor"], moved) and not can_edit(people["glglc_editor"], moved)
    assert people["glglc_editor"].groups.get().name == "宿迁市公路管理处·编辑"  # nobody changes groups
    history = DepartmentHistoryEntry.objects.filter(reorganization=record)
    assert {(e.department.slug, e.description) for e in history} == {
        ("glglc", "“公路路政执法”职责划转至宿迁市交通运输综合行政执法支队"),
        ("zfzd", "承接宿迁市公路管理处划入的“公路路政执法”职责和信息（1个页面）"),
    }


def test_abolish_with_a_successor_hands_everything_on(org):
    units, people = org["units"], org["people"]
    dfhsj, glzx = units["dfhsj"], units["glzx"]
    record = run(reorganization("abolish", {"unit": dfhsj.pk, "successor": glzx.pk}).pk)
    assert record.status == "done", record.error
    assert fresh(dfhsj).status == "abolished" and not Page.objects.child_of(dfhsj).exists()
    assert {"cy-sssaq", "fwr-jc"} <= set(Page.objects.child_of(glzx).values_list("slug", flat=True))
    assert "宿迁市公路事业发展中心·编辑" in people["dfhsj_editor"].groups.values_list("name", flat=True)


def test_abolish_to_the_archive_keeps_content_in_place_read_only(client, org):
    units, people = org["units"], org["people"]
    dfhsj = units["dfhsj"]
    item = Page.objects.child_of(dfhsj).get(slug="fwr-jc")
    url = item.url
    record = run(reorganization("abolish", {"unit": dfhsj.pk, "successor": None}).pk)

    assert record.status == "done", record.error
    assert fresh(item).url == url and client.get(url).status_code == 200  # nothing moves, no redirect needed
    assert not Redirect.objects.exists()
    assert not people["dfhsj_editor"].groups.exists() and not can_edit(people["dfhsj_editor"], item)
    assert "本机构已撤销，此前发布的信息在本页存档" in client.get(dfhsj.url).content.decode()
    catalogue = client.get(org["catalogue"].url).content.decode()
    assert f'?department={dfhsj.pk}">宿迁市地方海事局' in catalogue  # still holds content: still listed


def test_after_a_merge_listings_catalogue_and_sitemap_show_the_new_structure(client, org):
    units = org["units"]
    glglc, glzx = units["glglc"], units["glzx"]
    record = run(reorganization("merge", {"sources": [glglc.pk], "target": glzx.pk}).pk)

    column = client.get(org["columns"]["tzgg"].url).content.decode()
    assert 'href="/jgsz/glzx/g344-gg/"' in column and "/jgsz/glglc/g344-gg/" not in column
    catalogue = client.get(org["catalogue"].url + f"?department={glzx.pk}&category=tzgg").content.decode()
    assert "G344宿城段路面大修工程施工期间交通组织公告" in catalogue
    assert f'?department={glglc.pk}"' not in client.get(org["catalogue"].url).content.decode()
    # An old filter link keeps working: the unit's own publications, now under its successor.
    old_filter = client.get(org["catalogue"].url + f"?department={glglc.pk}")
    assert old_filter.status_code == 200 and 'href="/jgsz/glzx/g344-gg/"' in old_filter.content.decode()
    merged_page = client.get(glglc.url).content.decode()
    assert 'href="/jgsz/glzx/g344-gg/"' in merged_page  # the merged unit lists what it published
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/jgsz/glzx/g344-gg/" in sitemap and "/jgsz/glglc/g344-gg/" not in sitemap
    reindex_pages(record.pk)  # the task the merge queued after commit (tests/departments/test_worker.py)
    assert 'href="/jgsz/glzx/g344-gg/"' in client.get("/search/?q=G344").content.decode()


def test_translations_follow_their_source_unit(org):
    units = org["units"]
    glglc, glzx = units["glglc"], units["glzx"]
    english = Locale.objects.get(language_code="en")
    item = org["real"]["live"]
    translated = item.copy_for_translation(english, copy_parents=True)
    factories.publish(translated)
    glzx.copy_for_translation(english)

    record = run(reorganization("merge", {"sources": [glglc.pk], "target": glzx.pk}).pk)
    assert record.status == "done", record.error
    translated = fresh(translated)
    assert translated.get_parent().specific.translation_key == glzx.translation_key
    assert translated.get_parent().locale == english
    assert (
        DepartmentPage.objects.get(translation_key=glglc.translation_key, locale=english).status == "merged"
    )
    assert Redirect.objects.filter(redirect_page=translated, old_path__startswith="/en/").exists()


def test_content_of_a_translation_without_a_target_translation_is_refused(org):
    units = org["units"]
    english = Locale.objects.get(language_code="en")
    factories.publish(org["real"]["live"].copy_for_translation(english, copy_parents=True))
    record = run(reorganization("merge", {"sources": [units["glglc"].pk], "target": units["glzx"].pk}).pk)
    assert record.status == "failed"
    assert "没有English版" in record.error and "请先翻译承接机构" in record.error


def test_history_entries_are_in_date_order_on_the_public_page(client, org):
    glzx = org["units"]["glzx"]
    DepartmentHistoryEntry.objects.create(
        department=glzx,
        kind="establish",
        effective_date=datetime.date(2019, 3, 29),
        document_number="宿编〔2019〕12号",
        description="设立",
    )
    DepartmentHistoryEntry.objects.create(
        department=glzx,
        kind="transfer",
        effective_date=datetime.date(2018, 1, 1),
        document_number="",
        description="更早的事项",
    )
    html = client.get(glzx.url).content.decode()
    assert html.index("更早的事项") < html.index("设立：设立")


def test_saving_a_unit_in_the_editor_cannot_rename_it(client, org):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    ysglc = org["units"]["ysglc"]
    client.force_login(factories.make_user("admin", superuser=True))
    data = nested_form_data(
        {
            "title": "改名的运输管理处",
            "slug": "gmysglc",
            "short_name": "改名",
            "kind": ysglc.kind,
            "org_code": ysglc.org_code,
            "status": "abolished",
            "duties": rich_text("<p>负责道路运输行业管理。</p>"),
            "phone": "0527-84355071",
            "leaders": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[ysglc.pk]), data)
    assert response.status_code == 302, factories.admin_errors(response)
    draft = fresh(ysglc).get_latest_revision_as_object()
    assert draft.phone == "0527-84355071"  # the edit is kept
    assert (draft.title, draft.slug, draft.short_name, draft.status) == (
        "宿迁市交通运输局运输管理处",
        "ysglc",
        "运输管理处",
        "active",
    )
