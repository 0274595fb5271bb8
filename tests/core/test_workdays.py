"""A year the official calendar package does not cover (2027 with chinesecalendar 1.11) is not all Monday–Friday
working days: its statutory holidays are estimated from the 放假办法, deadlines counted into it say 估算, and the
admin warns until the State Council's schedule is entered in 节假日与调休."""

import datetime

import pytest

from cms.applications import clock
from cms.core import workdays
from cms.core.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def test_the_statutory_holidays_of_an_unpublished_year():
    holidays = workdays.estimated_holidays(2027)
    # 元旦; 春节 4 days from 除夕 (正月初一 is 6 February 2027); 清明 5 April; 劳动节 2; 端午 9 June; 中秋 15
    # September; 国庆 3: 13 days, as the 放假办法 in force since 2025 sets them.
    assert holidays == {
        D(2027, 1, 1),
        D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8),
        D(2027, 4, 5),
        D(2027, 5, 1), D(2027, 5, 2),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3),
    }  # fmt: skip
    assert D(2028, 1, 26) in workdays.estimated_holidays(2028) and D(
        2028, 4, 4
    ) in workdays.estimated_holidays(2028)
    # A known year is the package's, not an estimate.
    assert workdays.year_is_known(2026) and not workdays.year_is_known(2027)


def test_a_deadline_into_january_2027_is_no_longer_a_day_early_and_is_marked():
    # 20 working days from Friday 4 December 2026: 元旦 2027 (a Friday) is off, so the deadline is 4 January.
    due = clock.due_date(D(2026, 12, 4), 20)
    assert due == D(2027, 1, 4)
    assert workdays.is_estimated(D(2026, 12, 4), due) and not workdays.is_estimated(D(2026, 12, 4))
    from cms.core.templatetags.workday_tags import estimated_mark

    assert "（估算）" in estimated_mark(due) and estimated_mark(D(2026, 12, 31)) == ""


def test_the_admin_warns_until_the_year_is_entered(admin_client):
    today = D.today()
    if workdays.year_is_known(today.year) and workdays.year_is_known(today.year + 1):
        pytest.skip("this year and the next are both published")  # not the case with chinesecalendar 1.11
    missing = workdays.unknown_years()
    dashboard = admin_client.get("/admin/").content.decode()
    assert "data-calendar-warning" in dashboard and f"{missing[0]}年" in dashboard
    listing = admin_client.get("/admin/calendarday/").content.decode()
    assert "尚未录入" in listing
    for year in missing:
        CalendarDay.objects.create(day=D(year, 1, 1), is_workday=False, note=f"{year}年元旦")
    workdays.clear_cache()
    assert "data-calendar-warning" not in admin_client.get("/admin/").content.decode()
