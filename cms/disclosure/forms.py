from django import forms
from django.utils.translation import gettext_lazy as _

from .vocabularies import Category


class CatalogueFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("组配分类"), required=False, choices=[("", _("全部"))] + Category.choices
    )
    department = forms.TypedChoiceField(label=_("发布机构"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={"invalid": _("年度应为四位数字，例如 2019。")},
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [("", _("全部"))] + [
            (d.pk, d.title if d.status == "active" else f"{d.title}（{d.get_status_display()}）")
            for d in departments
        ]
        self.fields["department"].error_messages["invalid_choice"] = _("所选发布机构不存在。")
        self.fields["category"].error_messages["invalid_choice"] = _("所选组配分类不存在。")

    def clean_department(self):
        pk = self.cleaned_data.get("department")
        return self._departments.get(pk) if pk else None
