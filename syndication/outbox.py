"""The outbox: jobs are written in the same transaction as the gate's release, and enqueued after it commits.

The gate (``cms.review.gate.record_release``) creates one ``GateRelease`` per revision that goes live through
review, inside the publishing transaction; its ``post_save`` writes one job per account the released revision
opted into, unique per (revision, account, action), so approving twice makes one job. A page that never passed
the gate (a bypass, an import) has no release and is never pushed. Tasks are sent on commit, with the job id
only; a rollback leaves neither the release nor the jobs.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_unpublished

from cms.core import units
from cms.review.models import GateRelease

from .backends import Done, Failed
from .models import ACTIVE_STATES, Account, Channel, JobAction, JobState, RepublishPolicy, SyndicationJob

TARGET_FIELDS = {
    Channel.WECHAT: ("account_id", "title", "digest", "author", "cover_id", "mass_send"),
    Channel.WEIBO: ("account_id", "text", "picture_id"),
}


def targets_of(page):
    """(channel, target) for each account the page (a revision's object or a form instance) is pushed to."""
    return [(Channel.WECHAT, t) for t in page.wechat_targets.all()] + [
        (Channel.WEIBO, t) for t in page.weibo_targets.all()
    ]


def _enqueue(job_ids):
    from .tasks import enqueue_all

    enqueue_all(job_ids)


@receiver(post_save, sender=GateRelease)
def release_recorded(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    jobs = create_jobs(instance)
    if jobs:
        ids = [job.pk for job in jobs]
        transaction.on_commit(lambda: _enqueue(ids))


def create_jobs(release):
    """The jobs for one release (inside its transaction). Returns the ones to run."""
    page = release.revision.as_object()
    department = units.containing(page)
    now = timezone.now()
    to_run = []
    for channel, target in targets_of(page):
        account = Account.objects.filter(pk=target.account_id, channel=channel).first()
        if account is None:
            continue
        state, reason = JobState.PENDING, ""
        if not account.available_to(department):
            state, reason = JobState.SKIPPED, "该账号已停用，或不属于本页面的发布部门"
        elif (
            account.republish_policy == RepublishPolicy.NONE
            and SyndicationJob.objects.filter(
                page_id=release.page_id,
                account=account,
                action=JobAction.PUBLISH,
                state__in=(JobState.PUBLISHED, *ACTIVE_STATES),
            )
            .exclude(revision_id=release.revision_id)
            .exists()
        ):
            state, reason = JobState.SKIPPED, "本页面已推送过；按账号策略，修改后重新发布不再推送"
        job, was_created = SyndicationJob.objects.get_or_create(
            revision_id=release.revision_id,
            account=account,
            action=JobAction.PUBLISH,
            defaults={
                "page_id": release.page_id,
                "release": release,
                "channel": channel,
                "state": state,
                "last_error": reason,
                "finished_at": now if state == JobState.SKIPPED else None,
                "urgent": bool(getattr(type(page), "syndication_urgent", False)),
                "payload": {"target": {name: getattr(target, name) for name in TARGET_FIELDS[channel]}},
            },
        )
        if not was_created or state != JobState.PENDING:
            continue
        # An older revision's job that never reached the platform is superseded by this one.
        SyndicationJob.objects.filter(
            page_id=release.page_id,
            account=account,
            action=JobAction.PUBLISH,
            state=JobState.PENDING,
            step="prepare",
        ).exclude(pk=job.pk).update(state=JobState.CANCELLED, last_error="已被新版本取代", finished_at=now)
        to_run.append(job)
    return to_run


def release_problem(job):
    """Checked again before the first remote call: the revision passed the gate and the page is still live."""
    if not GateRelease.objects.filter(revision_id=job.revision_id).exists():
        return Failed("该版本未经审核发布，不推送", "not-released")
    page = Page.objects.only("live", "live_revision_id").get(pk=job.page_id)
    if not page.live:
        return Done(JobState.CANCELLED, detail="页面已撤下，未推送")
    newer = SyndicationJob.objects.filter(
        page_id=job.page_id, account_id=job.account_id, action=JobAction.PUBLISH, pk__gt=job.pk
    ).exclude(state__in=(JobState.CANCELLED, JobState.SKIPPED))
    if page.live_revision_id != job.revision_id and newer.exists():
        return Done(JobState.CANCELLED, detail="已被新版本取代")
    return None


# Withdrawals -----------------------------------------------------------------------------------------


@receiver(page_unpublished)
def page_withdrawn(sender, instance, **kwargs):
    withdraw(instance)


WEIBO_MANUAL = "页面已撤下：微博没有删除接口，请在微博客户端手动删除这条微博，然后在此标记“已手动删除”。"
MASS_MANUAL = (
    "页面已撤下：群发消息不能通过发布接口删除，请在公众平台“已群发消息”中删除，然后在此标记“已手动删除”。"
)


def withdraw(page):
    """The page is no longer public: cancel what has not reached the platforms, delete WeChat articles,
    flag Weibo posts (and mass sends) for manual removal."""
    now = timezone.now()
    SyndicationJob.objects.filter(
        page_id=page.pk, action=JobAction.PUBLISH, state__in=ACTIVE_STATES, step="prepare", in_flight=""
    ).update(state=JobState.CANCELLED, last_error="页面已撤下，未推送", finished_at=now)
    to_run = []
    for job in SyndicationJob.objects.filter(
        page_id=page.pk, action=JobAction.PUBLISH, state=JobState.PUBLISHED
    ):
        if job.channel == Channel.WECHAT and not job.remote.get("msg_id"):
            withdrawal, created = SyndicationJob.objects.get_or_create(
                revision_id=job.revision_id,
                account_id=job.account_id,
                action=JobAction.WITHDRAW,
                defaults={
                    "page_id": page.pk,
                    "channel": job.channel,
                    "urgent": job.urgent,
                    "payload": {"article_id": job.remote_id, "publish_job": job.pk},
                },
            )
            if created:
                to_run.append(withdrawal.pk)
        elif not job.manual_action:
            job.manual_action = WEIBO_MANUAL if job.channel == Channel.WEIBO else MASS_MANUAL
            job.save(update_fields=["manual_action", "updated_at"])
    if to_run:
        transaction.on_commit(lambda: _enqueue(to_run))


def after_published(job):
    """A job that finished publishing after its page was taken down is withdrawn at once."""
    if job.action == JobAction.PUBLISH and not Page.objects.filter(pk=job.page_id, live=True).exists():
        withdraw(job.page)
