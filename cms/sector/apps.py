from django.apps import AppConfig


class SectorConfig(AppConfig):
    name = "cms.sector"
    label = "sector"
    verbose_name = "行业领域公开"

    def ready(self):
        from . import signals  # noqa: F401
