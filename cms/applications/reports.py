"""Tables 3 and 4 of the annual report (国办公开办函〔2019〕60号 template; disclosure-rules.md §2.1), computed from
the requests and the 行政复议/行政诉讼 records, exported as CSV or XLSX and placed into a draft 年报 page.

Counting rules (the statistics year is 1 January – 31 December; a request counts once it has a 收到申请之日):

- 一、本年新收: received in the year.
- 二、上年结转: received before the year and not concluded before it began.
- 三、办理结果: concluded in the year (replied, or processing stopped), by outcome.
- 四、结转下年度: received by the end of the year and not concluded by then.

Every request counted in 一 or 二 is concluded in the year or carried over, so 一 + 二 = 三(七)总计 + 四 in every
column; ``check`` enforces it, and nothing is exported or placed in a report while it fails.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import InformationRequest, LegalCase
from .vocabularies import ApplicantType, CaseKind, CaseResult, Outcome, WithheldReason

COLUMNS = [(t.value, t.label) for t in ApplicantType] + [("total", "总计")]

# (key, label, level, counted): rows without numbers are headings.
ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", 0, True),
    ("carried_in", "二、上年结转政府信息公开申请数量", 0, True),
    ("results", "三、本年度办理结果", 0, False),
    ("r1", "（一）予以公开", 1, True),
    ("r2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, True),
    ("r3", "（三）不予公开", 1, False),
    *[(f"r3_{r.value}", f"{r.value}．{r.label}", 2, True) for r in WithheldReason],
    ("r4", "（四）无法提供", 1, False),
    ("r4_1", "1．本机关不掌握相关政府信息", 2, True),
    ("r4_2", "2．没有现成信息需要另行制作", 2, True),
    ("r4_3", "3．补正后申请内容仍不明确", 2, True),
    ("r5", "（五）不予处理", 1, False),
    ("r5_1", "1．信访举报投诉类申请", 2, True),
    ("r5_2", "2．重复申请", 2, True),
    ("r5_3", "3．要求提供公开出版物", 2, True),
    ("r5_4", "4．无正当理由大量反复申请", 2, True),
    ("r5_5", "5．要求行政机关确认或重新出具已获取信息", 2, True),
    ("r6", "（六）其他处理", 1, True),
    ("r7", "（七）总计", 1, True),
    ("carried_out", "四、结转下年度继续办理", 0, True),
]

OUTCOME_ROWS = {
    Outcome.ALREADY_PUBLIC: "r1",
    Outcome.DISCLOSED: "r1",
    Outcome.PARTIAL: "r2",
    Outcome.OTHER_ROUTE: "r3_8",
    Outcome.NOT_EXIST: "r4_1",
    Outcome.NOT_OURS: "r4_1",
    Outcome.NEEDS_CREATION: "r4_2",
    Outcome.STILL_UNCLEAR: "r4_3",
    Outcome.PETITION: "r5_1",
    Outcome.REPEAT: "r5_2",
    Outcome.PUBLICATION: "r5_3",
    Outcome.EXCESSIVE: "r5_4",
    Outcome.CONFIRMATION: "r5_5",
    Outcome.NO_SUPPLEMENT: "r6",
    Outcome.FEE_UNPAID: "r6",
    Outcome.APPLICANT_WITHDREW: "r6",
    Outcome.OTHER: "r6",
}

CASE_GROUPS = [(k.value, k.label) for k in CaseKind]
CASE_COLUMNS = [(r.value, r.label) for r in CaseResult] + [("total", "总计")]


class ReportCheckFailed(Exception):
    pass


def outcome_row(outcome, withheld_reason=""):
    """The table-3 row of an outcome; None for a record with no (or no valid) outcome."""
    if outcome == Outcome.WITHHELD:
        return f"r3_{withheld_reason}" if withheld_reason in WithheldReason.values else None
    return OUTCOME_ROWS.get(outcome)


@dataclass
class AnnualFigures:
    year: int
    department: object = None
    table3: dict = field(default_factory=dict)  # row key -> column key -> count
    table4: dict = field(default_factory=dict)  # case kind -> result column -> count
    problems: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.problems

    def rows(self):
        """(label, level, [counts] or None) for display and export, in template order."""
        return [
            (label, level, [self.table3[key][c] for c, _l in COLUMNS] if counted else None)
            for key, label, level, counted in ROWS
        ]

    def case_cells(self):
        return [self.table4[kind][col] for kind, _k in CASE_GROUPS for col, _c in CASE_COLUMNS]


def compute(year, department=None):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    requests = InformationRequest.objects.filter(received_on__isnull=False, received_on__lte=end)
    cases = LegalCase.objects.filter(filed_on__gte=start, filed_on__lte=end)
    if department is not None:
        requests = requests.filter(department=department)
        cases = cases.filter(request__department=department)
    table3 = {key: {c: 0 for c, _l in COLUMNS} for key, *_rest in ROWS}

    def add(row, column):
        table3[row][column] += 1
        table3[row]["total"] += 1

    # Each row by its own definition, so that inconsistent records (concluded before received, a conclusion
    # without an outcome) show up in the check instead of being silently absorbed.
    rows = requests.values_list("applicant_type", "received_on", "closed_on", "outcome", "withheld_reason")
    for applicant_type, received_on, closed_on, outcome, reason in rows:
        if received_on >= start:
            add("new", applicant_type)
        elif closed_on is None or closed_on >= start:
            add("carried_in", applicant_type)
        if closed_on is not None and start <= closed_on <= end:
            add("r7", applicant_type)
            if row := outcome_row(outcome, reason):
                add(row, applicant_type)
        if closed_on is None or closed_on > end:
            add("carried_out", applicant_type)

    table4 = {kind: {c: 0 for c, _l in CASE_COLUMNS} for kind, _k in CASE_GROUPS}
    for kind, result, concluded_on in cases.values_list("kind", "result", "concluded_on"):
        at_year_end = result if concluded_on is not None and concluded_on <= end else CaseResult.PENDING
        table4[kind][at_year_end] += 1
        table4[kind]["total"] += 1

    figures = AnnualFigures(year=year, department=department, table3=table3, table4=table4)
    figures.problems = check(figures)
    return figures


def check(figures):
    """The template's printed rule, per column: 第一项加第二项之和，等于第三项加第四项之和."""
    problems = []
    t = figures.table3
    counted = [key for key, _l, level, c in ROWS if c and key.startswith("r") and key != "r7"]
    for column, label in COLUMNS:
        left = t["new"][column] + t["carried_in"][column]
        right = t["r7"][column] + t["carried_out"][column]
        if left != right:
            problems.append(
                _("%(col)s：一＋二＝%(l)d，三（七）总计＋四＝%(r)d，不相等。")
                % {"col": label, "l": left, "r": right}
            )
        subtotal = sum(t[key][column] for key in counted)
        if subtotal != t["r7"][column]:
            problems.append(
                _("%(col)s：三（一）至（六）之和%(s)d与（七）总计%(t)d不一致。")
                % {"col": label, "s": subtotal, "t": t["r7"][column]}
            )
    return problems


def require_passed(figures):
    if not figures.passed:
        raise ReportCheckFailed("；".join(figures.problems))


def title_for(figures, bureau):
    scope = figures.department.title if figures.department else bureau
    return f"{scope}{figures.year}年度政府信息公开工作年度报告"


def to_csv(figures):
    require_passed(figures)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([f"三、收到和处理政府信息公开申请情况（{figures.year}年）"])
    writer.writerow(["项目"] + [label for _c, label in COLUMNS])
    for label, level, counts in figures.rows():
        writer.writerow(["　" * level + label] + (counts or [""] * len(COLUMNS)))
    writer.writerow([])
    writer.writerow([f"四、政府信息公开行政复议、行政诉讼情况（{figures.year}年）"])
    writer.writerow([""] + [label for _k, label in CASE_GROUPS for _i in CASE_COLUMNS])
    writer.writerow([""] + [label for _k, _g in CASE_GROUPS for _c, label in CASE_COLUMNS])
    writer.writerow(["件数"] + figures.case_cells())
    return buffer.getvalue().encode("utf-8")


def to_xlsx(figures):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    require_passed(figures)
    book = Workbook()
    sheet = book.active
    sheet.title = "表三 申请情况"
    sheet.append([f"三、收到和处理政府信息公开申请情况（{figures.year}年）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"])
    sheet.append(["项目"] + [str(label) for _c, label in COLUMNS])
    for label, level, counts in figures.rows():
        sheet.append([str(label)] + (counts or []))
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=level * 2)
    sheet.column_dimensions["A"].width = 52
    cases = book.create_sheet("表四 复议诉讼")
    cases.append([f"四、政府信息公开行政复议、行政诉讼情况（{figures.year}年）"])
    cases["A1"].font = Font(bold=True)
    cases.append([str(label) for _k, label in CASE_GROUPS for _c in CASE_COLUMNS])
    for n, (_k, _label) in enumerate(CASE_GROUPS):
        first = n * len(CASE_COLUMNS) + 1
        cases.merge_cells(
            start_row=2, start_column=first, end_row=2, end_column=first + len(CASE_COLUMNS) - 1
        )
    cases.append([str(label) for _k, _g in CASE_GROUPS for _c, label in CASE_COLUMNS])
    cases.append(figures.case_cells())
    for column in range(1, len(CASE_GROUPS) * len(CASE_COLUMNS) + 1):
        cases.column_dimensions[get_column_letter(column)].width = 11
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _count_phrase(figures, key):
    parts = [f"{label}{figures.table3[key][c]}件" for c, label in COLUMNS[:-1] if figures.table3[key][c]]
    return "，其中" + "、".join(parts) if parts else ""


_LABELS = {key: label for key, label, _level, _counted in ROWS}


def short_label(key):
    """“不予公开（属于国家秘密）” for r3_1, “予以公开” for r1: the row label without its numbering."""

    def bare(label):
        return re.sub(r"^（[一二三四五六七]）|^\d．", "", label).split("（")[0]

    if key.count("_") and key[:2] in ("r3", "r4", "r5"):
        return f"{bare(_LABELS[key[:2]])}（{bare(_LABELS[key])}）"
    return bare(_LABELS[key])


def narrative(figures):
    """Chapters 三 and 四 of the report in words, as the 2019 reports print them next to the tables."""
    t = figures.table3
    results = [
        f"{short_label(key)}{t[key]['total']}件"
        for key, _label, _level, counted in ROWS
        if counted and key.startswith("r") and key != "r7" and t[key]["total"]
    ]
    three = (
        f"三、收到和处理政府信息公开申请情况。本年新收政府信息公开申请{t['new']['total']}件"
        f"{_count_phrase(figures, 'new')}；上年结转{t['carried_in']['total']}件。"
        f"办理结果：{'，'.join(results) if results else '无'}，总计{t['r7']['total']}件；"
        f"结转下年度继续办理{t['carried_out']['total']}件。详见附件统计表。"
    )
    four_parts = []
    for kind, label in CASE_GROUPS:
        row = figures.table4[kind]
        if row["total"]:
            detail = "、".join(f"{c_label}{row[c]}件" for c, c_label in CASE_COLUMNS[:-1] if row[c])
            four_parts.append(f"{label}{row['total']}件（{detail}）")
    four = "四、政府信息公开行政复议、行政诉讼情况。" + (
        "本年发生" + "；".join(four_parts) + "。"
        if four_parts
        else "本年未发生政府信息公开行政复议、行政诉讼。"
    )
    return three, four
