"""Telling people, once per incident: a failed job tells its page's editors; an account that needs
re-authorisation or fixing tells its managers. Retries are silent; a conditional UPDATE on ``notified_at`` (or
the account's status) makes sure concurrent workers send one message, not one each."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.mail import send_mail
from wagtail.log_actions import log

from cms.core import units

from .errors import Kind
from .models import Account, AccountStatus, JobState, SyndicationJob

logger = logging.getLogger(__name__)


def _admin_url(name, *args):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


def page_recipients(job):
    """The page's department editors and reviewers, the submitter of the release, and the page's owner."""
    department = units.containing(job.page)
    groups = (
        [g for g in (department.editors_group_id, department.reviewers_group_id) if g] if department else []
    )
    users = Q(groups__in=groups) if groups else Q(pk__in=[])
    if job.release_id and job.release.workflow_state_id:
        users |= Q(pk=job.release.workflow_state.requested_by_id)
    if job.page.owner_id:
        users |= Q(pk=job.page.owner_id)
    return _emails(users)


def account_recipients(account):
    users = Q(is_superuser=True)
    if account.managers_id:
        users |= Q(groups=account.managers_id)
    elif account.department_id and account.department.reviewers_group_id:
        users |= Q(groups=account.department.reviewers_group_id)
    return _emails(users)


def _emails(users):
    User = get_user_model()
    return sorted(
        set(User.objects.filter(users, is_active=True).exclude(email="").values_list("email", flat=True))
    )


def job_failed(job, headline="推送失败"):
    """Once per incident: a retry clears ``notified_at``, so a new failure after it is a new incident."""
    if not SyndicationJob.objects.filter(pk=job.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    ):
        return False
    title = job.page.title
    subject = f"【新媒体{headline}】{job.account}：{title}"
    body = (
        f"《{title}》推送到{job.account}：{headline}。\n\n原因：{job.last_error}\n\n"
        f"处理后可在后台安全重试（系统会先核实平台上的结果，不会重复发布）：\n"
        f"{_admin_url('syndication_job:inspect', job.pk)}\n"
    )
    recipients = page_recipients(job)
    if recipients:
        send_mail(subject, body, recipients)
    log(
        instance=job.page.specific,
        action="syndication.failed",
        data={"account": str(job.account), "reason": job.last_error},
    )
    return True


def account_problem(account, kind, reason):
    """Mark the account (needs re-authorisation, or misconfigured) and tell its managers, once."""
    status = AccountStatus.NEEDS_REAUTH if kind is Kind.REAUTH else AccountStatus.ERROR
    now = timezone.now()
    changed = (
        Account.objects.filter(pk=account.pk)
        .exclude(status=status)
        .update(status=status, status_reason=reason[:300], status_changed_at=now, notified_at=now)
    )
    account.status, account.status_reason = status, reason[:300]
    if not changed:
        return False
    what = "需要重新授权" if status == AccountStatus.NEEDS_REAUTH else "配置异常"
    body = (
        f"新媒体账号“{account}”{what}：{reason}\n\n在处理之前，推送到该账号的信息会暂停（不会丢失）；"
        f"处理后，暂停的推送会自动继续。\n{_admin_url('syndication_account:edit', account.pk)}\n"
    )
    recipients = account_recipients(account)
    if recipients:
        send_mail(f"【新媒体账号{what}】{account}", body, recipients)
    logger.warning("syndication account %s: %s (%s)", account.pk, status, reason)
    return True


def account_restored(account):
    """The account works again (re-authorised, or fixed by an administrator): resume its held jobs."""
    from .engine import retry

    Account.objects.filter(pk=account.pk).update(
        status=AccountStatus.OK, status_reason="", status_changed_at=timezone.now(), notified_at=None
    )
    account.status = AccountStatus.OK
    resumed = 0
    for job in SyndicationJob.objects.filter(account=account, state=JobState.HELD):
        resumed += bool(retry(job))
    return resumed


def expiring_tokens(days=3):
    """Weibo tokens that expire within ``days``: the account's managers are told once before it happens."""
    soon = timezone.now() + datetime.timedelta(days=days)
    told = 0
    for account in Account.objects.filter(
        channel="weibo", active=True, status=AccountStatus.OK, weibo_token_expires_at__lte=soon
    ).exclude(weibo_access_token=""):
        if account.notified_at and account.notified_at >= account.weibo_token_expires_at - datetime.timedelta(
            days=days
        ):
            continue
        Account.objects.filter(pk=account.pk).update(notified_at=timezone.now())
        when = timezone.localtime(account.weibo_token_expires_at).strftime("%Y-%m-%d %H:%M")
        recipients = account_recipients(account)
        if recipients:
            send_mail(
                f"【微博授权即将到期】{account}",
                f"微博账号“{account}”的授权将于 {when} 到期，请在到期前重新授权，以免推送中断：\n"
                f"{_admin_url('syndication_account:edit', account.pk)}\n",
                recipients,
            )
        told += 1
    return told


def stuck_jobs():
    """Jobs waiting on WeChat's publish result far longer than usual: their editors are told once."""
    limit = timezone.now() - datetime.timedelta(minutes=settings.SYNDICATION_STUCK_MINUTES)
    told = 0
    for job in SyndicationJob.objects.filter(
        state__in=(JobState.SUBMITTED, JobState.RECONCILING), created_at__lt=limit, notified_at__isnull=True
    ).select_related("page", "account"):
        job.last_error = job.last_error or "长时间未得到平台的发布结果，系统仍在核实"
        told += job_failed(job, headline="推送长时间未完成")
    return told
