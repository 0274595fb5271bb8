"""索引号: allocated once, at first publish, from a configurable pattern; never reused, never changed.

The per-organisation, per-year counter is a row incremented with a single UPDATE inside the publishing
transaction, so two concurrent publishes serialise on that row (PostgreSQL row lock, SQLite write lock) and
can never draw the same number. A number drawn by a transaction that later rolls back is simply skipped.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class IndexNumberSequence(models.Model):
    org_code = models.CharField(_("组织机构代码"), max_length=18)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_value = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        app_label = "disclosure"
        verbose_name = _("索引号序列")
        verbose_name_plural = _("索引号序列")
        constraints = [models.UniqueConstraint(fields=["org_code", "year"], name="unique_index_sequence")]

    def __str__(self):
        return f"{self.org_code}/{self.year}: {self.last_value}"


def format_index_number(org_code, year, seq, pattern=None):
    return (pattern or settings.DISCLOSURE_INDEX_NUMBER_PATTERN).format(org_code=org_code, year=year, seq=seq)


def allocate_index_number(org_code, year):
    """Draw the next 索引号 for ``org_code`` in ``year``."""
    with transaction.atomic():
        sequence, _created = IndexNumberSequence.objects.get_or_create(org_code=org_code, year=year)
        IndexNumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
        sequence.refresh_from_db(fields=["last_value"])
    return format_index_number(org_code, year, sequence.last_value)
