"""Annual report tables 3 and 4 (2019 template) from the data, the check rule, CSV/XLSX export, the draft 年报."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from cms.applications import reports, services
from cms.applications.models import InformationRequest, LegalCase
from cms.applications.vocabularies import ApplicantType, CaseKind, CaseResult, IdType, Outcome
from cms.core.validators import uscc_check_char
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category

from .conftest import make_request

pytestmark = pytest.mark.django_db
D = datetime.date
USCC = "91321300MA1W8Q2K3" + uscc_check_char("91321300MA1W8Q2K3")


def company(**fields):
    return {
        "applicant_type": ApplicantType.COMPANY,
        "name": "宿迁市顺达物流有限公司",
        "id_type": IdType.USCC,
        "id_number": USCC,
        **fields,
    }


@pytest.fixture
def year_2025(department, clerk):
    """Requests around 2025: one carried in from 2024, concluded ones of several kinds, one carried out."""
    carried_in = make_request(D(2024, 12, 20), department=department)
    services.reply(carried_in, Outcome.DISCLOSED, D(2025, 1, 10), "见附件", clerk)
    old = make_request(D(2024, 3, 1), department=department)  # concluded in 2024: in no 2025 row
    services.reply(old, Outcome.DISCLOSED, D(2024, 3, 20), "见附件", clerk)
    services.reply(
        make_request(D(2025, 3, 3), department=department),
        Outcome.ALREADY_PUBLIC,
        D(2025, 3, 5),
        "已公开",
        clerk,
    )
    services.reply(
        make_request(D(2025, 4, 1), department=department, **company()),
        Outcome.PARTIAL,
        D(2025, 4, 20),
        "部分涉及商业秘密",
        clerk,
    )
    withheld = make_request(D(2025, 5, 6), department=department)
    services.reply(withheld, Outcome.WITHHELD, D(2025, 5, 20), "执法案卷", clerk, withheld_reason="7")
    services.reply(
        make_request(D(2025, 6, 3), department=department),
        Outcome.NOT_OURS,
        D(2025, 6, 10),
        "请向公安机关申请",
        clerk,
    )
    services.reply(
        make_request(D(2025, 6, 4), department=department, **company()),
        Outcome.REPEAT,
        D(2025, 6, 10),
        "",
        clerk,
    )
    vague = make_request(D(2025, 7, 1), department=department)
    services.request_supplement(vague, D(2025, 7, 2), "请说明", D(2025, 7, 10), clerk)
    services.expire_missed_deadlines(today=D(2025, 7, 15))  # 逾期未补正: (六) 其他处理
    make_request(D(2025, 12, 22), department=department)  # still open on 31 December: carried out
    LegalCase.objects.create(
        kind=CaseKind.REVIEW, filed_on=D(2025, 8, 5), result=CaseResult.UPHELD, concluded_on=D(2025, 10, 9)
    )
    LegalCase.objects.create(
        kind=CaseKind.LAWSUIT_DIRECT,
        filed_on=D(2025, 11, 5),
        result=CaseResult.CORRECTED,
        concluded_on=D(2026, 2, 1),
    )
    return department


def test_table3_counts_by_applicant_and_outcome(year_2025):
    figures = reports.compute(2025)
    t = figures.table3
    assert t["new"] == {
        "person": 5,
        "company": 2,
        "research": 0,
        "nonprofit": 0,
        "legal": 0,
        "other": 0,
        "total": 7,
    }
    assert t["carried_in"]["total"] == 1 and t["carried_in"]["person"] == 1
    assert (t["r1"]["total"], t["r1"]["person"]) == (2, 2)  # the carried-in one and the already public one
    assert (t["r2"]["company"], t["r3_7"]["person"], t["r4_1"]["person"], t["r5_2"]["company"]) == (
        1,
        1,
        1,
        1,
    )
    assert t["r6"]["person"] == 1
    assert t["r7"]["total"] == 7 and t["carried_out"]["total"] == 1
    assert figures.passed, figures.problems
    # Table 4: cases filed in 2025; the lawsuit was decided in 2026, so on 31 December it was 尚未审结.
    assert figures.table4["review"]["upheld"] == 1 and figures.table4["review"]["total"] == 1
    assert (
        figures.table4["lawsuit_direct"]["pending"] == 1
        and figures.table4["lawsuit_direct"]["corrected"] == 0
    )
    # 2026: the December request is carried in and still open.
    assert reports.compute(2026).table3["carried_in"]["total"] == 1


def test_the_check_rule_catches_inconsistent_data(year_2025):
    # A request "concluded" before it was received breaks 一 + 二 = 三（七）+ 四.
    broken = InformationRequest.objects.filter(received_on=D(2025, 3, 3)).get()
    InformationRequest.objects.filter(pk=broken.pk).update(closed_on=D(2024, 12, 31))
    figures = reports.compute(2025)
    assert not figures.passed
    assert any("一＋二＝8" in p and "三（七）总计＋四＝7" in p for p in figures.problems), figures.problems
    with pytest.raises(reports.ReportCheckFailed):
        reports.to_csv(figures)


def test_the_check_rule_catches_a_conclusion_without_outcome(year_2025):
    InformationRequest.objects.filter(received_on=D(2025, 6, 3)).update(outcome="")
    figures = reports.compute(2025)
    assert any("（一）至（六）之和6与（七）总计7不一致" in p for p in figures.problems), figures.problems


def test_csv_and_xlsx_exports(year_2025, client, clerk):
    client.force_login(clerk)
    csv = client.get("/admin/applications/annual-report/?year=2025&format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and "一、本年新收政府信息公开申请数量,5,2,0,0,0,0,7" in text
    assert "（七）总计,5,2,0,0,0,0,7" in text.replace("　", "")
    xlsx = client.get("/admin/applications/annual-report/?year=2025&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = {r[0]: r[1:] for r in book["表三 申请情况"].iter_rows(values_only=True) if r and r[0]}
    assert rows["四、结转下年度继续办理"][:7] == (1, 0, 0, 0, 0, 0, 1)
    cases = list(book["表四 复议诉讼"].iter_rows(values_only=True))
    assert cases[-1][:5] == (1, 0, 0, 0, 1)
    assert client.get("/admin/applications/annual-report/?year=abc").status_code == 400
    assert client.get("/admin/applications/annual-report/?year=2025&department=zzz").status_code == 400


def test_exports_refused_while_the_check_fails(year_2025, client, clerk):
    broken = InformationRequest.objects.filter(received_on=D(2025, 3, 3)).get()
    InformationRequest.objects.filter(pk=broken.pk).update(closed_on=D(2024, 12, 31))
    client.force_login(clerk)
    response = client.get("/admin/applications/annual-report/?year=2025&format=xlsx")
    assert response.status_code == 409 and "勾稽关系校验未通过" in response.content.decode()
    assert client.post("/admin/applications/annual-report/", {"year": "2025"}).status_code == 409


def test_draft_annual_report_page(year_2025, client, clerk):
    clerk.groups.add(year_2025.editors_group)  # the intake office is the 办公室, whose pages the draft joins
    client.force_login(clerk)
    response = client.post("/admin/applications/annual-report/", {"year": "2025"})
    page = DisclosureItemPage.objects.get(category=Category.ANNUAL_REPORT)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live and page.get_parent().specific == year_2025
    draft = page.get_latest_revision_as_object()
    assert "本年新收政府信息公开申请7件，其中自然人5件、商业企业2件" in draft.body
    assert "行政复议1件（结果维持1件）" in draft.body and "（待编辑补充）" in draft.body
    attachment = draft.attachments.get()
    assert attachment.document.file.name.endswith(".xlsx")
    assert page.title == "宿迁市交通运输局2025年度政府信息公开工作年度报告"
    # A second click opens the same draft instead of making another.
    again = client.post("/admin/applications/annual-report/", {"year": "2025"})
    assert again["Location"] == response["Location"] and DisclosureItemPage.objects.count() == 1


def test_only_the_intake_office_sees_the_report(client, department):
    from tests import factories

    editor = factories.make_user("bgs_editor", groups=[department.editors_group])
    client.force_login(editor)
    response = client.get("/admin/applications/annual-report/?year=2025")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
