"""The search index's entries, and what editors maintain for citizens' searches."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class IndexEntry(models.Model):
    """One indexed object. Its text lives in the database's full-text structure (``backend/storage.py``):
    the FTS5 table row whose rowid is ``date_key`` on SQLite, tsvector columns of this table on PostgreSQL.

    ``date_key`` = seconds of the object's search date * 10**8 + this entry's id: unique, and in date order,
    so the full-text index can be read newest first without sorting.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    date_key = models.BigIntegerField(null=True, unique=True)
    demoted = models.BooleanField(default=False)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_indexentry_object")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
