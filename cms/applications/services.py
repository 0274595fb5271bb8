"""What staff (and the beat task) do to a request: each action checks the rules, writes the event, moves the clock
and issues the document that goes with it. Every refusal is an ``ActionRefused`` with the reason in Chinese.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.core.workdays import add_working_days
from cms.departments import units

from . import clock, letters
from .models import ClockPause, InformationRequest, RequestEvent
from .querysets import HEAD_GROUP
from .vocabularies import (
    RECEIVED_ON_SUBMISSION,
    REPLY_OUTCOMES,
    Channel,
    FeeMethod,
    LetterKind,
    Outcome,
    PauseKind,
    Status,
    WithheldReason,
)

Kind = RequestEvent.Kind
WITHDRAWAL_OUTCOMES = (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID, Outcome.APPLICANT_WITHDREW)


class ActionRefused(ValidationError):
    pass


def _refuse_unless(condition, message):
    if not condition:
        raise ActionRefused(message)


def _not_future(on, what):
    _refuse_unless(on <= timezone.localdate(), _("%(what)s不能晚于今天。") % {"what": what})


def _event(request, kind, on, user=None, note="", **data):
    return RequestEvent.objects.create(request=request, kind=kind, on=on, user=user, note=note, data=data)


def _save(request, user, *fields):
    """Store the changed fields and the deadline; a closed request keeps the deadline it had."""
    if request.is_open:
        request.due_date = request.compute_due_date()
    request.save(update_fields=[*fields, "due_date"])
    log(
        instance=request,
        action="applications.processed",
        user=user,
        data={"status": request.status, "due_date": request.due_date.isoformat() if request.due_date else ""},
    )


def log_personal_data_view(request, user, where):
    """Every display of an applicant's personal data to staff goes into Wagtail's audit log."""
    log(instance=request, action="applications.personal_data_viewed", user=user, data={"where": where})


def default_department():
    return units.default(settings.APPLICATIONS_DEFAULT_DEPARTMENT)


# Registration ----------------------------------------------------------------------------------------


@transaction.atomic
def submit_online(request):
    """A citizen's online application: registered, waiting for the bureau to confirm receipt (Art. 31)."""
    request.channel = request.channel or Channel.ONLINE
    request.status = Status.REGISTERED
    request.department = request.department or default_department()
    request.save()
    _event(request, Kind.SUBMITTED, timezone.localdate(request.submitted_at))
    return request


@transaction.atomic
def enter_on_behalf(request, user):
    """代填: staff enter a letter, fax, e-mail, in-person or oral application with its 收到申请之日."""
    submitted_on = timezone.localdate(request.submitted_at)
    if request.channel in RECEIVED_ON_SUBMISSION:
        request.received_on = submitted_on
    _refuse_unless(request.received_on is not None, _("请填写收到申请之日。"))
    _refuse_unless(request.received_on >= submitted_on, _("收到申请之日不能早于申请提交（寄出）日期。"))
    _not_future(request.received_on, _("收到申请之日"))
    request.entered_by = user
    request.status = Status.PROCESSING
    request.clock_start = request.received_on
    request.department = request.department or default_department()
    request.due_date = request.compute_due_date()
    request.save()
    _event(request, Kind.ENTERED, submitted_on, user, channel=request.channel)
    _event(request, Kind.RECEIVED, request.received_on, user)
    return request


@transaction.atomic
def confirm_receipt(request, on, user):
    _refuse_unless(request.status == Status.REGISTERED, _("该申请已确认收到。"))
    _refuse_unless(on >= timezone.localdate(request.submitted_at), _("确认收到的日期不能早于申请提交日期。"))
    _not_future(on, _("确认日期"))
    request.received_on = request.clock_start = on
    request.status = Status.PROCESSING
    _event(request, Kind.RECEIVED, on, user)
    _save(request, user, "received_on", "clock_start", "status")


@transaction.atomic
def assign(request, department, user):
    _refuse_unless(request.is_open, _("已办结的申请不能转办。"))
    request.department = department
    _event(request, Kind.ASSIGNED, timezone.localdate(), user, department=department.title)
    _save(request, user, "department")


# 补正 (Art. 30) ---------------------------------------------------------------------------------------


@transaction.atomic
def request_supplement(request, on, items, deadline, user):
    _refuse_unless(request.status == Status.PROCESSING, _("只有办理中的申请可以告知补正。"))
    _refuse_unless(
        not request.events.filter(kind=Kind.SUPPLEMENT_REQUESTED).exists(),
        _("补正应当一次性告知，本申请已告知过补正。"),
    )
    _not_future(on, _("告知日期"))
    _refuse_unless(on >= request.received_on, _("告知日期不能早于收到申请之日。"))
    limit = request.supplement_notice_deadline
    _refuse_unless(
        on <= limit,
        _("补正应当自收到申请之日起7个工作日内告知（本申请为%(d)s前），已超过期限。")
        % {"d": f"{limit:%Y-%m-%d}"},
    )
    _refuse_unless(deadline > on, _("补正期限应晚于告知日期。"))
    request.status = Status.SUPPLEMENT
    request.supplement_deadline = deadline
    _event(request, Kind.SUPPLEMENT_REQUESTED, on, user, note=items, deadline=deadline.isoformat())
    _save(request, user, "status", "supplement_deadline")
    return letters.issue(
        request, LetterKind.SUPPLEMENT, LetterKind.SUPPLEMENT, on, user, 补正内容=items, 补正期限=deadline
    )


@transaction.atomic
def receive_supplement(request, on, user, note=""):
    _refuse_unless(request.status == Status.SUPPLEMENT, _("本申请没有待补正的事项。"))
    _not_future(on, _("收到补正日期"))
    _refuse_unless(
        on <= request.supplement_deadline,
        _("已超过补正期限（%(d)s），申请视为放弃。") % {"d": f"{request.supplement_deadline:%Y-%m-%d}"},
    )
    # The reply period restarts on the day the supplement arrives (Art. 30).
    request.clock_start = on
    request.status = Status.PROCESSING
    _event(request, Kind.SUPPLEMENT_RECEIVED, on, user, note=note)
    _save(request, user, "clock_start", "status")


@transaction.atomic
def withdraw(request, on, outcome, user=None, note=""):
    """视为放弃 (no 补正, fee not paid) or withdrawn by the applicant: processing stops (table 3 (六))."""
    _refuse_unless(outcome in WITHDRAWAL_OUTCOMES, _("终止办理的事由不正确。"))
    _refuse_unless(request.is_open, _("该申请已办结。"))
    request.status = Status.WITHDRAWN
    request.outcome = outcome
    request.closed_on = on
    request.pauses.filter(ended_on__isnull=True).update(ended_on=on)
    _event(request, Kind.WITHDRAWN, on, user, note=note or Outcome(outcome).label, outcome=outcome)
    _save(request, user, "status", "outcome", "closed_on")


# Extension and pauses (Art. 32–34; 109号) -------------------------------------------------------------


def may_approve_extension(user):
    return user is not None and (user.is_superuser or user.groups.filter(name=HEAD_GROUP).exists())


@transaction.atomic
def extend(request, days, approver, on, reason, user):
    _refuse_unless(request.status == Status.PROCESSING, _("只有正在计时的申请可以延期。"))
    _refuse_unless(request.extension_days == 0, _("本申请已延期一次，不能再次延期。"))
    _refuse_unless(1 <= days <= clock.MAX_EXTENSION, _("延长的期限最长不得超过20个工作日。"))
    _refuse_unless(
        may_approve_extension(approver), _("延期须经政府信息公开工作机构负责人同意，请选择负责人。")
    )
    _not_future(on, _("延期日期"))
    _refuse_unless(request.due_date is None or on <= request.due_date, _("已超过答复期限，不能再延期。"))
    request.extension_days = days
    request.due_date = request.compute_due_date()  # the letter states the new deadline
    _event(
        request,
        Kind.EXTENDED,
        on,
        user,
        note=reason,
        days=days,
        approver=approver.get_full_name() or approver.get_username(),
        approver_id=approver.pk,
    )
    _save(request, user, "extension_days")
    return letters.issue(
        request, LetterKind.EXTENSION, LetterKind.EXTENSION, on, user, 延长天数=days, 延期理由=reason
    )


@transaction.atomic
def start_pause(
    request, kind, on, user, party="", fee_method="", fee_quantity=None, fee_amount=None, note=""
):
    _refuse_unless(request.status == Status.PROCESSING, _("只有正在计时的申请可以暂停计时。"))
    _not_future(on, _("开始日期"))
    _refuse_unless(on >= request.clock_start, _("开始日期不能早于计时起点。"))
    _refuse_unless(request.due_date is None or on <= request.due_date, _("已超过答复期限，不能再暂停计时。"))
    if kind == PauseKind.FEE:
        _refuse_unless(fee_method in FeeMethod.values and fee_amount, _("请填写计收方式和收费金额。"))
        answer_due = add_working_days(on, settings.APPLICATIONS_FEE_PAYMENT_WORKING_DAYS)
    else:
        _refuse_unless(bool(party.strip()), _("请填写征求意见的第三方或机关。"))
        answer_due = add_working_days(on, clock.CONSULTATION_LIMIT)
    pause = ClockPause.objects.create(
        request=request,
        kind=kind,
        party=party,
        started_on=on,
        answer_due=answer_due,
        fee_method=fee_method,
        fee_quantity=fee_quantity,
        fee_amount=fee_amount,
        note=note,
    )
    request.status = Status.PAUSED
    _event(
        request, Kind.PAUSED, on, user, note=note, pause=kind, party=party, answer_due=answer_due.isoformat()
    )
    _save(request, user, "status")
    if kind == PauseKind.THIRD_PARTY:
        return letters.issue(
            request,
            LetterKind.THIRD_PARTY,
            LetterKind.THIRD_PARTY,
            on,
            user,
            征求对象=party,
            征求期限=answer_due,
        )
    if kind == PauseKind.FEE:
        return letters.issue(
            request,
            LetterKind.FEE,
            LetterKind.FEE,
            on,
            user,
            收费方式=FeeMethod(fee_method).label,
            收费数量=fee_quantity or "",
            收费金额=f"{fee_amount:.2f}",
            缴费期限=answer_due,
        )
    return pause


@transaction.atomic
def end_pause(request, on, user, note=""):
    pause = request.pauses.filter(ended_on__isnull=True).first()
    _refuse_unless(request.status == Status.PAUSED and pause is not None, _("本申请没有暂停中的计时。"))
    _not_future(on, _("结束日期"))
    _refuse_unless(on >= pause.started_on, _("结束日期不能早于开始日期。"))
    if pause.kind == PauseKind.FEE:
        _refuse_unless(
            on <= pause.answer_due,
            _("已超过缴费期限（%(d)s），申请视为放弃。") % {"d": f"{pause.answer_due:%Y-%m-%d}"},
        )
    pause.ended_on = on
    pause.note = "\n".join(filter(None, [pause.note, note]))
    pause.save(update_fields=["ended_on", "note"])
    request.status = Status.PROCESSING
    _event(request, Kind.RESUMED, on, user, note=note, pause=pause.kind)
    _save(request, user, "status")


# Reply, delivery, archive (Art. 36, 37, 45) --------------------------------------------------------


@transaction.atomic
def reply(request, outcome, on, text, user, withheld_reason="", files=()):
    from .models import ReplyAttachment

    _refuse_unless(outcome in REPLY_OUTCOMES, _("请选择答复类型。"))
    _refuse_unless(
        request.status == Status.PROCESSING,
        _("申请处于“%(s)s”状态，不能答复。") % {"s": request.get_status_display()},
    )
    _not_future(on, _("答复日期"))
    _refuse_unless(on >= request.clock_start, _("答复日期不能早于计时起点。"))
    if outcome == Outcome.WITHHELD:
        _refuse_unless(bool(withheld_reason), _("不予公开的，请选择理由类别。"))
    if outcome == Outcome.STILL_UNCLEAR:
        _refuse_unless(
            request.events.filter(kind=Kind.SUPPLEMENT_RECEIVED).exists(),
            _("“补正后仍不明确”只适用于已补正的申请。"),
        )
    if outcome in (Outcome.PARTIAL, Outcome.WITHHELD, Outcome.NOT_OURS):
        _refuse_unless(bool(text.strip()), _("此类答复须说明理由或告知有关机关。"))
    late = request.due_date is not None and on > request.due_date
    request.status = Status.REPLIED
    request.outcome = outcome
    request.withheld_reason = withheld_reason if outcome == Outcome.WITHHELD else ""
    request.replied_on = request.closed_on = on
    for upload in files:
        ReplyAttachment.objects.create(request=request, title=upload.name, file=upload)
    letter = letters.issue(
        request,
        LetterKind.REPLY,
        letters.reply_key(outcome),
        on,
        user,
        答复内容=text,
        不予公开理由=WithheldReason(withheld_reason).label if request.withheld_reason else "",
    )
    _event(request, Kind.REPLIED, on, user, note=Outcome(outcome).label, outcome=outcome, late=late)
    _save(request, user, "status", "outcome", "withheld_reason", "replied_on", "closed_on")
    return letter


@transaction.atomic
def deliver(request, on, note, user):
    _refuse_unless(request.status == Status.REPLIED, _("答复后才能登记送达。"))
    _not_future(on, _("送达日期"))
    _refuse_unless(on >= request.replied_on, _("送达日期不能早于答复日期。"))
    request.delivered_on = on
    request.delivery_note = note
    _event(request, Kind.DELIVERED, on, user, note=note)
    _save(request, user, "delivered_on", "delivery_note")


@transaction.atomic
def archive(request, user):
    _refuse_unless(request.status in (Status.REPLIED, Status.WITHDRAWN), _("办结后才能归档。"))
    _refuse_unless(
        request.status == Status.WITHDRAWN or request.delivered_on is not None,
        _("请先登记答复书送达情况，再归档。"),
    )
    request.status = Status.ARCHIVED
    request.archived_at = timezone.now()
    _event(request, Kind.ARCHIVED, timezone.localdate(), user)
    _save(request, user, "status", "archived_at")


# Deadlines the applicant missed (run by the beat task) ----------------------------------------------


def expire_missed_deadlines(today=None):
    """视为放弃: 补正 not received by its deadline (Art. 30), fee not paid in time (109号). Returns the count."""
    today = today or timezone.localdate()
    count = 0
    for request in InformationRequest.objects.filter(status=Status.SUPPLEMENT, supplement_deadline__lt=today):
        withdraw(request, request.supplement_deadline + datetime.timedelta(days=1), Outcome.NO_SUPPLEMENT)
        count += 1
    unpaid = ClockPause.objects.filter(
        kind=PauseKind.FEE, ended_on__isnull=True, answer_due__lt=today, request__status=Status.PAUSED
    ).select_related("request")
    for pause in unpaid:
        withdraw(pause.request, pause.answer_due + datetime.timedelta(days=1), Outcome.FEE_UNPAID)
        count += 1
    return count
