"""What every form a citizen fills in shares: markup stripped (and said so), a honeypot, length messages.

Errors sit on their fields and the bound data is kept, so nothing typed is lost on an error.
"""

import html
import re

import nh3
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
HONEYPOT = "website"


def strip_html(value):
    """Plain text from what may contain markup: nh3 (ammonia) drops <script>/<style> with their content and
    every other tag, keeping the text; entities are turned back into the characters typed."""
    return html.unescape(nh3.clean(value, tags=set())).strip()


def length_validator(limit, what):
    """A max-length validator whose message names the field and both counts, in Chinese."""
    return MaxLengthValidator(
        limit,
        message=_("%(what)s不得超过%%(limit_value)d字（当前%%(show_value)d字），请精简后提交。")
        % {"what": what},
    )


class HtmlStrippingMixin:
    """Text fields (``text_fields``) that contain HTML are shown back without the markup, with an error asking
    the user to check the result: the form is never accepted with text the user did not see."""

    text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.html_stripped = set()
        if self.is_bound:
            data = self.data.copy()
            for name in self.text_fields:
                key = self.add_prefix(name)
                value = data.get(key)
                if value and TAG.search(value):
                    data[key] = strip_html(value)
                    self.html_stripped.add(name)
            self.data = data

    def _post_clean(self):
        super()._post_clean()
        for name in self.html_stripped:
            if name in self.fields:
                self.add_error(name, _("不能包含HTML代码或脚本，已自动去除，请核对后重新提交。"))


class PublicFormMixin(HtmlStrippingMixin):
    """A form on the public site: markup stripped, and a honeypot field (``website``) that people never see
    (the template hides it) and bots fill in. ``is_bot`` tells the view to answer without saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("请勿填写此项"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(_("提交未被接受。"), code="honeypot")
        return ""

    @property
    def is_bot(self):
        return HONEYPOT in self.errors
