"""Working days (工作日) on the official Chinese calendar: weekends, statutory holidays and 调休 make-up days.

``chinesecalendar`` carries the State Council's published schedule year by year. For a year it does not know yet
(the schedule for next year is usually published in November), weekends count as rest days, and two sources of
corrections fill the gap until the package is updated, in this order of precedence:

1. the admin table 节假日与调休 (``cms.core.models.CalendarDay``), which staff edit when the State
   Council publishes next year's schedule or corrects one;
2. ``PORTAL_EXTRA_HOLIDAYS`` / ``PORTAL_EXTRA_WORKDAYS`` (ISO dates) from the environment.

A year that neither the package nor the table knows is **estimated**: weekends, plus the statutory holidays of
the 全国年节及纪念日放假办法 (as amended in 2024, in force from 2025: 元旦 1 day, 春节 4 days from 除夕, 清明 1,
劳动节 2, 端午 1, 中秋 1, 国庆 3), the lunar ones from ``lunardate`` and 清明 from the solar-term formula. Its
调休 cannot be known before the State Council publishes it, so deadlines that run into such a year are shown as
估算 (``is_estimated``) and the admin warns until the year is entered.

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
        if day.year in _years_in_table():
            return day.weekday() < 5  # the staff entered the year's holidays and 调休 (above)
        return day.weekday() < 5 and day not in estimated_holidays(day.year)


def _years_in_table():
    table_holidays, table_workdays = _table_overrides()
    return {d.year for d in table_holidays | table_workdays}


def _qingming(year):
    """清明 (the solar term) in 2000–2099: 4 or 5 April (the 21st-century formula, C = 4.81)."""
    y = year % 100
    return datetime.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@lru_cache(maxsize=32)
def estimated_holidays(year):
    """The statutory holidays of ``year`` by the 放假办法 alone (no 调休): what an unpublished year must assume."""
    from lunardate import LunarDate

    spring = LunarDate(year, 1, 1).to_solar_date()
    days = {datetime.date(year, 1, 1), _qingming(year), datetime.date(year, 5, 1), datetime.date(year, 5, 2)}
    days |= {spring + datetime.timedelta(days=n) for n in range(-1, 3)}  # 除夕 and 正月初一至初三
    days |= {LunarDate(year, 5, 5).to_solar_date(), LunarDate(year, 8, 15).to_solar_date()}
    days |= {datetime.date(year, 10, n) for n in (1, 2, 3)}
    return frozenset(days)


def year_is_known(year):
    """True if the official schedule of ``year`` is in the package or was entered in 节假日与调休."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return year in _years_in_table()
    return True


def is_estimated(*dates):
    """True if any of ``dates`` (a deadline, or the span it was counted over) falls in an estimated year."""
    return any(d is not None and not year_is_known(_as_date(d).year) for d in dates)


def unknown_years(start=None, years_ahead=1):
    """This year and the next ``years_ahead`` whose schedule is not known yet (for the admin's warning)."""
    start = start or datetime.date.today()
    return [y for y in range(start.year, start.year + years_ahead + 1) if not year_is_known(y)]


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
