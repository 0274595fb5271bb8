"""Department reviewers no longer publish directly: pages go live only through the review gate (cms/review)."""

from django.db import migrations


def revoke_publish(apps, schema_editor):
    DepartmentPage = apps.get_model("departments", "DepartmentPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group_ids = DepartmentPage.objects.exclude(reviewers_group=None).values_list("reviewers_group_id", flat=True)
    GroupPagePermission.objects.filter(group_id__in=list(group_ids), permission__codename="publish_page").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(revoke_publish, migrations.RunPython.noop)]
