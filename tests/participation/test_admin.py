"""The admin: moderation queues, the consultation editor's completion rule, 12345 entry and handling, statistics."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.participation.models import ConsultationComment, ConsultationPage, Message
from cms.participation.vocabularies import Adoption, MessageStatus, Moderation
from tests import factories

from .conftest import make_consultation, make_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_editor(department):
    return factories.make_user("bgs_editor", groups=[department.editors_group])


def test_unit_staff_moderate_their_own_consultations_only(client, department, tree, unit_editor):
    own = make_consultation(department)
    other_unit = factories.make_department(
        tree["departments"], title="宿迁市交通运输局运输管理处", slug="ysglc"
    )
    other = make_consultation(other_unit, slug="other")
    mine = ConsultationComment.objects.create(consultation=own, body="建议增加乡村公交站点。")
    theirs = ConsultationComment.objects.create(consultation=other, body="建议统一站牌样式。")
    client.force_login(unit_editor)
    index = client.get(reverse("participation_comments:index")).content.decode()
    assert "建议增加乡村公交站点" in index and "建议统一站牌样式" not in index
    assert client.get(reverse("participation_comments:edit", args=(theirs.pk,))).status_code in (
        302,
        403,
        404,
    )
    url = reverse("participation_comments:edit", args=(mine.pk,))
    # Rejecting needs a reason; the form says so and nothing changes.
    response = client.post(url, {"status": Moderation.REJECTED, "moderation_reason": ""})
    assert response.status_code == 200 and "不予通过的，请说明理由" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Moderation.HELD
    response = client.post(url, {"status": Moderation.APPROVED, "moderation_reason": ""})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Moderation.APPROVED and mine.moderated_by == unit_editor and mine.moderated_at


def test_the_editor_form_refuses_completion_without_reasons(client, department):
    admin = factories.make_user("admin", superuser=True)
    today = timezone.localdate()
    page = make_consultation(
        department, opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=2)
    )
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.get(url)
    assert response.status_code == 200 and "采纳情况" in response.content.decode()
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name in form.formsets:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    data.update(
        {
            "title": page.title,
            "slug": page.slug,
            "body": factories.draftail("<p>第一条 为加强农村公路养护管理，制定本办法。</p>"),
            "explanation": factories.draftail("<p>起草说明。</p>"),
            "basis": factories.draftail(""),
            "report_summary": factories.draftail("<p>共收到意见12条。</p>"),
            "opens_on": page.opens_on.isoformat(),
            "closes_on": page.closes_on.isoformat(),
            "completed": "on",
            **factories.empty_inlines(),
            "opinion_groups-TOTAL_FORMS": "2",
            "opinion_groups-INITIAL_FORMS": "0",
            "opinion_groups-MIN_NUM_FORMS": "0",
            "opinion_groups-MAX_NUM_FORMS": "1000",
            "opinion_groups-0-summary": "建议提高养护补助标准",
            "opinion_groups-0-count": "7",
            "opinion_groups-0-adoption": Adoption.ADOPTED,
            "opinion_groups-0-reason": "",
            "opinion_groups-0-ORDER": "1",
            "opinion_groups-1-summary": "建议取消县级配套资金",
            "opinion_groups-1-count": "5",
            "opinion_groups-1-adoption": Adoption.NOT_ADOPTED,
            "opinion_groups-1-reason": "",
            "opinion_groups-1-ORDER": "2",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200, factories.admin_errors(response)
    assert "第2组意见“不予采纳”，须说明理由" in response.content.decode(), factories.admin_errors(response)
    assert not ConsultationPage.objects.get(pk=page.pk).get_latest_revision_as_object().completed
    data["opinion_groups-1-reason"] = "县级配套资金由省级文件规定，本办法不作调整。"
    response = client.post(url, data)
    assert response.status_code == 302, factories.admin_errors(response)
    draft = ConsultationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.completed and len(draft.opinion_groups.all()) == 2


def test_12345_transfer_entered_by_staff(client, department, manager):
    client.force_login(manager)
    url = reverse("participation_messages:add")
    assert client.get(url).status_code == 200
    data = {
        "channel": "12345",
        "hotline_number": "",
        "received_on": "2025-11-17",
        "category": "complaint",
        "department": department.pk,
        "reply_working_days": "5",
        "subject": "宿城区某出租车拒载",
        "body": "11月16日晚在宿迁汽车站打车被拒载。",
        "name": "赵敏",
        "phone": "13905270000",
        "email": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "请填写工单编号" in response.content.decode()
    response = client.post(url, {**data, "hotline_number": "SQ12345-20251117-0086"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.entered_by == manager and message.due_on == datetime.date(2025, 11, 24)
    index = client.get(reverse("participation_messages:index")).content.decode()
    assert "赵*" in index and "13905270000" not in index


def test_reply_needs_text_then_records_who_and_when(client, department, manager):
    message = make_message(department)
    client.force_login(manager)
    url = reverse("participation_messages:edit", args=(message.pk,))
    assert "13905271234" in client.get(url).content.decode()  # in full on its own page, and logged
    from wagtail.models import ModelLogEntry

    assert (
        ModelLogEntry.objects.filter(action="participation.personal_data_viewed", user=manager).count() == 1
    )
    base = {
        "category": "consult",
        "department": department.pk,
        "reply_working_days": "5",
        "reply": "",
        "replied_on": "",
        "invalid_reason": "",
    }
    response = client.post(url, {**base, "status": MessageStatus.REPLIED})
    assert response.status_code == 200 and "请填写答复内容" in response.content.decode()
    response = client.post(url, {**base, "status": MessageStatus.INVALID})
    assert response.status_code == 200 and "不予受理的，须说明理由" in response.content.decode()
    response = client.post(url, {**base, "status": MessageStatus.REPLIED, "reply": "10路冬季末班车为20:30。"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.replied_by == manager and message.replied_on == timezone.localdate()


def test_monthly_statistics(client, department, manager):
    make_message(department, received_on=datetime.date(2025, 11, 3))
    make_message(
        department,
        received_on=datetime.date(2025, 11, 4),
        channel="12345",
        hotline_number="SQ1",
        status=MessageStatus.REPLIED,
        reply="已处理。",
        replied_on=datetime.date(2025, 11, 6),
    )
    make_message(department, received_on=datetime.date(2025, 12, 1))
    client.force_login(manager)
    url = reverse("participation_statistics")
    response = client.get(url, {"month": "2025-11"})
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (
        totals["received"],
        totals["replied"],
        totals["on_time"],
        totals["hotline"],
        totals["pending"],
    ) == (2, 1, 1, 1, 1)
    assert client.get(url, {"month": "2025-13"}).status_code == 400
    assert client.get(url, {"month": "abc"}).status_code == 400


def test_statistics_and_queues_closed_to_the_public(client):
    assert client.get(reverse("participation_statistics")).status_code == 302  # to the login page


def test_dashboard_shows_incident_clocks_and_due_messages(client, department, manager):
    from .conftest import make_incident

    make_incident(department, occurred_at=timezone.now() - datetime.timedelta(hours=3))
    make_message(department, received_on=timezone.localdate() - datetime.timedelta(days=20))
    ConsultationComment.objects.create(consultation=make_consultation(department), body="建议增加站点。")
    client.force_login(manager)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-participation-panel" in html
    assert "关于京杭运河宿迁段船舶碰撞事故的通报" in html and "权威发布时限" in html
    assert "已逾期" in html and "1 条征求意见留言待审核" in html
