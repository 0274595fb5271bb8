"""互动交流 and public participation (disclosure-rules.md §4 R-WEB-5/R-WEB-8, §5 R-POL-2/R-POL-3, §6 R-NM-3).

- ``ConsultationPage`` (征求意见) is a disclosure item: the 决策草案 with its 说明 and 依据, the comment period
  (≥ 30 days unless a reason is published), channels (online comments, 听证 with its participant list, 座谈),
  the moderated ``ConsultationComment`` rows and, after closing, the 采纳情况 report (``OpinionGroup`` rows). It
  cannot be marked complete until every group is answered and every group not (fully) adopted has a reason;
  the final decision document links back to it (``decision``).
- ``Message`` (留言) is a citizen's message or a 12345 transfer entered by staff, routed to a department, with a
  reply deadline in working days, reminders, and alarms long before the three-month inspection line.
- ``EmergencyIncidentPage`` records an incident with its time of occurrence: the page itself is the first
  authoritative release (due within 5 hours) and records the press conference (due within 24 hours), with a
  timeline of updates, a homepage banner and a one-stage emergency review.
- ``ConcernResponsePage`` (回应关切 / 辟谣) answers a ``ConcernTopic``.
- ``InteractionIndexPage`` is the 互动交流 section: message board, form, and the ``InterviewPage`` archive
  (在线访谈: guests, time, questions collected beforehand, transcript, pictures and video).
"""

import datetime
import secrets

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

from cms.core.masking import mask, mask_personal_data
from cms.core.richtext import RICH_TEXT_FEATURES
from cms.core.workdays import add_working_days, working_days_between
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category, Genre
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler
from syndication.pages import SyndicatedPageMixin

from .page_forms import ParticipationPageForm
from .querysets import CommentQuerySet, MessageQuerySet
from .vocabularies import (
    NEEDS_REASON,
    Adoption,
    ConsultationStatus,
    IncidentLevel,
    InterviewStage,
    MessageCategory,
    MessageChannel,
    MessageStatus,
    Moderation,
    ResponseKind,
    SpeakerRole,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def add_months(day, months):
    """``day`` plus whole calendar months (the last day of a shorter month when the day does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def masked_sender(name):
    """How a sender is shown in public: the family name only (张**), or 网友 when no name was given."""
    return mask(name.strip(), 1, 0) if name and name.strip() else "网友"


def _page_edit_tabs(content_panels, extra_tabs=(), metadata_panels=None):
    return gated_edit_handler(
        content_panels,
        *extra_tabs,
        ObjectList(metadata_panels or DisclosureItemPage.metadata_panels, heading=_("公开属性")),
        ObjectList(SyndicatedPageMixin.syndication_panels, heading=_("新媒体")),
        form_class=ParticipationPageForm,
    )


# 征求意见 -----------------------------------------------------------------------------------------------


class ConsultationPage(RoutablePageMixin, DisclosureItemPage):
    """征求意见: a draft decision open for public comment, then its 采纳情况 (国务院令第713号 Art. 15, 16, 32)."""

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
    edit_handler = _page_edit_tabs(content_panels, [ObjectList(report_panels, heading=_("采纳情况"))])

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
        from .forms import CommentForm

        return self.render(request, context_overrides={"comment_form": CommentForm()})

    @path("comment/", name="comment")
    def comment(self, request):
        from .views import comment

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


# 互动交流: messages and 12345 transfers ------------------------------------------------------------------


def new_message_code():
    return f"LY{timezone.localdate():%Y%m}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def default_reply_working_days():
    return settings.PARTICIPATION_MESSAGE_REPLY_WORKING_DAYS


class Message(models.Model):
    code = models.CharField(_("留言编号"), max_length=20, unique=True, default=new_message_code)
    channel = models.CharField(
        _("来源"), max_length=10, choices=MessageChannel.choices, default=MessageChannel.ONLINE
    )
    hotline_number = models.CharField(_("12345工单编号"), max_length=40, blank=True)
    category = models.CharField(_("留言类别"), max_length=10, choices=MessageCategory.choices)
    department = models.ForeignKey(
        "departments.DepartmentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复部门"),
    )
    subject = models.CharField(_("留言标题"), max_length=100)
    body = models.TextField(_("留言内容"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_private = models.BooleanField(
        _("不公开"), default=False, help_text=_("留言人要求不公开的，留言及答复均不在网站上公开。")
    )

    status = models.CharField(
        _("办理状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    received_on = models.DateField(_("受理日期"), default=timezone.localdate)
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), default=default_reply_working_days
    )
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复人"),
    )
    invalid_reason = models.CharField(
        _("不予受理理由"),
        max_length=300,
        blank=True,
        help_text=_("例如：重复留言、与交通运输工作无关、含有违法内容。"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("录入人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    client_key = models.CharField(max_length=64, editable=False, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        indexes = [models.Index(fields=["status", "due_on"], name="participation_msg_status_due")]

    def __str__(self):
        return f"{self.code} {self.subject}"

    def save(self, *args, **kwargs):
        if self.received_on:  # the deadline belongs to the receipt and is kept after the reply
            self.due_on = add_working_days(self.received_on, self.reply_working_days)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "due_on"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.status == MessageStatus.REPLIED:
            if not self.reply.strip():
                errors["reply"] = _("请填写答复内容。")
            if not self.department_id:
                errors["department"] = _("请选择答复部门。")
        if self.status == MessageStatus.INVALID and not self.invalid_reason.strip():
            errors["invalid_reason"] = _("不予受理的，须说明理由。")
        if self.channel == MessageChannel.HOTLINE and not self.hotline_number.strip():
            errors["hotline_number"] = _("12345热线转办的留言请填写工单编号。")
        if self.replied_on and self.received_on and self.replied_on < self.received_on:
            errors["replied_on"] = _("答复日期不能早于受理日期。")
        if errors:
            raise ValidationError(errors)

    # Masked personal data (lists, the public board, notifications) -------------------------------------

    @property
    def masked_name(self):
        return masked_sender(self.name)

    masked_name.fget.short_description = _("留言人")

    @property
    def masked_phone(self):
        return mask(self.phone, 3, 4)

    masked_phone.fget.short_description = _("联系电话")

    @property
    def public_body(self):
        return mask_personal_data(self.body)

    @property
    def public_reply(self):
        return mask_personal_data(self.reply)

    # The clock -------------------------------------------------------------------------------------------

    @property
    def inspection_line(self):
        """Three months after receipt: a valid message unanswered past this fails the inspection (R-WEB-5)."""
        return add_months(self.received_on, 3)

    def working_days_left(self, today=None):
        if self.status != MessageStatus.PENDING or self.due_on is None:
            return None
        today = today or timezone.localdate()
        if today <= self.due_on:
            return working_days_between(today, self.due_on)
        return -working_days_between(self.due_on, today)

    def days_open(self, today=None):
        return ((today or timezone.localdate()) - self.received_on).days

    @property
    def is_overdue(self):
        left = self.working_days_left()
        return left is not None and left < 0

    @property
    def replied_in_time(self):
        return bool(self.replied_on and self.due_on and self.replied_on <= self.due_on)


class MessageAlert(models.Model):
    """One reminder or alarm per (message, kind, deadline): the beat task never sends one twice."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("提醒类型"), max_length=20)
    due_on = models.DateField(_("答复期限"))
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("留言提醒")
        verbose_name_plural = _("留言提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "kind", "due_on"], name="participation_one_message_alert"
            )
        ]


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
    edit_handler = _page_edit_tabs(content_panels)

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
        from .setup import ensure_emergency_workflow

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
    edit_handler = _page_edit_tabs(content_panels)

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


# 互动交流 section and 在线访谈 --------------------------------------------------------------------------


class InteractionIndexPage(RoutablePageMixin, Page):
    """互动交流: the message board (受理日期/答复日期/答复部门/答复内容), the message form, and the interviews."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "link"])
    form_intro = RichTextField(
        _("留言须知"), blank=True, features=["bold", "link", "ol", "ul"], help_text=_("显示在留言表单上方。")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("form_intro")]

    parent_page_types = ["home.HomePage", "home.SectionPage"]
    subpage_types = ["participation.InterviewPage"]
    max_count = 1

    class Meta:
        verbose_name = _("互动交流")
        verbose_name_plural = _("互动交流")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_consultations"] = list(
            ConsultationPage.objects.published()
            .for_listing()
            .filter(opens_on__lte=timezone.localdate(), closes_on__gte=timezone.localdate(), completed=False)
            .order_by("closes_on")[:5]
        )
        context["adoption_reports"] = list(
            ConsultationPage.objects.published()
            .for_listing()
            .filter(completed=True)
            .order_by("-completed_on", "-pk")[:5]
        )
        context["interviews"] = list(
            InterviewPage.objects.live().public().child_of(self).order_by("-starts_at")[:5]
        )
        context["latest_messages"] = list(Message.objects.public().select_related("department")[:5])
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("messages/", name="messages")
    def messages(self, request):
        from .views import message_board

        return message_board(self, request)

    @path("messages/write/", name="write")
    def write(self, request):
        from .views import write_message

        return write_message(self, request)

    @path("messages/done/", name="done")
    def done(self, request):
        from .views import message_done

        return message_done(self, request)

    @path("interviews/", name="interviews")
    def interview_archive(self, request):
        from .views import interview_archive

        return interview_archive(self, request)


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
        from .forms import QuestionForm

        return self.render(request, context_overrides={"question_form": QuestionForm()})

    @path("ask/", name="ask")
    def ask(self, request):
        from .views import ask_question

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
    def excerpt(self):
        return self.body[:60]

    excerpt.fget.short_description = _("问题")
