"""Celery tasks of site search. They take primary keys only and re-read the database."""

from celery import shared_task
from django.apps import apps
from django.db import OperationalError
from wagtail.documents import get_document_model

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.review.attachments import extract

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="search.index_objects", soft_time_limit=300, time_limit=360, **RETRY)
def index_objects(app_label, model_name, pks):
    """Index these objects as the database holds them now; remove the entries of those that are gone."""
    from .indexing import reindex

    return reindex(apps.get_model(app_label, model_name), pks)


@shared_task(name="search.reindex_subtree", soft_time_limit=1800, time_limit=1900, **RETRY)
def reindex_subtree(page_id):
    """After a move or a unit's rename: index the pages below ``page_id`` again."""
    from wagtail.models import Page

    from .indexing import reindex_subtree as run

    page = Page.objects.filter(pk=page_id).first()
    return run(page) if page is not None else 0


@shared_task(name="search.extract_document", soft_time_limit=600, time_limit=660, **RETRY)
def extract_document(document_id):
    """At upload: extract the document's text into the cache, then index the items it is attached to."""
    from .indexing import reindex

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return 0
    extract(document)
    pages = DisclosureAttachment.objects.filter(document_id=document_id).values_list("page_id", flat=True)
    found, _missing = reindex(DisclosureItemPage, set(pages))
    return found


@shared_task(name="search.record_search", soft_time_limit=30, time_limit=60, ignore_result=True, **RETRY)
def record_search(query, result_count):
    """Count a search and remember whether it found anything (hot searches; the zero-result report)."""
    from .suggest import record

    record(query, result_count)


@shared_task(name="search.rebuild_vocabulary", soft_time_limit=1800, time_limit=1900, **RETRY)
def rebuild_vocabulary():
    """The words behind suggestions, pinyin input and 您是不是要找, from published content (nightly)."""
    from .suggest import rebuild_vocabulary as run

    return run()
