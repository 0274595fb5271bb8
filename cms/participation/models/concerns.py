"""回应关切 and 辟谣: a topic of public concern and the bureau's responses to it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
)
from wagtail.models import Page

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category

from ..vocabularies import (
    ResponseKind,
)
from .base import page_edit_tabs

# 回应关切 -----------------------------------------------------------------------------------------------


class ConcernTopic(models.Model):
    """A public concern or rumor the bureau answers (one topic, one or more responses over time)."""

    name = models.CharField(_("话题"), max_length=100, unique=True)
    description = models.TextField(_("关切内容或不实信息"), blank=True)
    raised_at = models.DateTimeField(_("舆情发现时间"), default=timezone.now)
    source = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("例如：网络舆情、12345热线、媒体报道。")
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("raised_at"), FieldPanel("source")]

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("关切话题")
        verbose_name_plural = _("关切话题")

    def __str__(self):
        return self.name

    @property
    def response_due(self):
        return self.raised_at + datetime.timedelta(hours=settings.PARTICIPATION_CONCERN_RESPONSE_HOURS)


class ConcernResponsePage(DisclosureItemPage):
    """回应关切 or 辟谣: the bureau's answer to a ``ConcernTopic``."""

    kind = models.CharField(
        _("类型"), max_length=10, choices=ResponseKind.choices, default=ResponseKind.CONCERN
    )
    concern_topic = models.ForeignKey(
        ConcernTopic, on_delete=models.PROTECT, related_name="responses", verbose_name=_("关切话题")
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("concern_topic")]),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    edit_handler = page_edit_tabs(content_panels)

    parent_page_types = ["departments.DepartmentPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("回应关切")
        verbose_name_plural = _("回应关切")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = Category.CONCERNS

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_responses"] = list(
            ConcernResponsePage.objects.published()
            .filter(concern_topic_id=self.concern_topic_id)
            .exclude(pk=self.pk)
            .for_listing()
            .newest_first()
        )
        return context
