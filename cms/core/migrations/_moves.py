"""Helpers of the migrations that moved models into cms.core (not a migration: the loader skips ``_`` names)."""


def move_content_type(model, old, new):
    """A RunPython function giving ``old``'s content type of ``model`` to ``new``: the permissions that groups
    hold on the model follow it, and nothing is lost on a database that had the model in ``old``."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)

    return move


def moved(model, old):
    """The forward and backward RunPython operation for ``model`` moving from app ``old`` into core."""
    from django.db import migrations

    return migrations.RunPython(move_content_type(model, old, "core"), move_content_type(model, "core", old))
