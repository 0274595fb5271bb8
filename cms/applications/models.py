"""依申请公开: requests for government information (Art. 27–45 of the Regulation), their statutory clock, the
documents the bureau issues, and what the annual report counts.

- ``InformationRequest`` is one application, online or entered by staff (代填), with the applicant's personal data.
  ``due_date`` is stored (for lists, the dashboard and reminders) and recomputed from ``clock_start``,
  ``extension_days`` and the ``ClockPause`` rows whenever one of them changes (``services.py``).
- ``RequestEvent`` is the event log the clock is computed from (received, 补正 sent/received, pauses, extension,
  fee, reply, delivery, archive); ``Letter`` the documents issued, rendered from editable ``LetterTemplate`` rows.
- ``LegalCase`` records 行政复议 and 行政诉讼 about disclosure (table 4 of the annual report).
- ``ApplicationPage`` is the public 依申请公开 page: guide text, the online form, the confirmation and the status
  lookup.
"""

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.core.masking import mask
from cms.core.richtext import RICH_TEXT_FEATURES
from cms.core.workdays import add_working_days
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler

from . import clock
from .querysets import InformationRequestQuerySet
from .vocabularies import (
    CLOCK_STATUSES,
    OPEN_STATUSES,
    PUBLIC_STAGES,
    ApplicantType,
    CaseKind,
    CaseResult,
    Channel,
    Delivery,
    FeeMethod,
    IdType,
    LetterKind,
    Outcome,
    PauseKind,
    Status,
    WithheldReason,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


class PrivateStorage(FileSystemStorage):
    """Reply attachments: outside MEDIA_ROOT, so the web server never serves them; the status lookup and the
    admin hand them out after checking who asks. The location is read from settings on every use."""

    @property
    def base_location(self):
        return str(settings.APPLICATIONS_PRIVATE_ROOT)

    @property
    def location(self):
        return str(settings.APPLICATIONS_PRIVATE_ROOT)

    @property
    def base_url(self):
        return None

    def deconstruct(self):
        return ("cms.applications.models.PrivateStorage", (), {})


private_storage = PrivateStorage()


def applicant_key(id_type, id_number):
    """A keyed hash of the applicant's identity: rate limits, monthly counts and repeats, without the number."""
    normalised = f"{id_type}:{(id_number or '').strip().upper()}"
    return salted_hmac("cms.applications.applicant", normalised).hexdigest()


def new_tracking_code():
    year = timezone.localdate().year
    return f"YSQ{year}" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


class InformationRequest(models.Model):
    tracking_code = models.CharField(_("申请编号"), max_length=20, unique=True, default=new_tracking_code)
    channel = models.CharField(_("申请方式"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)

    # 申请人 (Art. 29 (一))
    applicant_type = models.CharField(
        _("申请人类型"), max_length=12, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=12, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)

    # 所需信息 (Art. 29 (二)) and 形式要求 (Art. 29 (三))
    info_title = models.CharField(_("所需信息名称"), max_length=200)
    info_number = models.CharField(_("文号"), max_length=100, blank=True)
    description = models.TextField(_("所需信息的特征性描述"), blank=True)
    delivery = models.CharField(
        _("获取方式"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )

    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True)
    department = models.ForeignKey(
        "departments.DepartmentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承办部门"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代填人"),
    )

    # The clock
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    clock_start = models.DateField(_("计时起点"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    supplement_deadline = models.DateField(_("补正期限"), null=True, blank=True)

    # The outcome
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, blank=True)
    withheld_reason = models.CharField(
        _("不予公开理由"), max_length=2, choices=WithheldReason.choices, blank=True
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_note = models.CharField(_("送达情况"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    # Keys for rate limits, monthly fee counts and repeated requests (Art. 44), without the personal data.
    applicant_key = models.CharField(max_length=64, editable=False, db_index=True)
    info_key = models.CharField(max_length=200, editable=False, db_index=True)
    proactive_item = models.ForeignKey(
        "disclosure.DisclosureItemPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("转为主动公开"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        indexes = [models.Index(fields=["status", "due_date"], name="applications_status_due")]

    def __str__(self):
        return f"{self.tracking_code} {self.info_title}"

    def save(self, *args, **kwargs):
        from .similarity import info_key

        self.applicant_key = applicant_key(self.id_type, self.id_number)
        self.info_key = info_key(self.info_title, self.info_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "applicant_key", "info_key", "updated_at"}
        super().save(*args, **kwargs)

    # Masked personal data: lists, exports, dashboards and notifications use only these --------------

    @property
    def is_person(self):
        return self.applicant_type == ApplicantType.PERSON

    @property
    def masked_name(self):
        return mask(self.name, 1, 0) if self.is_person else self.name

    masked_name.fget.short_description = _("申请人")

    @property
    def masked_phone(self):
        return mask(self.phone, 3, 4)

    masked_phone.fget.short_description = _("联系电话")

    # The clock ---------------------------------------------------------------------------------------

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def limit(self):
        return clock.BASE_LIMIT + self.extension_days

    def clock_pauses(self):
        if self.pk is None:
            return []
        return [clock.Pause(p.started_on, p.ended_on) for p in self.pauses.all()]

    def read_clock(self, today=None):
        """The clock today, or None when it is not running (not yet received, 补正 pending, or closed)."""
        if self.status not in CLOCK_STATUSES or self.clock_start is None:
            return None
        return clock.read(self.clock_start, self.limit, self.clock_pauses(), today or timezone.localdate())

    def compute_due_date(self):
        if self.clock_start is None or self.status not in CLOCK_STATUSES:
            return None
        return clock.due_date(self.clock_start, self.limit, self.clock_pauses())

    @property
    def public_stage(self):
        return PUBLIC_STAGES[Status(self.status)]

    @property
    def supplement_notice_deadline(self):
        return add_working_days(self.received_on, clock.SUPPLEMENT_NOTICE_LIMIT) if self.received_on else None


class RequestEvent(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交申请")
        ENTERED = "entered", _("工作人员代填登记")
        RECEIVED = "received", _("确认收到申请")
        ASSIGNED = "assigned", _("交承办部门")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("告知补正")
        SUPPLEMENT_RECEIVED = "supplement_received", _("收到补正")
        EXTENDED = "extended", _("延期答复")
        PAUSED = "paused", _("暂停计时")
        RESUMED = "resumed", _("恢复计时")
        REPLIED = "replied", _("作出答复")
        WITHDRAWN = "withdrawn", _("终止办理")
        DELIVERED = "delivered", _("送达")
        ARCHIVED = "archived", _("归档")
        REMINDER = "reminder", _("到期提醒")

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["on", "at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


class ClockPause(models.Model):
    """Time that does not count: a consultation (Art. 32–34) or a fee notice until payment (109号)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("暂停事由"), max_length=12, choices=PauseKind.choices)
    party = models.CharField(_("征求意见对象"), max_length=120, blank=True)
    started_on = models.DateField(_("开始日期"))
    answer_due = models.DateField(_("答复或缴费期限"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    fee_method = models.CharField(_("计收方式"), max_length=12, choices=FeeMethod.choices, blank=True)
    fee_quantity = models.PositiveIntegerField(_("件数或页数"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("收费金额（元）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d}–{self.ended_on or '…'}"


class LetterTemplate(models.Model):
    """The wording of one kind of document, with {占位符} that ``letters.render`` fills in."""

    key = models.CharField(_("文书类型"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(
        _("正文"),
        help_text=_("可用占位符见下方说明，例如 {申请人}、{申请编号}、{收到日期}、{信息名称}、{机关名称}。"),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self):
        return self.title

    def clean(self):
        from .letters import validate_template

        super().clean()
        validate_template(self.body, self.title)

    @property
    def key_label(self):
        from .letters import TEMPLATE_KEYS

        return TEMPLATE_KEYS.get(self.key, self.key)


class Letter(models.Model):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=16, choices=LetterKind.choices)
    number = models.CharField(_("文书编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    issued_on = models.DateField(_("落款日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")

    def __str__(self):
        return f"{self.number} {self.title}"


class ReplyAttachment(models.Model):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="replies/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")

    def __str__(self):
        return self.title


class Reminder(models.Model):
    """One notification per threshold per deadline: the beat task never repeats one."""

    OVERDUE = 0
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.SmallIntegerField(_("提醒档位"), help_text=_("剩余工作日（5、2、1），0 表示已逾期"))
    due_date = models.DateField(_("答复期限"))
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "threshold", "due_date"], name="one_reminder_per_threshold"
            )
        ]


class LegalCase(models.Model):
    """A 行政复议 or 行政诉讼 about the bureau's disclosure work (table 4 of the annual report)."""

    kind = models.CharField(_("类型"), max_length=24, choices=CaseKind.choices)
    request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_cases",
        verbose_name=_("涉及的申请"),
    )
    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    filed_on = models.DateField(_("受理日期"))
    result = models.CharField(
        _("结果"), max_length=12, choices=CaseResult.choices, default=CaseResult.PENDING
    )
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("case_number"),
        FieldPanel("request"),
        FieldPanel("filed_on"),
        FieldPanel("result"),
        FieldPanel("concluded_on"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.result == CaseResult.PENDING and self.concluded_on:
            raise ValidationError({"concluded_on": _("尚未审结的案件不填审结日期。")})
        if self.result != CaseResult.PENDING and not self.concluded_on:
            raise ValidationError({"concluded_on": _("请填写审结日期。")})
        if self.concluded_on and self.concluded_on < self.filed_on:
            raise ValidationError({"concluded_on": _("审结日期不能早于受理日期。")})


class ApplicationPage(GatedPageMixin, RoutablePageMixin, Page):
    """依申请公开: how to apply (the guide text), the online form, the confirmation and the status lookup."""

    intro = models.CharField(_("导语"), max_length=250, blank=True)
    body = RichTextField(_("申请须知"), features=RICH_TEXT_FEATURES)
    form_intro = RichTextField(
        _("表单说明"),
        blank=True,
        features=["bold", "link"],
        help_text=_("显示在在线申请表上方，例如受理时间、隐私保护说明。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("form_intro")]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("依申请公开")
        verbose_name_plural = _("依申请公开")

    @path("")
    def guide(self, request):
        return self.render(request)

    @path("apply/", name="apply")
    def apply(self, request):
        from .views import apply

        return apply(self, request)

    @path("done/", name="done")
    def done(self, request):
        from .views import done

        return done(self, request)

    @path("status/", name="status")
    def status(self, request):
        from .views import status

        return status(self, request)

    @path("status/attachment/<int:pk>/", name="attachment")
    def attachment(self, request, pk):
        from .views import attachment

        return attachment(self, request, pk)
