"""Deadline clocks, run by Celery beat.

- Messages: a reminder to the answering unit when 2 and 1 working days are left and once overdue, then alarms to
  the 互动交流 office at 30 and 60 days open — long before the three-month line that inspections treat as failure
  (国办秘函〔2019〕19号 互动回应差). All thresholds come from settings.
- Emergencies: alerts before and at the 5-hour first-release and 24-hour press-conference deadlines (国办发〔2016〕61号 and 80号: 5 h / 24 h).

A ``MessageAlert`` / ``IncidentAlert`` row per notification makes each go out exactly once, however often the beat
runs and however many workers run it.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import EmergencyIncidentPage, IncidentAlert, Message, MessageAlert
from .querysets import MANAGERS_GROUP

logger = logging.getLogger(__name__)


def _emails(department=None, managers=True):
    groups = Q(pk__in=[])
    if managers:
        groups |= Q(groups__name=MANAGERS_GROUP)
    if department is not None:
        groups |= Q(groups__in=[g for g in (department.editors_group_id, department.reviewers_group_id) if g])
    return list(
        get_user_model()
        .objects.filter(groups, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _record(model, **fields):
    """Create the alert row; False when it exists already (sent before, or by another worker just now)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def message_alert_due(message, today):
    """(kind, subject) of the notification this message has reached today, or None."""
    left = message.working_days_left(today)
    if left is None:
        return None
    days_open = message.days_open(today)
    alarms = sorted(settings.PARTICIPATION_MESSAGE_ALARM_DAYS, reverse=True)
    for days in alarms:
        if days_open >= days:
            line = message.inspection_line
            return (
                f"alarm-{days}",
                f"【告警】留言 {message.code} 已{days_open}天未答复，须在{line:%Y-%m-%d}前答复（满3个月即视为检查不合格）",
            )
    if left < 0:
        return "overdue", f"【已逾期】留言 {message.code} 已超过答复期限（{message.due_on:%Y-%m-%d}）"
    reached = [t for t in settings.PARTICIPATION_MESSAGE_REMINDER_THRESHOLDS if left <= t]
    if reached:
        return f"remind-{min(reached)}", f"【剩余{left}个工作日】留言 {message.code} 将到答复期限"
    return None


def remind_message(message, today):
    due = message_alert_due(message, today)
    if due is None:
        return None
    kind, subject = due
    alarm = kind.startswith("alarm")
    to = _emails(message.department, managers=alarm or kind == "overdue")
    if not _record(MessageAlert, message=message, kind=kind, due_on=message.due_on, recipients=len(to)):
        return None
    body = (
        f"留言编号：{message.code}\n标题：{message.subject}\n留言人：{message.masked_name}\n"
        f"受理日期：{message.received_on:%Y-%m-%d}\n答复期限：{message.due_on:%Y-%m-%d}\n"
        f"答复部门：{message.department.title if message.department else '未分办'}\n"
        f"办理：{settings.WAGTAILADMIN_BASE_URL}{reverse('participation_messages:edit', args=(message.pk,))}\n"
    )
    if to:
        send_mail(subject, body, None, to, fail_silently=False)
    return kind


@shared_task(
    name="participation.run_message_clock",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
    time_limit=600,
    soft_time_limit=540,
    ignore_result=True,
)
def run_message_clock():
    today = timezone.localdate()
    sent = [remind_message(m, today) for m in Message.objects.pending().select_related("department")]
    count = sum(1 for kind in sent if kind)
    logger.info("participation.run_message_clock: %d notifications", count)
    return count


def incident_alerts_due(page, now):
    """[(kind, subject)] of the alerts this incident has reached now (first release, press conference)."""
    due = []
    checks = [
        (
            "release",
            page.release_due,
            page.released_at,
            settings.PARTICIPATION_EMERGENCY_RELEASE_ALERT_MINUTES,
            "权威信息发布",
        ),
        (
            "press",
            page.press_due,
            page.press_conference_at,
            settings.PARTICIPATION_EMERGENCY_PRESS_ALERT_MINUTES,
            "新闻发布会",
        ),
    ]
    for name, deadline, done, minutes, label in checks:
        if done is not None:
            continue
        left = deadline - now
        if left <= datetime.timedelta(0):
            due.append(
                (
                    f"{name}-overdue",
                    f"【已超时】“{page.title}”{label}已超过时限（{timezone.localtime(deadline):%m-%d %H:%M}）",
                )
            )
            continue
        reached = [m for m in minutes if left <= datetime.timedelta(minutes=m)]
        if reached:
            left_min = int(left.total_seconds() // 60)
            due.append(
                (
                    f"{name}-{min(reached)}",
                    f"【剩余{left_min}分钟】“{page.title}”{label}时限为{timezone.localtime(deadline):%m-%d %H:%M}",
                )
            )
    return due


@shared_task(
    name="participation.run_incident_clock",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
    time_limit=300,
    soft_time_limit=270,
    ignore_result=True,
)
def run_incident_clock():
    now = timezone.now()
    horizon = now - datetime.timedelta(hours=settings.PARTICIPATION_EMERGENCY_PRESS_HOURS + 24)
    sent = 0
    for page in EmergencyIncidentPage.objects.filter(ended=False, occurred_at__gte=horizon):
        for kind, subject in incident_alerts_due(page, now):
            department = page.get_department()
            to = _emails(department)
            if not _record(IncidentAlert, page=page, kind=kind, recipients=len(to)):
                continue
            body = (
                f"事件：{page.title}\n事发时间：{timezone.localtime(page.occurred_at):%Y-%m-%d %H:%M}\n"
                f"权威信息发布时限：{timezone.localtime(page.release_due):%Y-%m-%d %H:%M}\n"
                f"新闻发布会时限：{timezone.localtime(page.press_due):%Y-%m-%d %H:%M}\n"
                f"编辑：{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{page.pk}/edit/\n"
            )
            if to:
                send_mail(subject, body, None, to, fail_silently=False)
            sent += 1
    logger.info("participation.run_incident_clock: %d alerts", sent)
    return sent
