from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "cms.departments"
    label = "departments"
    verbose_name = "机构设置"

    def ready(self):
        from . import signals  # noqa: F401
