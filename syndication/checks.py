"""System checks: retry countdowns must stay below the broker's visibility timeout (a countdown longer than it
makes Redis redeliver the message to another worker, a duplicate run), and the job lease above the task's time
limit (a lease that expires mid-task lets a second worker take the job)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def syndication_timing(app_configs, **kwargs):
    errors = []
    visibility = (getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}).get(
        "visibility_timeout", 3600
    )
    for name in ("SYNDICATION_MAX_COUNTDOWN", "SYNDICATION_RETRY_MAX_SECONDS"):
        if getattr(settings, name) >= visibility:
            errors.append(
                Error(
                    f"{name} ({getattr(settings, name)} s) must be below the broker's visibility timeout ({visibility} s).",
                    hint="Lower it, or raise CELERY_VISIBILITY_TIMEOUT.",
                    id="syndication.E001",
                )
            )
    from .tasks import run_job_task

    if settings.SYNDICATION_LEASE_SECONDS <= (run_job_task.time_limit or 0):
        errors.append(
            Error(
                f"SYNDICATION_LEASE_SECONDS ({settings.SYNDICATION_LEASE_SECONDS}) must exceed the run_job task's "
                f"time limit ({run_job_task.time_limit} s).",
                id="syndication.E002",
            )
        )
    return errors
