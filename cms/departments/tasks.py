"""Background work of reorganizations (机构调整), run by the Celery worker."""

from celery import shared_task
from django.db import OperationalError

REINDEX_BATCH = 500


@shared_task(name="departments.run_reorganization", time_limit=3600, soft_time_limit=3500, ignore_result=True)
def run_reorganization(reorganization_id):
    """Carry out a confirmed reorganization in one transaction (``reorganization.run``).

    Not retried: a failure is rolled back and recorded on the reorganization for a person to read. With
    ``acks_late`` a worker lost mid-run leaves the message to be redelivered; the rolled-back operation is then
    run again from the start (its status is still 执行中).
    """
    from .reorganization import run

    run(reorganization_id)


@shared_task(
    name="departments.reindex_pages",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    time_limit=1800,
    soft_time_limit=1700,
    ignore_result=True,
)
def reindex_pages(reorganization_id):
    """Update the search index for the pages a reorganization moved or renamed (their path, URL and title are
    indexed by path-aware backends such as Elasticsearch), through Wagtail's standard bulk API so that any
    configured backend follows. Returns the number of pages indexed and records it on the reorganization."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backends

    from .models import Reorganization

    record = Reorganization.objects.get(pk=reorganization_id)
    ids = record.result.get("reindex", [])
    backends = list(get_search_backends(with_auto_update=True))
    indexed = 0
    for offset in range(0, len(ids), REINDEX_BATCH):
        by_model = {}
        for page in Page.objects.filter(pk__in=ids[offset : offset + REINDEX_BATCH]).specific():
            by_model.setdefault(type(page), []).append(page)
        for model, pages in by_model.items():
            indexed_pages = [p for p in pages if p.get_indexed_instance() is not None]
            for backend in backends:
                backend.add_bulk(model, indexed_pages)
            indexed += len(indexed_pages)
    result = dict(record.result, search_reindexed=indexed)
    Reorganization.objects.filter(pk=record.pk).update(result=result)
    return indexed
