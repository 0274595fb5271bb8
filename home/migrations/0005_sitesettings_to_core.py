"""站点设置 moves to cms.core: every part of the portal reads the bureau's name, address and telephone (letters,
new media, the footer). The table is renamed; no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0004_page_lookup_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="sitesettings", table="core_sitesettings")],
            state_operations=[migrations.DeleteModel(name="SiteSettings")],
        )
    ]
