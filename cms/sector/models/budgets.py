"""财政预决算: a unit's budget or final accounts with the 三公经费, published within 20 days of approval."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Page
from wagtail.search import index

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category

from ..vocabularies import (
    BudgetKind,
)
from .base import StructuredRecordMixin, deadline_state, local_day, sector_edit_handler

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

    gate_system_fields = (*DisclosureItemPage.gate_system_fields, "publication_due")  # derived

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
        return deadline_state(self.publication_due, local_day(self.publish_date))

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
