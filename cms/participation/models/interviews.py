"""在线访谈: guests, time, questions collected beforehand, transcript, pictures and video."""

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
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.core.masking import mask_personal_data
from cms.core.richtext import RICH_TEXT_FEATURES
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler

from ..vocabularies import (
    InterviewStage,
    Moderation,
    SpeakerRole,
)
from .base import masked_sender


class InterviewPage(GatedPageMixin, RoutablePageMixin, Page):
    """在线访谈: announced ahead with guests and time, questions collected beforehand, then the transcript."""

    starts_at = models.DateTimeField(_("访谈时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=60)
    platform = models.CharField(_("访谈平台"), max_length=100, default="网上宿迁“在线访谈”")
    summary = models.CharField(_("访谈主题简介"), max_length=250)
    body = RichTextField(_("访谈介绍"), blank=True, features=RICH_TEXT_FEATURES)
    collects_questions = models.BooleanField(_("访谈前征集网友问题"), default=True)
    video_url = models.URLField(_("视频回看地址"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration_minutes"), FieldPanel("platform")]),
        InlinePanel("guests", heading=_("访谈嘉宾"), label=_("嘉宾"), min_num=1),
        FieldPanel("body"),
        FieldPanel("collects_questions"),
        InlinePanel("transcript", heading=_("文字实录"), label=_("发言")),
        InlinePanel("photos", heading=_("图片"), label=_("图片")),
        FieldPanel("video_url"),
    ]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("transcript", [index.SearchField("text")]),
    ]

    parent_page_types = ["participation.InteractionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def stage_at(self, now=None):
        now = now or timezone.now()
        if now < self.starts_at:
            return InterviewStage.ANNOUNCED
        if now < self.ends_at:
            return InterviewStage.LIVE
        return InterviewStage.FINISHED

    @property
    def stage(self):
        return self.stage_at()

    @property
    def stage_label(self):
        return InterviewStage(self.stage).label

    @property
    def is_collecting_questions(self):
        return self.collects_questions and self.stage == InterviewStage.ANNOUNCED

    def clean(self):
        super().clean()
        now = timezone.now()
        notice = datetime.timedelta(days=settings.PARTICIPATION_INTERVIEW_NOTICE_DAYS)
        if self.starts_at and not self.first_published_at and now < self.starts_at < now + notice:
            raise ValidationError(
                {
                    "starts_at": _("在线访谈须至少提前%(days)d天发布预告，请调整访谈时间。")
                    % {"days": settings.PARTICIPATION_INTERVIEW_NOTICE_DAYS}
                }
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["approved_questions"] = list(self.questions.filter(status=Moderation.APPROVED).order_by("pk"))
        context.setdefault("question_form", None)
        return context

    @path("")
    def detail(self, request):
        from ..forms import QuestionForm

        return self.render(request, context_overrides={"question_form": QuestionForm()})

    @path("ask/", name="ask")
    def ask(self, request):
        from ..views import ask_question

        return ask_question(self, request)


class InterviewGuest(Orderable):
    page = ParentalKey(InterviewPage, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")])]

    class Meta(Orderable.Meta):
        verbose_name = _("访谈嘉宾")
        verbose_name_plural = _("访谈嘉宾")


class TranscriptEntry(Orderable):
    page = ParentalKey(InterviewPage, on_delete=models.CASCADE, related_name="transcript")
    role = models.CharField(_("身份"), max_length=10, choices=SpeakerRole.choices)
    speaker = models.CharField(_("发言人"), max_length=50, blank=True)
    text = models.TextField(_("发言内容"))

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("speaker")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("文字实录")
        verbose_name_plural = _("文字实录")


class InterviewPhoto(Orderable):
    page = ParentalKey(InterviewPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("图片")
    )
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("访谈图片")
        verbose_name_plural = _("访谈图片")


class InterviewQuestion(models.Model):
    """A question sent before the interview; held for moderation, answered on air or in writing."""

    interview = models.ForeignKey(
        InterviewPage, on_delete=models.CASCADE, related_name="questions", verbose_name=_("在线访谈")
    )
    name = models.CharField(_("网友称呼"), max_length=50, blank=True)
    body = models.TextField(_("问题"))
    status = models.CharField(
        _("审核状态"), max_length=10, choices=Moderation.choices, default=Moderation.HELD
    )
    moderation_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    client_key = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("访谈网友提问")
        verbose_name_plural = _("访谈网友提问")

    def __str__(self):
        return self.body[:30]

    @property
    def masked_name(self):
        return masked_sender(self.name)

    masked_name.fget.short_description = _("网友")

    @property
    def public_body(self):
        return mask_personal_data(self.body)

    @property
    def public_answer(self):
        return mask_personal_data(self.answer)

    @property
    def excerpt(self):
        return self.body[:60]

    excerpt.fget.short_description = _("问题")
