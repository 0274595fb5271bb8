"""Listings cost the same number of queries however many rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.participation.models import Message
from cms.participation.vocabularies import MessageStatus

pytestmark = pytest.mark.django_db


def _messages(department, n, start=0):
    day = datetime.date(2025, 11, 17)
    Message.objects.bulk_create(
        Message(
            code=f"LYTEST{start + i:06d}",
            category="consult",
            department=department,
            subject=f"公交线路咨询（{start + i}）",
            body="请问市区公交线路调整后何时实施？",
            name="王建国",
            phone="13905271234",
            received_on=day,
            due_on=day,
            status=MessageStatus.REPLIED,
            reply="将于下月实施。",
            replied_on=day,
        )
        for i in range(n)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_message_board_costs_the_same_for_3_and_20_messages(client, board, department):
    url = board.url + board.reverse_subpage("messages")
    _messages(department, 3)
    client.get(url)  # warm caches (site, settings)
    few = _queries(client, url)
    _messages(department, 17, start=3)
    assert _queries(client, url) == few
    assert _queries(client, board.url) <= few + 3
