from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "cms.review"
    label = "review"
    verbose_name = "审核把关"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import documents, gate, signals  # noqa: F401  (signals: receivers connect on import)

        documents.connect()
        gate.guard_children_of_gated_pages()
        post_migrate.connect(_ensure_workflow, sender=self)


def _ensure_workflow(sender, using="default", **kwargs):
    from .setup import ensure_review_workflow

    ensure_review_workflow()
