"""The public side: the online form (Art. 29), the confirmation, the status lookup; bad input and abuse."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils import WagtailPageTestCase

from cms.applications.models import InformationRequest
from cms.applications.vocabularies import ApplicantType, Status
from tests import factories

from .conftest import PHONE, VALID_ID

pytestmark = pytest.mark.django_db

FORM = {
    "applicant_kind": "person",
    "organisation_type": "",
    "name": "王晓燕",
    "contact_person": "",
    "id_type": "resident_id",
    "id_number": VALID_ID,
    "phone": PHONE,
    "email": "wang@example.com",
    "address": "宿迁市宿城区幸福路88号",
    "postcode": "223800",
    "info_title": "宿迁市2019年农村公路提档升级工程计划",
    "info_number": "",
    "description": "包括各县区项目清单和补助标准。",
    "delivery": "email",
    "website": "",
    "pledge": "on",
}


def apply_url(page):
    return page.url + page.reverse_subpage("apply")


def status_url(page):
    return page.url + page.reverse_subpage("status")


def submit(client, page, **changes):
    return client.post(apply_url(page), {**FORM, **changes})


def test_guide_and_form_render(client, apply_page):
    response = client.get(apply_page.url)
    assert response.status_code == 200 and "在线申请" in response.content.decode()
    form = client.get(apply_url(apply_page)).content.decode()
    for label in ("姓名或名称", "证件号码", "联系电话", "所需信息名称", "文号", "获取方式"):
        assert label in form
    assert 'name="website"' in form and "hidden" in form  # the honeypot is not shown to people


def test_full_flow_form_to_staff_to_reply_to_status_lookup(client, apply_page, clerk, department):
    response = submit(client, apply_page)
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.status, request.applicant_type, request.department) == (
        Status.REGISTERED,
        ApplicantType.PERSON,
        department,
    )
    done = client.get(response["Location"])
    page = done.content.decode()
    assert request.tracking_code in page and "139****1234" in page
    assert VALID_ID not in page and PHONE not in page and "王晓燕" not in page

    # Looked up before the bureau has acted: 登记, no deadline yet.
    lookup = client.post(
        status_url(apply_page), {"tracking_code": request.tracking_code.lower(), "phone": PHONE}
    )
    assert lookup.status_code == 200 and lookup.context["application"] == request
    assert "待确认" in lookup.content.decode()

    # Staff confirm receipt and reply through the admin, with the disclosed file attached.
    staff = factories.make_user("staff_browser_free", groups=list(clerk.groups.all()))
    client.force_login(staff)
    today = datetime.date.today()
    base = f"/admin/applications/process/{request.pk}/"
    assert client.post(base + "confirm/", {"on": today.isoformat()}).status_code == 302
    reply = client.post(
        base + "reply/",
        {
            "on": today.isoformat(),
            "outcome": "disclosed",
            "text": "所申请的计划全文见附件。",
            "files": SimpleUploadedFile("计划.txt", "提档升级农村公路568公里".encode()),
        },
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    client.logout()

    lookup = client.post(status_url(apply_page), {"tracking_code": request.tracking_code, "phone": PHONE})
    html = lookup.content.decode()
    assert lookup.status_code == 200
    assert "所申请的计划全文见附件。" in html and "第三十六条第二项" in html
    assert VALID_ID not in html and PHONE not in html
    assert lookup["Cache-Control"] == "private, no-store"
    attachment, url = lookup.context["attachments"][0]
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "提档升级农村公路568公里"
    # The link is signed: without the token, with a tampered one or another attachment's, it gives 404.
    plain = apply_page.url + apply_page.reverse_subpage("attachment", args=[attachment.pk])
    for forged in (plain, url[:-3] + "xyz", url.replace(f"/{attachment.pk}/", f"/{attachment.pk + 1}/")):
        assert client.get(forged).status_code == 404


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"id_number": VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")},
            "id_number",
            "身份证号码不正确",
        ),
        ({"phone": ""}, "phone", "请填写联系电话"),
        ({"phone": "12345"}, "phone", "联系电话应为11位手机号码"),
        ({"description": "交" * 100_000}, "description", "描述不得超过2000字（当前100000字）"),
        ({"description": "<script>alert('x')</script>农村公路计划"}, "description", "不能包含HTML代码或脚本"),
        ({"name": "<b>王晓燕</b>"}, "name", "不能包含HTML代码或脚本"),
        ({"delivery": "email", "email": ""}, "email", "请填写电子邮箱"),
        ({"delivery": "post", "address": ""}, "address", "请填写通信地址"),
        ({"info_title": ""}, "info_title", "请填写所需政府信息的名称"),
        (
            {
                "applicant_kind": "organisation",
                "organisation_type": "company",
                "id_type": "uscc",
                "id_number": "91321300MA1W8Q2K30",
            },
            "id_number",
            "统一社会信用代码不正确",
        ),
        ({"applicant_kind": "organisation", "organisation_type": ""}, "organisation_type", "请选择组织类型"),
        ({"pledge": ""}, "pledge", "请确认所填信息真实有效"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_is_lost(
    client, apply_page, changes, field, message
):
    response = submit(client, apply_page, **changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert InformationRequest.objects.count() == 0
    html = response.content.decode()
    assert message in html
    # What was typed is shown back (without markup, for the fields that had some).
    for name in ("info_title", "phone", "name"):
        value = changes.get(name, FORM[name])
        if value and "<" not in value:
            assert form[name].value() == value
    if "description" in changes:
        assert form["description"].value() == changes["description"].replace(
            "<script>alert('x')</script>", ""
        )
    assert "<script>alert" not in html


def test_script_is_stripped_and_the_cleaned_text_is_accepted_when_resubmitted(client, apply_page):
    first = submit(client, apply_page, description="<script>alert(1)</script><p>农村公路计划</p>")
    cleaned = first.context["form"]["description"].value()
    assert cleaned == "农村公路计划"
    assert submit(client, apply_page, description=cleaned).status_code == 302
    assert InformationRequest.objects.get().description == "农村公路计划"


def test_organisation_with_a_valid_credit_code(client, apply_page):
    from cms.core.validators import uscc_check_char

    code = "91321300MA1W8Q2K3" + uscc_check_char("91321300MA1W8Q2K3")
    response = submit(
        client,
        apply_page,
        applicant_kind="organisation",
        organisation_type="legal",
        name="江苏宿法律师事务所",
        contact_person="韩律师",
        id_type="uscc",
        id_number=code.lower(),
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.applicant_type, request.id_number, request.masked_name) == (
        ApplicantType.LEGAL,
        code,
        "江苏宿法律师事务所",
    )


def test_honeypot_refuses_silently_filled_forms(client, apply_page):
    response = submit(client, apply_page, website="http://spam.example")
    assert response.status_code == 400 and "提交未被接受" in response.content.decode()
    assert InformationRequest.objects.count() == 0


def test_rate_limits_per_ip_and_per_applicant_keep_what_was_typed(client, apply_page, settings):
    from django.core.cache import cache

    cache.clear()
    settings.APPLICATIONS_SUBMISSIONS_PER_APPLICANT_PER_DAY = 2
    settings.APPLICATIONS_SUBMISSIONS_PER_IP_PER_HOUR = 3
    assert submit(client, apply_page).status_code == 302
    assert submit(client, apply_page).status_code == 302
    third = submit(client, apply_page, info_title="另一项信息")
    assert third.status_code == 429 and "今日提交的申请已达上限" in third.content.decode()
    assert third.context["form"]["info_title"].value() == "另一项信息"
    from .conftest import id_number

    assert submit(client, apply_page, id_number=id_number("32130219900101002")).status_code == 302
    fourth = submit(client, apply_page, id_number=id_number("32130219900101003"))
    assert fourth.status_code == 429 and "提交过于频繁" in fourth.content.decode()
    assert InformationRequest.objects.count() == 3
    cache.clear()


def test_forged_tracking_code_and_wrong_phone_get_the_same_clear_404(client, apply_page):
    assert submit(client, apply_page).status_code == 302
    code = InformationRequest.objects.get().tracking_code
    for data in (
        {"tracking_code": "YSQ2026ABCDEFGH", "phone": PHONE},
        {"tracking_code": code, "phone": "13900000000"},
    ):
        response = client.post(status_url(apply_page), data)
        assert response.status_code == 404
        html = response.content.decode()
        assert "未找到与该申请编号和联系电话相符的申请" in html
        assert response.context["form"]["tracking_code"].value() == data["tracking_code"]
        assert "application" not in response.context
    missing = client.post(status_url(apply_page), {"tracking_code": "", "phone": ""})
    assert missing.status_code == 400 and "请填写申请编号" in missing.content.decode()


def test_status_lookups_are_rate_limited(client, apply_page, settings):
    from django.core.cache import cache

    cache.clear()
    settings.APPLICATIONS_LOOKUPS_PER_IP_PER_HOUR = 3
    for _ in range(3):
        assert (
            client.post(
                status_url(apply_page), {"tracking_code": "YSQ2026AAAAAAAA", "phone": PHONE}
            ).status_code
            == 404
        )
    blocked = client.post(status_url(apply_page), {"tracking_code": "YSQ2026AAAAAAAA", "phone": PHONE})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
    cache.clear()


def test_confirmation_page_without_a_submission_goes_back_to_the_guide(client, apply_page):
    response = client.get(apply_page.url + apply_page.reverse_subpage("done"))
    assert response.status_code == 302 and response["Location"] == apply_page.url


class ApplicationPageRulesTest(WagtailPageTestCase):
    def test_where_it_lives_and_every_route_renders(self):
        from cms.applications.models import ApplicationPage
        from cms.disclosure.models import DisclosureIndexPage

        self.assertAllowedParentPageTypes(ApplicationPage, {DisclosureIndexPage})
        self.assertAllowedSubpageTypes(ApplicationPage, set())
        tree = factories.site_tree()
        page = factories.add_page(
            tree["disclosure"], ApplicationPage(title="依申请公开", slug="ysqgk", body="<p>须知</p>")
        )
        self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(page, route_path="/apply/")
        self.assertPageIsRenderable(page, route_path="/status/")


def test_the_third_party_letter_stays_off_the_status_page(client, apply_page, clerk):
    import datetime as dt

    from cms.applications import services
    from cms.applications.vocabularies import PauseKind

    from .conftest import make_request

    request = make_request(dt.date.today() - dt.timedelta(days=3))
    services.start_pause(
        request, PauseKind.THIRD_PARTY, dt.date.today(), clerk, party="江苏宿港建设工程有限公司"
    )
    html = client.post(
        status_url(apply_page), {"tracking_code": request.tracking_code, "phone": PHONE}
    ).content.decode()
    assert "暂停计时" in html and "江苏宿港建设工程有限公司" not in html and "征求第三方意见函" not in html
