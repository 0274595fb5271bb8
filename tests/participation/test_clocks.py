"""Deadline clocks: message reply deadlines in working days, reminders and alarms; emergency 5 h / 24 h alerts."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cms.participation.models import IncidentAlert, MessageAlert
from cms.participation.tasks import (
    incident_alerts_due,
    message_alert_due,
    run_incident_clock,
    run_message_clock,
)
from cms.participation.vocabularies import MessageStatus

from .conftest import make_incident, make_message

pytestmark = pytest.mark.django_db


def test_reply_deadline_counts_working_days(department, settings):
    assert make_message(department, received_on=datetime.date(2025, 11, 17)).due_on == datetime.date(
        2025, 11, 24
    )
    # National Day 2025: 1–8 October off, Saturday 11 October worked.
    assert make_message(department, received_on=datetime.date(2025, 9, 30)).due_on == datetime.date(
        2025, 10, 14
    )
    settings.PARTICIPATION_MESSAGE_REPLY_WORKING_DAYS = 10
    assert make_message(department, received_on=datetime.date(2025, 11, 17)).due_on == datetime.date(
        2025, 12, 1
    )


def test_reminders_then_overdue_then_alarms_before_three_months(department):
    message = make_message(department, received_on=datetime.date(2025, 11, 17))  # due 2025-11-24
    kinds = {
        datetime.date(2025, 11, 18): None,
        datetime.date(2025, 11, 20): "remind-2",
        datetime.date(2025, 11, 21): "remind-1",
        datetime.date(2025, 11, 25): "overdue",
        datetime.date(2025, 12, 17): "alarm-30",
        datetime.date(2026, 1, 16): "alarm-60",
    }
    for today, kind in kinds.items():
        due = message_alert_due(message, today)
        assert (due[0] if due else None) == kind, today
    assert message.inspection_line == datetime.date(2026, 2, 17)
    assert "2026-02-17" in message_alert_due(message, datetime.date(2026, 1, 16))[1]
    message.status, message.reply, message.replied_on = (
        MessageStatus.REPLIED,
        "已答复。",
        datetime.date(2025, 11, 20),
    )
    message.save()
    assert message_alert_due(message, datetime.date(2025, 12, 17)) is None


def test_beat_task_sends_each_alarm_once(department, manager):
    editor = department.editors_group.user_set.create(username="bgs_mail", email="bgs@example.com")
    assert editor
    make_message(department, received_on=timezone.localdate() - datetime.timedelta(days=40))
    assert run_message_clock() == 1
    assert run_message_clock() == 0
    assert MessageAlert.objects.get().kind == "alarm-30"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"bgs@example.com", "hd@example.com"}
    assert "【告警】" in mail.outbox[0].subject and "王**" in mail.outbox[0].body


def test_emergency_deadlines_and_alerts(department, manager):
    now = timezone.now()
    page = make_incident(department, occurred_at=now - datetime.timedelta(hours=4, minutes=40))
    assert page.release_due == page.occurred_at + datetime.timedelta(hours=5)
    assert page.press_due == page.occurred_at + datetime.timedelta(hours=24)
    assert [k for k, _ in incident_alerts_due(page, now)] == ["release-30"]
    assert [k for k, _ in incident_alerts_due(page, now + datetime.timedelta(hours=1))] == ["release-overdue"]
    assert [k for k, _ in incident_alerts_due(page, now + datetime.timedelta(hours=12))] == [
        "release-overdue"
    ]
    assert [k for k, _ in incident_alerts_due(page, now + datetime.timedelta(hours=15))] == [
        "release-overdue",
        "press-360",
    ]
    assert [k for k, _ in incident_alerts_due(page, now + datetime.timedelta(hours=18))] == [
        "release-overdue",
        "press-120",
    ]
    assert [k for k, _ in incident_alerts_due(page, now + datetime.timedelta(hours=20))] == [
        "release-overdue",
        "press-overdue",
    ]
    assert run_incident_clock() == 1 and run_incident_clock() == 0
    assert IncidentAlert.objects.get().kind == "release-30"
    assert mail.outbox and "权威信息发布" in mail.outbox[0].subject


def test_publishing_the_incident_stops_the_release_clock(department, client):
    from tests import factories

    page = make_incident(department, occurred_at=timezone.now() - datetime.timedelta(hours=2))
    factories.publish(page)
    page.refresh_from_db()
    assert page.release_in_time and page.release_hours == pytest.approx(2, abs=0.1)
    assert [k for k, _ in incident_alerts_due(page, timezone.now())] == []
    html = client.get(page.url).content.decode()
    assert "符合5小时内发布要求" in html and "计划于" in html


def test_incident_uses_the_one_stage_emergency_workflow(department):
    page = make_incident(department)
    workflow = page.get_workflow()
    assert workflow.name == "应急信息发布（一审）"
    assert [t.specific.name for t in workflow.tasks] == ["自动内容检查（应急）", "应急审核（本单位负责人）"]


def test_homepage_banner_and_timeline(department, tree, client):
    from cms.participation.models import IncidentUpdate
    from tests import factories

    page = make_incident(department, occurred_at=timezone.now() - datetime.timedelta(hours=1))
    page.updates.add(IncidentUpdate(at=timezone.now(), text="搜救工作已结束，3名落水船员全部获救。"))
    factories.publish(page)
    home = client.get("/").content.decode()
    assert "data-emergency-banner" in home and page.title in home
    html = client.get(page.url).content.decode()
    assert "3名落水船员全部获救" in html
    page.ended = True
    factories.publish(page)
    assert "data-emergency-banner" not in client.get("/").content.decode()
