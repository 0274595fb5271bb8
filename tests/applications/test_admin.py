"""The staff side in the Wagtail admin: masked lists and exports, per-department visibility, 代填 entry, every
view of personal data logged, processing through the action forms, letters, dashboard panel."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from cms.applications.models import InformationRequest, Letter
from cms.applications.vocabularies import Status
from tests import factories

from .conftest import PHONE, VALID_ID, make_request

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def requests_in_two_departments(tree, department):
    other = factories.make_department(tree["departments"], title="宿迁市交通运输局建设管理处", slug="jsglc")
    mine = make_request(D(2025, 9, 16), department=department, name="李明华")
    theirs = make_request(D(2025, 9, 17), department=other, name="赵建军", info_title="码头工程合同")
    return mine, theirs, other


def personal_views(request):
    return ModelLogEntry.objects.filter(
        object_id=str(request.pk), action="applications.personal_data_viewed"
    ).count()


def test_list_masks_personal_data_and_departments_see_only_their_own(
    client, requests_in_two_departments, clerk, department
):
    mine, theirs, other = requests_in_two_departments
    editor = factories.make_user("bgs_editor", groups=[department.editors_group])
    client.force_login(editor)
    html = client.get("/admin/informationrequest/").content.decode()
    assert mine.tracking_code in html and theirs.tracking_code not in html
    assert "李**" in html and "李明华" not in html and VALID_ID not in html and PHONE not in html
    assert client.get(f"/admin/applications/process/{theirs.pk}/").status_code == 404
    client.force_login(clerk)
    html = client.get("/admin/informationrequest/").content.decode()
    assert mine.tracking_code in html and theirs.tracking_code in html and "赵**" in html
    outsider = factories.make_user("outsider")
    client.force_login(outsider)
    assert client.get("/admin/informationrequest/").status_code in (302, 403)


def test_exports_are_masked(client, requests_in_two_departments, clerk):
    client.force_login(clerk)
    csv = client.get("/admin/informationrequest/?export=csv")
    body = b"".join(csv.streaming_content).decode("utf-8") if csv.streaming else csv.content.decode()
    assert "申请人（已脱敏）" in body and "李**" in body
    assert "李明华" not in body and VALID_ID not in body and PHONE not in body
    xlsx = client.get("/admin/informationrequest/?export=xlsx")
    assert xlsx.status_code == 200
    import io

    from openpyxl import load_workbook

    data = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    cells = [str(c.value) for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert "李**" in cells and not any("李明华" in c or VALID_ID in c for c in cells)


def test_every_view_of_personal_data_is_logged(client, requests_in_two_departments, clerk):
    mine, _theirs, _other = requests_in_two_departments
    client.force_login(clerk)
    before = personal_views(mine)
    html = client.get(f"/admin/applications/process/{mine.pk}/").content.decode()
    assert VALID_ID in html and PHONE in html and "李明华" in html  # the handling staff see it in full
    client.get(f"/admin/informationrequest/edit/{mine.pk}/")
    assert personal_views(mine) == before + 2
    entry = ModelLogEntry.objects.filter(action="applications.personal_data_viewed").latest("timestamp")
    assert entry.user_id == clerk.pk


def test_staff_enter_a_letter_application_with_the_art31_date(client, tree, department, clerk):
    client.force_login(clerk)
    assert client.get("/admin/informationrequest/new/").status_code == 200
    data = {
        "channel": "registered",
        "submitted_on": "2025-09-12",
        "received_on": "2025-09-16",
        "applicant_type": "person",
        "name": "周兰芳",
        "contact_person": "",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": PHONE,
        "email": "",
        "address": "宿迁市宿城区幸福路88号",
        "postcode": "223800",
        "info_title": "2019年出租汽车经营权配置方案",
        "info_number": "",
        "description": "",
        "delivery": "post",
        "department": department.pk,
    }
    bad = client.post("/admin/informationrequest/new/", {**data, "received_on": "2025-09-10"})
    assert bad.status_code == 200 and "不能早于提交" in bad.content.decode()
    assert (
        client.post("/admin/informationrequest/new/", {**data, "id_number": "321302198503171230"}).status_code
        == 200
    )
    response = client.post("/admin/informationrequest/new/", data)
    request = InformationRequest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/admin/applications/process/{request.pk}/"
    )
    assert (request.status, request.received_on, request.due_date, request.entered_by) == (
        Status.PROCESSING,
        D(2025, 9, 16),
        D(2025, 10, 20),
        clerk,
    )
    # In person: the day it is handed in, whatever was typed as received.
    client.post(
        "/admin/informationrequest/new/",
        {
            **data,
            "channel": "in_person",
            "submitted_on": "2025-09-18",
            "received_on": "",
            "info_title": "另一项",
        },
    )
    assert InformationRequest.objects.get(info_title="另一项").received_on == D(2025, 9, 18)


def test_processing_through_the_action_forms_and_letters(client, department, clerk, head):
    request = make_request(datetime.date.today() - datetime.timedelta(days=2), department=department)
    client.force_login(clerk)
    base = f"/admin/applications/process/{request.pk}/"
    page = client.get(base).content.decode()
    for label in ("作出答复", "告知补正（一次性）", "延期答复", "暂停计时"):
        assert label in page
    # A refused action shows the reason on its own form and keeps the input.
    refused = client.post(
        base + "extend/",
        {"on": datetime.date.today().isoformat(), "days": "20", "approver": clerk.pk, "reason": "材料较多"},
    )
    assert refused.status_code == 400
    extend_form = next(a["form"] for a in refused.context["actions"] if a["name"] == "extend")
    assert "approver" in extend_form.errors and extend_form["reason"].value() == "材料较多"
    ok = client.post(
        base + "extend/",
        {"on": datetime.date.today().isoformat(), "days": "20", "approver": head.pk, "reason": "材料较多"},
    )
    letter = Letter.objects.get(request=request)
    assert ok.status_code == 302 and ok["Location"] == f"/admin/applications/letter/{letter.pk}/"
    edited = client.post(ok["Location"], {"title": letter.title, "body": letter.body + "\n特此告知。"})
    assert edited.status_code == 302
    printed = client.get(f"/admin/applications/letter/{letter.pk}/print/").content.decode()
    assert "特此告知。" in printed and "延期答复" in printed and "宿交依申〔" in printed
    # Not allowed in this state: a second extension is not offered and is refused.
    assert "extend" not in [a["name"] for a in client.get(base).context["actions"]]
    again = client.post(
        base + "extend/",
        {"on": datetime.date.today().isoformat(), "days": "5", "approver": head.pk, "reason": "x"},
    )
    assert again.status_code == 302 and Letter.objects.filter(request=request).count() == 1


def test_dashboard_panel_shows_clocks_per_department(client, requests_in_two_departments, clerk, department):
    client.force_login(clerk)
    html = client.get("/admin/").content.decode()
    assert "依申请公开办理时限" in html and "宿迁市交通运输局建设管理处" in html
    editor = factories.make_user("bgs_editor2", groups=[department.editors_group])
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "依申请公开办理时限" in html and "宿迁市交通运输局建设管理处" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/informationrequest/",
        "/admin/legalcase/",
        "/admin/lettertemplate/",
        "/admin/calendarday/",
        "/admin/calendarday/new/",
        "/admin/applications/annual-report/?year=2025",
        "/admin/applications/suggestions/",
    ],
)
def test_admin_screens_render_for_the_intake_office(client, clerk, url):
    client.force_login(clerk)
    assert client.get(url).status_code == 200


def test_calendar_table_edited_through_the_admin(client, clerk):
    from cms.core import workdays
    from cms.core.models import CalendarDay

    client.force_login(clerk)
    response = client.post(
        "/admin/calendarday/new/", {"day": "2027-02-08", "is_workday": "", "note": "2027年春节"}
    )
    assert response.status_code == 302 and CalendarDay.objects.filter(day=D(2027, 2, 8)).exists()
    assert not workdays.is_workday(D(2027, 2, 8))


def test_a_refused_action_shows_the_rule_and_keeps_the_input(client, department, clerk):
    request = make_request(D(2025, 9, 16), department=department)  # 补正 had to be asked by 2025-09-25
    client.force_login(clerk)
    response = client.post(
        f"/admin/applications/process/{request.pk}/supplement/",
        {"on": "2025-09-26", "items": "请说明道路名称。", "deadline": "2025-10-31"},
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "supplement")
    assert "7个工作日内告知" in " ".join(form.non_field_errors())
    assert form["items"].value() == "请说明道路名称。"
    request.refresh_from_db()
    assert request.status == Status.PROCESSING


def test_letter_templates_are_edited_with_their_placeholders_checked(client, clerk):
    from cms.applications.letters import reply_key
    from cms.applications.models import LetterTemplate
    from cms.applications.vocabularies import Outcome

    template = LetterTemplate.objects.get(key=reply_key(Outcome.NOT_EXIST))  # seeded by a data migration
    client.force_login(clerk)
    url = f"/admin/lettertemplate/edit/{template.pk}/"
    page = client.get(url).content.decode()
    assert "{申请人}" in page and "可用占位符" in page
    bad = client.post(url, {"key": template.key, "title": template.title, "body": "{申请人}：{身份证号码}"})
    assert bad.status_code == 200 and "未知的占位符：{身份证号码}" in bad.content.decode()
    good = client.post(
        url, {"key": template.key, "title": template.title, "body": "{申请人}：经检索，{信息名称}不存在。"}
    )
    assert good.status_code == 302
    template.refresh_from_db()
    assert template.body == "{申请人}：经检索，{信息名称}不存在。"


def test_fee_notice_suggests_the_requests_number_in_its_month(client, department, clerk):
    for day in (2, 9, 16):
        request = make_request(D(2025, 9, day), department=department)
    make_request(D(2025, 8, 29), department=department)  # another month
    client.force_login(clerk)
    response = client.get(f"/admin/applications/process/{request.pk}/")
    pause = next(a["form"] for a in response.context["actions"] if a["name"] == "pause")
    assert pause["fee_quantity"].value() == 3
