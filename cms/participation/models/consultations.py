"""征求意见: a draft decision open for comments (at least 30 days unless a reason is published), its moderated
comments, and after closing the 采纳情况 report, one answer per group of opinions."""

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
    ObjectList,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.core.masking import mask_personal_data
from cms.core.richtext import RICH_TEXT_FEATURES
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category, Genre

from ..querysets import CommentQuerySet
from ..vocabularies import (
    NEEDS_REASON,
    Adoption,
    ConsultationStatus,
    Moderation,
)
from .base import masked_sender, page_edit_tabs

# 征求意见 -----------------------------------------------------------------------------------------------


class ConsultationPage(RoutablePageMixin, DisclosureItemPage):
    """征求意见: a draft decision open for public comment, then its 采纳情况 (国务院令第713号 Art. 15, 16, 32)."""

    gate_system_fields = (*DisclosureItemPage.gate_system_fields, "completed_on")  # derived from completed

    explanation = RichTextField(_("起草说明"), features=RICH_TEXT_FEATURES)
    basis = RichTextField(
        _("决策依据"), blank=True, features=RICH_TEXT_FEATURES, help_text=_("法律法规、上级文件等依据。")
    )
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"), help_text=_("截止日24时前提交的意见均予受理。"))
    short_period_reason = models.TextField(
        _("征求意见期限少于30日的理由"),
        blank=True,
        help_text=_("征求意见期限一般不少于30日；期限较短的，须说明理由，理由将在页面上公开。"),
    )
    accepts_online_comments = models.BooleanField(_("接受网上意见"), default=True)
    other_channels = models.TextField(
        _("其他反馈渠道"), blank=True, help_text=_("例如：信函地址、电子邮箱、传真号码。")
    )
    hearing_at = models.DateTimeField(_("听证会时间"), null=True, blank=True)
    hearing_place = models.CharField(_("听证会地点"), max_length=200, blank=True)
    hearing_participants = models.TextField(
        _("听证参加人名单"), blank=True, help_text=_("听证会的参加人名单须事先公布。")
    )
    symposium_note = models.TextField(_("座谈会、论证会安排"), blank=True)

    report_summary = RichTextField(
        _("采纳情况说明"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    completed = models.BooleanField(
        _("征求意见已完成"),
        default=False,
        help_text=_(
            "公布采纳情况后勾选。须征求意见已截止、留言均已审核、每组意见均有采纳情况，未采纳的须说明理由。"
        ),
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    decision = models.ForeignKey(
        DisclosureItemPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("最终决策文件"),
        help_text=_("决策正式印发后选择该文件；文件页面将链接到本征求意见及采纳情况。"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("body", heading=_("决策草案")),
        FieldPanel("explanation"),
        FieldPanel("basis"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldPanel("short_period_reason"),
            ],
            heading=_("征求意见期限"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepts_online_comments"),
                FieldPanel("other_channels"),
                FieldRowPanel([FieldPanel("hearing_at"), FieldPanel("hearing_place")]),
                FieldPanel("hearing_participants"),
                FieldPanel("symposium_note"),
            ],
            heading=_("征求意见方式"),
        ),
    ]
    report_panels = [
        FieldPanel("report_summary"),
        InlinePanel("opinion_groups", heading=_("意见分组"), label=_("意见")),
        FieldPanel("completed"),
        PageChooserPanel("decision", "disclosure.DisclosureItemPage"),
    ]
    edit_handler = page_edit_tabs(content_panels, [ObjectList(report_panels, heading=_("采纳情况"))])

    search_fields = DisclosureItemPage.search_fields + [index.SearchField("explanation")]

    parent_page_types = ["departments.DepartmentPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.category:
            # A draft for comment is announced (通知公告); the decision, once adopted, is the 政策文件.
            self.category = Category.NOTICES
            self.genre = Genre.ANNOUNCEMENT

    # Period and status ----------------------------------------------------------------------------------

    @property
    def period_days(self):
        if not (self.opens_on and self.closes_on):
            return None
        return (self.closes_on - self.opens_on).days + 1

    @property
    def is_short_period(self):
        days = self.period_days
        return days is not None and days < settings.PARTICIPATION_CONSULTATION_MIN_DAYS

    def status_on(self, today=None):
        today = today or timezone.localdate()
        if self.completed:
            return ConsultationStatus.COMPLETED
        if today < self.opens_on:
            return ConsultationStatus.UPCOMING
        if today <= self.closes_on:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self):
        return self.status_on()

    @property
    def status_label(self):
        return ConsultationStatus(self.status).label

    @property
    def days_left(self):
        """Whole days after today up to the close (0 on the last day), while open."""
        if self.status != ConsultationStatus.OPEN:
            return None
        return (self.closes_on - timezone.localdate()).days

    @property
    def is_accepting_comments(self):
        return self.accepts_online_comments and self.status == ConsultationStatus.OPEN

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on:
            if self.closes_on < self.opens_on:
                errors["closes_on"] = _("截止日期不能早于开始日期。")
            elif self.is_short_period and not self.short_period_reason.strip():
                errors["short_period_reason"] = _(
                    "征求意见期限为%(days)d日，少于%(min)d日，请说明理由（将公开显示）。"
                ) % {"days": self.period_days, "min": settings.PARTICIPATION_CONSULTATION_MIN_DAYS}
        if self.hearing_at and not self.hearing_participants.strip():
            errors["hearing_participants"] = _("举行听证会的，须事先公布听证参加人名单。")
        notice = datetime.timedelta(days=settings.PARTICIPATION_HEARING_NOTICE_DAYS)
        now = timezone.now()
        if self.hearing_at and not self.first_published_at and now < self.hearing_at < now + notice:
            # Art. 16: the materials reach the participants 7 days before; the announcement cannot be later.
            errors["hearing_at"] = _("听证材料须在听证会%(days)d日前送达参加人，请调整听证会时间。") % {
                "days": settings.PARTICIPATION_HEARING_NOTICE_DAYS
            }
        if self.decision_id and self.decision_id == self.pk:
            errors["decision"] = _("不能选择征求意见稿自身作为最终决策文件。")
        if errors:
            raise ValidationError(errors)

    # Completion: the 采纳情况 report ---------------------------------------------------------------------

    def completion_problems(self, groups=None, today=None):
        """Why this consultation cannot be marked complete yet ([] when it can).

        ``groups`` are the opinion groups to judge (the editor's form rows); by default the page's own
        (in memory when the page comes from a revision, so the check sees what is being published).
        """
        groups = list(self.opinion_groups.all()) if groups is None else list(groups)
        today = today or timezone.localdate()
        problems = []
        if self.closes_on and today <= self.closes_on:
            problems.append(_("征求意见尚未截止（截止日期 %(day)s），不能完成。") % {"day": self.closes_on})
        if self.pk and self.comments.filter(status=Moderation.HELD).exists():
            problems.append(_("还有待审核的网上意见，请先审核。"))
        if not groups:
            problems.append(_("请至少填写一组意见及其采纳情况。"))
        for n, group in enumerate(groups, start=1):
            if not group.adoption:
                problems.append(_("第%(n)d组意见未填写采纳情况。") % {"n": n})
            elif group.adoption in NEEDS_REASON and not (group.reason or "").strip():
                problems.append(
                    _("第%(n)d组意见“%(label)s”，须说明理由。")
                    % {"n": n, "label": Adoption(group.adoption).label}
                )
        return problems

    def save(self, *args, **kwargs):
        if self.completed:
            if self.live:
                problems = self.completion_problems()
                if problems:
                    raise ValidationError(problems)
            self.completed_on = self.completed_on or timezone.localdate()
        else:
            self.completed_on = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "completed_on"}
        return super().save(*args, **kwargs)

    # Public pages ---------------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["approved_comments"] = list(self.comments.approved().order_by("submitted_at", "pk"))
        context["opinion_group_list"] = list(self.opinion_groups.all())
        context.setdefault("comment_form", None)
        return context

    @path("")
    def detail(self, request):
        from ..forms import CommentForm

        return self.render(request, context_overrides={"comment_form": CommentForm()})

    @path("comment/", name="comment")
    def comment(self, request):
        from ..views import comment

        return comment(self, request)


class OpinionGroup(Orderable):
    """One group of similar opinions in the 采纳情况 report."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="opinion_groups")
    summary = models.TextField(_("意见内容（归纳）"), max_length=1000)
    count = models.PositiveIntegerField(_("意见条数"), default=1)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices)
    reason = models.TextField(
        _("理由或采纳方式"), blank=True, help_text=_("部分采纳、不予采纳的，必须说明理由。")
    )

    panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("count"), FieldPanel("adoption")]),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("意见分组")
        verbose_name_plural = _("意见分组")

    def __str__(self):
        return self.summary[:40]


class ConsultationComment(models.Model):
    """An online comment on a consultation; held for moderation, published only when approved."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="comments", verbose_name=_("征求意见")
    )
    name = models.CharField(_("姓名或称呼"), max_length=50, blank=True)
    contact = models.CharField(
        _("联系方式"), max_length=100, blank=True, help_text=_("仅供工作人员联系，不公开。")
    )
    body = models.TextField(_("意见内容"))
    status = models.CharField(
        _("审核状态"), max_length=10, choices=Moderation.choices, default=Moderation.HELD
    )
    moderation_reason = models.CharField(
        _("审核意见"), max_length=300, blank=True, help_text=_("不予通过的，须说明理由。")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    client_key = models.CharField(max_length=64, editable=False, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("征求意见留言")
        verbose_name_plural = _("征求意见留言")

    def __str__(self):
        return f"{self.consultation.title}：{self.body[:20]}"

    @property
    def masked_name(self):
        return masked_sender(self.name)

    masked_name.fget.short_description = _("提交人")

    @property
    def public_body(self):
        return mask_personal_data(self.body)

    @property
    def excerpt(self):
        return self.body[:60] + ("…" if len(self.body) > 60 else "")

    excerpt.fget.short_description = _("意见内容")
