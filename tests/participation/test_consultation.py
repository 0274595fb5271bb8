"""征求意见: the period rule, status and countdown, and the completion rule of the 采纳情况 report."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.participation.models import ConsultationComment, ConsultationPage, OpinionGroup
from cms.participation.vocabularies import Adoption, ConsultationStatus, Moderation
from tests import factories

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def _closed(department, **fields):
    today = timezone.localdate()
    return make_consultation(
        department,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=5),
        **fields,
    )


def test_consultation_is_a_disclosure_item_with_identity(consultation):
    assert consultation.live
    assert consultation.index_number
    assert consultation.publisher_name == "宿迁市交通运输局办公室"
    assert consultation.category == "tzgg"


def test_status_and_countdown(department):
    today = timezone.localdate()
    page = make_consultation(
        department, opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=25)
    )
    assert page.status == ConsultationStatus.OPEN
    assert page.days_left == 25
    assert page.is_accepting_comments
    assert page.status_on(today + datetime.timedelta(days=26)) == ConsultationStatus.CLOSED
    assert page.status_on(today - datetime.timedelta(days=6)) == ConsultationStatus.UPCOMING


def test_a_period_under_30_days_needs_a_reason(department):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_consultation(
            department, opens_on=today, closes_on=today + datetime.timedelta(days=14), slug="short"
        )
    assert "short_period_reason" in error.value.message_dict
    assert "15日" in error.value.message_dict["short_period_reason"][0]
    page = make_consultation(
        department,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        slug="short-ok",
        short_period_reason="春运临近，须在春运前出台客运保障措施。",
    )
    assert page.is_short_period and page.live


def test_exactly_30_days_needs_no_reason(department):
    today = timezone.localdate()
    page = make_consultation(
        department, opens_on=today, closes_on=today + datetime.timedelta(days=29), slug="thirty"
    )
    assert page.period_days == 30 and not page.is_short_period


def test_close_before_open_is_refused(department):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_consultation(
            department, opens_on=today, closes_on=today - datetime.timedelta(days=1), slug="backwards"
        )
    assert "closes_on" in error.value.message_dict


def test_hearing_needs_the_participant_list(department):
    with pytest.raises(ValidationError) as error:
        make_consultation(department, hearing_at=timezone.now() + datetime.timedelta(days=10), slug="hearing")
    assert "hearing_participants" in error.value.message_dict


def test_cannot_complete_while_open(consultation):
    problems = consultation.completion_problems([OpinionGroup(adoption=Adoption.ADOPTED)])
    assert any("尚未截止" in p for p in problems)


def test_cannot_complete_without_groups(department):
    page = _closed(department)
    assert any("至少填写一组" in p for p in page.completion_problems())


@pytest.mark.parametrize("adoption", [Adoption.NOT_ADOPTED, Adoption.PARTLY])
def test_cannot_complete_without_a_reason_for_every_group_not_adopted(department, adoption):
    page = _closed(
        department, groups=[(Adoption.ADOPTED, ""), (adoption, ""), (Adoption.NOT_ADOPTED, "与上位法冲突。")]
    )
    problems = page.completion_problems()
    assert len(problems) == 1 and "第2组" in problems[0]
    page.completed = True
    with pytest.raises(ValidationError):
        factories.publish(page)
    page.refresh_from_db()
    assert not page.completed


def test_cannot_complete_with_comments_still_held(department):
    page = _closed(department, groups=[(Adoption.ADOPTED, "")])
    ConsultationComment.objects.create(consultation=page, body="建议增加养护资金投入。")
    assert any("待审核" in p for p in page.completion_problems())
    page.comments.update(status=Moderation.APPROVED)
    assert page.completion_problems() == []


def test_complete_with_a_full_report(department):
    page = _closed(
        department,
        groups=[(Adoption.ADOPTED, "已在第五条中采纳。"), (Adoption.NOT_ADOPTED, "超出本办法调整范围。")],
    )
    page.completed = True
    factories.publish(page)
    page.refresh_from_db()
    assert page.completed and page.completed_on == timezone.localdate()
    assert page.status == ConsultationStatus.COMPLETED
    # The revision carries the report: the published page shows it.
    live = ConsultationPage.objects.get(pk=page.pk)
    assert [g.adoption for g in live.opinion_groups.all()] == [Adoption.ADOPTED, Adoption.NOT_ADOPTED]


def test_decision_links_to_consultation_and_report(department, client):
    decision = factories.make_item(
        department, category="zcwj", title="宿迁市农村公路养护管理办法", slug="decision"
    )
    page = _closed(department, groups=[(Adoption.ADOPTED, "")], decision=decision, completed=True)
    html = client.get(decision.url).content.decode()
    assert "征求意见及采纳情况" in html and page.url in html
    html = client.get(page.url).content.decode()
    assert "意见采纳情况" in html and decision.url in html


def test_public_page_shows_status_reason_and_report(department, client):
    today = timezone.localdate()
    page = make_consultation(
        department,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=19),
        short_period_reason="春运临近，须在春运前出台。",
        slug="public",
    )
    html = client.get(page.url).content.decode()
    assert "征求中" in html and "距截止还有 19 天" in html
    assert "春运临近，须在春运前出台。" in html
    assert "data-comment-form" in html


def test_hearing_is_announced_at_least_7_days_ahead(department):
    with pytest.raises(ValidationError) as error:
        make_consultation(
            department,
            hearing_at=timezone.now() + datetime.timedelta(days=3),
            hearing_participants="市民代表5名",
            slug="hearing-late",
        )
    assert "7日前送达" in error.value.message_dict["hearing_at"][0]
