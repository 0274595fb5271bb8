"""Forms: the public application (Art. 29), staff entry on the applicant's behalf (代填), the status lookup, and
the processing actions. Every error is attached to its field; nothing typed is lost on an error."""

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.core.forms import HtmlStrippingMixin, PublicFormMixin, length_validator
from cms.core.validators import LANDLINE, MOBILE, is_valid_id_number, is_valid_org_code, normalise_phone
from cms.core.workdays import add_working_days
from cms.departments.models import DepartmentPage

from . import fees
from .models import InformationRequest
from .querysets import HEAD_GROUP
from .vocabularies import (
    ORGANISATION_TYPES,
    REPLY_OUTCOMES,
    ApplicantType,
    Channel,
    Delivery,
    FeeMethod,
    IdType,
    Outcome,
    PauseKind,
    WithheldReason,
)

# Art. 29: who asks (一), for what (二), in which form (三) — the fields both the public and the staff form have.
REQUEST_FIELDS = (
    "name",
    "contact_person",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "info_title",
    "info_number",
    "description",
    "delivery",
)
TEXT_FIELDS = (
    "name",
    "contact_person",
    "id_number",
    "phone",
    "address",
    "postcode",
    "info_title",
    "info_number",
    "description",
)


def check_applicant(form, cleaned):
    """The rules of Art. 29 (一) both forms share: identity document, contact, and the delivery form."""
    id_type, number = cleaned.get("id_type"), (cleaned.get("id_number") or "").strip().upper()
    if number:
        if id_type == IdType.RESIDENT_ID and not is_valid_id_number(number):
            form.add_error("id_number", _("身份证号码不正确：请核对18位号码（含出生日期和末位校验码）。"))
        elif id_type == IdType.USCC and not (len(number) == 18 and is_valid_org_code(number)):
            form.add_error("id_number", _("统一社会信用代码不正确：应为18位，且校验位正确。"))
        elif id_type not in (IdType.RESIDENT_ID, IdType.USCC) and not re.fullmatch(
            r"[0-9A-Z\-]{5,30}", number
        ):
            form.add_error("id_number", _("证件号码应为5至30位字母或数字。"))
        cleaned["id_number"] = number
    applicant_type = cleaned.get("applicant_type")
    if applicant_type and id_type:
        if applicant_type == ApplicantType.PERSON and id_type == IdType.USCC:
            form.add_error("id_type", _("自然人请选择身份证件。"))
        if applicant_type != ApplicantType.PERSON and id_type != IdType.USCC:
            form.add_error("id_type", _("法人或其他组织请填写统一社会信用代码。"))
    phone = normalise_phone(cleaned.get("phone"))
    if phone:
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            form.add_error("phone", _("联系电话应为11位手机号码或带区号的固定电话，例如 0527-84355052。"))
        cleaned["phone"] = phone
    delivery = cleaned.get("delivery")
    if delivery == Delivery.EMAIL and not cleaned.get("email"):
        form.add_error("email", _("选择电子邮件获取的，请填写电子邮箱。"))
    if delivery == Delivery.POST and not (cleaned.get("address") or "").strip():
        form.add_error("address", _("选择邮寄纸质文本的，请填写通信地址。"))
    return cleaned


def limit_description(form):
    limit = settings.APPLICATIONS_DESCRIPTION_MAX_LENGTH
    field = form.fields["description"]
    field.max_length = limit
    field.validators.append(length_validator(limit, _("描述")))
    field.widget.attrs["maxlength"] = str(limit)


ERRORS = {
    "name": {"required": _("请填写申请人姓名或名称。")},
    "id_number": {"required": _("请填写证件号码。")},
    "phone": {"required": _("请填写联系电话，用于联系您和查询办理进度。")},
    "info_title": {"required": _("请填写所需政府信息的名称。")},
}


class ApplicationForm(PublicFormMixin, forms.ModelForm):
    """依申请公开 online: the three groups of Art. 29, plus a honeypot that people never see."""

    APPLICANT_KINDS = [("person", _("自然人")), ("organisation", _("法人或其他组织"))]
    text_fields = TEXT_FIELDS

    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=APPLICANT_KINDS, widget=forms.RadioSelect, initial="person"
    )
    organisation_type = forms.ChoiceField(
        label=_("组织类型"),
        choices=[("", _("请选择"))] + [(t.value, t.label) for t in ORGANISATION_TYPES],
        required=False,
    )
    pledge = forms.BooleanField(
        label=_("本人（单位）承诺所填信息真实有效"),
        error_messages={"required": _("请确认所填信息真实有效。")},
    )

    class Meta:
        model = InformationRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "delivery": forms.RadioSelect,
        }
        error_messages = ERRORS
        labels = {"name": _("姓名或名称")}
        help_texts = {
            "name": _("自然人填写姓名；法人或其他组织填写全称。"),
            "contact_person": _("法人或其他组织填写经办联系人。"),
            "info_title": _("例如：宿迁市2019年农村公路提档升级工程计划"),
            "info_number": _("知道文号的请填写，例如：宿交发〔2019〕45号"),
            "description": _("不知道名称、文号的，请描述信息的内容、形成时间、制作机关等，便于检索。"),
            "phone": _("手机号码同时用于查询办理进度。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_description(self)
        self.fields["delivery"].choices = Delivery.choices
        self.fields["id_type"].choices = IdType.choices
        self.fields["postcode"].widget.attrs.update(inputmode="numeric", maxlength="6")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("applicant_kind") == "organisation":
            if not cleaned.get("organisation_type"):
                self.add_error("organisation_type", _("请选择组织类型。"))
            cleaned["applicant_type"] = cleaned.get("organisation_type") or ApplicantType.OTHER
        else:
            cleaned["applicant_type"] = ApplicantType.PERSON
        return check_applicant(self, cleaned)

    def save(self, commit=True):
        self.instance.applicant_type = self.cleaned_data["applicant_type"]
        self.instance.channel = Channel.ONLINE
        return super().save(commit=commit)


class StaffRequestForm(HtmlStrippingMixin, WagtailAdminModelForm):
    """代填: a letter, fax, e-mail, in-person or oral application, with the date rules of Art. 31."""

    text_fields = TEXT_FIELDS

    submitted_on = forms.DateField(
        label=_("申请提交（寄出）日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )

    class Meta:
        model = InformationRequest
        fields = ["channel", "received_on", "applicant_type", *REQUEST_FIELDS, "department"]
        error_messages = ERRORS
        help_texts = {
            "received_on": _(
                "当面或口头提出的，为提交之日；挂号信、快递等为签收之日；平常信函为与申请人确认之日；"
                "电子邮件、传真为双方确认之日（条例第三十一条）。"
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # editing: the dates and channel are part of the record
            for name in ("channel", "received_on", "submitted_on"):
                self.fields.pop(name, None)
        else:
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.ONLINE]
            self.fields["received_on"].required = False
            self.fields["submitted_on"].initial = timezone.localdate()
        limit_description(self)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            submitted_on = cleaned.get("submitted_on") or timezone.localdate()
            channel = cleaned.get("channel")
            if submitted_on > timezone.localdate():
                self.add_error("submitted_on", _("提交日期不能晚于今天。"))
            received_on = cleaned.get("received_on")
            if channel in (Channel.IN_PERSON, Channel.ORAL):
                cleaned["received_on"] = submitted_on
            elif not received_on:
                self.add_error("received_on", _("请按条例第三十一条填写收到申请之日。"))
            elif received_on < submitted_on:
                self.add_error("received_on", _("收到申请之日不能早于提交（寄出）日期。"))
            elif received_on > timezone.localdate():
                self.add_error("received_on", _("收到申请之日不能晚于今天。"))
            self.instance.submitted_at = timezone.make_aware(
                datetime.datetime.combine(submitted_on, datetime.time(9, 0))
            )
        return check_applicant(self, cleaned)


class StatusLookupForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("申请编号"),
        max_length=20,
        error_messages={"required": _("请填写申请编号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("申请时填写的联系电话"),
        max_length=30,
        error_messages={"required": _("请填写申请时填写的联系电话。")},
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_tracking_code(self):
        return re.sub(r"[\s-]", "", self.cleaned_data["tracking_code"]).upper()

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


# Processing actions ------------------------------------------------------------------------------------

DATE = {"widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}


def _today():
    return timezone.localdate()


class DateActionForm(forms.Form):
    on = forms.DateField(label=_("日期"), initial=_today, **DATE)


class ConfirmReceiptForm(DateActionForm):
    pass


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = DepartmentPage.objects.active().order_by("path")


class SupplementForm(DateActionForm):
    items = forms.CharField(
        label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    deadline = forms.DateField(label=_("补正期限"), **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = add_working_days(
            timezone.localdate(), settings.APPLICATIONS_SUPPLEMENT_WORKING_DAYS
        )


class SupplementReceivedForm(DateActionForm):
    note = forms.CharField(
        label=_("补正内容摘要"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(DateActionForm):
    outcome = forms.ChoiceField(
        label=_("终止事由"),
        choices=[
            (o.value, o.label)
            for o in (Outcome.APPLICANT_WITHDREW, Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID)
        ],
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class ExtensionForm(DateActionForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=20, initial=20)
    approver = forms.ModelChoiceField(label=_("批准人（信息公开工作机构负责人）"), queryset=None)
    reason = forms.CharField(
        label=_("延期理由"), max_length=500, initial=_("所申请信息涉及面广，需要检索、汇总的材料较多")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = (
            get_user_model().objects.filter(groups__name=HEAD_GROUP, is_active=True).distinct().order_by("pk")
        )


class PauseForm(DateActionForm):
    kind = forms.ChoiceField(label=_("暂停事由"), choices=PauseKind.choices)
    party = forms.CharField(label=_("征求意见对象"), required=False, max_length=120)
    fee_method = forms.ChoiceField(
        label=_("计收方式"), choices=[("", "—")] + FeeMethod.choices, required=False
    )
    fee_quantity = forms.IntegerField(label=_("件数（本月第几件）或页数"), required=False, min_value=1)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PauseKind.FEE:
            method, quantity = cleaned.get("fee_method"), cleaned.get("fee_quantity")
            if not method:
                self.add_error("fee_method", _("收费的，请选择计收方式（按件或按量，只能选一种）。"))
            if not quantity:
                self.add_error("fee_quantity", _("请填写件数或页数。"))
            if method and quantity:
                amount = (
                    fees.per_request_fee(quantity)
                    if method == FeeMethod.PER_REQUEST
                    else fees.per_page_fee(quantity)
                )
                if not amount:
                    self.add_error("fee_quantity", _("按国办函〔2020〕109号标准，此数量不收费。"))
                cleaned["fee_amount"] = amount
        elif cleaned.get("kind") and not (cleaned.get("party") or "").strip():
            self.add_error("party", _("请填写征求意见的第三方或机关。"))
        return cleaned


class ResumeForm(DateActionForm):
    note = forms.CharField(label=_("意见或缴费情况"), required=False, max_length=2000)


class ReplyForm(DateActionForm):
    outcome = forms.ChoiceField(label=_("答复类型"), choices=[(o.value, o.label) for o in REPLY_OUTCOMES])
    withheld_reason = forms.ChoiceField(
        label=_("不予公开理由"), choices=[("", "—")] + WithheldReason.choices, required=False
    )
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
        help_text=_(
            "告知获取方式和途径、公开的内容、不予公开的理由或有关机关的名称和联系方式等；将填入答复书模板。"
        ),
    )
    files = forms.FileField(
        label=_("附件（所公开的信息）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"multiple": False}),
    )


class DeliveryForm(DateActionForm):
    note = forms.CharField(
        label=_("送达方式及凭证"), max_length=200, initial="", help_text=_("例如：EMS 1234567890，申请人签收")
    )


class LetterForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 20}), max_length=20000)
