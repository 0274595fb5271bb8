"""节假日与调休 (CalendarDay), moved here from cms.applications with its rows: the table was renamed by
applications 0003, so this only takes the model into the state, and the content type (with the permissions that
groups hold on it) follows."""

from django.db import migrations, models

from ._moves import moved


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0003_calendarday_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("day", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "is_workday",
                            models.BooleanField(
                                help_text="勾选：调休上班日（周末上班）；不勾选：法定节假日或调休放假日。",
                                verbose_name="上班",
                            ),
                        ),
                        (
                            "note",
                            models.CharField(
                                blank=True, help_text="例如：2027年春节调休", max_length=120, verbose_name="说明"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "节假日与调休",
                        "verbose_name_plural": "节假日与调休",
                        "ordering": ["-day"],
                    },
                )
            ],
        ),
        moved("calendarday", "applications"),
    ]
