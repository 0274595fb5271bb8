"""The statutory clock, run by Celery beat: deadlines applicants missed, then reminders to the staff handling each
request when 5, 2 and 1 working days are left and once it is overdue. A ``Reminder`` row per (request, threshold,
deadline) makes each notification go out exactly once, however often the beat runs."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .clock import days_left
from .models import InformationRequest, Reminder, RequestEvent
from .querysets import HEAD_GROUP, INTAKE_GROUP
from .services import expire_missed_deadlines
from .vocabularies import Status

logger = logging.getLogger(__name__)


def recipients(application):
    """Active staff with an e-mail address: the intake office and the handling department's editors and reviewers."""
    groups = Q(groups__name__in=[INTAKE_GROUP, HEAD_GROUP])
    department = application.department
    if department is not None:
        groups |= Q(groups__in=[g for g in (department.editors_group_id, department.reviewers_group_id) if g])
    return list(
        get_user_model()
        .objects.filter(groups, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def threshold_for(left, thresholds):
    """The tightest threshold reached with ``left`` working days to go; ``Reminder.OVERDUE`` when past due."""
    if left < 0:
        return Reminder.OVERDUE
    reached = [t for t in thresholds if left <= t]
    return min(reached) if reached else None


def remind(application, today):
    """Send the reminder this request has reached today, unless it was already sent. Returns the threshold sent."""
    if application.status != Status.PROCESSING or application.due_date is None:
        return None
    thresholds = sorted(settings.APPLICATIONS_REMINDER_THRESHOLDS)
    left = days_left(application.due_date, today)
    threshold = threshold_for(left, thresholds)
    if threshold is None:
        return None
    # Thresholds passed without a beat (a pause ended, the worker was down) are marked as sent with this one.
    passed = [t for t in thresholds if t >= threshold] if threshold else [*thresholds, Reminder.OVERDUE]
    existing = set(
        Reminder.objects.filter(request=application, due_date=application.due_date).values_list(
            "threshold", flat=True
        )
    )
    if threshold in existing:
        return None
    to = recipients(application)
    try:
        with transaction.atomic():
            for t in passed:
                if t not in existing:
                    Reminder.objects.create(
                        request=application,
                        threshold=t,
                        due_date=application.due_date,
                        recipients=len(to) if t == threshold else 0,
                    )
    except IntegrityError:  # another worker sent it a moment ago
        return None
    if threshold == Reminder.OVERDUE:
        subject = f"【已逾期】政府信息公开申请 {application.tracking_code} 已超过答复期限"
    else:
        subject = f"【剩余{left}个工作日】政府信息公开申请 {application.tracking_code} 将到答复期限"
    body = (
        f"申请编号：{application.tracking_code}\n所需信息：{application.info_title}\n"
        f"申请人：{application.masked_name}\n答复期限：{application.due_date:%Y-%m-%d}\n"
        f"办理：{settings.WAGTAILADMIN_BASE_URL}/admin/applications/process/{application.pk}/\n"
    )
    if to:
        send_mail(subject, body, None, to, fail_silently=False)
    RequestEvent.objects.create(
        request=application,
        kind=RequestEvent.Kind.REMINDER,
        on=today,
        note=subject,
        data={"threshold": threshold, "recipients": len(to)},
    )
    return threshold


@shared_task(
    name="applications.run_clock",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
    time_limit=600,
    soft_time_limit=540,
    ignore_result=True,
)
def run_clock():
    today = timezone.localdate()
    withdrawn = expire_missed_deadlines(today)
    sent = 0
    for application in InformationRequest.objects.filter(
        status=Status.PROCESSING, due_date__isnull=False
    ).select_related("department"):
        if remind(application, today) is not None:
            sent += 1
    logger.info("applications.run_clock: %d withdrawn, %d reminders", withdrawn, sent)
    return {"withdrawn": withdrawn, "reminders": sent}
