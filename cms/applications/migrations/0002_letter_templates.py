"""The starting wording of every document (补正、延期、征求第三方意见、收费 and the reply types). Idempotent: templates
staff have already edited are left as they are."""

from django.db import migrations


def seed(apps, schema_editor):
    from cms.applications.letters import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("applications", "LetterTemplate")
    for key, (title, body) in DEFAULT_TEMPLATES.items():
        LetterTemplate.objects.get_or_create(key=key, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
