"""The index entries, and each database's full-text structure for them (see search/backend/storage.py)."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE search_indexentry_fts USING fts5("
    "title, head, body, autocomplete, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_indexentry_fts"]

POSTGRESQL = [
    "ALTER TABLE search_indexentry ADD COLUMN title_vector tsvector, ADD COLUMN head_vector tsvector, "
    "ADD COLUMN body_vector tsvector, ADD COLUMN autocomplete_vector tsvector",
    "CREATE INDEX search_indexentry_title_gin ON search_indexentry USING gin (title_vector)",
    "CREATE INDEX search_indexentry_head_gin ON search_indexentry USING gin (head_vector)",
    "CREATE INDEX search_indexentry_body_gin ON search_indexentry USING gin (body_vector)",
    "CREATE INDEX search_indexentry_autocomplete_gin ON search_indexentry USING gin (autocomplete_vector)",
    # No planner statistics for body_vector: with them PostgreSQL picks a sequential scan that decompresses
    # every vector for terms found in most rows, ten times slower than the GIN index.
    "ALTER TABLE search_indexentry ALTER COLUMN body_vector SET STATISTICS 0",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE search_indexentry DROP COLUMN IF EXISTS title_vector, DROP COLUMN IF EXISTS head_vector, "
    "DROP COLUMN IF EXISTS body_vector, DROP COLUMN IF EXISTS autocomplete_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.CreateModel(
            name="IndexEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.BigIntegerField()),
                ("date_key", models.BigIntegerField(null=True, unique=True)),
                ("demoted", models.BooleanField(default=False)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="indexentry",
            constraint=models.UniqueConstraint(fields=("content_type", "object_id"), name="search_indexentry_object"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
