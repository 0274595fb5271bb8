from django.db import migrations

# HomePage.route resolves a URL with one lookup on url_path, and the navigation query asks for the depth-3
# pages of a site; Wagtail's page table indexes neither column. IF NOT EXISTS keeps this harmless should
# Wagtail add such an index itself.
INDEXES = {
    "portal_page_url_path": "url_path",
    "portal_page_depth_path": "depth, path",
}


class Migration(migrations.Migration):
    dependencies = [("home", "0003_english_locale"), ("wagtailcore", "0054_initial_locale")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
