"""节假日与调休 moves to cms.core, which every statutory clock reads: the table is renamed, no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_letter_templates")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="calendarday", table="core_calendarday")],
            state_operations=[migrations.DeleteModel(name="CalendarDay")],
        )
    ]
