"""Public forms (征求意见 comments, messages, interview questions) and the staff forms (12345 entry, moderation,
replies). Every public form has a honeypot, length limits and markup stripped with nh3; errors sit on their
fields and nothing typed is lost."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.core.forms import PublicFormMixin, length_validator
from cms.core.validators import LANDLINE, MOBILE, normalise_phone
from cms.departments.models import DepartmentPage

from .models import ConsultationComment, InterviewQuestion, Message
from .vocabularies import MessageStatus, Moderation


class CommentForm(PublicFormMixin, forms.ModelForm):
    text_fields = ("name", "contact", "body")

    class Meta:
        model = ConsultationComment
        fields = ["name", "contact", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PARTICIPATION_COMMENT_MAX_LENGTH
        body = self.fields["body"]
        body.max_length = limit
        body.validators.append(length_validator(limit, _("意见内容")))
        body.widget.attrs["maxlength"] = limit
        body.help_text = _("请围绕征求意见稿提出意见建议，不超过%(n)d字。经审核后公开，联系方式不公开。") % {
            "n": limit
        }
        body.error_messages["required"] = _("请填写意见内容。")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 5:
            raise forms.ValidationError(_("意见内容过短，请至少填写5个字。"))
        return body


class MessageForm(PublicFormMixin, forms.ModelForm):
    """写留言: to the bureau or one of its units."""

    text_fields = ("name", "phone", "subject", "body")

    class Meta:
        model = Message
        fields = ["category", "department", "subject", "body", "name", "phone", "email", "is_private"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PARTICIPATION_MESSAGE_MAX_LENGTH
        body = self.fields["body"]
        body.max_length = limit
        body.validators.append(length_validator(limit, _("留言内容")))
        body.widget.attrs["maxlength"] = limit
        body.error_messages["required"] = _("请填写留言内容。")
        self.fields["subject"].error_messages["required"] = _("请填写留言标题。")
        self.fields["name"].error_messages["required"] = _("请填写姓名。")
        self.fields["category"].error_messages["required"] = _("请选择留言类别。")
        department = self.fields["department"]
        department.queryset = DepartmentPage.objects.live().filter(status="active").order_by("path")
        department.label = _("留言对象")
        department.empty_label = _("宿迁市交通运输局（由局办公室分办）")
        department.help_text = _("不清楚由哪个部门负责的，可不选择，由局办公室转交承办部门。")
        self.fields["phone"].required = True
        self.fields["phone"].error_messages["required"] = _("请填写联系电话，以便答复。")
        self.fields["phone"].help_text = _("联系电话不公开。")
        self.fields["is_private"].label = _("不公开我的留言（留言和答复不在网站上公开）")
        self.fields["is_private"].help_text = ""

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone"))
        if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise forms.ValidationError(_("联系电话应为11位手机号码或带区号的固定电话，例如 0527-84355052。"))
        return phone

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 10:
            raise forms.ValidationError(_("留言内容过短，请把问题说清楚（至少10个字）。"))
        return body


class QuestionForm(PublicFormMixin, forms.ModelForm):
    text_fields = ("name", "body")

    class Meta:
        model = InterviewQuestion
        fields = ["name", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PARTICIPATION_QUESTION_MAX_LENGTH
        body = self.fields["body"]
        body.max_length = limit
        body.validators.append(length_validator(limit, _("问题")))
        body.widget.attrs["maxlength"] = limit
        body.error_messages["required"] = _("请填写您的问题。")


# Staff -------------------------------------------------------------------------------------------------


class ModerationForm(WagtailAdminModelForm):
    """Hold, approve, or reject with a reason (comments and interview questions)."""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Moderation.REJECTED
            and not (cleaned.get("moderation_reason") or "").strip()
        ):
            self.add_error("moderation_reason", _("不予通过的，请说明理由。"))
        return cleaned


class StaffMessageForm(WagtailAdminModelForm):
    """Staff entry (12345 transfers, phone, letters) and handling: routing, reply, or not accepted."""

    def clean(self):
        cleaned = super().clean()
        if "phone" in cleaned:
            phone = normalise_phone(cleaned.get("phone"))
            if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
                self.add_error("phone", _("联系电话应为11位手机号码或带区号的固定电话。"))
            cleaned["phone"] = phone
        received = cleaned.get("received_on")
        if received and received > timezone.localdate():
            self.add_error("received_on", _("受理日期不能晚于今天。"))
        status = cleaned.get("status") or self.instance.status
        if status == MessageStatus.REPLIED and not cleaned.get("replied_on") and not self.instance.replied_on:
            cleaned["replied_on"] = timezone.localdate()
        return cleaned
