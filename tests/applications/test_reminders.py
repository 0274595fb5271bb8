"""Celery beat reminders: 5, 2 and 1 working days before the deadline and once overdue, each exactly once."""

import datetime

import pytest
from django.core import mail

from cms.applications import services
from cms.applications.models import Reminder
from cms.applications.tasks import remind, run_clock
from cms.applications.vocabularies import Outcome, Status
from tests import factories

from .conftest import make_request

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def staff(department, clerk):
    clerk.email = "clerk@example.com"
    clerk.save()
    reviewer = factories.make_user("bgs_reviewer", groups=[department.reviewers_group])
    reviewer.email = "reviewer@example.com"
    reviewer.save()
    factories.make_user("no_mail", groups=[department.editors_group])  # no address: not a recipient
    return clerk, reviewer


def test_each_threshold_once_then_overdue(department, staff):
    request = make_request(D(2025, 9, 16), department=department)  # due Monday 2025-10-20
    days = {
        D(2025, 10, 9): None,  # 8 left: 10/10, 10/11 (调休), 10/13-10/17, 10/20
        D(2025, 10, 13): 5,  # 10/14-10/17 and 10/20: 5 left
        D(2025, 10, 14): None,  # 4 left: the 5-day reminder is not repeated
        D(2025, 10, 16): 2,  # 10/17, 10/20
        D(2025, 10, 17): 1,
        D(2025, 10, 18): None,  # Saturday: still 1 left, already sent
        D(2025, 10, 20): None,  # due today: 0 left, nothing new
        D(2025, 10, 21): Reminder.OVERDUE,
        D(2025, 10, 22): None,
    }
    sent = {day: remind(request, day) for day in days}
    assert sent == days
    assert sorted(Reminder.objects.filter(request=request).values_list("threshold", flat=True)) == [
        0,
        1,
        2,
        5,
    ]
    assert len(mail.outbox) == 4
    assert set(mail.outbox[0].to) == {"clerk@example.com", "reviewer@example.com"}
    assert "剩余5个工作日" in mail.outbox[0].subject and "已逾期" in mail.outbox[-1].subject
    # Reminders carry the masked name only.
    assert "李**" in mail.outbox[0].body and "李明华" not in mail.outbox[0].body


def test_a_late_first_look_sends_the_tightest_threshold_only(department, staff):
    request = make_request(D(2025, 9, 16), department=department)
    assert remind(request, D(2025, 10, 17)) == 1
    assert remind(request, D(2025, 10, 17)) is None
    assert len(mail.outbox) == 1
    assert set(Reminder.objects.values_list("threshold", flat=True)) == {1, 2, 5}


def test_an_extension_arms_the_reminders_again_for_the_new_deadline(department, staff, head, clerk):
    request = make_request(D(2025, 9, 16), department=department)
    assert remind(request, D(2025, 10, 13)) == 5
    services.extend(request, 20, head, D(2025, 10, 14), "材料较多", clerk)
    request.refresh_from_db()
    assert remind(request, D(2025, 10, 14)) is None  # 24 working days to the new deadline 11/17
    assert remind(request, D(2025, 11, 10)) == 5


def test_run_clock_withdraws_missed_supplements_and_reminds_the_rest(department, staff, clerk, monkeypatch):
    from django.utils import timezone

    late = make_request(D(2025, 9, 16), department=department)
    services.request_supplement(late, D(2025, 9, 18), "请说明道路名称。", D(2025, 9, 30), clerk)
    make_request(D(2025, 9, 16), department=department, info_title="另一项")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2025, 10, 13))
    result = run_clock.apply().get()
    assert result == {"withdrawn": 1, "reminders": 1}
    late.refresh_from_db()
    assert (late.status, late.outcome) == (Status.WITHDRAWN, Outcome.NO_SUPPLEMENT)
    assert run_clock.apply().get() == {"withdrawn": 0, "reminders": 0}
