"""Processing with the statutory clock: 补正 and its restart, deemed withdrawal, extension, pauses, fees, replies."""

import datetime
from decimal import Decimal

import pytest

from cms.applications import services
from cms.applications.models import Letter, RequestEvent
from cms.applications.services import ActionRefused
from cms.applications.vocabularies import FeeMethod, LetterKind, Outcome, PauseKind, Status

from .conftest import make_request

pytestmark = pytest.mark.django_db
D = datetime.date


def test_staff_entry_starts_the_clock_on_the_art31_receipt_date(clerk):
    request = make_request(D(2025, 9, 16))
    assert request.status == Status.PROCESSING
    assert (request.clock_start, request.due_date) == (D(2025, 9, 16), D(2025, 10, 20))
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [RequestEvent.Kind.ENTERED, RequestEvent.Kind.RECEIVED]


def test_supplement_stops_the_clock_and_restarts_it_on_arrival(clerk):
    request = make_request(D(2025, 9, 16))
    letter = services.request_supplement(request, D(2025, 9, 19), "请说明道路名称。", D(2025, 10, 24), clerk)
    request.refresh_from_db()
    assert request.status == Status.SUPPLEMENT and request.due_date is None
    assert letter.kind == LetterKind.SUPPLEMENT and "请说明道路名称。" in letter.body
    assert "2025年10月24日" in letter.body and "李明华" in letter.body
    # Only once (一次性告知).
    services.receive_supplement(request, D(2025, 10, 13), clerk)
    request.refresh_from_db()
    # Restart on 10/13: 10/14-10/17 = 1-4, 10/20-10/24 = 5-9, 10/27-10/31 = 10-14, 11/3-11/7 = 15-19, 11/10 = 20.
    assert (request.status, request.clock_start, request.due_date) == (
        Status.PROCESSING,
        D(2025, 10, 13),
        D(2025, 11, 10),
    )
    with pytest.raises(ActionRefused, match="一次性告知"):
        services.request_supplement(request, D(2025, 10, 14), "再补充", D(2025, 10, 30), clerk)


def test_supplement_must_be_asked_within_seven_working_days(clerk):
    request = make_request(D(2025, 9, 16))  # 7 working days: 9/25
    with pytest.raises(ActionRefused, match="7个工作日"):
        services.request_supplement(request, D(2025, 9, 26), "补正", D(2025, 10, 30), clerk)


def test_missing_the_supplement_deadline_counts_as_withdrawn(clerk):
    request = make_request(D(2025, 9, 16))
    services.request_supplement(request, D(2025, 9, 18), "请说明道路名称。", D(2025, 9, 30), clerk)
    with pytest.raises(ActionRefused, match="已超过补正期限"):
        services.receive_supplement(request, D(2025, 10, 9), clerk)
    assert services.expire_missed_deadlines(today=D(2025, 10, 1)) == 1
    request.refresh_from_db()
    assert (request.status, request.outcome, request.closed_on) == (
        Status.WITHDRAWN,
        Outcome.NO_SUPPLEMENT,
        D(2025, 10, 1),
    )
    assert services.expire_missed_deadlines(today=D(2025, 10, 2)) == 0  # once


def test_extension_needs_the_heads_approval_and_happens_once(clerk, head):
    request = make_request(D(2025, 9, 16))
    with pytest.raises(ActionRefused, match="负责人同意"):
        services.extend(request, 20, clerk, D(2025, 10, 15), "材料较多", clerk)
    with pytest.raises(ActionRefused, match="20个工作日"):
        services.extend(request, 21, head, D(2025, 10, 15), "材料较多", clerk)
    letter = services.extend(request, 20, head, D(2025, 10, 15), "材料较多", clerk)
    request.refresh_from_db()
    assert (request.extension_days, request.due_date) == (20, D(2025, 11, 17))
    assert "延长20个工作日" in letter.body and "2025年11月17日" in letter.body
    event = request.events.get(kind=RequestEvent.Kind.EXTENDED)
    assert event.data["approver_id"] == head.pk
    with pytest.raises(ActionRefused, match="已延期一次"):
        services.extend(request, 5, head, D(2025, 10, 16), "再延", clerk)


def test_extension_after_the_deadline_is_refused(clerk, head):
    request = make_request(D(2025, 9, 16))  # due 10/20
    with pytest.raises(ActionRefused, match="已超过答复期限"):
        services.extend(request, 10, head, D(2025, 10, 21), "材料较多", clerk)


def test_third_party_consultation_pauses_the_clock(clerk):
    request = make_request(D(2025, 9, 16))
    letter = services.start_pause(
        request, PauseKind.THIRD_PARTY, D(2025, 9, 25), clerk, party="江苏宿港建设工程有限公司"
    )
    request.refresh_from_db()
    assert request.status == Status.PAUSED and request.due_date is None
    pause = request.pauses.get()
    # The third party answers within 15 working days: 9/26 = 1, 9/28 (调休) = 2, 9/29-9/30 = 3-4, holiday,
    # 10/9-10/10 = 5-6, 10/11 (调休) = 7, 10/13-10/17 = 8-12, 10/20-10/22 = 13-15.
    assert pause.answer_due == D(2025, 10, 22)
    assert letter.kind == LetterKind.THIRD_PARTY and "江苏宿港建设工程有限公司" in letter.body
    with pytest.raises(ActionRefused, match="不能答复"):
        services.reply(request, Outcome.DISCLOSED, D(2025, 10, 10), "见附件", clerk)
    services.end_pause(request, D(2025, 10, 16), clerk, "第三方同意公开")
    request.refresh_from_db()
    assert (request.status, request.due_date) == (Status.PROCESSING, D(2025, 11, 4))


def test_consulting_another_agency_and_then_a_fee_both_pause(clerk):
    request = make_request(D(2025, 9, 16))
    services.start_pause(request, PauseKind.AGENCY, D(2025, 9, 25), clerk, party="宿迁市公安局交通警察支队")
    services.end_pause(request, D(2025, 9, 29), clerk)  # 9/26, 9/28, 9/29 not counted: due 10/20 + 3 = 10/23
    request.refresh_from_db()
    assert request.due_date == D(2025, 10, 23)
    letter = services.start_pause(
        request,
        PauseKind.FEE,
        D(2025, 10, 9),
        clerk,
        fee_method=FeeMethod.PER_PAGE,
        fee_quantity=150,
        fee_amount=Decimal(1700),
    )
    assert letter.kind == LetterKind.FEE and "1700.00元" in letter.body
    services.end_pause(request, D(2025, 10, 10), clerk, "已缴费")  # 10/10 not counted
    request.refresh_from_db()
    assert request.due_date == D(2025, 10, 24)
    assert [p.kind for p in request.pauses.all()] == [PauseKind.AGENCY, PauseKind.FEE]


def test_unpaid_fee_counts_as_withdrawn(clerk, settings):
    settings.APPLICATIONS_FEE_PAYMENT_WORKING_DAYS = 20
    request = make_request(D(2025, 9, 16))
    services.start_pause(
        request,
        PauseKind.FEE,
        D(2025, 9, 19),
        clerk,
        fee_method=FeeMethod.PER_REQUEST,
        fee_quantity=12,
        fee_amount=100,
    )
    pause = request.pauses.get()
    assert services.expire_missed_deadlines(today=pause.answer_due) == 0
    assert services.expire_missed_deadlines(today=pause.answer_due + datetime.timedelta(days=1)) == 1
    request.refresh_from_db()
    assert (request.status, request.outcome) == (Status.WITHDRAWN, Outcome.FEE_UNPAID)
    assert request.pauses.get().ended_on == pause.answer_due + datetime.timedelta(days=1)


def test_reply_rules_and_letter_per_type(clerk):
    request = make_request(D(2025, 9, 16))
    with pytest.raises(ActionRefused, match="选择理由"):
        services.reply(request, Outcome.WITHHELD, D(2025, 10, 9), "属于国家秘密", clerk)
    with pytest.raises(ActionRefused, match="已补正"):
        services.reply(request, Outcome.STILL_UNCLEAR, D(2025, 10, 9), "", clerk)
    with pytest.raises(ActionRefused, match="说明理由"):
        services.reply(request, Outcome.PARTIAL, D(2025, 10, 9), " ", clerk)
    letter = services.reply(
        request, Outcome.NOT_OURS, D(2025, 10, 9), "请向宿迁市公安局交通警察支队申请。", clerk
    )
    request.refresh_from_db()
    assert (request.status, request.replied_on, request.closed_on) == (
        Status.REPLIED,
        D(2025, 10, 9),
        D(2025, 10, 9),
    )
    assert request.due_date == D(2025, 10, 20)  # kept for the record after the reply
    assert "第三十六条第五项" in letter.body and "请向宿迁市公安局交通警察支队申请。" in letter.body
    with pytest.raises(ActionRefused, match="送达"):
        services.archive(request, clerk)
    services.deliver(request, D(2025, 10, 10), "EMS 1190527000123", clerk)
    services.archive(request, clerk)
    request.refresh_from_db()
    assert request.status == Status.ARCHIVED
    assert Letter.objects.filter(request=request).count() == 1


def test_edited_template_is_used_and_unknown_placeholders_are_refused(clerk):
    from django.core.exceptions import ValidationError

    from cms.applications.letters import reply_key
    from cms.applications.models import LetterTemplate

    template, _created = LetterTemplate.objects.get_or_create(
        key=reply_key(Outcome.DISCLOSED), defaults={"title": "答复书", "body": ""}
    )
    template.body = "{申请人}：您于{收到日期}提出的申请，答复如下：{答复内容}。{机关名称}"
    template.full_clean()
    template.save()
    request = make_request(D(2025, 9, 16))
    letter = services.reply(request, Outcome.DISCLOSED, D(2025, 9, 30), "见附件", clerk)
    assert letter.body.startswith("李明华：您于2025年9月16日提出的申请，答复如下：见附件。")
    template.body = "{申请人} {身份证号}"
    with pytest.raises(ValidationError, match="未知的占位符"):
        template.full_clean()
