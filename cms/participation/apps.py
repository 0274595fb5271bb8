from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "cms.participation"
    label = "participation"
    verbose_name = "互动交流"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_setup, sender=self)


def _ensure_setup(sender, **kwargs):
    from .setup import ensure_groups

    ensure_groups()
