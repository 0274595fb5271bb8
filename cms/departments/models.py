"""The bureau's organisation: 机构设置 index and one DepartmentPage per unit.

A department's subtree holds everything it publishes, so the department is at once the 发布机构 of its items
and the permission boundary of its editors and reviewers (see ``permissions.py``).
"""

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
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms.review.forms import GatedPageForm
from cms.review.gate import GatedPageMixin
from cms.review.panels import GATE_PANELS, ContentCheckPanel

from .querysets import DepartmentPageQuerySet
from .validators import validate_org_code


class DepartmentKind(models.TextChoices):
    LEADERSHIP = "leadership", _("局领导")
    OFFICE = "office", _("机关处室")
    AFFILIATED = "affiliated", _("直属单位")
    ENFORCEMENT = "enforcement", _("执法支队")


class DepartmentStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    RENAMED = "renamed", _("已更名")
    MERGED = "merged", _("已合并")
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
        MultiFieldPanel([FieldPanel("status"), FieldPanel("predecessors")], heading=_("机构沿革")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList([ContentCheckPanel(), *content_panels], heading=_("内容")),
            ObjectList(organisation_panels, heading=_("机构信息")),
            ObjectList(Page.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels + GATE_PANELS, heading=_("设置")),
        ],
        base_form_class=GatedPageForm,
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("duties"),
        index.FilterField("kind"),
        index.FilterField("status"),
    ]

    parent_page_types = ["departments.DepartmentIndexPage"]
    subpage_types = ["disclosure.DisclosureItemPage"]

    objects = PageManager.from_queryset(DepartmentPageQuerySet)()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.title

    ACCESS_FIELDS = ("editors_group", "reviewers_group", "collection")

    def with_content_json(self, content):
        """The groups and collection are system state: a revision never carries them back."""
        obj = super().with_content_json(content)
        for name in self.ACCESS_FIELDS:
            setattr(obj, f"{name}_id", getattr(self, f"{name}_id"))
        return obj

    def get_context(self, request, *args, **kwargs):
        from cms.disclosure.views import department_column_context

        context = super().get_context(request, *args, **kwargs)
        context.update(department_column_context(self, request))
        context["leader_list"] = list(self.leaders.select_related("photo"))
        context["predecessor_list"], context["successor_list"] = self.lineage()
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
