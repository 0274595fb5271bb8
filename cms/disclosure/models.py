"""政府信息公开: the section, its columns (栏目), the catalogue (目录) and disclosure items.

Items live in their department's subtree (the department is the 发布机构 and the permission boundary);
columns and the catalogue gather them across departments by 组配分类. Later item types (执法决定, 项目, …)
subclass ``DisclosureItemPage`` so that they appear in every column, the catalogue and the feeds; the shared
metadata and its behaviour (索引号, 发布日期, the metadata tab) live in ``DisclosureMetadataMixin``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms.core import units
from cms.core.navigation import navigation_for
from cms.core.richtext import RICH_TEXT_FEATURES
from cms.review.attachments import document_text
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler
from syndication.forms import SyndicatedPageForm
from syndication.pages import SyndicatedPageMixin

from . import pairing
from .index_numbers import IndexNumberSequence, allocate_index_number  # noqa: F401  (model registration)
from .querysets import DisclosureItemQuerySet
from .vocabularies import (
    Category,
    DisclosureMode,
    Genre,
    InterpretationFormat,
    Topic,
    Validity,
)


class DisclosureMetadataMixin(models.Model):
    """The standard metadata of a disclosed item (政府信息公开条例第十二条 and the Suqian sites' metadata block), with its own editor tab.

    ``index_number``, ``publisher_name`` and ``publish_date`` are set by the system at first publish and are
    immutable afterwards: they are not in any form, revisions cannot carry them back, and ``save`` refuses a
    change.
    """

    IDENTITY_FIELDS = ("index_number", "publish_date", "publisher_name")

    index_number = models.CharField(
        _("索引号"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    publisher_name = models.CharField(_("发布机构"), max_length=120, blank=True, editable=False)
    publish_date = models.DateTimeField(_("发布日期"), null=True, blank=True, editable=False, db_index=True)

    category = models.CharField(_("组配分类"), max_length=16, choices=Category.choices, db_index=True)
    topic = models.CharField(_("主题分类"), max_length=8, choices=Topic.choices, default=Topic.TRANSPORT)
    genre = models.CharField(_("体裁分类"), max_length=8, choices=Genre.choices, default=Genre.OTHER)
    document_number = models.CharField(
        _("文号"), max_length=80, blank=True, help_text=_("例如：宿交发〔2019〕45号")
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=12, choices=Validity.choices, default=Validity.VALID)
    revised_by = models.ForeignKey(
        "disclosure.DisclosureItemPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修订后的文件"),
        help_text=_("有效性为“已修订”时必填：指向修订后的新文件。"),
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("多个关键词以逗号分隔"))
    summary = models.CharField(_("内容概述"), max_length=100, blank=True, help_text=_("不超过100字"))
    disclosure_mode = models.CharField(
        _("公开方式"), max_length=12, choices=DisclosureMode.choices, default=DisclosureMode.ACTIVE
    )

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("topic"), FieldPanel("genre")]),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_date")]),
                FieldPanel("disclosure_mode"),
            ],
            heading=_("分类与文号"),
        ),
        MultiFieldPanel(
            [FieldPanel("validity"), PageChooserPanel("revised_by", "disclosure.DisclosureItemPage")],
            heading=_("有效性"),
        ),
        MultiFieldPanel([FieldPanel("keywords"), FieldPanel("summary")], heading=_("关键词与概述")),
    ]

    class Meta:
        abstract = True

    @property
    def keyword_list(self):
        text = self.keywords
        for sep in "，、;；":
            text = text.replace(sep, ",")
        return [kw.strip() for kw in text.split(",") if kw.strip()]

    @property
    def is_current(self):
        return self.validity == Validity.VALID

    # Site search (search/backend): 失效 and 废止 documents rank after current ones; results sort by 发布日期
    # and are counted by 组配分类.
    @property
    def search_demoted(self):
        return self.validity in (Validity.EXPIRED, Validity.REPEALED)

    @property
    def search_date(self):
        return self.publish_date or self.first_published_at

    @property
    def search_facet(self):
        return self.category

    def clean(self):
        super().clean()
        if self.validity == Validity.REVISED and not self.revised_by_id:
            raise ValidationError({"revised_by": _("有效性为“已修订”时，请选择修订后的文件。")})
        if self.revised_by_id and self.revised_by_id == self.pk:
            raise ValidationError({"revised_by": _("不能选择文件自身作为修订后的文件。")})
        if self.written_date and self.written_date > timezone.localdate():
            raise ValidationError({"written_date": _("成文日期不能晚于今天。")})

    # Identity: 索引号, 发布机构, 发布日期 --------------------------------------------------------------

    def get_department(self):
        return units.containing(self)

    def assign_disclosure_identity(self):
        """Fix 索引号, 发布机构 and 发布日期 at first publish.

        A translation is the same item in another language: it takes its source's 发布机构 and 发布日期 and
        shows the source's 索引号 (``catalogue_index_number``) rather than storing a second copy of it.
        """
        source = self.get_identity_source()
        if source is not None:
            self.publish_date, self.publisher_name = source.publish_date, source.publisher_name
            return
        department = self.get_department()
        if department is None:
            raise ValidationError(_("公开信息必须位于某个部门之下，才能生成索引号。"))
        # A publish_date set before first publish only comes from importing historical items.
        self.publish_date = self.publish_date or timezone.now()
        self.publisher_name = department.title
        year = timezone.localtime(self.publish_date).year
        self.index_number = allocate_index_number(department.org_code, year)

    def get_identity_source(self):
        """The published page in another locale that this page translates, if any."""
        return (
            type(self)
            ._default_manager.filter(translation_key=self.translation_key, index_number__isnull=False)
            .exclude(pk=self.pk)
            .only(*self.IDENTITY_FIELDS)
            .first()
        )

    @property
    def has_disclosure_identity(self):
        return bool(self.publisher_name)

    @cached_property
    def catalogue_index_number(self):
        """The 索引号 to show: this page's own, or for a translation its source's (one query, translations only)."""
        if self.index_number or not self.has_disclosure_identity:
            return self.index_number
        source = self.get_identity_source()
        return source.index_number if source else None

    def _refuse_identity_change(self):
        stored = type(self)._default_manager.filter(pk=self.pk).values(*self.IDENTITY_FIELDS).first()
        if not stored or not stored["publisher_name"]:
            return
        for field in self.IDENTITY_FIELDS:
            if getattr(self, field) != stored[field]:
                label = self._meta.get_field(field).verbose_name
                raise ValidationError(_("%(field)s 在首次发布后不可更改。") % {"field": label})

    def save(self, *args, **kwargs):
        if self.pk:
            self._refuse_identity_change()
        assigned = False
        if self.live and not self.has_disclosure_identity:
            self.assign_disclosure_identity()
            assigned = True
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = list(update_fields) + list(self.IDENTITY_FIELDS)
        result = super().save(*args, **kwargs)
        if assigned:
            log(
                instance=self,
                action="disclosure.identity_assigned",
                data={"index_number": self.index_number or "", "publish_date": self.publish_date.isoformat()},
            )
        return result

    def with_content_json(self, content):
        """Revisions never carry the identity fields: the live values always win."""
        obj = super().with_content_json(content)
        for field in self.IDENTITY_FIELDS:
            setattr(obj, field, getattr(self, field))
        return obj


class DisclosureItemPage(GatedPageMixin, SyndicatedPageMixin, DisclosureMetadataMixin, Page):
    """A disclosed item: a policy document, its interpretation, a notice, a news report, a report…

    It reaches the public only through the editorial gate (cms/review): a 政策文件 that needs interpretation is
    submitted and published together with its 政策解读 (国办发〔2016〕80号: 谁起草谁解读, 同步). Once released by the gate it is pushed to the
    WeChat and Weibo accounts chosen on its 新媒体 tab (syndication/).
    """

    body = RichTextField(_("正文"), features=RICH_TEXT_FEATURES)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    interprets = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        verbose_name=_("解读的政策文件"),
        help_text=_("政策解读请选择所解读的政策文件（谁起草谁解读）。"),
    )
    needs_interpretation = models.BooleanField(
        _("需要政策解读"),
        default=True,
        help_text=_("政策文件默认须同步起草、同步审核、同步发布政策解读；确无必要时由审核人员同意后取消。"),
    )
    interpretation_format = models.CharField(
        _("解读形式"),
        max_length=8,
        choices=InterpretationFormat.choices,
        default=InterpretationFormat.TEXT,
        blank=True,
        help_text=_("仅政策解读使用；留空即文字解读。"),
    )
    interpretation_graphic = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("图解"),
    )
    interpretation_url = models.URLField(
        _("视频或H5地址"), blank=True, help_text=_("视频解读填写视频地址（mp4）；H5解读填写H5页面地址。")
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    metadata_panels = DisclosureMetadataMixin.metadata_panels + [
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldPanel("needs_interpretation"),
                PageChooserPanel("interprets", "disclosure.DisclosureItemPage"),
                FieldRowPanel([FieldPanel("interpretation_format"), FieldPanel("interpretation_url")]),
                FieldPanel("interpretation_graphic"),
            ],
            heading=_("来源与政策解读"),
        )
    ]
    edit_handler = gated_edit_handler(
        content_panels,
        ObjectList(metadata_panels, heading=_("公开属性")),
        ObjectList(SyndicatedPageMixin.syndication_panels, heading=_("新媒体")),
        form_class=SyndicatedPageForm,
    )

    # Fields with boost > 1 rank just below the title in site search (search/backend/documents.py).
    # 发布机构 is indexed as the name at first publish and the current unit's names, so an item is found
    # under a unit that was merged away or renamed.
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("document_number", boost=2),
        index.SearchField("index_number", boost=2),
        index.SearchField("keywords", boost=2),
        index.SearchField("summary", boost=2),
        index.SearchField("publisher_name"),
        index.SearchField("search_department_names"),
        index.RelatedFields(
            "attachments", [index.SearchField("display_title"), index.SearchField("search_text")]
        ),
        index.FilterField("category"),
        index.FilterField("validity"),
        index.FilterField("publish_date"),
        index.FilterField("publisher_name"),
    ]

    parent_page_types = ["departments.DepartmentPage"]
    subpage_types = []

    exclude_fields_in_copy = list(DisclosureMetadataMixin.IDENTITY_FIELDS)
    gate_system_fields = DisclosureMetadataMixin.IDENTITY_FIELDS  # fixed at first publish by the system
    objects = PageManager.from_queryset(DisclosureItemQuerySet)()

    class Meta(DisclosureMetadataMixin.Meta):
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        indexes = [models.Index(fields=["category", "publish_date"], name="disclosure_category_date")]

    @classmethod
    def get_indexed_objects(cls):
        """Bulk indexing reads attachment text and the unit's names with the items, not one query each."""
        unit = units.unit_of_path("path")
        return (
            super()
            .get_indexed_objects()
            .prefetch_related("attachments__document__review_text")
            .annotate(
                indexed_unit_title=Subquery(unit.values("title")[:1]),
                indexed_unit_short_name=Subquery(unit.values("short_name")[:1]),
            )
        )

    def search_department_names(self):
        if "indexed_unit_title" in self.__dict__:
            names = [self.indexed_unit_title, self.indexed_unit_short_name]
        else:
            department = self.get_department()
            names = [department.title, department.short_name] if department else []
        return " ".join(name for name in names if name)

    def clean(self):
        super().clean()
        if self.interprets_id and self.category != Category.INTERPRETATION:
            raise ValidationError({"interprets": _("只有“政策解读”类信息可以关联所解读的政策文件。")})
        if self.interprets_id and self.interprets_id == self.pk:
            raise ValidationError({"interprets": _("不能解读自身。")})
        if self.category == Category.INTERPRETATION:
            fmt = self.interpretation_format
            if fmt == InterpretationFormat.GRAPHIC and not self.interpretation_graphic_id:
                raise ValidationError({"interpretation_graphic": _("图解形式的解读请上传图解图片。")})
            if fmt in (InterpretationFormat.VIDEO, InterpretationFormat.H5) and not self.interpretation_url:
                raise ValidationError({"interpretation_url": _("视频或H5形式的解读请填写地址。")})

    # The review gate's hooks: a policy document and its interpretation pass it together (pairing.py).

    def gate_problems(self, *, submitting):
        return pairing.pairing_problems(self, submitting=submitting)

    def gate_companions(self):
        return pairing.companions(self)

    def gate_unpublish_problems(self):
        return pairing.unpublish_problems(self)

    def gate_move_problems(self, new_parent):
        return pairing.move_problems(self, new_parent)

    def get_workflow(self):
        """部门指定 > 栏目指定 > 全站默认: a department's own workflow wins; otherwise the column's, if set."""
        workflow = super().get_workflow()
        assigned_at = (
            Page.objects.ancestor_of(self, inclusive=True)
            .filter(workflowpage__workflow=workflow)
            .order_by("-depth")
            .values_list("depth", flat=True)
            .first()
            if workflow
            else None
        )
        if assigned_at is not None and assigned_at > 2:
            return workflow
        column = (
            ColumnPage.objects.filter(category=self.category, locale_id=self.locale_id, workflow__active=True)
            .select_related("workflow")
            .first()
        )
        return column.workflow if column else workflow

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Items are children of their department: the parent crumb is the current 发布机构 unit.
        crumbs = navigation_for(request, self).breadcrumbs
        context["department"] = crumbs[-1] if crumbs else None
        context["column"] = (
            ColumnPage.objects.live().filter(locale_id=self.locale_id, category=self.category).first()
        )
        context["attachment_list"] = list(self.attachments.select_related("document"))
        related_ids = [pk for pk in (self.interprets_id, self.revised_by_id) if pk]
        related = list(
            DisclosureItemPage.objects.published()
            .filter(Q(interprets=self) | Q(pk__in=related_ids))
            .only("title", "url_path", "path", "depth", "interprets_id")
            .newest_first()
        )
        context["interpretation_list"] = [p for p in related if p.interprets_id == self.pk]
        context["interpreted_policy"] = next((p for p in related if p.pk == self.interprets_id), None)
        context["revising_item"] = next((p for p in related if p.pk == self.revised_by_id), None)
        return context


class DisclosureAttachment(Orderable):
    page = ParentalKey(DisclosureItemPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("文件")
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True, help_text=_("留空则使用文件标题"))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    @property
    def display_title(self):
        return self.title or self.document.title

    def search_text(self):
        """The attached file's text for site search, from the review gate's extraction cache."""
        return document_text(self.document)


class DisclosureIndexPage(Page):
    """政府信息公开: 指南, 目录, 年报, 依申请公开 and the columns."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "disclosure.ColumnPage",
        "disclosure.CataloguePage",
        "home.StandardPage",
        "applications.ApplicationPage",
        "sector.CaseLookupPage",
        "sector.ServiceListPage",
        "sector.PolicyThemePage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开")
        verbose_name_plural = _("政府信息公开")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().specific().order_by("path")
        columns = [c for c in children if isinstance(c, ColumnPage)]
        by_category = (
            DisclosureItemPage.objects.published().filter(locale_id=self.locale_id).newest_by_category(5)
        )
        context["column_blocks"] = [(column, by_category.get(column.category, [])) for column in columns]
        context["entry_pages"] = [c for c in children if not isinstance(c, ColumnPage)]
        return context


class ColumnPage(RoutablePageMixin, Page):
    """A column (栏目): every published item of one 组配分类, across all departments, newest first."""

    category = models.CharField(_("组配分类"), max_length=16, choices=Category.choices)
    intro = RichTextField(_("栏目说明"), blank=True, features=["bold", "link"])
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("本栏目审核流程"),
        help_text=_("留空则使用全站默认流程；部门另行指定的流程优先。"),
    )

    content_panels = Page.content_panels + [FieldPanel("category"), FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("workflow")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def clean(self):
        super().clean()
        clash = ColumnPage.objects.filter(category=self.category, locale_id=self.locale_id).exclude(
            pk=self.pk
        )
        if self.category and clash.exists():
            raise ValidationError(
                {"category": _("该组配分类已有栏目：%(title)s") % {"title": clash.first().title}}
            )

    def get_items(self):
        return (
            DisclosureItemPage.objects.published()
            .filter(category=self.category, locale_id=self.locale_id)
            .for_listing()
            .newest_first()
        )

    @path("")
    def listing(self, request):
        from .views import paginate

        return self.render(request, context_overrides={"items": paginate(request, self.get_items())})

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import column_feed

        return column_feed(self, request)


class CataloguePage(Page):
    """目录: browse every published item by 组配分类, 发布机构 and year (条例第十二条)."""

    intro = RichTextField(_("说明"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("信息公开目录")
        verbose_name_plural = _("信息公开目录")

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["form"].errors:
            response.status_code = 400
        return response
