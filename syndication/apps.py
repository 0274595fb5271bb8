import logging

from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "syndication"
    verbose_name = "新媒体同步"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, outbox  # noqa: F401  (system checks; the outbox's signal receivers)
        from .errors import RedactSecretsFilter

        # WeChat requires access_token in the query string, and urllib3 logs URLs at DEBUG.
        logging.getLogger("urllib3.connectionpool").addFilter(RedactSecretsFilter())
