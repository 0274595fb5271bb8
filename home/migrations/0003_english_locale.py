from django.db import migrations


def add_english(apps, schema_editor):
    """zh-hans is the default locale (Wagtail's own migration); English is there from the start, so the
    English site can be translated with wagtail-localize later without a data migration."""
    Locale = apps.get_model("wagtailcore.Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage")]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
