"""Working days (工作日) on the official Chinese calendar: weekends, statutory holidays and 调休 make-up days.

``chinesecalendar`` carries the State Council's published schedule year by year. For a year it does not know yet
(the schedule for next year is usually published in November), weekends count as rest days, and two sources of
corrections fill the gap until the package is updated, in this order of precedence:

1. the admin table 节假日与调休 (``cms.core.models.CalendarDay``), which staff edit when the State
   Council publishes next year's schedule or corrects one;
2. ``PORTAL_EXTRA_HOLIDAYS`` / ``PORTAL_EXTRA_WORKDAYS`` (ISO dates) from the environment.

The table is read once and kept for ``CALENDAR_CACHE_SECONDS`` per process; saving or deleting a row clears the
cache of the process that did it at once (``cms.core.signals``).
"""

import datetime
import threading
import time
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

CALENDAR_CACHE_SECONDS = 300

_table = {"loaded_at": None, "holidays": frozenset(), "workdays": frozenset()}
_table_lock = threading.Lock()


@lru_cache(maxsize=1)
def _setting_overrides():
    holidays = {datetime.date.fromisoformat(d) for d in getattr(settings, "PORTAL_EXTRA_HOLIDAYS", [])}
    workdays = {datetime.date.fromisoformat(d) for d in getattr(settings, "PORTAL_EXTRA_WORKDAYS", [])}
    return frozenset(holidays), frozenset(workdays)


def _table_overrides():
    loaded_at = _table["loaded_at"]
    if loaded_at is None or time.monotonic() - loaded_at > CALENDAR_CACHE_SECONDS:
        from cms.core.models import CalendarDay

        rows = list(CalendarDay.objects.values_list("day", "is_workday"))
        with _table_lock:
            _table["holidays"] = frozenset(day for day, workday in rows if not workday)
            _table["workdays"] = frozenset(day for day, workday in rows if workday)
            _table["loaded_at"] = time.monotonic()
    return _table["holidays"], _table["workdays"]


def clear_cache():
    """Forget the cached table and settings (after an edit of the table, or in tests)."""
    _table["loaded_at"] = None
    _setting_overrides.cache_clear()


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in ("PORTAL_EXTRA_HOLIDAYS", "PORTAL_EXTRA_WORKDAYS"):
        _setting_overrides.cache_clear()


def is_workday(day):
    table_holidays, table_workdays = _table_overrides()
    if day in table_workdays:
        return True
    if day in table_holidays:
        return False
    holidays, workdays = _setting_overrides()
    if day in workdays:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def working_days_between(start, end):
    """Whole working days after ``start`` up to and including ``end`` (0 if ``end`` <= ``start``)."""
    start, end = _as_date(start), _as_date(end)
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            days += 1
    return days


def add_working_days(start, n):
    """The date ``n`` working days after ``start`` (the day of ``start`` itself is not counted)."""
    day = _as_date(start)
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day
