"""The README's first command loads this demo: it must be complete, realistic and idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission, Page, PageLogEntry, Revision, TaskState

from cms.demo.loader import DEMO_IMPORT_REASON
from cms.departments.models import DepartmentPage
from cms.disclosure.models import ColumnPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.models import GateBypass
from cms.review.views import pending_reviews

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "permissions": GroupPagePermission.objects.count(),
        "documents": Document.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "index numbers": sorted(
            DisclosureItemPage.objects.exclude(index_number=None).values_list("index_number", flat=True)
        ),
        "latest revisions": list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id")),
    }


def test_demo_is_complete_and_loading_twice_changes_nothing(client):
    call_command("load_demo", password="demo-pass-123", quiet_accounts=True)
    first = snapshot()
    call_command("load_demo", password="demo-pass-123", quiet_accounts=True)
    assert snapshot() == first

    departments = DepartmentPage.objects.live().active()
    assert departments.count() >= 10
    names = set(departments.values_list("title", flat=True))
    assert {"宿迁市交通运输局办公室", "宿迁市交通运输综合行政执法支队", "宿迁市公路事业发展中心"} <= names
    assert DepartmentPage.objects.exclude(status="active").exists()  # units merged in the 2019 reform

    items = DisclosureItemPage.objects.live()
    assert items.count() >= 80
    assert items.filter(index_number__isnull=True).count() == 0
    assert set(items.values_list("category", flat=True)) == set(Category.values)
    assert items.filter(interprets__isnull=False).count() >= 5
    assert ColumnPage.objects.live().count() == len(Category)

    User = get_user_model()
    for department in departments:
        editors = User.objects.filter(groups=department.editors_group)
        reviewers = User.objects.filter(groups=department.reviewers_group)
        assert editors.exists() and reviewers.exists(), department
    signed_in = client.post("/admin/login/", {"username": "bgs_editor", "password": "demo-pass-123"})
    assert signed_in.status_code == 302, "the demo password works on the admin's login form"

    # Everything live went out as a recorded import, and two drafts wait in the review gate.
    assert GateBypass.objects.filter(reason=DEMO_IMPORT_REASON).count() >= items.count()
    waiting = {
        s.workflow_state.content_object.title: s.task.name
        for s in TaskState.objects.filter(status="in_progress").select_related("task", "workflow_state")
    }
    assert waiting == {
        "关于做好2020年元旦期间道路运输安全生产工作的通知": "政策关（含保密审查）",
        "关于2020年春运期间市区公交线路延时运营的公告": "政治关（处室负责人）",
    }
    rows, _sla = pending_reviews(User.objects.get(username="policy_reviewer"))
    assert [r["title"] for r in rows] == ["关于做好2020年元旦期间道路运输安全生产工作的通知"]
    rows, _sla = pending_reviews(User.objects.get(username="ysglc_reviewer"))
    assert [(r["title"], r["overdue"]) for r in rows] == [
        ("关于2020年春运期间市区公交线路延时运营的公告", True)
    ]

    seed = DisclosureItemPage.objects.get(slug="2019-zwgk-gzyd")
    assert "宿迁市交通运输局2019年政务公开工作要点" in seed.body
    assert seed.document_number == "宿交发〔2019〕45号"
    assert seed.interpretations.exists()
    for page in [seed, *ColumnPage.objects.all(), *departments]:
        assert client.get(page.url).status_code == 200, page

    # 依申请公开: requests at every stage, and last year's figures pass the annual report's check.
    from cms.applications.models import ApplicationPage, InformationRequest
    from cms.applications.reports import compute

    statuses = set(InformationRequest.objects.values_list("status", flat=True))
    assert {"registered", "processing", "supplement", "paused", "replied", "archived"} <= statuses
    assert InformationRequest.objects.filter(extension_days=20).exists()
    assert client.get(ApplicationPage.objects.get().url + "apply/").status_code == 200
    last_year = compute(timezone.localdate().year - 1)
    assert last_year.passed and last_year.table3["r7"]["total"] >= 6

    # 新媒体: the accounts, and two news items approved through the three stages whose posts wait in the outbox
    # for the worker (one per account they opted into); nothing that went out as an import is queued.
    from cms.review.models import GateRelease
    from syndication.models import Account, JobState, SyndicationJob

    assert set(Account.objects.values_list("channel", "name")) == {
        ("wechat", "宿迁交通"),
        ("wechat", "宿迁交通运输执法"),
        ("weibo", "宿迁交通"),
    }
    assert Account.objects.get(channel="weibo").weibo_authorized
    jobs = SyndicationJob.objects.select_related("page", "account")
    assert sorted((job.page.title, str(job.account)) for job in jobs) == [
        ("市交通运输局召开2019年政务公开工作推进会", "微信公众号·宿迁交通"),
        ("市交通运输局召开2019年政务公开工作推进会", "微博·宿迁交通"),
        ("行政执法案件办理进度实现网上实时查询", "微信公众号·宿迁交通运输执法"),
    ]
    assert {job.state for job in jobs} == {JobState.PENDING}
    assert {job.release_id for job in jobs} <= set(GateRelease.objects.values_list("pk", flat=True))
