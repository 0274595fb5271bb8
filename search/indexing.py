"""Index updates through Celery: objects saved in a transaction are indexed by one task after it commits.

The backend's ``add()`` (called by Wagtail on every save of an indexed object: publish, unpublish, move,
edit) calls :func:`schedule`. The pending primary keys are collected per thread and sent, grouped by model,
by the first on-commit callback of the transaction (the others find nothing left to send). Keys left by a
rolled-back transaction go out with the next commit; that costs a needless re-read, never a wrong entry,
because the task indexes what the database holds (and removes what it no longer holds). Tasks carry ids
only. If the broker cannot be reached the objects are indexed at once instead, so a publish never
fails and the index never silently falls behind.
"""

import logging
import threading

from django.db import transaction

logger = logging.getLogger(__name__)
_state = threading.local()


def _pending():
    if not hasattr(_state, "pending"):
        _state.pending = {}
    return _state.pending


def schedule(model, pk, using=None):
    """Index ``model`` object ``pk`` after the current transaction commits (at once outside one)."""
    key = (model._meta.app_label, model._meta.model_name)
    _pending().setdefault(key, set()).add(pk)
    transaction.on_commit(flush, using=using)


def flush():
    pending = dict(_pending())
    _pending().clear()
    for (app_label, model_name), pks in pending.items():
        enqueue(app_label, model_name, sorted(pks))


def enqueue(app_label, model_name, pks):
    from .tasks import index_objects

    send(index_objects, app_label, model_name, pks)


def send(task, *args):
    """``task.delay(*args)``; if the broker cannot be reached, run the task here and now instead."""
    from kombu.exceptions import OperationalError

    try:
        task.delay(*args)
    except OperationalError:
        logger.warning("search: broker unreachable, running %s%r inline", task.name, args)
        task.run(*args)


def asynchronous():
    """Whether the default search backend sends index updates to Celery (``ASYNC_UPDATES``)."""
    from modelsearch.backends import get_search_backend

    return getattr(get_search_backend(), "async_updates", False)


def send_on_commit(task, *args):
    """Send ``task`` to Celery after commit; when index updates are synchronous, run it now instead (in the
    same transaction, as the backend's own updates are)."""
    if asynchronous():
        transaction.on_commit(lambda: send(task, *args))
    else:
        task.run(*args)


def reindex(model, pks):
    """Index these objects now (the work of the Celery task); objects that are gone are removed."""
    from modelsearch.backends import get_search_backends_with_name

    pks = list(pks)
    found = list(model.get_indexed_objects().filter(pk__in=pks))
    missing = set(pks) - {obj.pk for obj in found}
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        if found:
            backend.add_bulk(model, found)
        if missing and hasattr(backend, "delete_objects"):
            backend.delete_objects(model, missing)
    return len(found), len(missing)


def reindex_subtree(page, chunk_size=500):
    """Index every page below ``page`` again (their indexed text names the unit above them)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    descendants = Page.objects.descendant_of(page)
    total = 0
    for content_type_id in descendants.order_by().values_list("content_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        pks = list(descendants.filter(content_type_id=content_type_id).values_list("pk", flat=True))
        for offset in range(0, len(pks), chunk_size):
            found, _missing = reindex(model, pks[offset : offset + chunk_size])
            total += found
    return total
