"""The demo's 互动交流: every kind of content, public pages that render, and the completion rule respected."""

import pytest
from django.core.management import call_command

from cms.participation.models import (
    ConcernResponsePage,
    ConsultationPage,
    EmergencyIncidentPage,
    InteractionIndexPage,
    InterviewPage,
    Message,
)
from cms.participation.vocabularies import ConsultationStatus, MessageStatus

pytestmark = pytest.mark.django_db


def test_demo_participation(client):
    call_command("load_demo", password="demo-pass-123", quiet_accounts=True)
    statuses = {c.status for c in ConsultationPage.objects.live()}
    assert statuses == {ConsultationStatus.COMPLETED, ConsultationStatus.OPEN, ConsultationStatus.CLOSED}
    done = ConsultationPage.objects.get(completed=True)
    assert done.completion_problems() == [] and done.decision is not None
    assert "征求意见及采纳情况" in client.get(done.decision.url).content.decode()
    assert {m.status for m in Message.objects.all()} == set(MessageStatus.values)
    assert Message.objects.filter(channel="12345").count() == 2
    board = InteractionIndexPage.objects.get()
    assert board.url == "/hdjl/zmhd/" and board.url in client.get("/hdjl/").content.decode()
    pages = [
        board,
        *ConsultationPage.objects.live(),
        *EmergencyIncidentPage.objects.live(),
        *ConcernResponsePage.objects.live(),
        *InterviewPage.objects.live(),
    ]
    for page in pages:
        assert client.get(page.url).status_code == 200, page
    html = client.get(board.url + "messages/").content.decode()
    assert "市区公交10路冬季末班车时间" in html and "家门口的公交站牌" not in html  # private stays private
    assert client.get(board.url + "messages/write/").status_code == 200
