from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "cms.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_groups, sender=self)


def _ensure_groups(sender, **kwargs):
    from .setup import ensure_groups

    ensure_groups()
