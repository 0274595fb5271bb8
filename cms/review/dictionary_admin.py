"""The 审核词库 in the admin: a snippet listing of ``TermRule`` with CSV export and import.

Export is Wagtail's own spreadsheet export of the listing (the "⋯" menu, ``?export=csv``; it follows the
current filters and search), limited to CSV, written with a UTF-8 BOM so that Excel on Chinese Windows
opens it correctly, with Chinese headings and values:

    类别,词条,正确写法,正则,例外语境,处理方式,说明,启用
    常见错别字,烈土,烈士,否,热烈土,,,是

类别 is the kind's Chinese label, 正则/启用 are 是/否, 处理方式 is 阻止发布/提示 or empty (the kind's
default), and the lines of 例外语境 are joined with "|".

Import (``TermRuleViewSet.get_url_name("import")``, i.e. ``wagtailsnippets_review_termrule:import``,
``/admin/snippets/review/termrule/import/``) takes that file back unchanged, or the same file saved by
Excel (GB18030) or written by hand: columns in any order, 类别 and 词条 required, 类别 as label or code.
Rows are upserted by (类别, 词条). Every row is validated first; if any row is bad nothing is imported.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .checks.dictionary import Rule, rule_error
from .models import DEFAULT_SEVERITY, Severity, TermKind, TermRule

# The CSV format ----------------------------------------------------------------------------------------

#: (model field, CSV heading), in export order.
COLUMNS = (
    ("kind", "类别"),
    ("term", "词条"),
    ("suggestion", "正确写法"),
    ("is_regex", "正则"),
    ("exceptions", "例外语境"),
    ("severity", "处理方式"),
    ("note", "说明"),
    ("active", "启用"),
)
HEADINGS = dict(COLUMNS)
FIELD_BY_HEADING = {heading: name for name, heading in COLUMNS}
REQUIRED_HEADINGS = ("类别", "词条")
EXCEPTION_SEPARATOR = "|"
YES, NO = "是", "否"
TRUE_WORDS = {YES, "1", "true", "y", "yes", "√"}
FALSE_WORDS = {NO, "0", "false", "n", "no", "×"}
DEFAULT_SEVERITY_WORDS = {"", "默认", "按类别默认"}
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
NOT_CSV_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")
NOT_CSV_EXTENSIONS = (".xls", ".xlsx", ".xlsm", ".et", ".ods", ".wps", ".doc", ".docx", ".pdf", ".zip")


def kind_label(code):
    try:
        return str(TermKind(code).label)
    except ValueError:
        return code


def severity_label(code):
    try:
        return str(Severity(code).label)
    except ValueError:
        return code or ""


def yes_no(value):
    return YES if value else NO


def exceptions_cell(text):
    return EXCEPTION_SEPARATOR.join(line.strip() for line in (text or "").splitlines() if line.strip())


def effective_severity_display(rule):
    label = severity_label(rule.effective_severity)
    return label if rule.severity else f"{label}（默认）"


def _lookup(choices):
    table = {}
    for value, label in choices:
        table[str(label)] = value
        table[value] = value
        table[value.lower()] = value
    return table


KIND_LOOKUP = _lookup(TermKind.choices)
SEVERITY_LOOKUP = _lookup(Severity.choices)


# Reading an uploaded file ------------------------------------------------------------------------------


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` are the messages to show, in Chinese."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def decode_upload(data, filename=""):
    """The text of an uploaded CSV: UTF-8 with or without BOM, or GB18030 (Excel on Chinese Windows)."""
    if filename.lower().endswith(NOT_CSV_EXTENSIONS) or data.startswith(NOT_CSV_SIGNATURES):
        raise ImportFailed(["这不是CSV文件。Excel 工作簿请先“另存为”“CSV（逗号分隔）”格式后再导入。"])
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        raise ImportFailed(["文件是空的。"])
    if b"\x00" in data:
        raise ImportFailed(
            [
                "这不是CSV文本文件（含有二进制内容，或为 UTF-16 编码）。请另存为 UTF-8 或 GB18030 编码的CSV文件。"
            ]
        )
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        ["无法识别文件的文字编码。请在 Excel 或 WPS 中另存为 UTF-8 或 GB18030（简体中文）编码的CSV文件。"]
    )


@dataclass
class ParsedRow:
    line: int
    kind: str
    term: str
    values: dict = field(default_factory=dict)  # the other columns present in the file, already converted


def _parse_bool(value, heading, line, default, errors):
    word = value.strip()
    if not word:
        return default
    if word.lower() in TRUE_WORDS:
        return True
    if word.lower() in FALSE_WORDS:
        return False
    errors.append((line, f"{heading}“{word}”应填“{YES}”或“{NO}”"))
    return default


def _read_header(records):
    """The model field for each column (None for an empty heading); raises ImportFailed if unusable."""
    errors = []
    fields = []
    for cell in records[0]:
        heading = cell.strip().lstrip("\ufeff").strip()
        name = FIELD_BY_HEADING.get(heading)
        if name is None and heading:
            errors.append(f"第1行：无法识别的列“{heading}”（可用的列：{'、'.join(HEADINGS.values())}）")
        elif name is not None and name in fields:
            errors.append(f"第1行：列“{heading}”重复")
        fields.append(name)
    missing = [h for h in REQUIRED_HEADINGS if FIELD_BY_HEADING[h] not in fields]
    if missing:
        errors.insert(
            0, f"第1行应为表头，缺少“{'”“'.join(missing)}”列。表头应为：{','.join(HEADINGS.values())}"
        )
    if errors:
        raise ImportFailed(errors)
    return fields


def _parse_row(line, cells, fields, errors):
    """A ``ParsedRow``, or None if the row cannot be read; problems are appended to ``errors``."""
    if len(cells) > len(fields) and any(cell.strip() for cell in cells[len(fields) :]):
        errors.append((line, "列数多于表头（可能是内容中的逗号未加引号）"))
        return None
    raw = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(fields) if name}

    kind_text = raw["kind"].strip()
    kind = KIND_LOOKUP.get(kind_text) or KIND_LOOKUP.get(kind_text.lower())
    if not kind_text:
        errors.append((line, "类别不能为空"))
    elif kind is None:
        kinds = "、".join(str(label) for _, label in TermKind.choices)
        errors.append((line, f"类别“{kind_text}”无法识别（应为：{kinds}）"))
    term = raw["term"].strip()
    if not term:
        errors.append((line, "词条不能为空"))

    values = {}
    for name in ("suggestion", "note"):
        if name in raw:
            values[name] = raw[name].strip()
    if "exceptions" in raw:
        parts = raw["exceptions"].replace("\r", "\n").replace(EXCEPTION_SEPARATOR, "\n").split("\n")
        values["exceptions"] = "\n".join(p.strip() for p in parts if p.strip())
    if "is_regex" in raw:
        values["is_regex"] = _parse_bool(raw["is_regex"], HEADINGS["is_regex"], line, False, errors)
    if "active" in raw:
        values["active"] = _parse_bool(raw["active"], HEADINGS["active"], line, True, errors)
    if "severity" in raw:
        word = raw["severity"].strip()
        code = SEVERITY_LOOKUP.get(word) or SEVERITY_LOOKUP.get(word.lower())
        if word in DEFAULT_SEVERITY_WORDS:
            values["severity"] = ""
        elif code is not None:
            values["severity"] = code
        else:
            errors.append((line, f"处理方式“{word}”无法识别（应为“阻止发布”“提示”或留空按类别默认）"))
    if not (kind and term):
        return None
    return ParsedRow(line=line, kind=kind, term=term, values=values)


def parse_rows(text):
    """(``ParsedRow`` for each readable data row, [(line, message)] for the problems found in the rows).

    Raises ``ImportFailed`` if the file as a whole is unusable (not CSV, no or wrong header, no rows).
    Lines are numbered as Excel numbers rows: the header is line 1.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFailed([f"第{reader.line_num}行：CSV格式有误（{exc}），请检查引号是否成对。"]) from exc
    if not records:
        raise ImportFailed(["文件是空的。"])
    fields = _read_header(records)

    rows, errors, seen = [], [], {}
    for line, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = _parse_row(line, cells, fields, errors)
        if row is None:
            continue
        key = (row.kind, row.term)
        if key in seen:
            errors.append((line, f"与第{seen[key]}行重复（同一类别下词条不能重复）"))
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not errors:
        raise ImportFailed(["文件中没有词条（只有表头）。"])
    return rows, errors


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # existing entries left as they were because overwriting was not asked for

    def message(self):
        text = f"导入完成：新增 {len(self.created)} 条，更新 {len(self.updated)} 条，未变 {self.unchanged} 条"
        if self.kept:
            text += f"（其中 {self.kept} 条已有词条按设置未覆盖）"
        return text


def _field_label(name):
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return f"{TermRule._meta.get_field(name).verbose_name}："
    except FieldDoesNotExist:
        return f"{name}："


def _same(current, new):
    if isinstance(current, str) and isinstance(new, str):
        return current.strip() == new.strip()
    return current == new


def _apply(rule, values):
    """Set ``values`` on an existing rule; True if anything changed."""
    changed = False
    for name, value in values.items():
        if name == "exceptions":
            if rule.exception_list != [line for line in value.split("\n") if line]:
                rule.exceptions = value
                changed = True
        elif not _same(getattr(rule, name), value):
            setattr(rule, name, value)
            changed = True
    return changed


def _rule_errors(rule):
    """Problems with a new or changed rule, as the admin form and the matcher would find them."""
    try:
        # The (kind, term) key was looked up already; the database constraint still guards against a race.
        rule.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return [f"{_field_label(name)}{m}" for name, messages_ in exc.message_dict.items() for m in messages_]
    problem = rule_error(
        Rule(
            kind=rule.kind,
            term=rule.term,
            suggestion=rule.suggestion,
            severity=rule.effective_severity,
            is_regex=rule.is_regex,
            exceptions=tuple(rule.exception_list),
        )
    )
    return [problem] if problem else []


def plan_import(rows, overwrite=True, errors=()):
    """Check ``rows`` against the dictionary: an ``ImportResult`` with the rules to save, or ImportFailed."""
    errors = list(errors)
    existing = {(r.kind, r.term): r for r in TermRule.objects.all()}
    result = ImportResult()
    for row in rows:
        rule = existing.get((row.kind, row.term))
        if rule is None:
            rule = TermRule(kind=row.kind, term=row.term, **row.values)
            target = result.created
        elif not overwrite:
            result.unchanged += 1
            result.kept += 1
            continue
        elif not _apply(rule, row.values):
            result.unchanged += 1
            continue
        else:
            target = result.updated
        problems = _rule_errors(rule)
        errors.extend((row.line, problem) for problem in problems)
        if not problems:
            target.append(rule)
    if errors:
        errors.sort(key=lambda e: e[0])  # stable: a row's problems stay in the order found
        raise ImportFailed(f"第{line}行：{message}" for line, message in errors)
    return result


def import_terms(data, filename="", overwrite=True, user=None):
    """Import an uploaded CSV (bytes) into the dictionary, all or nothing. Returns an ``ImportResult``."""
    rows, errors = parse_rows(decode_upload(data, filename))
    result = plan_import(rows, overwrite=overwrite, errors=errors)
    try:
        with transaction.atomic():
            for rule in result.created:
                rule.save()
                log(instance=rule, action="wagtail.create", user=user)
            for rule in result.updated:
                rule.save()
                log(instance=rule, action="wagtail.edit", user=user)
    except IntegrityError as exc:
        raise ImportFailed(["导入期间词库被他人修改（词条重复），未导入任何内容，请重试。"]) from exc
    return result


# Views -------------------------------------------------------------------------------------------------


class TermImportForm(forms.Form):
    file = forms.FileField(
        label="CSV文件",
        help_text="由本页“导出CSV”得到的文件，或按同样表头编写的CSV（UTF-8 或 GB18030 编码）。",
        error_messages={"required": "请选择要导入的CSV文件。", "empty": "文件是空的。"},
    )
    overwrite = forms.BooleanField(
        label="覆盖已有词条的设置",
        required=False,
        initial=True,
        help_text="勾选时，类别和词条与已有词条相同的行会更新该词条的正确写法、例外语境、处理方式等；"
        "不勾选则已有词条保持不变，只新增词条。",
    )


class TermImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a CSV into the dictionary. Needs both the add and the change permission on TermRule."""

    model = TermRule
    form_class = TermImportForm
    template_name = "review/term_import.html"
    page_title = "导入CSV"
    header_icon = "upload"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not (self.user_has_permission("add") and self.user_has_permission("change")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_page_title(self):
        return f"{TermRule._meta.verbose_name_plural}：{self.page_title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": str(TermRule._meta.verbose_name_plural)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "index_url": self.index_url,
                "export_url": f"{self.index_url}?export=csv",
                "columns": [heading for _, heading in COLUMNS],
                "kinds": [str(label) for _, label in TermKind.choices],
                "severities": [str(label) for _, label in Severity.choices],
                "import_errors": kwargs.get("import_errors", []),
            }
        )
        return context

    def form_invalid(self, form, import_errors=()):
        context = self.get_context_data(form=form, import_errors=list(import_errors))
        return self.render_to_response(context, status=400)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            return self.form_invalid(form, [f"文件过大（超过 {MAX_UPLOAD_BYTES // 1024 // 1024}MB）。"])
        try:
            result = import_terms(
                upload.read(),
                filename=upload.name or "",
                overwrite=form.cleaned_data["overwrite"],
                user=self.request.user,
            )
        except ImportFailed as exc:
            return self.form_invalid(form, exc.errors)
        messages.success(self.request, result.message())
        return redirect(self.index_url)


class TermRuleFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类别", choices=TermKind.choices, widget=forms.RadioSelect, empty_label="全部"
    )
    severity = django_filters.ChoiceFilter(
        label="处理方式",
        choices=Severity.choices,
        method="filter_effective_severity",
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    active = django_filters.BooleanFilter(label="启用", widget=BooleanRadioSelect)

    class Meta:
        model = TermRule
        fields = ["kind", "severity", "active"]

    def filter_effective_severity(self, queryset, name, value):
        """Entries whose effective 处理方式 is ``value``: set explicitly, or blank and the kind's default."""
        if not value:
            return queryset
        defaults = [kind for kind, severity in DEFAULT_SEVERITY.items() if severity == value]
        return queryset.filter(Q(severity=value) | Q(severity="", kind__in=defaults))


class TermRuleIndexView(IndexView):
    """The snippet listing, with CSV-only export (BOM, Chinese values) and an 导入CSV button."""

    FORMATS = (IndexView.FORMAT_CSV,)
    custom_field_preprocess = {
        "kind": {IndexView.FORMAT_CSV: kind_label},
        "is_regex": {IndexView.FORMAT_CSV: yes_no},
        "exceptions": {IndexView.FORMAT_CSV: exceptions_cell},
        "severity": {IndexView.FORMAT_CSV: severity_label},
        "active": {IndexView.FORMAT_CSV: yes_no},
    }
    import_url_name = None

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}"

    def write_csv_response(self, queryset):
        def stream():
            yield codecs.BOM_UTF8
            yield from self.stream_csv(queryset)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{self.get_filename()}.csv")
        return response

    @cached_property
    def import_url(self):
        if self.import_url_name and self.user_has_permission("add") and self.user_has_permission("change"):
            return reverse(self.import_url_name)
        return None

    @cached_property
    def header_more_buttons(self):
        export_urls = {self.xlsx_export_url, self.csv_export_url}
        buttons = [b for b in super().header_more_buttons if getattr(b, "url", None) not in export_urls]
        if self.show_export_buttons:
            buttons.append(Button("导出CSV", url=self.csv_export_url, icon_name="download", priority=100))
        if self.import_url:
            buttons.append(Button("导入CSV", url=self.import_url, icon_name="upload", priority=110))
        return buttons


class TermRuleViewSet(SnippetViewSet):
    """Register with ``register_snippet(TermRuleViewSet)``. Import URL name: ``get_url_name("import")``."""

    model = TermRule
    index_view_class = TermRuleIndexView
    import_view_class = TermImportView
    add_to_admin_menu = True
    menu_label = "审核词库"
    menu_name = "review-terms"
    icon = "clipboard-list"
    list_per_page = 50
    ordering = ["kind", "term"]
    list_display = [
        "term",
        "kind",
        "suggestion",
        Column("effective_severity", label="处理方式", accessor=effective_severity_display),
        BooleanColumn("active", label="启用", sort_key="active"),
        DateColumn("updated_at", label="更新时间", sort_key="updated_at"),
    ]
    filterset_class = TermRuleFilterSet
    search_fields = ["term", "suggestion", "note"]
    search_backend_name = None
    list_export = [name for name, _ in COLUMNS]
    export_headings = HEADINGS
    export_filename = "审核词库"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    @property
    def import_view(self):
        return self.construct_view(self.import_view_class, header_icon="upload")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("import/", self.import_view, name="import")]
