"""行业领域公开 (sector disclosures): 行政执法公示, 重大项目, 公共资源配置, 办事服务, 财政预决算 and the
减税降费 / 降本增效 listing (disclosure-rules.md §5 R-POL-4..7, §8).

Every disclosed record is a subclass of ``DisclosureItemPage``: it carries the shared metadata (索引号, 发布机构,
发布日期 …), lives in its department's subtree, appears in its column, its feed and the catalogue, passes the
review gate and is indexed by site search. Records that are not disclosures themselves (an enforcement case's
progress, the service catalogue's change log) are plain models. The public entry pages (case lookup, the
generated service lists, the policy theme page) sit under 信息公开.
"""

import datetime
import re
import secrets
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
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
from wagtail.models import Orderable, Page
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.search import index

from cms.core.masking import mask_person_name, scrub
from cms.core.workdays import add_working_days
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import GatedPageMixin, GateRefused
from cms.review.panels import gated_edit_handler
from syndication.pages import SyndicatedPageMixin

from .vocabularies import (
    CASE_STAGE_FIELDS,
    ApprovalKind,
    BudgetKind,
    CaseStage,
    DeadlineState,
    DealKind,
    DealStageKind,
    DecisionKind,
    PartyType,
    Revocation,
    ServiceChangeKind,
    ServiceList,
    ServiceListKind,
    ServiceType,
)


def sector_edit_handler(content_panels, extra_metadata=()):
    """The tabs of a disclosure item (内容 / 公开属性 / 新媒体 / 推广 / 设置), with this type's content panels."""
    from .forms import SectorPageForm

    return gated_edit_handler(
        content_panels,
        ObjectList([*DisclosureItemPage.metadata_panels, *extra_metadata], heading=_("公开属性")),
        ObjectList(SyndicatedPageMixin.syndication_panels, heading=_("新媒体")),
        form_class=SectorPageForm,
    )


def _paragraphs(*pairs):
    """Body HTML from (heading, text) pairs, for records whose 正文 the editor left empty."""
    html = []
    for heading, text in pairs:
        text = (text or "").strip()
        if text:
            lines = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
            html.append(f"<h2>{escape(str(heading))}</h2>{lines}")
    return "".join(html)


class StructuredRecordMixin:
    """A record whose 组配分类 is fixed by its type and whose 正文 and 内容概述 are written from its fields when
    the editor leaves them empty (``fill_defaults``, before any validation)."""

    record_category = None

    def fill_defaults(self):
        self.category = self.record_category
        if is_blank_html(self.body):
            self.body = self.generated_body()

    def generated_body(self):
        return ""

    @property
    def has_own_body(self):
        """Whether the 正文 says more than the record's fields (pages show those fields already)."""
        return not is_blank_html(self.body) and self.body != self.generated_body()

    def full_clean(self, *args, **kwargs):
        self.fill_defaults()
        return super().full_clean(*args, **kwargs)

    def clean(self):
        self.fill_defaults()
        super().clean()


def is_blank_html(html):
    """Rich text with nothing in it (Draftail saves an empty editor as ``<p data-block-key="…"></p>``)."""
    html = html or ""
    return not strip_tags(html).strip() and "<embed" not in html and "<img" not in html


def deadline_state(due, published_on, today=None):
    """How a record stands against its publication deadline ``due`` (None: no deadline known)."""
    if due is None:
        return None
    if published_on is not None:
        return DeadlineState.ON_TIME if published_on <= due else DeadlineState.LATE
    today = today or timezone.localdate()
    return DeadlineState.DUE if today <= due else DeadlineState.OVERDUE


def _local_day(value):
    return timezone.localtime(value).date() if value else None


# 行政执法公示 ------------------------------------------------------------------------------------------


class EnforcementDecisionPage(StructuredRecordMixin, DisclosureItemPage):
    """A 行政处罚 or 行政许可 decision (双公示), published within 7 working days of the decision (configurable:
    ``SECTOR_DECISION_PUBLICATION_WORKING_DAYS``) and withdrawn from public view when revoked.

    A natural person's name is kept for the record (``party_name``) but published only masked
    (``party_display``: 张某某); saving replaces the name in every public text of the page.
    """

    record_category = Category.LAW_ENFORCEMENT

    PUBLIC_TEXT_FIELDS = (
        "title",
        "seo_title",
        "search_description",
        "summary",
        "keywords",
        "body",
        "facts",
        "basis",
        "result",
        "source",
    )
    REVOCATION_FIELDS = ("revocation", "revoked_on", "revocation_reason")

    decision_kind = models.CharField(_("决定类别"), max_length=12, choices=DecisionKind.choices)
    case_number = models.CharField(
        _("决定书文号"), max_length=80, db_index=True, help_text=_("例如：宿交执罚〔2019〕第0123号")
    )
    party_type = models.CharField(_("当事人类别"), max_length=20, choices=PartyType.choices)
    party_name = models.CharField(
        _("当事人名称或姓名"),
        max_length=120,
        help_text=_("自然人姓名仅内部留存，公开时一律显示为“张某某”；法人或其他组织公开全称。"),
    )
    party_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("法人或其他组织、个体工商户填写")
    )
    facts = models.TextField(_("主要违法事实或许可内容"))
    basis = models.TextField(_("法律依据"))
    result = models.TextField(_("处罚或许可结果"))
    decision_date = models.DateField(_("决定日期"))
    publication_due = models.DateField(_("公示截止日期"), null=True, blank=True, editable=False)
    revocation = models.CharField(
        _("撤销情形"), max_length=12, choices=Revocation.choices, blank=True, editable=False
    )
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False)
    revocation_reason = models.CharField(_("撤销说明"), max_length=300, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_kind"), FieldPanel("decision_date")]),
                FieldPanel("case_number"),
            ],
            heading=_("决定"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("party_type"), FieldPanel("party_name")]), FieldPanel("party_code")],
            heading=_("当事人"),
        ),
        FieldPanel("facts"),
        FieldPanel("basis"),
        FieldPanel("result"),
        FieldPanel("body", heading=_("决定书正文（可留空，按以上内容生成）")),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    edit_handler = sector_edit_handler(content_panels)

    search_fields = DisclosureItemPage.search_fields + [
        index.SearchField("case_number", boost=2),
        index.SearchField("party_display"),
        index.SearchField("facts"),
        index.SearchField("basis"),
        index.SearchField("result"),
        index.FilterField("decision_kind"),
    ]

    exclude_fields_in_copy = DisclosureItemPage.exclude_fields_in_copy + list(REVOCATION_FIELDS)
    template = "sector/enforcement_decision_page.html"

    class Meta:
        verbose_name = _("行政执法决定")
        verbose_name_plural = _("行政执法决定")

    @property
    def is_person(self):
        return self.party_type == PartyType.PERSON

    @property
    def party_display(self):
        """The party as published: a natural person masked (张某某), an organisation's name as registered."""
        return mask_person_name(self.party_name) if self.is_person else self.party_name

    @property
    def is_revoked(self):
        return bool(self.revocation)

    def compute_publication_due(self):
        if not self.decision_date:
            return None
        return add_working_days(self.decision_date, settings.SECTOR_DECISION_PUBLICATION_WORKING_DAYS)

    @property
    def deadline_state(self):
        return deadline_state(self.publication_due, _local_day(self.publish_date))

    def scrub_personal_names(self):
        """Mask the natural person's name in every text that reaches a public surface: the page's own texts and
        those of its inline children (attachment names, the WeChat and Weibo texts of the 新媒体 tab)."""
        if not self.is_person:
            return
        for name in self.PUBLIC_TEXT_FIELDS:
            value = getattr(self, name, None)
            if value:
                setattr(self, name, scrub(value, self.party_name))
        for relation in get_all_child_relations(type(self)):
            if relation.get_accessor_name() == COMMENTS_RELATION_NAME:
                continue
            for child in getattr(self, relation.get_accessor_name()).all():
                for field in child._meta.concrete_fields:
                    if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                        value = getattr(child, field.attname)
                        if value:
                            setattr(child, field.attname, scrub(value, self.party_name))

    def generated_body(self):
        return _paragraphs(
            (_("当事人"), self.party_display),
            (self._meta.get_field("facts").verbose_name, self.facts),
            (self._meta.get_field("basis").verbose_name, self.basis),
            (self._meta.get_field("result").verbose_name, self.result),
        )

    def fill_defaults(self):
        super().fill_defaults()
        self.scrub_personal_names()
        # The decision is the document: its 文号 and 成文日期 are the 决定书's.
        self.document_number = self.document_number or self.case_number
        self.written_date = self.written_date or self.decision_date
        if not (self.summary or "").strip() and self.result:
            self.summary = f"当事人{self.party_display}：{self.result}"[:100]

    def clean(self):
        super().clean()
        errors = {}
        if self.decision_date and self.decision_date > timezone.localdate():
            errors["decision_date"] = _("决定日期不能晚于今天。")
        if self.party_type in (PartyType.ORGANISATION, PartyType.INDIVIDUAL_BUSINESS) and not self.party_code:
            errors["party_code"] = _("法人或其他组织、个体工商户请填写统一社会信用代码。")
        if self.is_person and self.party_code:
            errors["party_code"] = _("自然人不填写统一社会信用代码，也不得填写身份证号码。")
        clash = EnforcementDecisionPage.objects.filter(case_number=self.case_number.strip()).exclude(
            pk=self.pk
        )
        if self.case_number and clash.exists():
            errors["case_number"] = _("该决定书文号已被《%(t)s》使用。") % {"t": clash.first().title}
        if self.is_revoked:
            errors["__all__"] = _("该决定已%(r)s，已从公示中撤回，不得再次公开。") % {
                "r": self.get_revocation_display()
            }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.scrub_personal_names()
        self.publication_due = self.compute_publication_due()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list({*update_fields, "publication_due", *self.PUBLIC_TEXT_FIELDS})
        if self.live and self.is_revoked:
            raise GateRefused(_("《%(t)s》已撤销，已从公示中撤回，不得再次公开。") % {"t": self.title})
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """A revision never brings back a revoked decision: the withdrawal lives on the page row."""
        obj = super().with_content_json(content)
        for field in self.REVOCATION_FIELDS:
            setattr(obj, field, getattr(self, field))
        return obj


def _new_verification_code():
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
    return "".join(secrets.choice(alphabet) for _i in range(settings.SECTOR_CASE_CODE_LENGTH))


_BRACKETS = str.maketrans(
    {"[": "〔", "【": "〔", "(": "〔", "（": "〔", "]": "〕", "】": "〕", ")": "〕", "）": "〕"}
)


def normalize_case_number(value):
    """What a citizen types and what the record holds compare equal: full-width forms, spaces, letter case and
    the brackets around the year ([2019], (2019), 【2019】 → 〔2019〕) are ignored."""
    value = unicodedata.normalize("NFKC", value or "").translate(_BRACKETS)
    return re.sub(r"\s+", "", value).upper()


class EnforcementCaseQuerySet(models.QuerySet):
    def for_lookup(self, case_number):
        return self.filter(lookup_key=normalize_case_number(case_number)).select_related("department")


class EnforcementCase(models.Model):
    """An enforcement case's progress (执法进度实时查询): 受理 → 调查 → 告知 → 决定 → 执行 → 结案, each dated.

    The party looks it up with the case number and the verification code the 执法支队 hands out with the
    受理 notice; neither alone reveals anything.
    """

    case_number = models.CharField(_("案件编号"), max_length=80, unique=True)
    lookup_key = models.CharField(max_length=80, unique=True, editable=False)
    verification_code = models.CharField(
        _("查询码"),
        max_length=16,
        blank=True,
        default=_new_verification_code,
        help_text=_("系统生成，随受理通知书告知当事人"),
    )
    department = models.ForeignKey(
        "departments.DepartmentPage",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("办案单位"),
    )
    kind = models.CharField(
        _("案件类别"), max_length=12, choices=DecisionKind.choices, default=DecisionKind.PENALTY
    )
    cause = models.CharField(_("案由"), max_length=200)
    party_type = models.CharField(_("当事人类别"), max_length=20, choices=PartyType.choices)
    party_name = models.CharField(_("当事人名称或姓名"), max_length=120)
    accepted_on = models.DateField(_("受理日期"))
    investigated_on = models.DateField(_("调查日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    decision = models.ForeignKey(
        EnforcementDecisionPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("公示的执法决定"),
    )
    note = models.CharField(
        _("进度说明"), max_length=300, blank=True, help_text=_("公开显示，请勿填写个人信息")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnforcementCaseQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("case_number"), FieldPanel("kind")]),
                FieldPanel("department"),
                FieldPanel("cause"),
                FieldRowPanel([FieldPanel("party_type"), FieldPanel("party_name")]),
            ],
            heading=_("案件"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("accepted_on"), FieldPanel("investigated_on"), FieldPanel("notified_on")]
                ),
                FieldRowPanel([FieldPanel("decided_on"), FieldPanel("executed_on"), FieldPanel("closed_on")]),
                FieldPanel("note"),
            ],
            heading=_("办理进度"),
        ),
        FieldPanel("decision"),
        FieldPanel("verification_code", read_only=True),
    ]

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-accepted_on", "-pk"]

    def __str__(self):
        return self.case_number

    @property
    def party_display(self):
        return mask_person_name(self.party_name) if self.party_type == PartyType.PERSON else self.party_name

    def stages(self):
        """[(stage, date or None, state)] in order; state is done / current / pending."""
        dates = [(stage, getattr(self, field)) for stage, field in CASE_STAGE_FIELDS.items()]
        reached = max((n for n, (_s, day) in enumerate(dates) if day), default=-1)
        return [
            (stage, day, "current" if n == reached else ("done" if n < reached else "pending"))
            for n, (stage, day) in enumerate(dates)
        ]

    @property
    def current_stage(self):
        done = [stage for stage, day, _state in self.stages() if day]
        return done[-1] if done else None

    def get_current_stage_display(self):
        stage = self.current_stage
        return CaseStage(stage).label if stage else ""

    def clean(self):
        super().clean()
        errors = {}
        previous = None
        for stage, field in CASE_STAGE_FIELDS.items():
            day = getattr(self, field)
            label = CaseStage(stage).label
            if day and day > timezone.localdate():
                errors[field] = _("%(s)s日期不能晚于今天。") % {"s": label}
            elif day and previous is None and stage != CaseStage.ACCEPTED:
                errors[field] = _("请先填写之前环节的日期，再填写%(s)s日期。") % {"s": label}
            elif day and previous and day < previous[1]:
                errors[field] = _("%(s)s日期不能早于%(p)s日期。") % {
                    "s": label,
                    "p": CaseStage(previous[0]).label,
                }
            if day:
                previous = (stage, day)
            elif previous is not None and any(
                getattr(self, later)
                for later in list(CASE_STAGE_FIELDS.values())[list(CASE_STAGE_FIELDS).index(stage) + 1 :]
            ):
                errors[field] = _("已填写后续环节，请补填%(s)s日期。") % {"s": label}
                previous = None
        key = normalize_case_number(self.case_number)
        if key and EnforcementCase.objects.filter(lookup_key=key).exclude(pk=self.pk).exists():
            errors["case_number"] = _("该案件编号已登记。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.lookup_key = normalize_case_number(self.case_number)
        if not self.verification_code:
            self.verification_code = _new_verification_code()
        return super().save(*args, **kwargs)


class CaseLookupPage(GatedPageMixin, Page):
    """执法进度查询: a case's progress by case number and verification code (rate-limited, no oracle)."""

    intro = RichTextField(_("查询说明"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []
    max_count = 1
    template = "sector/case_lookup_page.html"

    class Meta:
        verbose_name = _("执法进度查询")
        verbose_name_plural = _("执法进度查询")

    def serve(self, request, *args, **kwargs):
        from .views import case_lookup

        return case_lookup(self, request)


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
        return _paragraphs((self._meta.get_field("basis").verbose_name, self.basis))

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
        from .querysets import service_items_for

        return service_items_for(self.list_kind, self.locale_id)

    def get_changes(self, limit=30):
        """The latest changes that put an item on this list, took one off it, or changed one on it."""
        from .querysets import changes_for

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
        return _paragraphs((self._meta.get_field("scale").verbose_name, self.scale))

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
        from .deadlines import deal_timeline

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


# 财政预决算 --------------------------------------------------------------------------------------------


THREE_PUBLIC_FIELDS = (
    ("abroad", _("因公出国（境）费")),
    ("reception", _("公务接待费")),
    ("vehicle_purchase", _("公务用车购置费")),
    ("vehicle_operation", _("公务用车运行维护费")),
)


def _amount(verbose):
    return models.DecimalField(
        verbose,
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )


class BudgetPage(StructuredRecordMixin, DisclosureItemPage):
    """A year's 部门预算 or 部门决算 with its attachments and the 三公经费 table, published within 20 days of
    the 财政部门's 批复 (预算法 Art.14; ``SECTOR_BUDGET_PUBLICATION_DAYS``)."""

    record_category = Category.BUDGET

    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    budget_kind = models.CharField(_("类别"), max_length=8, choices=BudgetKind.choices)
    approved_on = models.DateField(_("财政部门批复日期"), null=True, blank=True)
    publication_due = models.DateField(_("公开截止日期"), null=True, blank=True, editable=False)
    running_costs = models.DecimalField(
        _("机关运行经费（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    abroad = _amount(_("因公出国（境）费（万元）"))
    reception = _amount(_("公务接待费（万元）"))
    vehicle_purchase = _amount(_("公务用车购置费（万元）"))
    vehicle_operation = _amount(_("公务用车运行维护费（万元）"))
    previous_abroad = _amount(_("上年因公出国（境）费（万元）"))
    previous_reception = _amount(_("上年公务接待费（万元）"))
    previous_vehicle_purchase = _amount(_("上年公务用车购置费（万元）"))
    previous_vehicle_operation = _amount(_("上年公务用车运行维护费（万元）"))
    three_public_note = models.TextField(_("“三公”经费增减变化原因说明"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("fiscal_year"), FieldPanel("budget_kind"), FieldPanel("approved_on")]
                ),
                FieldPanel("running_costs"),
            ],
            heading=_("预决算"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel(name), FieldPanel(f"previous_{name}")])
                for name, _label in THREE_PUBLIC_FIELDS
            ]
            + [FieldPanel("three_public_note")],
            heading=_("“三公”经费"),
        ),
        FieldPanel("body", heading=_("编制说明")),
        InlinePanel("attachments", heading=_("附件（预决算公开表）"), label=_("附件")),
    ]
    edit_handler = sector_edit_handler(content_panels)
    search_fields = DisclosureItemPage.search_fields + [
        index.SearchField("three_public_note"),
        index.FilterField("fiscal_year"),
    ]
    template = "sector/budget_page.html"

    class Meta:
        verbose_name = _("部门预决算")
        verbose_name_plural = _("部门预决算")

    def compute_publication_due(self):
        if not self.approved_on:
            return None
        return self.approved_on + datetime.timedelta(days=settings.SECTOR_BUDGET_PUBLICATION_DAYS)

    @property
    def deadline_state(self):
        return deadline_state(self.publication_due, _local_day(self.publish_date))

    def three_public_rows(self):
        rows = []
        for name, label in THREE_PUBLIC_FIELDS:
            current, previous = getattr(self, name), getattr(self, f"previous_{name}")
            rows.append((label, current, previous, current - previous))
        return rows

    @property
    def three_public_total(self):
        return sum((getattr(self, name) for name, _label in THREE_PUBLIC_FIELDS), Decimal("0"))

    @property
    def previous_three_public_total(self):
        return sum((getattr(self, f"previous_{name}") for name, _label in THREE_PUBLIC_FIELDS), Decimal("0"))

    def generated_body(self):
        if not (self.fiscal_year and self.budget_kind):
            return ""
        return f"<p>{self.fiscal_year}年{self.get_budget_kind_display()}公开说明及公开表见附件。</p>"

    def fill_defaults(self):
        super().fill_defaults()
        if not (self.summary or "").strip() and self.fiscal_year and self.budget_kind:
            self.summary = f"{self.fiscal_year}年{self.get_budget_kind_display()}及“三公”经费情况。"

    def clean(self):
        super().clean()
        if self.approved_on and self.approved_on > timezone.localdate():
            raise ValidationError({"approved_on": _("批复日期不能晚于今天。")})
        parent = self.get_parent() if self.pk else None
        siblings = BudgetPage.objects.filter(fiscal_year=self.fiscal_year, budget_kind=self.budget_kind)
        if parent is not None:
            siblings = siblings.child_of(parent)
        clash = siblings.exclude(pk=self.pk).filter(locale_id=self.locale_id)
        if self.fiscal_year and parent is not None and clash.exists():
            raise ValidationError(
                {
                    "fiscal_year": _("本单位该年度的%(k)s已有页面：%(t)s")
                    % {"k": self.get_budget_kind_display(), "t": clash.first().title}
                }
            )

    def save(self, *args, **kwargs):
        self.publication_due = self.compute_publication_due()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = list({*kwargs["update_fields"], "publication_due"})
        return super().save(*args, **kwargs)


# 减税降费 · 降本增效 ------------------------------------------------------------------------------------


class PolicyThemePage(GatedPageMixin, Page):
    """减税降费 and 降本增效: the published items tagged with the theme's 关键词, listed together; policy
    interpretations tagged so link here."""

    intro = RichTextField(_("专题说明"), blank=True, features=["bold", "link"])
    tax_fee_tags = models.CharField(
        _("减税降费标签"),
        max_length=200,
        default="减税降费,减税,降费",
        help_text=_("关键词含其中任一即列入；逗号分隔"),
    )
    cost_tags = models.CharField(
        _("降本增效标签"), max_length=200, default="降本增效,物流降本,降低物流成本", help_text=_("逗号分隔")
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("tax_fee_tags"),
        FieldPanel("cost_tags"),
    ]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []
    max_count = 1
    template = "sector/policy_theme_page.html"

    class Meta:
        verbose_name = _("减税降费·降本增效专题")
        verbose_name_plural = _("减税降费·降本增效专题")

    @staticmethod
    def split_tags(value):
        return [t.strip() for t in re.split(r"[,，、;；]", value or "") if t.strip()]

    def themes(self):
        """[(theme name, tags)] in display order."""
        return [
            ("减税降费", self.split_tags(self.tax_fee_tags)),
            ("降本增效", self.split_tags(self.cost_tags)),
        ]

    def get_context(self, request, *args, **kwargs):
        from .querysets import tagged_items

        context = super().get_context(request, *args, **kwargs)
        context["theme_lists"] = [
            (name, tags, tagged_items(tags, self.locale_id)) for name, tags in self.themes()
        ]
        return context
