"""减税降费 · 降本增效: the theme page listing the policies and interpretations tagged with it."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler

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
        from ..querysets import tagged_items

        context = super().get_context(request, *args, **kwargs)
        context["theme_lists"] = [
            (name, tags, tagged_items(tags, self.locale_id)) for name, tags in self.themes()
        ]
        return context
