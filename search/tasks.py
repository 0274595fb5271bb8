"""Celery tasks of site search. They take primary keys only and re-read the database."""

from celery import shared_task
from django.apps import apps
from django.db import OperationalError

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="search.index_objects", soft_time_limit=300, time_limit=360, **RETRY)
def index_objects(app_label, model_name, pks):
    from .indexing import reindex

    return reindex(apps.get_model(app_label, model_name), pks)
