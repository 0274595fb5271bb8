"""留言 and 12345 transfers: a citizen's message routed to a unit, with its reply deadline in working days."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.core.masking import mask, mask_personal_data
from cms.core.workdays import add_working_days, working_days_between

from ..querysets import MessageQuerySet
from ..vocabularies import (
    MessageCategory,
    MessageChannel,
    MessageStatus,
)
from .base import CODE_ALPHABET, add_months, masked_sender

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
    def public_subject(self):
        return mask_personal_data(self.subject)

    @property
    def public_body(self):
        return mask_personal_data(self.body)

    @property
    def public_reply(self):
        return mask_personal_data(self.reply)

    # The clock -------------------------------------------------------------------------------------------

    @property
    def inspection_line(self):
        """Three months after receipt: a valid message unanswered past this fails the inspection (国办秘函〔2019〕19号 互动回应差)."""
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
