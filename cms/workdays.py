"""Working days (工作日) on the official Chinese calendar: weekends, statutory holidays and 调休 make-up days.

``chinesecalendar`` carries the State Council's published schedule year by year. For a year it does not know yet
(the schedule for next year is usually published in November), weekends count as rest days and
``PORTAL_EXTRA_HOLIDAYS`` / ``PORTAL_EXTRA_WORKDAYS`` (ISO dates) fill the gap until the package is updated.
"""

import datetime
from functools import lru_cache

import chinese_calendar
from django.conf import settings


@lru_cache(maxsize=1)
def _overrides():
    holidays = {datetime.date.fromisoformat(d) for d in getattr(settings, "PORTAL_EXTRA_HOLIDAYS", [])}
    workdays = {datetime.date.fromisoformat(d) for d in getattr(settings, "PORTAL_EXTRA_WORKDAYS", [])}
    return holidays, workdays


def is_workday(day):
    holidays, workdays = _overrides()
    if day in workdays:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def working_days_between(start, end):
    """Whole working days after ``start`` up to and including ``end`` (0 if ``end`` <= ``start``)."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            days += 1
    return days


def add_working_days(start, n):
    """The date ``n`` working days after ``start``."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    day = start
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day
