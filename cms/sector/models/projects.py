"""重大项目 with milestones, progress and approvals, and 公共资源配置 deals with their stages."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category

from ..vocabularies import (
    ApprovalKind,
    DealKind,
    DealStageKind,
)
from .base import StructuredRecordMixin, paragraphs, sector_edit_handler

# 重大项目 and 公共资源配置 ---------------------------------------------------------------------------


class ProjectPage(StructuredRecordMixin, DisclosureItemPage):
    """A major project (重大项目): investment, schedule, milestones, progress updates over time, its approvals
    (设计审批, 施工许可, 竣工验收 …) and its public resource deals with their stage timelines."""

    record_category = Category.MAJOR_PROJECTS

    project_code = models.CharField(
        _("项目代码"), max_length=40, blank=True, help_text=_("投资项目在线审批监管平台代码")
    )
    owner_unit = models.CharField(_("项目法人（建设单位）"), max_length=120)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    scale = models.TextField(_("建设规模及内容"))
    total_investment = models.DecimalField(
        _("总投资（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    funding = models.CharField(_("资金来源"), max_length=200, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    planned_completion = models.DateField(_("计划完工日期"), null=True, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("project_code"), FieldPanel("owner_unit")]),
                FieldPanel("location"),
                FieldPanel("scale"),
                FieldRowPanel([FieldPanel("total_investment"), FieldPanel("funding")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("planned_completion")]),
            ],
            heading=_("项目概况"),
        ),
        InlinePanel("milestones", heading=_("里程碑"), label=_("里程碑")),
        InlinePanel("progress_updates", heading=_("建设进展"), label=_("进展")),
        InlinePanel("approvals", heading=_("审批及许可"), label=_("审批")),
        FieldPanel("body", heading=_("项目说明（可留空）")),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    edit_handler = sector_edit_handler(content_panels)

    search_fields = DisclosureItemPage.search_fields + [
        index.SearchField("project_code", boost=2),
        index.SearchField("owner_unit"),
        index.SearchField("scale"),
        index.RelatedFields("progress_updates", [index.SearchField("text")]),
    ]
    template = "sector/project_page.html"

    class Meta:
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")

    def generated_body(self):
        return paragraphs((self._meta.get_field("scale").verbose_name, self.scale))

    def fill_defaults(self):
        super().fill_defaults()
        if not (self.summary or "").strip() and self.total_investment is not None:
            self.summary = f"{self.title}：总投资{self.total_investment}万元。"[:100]

    def clean(self):
        super().clean()
        if self.start_date and self.planned_completion and self.planned_completion < self.start_date:
            raise ValidationError({"planned_completion": _("计划完工日期不能早于开工日期。")})

    @cached_property
    def progress_list(self):
        """Progress updates in date order (read once per page view)."""
        return sorted(
            self.progress_updates.select_related("image"), key=lambda u: (u.date, u.sort_order or 0)
        )

    @property
    def latest_progress(self):
        return self.progress_list[-1] if self.progress_list else None

    def timeline(self):
        """Milestones and progress updates, in date order, as (date, kind, entry)."""
        entries = [(m.actual_date or m.planned_date, "milestone", m) for m in self.milestones.all()]
        entries += [(u.date, "progress", u) for u in self.progress_list]
        return sorted(entries, key=lambda e: (e[0], e[1]))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = self.timeline()
        context["approval_list"] = list(self.approvals.select_related("link_page"))
        context["deal_list"] = [
            (deal, deal.stage_timeline())
            for deal in DealPage.objects.published()
            .filter(project=self)
            .prefetch_related("stages__document", "stages__link_page")
            .order_by("path")
        ]
        return context


class ProjectMilestone(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    planned_date = models.DateField(_("计划日期"))
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("planned_date"), FieldPanel("actual_date")])]

    class Meta(Orderable.Meta):
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")

    @property
    def is_late(self):
        return self.actual_date is None and self.planned_date < timezone.localdate()


class ProjectProgress(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="progress_updates")
    date = models.DateField(_("日期"))
    percent = models.PositiveSmallIntegerField(
        _("形象进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("进展情况"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("现场照片"),
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("percent")]),
        FieldPanel("text"),
        FieldPanel("image"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("建设进展")
        verbose_name_plural = _("建设进展")


class ProjectApproval(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("审批类别"), max_length=16, choices=ApprovalKind.choices)
    document_number = models.CharField(_("批准文号"), max_length=80, blank=True)
    date = models.DateField(_("批准日期"))
    link_page = models.ForeignKey(
        "disclosure.DisclosureItemPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("公示信息"),
    )
    url = models.URLField(_("外部链接"), blank=True, help_text=_("在省市平台公示的，填写其地址"))

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("document_number"), FieldPanel("date")]),
        PageChooserPanel("link_page", "disclosure.DisclosureItemPage"),
        FieldPanel("url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("审批及许可")
        verbose_name_plural = _("审批及许可")


class DealPage(StructuredRecordMixin, DisclosureItemPage):
    """A public resource deal (公共资源配置): five dated stages 交易公告 → 资格审查结果 → 交易过程 → 成交信息 →
    合同履约信息, shown as a timeline here and on its project. A stage skipped (a later one is out) or past its
    due date is flagged to editors (admin 行业公开 → 公开时限)."""

    record_category = Category.PUBLIC_RESOURCES

    project = models.ForeignKey(
        ProjectPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name=_("所属项目"),
    )
    deal_kind = models.CharField(
        _("交易类型"), max_length=16, choices=DealKind.choices, default=DealKind.CONSTRUCTION
    )
    deal_code = models.CharField(_("项目（标段）编号"), max_length=60, blank=True)
    method = models.CharField(_("交易方式"), max_length=40, default="公开招标")
    budget = models.DecimalField(
        _("预算或最高限价（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                PageChooserPanel("project", "sector.ProjectPage"),
                FieldRowPanel([FieldPanel("deal_kind"), FieldPanel("method")]),
                FieldRowPanel([FieldPanel("deal_code"), FieldPanel("budget")]),
            ],
            heading=_("交易"),
        ),
        InlinePanel("stages", heading=_("交易环节"), label=_("环节")),
        FieldPanel("body", heading=_("说明（可留空）")),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    edit_handler = sector_edit_handler(content_panels)

    search_fields = DisclosureItemPage.search_fields + [
        index.SearchField("deal_code", boost=2),
        index.RelatedFields("stages", [index.SearchField("summary")]),
    ]
    template = "sector/deal_page.html"

    class Meta:
        verbose_name = _("公共资源交易")
        verbose_name_plural = _("公共资源交易")

    def generated_body(self):
        return f"<p>{escape(self.title)}（{escape(self.method)}）。</p>"

    def fill_defaults(self):
        super().fill_defaults()
        if not (self.summary or "").strip():
            self.summary = f"{self.title}交易全过程信息。"[:100]

    def stage_timeline(self, today=None):
        from ..deadlines import deal_timeline

        # Prefetched (a project's deals) or read with their file and announcement page in one query.
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("stages")
        stages = prefetched if prefetched is not None else self.stages.select_related("document", "link_page")
        return deal_timeline(list(stages), today=today)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = self.stage_timeline()
        context["project_page"] = (
            ProjectPage.objects.published().filter(pk=self.project_id).first() if self.project_id else None
        )
        return context


class DealStage(Orderable):
    page = ParentalKey(DealPage, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("环节"), max_length=16, choices=DealStageKind.choices)
    date = models.DateField(_("公开日期"), null=True, blank=True, help_text=_("尚未公开的留空"))
    due_date = models.DateField(_("应公开日期"), null=True, blank=True)
    summary = models.TextField(_("内容"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("文件"),
    )
    link_page = models.ForeignKey(
        "disclosure.DisclosureItemPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("公告页面"),
        help_text=_("该环节已作为公开信息发布的（如招标公告），请选择"),
    )

    panels = [
        FieldRowPanel([FieldPanel("stage"), FieldPanel("date"), FieldPanel("due_date")]),
        FieldPanel("summary"),
        FieldPanel("document"),
        PageChooserPanel("link_page", "disclosure.DisclosureItemPage"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("交易环节")
        verbose_name_plural = _("交易环节")
