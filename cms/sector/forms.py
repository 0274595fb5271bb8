"""Forms of the sector pages: the page editor's base form, the public case lookup, the withdrawal of a decision."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from syndication.forms import SyndicatedPageForm

from .vocabularies import Revocation


class SectorPageForm(SyndicatedPageForm):
    """Structured records write their 正文 from their fields when the editor leaves it empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].required = False


class CaseLookupForm(forms.Form):
    case_number = forms.CharField(
        label=_("案件编号"),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "例如：宿交执罚〔2019〕第0123号"}
        ),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        help_text=_("受理通知书上的8位查询码，不区分大小写"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class WithdrawDecisionForm(forms.Form):
    revocation = forms.ChoiceField(label=_("撤销情形"), choices=Revocation.choices)
    revoked_on = forms.DateField(label=_("撤销日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("撤销说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_revoked_on(self):
        day = self.cleaned_data["revoked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("撤销日期不能晚于今天。"))
        return day
