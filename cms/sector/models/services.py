"""办事服务: service items with their 办事指南, the catalogue's change log, and the generated service lists."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler

from ..vocabularies import (
    ServiceChangeKind,
    ServiceList,
    ServiceListKind,
    ServiceType,
)
from .base import StructuredRecordMixin, paragraphs, sector_edit_handler

# 办事服务 ----------------------------------------------------------------------------------------------


class ServiceItemPage(StructuredRecordMixin, DisclosureItemPage):
    """A service item of the 权力清单 / 责任清单 with its 办事指南; its 不见面 / 见一次面 flags put it on the
    generated lists, and every published change is written to the public change log (``ServiceChange``)."""

    record_category = Category.SERVICES

    # The fields whose change is reported in the public change log, in display order.
    TRACKED_FIELDS = (
        "title",
        "list_type",
        "provincial_code",
        "service_type",
        "basis",
        "conditions",
        "materials",
        "procedure",
        "time_limit",
        "fees",
        "place",
        "hours",
        "phone",
        "online_url",
        "no_visit",
        "one_visit",
    )

    list_type = models.CharField(
        _("清单类别"), max_length=16, choices=ServiceList.choices, default=ServiceList.POWER
    )
    provincial_code = models.CharField(
        _("事项编码"), max_length=40, db_index=True, help_text=_("江苏省政务服务事项统一编码（三级四同）")
    )
    service_type = models.CharField(_("事项类型"), max_length=8, choices=ServiceType.choices)
    basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("受理条件"), blank=True)
    materials = models.TextField(_("申请材料"), blank=True, help_text=_("每行一项"))
    procedure = models.TextField(_("办理流程"), blank=True, help_text=_("每行一步"))
    time_limit = models.CharField(
        _("办理时限"), max_length=100, blank=True, help_text=_("例如：法定20个工作日，承诺5个工作日")
    )
    fees = models.CharField(_("收费标准"), max_length=200, default="不收费")
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    online_url = models.URLField(_("网上办理地址"), blank=True)
    no_visit = models.BooleanField(
        _("不见面审批（服务）"), default=False, help_text=_("全程网上办理，申请人无需到现场")
    )
    one_visit = models.BooleanField(_("见一次面"), default=False, help_text=_("申请人最多到现场一次"))
    change_note = models.CharField(
        _("本次调整说明"),
        max_length=200,
        blank=True,
        help_text=_("发布后显示在“动态更新”中，例如：压缩办理时限"),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("list_type"), FieldPanel("service_type")]),
                FieldPanel("provincial_code"),
                FieldPanel("basis"),
            ],
            heading=_("事项"),
        ),
        MultiFieldPanel(
            [FieldPanel("conditions"), FieldPanel("materials"), FieldPanel("procedure")],
            heading=_("办事指南"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit"), FieldPanel("fees")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("hours")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("online_url")]),
            ],
            heading=_("办理信息"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("no_visit"), FieldPanel("one_visit")]), FieldPanel("change_note")],
            heading=_("不见面 / 见一次面"),
        ),
        FieldPanel("body", heading=_("补充说明（可留空）")),
        InlinePanel("attachments", heading=_("附件（表格下载）"), label=_("附件")),
    ]
    edit_handler = sector_edit_handler(content_panels)

    search_fields = DisclosureItemPage.search_fields + [
        index.SearchField("provincial_code", boost=2),
        index.SearchField("basis"),
        index.SearchField("conditions"),
        index.SearchField("materials"),
        index.FilterField("no_visit"),
        index.FilterField("one_visit"),
    ]
    template = "sector/service_item_page.html"

    class Meta:
        verbose_name = _("办事服务事项")
        verbose_name_plural = _("办事服务事项")

    @property
    def material_list(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    @property
    def procedure_list(self):
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]

    def generated_body(self):
        return paragraphs((self._meta.get_field("basis").verbose_name, self.basis))

    def fill_defaults(self):
        super().fill_defaults()
        if not (self.summary or "").strip() and self.service_type:
            self.summary = f"{self.get_service_type_display()}事项“{self.title}”的办事指南。"[:100]

    def clean(self):
        super().clean()
        errors = {}
        if self.no_visit and self.one_visit:
            errors["one_visit"] = _("“不见面”与“见一次面”只能选择一项。")
        if self.no_visit and not self.online_url:
            errors["online_url"] = _("不见面审批事项须填写网上办理地址。")
        clash = ServiceItemPage.objects.filter(
            provincial_code=self.provincial_code, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if self.provincial_code and clash.exists():
            errors["provincial_code"] = _("该事项编码已被《%(t)s》使用。") % {"t": clash.first().title}
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["changes"] = list(self.changes.order_by("-published_at", "-pk")[:20])
        return context


class ServiceChange(models.Model):
    """One published change of a service item (动态更新): added, adjusted (which fields) or withdrawn.

    Written when the item is published or unpublished (``cms.sector.signals``), from its Wagtail revisions.
    """

    page = models.ForeignKey(
        ServiceItemPage, null=True, on_delete=models.SET_NULL, related_name="changes", verbose_name=_("事项")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("事项名称"), max_length=255)
    provincial_code = models.CharField(_("事项编码"), max_length=40)
    kind = models.CharField(_("变更类型"), max_length=12, choices=ServiceChangeKind.choices)
    fields = models.JSONField(_("调整内容"), default=list, blank=True)
    note = models.CharField(_("调整说明"), max_length=200, blank=True)
    no_visit = models.BooleanField(_("不见面"), default=False)
    one_visit = models.BooleanField(_("见一次面"), default=False)
    lists_changed = models.JSONField(_("影响的清单"), default=list, blank=True)
    published_at = models.DateTimeField(_("更新时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("服务事项动态更新")
        verbose_name_plural = _("服务事项动态更新")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def field_labels(self):
        return "、".join(self.fields)

    def lists_display(self):
        return "、".join(str(ServiceListKind(k).label) for k in self.lists_changed)


class ServiceListPage(GatedPageMixin, RoutablePageMixin, Page):
    """不见面清单 / 见一次面清单 (or the whole catalogue), generated from the published items' flags, with the
    list's change log (动态更新)."""

    list_kind = models.CharField(_("清单"), max_length=12, choices=ServiceListKind.choices)
    intro = RichTextField(_("清单说明"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("list_kind"), FieldPanel("intro")]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []
    template = "sector/service_list_page.html"

    class Meta:
        verbose_name = _("服务事项清单")
        verbose_name_plural = _("服务事项清单")

    def clean(self):
        super().clean()
        clash = ServiceListPage.objects.filter(list_kind=self.list_kind, locale_id=self.locale_id).exclude(
            pk=self.pk
        )
        if self.list_kind and clash.exists():
            raise ValidationError({"list_kind": _("该清单已有页面：%(t)s") % {"t": clash.first().title}})

    def get_items(self):
        from ..querysets import service_items_for

        return service_items_for(self.list_kind, self.locale_id)

    def get_changes(self, limit=30):
        """The latest changes that put an item on this list, took one off it, or changed one on it."""
        from ..querysets import changes_for

        return changes_for(self.list_kind, limit)

    @path("")
    def listing(self, request):
        return self.render(
            request, context_overrides={"items": list(self.get_items()), "changes": self.get_changes(10)}
        )

    @path("dtgx/", name="changes")
    def changes(self, request):
        return self.render(
            request,
            template="sector/service_changes.html",
            context_overrides={"changes": self.get_changes(200)},
        )
