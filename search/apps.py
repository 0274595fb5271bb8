from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from . import signals

        signals.connect_signals()
        post_migrate.connect(drop_orphan_text, sender=self)


def drop_orphan_text(sender, using="default", **kwargs):
    """SQLite's FTS5 table is not a Django model, so a flush (transactional tests, ``manage.py flush``) empties the
    index entries but not their text; the next entries would reuse the keys and collide. After every migrate or
    flush, text without its entry goes."""
    from django.db import connections

    from .backend.storage import ENTRY_TABLE, FTS_TABLE

    connection = connections[using]
    if connection.vendor != "sqlite" or FTS_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT key FROM {ENTRY_TABLE})")
