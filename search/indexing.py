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
    from kombu.exceptions import OperationalError

    from .tasks import index_objects

    try:
        index_objects.delay(app_label, model_name, pks)
    except OperationalError:
        logger.warning("search: broker unreachable, indexing %s.%s %s inline", app_label, model_name, pks)
        index_objects.run(app_label, model_name, pks)


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
