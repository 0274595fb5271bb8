"""Celery tasks of the pipeline. They take ids only and re-read the database; the engine makes them idempotent.

They run on their own queue (``syndication``, see ``CELERY_TASK_ROUTES``) so slow platforms never hold up the
site's other work; jobs of urgent pages (emergency releases) go to ``SYNDICATION_URGENT_QUEUE``, which workers
read first and production may give a worker of its own, so they never wait behind a backlog. Late acks with reject-on-worker-lost redeliver a task whose worker died; the job's lease and
``in_flight`` mark make that redelivery safe. Retries are not Celery retries: the engine schedules the next run
itself (a countdown below the broker's visibility timeout, or ``next_attempt_at`` for the dispatcher).
"""

from celery import shared_task
from django.conf import settings


@shared_task(
    name="syndication.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=180,
    soft_time_limit=150,
)
def run_job_task(job_id):
    from .engine import run_job

    return run_job(job_id)


def enqueue(job_id, urgent=False, countdown=None):
    """Send one job to a worker: on the urgent queue for urgent pages, else on the task's own route."""
    options = {"queue": settings.SYNDICATION_URGENT_QUEUE} if urgent else {}
    run_job_task.apply_async((job_id,), countdown=countdown, **options)


def enqueue_all(job_ids):
    """Send the given jobs, urgent ones first."""
    from .models import SyndicationJob

    flags = dict(SyndicationJob.objects.filter(pk__in=job_ids).values_list("pk", "urgent"))
    for pk in sorted(job_ids, key=lambda pk: not flags.get(pk, False)):
        enqueue(pk, urgent=flags.get(pk, False))


@shared_task(name="syndication.dispatch_due", ignore_result=True, time_limit=120, soft_time_limit=100)
def dispatch_due_task():
    from .engine import dispatch_due

    return dispatch_due()


@shared_task(name="syndication.check_accounts", ignore_result=True, time_limit=120, soft_time_limit=100)
def check_accounts_task():
    from .notify import expiring_tokens

    return expiring_tokens()
