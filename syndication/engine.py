"""The job runner: claim a job, run its backend's steps, classify what went wrong, decide what comes next.

Exactly once, step by step:

- A job is *claimed* with a conditional UPDATE (due, not leased or lease expired), so two deliveries of the same
  task, or a task and the periodic dispatcher, never run one job at the same time.
- Every remote id is saved the moment it is known, before the next call; a resumed job starts at the step after
  the last completed one.
- A call whose effect is not idempotent (draft/add, freepublish/submit, mass send, share) is marked ``in_flight``
  before it is made. If the answer is lost (timeout after sending, dropped connection, Weibo 20032/20019) the
  mark stays and the job *reconciles* (freepublish/batchget, draft/get, the Weibo timeline) before anything is
  called again. A worker killed mid-call leaves the same mark and an expiring lease.
- Retries use bounded exponential backoff with jitter; waits up to ``SYNDICATION_MAX_COUNTDOWN`` (kept below the
  broker's visibility timeout) are Celery countdowns, longer ones (quota windows) wait in ``next_attempt_at``
  for the periodic dispatcher.
"""

import datetime
import logging
import os
import random
import socket
import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .backends import Done, Failed, Later, get_backend
from .errors import ApiError, Kind
from .models import AccountStatus, JobState, SyndicationJob

logger = logging.getLogger(__name__)


class Held:
    """The account needs a human (re-authorisation, credentials): the job waits until the account is fixed."""

    def __init__(self, reason):
        self.reason = reason


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def lease_seconds():
    return settings.SYNDICATION_LEASE_SECONDS


def claim(job_id):
    """Take the job for this worker if it is due and nobody holds it; None otherwise."""
    now = timezone.now()
    early = now + datetime.timedelta(seconds=1)  # a countdown may fire a moment before next_attempt_at
    claimed = (
        SyndicationJob.objects.filter(pk=job_id)
        .due(early)
        .exclude(state=JobState.HELD)
        .update(lease_until=now + datetime.timedelta(seconds=lease_seconds()), leased_by=worker_name())
    )
    if not claimed:
        return None
    return SyndicationJob.objects.select_related("account", "page", "revision").get(pk=job_id)


def save_progress(job):
    """Persist what the job knows now (remote ids first) and extend the lease."""
    job.lease_until = timezone.now() + datetime.timedelta(seconds=lease_seconds())
    job.save()


def mark_in_flight(job, call):
    job.in_flight, job.in_flight_at = call, timezone.now()
    save_progress(job)


def clear_in_flight(job):
    job.in_flight, job.in_flight_at = "", None


# Waiting -----------------------------------------------------------------------------------------------


def backoff(attempt):
    """Exponential backoff with equal jitter: half the delay fixed, half random; capped."""
    base = float(settings.SYNDICATION_RETRY_BASE_SECONDS)
    delay = min(float(settings.SYNDICATION_RETRY_MAX_SECONDS), base * 2 ** max(0, attempt - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def quota_wait(window):
    """Seconds until a quota window reopens: "minute", "hour" or "midnight" (Beijing time), unless overridden."""
    override = settings.SYNDICATION_QUOTA_WAIT.get(window)
    if override is not None:
        return float(override)
    if window == "minute":
        return 60 + random.uniform(0, 10)
    if window == "hour":
        return 3600 + random.uniform(0, 60)
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return (midnight - now).total_seconds() + random.uniform(0, 300)


# Running -----------------------------------------------------------------------------------------------


def run_job(job_id):
    """Run one job as far as it goes now. Returns its state, or None if it was not due or is held elsewhere."""
    job = claim(job_id)
    if job is None:
        return None
    job.phase = "step"
    if job.account.status != AccountStatus.OK:
        # Another job already found the account broken: wait with it instead of calling the platform again.
        finish(job, Held(job.account.status_reason or "账号待处理"))
        return job.state
    try:
        outcome = advance(job, get_backend(job.account))
    except ApiError as exc:
        outcome = from_error(job, exc)
    except Exception as exc:  # a bug or a malformed answer must not lose the job: retry, then fail visibly
        logger.exception("syndication job %s: unexpected error in step %s", job.pk, job.step)
        job.attempts += 1
        job.add_history(job.step, "error", detail=type(exc).__name__)
        job.last_error_code, job.last_error = "internal", f"内部错误（{type(exc).__name__}），稍后自动重试"
        if job.attempts >= settings.SYNDICATION_MAX_ATTEMPTS:
            outcome = Failed(f"内部错误（{type(exc).__name__}）：请联系系统管理员", "internal")
        else:
            outcome = Later(
                backoff(job.attempts), JobState.RECONCILING if job.in_flight else JobState.WAITING
            )
    finish(job, outcome)
    return job.state


def advance(job, backend):
    if job.step == "prepare":
        result = backend.prepare(job)
        if not isinstance(result, str):
            return result
        job.step = result
        save_progress(job)
    for _guard in range(200):
        if job.in_flight:
            job.phase = "reconcile"
            outcome = backend.reconcile(job)
        else:
            job.phase = "step"
            outcome = backend.step(job)
        if outcome is not None:
            return outcome
        job.attempts = 0  # the step is done: the retry bound applies to each step, not to the whole job
    return Later(1, job.state)  # a step that made no progress: come back rather than spin


def from_error(job, exc):
    """What an ApiError means for this job (see ``syndication.errors``)."""
    kind = exc.kind
    reconciling = job.phase == "reconcile"
    if kind is Kind.UNKNOWN and not job.in_flight:
        kind = Kind.TRANSIENT  # an idempotent call (an upload, a status poll): simply call again
    if not reconciling and kind is not Kind.UNKNOWN and job.in_flight:
        clear_in_flight(job)  # the platform refused the call or never got it: it did not act
    job.error_kind, job.last_error_code, job.last_error = kind.value, exc.code_label[:40], exc.reason[:500]
    job.add_history(exc.step or job.step, kind.value, exc.code, exc.message)
    waiting = (
        JobState.RECONCILING
        if job.in_flight
        else (JobState.SUBMITTED if job.step == "poll" else JobState.WAITING)
    )
    if kind in (Kind.TRANSIENT, Kind.TOKEN):
        job.attempts += 1
        if job.attempts >= settings.SYNDICATION_MAX_ATTEMPTS:
            return Failed(f"多次重试仍未成功：{exc.reason}", exc.code_label)
        return Later(backoff(job.attempts), waiting, exc.reason)
    if kind is Kind.QUOTA:
        return Later(quota_wait(exc.retry_after or "minute"), waiting, exc.reason)
    if kind in (Kind.REAUTH, Kind.ACCOUNT):
        from .notify import account_problem

        account_problem(job.account, kind, exc.reason)
        return Held(exc.reason)
    if kind is Kind.UNKNOWN:
        job.remote["unknown_code"] = exc.code_label
        return Later(settings.SYNDICATION_RECONCILE_SECONDS, JobState.RECONCILING, exc.reason)
    if reconciling:
        return Failed(f"核实结果时出错：{exc.reason}", exc.code_label)
    return Failed(exc.reason, exc.code_label)


def finish(job, outcome):
    now = timezone.now()
    countdown = None
    if isinstance(outcome, Done):
        job.state = outcome.state
        job.remote_id = outcome.remote_id or job.remote_id
        job.remote_url = outcome.url or job.remote_url
        job.finished_at, job.next_attempt_at = now, None
        clear_in_flight(job)
        job.error_kind = job.last_error_code = job.last_error = ""
        job.add_history(job.step, outcome.state, detail=outcome.detail)
    elif isinstance(outcome, Later):
        job.state = outcome.state
        job.next_attempt_at = now + datetime.timedelta(seconds=outcome.seconds)
        if outcome.reason and outcome.state == JobState.WAITING:
            job.last_error = outcome.reason[:500]  # why it waits (a retry, a quota, the hourly limit)
        if outcome.seconds <= settings.SYNDICATION_MAX_COUNTDOWN:
            countdown = outcome.seconds
    elif isinstance(outcome, Held):
        job.state, job.next_attempt_at = JobState.HELD, None
        job.last_error = outcome.reason[:500]
    else:  # Failed
        job.state, job.finished_at, job.next_attempt_at = JobState.FAILED, now, None
        job.last_error, job.last_error_code = outcome.reason[:500], (outcome.code or job.last_error_code)[:40]
        job.add_history(job.step, "failed", outcome.code, outcome.reason)
    job.lease_until, job.leased_by = None, ""
    job.save()
    if countdown is not None:
        from .tasks import enqueue

        transaction.on_commit(lambda: enqueue(job.pk, urgent=job.urgent, countdown=countdown))
    if job.state == JobState.FAILED:
        from .notify import job_failed

        job_failed(job)
    if job.state == JobState.PUBLISHED:
        from .outbox import after_published

        after_published(job)


def retry(job, user=None):
    """The admin's safe retry: the job resumes from its stored ids; a call with an unknown outcome is reconciled
    first. A new incident may be notified again."""
    if not job.can_retry:
        return False
    updated = SyndicationJob.objects.filter(pk=job.pk, state=job.state).update(
        state=JobState.RECONCILING if job.in_flight else JobState.WAITING,
        attempts=0,
        next_attempt_at=timezone.now(),
        finished_at=None,
        notified_at=None,
        lease_until=None,
    )
    if updated:
        from .tasks import enqueue

        job.refresh_from_db()
        job.add_history(job.step, "retry", detail=f"由 {user.get_username() if user else '系统'} 重试")
        job.save(update_fields=["history"])
        transaction.on_commit(lambda: enqueue(job.pk, urgent=job.urgent))
    return bool(updated)


def dispatch_due(limit=500):
    """The periodic safety net: jobs whose message was lost, whose worker died (lease expired), or whose wait
    was longer than a countdown. Returns the number of jobs enqueued."""
    from .tasks import enqueue

    grace = datetime.timedelta(seconds=settings.SYNDICATION_DISPATCH_GRACE_SECONDS)
    now = timezone.now()
    due = (
        SyndicationJob.objects.due(now - grace)
        .exclude(state=JobState.HELD)
        .filter(created_at__lte=now - grace)
        .order_by("-urgent", "next_attempt_at", "pk")
        .values_list("pk", "urgent")[:limit]
    )
    ids = []
    for pk, urgent in due:
        enqueue(pk, urgent=urgent)
        ids.append(pk)
    from .notify import stuck_jobs

    stuck_jobs()
    return len(ids)
