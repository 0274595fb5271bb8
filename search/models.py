"""The search index's entries, and what editors maintain for citizens' searches."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .text import normalize, segments


class IndexEntry(models.Model):
    """One indexed object. Its text lives in the database's full-text structure (``backend/storage.py``):
    the FTS5 row whose rowid is ``key`` on SQLite, tsvector columns of this table on PostgreSQL.

    ``key`` = seconds of the object's search date * 10**8 + a sequence number (:class:`KeySequence`): unique
    and in date order, so the full-text index can be read newest first without sorting, and a match joins
    its entry by primary key. ``facet`` is the object's ``search_facet`` (a disclosure item's 组配分类), so
    results can be counted by it without reading the objects' own tables.
    """

    key = models.BigIntegerField(primary_key=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    demoted = models.BooleanField(default=False)
    facet = models.CharField(max_length=32, blank=True, default="")

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_indexentry_object")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"


class KeySequence(models.Model):
    """The counter behind index entry keys (one row), advanced by a single UPDATE per batch."""

    last = models.BigIntegerField(default=0)

    wagtail_reference_index_ignore = True


class Synonym(models.Model):
    """同义词与俗称: words citizens type, and the official terms a search for them should also find.

    开出租 → 出租汽车经营许可, 交通局 → 交通运输局, 驾校 → 机动车驾驶员培训, 罚款 → 行政处罚. Where the
    term appears in a query, results for any of its expansions count too (the page says so).
    """

    term = models.CharField(
        _("搜索词"), max_length=40, unique=True, help_text=_("群众常用的说法、简称或俗称，例如：开出租")
    )
    expansions = models.TextField(
        _("同时搜索"), help_text=_("每行一个：正式名称或同义词，例如：出租汽车经营许可")
    )
    two_way = models.BooleanField(
        _("互为同义词"),
        default=False,
        help_text=_("勾选后，搜索右侧任一词语时也会搜索“搜索词”和其他同义词。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词词典")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {'、'.join(self.expansion_list)}"

    @property
    def expansion_text(self):
        return "、".join(self.expansion_list)

    expansion_text.fget.short_description = _("同时搜索")

    @property
    def expansion_list(self):
        seen = []
        for line in self.expansions.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines():
            word = normalize(line)
            if word and word != self.term and word not in seen:
                seen.append(word)
        return seen

    def clean(self):
        super().clean()
        self.term = normalize(self.term)
        if not self.term or not any(True for _ in segments(self.term)):
            raise ValidationError({"term": _("请填写搜索词。")})
        if not self.expansion_list:
            raise ValidationError({"expansions": _("请至少填写一个不同于搜索词的同义词。")})

    def save(self, *args, **kwargs):
        self.term = normalize(self.term)
        super().save(*args, **kwargs)


class SearchTerm(models.Model):
    """The vocabulary behind suggestions, pinyin input and 您是不是要找: words from published titles, 关键词,
    unit and column names, and the synonym dictionary, with their pinyin. Rebuilt by the Celery task
    ``search.rebuild_vocabulary`` (nightly, and after ``load_demo``); ``weight`` is how many pages use it."""

    term = models.CharField(max_length=40, unique=True)
    pinyin = models.CharField(max_length=240, db_index=True)
    initials = models.CharField(max_length=40, db_index=True)
    length = models.PositiveSmallIntegerField(db_index=True)
    weight = models.PositiveIntegerField(default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("搜索词汇")
        verbose_name_plural = _("搜索词汇")

    def __str__(self):
        return self.term


class QueryStat(models.Model):
    """What the last search for a query found, beside Wagtail's own hit counts (search_promotions.Query):
    the editors' report of searches without results reads it."""

    query = models.OneToOneField(
        "wagtailsearchpromotions.Query",
        on_delete=models.CASCADE,
        related_name="stat",
        verbose_name=_("搜索词"),
    )
    last_result_count = models.PositiveIntegerField(_("最近结果数"), default=0)
    zero_result_hits = models.PositiveIntegerField(_("无结果次数"), default=0)
    last_searched_at = models.DateTimeField(_("最近搜索时间"), db_index=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("搜索词统计")
        verbose_name_plural = _("搜索词统计")
        indexes = [models.Index(fields=["last_result_count", "-zero_result_hits"], name="search_stat_zero")]

    def __str__(self):
        return str(self.query)


@register_setting(icon="search")
class SearchSettings(BaseSiteSetting):
    """站内搜索设置: the terms recommended under the search box, and whether popular searches are shown."""

    recommended = models.TextField(
        _("推荐搜索词"),
        blank=True,
        default="依申请公开\n政务公开\n行政执法\n出租汽车\n农村公路\n12345热线",
        help_text=_("每行一个，显示在搜索框下方。"),
    )
    show_popular = models.BooleanField(
        _("显示热门搜索"),
        default=True,
        help_text=_("按近30天搜索次数自动生成；只显示有结果、且不含审核词库中政治表述和敏感词的搜索词。"),
    )

    panels = [FieldPanel("recommended"), FieldPanel("show_popular")]

    class Meta:
        verbose_name = _("站内搜索设置")

    @property
    def recommended_list(self):
        return [line.strip() for line in self.recommended.splitlines() if line.strip()][:12]
