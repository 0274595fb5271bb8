"""回应关切 linked to their topic; 在线访谈 notice rule, stages, transcript and archive."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.participation.models import ConcernResponsePage, ConcernTopic, TranscriptEntry
from tests import factories

from .conftest import make_interview

pytestmark = pytest.mark.django_db


def test_responses_linked_to_their_topic(department, client):
    topic = ConcernTopic.objects.create(
        name="网传市区公交停运", description="网传12月起市区公交全部停运。", source="网络舆情"
    )
    first = factories.add_page(
        department,
        ConcernResponsePage(
            title="关于“市区公交停运”不实信息的澄清",
            slug="pb-1",
            kind="rumor",
            concern_topic=topic,
            summary="市区公交正常运营，网传信息不实。",
            body="<p>市区公交正常运营。</p>",
        ),
    )
    second = factories.add_page(
        department,
        ConcernResponsePage(
            title="市区公交运营情况说明",
            slug="pb-2",
            concern_topic=topic,
            summary="公交线路运营时间不变。",
            body="<p>公交线路运营时间不变。</p>",
        ),
    )
    assert first.category == "hygq" and first.index_number
    html = client.get(first.url).content.decode()
    assert "网传12月起市区公交全部停运" in html and second.title in html and "辟谣澄清" in html
    assert list(topic.responses.order_by("pk")) == [first.disclosureitempage_ptr.concernresponsepage, second]


def test_interview_must_be_announced_in_advance(board):
    with pytest.raises(ValidationError) as error:
        make_interview(board, starts_at=timezone.now() + datetime.timedelta(days=1), slug="late")
    assert "至少提前3天" in error.value.message_dict["starts_at"][0]


def test_interview_stages_transcript_and_archive(board, client):
    interview = make_interview(board, video_url="https://video.example.cn/zxft/2019-06.mp4")
    assert interview.stage == "announced"
    # Afterwards the same page carries the transcript (the notice rule applies only to the first announcement).
    interview.starts_at = timezone.now() - datetime.timedelta(hours=2)
    interview.transcript.add(TranscriptEntry(role="netizen", speaker="网友", text="我们村的公路什么时候修？"))
    interview.transcript.add(TranscriptEntry(role="guest", speaker="张志远", text="今年完成提档升级。"))
    factories.publish(interview)
    interview.refresh_from_db()
    assert interview.stage == "finished" and not interview.is_collecting_questions
    html = client.get(interview.url).content.decode()
    assert (
        "往期回顾" in html
        and "今年完成提档升级" in html
        and "观看视频回放" in html
        and "访谈前提问" not in html
    )
    archive = client.get(board.url + board.reverse_subpage("interviews")).content.decode()
    assert interview.title in archive
    assert client.get(board.url).status_code == 200
