"""应急管理: an incident's first authoritative release (within 5 hours), its press conference (within 24 hours)
and the timeline of updates."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Orderable, Page

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category

from ..vocabularies import (
    IncidentLevel,
)
from .base import page_edit_tabs

# 应急管理: incidents -------------------------------------------------------------------------------------


class EmergencyIncidentPage(DisclosureItemPage):
    """A 突发事件 and its information release: this page, once live, is the first authoritative release."""

    # Its WeChat and Weibo posts go out ahead of every other post (syndication's urgent queue).
    syndication_urgent = True

    level = models.CharField(
        _("事件级别"), max_length=2, choices=IncidentLevel.choices, default=IncidentLevel.MAJOR
    )
    occurred_at = models.DateTimeField(_("事发时间"))
    location = models.CharField(_("事发地点"), max_length=200, blank=True)
    press_conference_at = models.DateTimeField(_("新闻发布会时间"), null=True, blank=True)
    press_conference_url = models.URLField(_("新闻发布会链接"), blank=True)
    banner = models.BooleanField(_("首页横幅提示"), default=True)
    ended = models.BooleanField(_("应急处置已结束"), default=False, help_text=_("勾选后首页不再显示横幅。"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("occurred_at")]),
                FieldPanel("location"),
            ],
            heading=_("事件"),
        ),
        FieldPanel("body", heading=_("权威发布")),
        InlinePanel("updates", heading=_("后续进展"), label=_("进展")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("press_conference_at"), FieldPanel("press_conference_url")])],
            heading=_("新闻发布会"),
        ),
        FieldRowPanel([FieldPanel("banner"), FieldPanel("ended")]),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]
    edit_handler = page_edit_tabs(content_panels)

    parent_page_types = ["departments.DepartmentPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("突发事件信息发布")
        verbose_name_plural = _("突发事件信息发布")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = Category.EMERGENCY

    @property
    def release_due(self):
        return self.occurred_at + datetime.timedelta(hours=settings.PARTICIPATION_EMERGENCY_RELEASE_HOURS)

    @property
    def press_due(self):
        return self.occurred_at + datetime.timedelta(hours=settings.PARTICIPATION_EMERGENCY_PRESS_HOURS)

    @property
    def released_at(self):
        return self.first_published_at

    @property
    def release_in_time(self):
        return self.released_at is not None and self.released_at <= self.release_due

    @property
    def press_in_time(self):
        return self.press_conference_at is not None and self.press_conference_at <= self.press_due

    @property
    def release_hours(self):
        if self.released_at is None:
            return None
        return round((self.released_at - self.occurred_at).total_seconds() / 3600, 1)

    def clean(self):
        super().clean()
        now = timezone.now()
        if self.occurred_at and self.occurred_at > now + datetime.timedelta(minutes=5):
            raise ValidationError({"occurred_at": _("事发时间不能晚于当前时间。")})
        if self.press_conference_at and self.occurred_at and self.press_conference_at < self.occurred_at:
            raise ValidationError({"press_conference_at": _("新闻发布会时间不能早于事发时间。")})

    def get_workflow(self):
        """The one-stage emergency review (应急信息一审): automated checks, then the unit's own reviewers."""
        from ..setup import ensure_emergency_workflow

        return ensure_emergency_workflow() or super().get_workflow()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["update_list"] = sorted(self.updates.all(), key=lambda u: u.at, reverse=True)
        return context


class IncidentUpdate(Orderable):
    page = ParentalKey(EmergencyIncidentPage, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("时间"))
    text = models.TextField(_("进展情况"), max_length=2000)

    panels = [FieldPanel("at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("后续进展")
        verbose_name_plural = _("后续进展")


class IncidentAlert(models.Model):
    """One alert per (incident, deadline, threshold)."""

    page = models.ForeignKey(EmergencyIncidentPage, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("提醒类型"), max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("应急发布提醒")
        verbose_name_plural = _("应急发布提醒")
        constraints = [
            models.UniqueConstraint(fields=["page", "kind"], name="participation_one_incident_alert")
        ]
