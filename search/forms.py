import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.disclosure.vocabularies import Category, Validity

from .groups import Group

MAX_QUERY_LENGTH = 100
# 发布日期 filters: outside this range a day cannot be turned into a time (year 9999 + 1 day overflows).
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)


class SearchForm(forms.Form):
    """The search page's query and filters. A bad value is reported and that filter ignored; the rest of
    what the visitor typed is kept in the form."""

    q = forms.CharField(label=_("关键词"), required=False, strip=True)
    group = forms.ChoiceField(label=_("分类"), required=False, choices=[("", _("全部"))] + Group.choices)
    department = forms.TypedChoiceField(label=_("发布机构"), required=False, coerce=int, empty_value=None)
    column = forms.ChoiceField(
        label=_("栏目"), required=False, choices=[("", _("全部栏目"))] + Category.choices
    )
    validity = forms.ChoiceField(
        label=_("有效性"), required=False, choices=[("", _("不限"))] + Validity.choices
    )
    doc_number = forms.CharField(label=_("文号"), required=False, max_length=80, strip=True)
    date_from = forms.DateField(label=_("发布日期自"), required=False)
    date_to = forms.DateField(label=_("至"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("", _("按相关度")), ("date", _("按发布时间"))],
    )

    FILTERS = ("group", "department", "column", "validity", "doc_number", "date_from", "date_to")

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [("", _("全部发布机构"))] + [
            (d.pk, d.title if d.status == "active" else f"{d.title}（{d.get_status_display()}）")
            for d in departments
        ]
        messages = {
            "department": _("所选发布机构不存在。"),
            "group": _("所选分类不存在。"),
            "column": _("所选栏目不存在。"),
            "validity": _("所选有效性不存在。"),
            "sort": _("排序方式无效。"),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["invalid_choice"] = message
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("日期格式应为 2019-06-18。")
        self.fields["doc_number"].error_messages["max_length"] = _("文号过长。")

    def clean_q(self):
        q = self.cleaned_data["q"]
        if len(q) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(_("搜索词过长，请控制在%(n)s字以内。") % {"n": MAX_QUERY_LENGTH})
        return q

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day and not (EARLIEST_DAY <= day <= LATEST_DAY):
            raise forms.ValidationError(
                _("日期应在%(first)s年至%(last)s年之间。")
                % {"first": EARLIEST_DAY.year, "last": LATEST_DAY.year}
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean_department(self):
        pk = self.cleaned_data.get("department")
        return self.departments.get(pk) if pk else None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def valid_data(self):
        """The fields that passed validation (a bad filter is dropped, the others still apply)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    @property
    def has_filters(self):
        data = self.valid_data()
        return any(data.get(name) for name in self.FILTERS)
