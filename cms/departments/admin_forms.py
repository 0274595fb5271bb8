"""The forms of the reorganization admin (机构调整): one per operation, each producing a spec and its plan.

Validation is the planner's (``reorganization.plan_for``): the form only reads the input, so the same checks run
at the preview and again when the task carries the operation out.
"""

from urllib.parse import urlparse

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page, Site

from cms.disclosure.vocabularies import Category

from .models import ChangeKind, DepartmentKind, DepartmentPage, DepartmentStatus, Reorganization
from .reorganization import ReorganizationError, plan_for


def active_units():
    return (
        DepartmentPage.objects.live()
        .filter(status=DepartmentStatus.ACTIVE, locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )


def unit_choices(blank=None):
    choices = [(u.pk, u.title) for u in active_units().only("title", "path")]
    return ([("", blank)] if blank else []) + choices


class UnitField(forms.IntegerField):
    """A unit picked from a list of the active units. Any page id is accepted here so that the planner, not the
    form, explains why a page cannot take part (itself, below the unit, not a unit, retired)."""

    def __init__(self, *, blank=None, **kwargs):
        super().__init__(widget=forms.Select, **kwargs)
        self.blank = blank

    def refresh(self):
        self.widget.choices = unit_choices(self.blank)


class PagesField(forms.CharField):
    """Pages named one per line, by id or by public URL (copied from the site or the admin)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("help_text", _("每行一个：页面ID，或从网站复制的网址。"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        ids, errors = [], []
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        for n, line in enumerate(lines, start=1):
            if line.isdigit():
                ids.append(int(line))
                continue
            path = urlparse(line).path.strip("/")
            page = None
            if site is not None and path:
                page = Page.objects.filter(url_path=f"{site.root_page.url_path}{path}/").only("pk").first()
            if page is None:
                errors.append(_("第%(n)d行：找不到页面“%(line)s”。") % {"n": n, "line": line[:80]})
            else:
                ids.append(page.pk)
        if errors:
            raise forms.ValidationError(errors)
        return ids


def keyword_list(text):
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return [k.strip() for k in text.split(",") if k.strip()]


class SelectionMixin(forms.Form):
    """Which of a unit's items go: whole columns, items with these keywords, or a list of pages."""

    categories = forms.MultipleChoiceField(
        label=_("按栏目"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    keywords = forms.CharField(
        label=_("按关键词"), required=False, help_text=_("多个关键词以逗号分隔；含任一关键词的信息被选中。")
    )
    pages = PagesField(label=_("按信息列表"))

    def selection(self):
        data = self.cleaned_data
        return {
            "categories": data.get("categories") or [],
            "keywords": keyword_list(data.get("keywords") or ""),
            "pages": data.get("pages") or [],
        }


class ReorganizationForm(forms.Form):
    kind = None
    BASIS_FIELDS = ("document_number", "effective_date", "note")  # shown last, under 依据
    document_number = forms.CharField(
        label=_("文号"), max_length=80, help_text=_("调整依据的文件文号，例如：宿编办〔2019〕12号")
    )
    effective_date = forms.DateField(label=_("生效日期"), widget=AdminDateInput)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.plan = None
        for field in self.fields.values():
            if isinstance(field, UnitField):
                field.refresh()

    def clean_effective_date(self):
        date = self.cleaned_data["effective_date"]
        if date.year < 1949 or date > timezone.localdate() + timezone.timedelta(days=366):
            raise forms.ValidationError(_("生效日期应在1949年之后，且不晚于一年以后。"))
        return date

    def spec(self):
        raise NotImplementedError

    def record(self):
        data = self.cleaned_data
        return Reorganization(
            kind=self.kind,
            spec=self.spec(),
            document_number=data["document_number"].strip(),
            effective_date=data["effective_date"],
            note=data.get("note", ""),
            created_by=self.user,
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        record = self.record()
        try:
            self.plan = plan_for(record)
        except ReorganizationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    name = self.field_for_error(field)
                    for error in errors:
                        self.add_error(name, error)
            else:
                for message in exc.messages:
                    self.add_error(None, message)
            return cleaned
        record.summary = self.plan.summary[:500]
        self.instance = record
        return cleaned

    def field_for_error(self, field):
        return field if field in self.fields else None


class RenameForm(ReorganizationForm):
    kind = ChangeKind.RENAME
    unit = UnitField(label=_("机构"))
    title = forms.CharField(label=_("新的机构全称"), max_length=255)
    short_name = forms.CharField(label=_("新的简称"), max_length=40)
    org_code = forms.CharField(
        label=_("组织机构代码"), max_length=18, required=False, help_text=_("留空则不变。")
    )
    slug = forms.CharField(
        label=_("网址名称"),
        max_length=255,
        required=False,
        help_text=_("留空则不变；更改后本机构及其全部信息的旧网址自动永久重定向到新网址。"),
    )
    field_order = [
        "unit",
        "title",
        "short_name",
        "org_code",
        "slug",
        "document_number",
        "effective_date",
        "note",
    ]

    def spec(self):
        data = self.cleaned_data
        return {k: data.get(k) or None for k in ("unit", "title", "short_name", "org_code", "slug")}


class MergeForm(ReorganizationForm):
    kind = ChangeKind.MERGE
    sources = forms.TypedMultipleChoiceField(
        label=_("要合并的机构"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要合并的机构。")},
    )
    target = UnitField(label=_("并入"), required=False, blank=_("（合并组建新机构，填写下方信息）"))
    new_title = forms.CharField(label=_("新机构全称"), max_length=255, required=False)
    new_short_name = forms.CharField(label=_("新机构简称"), max_length=40, required=False)
    new_org_code = forms.CharField(label=_("新机构组织机构代码"), max_length=18, required=False)
    new_slug = forms.CharField(label=_("新机构网址名称"), max_length=255, required=False)
    new_kind = forms.ChoiceField(
        label=_("新机构类别"), choices=DepartmentKind.choices, required=False, initial=DepartmentKind.OFFICE
    )
    field_order = ["sources", "target", "new_title", "new_short_name", "new_org_code", "new_slug", "new_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = unit_choices()

    def spec(self):
        data = self.cleaned_data
        spec = {"sources": data["sources"], "target": data.get("target")}
        if data.get("target") is None:
            spec["new_unit"] = {
                "title": data.get("new_title", ""),
                "short_name": data.get("new_short_name", ""),
                "org_code": data.get("new_org_code", ""),
                "slug": data.get("new_slug", ""),
                "kind": data.get("new_kind") or DepartmentKind.OFFICE,
            }
        return spec

    def field_for_error(self, field):
        if f"new_{field}" in self.fields and self.cleaned_data.get("target") is None:
            return f"new_{field}"
        return super().field_for_error(field)


class SplitRuleForm(SelectionMixin):
    target = UnitField(label=_("承接机构"), required=False, blank=_("（请选择）"))
    people_follow = forms.BooleanField(
        label=_("原机构人员加入此机构"),
        required=False,
        help_text=_("原机构的编辑、审核人员加入此机构的对应用户组。"),
    )
    field_order = ["target", "categories", "keywords", "pages", "people_follow"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].refresh()

    def has_rule(self):
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("target") or data.get("categories") or data.get("keywords") or data.get("pages"))


SplitRuleFormSet = forms.formset_factory(SplitRuleForm, extra=3, max_num=20)


class SplitForm(ReorganizationForm):
    kind = ChangeKind.SPLIT
    source = UnitField(label=_("要拆分的机构"))
    field_order = ["source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = SplitRuleFormSet(self.data or None, prefix="rules")

    def spec(self):
        rules = []
        for form in self.rules.forms:
            if not form.is_valid() or not form.has_rule():
                continue
            rules.append(
                {
                    "target": form.cleaned_data.get("target"),
                    **form.selection(),
                    "people_follow": form.cleaned_data.get("people_follow", False),
                }
            )
        return {"source": self.cleaned_data["source"], "rules": rules}

    def clean(self):
        if not self.rules.is_valid():
            self.add_error(None, _("请检查下方的拆分规则。"))
            return self.cleaned_data
        if not any(form.has_rule() for form in self.rules.forms):
            self.add_error(None, _("请至少填写两条拆分规则：每条选择承接机构和要划入的栏目、关键词或信息。"))
            return self.cleaned_data
        return super().clean()


class TransferForm(SelectionMixin, ReorganizationForm):
    kind = ChangeKind.TRANSFER
    source = UnitField(label=_("划出职责的机构"))
    target = UnitField(label=_("承接职责的机构"))
    duty = forms.CharField(label=_("划转的职责"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["source", "target", "duty", "categories", "keywords", "pages"]

    def spec(self):
        data = self.cleaned_data
        return {"source": data["source"], "target": data["target"], "duty": data["duty"], **self.selection()}


class AbolishForm(ReorganizationForm):
    kind = ChangeKind.ABOLISH
    unit = UnitField(label=_("要撤销的机构"))
    successor = UnitField(
        label=_("承接机构"), required=False, blank=_("（无承接机构：信息在原机构页面下存档）")
    )
    field_order = ["unit", "successor"]

    def spec(self):
        data = self.cleaned_data
        return {"unit": data["unit"], "successor": data.get("successor")}


FORMS = {
    ChangeKind.RENAME: RenameForm,
    ChangeKind.MERGE: MergeForm,
    ChangeKind.SPLIT: SplitForm,
    ChangeKind.TRANSFER: TransferForm,
    ChangeKind.ABOLISH: AbolishForm,
}
