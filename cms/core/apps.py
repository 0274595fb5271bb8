from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = "公共基础"

    def ready(self):
        from . import signals  # noqa: F401
