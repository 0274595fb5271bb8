"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def tune_embedded_broker(**kwargs):
    """kombu's SQLAlchemy transport (the embedded broker) hands every transport option to SQLAlchemy's
    create_engine, so how long an idle consumer sleeps before looking for messages again (1 s by default) can only
    be set on the transport class."""
    from django.conf import settings
    from kombu.transport import sqlalchemy

    sqlalchemy.Transport.polling_interval = settings.CELERY_BROKER_POLLING_INTERVAL
