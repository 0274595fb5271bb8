"""The editorial gate end to end: three stages by three people, rejections, pairing, checks, scheduling, bypass."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import GateRefused, bypass, publish_due_revisions
from cms.review.models import GateBypass, GateRelease
from cms.review.signals import page_released
from tests import factories

from .conftest import VALID_ID, make_document, pdf_bytes

pytestmark = pytest.mark.django_db


def draft(department, user=None, **fields):
    return factories.make_item(
        department, category=fields.pop("category", Category.NOTICES), live=False, user=user, **fields
    )


def submit(page, user):
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, user)
    return page


def current_task_state(page):
    return DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state


def act(client, user, page, action, comment=""):
    """Approve or reject the current stage through Wagtail's admin workflow action view."""
    state = current_task_state(page)
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, {"comment": comment})


def refused_by_wagtail(response):
    """Wagtail answers a forbidden admin action by redirecting to the dashboard with an error message."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def test_three_stages_by_three_people_publish_and_emit_one_event(
    client, department, people, django_capture_on_commit_callbacks
):
    page = draft(department, user=people["editor"], title="关于2019年春运道路运输安全工作的通知")
    events = []
    page_released.connect(lambda sender, release, **kw: events.append(release), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            submit(page, people["editor"])
            state = current_task_state(page)
            assert state.task.name == "政治关（处室负责人）"  # the automated check passed on its own
            # Only the stage's reviewers may act; the editor may not approve their own page.
            for outsider in ("policy", "editor"):
                refused_by_wagtail(act(client, people[outsider], page, "approve"))
                assert current_task_state(page) == state and state.status == TaskState.STATUS_IN_PROGRESS
            for stage in ("political", "policy", "text"):
                assert not DisclosureItemPage.objects.get(pk=page.pk).live
                response = act(client, people[stage], page, "approve", comment=f"{stage} 同意")
                assert response.status_code == 302
    finally:
        page_released.disconnect(dispatch_uid="t1")

    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.live and page.index_number
    release = GateRelease.objects.get(page=page)
    assert events == [release]
    assert release.revision_id == page.live_revision_id and release.via == "workflow"
    assert [a["user"] for a in release.approvals] == ["", "bgs_reviewer", "zcfgc_shenhe", "bgs_wenzi"]
    assert [a["stage"] for a in release.approvals] == ["automated", "political", "policy", "text"]
    approvals = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").order_by(
        "timestamp"
    )
    assert [e.user.username for e in approvals] == ["bgs_reviewer", "zcfgc_shenhe", "bgs_wenzi"]
    assert approvals.first().data["comment"] == "political 同意"
    assert PageLogEntry.objects.filter(page=page, action="review.released").count() == 1


def test_one_person_cannot_approve_two_stages(client, department, people):
    people["political"].groups.add(*people["policy"].groups.all())  # also in the policy group
    page = submit(draft(department), people["editor"])
    assert act(client, people["political"], page, "approve").status_code == 302
    state = current_task_state(page)
    assert state.task.name == "政策关（含保密审查）"
    refused_by_wagtail(act(client, people["political"], page, "approve"))
    assert current_task_state(page) == state


def test_a_rejection_returns_the_page_to_its_editor_with_the_comment(client, department, people):
    page = submit(draft(department, title="关于调整公交线路的公告"), people["editor"])
    act(client, people["political"], page, "approve")
    response = act(client, people["policy"], page, "reject", comment="第二段引用的文号有误，请核对")
    assert response.status_code == 302
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    entry = PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject")
    assert entry.user.username == "zcfgc_shenhe" and entry.data["comment"] == "第二段引用的文号有误，请核对"
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "第二段引用的文号有误，请核对" in html


def test_nothing_goes_live_without_the_gate_from_code(department):
    page = draft(department)
    with pytest.raises(GateRefused):
        page.save_revision().publish()
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.live = True
    with pytest.raises(GateRefused):
        page.save()
    assert not DisclosureItemPage.objects.get(pk=page.pk).live


def policy_and_interpretation(department, other_department=None, **policy_fields):
    policy = draft(
        department,
        category=Category.POLICY,
        needs_interpretation=True,
        title="宿迁市交通运输局关于进一步加强政务公开工作的意见",
        genre="yj",
        document_number="宿交发〔2019〕45号",
        written_date=timezone.localdate(),
        **policy_fields,
    )
    interpretation = draft(
        other_department or department,
        category=Category.INTERPRETATION,
        title="《关于进一步加强政务公开工作的意见》政策解读",
        interprets=policy,
    )
    return policy, interpretation


def test_a_policy_without_interpretation_is_refused_at_submit_and_publish(client, department, people):
    policy = draft(
        department,
        category=Category.POLICY,
        needs_interpretation=True,
        genre="yj",
        document_number="宿交发〔2019〕46号",
        written_date=timezone.localdate(),
    )
    # Outside the admin: the workflow API and the publish API both refuse.
    with pytest.raises(GateRefused, match="政策解读"):
        submit(policy, people["editor"])
    assert not WorkflowState.objects.filter(object_id=str(policy.pk)).exists()
    with pytest.raises(GateRefused, match="政策解读"), bypass("测试", user=None):
        DisclosureItemPage.objects.get(pk=policy.pk).save_revision().publish()
    # In the admin: the submit becomes a form error and the editor's text is kept.
    client.force_login(people["editor"])
    form = edit_form(policy, title="修改后的标题仍然保留", **{"action-submit": "submit"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[policy.pk]), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "谁起草谁解读" in html and "修改后的标题仍然保留" in html
    assert not WorkflowState.objects.filter(object_id=str(policy.pk)).exists()


def test_an_interpretation_from_another_department_does_not_count(department, tree, people):
    other = factories.make_department(tree["departments"], title="宿迁市交通运输局政策法规处", slug="zcfgc")
    policy, _interpretation = policy_and_interpretation(department, other_department=other)
    with pytest.raises(GateRefused, match="谁起草谁解读"):
        submit(policy, people["editor"])


def test_policy_and_interpretation_pass_the_gate_together_and_link_each_other(client, department, people):
    policy, interpretation = policy_and_interpretation(department)
    with pytest.raises(GateRefused, match="随政策文件同步审核"):
        submit(interpretation, people["editor"])  # the interpretation alone is not submitted
    submit(policy, people["editor"])
    for stage in ("political", "policy", "text"):
        assert act(client, people[stage], policy, "approve").status_code == 302
    policy = DisclosureItemPage.objects.get(pk=policy.pk)
    interpretation = DisclosureItemPage.objects.get(pk=interpretation.pk)
    assert policy.live and interpretation.live
    paired = GateRelease.objects.get(page=interpretation)
    assert paired.via == "paired" and paired.paired_with_id == policy.pk
    assert [a["user"] for a in paired.approvals][1:] == ["bgs_reviewer", "zcfgc_shenhe", "bgs_wenzi"]
    client.logout()
    assert interpretation.url in client.get(policy.url).content.decode()
    assert policy.url in client.get(interpretation.url).content.decode()


def test_an_id_number_in_a_pdf_attachment_blocks_publication(department, people):
    page = draft(department, title="关于2019年度道路运输从业人员资格考试合格人员名单的公示")
    pdf = pdf_bytes(["宿迁市道路运输从业人员资格考试合格人员名单", f"张三  {VALID_ID}  道路货物运输驾驶员"])
    document = make_document("合格人员名单", "hege.pdf", pdf)
    DisclosureAttachment.objects.create(page=page, document=document, sort_order=0)
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.save_revision(user=people["editor"])
    submit(page, people["editor"])
    state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES  # sent back by the automated check
    rejected = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_REJECTED)
    assert "附件《合格人员名单》第2页" in rejected.comment and VALID_ID not in rejected.comment
    assert "321302********" in rejected.comment
    with pytest.raises(GateRefused, match="身份证"), bypass("紧急发布", user=None):
        DisclosureItemPage.objects.get(pk=page.pk).get_latest_revision().publish()
    assert not DisclosureItemPage.objects.get(pk=page.pk).live


def test_scheduled_publishing_goes_through_the_gate(client, department, people):
    page = draft(department)
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.go_live_at = timezone.now() + timezone.timedelta(hours=2)
    page.save_revision(user=people["editor"])
    submit(page, people["editor"])
    for stage in ("political", "policy", "text"):
        act(client, people[stage], page, "approve")
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert not page.live
    revision = Revision.objects.get(pk=page.latest_revision_id)
    assert revision.approved_go_live_at is not None
    assert not GateRelease.objects.filter(page=page).exists()
    assert publish_due_revisions() == (0, 0)  # not yet
    come_due(revision)
    assert publish_due_revisions() == (1, 0)
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.live and GateRelease.objects.filter(page=page, revision=revision).exists()
    assert (
        page.publish_date >= revision.approved_go_live_at
        if revision.approved_go_live_at
        else page.publish_date
    )


def come_due(revision):
    """The approved go-live time has come (as if the clock had moved on to it)."""
    revision.refresh_from_db()
    past = timezone.now() - timezone.timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


def test_a_back_dated_go_live_time_is_refused_in_the_admin(client, department, people):
    page = draft(department)
    client.force_login(people["editor"])
    past = (timezone.localtime() - timezone.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    form = edit_form(page, go_live_at=past, **{"action-submit": "submit"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    assert response.status_code == 200
    assert "不得倒签" in response.content.decode()


def test_superuser_bypass_needs_a_reason_and_is_reported(client, department):
    admin = factories.make_user("root-admin", superuser=True)
    page = draft(department, title="关于暴雪天气高速公路临时封闭的紧急通知")
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, edit_form(page, **{"action-publish": "publish"}))
    assert response.status_code == 200 and "请填写理由" in response.content.decode()
    assert not DisclosureItemPage.objects.get(pk=page.pk).live
    reason = "暴雪应急，经分管局领导电话同意先行发布"
    response = client.post(url, edit_form(page, gate_bypass_reason=reason, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.live
    record = GateBypass.objects.get(page=page)
    assert record.user == admin and record.reason == reason and record.revision_id == page.live_revision_id
    assert not GateRelease.objects.filter(page=page).exists()  # a bypass is not a gate approval
    report = client.get(reverse("review_bypass_report")).content.decode()
    assert reason in report and page.title in report


def edit_form(page, **overrides):
    page = DisclosureItemPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    form = {
        "title": page.title,
        "slug": page.slug,
        "body": factories.draftail(page.body),
        "category": page.category,
        "topic": page.topic,
        "genre": page.genre,
        "document_number": page.document_number,
        "written_date": page.written_date.isoformat() if page.written_date else "",
        "validity": page.validity,
        "disclosure_mode": page.disclosure_mode,
        "summary": page.summary,
        "keywords": page.keywords,
        "needs_interpretation": "on" if page.needs_interpretation else "",
        "interpretation_format": page.interpretation_format,
        **factories.empty_inlines(),
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v != ""}


@pytest.mark.parametrize(
    "fields,expected",
    [
        (
            {"interpretation_format": "video", "interpretation_url": "https://jtj.suqian.gov.cn/v/jd.mp4"},
            "<video",
        ),
        (
            {"interpretation_format": "h5", "interpretation_url": "https://jtj.suqian.gov.cn/h5/jd/"},
            "打开H5解读",
        ),
    ],
)
def test_interpretation_forms_render_on_the_public_page(client, department, fields, expected):
    policy = factories.make_item(department, category=Category.POLICY)
    page = factories.make_item(department, category=Category.INTERPRETATION, interprets=policy, **fields)
    html = client.get(page.url).content.decode()
    assert expected in html and fields["interpretation_url"] in html


def test_an_interpretation_form_needs_its_media(department):
    with pytest.raises(ValidationError, match="图解形式的解读请上传图解图片"):
        draft(department, category=Category.INTERPRETATION, interpretation_format="graphic")


def test_a_page_created_live_in_code_or_copied_live_starts_as_a_draft(department):
    page = DisclosureItemPage(
        title="关于开展交通运输安全生产检查的通知",
        slug="aqjc",
        category=Category.NOTICES,
        body="<p>通知正文。</p>",
    )
    department.add_child(instance=page)  # Page.live defaults to True
    assert not DisclosureItemPage.objects.get(pk=page.pk).live
    live = factories.make_item(department)
    copy = live.copy(update_attrs={"slug": "copy-of-live", "title": "副本"}, keep_live=True)
    assert not DisclosureItemPage.objects.get(pk=copy.pk).live


# Ways around the gate, closed ------------------------------------------------------------------------------


def approve_all(client, people, page):
    for stage in ("political", "policy", "text"):
        assert act(client, people[stage], page, "approve").status_code == 302


def edit_draft(page, user, **fields):
    """An editor's later draft of a page (a new latest revision, not reviewed)."""
    page = DisclosureItemPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    return page.save_revision(user=user)


def test_a_translation_of_a_draft_that_was_never_submitted_cannot_go_live(department, people):
    from wagtail.models import Locale

    source = draft(department, title="关于春运期间客运班线调整的通知")
    english = source.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Notice on coach line changes during the Spring Festival travel season"
    with pytest.raises(GateRefused, match="未经审核流程批准"):
        english.save_revision().publish()  # a translation is reviewed like any page
    with pytest.raises(GateRefused, match="原文"), bypass("测试", user=None):
        DisclosureItemPage.objects.get(pk=english.pk).save_revision().publish()  # not before its source
    assert not DisclosureItemPage.objects.get(pk=english.pk).live
    factories.publish(source)
    factories.publish(DisclosureItemPage.objects.get(pk=english.pk))  # the source is live now
    assert DisclosureItemPage.objects.get(pk=english.pk).live


def test_a_scheduled_policy_takes_the_interpretation_the_reviewers_approved_not_a_later_draft(
    client, department, people
):
    policy, interpretation = policy_and_interpretation(department)
    approved_text = DisclosureItemPage.objects.get(pk=interpretation.pk).get_latest_revision_as_object().body
    policy = DisclosureItemPage.objects.get(pk=policy.pk)
    policy.go_live_at = timezone.now() + timezone.timedelta(hours=2)
    policy.save_revision(user=people["editor"])
    submit(policy, people["editor"])
    approve_all(client, people, policy)
    later = edit_draft(interpretation, people["editor"], body="<p>审核通过之后改写的、未经审核的解读。</p>")
    come_due(Revision.objects.get(pk=DisclosureItemPage.objects.get(pk=policy.pk).latest_revision_id))
    assert publish_due_revisions() == (1, 0)
    interpretation = DisclosureItemPage.objects.get(pk=interpretation.pk)
    assert interpretation.live and interpretation.live_revision_id != later.pk
    assert interpretation.body == approved_text
    assert "未经审核" not in client.get(interpretation.url).content.decode()


def test_republishing_an_approved_policy_does_not_publish_the_interpretations_new_draft(
    client, department, people
):
    policy, interpretation = policy_and_interpretation(department)
    submit(policy, people["editor"])
    approve_all(client, people, policy)
    policy = DisclosureItemPage.objects.get(pk=policy.pk)
    approved = DisclosureItemPage.objects.get(pk=interpretation.pk).live_revision_id
    approved_policy = policy.live_revision_id
    policy.unpublish()
    DisclosureItemPage.objects.get(pk=interpretation.pk).unpublish()
    later = edit_draft(interpretation, people["editor"], body="<p>未经审核的新解读。</p>")
    Revision.objects.get(pk=approved_policy).publish()  # the approved revision, published again
    interpretation = DisclosureItemPage.objects.get(pk=interpretation.pk)
    assert interpretation.live and interpretation.live_revision_id == approved != later.pk


def test_the_dictionary_as_it_is_at_a_scheduled_go_live_is_applied(client, department, people):
    from cms.review.models import TermRule

    page = draft(department, title="关于调整城区货车通行时段的通告", body="<p>城区货车通行时段调整如下。</p>")
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.go_live_at = timezone.now() + timezone.timedelta(hours=2)
    page.save_revision(user=people["editor"])
    submit(page, people["editor"])
    approve_all(client, people, page)
    # Minutes after the final approval the dictionary learns a word the text contains.
    TermRule.objects.create(kind="sensitive", term="货车通行时段", note="测试：审核后新增")
    come_due(Revision.objects.get(pk=DisclosureItemPage.objects.get(pk=page.pk).latest_revision_id))
    assert publish_due_revisions() == (0, 1)
    assert not DisclosureItemPage.objects.get(pk=page.pk).live


def published_pair(client, department, people):
    policy, interpretation = policy_and_interpretation(department)
    submit(policy, people["editor"])
    approve_all(client, people, policy)
    return DisclosureItemPage.objects.get(pk=policy.pk), DisclosureItemPage.objects.get(pk=interpretation.pk)


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_bulk_publish_of_a_gated_page_is_refused_with_a_message(client, department):
    admin = factories.make_user("bulk-admin", superuser=True)
    page = draft(department, title="关于开展道路运输安全隐患排查的通知")
    client.force_login(admin)
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={page.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    assert any("须经三审" in m and page.title in m for m in messages_of(response))
    assert not DisclosureItemPage.objects.get(pk=page.pk).live


def test_the_only_interpretation_of_a_live_policy_cannot_be_taken_down(client, department, people):
    policy, interpretation = published_pair(client, department, people)
    admin = factories.make_user("unpub-admin", superuser=True)
    client.force_login(admin)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[interpretation.pk]))
    assert response.status_code == 302
    assert any("不能单独撤下" in m for m in messages_of(response))
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
        + f"?id={interpretation.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": ""})
    assert any("不能单独撤下" in m for m in messages_of(response))
    with pytest.raises(GateRefused, match="不能单独撤下"):
        DisclosureItemPage.objects.get(pk=interpretation.pk).unpublish()
    assert DisclosureItemPage.objects.get(pk=interpretation.pk).live
    policy.unpublish()  # the policy first: then its interpretation may go
    DisclosureItemPage.objects.get(pk=interpretation.pk).unpublish()
    assert not DisclosureItemPage.objects.get(pk=interpretation.pk).live


def test_a_paired_policy_cannot_be_moved_to_another_unit(client, department, people, tree):
    policy, _interpretation = published_pair(client, department, people)
    other = factories.make_department(tree["departments"], title="宿迁市交通运输局运输管理处", slug="ysglc")
    admin = factories.make_user("move-admin", superuser=True)
    client.force_login(admin)
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[policy.pk, other.pk]))
    assert response.status_code == 302
    assert any("谁起草谁解读" in m for m in messages_of(response))
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"]) + f"?id={policy.pk}&next=/admin/"
    )
    response = client.post(url, {"chooser": other.pk})
    assert any("谁起草谁解读" in m for m in messages_of(response))
    with pytest.raises(GateRefused, match="谁起草谁解读"):
        DisclosureItemPage.objects.get(pk=policy.pk).move(other, pos="last-child")
    assert DisclosureItemPage.objects.get(pk=policy.pk).get_parent().pk == department.pk


def test_an_expiring_interpretation_stays_while_its_policy_is_live(client, department, people):
    from cms.review.gate import unpublish_expired_pages

    _policy, interpretation = published_pair(client, department, people)
    DisclosureItemPage.objects.filter(pk=interpretation.pk).update(
        expire_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert unpublish_expired_pages() == (0, 1)
    interpretation = DisclosureItemPage.objects.get(pk=interpretation.pk)
    assert interpretation.live and interpretation.expire_at is None
    assert PageLogEntry.objects.filter(page=interpretation, action="review.expiry_refused").exists()


def attached(department, page, title, filename, lines):
    document = make_document(title, filename, pdf_bytes(lines))
    document.collection = department.collection
    document.save()
    DisclosureAttachment.objects.create(page=page, document=document, sort_order=0)
    return document


def test_the_file_of_a_document_a_live_page_shows_cannot_be_replaced(client, department, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = draft(department, user=people["editor"], title="关于2019年道路运输从业资格考试合格人员的公示")
    document = attached(
        department, page, "合格人员名单", "hege.pdf", ["合格人员名单", "张某  道路货物运输驾驶员"]
    )
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.save_revision(user=people["editor"])
    submit(page, people["editor"])
    approve_all(client, people, page)
    assert DisclosureItemPage.objects.get(pk=page.pk).live
    before = type(document).objects.get(pk=document.pk).file.name

    # The unit's editor, in Documents → edit, uploads a new file with an unmasked ID number.
    client.force_login(people["editor"])
    leaked = pdf_bytes(["合格人员名单", f"张三  {VALID_ID}  道路货物运输驾驶员"])
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "合格人员名单（更正）",
            "collection": department.collection_id,
            "file": SimpleUploadedFile("hege-v2.pdf", leaked, content_type="application/pdf"),
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert "不能直接替换" in response.content.decode() and page.title in response.content.decode()
    assert "合格人员名单（更正）" in response.content.decode()  # what was typed is kept
    assert type(document).objects.get(pk=document.pk).file.name == before
    # Outside the admin too.
    document = type(document).objects.get(pk=document.pk)
    document.file.save("hege-v3.pdf", ContentFile(leaked), save=False)
    with pytest.raises(GateRefused, match="不能直接替换"):
        document.save()


def test_a_replaced_file_of_a_draft_is_read_by_the_checks(client, department, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = draft(department, user=people["editor"], title="关于2019年度客运驾驶员诚信考核结果的公示")
    document = attached(department, page, "考核结果", "kh.pdf", ["考核结果", "李某  AAA级"])
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.save_revision(user=people["editor"])
    client.force_login(people["editor"])
    leaked = pdf_bytes(["考核结果", f"李四  {VALID_ID}  AAA级"])
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "考核结果",
            "collection": department.collection_id,
            "file": SimpleUploadedFile("kh-v2.pdf", leaked, content_type="application/pdf"),
            "tags": "",
        },
    )
    assert response.status_code == 302  # no live page uses it: replacing is allowed
    submit(page, people["editor"])
    state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_REJECTED)
    assert "附件《考核结果》" in rejected.comment and "321302********" in rejected.comment


def test_live_content_does_not_change_without_a_reviewed_revision(client, department, people):
    page = factories.make_item(department, title="关于公布2019年度道路运输服务质量投诉电话的公告")
    approved = page.live_revision_id
    # A field changed and saved on the live page, with no revision.
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.body = "<p>未经审核直接改写的正文。</p>"
    with pytest.raises(GateRefused, match="须保存为新版本并通过审核"):
        page.save()
    # The same, saved live under the approved revision's id.
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.body = "<p>冒用已审核版本号改写的正文。</p>"
    page.live_revision_id = approved
    with pytest.raises(GateRefused, match="须保存为新版本并通过审核"):
        page.save()
    # A new live revision whose content differs from what that revision holds.
    page = DisclosureItemPage.objects.get(pk=page.pk)
    draft_revision = page.save_revision(user=people["editor"])
    page.body = "<p>与送审版本不同的正文。</p>"
    page.live_revision = draft_revision
    with pytest.raises(GateRefused), bypass("测试", user=None):
        page.save()
    # An inline row added to the live page.
    document = make_document("投诉电话一览表", "ts.pdf", pdf_bytes(["投诉电话一览表"]))
    with pytest.raises(GateRefused, match="附件须在页面中修改"):
        DisclosureAttachment.objects.create(page=page, document=document, sort_order=0)
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert "未经审核" not in page.body and "冒用" not in page.body and not page.attachments.exists()
    assert "未经审核" not in client.get(page.url).content.decode()
    # What Wagtail itself saves on a live page still works: a draft, a rename of the draft title, a move.
    page.title = "草稿中修改的标题"
    page.save_revision(user=people["editor"])
    assert DisclosureItemPage.objects.get(pk=page.pk).has_unpublished_changes


def test_a_reviewer_of_another_unit_reviews_but_does_not_edit_or_cancel(client, department, people):
    page = draft(department, user=people["editor"], title="关于做好2019年国庆节假日道路运输保障工作的通知")
    submit(page, people["editor"])
    assert act(client, people["political"], page, "approve").status_code == 302  # the unit's own reviewer
    reviewer = people["policy"]  # 政策法规处: reviews every unit's content, edits none
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.get(url).content.decode()
    assert "审核通过" in html and "保存草稿" not in html and "取消工作流" not in html
    # A draft save and a cancellation, posted anyway, are refused; nothing is saved.
    for extra in ({}, {"action-cancel-workflow": "1"}):
        response = client.post(url, edit_form(page, title="审核人改写的标题", **extra))
        assert response.status_code == 302
        assert any("审核人员只能审核" in m for m in messages_of(response))
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.get_latest_revision_as_object().title != "审核人改写的标题"
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # Approving from the editor takes the stage's action on the revision under review, without the edits.
    latest = page.latest_revision_id
    response = client.post(
        url,
        edit_form(
            page,
            title="审核人顺手改写的标题",
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
    )
    assert response.status_code == 302
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.latest_revision_id == latest
    assert page.current_workflow_task.specific.stage == "text"  # moved on to 文字关


def test_a_change_made_behind_the_models_back_is_found_by_verify_gate(department):
    from django.core.management import call_command

    page = factories.make_item(department, title="关于公布2019年第三季度道路运输质量信誉考核结果的公告")
    out = io.StringIO()
    call_command("verify_gate", stdout=out)  # everything live is what was approved
    assert "一致" in out.getvalue()
    DisclosureItemPage.objects.filter(pk=page.pk).update(body="<p>绕过模型直接写入数据库的正文。</p>")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_gate", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert str(page.pk) in out.getvalue() and "正文" in out.getvalue() and "不一致" in err.getvalue()
