"""行政执法公示: 行政处罚/许可 decisions (双公示, within 7 working days), cases with their progress, and the
public case lookup. Natural persons' names are masked as 张某某 on every public surface (cms.core.masking)."""

import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_relations
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.search import index

from cms.core.masking import mask_person_name, scrub
from cms.core.workdays import add_working_days
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import GatedPageMixin, GateRefused
from cms.review.panels import gated_edit_handler

from ..vocabularies import (
    CASE_STAGE_FIELDS,
    CaseStage,
    DecisionKind,
    PartyType,
    Revocation,
)
from .base import StructuredRecordMixin, deadline_state, local_day, paragraphs, sector_edit_handler

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
    # The 公示 deadline is derived (decision date, calendar); a withdrawal is recorded on the row.
    gate_system_fields = (*DisclosureItemPage.gate_system_fields, "publication_due", *REVOCATION_FIELDS)

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
        return deadline_state(self.publication_due, local_day(self.publish_date))

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
        return paragraphs(
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
        from ..views import case_lookup

        return case_lookup(self, request)
