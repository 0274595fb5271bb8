"""The bureau's organisation: 机构设置 index and one DepartmentPage per unit.

A department's subtree holds everything it publishes, so the department is at once the 发布机构 of its items
and the permission boundary of its editors and reviewers (see ``permissions.py``).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms.core.validators import validate_org_code
from cms.disclosure.views import department_column_context
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler

from .forms import DepartmentPageForm
from .querysets import DepartmentPageQuerySet


class DepartmentKind(models.TextChoices):
    LEADERSHIP = "leadership", _("局领导")
    OFFICE = "office", _("机关处室")
    AFFILIATED = "affiliated", _("直属单位")
    ENFORCEMENT = "enforcement", _("执法支队")


class DepartmentStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    RENAMED = "renamed", _("已更名")
    MERGED = "merged", _("已合并")
    SPLIT = "split", _("已拆分")
    ABOLISHED = "abolished", _("已撤销")


class DepartmentIndexPage(Page):
    """机构设置: the bureau's units grouped by kind, then the units that reorganisations retired."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["departments.DepartmentPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("机构设置")
        verbose_name_plural = _("机构设置")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        departments = list(DepartmentPage.objects.child_of(self).live().order_by("path"))
        groups = []
        for kind in DepartmentKind:
            members = [d for d in departments if d.kind == kind and d.status == DepartmentStatus.ACTIVE]
            if members:
                groups.append((kind.label, members))
        context["department_groups"] = groups
        context["historical_departments"] = [d for d in departments if d.status != DepartmentStatus.ACTIVE]
        return context


class DepartmentPage(GatedPageMixin, Page):
    """One unit of the bureau (处室, 直属单位, 执法支队, or the 局领导 page)."""

    short_name = models.CharField(_("简称"), max_length=40)
    kind = models.CharField(
        _("机构类别"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.OFFICE
    )
    org_code = models.CharField(
        _("组织机构代码"),
        max_length=18,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{8}[0-9X]$|^[0-9A-HJ-NPQRTUWXY]{18}$",
                _("应为9位组织机构代码或18位统一社会信用代码"),
            ),
            validate_org_code,
        ],
        help_text=_("用于生成索引号，例如 014319557；也可填写18位统一社会信用代码。"),
    )
    duties = RichTextField(_("主要职责"), blank=True, features=["bold", "ol", "ul", "link"])
    head = models.CharField(_("负责人"), max_length=80, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("机构状态"), max_length=20, choices=DepartmentStatus.choices, default=DepartmentStatus.ACTIVE
    )
    predecessors = ParentalManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True, verbose_name=_("前身机构")
    )

    # Set by permissions.ensure_department_access when the unit is created; not edited by hand.
    editors_group = models.ForeignKey(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    reviewers_group = models.ForeignKey(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
        FieldPanel("duties"),
        InlinePanel("leaders", heading=_("领导成员"), label=_("领导")),
    ]
    organisation_panels = [
        MultiFieldPanel(
            [
                FieldPanel("org_code"),
                FieldPanel("head"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("office_hours"), FieldPanel("phone")]),
                FieldRowPanel([FieldPanel("fax"), FieldPanel("email")]),
            ],
            heading=_("机构信息"),
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("predecessors")],
            heading=_("机构沿革"),
            help_text=_("机构设立后，名称、简称、代码、网址和沿革通过“机构调整”变更，并记录文号和生效日期。"),
        ),
    ]
    edit_handler = gated_edit_handler(
        content_panels, ObjectList(organisation_panels, heading=_("机构信息")), form_class=DepartmentPageForm
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("duties"),
        index.FilterField("kind"),
        index.FilterField("status"),
    ]

    parent_page_types = ["departments.DepartmentIndexPage"]
    # A unit holds disclosure items: the plain type and every record type built on it (tests/disclosure checks
    # that none is missing).
    subpage_types = [
        "disclosure.DisclosureItemPage",
        "participation.ConsultationPage",
        "participation.EmergencyIncidentPage",
        "participation.ConcernResponsePage",
        "sector.EnforcementDecisionPage",
        "sector.ServiceItemPage",
        "sector.ProjectPage",
        "sector.DealPage",
        "sector.BudgetPage",
    ]

    objects = PageManager.from_queryset(DepartmentPageQuerySet)()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.title

    ACCESS_FIELDS = ("editors_group", "reviewers_group", "collection")
    gate_system_fields = ACCESS_FIELDS
    # Once the unit is public these change only through a reorganization (reorganization.py), which records
    # the 文号 and effective date: a revision never carries them back, and the editor shows them read-only.
    # A translation's own title, short name and slug stay its own (wagtail-localize sets them).
    STRUCTURE_FIELDS = ("title", "short_name", "org_code", "slug", "status", "predecessors")
    TRANSLATED_FIELDS = ("title", "short_name", "slug")

    @property
    def is_translation(self):
        return self.locale.language_code != settings.LANGUAGE_CODE

    def locked_structure_fields(self):
        """The structure fields that only a reorganization may change on this page (none before it is live)."""
        if not (self.pk and self.live):
            return ()
        if self.is_translation:
            return tuple(f for f in self.STRUCTURE_FIELDS if f not in self.TRANSLATED_FIELDS)
        return self.STRUCTURE_FIELDS

    def with_content_json(self, content):
        """The groups, the collection and the structure are system state: a revision never carries them back."""
        obj = super().with_content_json(content)
        for name in self.ACCESS_FIELDS:
            setattr(obj, f"{name}_id", getattr(self, f"{name}_id"))
        locked = self.locked_structure_fields()
        for name in locked:
            if name == "predecessors":
                obj.predecessors = list(self.predecessors.all())
            else:
                setattr(obj, name, getattr(self, name))
        if "slug" in locked:
            obj.url_path = self.url_path
        return obj

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(department_column_context(self, request))
        context["leader_list"] = list(self.leaders.select_related("photo"))
        context["predecessor_list"], context["successor_list"] = self.lineage()
        if "selected_category" not in context:  # paging through one column (?column=) leaves the history out
            context["history_list"] = list(
                DepartmentHistoryEntry.objects.filter(department__translation_key=self.translation_key)
            )
        return context

    def lineage(self):
        """(predecessors, successors) that are live, in one query over the links in both directions."""
        links = DepartmentPage.predecessors.through.objects.filter(
            Q(from_departmentpage=self, to_departmentpage__live=True)
            | Q(to_departmentpage=self, from_departmentpage__live=True)
        ).select_related("from_departmentpage", "to_departmentpage")
        predecessors, successors = [], []
        for link in links:
            if link.from_departmentpage_id == self.pk:
                predecessors.append(link.to_departmentpage)
            else:
                successors.append(link.from_departmentpage)
        return predecessors, successors


class DepartmentLeader(Orderable):
    """负责人信息 (47号指引): 姓名、照片、简历、分管工作."""

    page = ParentalKey(DepartmentPage, on_delete=models.CASCADE, related_name="leaders")
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职务"), max_length=80)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("照片"),
    )
    resume = models.TextField(_("简历"), blank=True)
    responsibilities = models.TextField(_("分管工作"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("title")]),
        FieldPanel("photo"),
        FieldPanel("resume"),
        FieldPanel("responsibilities"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("领导成员")
        verbose_name_plural = _("领导成员")

    def __str__(self):
        return f"{self.name}（{self.title}）"


class ChangeKind(models.TextChoices):
    ESTABLISH = "establish", _("设立")
    RENAME = "rename", _("更名")
    MERGE = "merge", _("合并")
    SPLIT = "split", _("拆分")
    TRANSFER = "transfer", _("职责划转")
    ABOLISH = "abolish", _("撤销")


class Reorganization(models.Model):
    """One reorganization (机构调整): what was asked, its legal basis, and how its run went.

    Created at the preview, confirmed by a person with ``run_reorganization``, then carried out in one
    transaction by a Celery task (``tasks.run_reorganization``). The operations are in ``reorganization.py``.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("待确认")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("执行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败（未作任何更改）")

    OPERATION_KINDS = [k for k in ChangeKind if k != ChangeKind.ESTABLISH]

    kind = models.CharField(_("调整类型"), max_length=16, choices=ChangeKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEW)
    spec = models.JSONField(_("调整内容"), default=dict)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    document_number = models.CharField(_("文号"), max_length=80, help_text=_("例如：宿编办〔2019〕12号"))
    effective_date = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    # Written while the task runs (see reorganization.Progress); on SQLite only at the start and the end.
    progress_step = models.CharField(_("当前步骤"), max_length=120, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("机构调整")
        verbose_name_plural = _("机构调整")
        ordering = ["-created_at", "-pk"]
        permissions = [("run_reorganization", _("可执行机构调整（更名、合并、拆分、职责划转、撤销）"))]

    def __str__(self):
        return self.summary or f"{self.get_kind_display()} {self.document_number}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class DepartmentHistoryEntry(models.Model):
    """One dated change in a unit's 机构沿革, with its legal basis (文号); shown on the unit's public page.

    Not part of the unit's revisions: history is written by reorganizations (or imported), never by an edit.
    """

    department = models.ForeignKey(
        DepartmentPage, on_delete=models.CASCADE, related_name="history_entries", verbose_name=_("机构")
    )
    kind = models.CharField(_("事项类型"), max_length=16, choices=ChangeKind.choices)
    effective_date = models.DateField(_("生效日期"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    description = models.TextField(_("沿革事项"))
    reorganization = models.ForeignKey(
        Reorganization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="history_entries",
        verbose_name=_("机构调整"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构沿革")
        verbose_name_plural = _("机构沿革")
        ordering = ["effective_date", "pk"]

    def __str__(self):
        return f"{self.effective_date} {self.description}"
