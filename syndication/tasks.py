"""Celery tasks of the pipeline. They take ids only and re-read the database; the engine makes them idempotent.

They run on their own queue (``syndication``, see ``CELERY_TASK_ROUTES``) so slow platforms never hold up the
site's other work. Late acks with reject-on-worker-lost redeliver a task whose worker died; the job's lease and
``in_flight`` mark make that redelivery safe. Retries are not Celery retries: the engine schedules the next run
itself (a countdown below the broker's visibility timeout, or ``next_attempt_at`` for the dispatcher).
"""

from celery import shared_task


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


@shared_task(name="syndication.dispatch_due", ignore_result=True, time_limit=120, soft_time_limit=100)
def dispatch_due_task():
    from .engine import dispatch_due

    return dispatch_due()


@shared_task(name="syndication.check_accounts", ignore_result=True, time_limit=120, soft_time_limit=100)
def check_accounts_task():
    from .notify import expiring_tokens

    return expiring_tokens()
