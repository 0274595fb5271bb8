"""The statutory clock on the official calendar, against examples worked out by hand.

The hand counts use the State Council's holiday notices:
- 2024 (国办发明电〔2023〕7号): 国庆节 10月1日至7日放假调休，9月29日（周日）、10月12日（周六）上班.
- 2025 (国办发明电〔2024〕12号): 春节 1月28日至2月4日放假调休，1月26日（周日）、2月8日（周六）上班;
  国庆节、中秋节 10月1日至8日放假调休，9月28日（周日）、10月11日（周六）上班.
The day of receipt is not counted; the next working day is day 1 (a period counted "from" a day).
"""

import datetime

import pytest

from cms.applications import clock
from cms.core import workdays
from cms.core.models import CalendarDay

# The calendar table is part of every lookup, so these tests need the database.
pytestmark = pytest.mark.django_db

D = datetime.date


def test_national_day_2024_with_make_up_days():
    # Received Friday 2024-09-20.
    # 9/23-9/27 Mon-Fri = 1-5; 9/28 Sat rest; 9/29 Sun 调休上班 = 6; 9/30 Mon = 7; 10/1-10/7 holiday;
    # 10/8-10/11 Tue-Fri = 8-11; 10/12 Sat 调休上班 = 12; 10/14-10/18 = 13-17; 10/21 = 18, 10/22 = 19, 10/23 = 20.
    assert clock.due_date(D(2024, 9, 20), 20) == D(2024, 10, 23)
    # Counting weekends and the seven holidays only (ignoring both 调休 Saturdays/Sundays) would give 10/25.
    assert workdays.is_workday(D(2024, 9, 29)) and workdays.is_workday(D(2024, 10, 12))
    assert not workdays.is_workday(D(2024, 10, 7))


def test_spring_festival_2025_with_make_up_days():
    # Received Wednesday 2025-01-15.
    # 1/16-1/17 = 1-2; 1/20-1/24 = 3-7; 1/25 Sat rest; 1/26 Sun 调休上班 = 8; 1/27 Mon = 9; 1/28-2/4 holiday;
    # 2/5-2/7 Wed-Fri = 10-12; 2/8 Sat 调休上班 = 13; 2/10-2/14 = 14-18; 2/17 = 19; 2/18 Tue = 20.
    assert clock.due_date(D(2025, 1, 15), 20) == D(2025, 2, 18)


def test_supplement_notice_limit_across_spring_festival_2025():
    # Received Friday 2025-01-24: 1/26 Sun (调休) = 1, 1/27 = 2, holiday, 2/5 = 3, 2/6 = 4, 2/7 = 5, 2/8 Sat
    # (调休) = 6, 2/10 Mon = 7: the 补正 notice must go out by 2025-02-10.
    assert workdays.add_working_days(D(2025, 1, 24), clock.SUPPLEMENT_NOTICE_LIMIT) == D(2025, 2, 10)


def test_national_day_2025_with_extension():
    # Received Tuesday 2025-09-16: 9/17-9/19 = 1-3; 9/22-9/26 = 4-8; 9/28 Sun 调休上班 = 9; 9/29-9/30 = 10-11;
    # 10/1-10/8 holiday; 10/9-10/10 = 12-13; 10/11 Sat 调休上班 = 14; 10/13-10/17 = 15-19; 10/20 Mon = 20.
    assert clock.due_date(D(2025, 9, 16), 20) == D(2025, 10, 20)
    # Extended by 20: 10/21-10/24 = 21-24, 10/27-10/31 = 25-29, 11/3-11/7 = 30-34, 11/10-11/14 = 35-39, 11/17 = 40.
    assert clock.due_date(D(2025, 9, 16), 40) == D(2025, 11, 17)


def test_a_pause_moves_the_deadline_by_the_working_days_spent_waiting():
    # Received 2025-09-16; the third party is consulted on Thursday 9/25 (day 7) and answers on Thursday 10/16.
    # Working days after 9/25 up to 10/16: 9/26, 9/28 (调休), 9/29, 9/30, 10/9, 10/10, 10/11 (调休), 10/13-10/16
    # = 11, not counted. Counting resumes 10/17 = 8, 10/20 = 9, ..., 10/31 = 18, 11/3 = 19, 11/4 = 20.
    pause = clock.Pause(D(2025, 9, 25), D(2025, 10, 16))
    assert clock.due_date(D(2025, 9, 16), 20, [pause]) == D(2025, 11, 4)
    # While it is open the deadline is unknown, but the working days used and left are.
    reading = clock.read(D(2025, 9, 16), 20, [clock.Pause(D(2025, 9, 25))], today=D(2025, 10, 16))
    assert (reading.due, reading.used, reading.left, reading.paused) == (None, 7, 13, True)


def test_clock_reading_before_on_and_after_the_deadline():
    start = D(2025, 9, 16)  # due 2025-10-20
    assert clock.read(start, 20, today=D(2025, 10, 17)).left == 1
    on_due = clock.read(start, 20, today=D(2025, 10, 20))
    assert (on_due.left, on_due.overdue) == (0, False)
    # Saturday after the deadline: overdue, though no further working day has passed yet.
    late = clock.read(start, 20, today=D(2025, 10, 25))
    assert late.overdue and late.left == -4  # 10/21-10/24


def test_admin_table_corrects_a_year_the_library_does_not_know(settings):
    # chinesecalendar 1.11 stops at 2026, so 2027 is estimated from the 放假办法 (see tests/core/test_workdays.py)...
    assert workdays.is_estimated(D(2027, 2, 8)) and not workdays.is_workday(D(2027, 2, 8))  # 春节, a Monday
    # ...until staff enter the State Council's schedule: a holiday on Monday, a 调休 working Saturday.
    CalendarDay.objects.create(day=D(2027, 2, 8), is_workday=False, note="2027年春节")
    assert not workdays.is_workday(D(2027, 2, 8)) and not workdays.is_estimated(D(2027, 2, 8))
    CalendarDay.objects.create(day=D(2027, 2, 20), is_workday=True, note="2027年春节调休上班")
    assert workdays.is_workday(D(2027, 2, 20))
    # Received Friday 2027-02-05: 2/8 is off, so 2/9-2/12 = 1-4, 2/15-2/19 = 5-9, 2/20 Sat (调休) = 10.
    assert workdays.add_working_days(D(2027, 2, 5), 10) == D(2027, 2, 20)
    # Deleting a row takes effect at once.
    CalendarDay.objects.filter(day=D(2027, 2, 20)).delete()
    assert not workdays.is_workday(D(2027, 2, 20))


def test_environment_overrides_still_apply_and_the_table_wins(settings):
    settings.PORTAL_EXTRA_HOLIDAYS = ["2027-03-01"]
    settings.PORTAL_EXTRA_WORKDAYS = ["2027-03-06"]
    assert not workdays.is_workday(D(2027, 3, 1))
    assert workdays.is_workday(D(2027, 3, 6))
    CalendarDay.objects.create(day=D(2027, 3, 1), is_workday=True, note="更正")
    assert workdays.is_workday(D(2027, 3, 1))
    # A correction of a year the library knows also wins over it.
    CalendarDay.objects.create(day=D(2025, 10, 20), is_workday=False, note="假设的更正")
    assert clock.due_date(D(2025, 9, 16), 20) == D(2025, 10, 21)


def test_fee_schedule_of_guobanhan_2020_109():
    from decimal import Decimal

    from cms.applications.fees import per_page_fee, per_request_fee

    assert [per_request_fee(n) for n in (1, 10, 11, 30, 31, 40, 41, 55)] == [
        0,
        0,
        100,
        100,
        200,
        200,
        300,
        400,
    ]
    # Pages priced by band: 30 free; 31-100 at 10; 101-200 at 20; beyond 200 at 40.
    assert per_page_fee(30) == Decimal(0)
    assert per_page_fee(31) == Decimal(10)
    assert per_page_fee(100) == Decimal(700)
    assert per_page_fee(150) == Decimal(700 + 50 * 20)
    assert per_page_fee(250) == Decimal(700 + 2000 + 50 * 40)
