"""行政执法公示: 双公示 decisions — masking of natural persons on every public surface, the 7-working-day
deadline, withdrawal on revocation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.core.masking import mask_person_name, scrub
from cms.disclosure.models import DisclosureItemPage
from cms.review.gate import GateRefused, bypass
from cms.sector.admin_views import withdraw_decision
from cms.sector.deadlines import decision_flags
from cms.sector.models import EnforcementDecisionPage
from cms.sector.vocabularies import DeadlineState, PartyType, Revocation
from tests import factories

from .conftest import PERSON, make_decision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张某某"),
        ("李四", "李某某"),
        ("欧阳春晓", "欧阳某某"),
        ("欧阳", "欧某某"),
        (" 王 五 ", "王某某"),
        ("", ""),
    ],
)
def test_mask_person_name(name, masked):
    assert mask_person_name(name) == masked


def test_scrub_replaces_every_occurrence_even_with_spaces():
    text = "当事人张三丰于9月驾驶车辆；张 三丰对事实无异议。"
    assert scrub(text, "张三丰") == "当事人张某某于9月驾驶车辆；张某某对事实无异议。"
    assert scrub("张三丰", "张") == "张三丰"  # a single character is not a name to replace


def test_person_name_never_reaches_a_public_surface(client, tree, zfzd):
    page = make_decision(zfzd)
    stored = EnforcementDecisionPage.objects.get(pk=page.pk)
    assert stored.party_name == PERSON  # kept for the record
    for field in EnforcementDecisionPage.PUBLIC_TEXT_FIELDS:
        assert PERSON not in (getattr(stored, field) or ""), field
    assert "张某某" in stored.title and "张某某" in stored.facts and "张某某" in stored.summary

    html = client.get(page.url).content.decode()
    assert PERSON not in html
    assert '<meta name="ArticleTitle" content="张某某' in html
    assert "张某某" in html and "宿交执罚〔2019〕第0101号" in html

    column = tree["columns"]["xzzf"]
    assert PERSON not in client.get(column.url).content.decode()
    feed = client.get(column.url + "rss/").content.decode()
    assert "张某某" in feed and PERSON not in feed

    results = client.get("/search/", {"q": "道路旅客运输经营"}).content.decode()
    assert "张某某" in results and PERSON not in results
    assert "擅自从事" in client.get("/search/", {"q": "宿交执罚"}).content.decode()
    found = DisclosureItemPage.objects.live().search(PERSON)
    assert [p.pk for p in found] == []  # the full name is not in the index at all


def test_company_name_is_published_as_registered(client, zfzd):
    page = make_decision(
        zfzd,
        title="宿迁市通达物流有限公司超限运输案行政处罚决定",
        party_type=PartyType.ORGANISATION,
        party_name="宿迁市通达物流有限公司",
        party_code="91321300MA1MXXXX0X"[:18],
        facts="宿迁市通达物流有限公司所属苏N·B5678重型半挂车超限运输。",
        keywords="行政处罚,超限运输",
        summary="超限运输，罚款3000元。",
    )
    html = client.get(page.url).content.decode()
    assert "宿迁市通达物流有限公司" in html
    assert "某某" not in html


def test_organisation_needs_its_credit_code_and_a_person_gets_none(zfzd):
    with pytest.raises(ValidationError) as raised:
        make_decision(zfzd, party_type=PartyType.ORGANISATION, party_name="宿迁市通达物流有限公司")
    assert "party_code" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_decision(zfzd, party_code="321302198501011234")
    assert "party_code" in raised.value.message_dict


def test_publication_due_is_seven_working_days_on_the_official_calendar(zfzd):
    # 2019-09-27 (Fri): 9-29 is a 调休 workday, 10-1..7 the National Day holiday, 10-12 (Sat) a 调休 workday.
    page = make_decision(zfzd, decision_date=datetime.date(2019, 9, 27))
    assert page.publication_due == datetime.date(2019, 10, 12)


def test_publication_deadline_is_configurable(settings, zfzd):
    settings.SECTOR_DECISION_PUBLICATION_WORKING_DAYS = 5
    page = make_decision(zfzd, decision_date=datetime.date(2019, 9, 27))
    assert page.publication_due == datetime.date(2019, 10, 10)


def test_overdue_and_late_decisions_are_flagged_to_editors(zfzd):
    today = datetime.date.today()
    draft = make_decision(
        zfzd, live=False, decision_date=today - datetime.timedelta(days=30), slug="late-draft"
    )
    on_time = make_decision(zfzd, decision_date=today - datetime.timedelta(days=1), slug="fresh")
    assert draft.deadline_state == DeadlineState.OVERDUE
    assert on_time.deadline_state == DeadlineState.ON_TIME
    flags = {f.page.pk: f.problem for f in decision_flags()}
    assert "尚未公开" in flags[draft.pk]
    assert on_time.pk not in flags

    late = make_decision(
        zfzd,
        slug="published-late",
        decision_date=today - datetime.timedelta(days=40),
        publish_date=None,
    )
    assert late.deadline_state == DeadlineState.LATE
    assert "逾期公示" in {f.page.pk: f.problem for f in decision_flags()}[late.pk]


def test_case_number_is_unique_among_decisions(zfzd):
    make_decision(zfzd, case_number="宿交执罚〔2019〕第0500号")
    with pytest.raises(ValidationError) as raised:
        make_decision(zfzd, case_number="宿交执罚〔2019〕第0500号")
    assert "case_number" in raised.value.message_dict


def test_revoked_decision_is_withdrawn_from_public_view_and_stays_withdrawn(client, tree, zfzd):
    admin = factories.make_user("admin", superuser=True)
    page = make_decision(zfzd)
    url = page.url
    assert client.get(url).status_code == 200

    withdraw_decision(page, admin, Revocation.REVOKED, datetime.date.today(), "行政复议决定撤销原处罚决定")
    page.refresh_from_db()
    assert not page.live and page.revocation == Revocation.REVOKED
    assert client.get(url).status_code == 404
    assert "张某某" not in client.get(tree["columns"]["xzzf"].url).content.decode()
    assert list(DisclosureItemPage.objects.live().search("道路旅客运输")) == []

    # Neither a new revision nor an old one brings it back.
    with pytest.raises(ValidationError, match="不得再次公开"), bypass("测试"):
        page.save_revision(user=admin)
    with pytest.raises(GateRefused, match="不得再次公开"), bypass("测试"):
        page.revisions.order_by("-pk").first().publish(user=admin)
    assert not EnforcementDecisionPage.objects.get(pk=page.pk).live


def test_withdraw_view(client, zfzd):
    admin = factories.make_user("admin", superuser=True)
    client.force_login(admin)
    page = make_decision(zfzd)
    url = reverse("sector_withdraw_decision", args=[page.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"revocation": "revoked", "revoked_on": "", "reason": "复议撤销"})
    assert bad.status_code == 400
    assert "复议撤销" in bad.content.decode()  # what was typed is kept
    done = client.post(url, {"revocation": "unlawful", "revoked_on": "2019-12-01", "reason": "诉讼确认违法"})
    assert done.status_code == 302
    page.refresh_from_db()
    assert not page.live and page.revocation == Revocation.UNLAWFUL
    assert page.revoked_on == datetime.date(2019, 12, 1)


def test_withdraw_view_needs_unpublish_permission(client, zfzd):
    page = make_decision(zfzd)
    client.force_login(factories.make_user("someone", groups=[zfzd.reviewers_group]))
    response = client.post(
        reverse("sector_withdraw_decision", args=[page.pk]),
        {"revocation": "revoked", "revoked_on": "2019-12-01", "reason": "x"},
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.live


def test_decision_page_can_be_created_in_a_department_and_is_in_its_column(client, tree, zfzd):
    assert EnforcementDecisionPage.can_create_at(zfzd)
    assert not EnforcementDecisionPage.can_create_at(tree["disclosure"])
    page = make_decision(zfzd)
    assert page.index_number and page.publisher_name == "宿迁市交通运输综合行政执法支队"
    listing = client.get(tree["columns"]["xzzf"].url).content.decode()
    assert page.title in listing


def test_attachment_names_are_masked_too(client, zfzd):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from cms.disclosure.models import DisclosureAttachment

    document = get_document_model()(title="行政处罚决定书")
    document.file.save("jds.txt", ContentFile("行政处罚决定书".encode()), save=False)
    document.save()
    page = EnforcementDecisionPage(
        title="未取得道路运输经营许可擅自从事道路运输经营案行政处罚决定",
        slug="with-attachment",
        category="xzzf",
        decision_kind="penalty",
        case_number="宿交执罚〔2019〕第0901号",
        party_type=PartyType.PERSON,
        party_name=PERSON,
        facts="擅自从事道路旅客运输经营。",
        basis="《中华人民共和国道路运输条例》第六十三条",
        result="罚款人民币贰万元整。",
        decision_date=datetime.date(2019, 9, 27),
        keywords="行政处罚",
        body="",
    )
    page.attachments = [DisclosureAttachment(document=document, title=f"{PERSON}行政处罚决定书")]
    factories.add_page(zfzd, page)
    html = client.get(page.url).content.decode()
    assert "张某某行政处罚决定书" in html and PERSON not in html
