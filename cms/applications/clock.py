"""The statutory clock of a request (Art. 30, 32, 33 of the Regulation; 国办函〔2020〕109号).

Dates follow the rule for periods counted "from" a day: the day itself is not counted, the next working day is day
one (``cms.core.workdays.add_working_days``). So a request received on a Monday with no holidays around is due on the
Monday four weeks later (20 working days).

- The clock starts on 收到申请之日 (Art. 31) and restarts on the day a 补正 arrives (Art. 30); while the applicant
  is supplementing, it does not run at all.
- The limit is 20 working days, plus an approved extension of at most 20 (Art. 33).
- A pause (consulting a third party or another agency, Art. 32–34; a fee notice until payment, 109号) starts on the
  day the letter goes out and ends on the day the answer (or the payment) arrives. The working days after the
  start, up to and including the end, do not count: the deadline moves by exactly the working days spent
  waiting. While a pause is open the deadline is unknown; the working days left are known.
"""

import datetime
from dataclasses import dataclass

from cms.core.workdays import is_workday

BASE_LIMIT = 20
MAX_EXTENSION = 20
SUPPLEMENT_NOTICE_LIMIT = 7  # 补正 must be asked for within 7 working days of receipt (Art. 30)
CONSULTATION_LIMIT = (
    15  # a third party (Art. 32) or co-producing agency (Art. 34) answers within 15 working days
)

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    started_on: datetime.date
    ended_on: datetime.date | None = None

    def covers(self, day):
        return self.started_on < day and (self.ended_on is None or day <= self.ended_on)


@dataclass(frozen=True)
class ClockReading:
    """The clock on a given day: the deadline (None while paused), and working days used and left."""

    start: datetime.date
    limit: int
    due: datetime.date | None
    used: int
    left: int
    paused: bool
    overdue: bool


def _counts(day, pauses):
    return is_workday(day) and not any(p.covers(day) for p in pauses)


def due_date(start, limit, pauses=()):
    """The last day to reply, or None while a pause is open."""
    if any(p.ended_on is None for p in pauses):
        return None
    day, n = start, limit
    while n > 0:
        day += ONE_DAY
        if _counts(day, pauses):
            n -= 1
    return day


def running_days(start, end, pauses=()):
    """Working days the clock ran after ``start`` up to and including ``end``."""
    days, day = 0, start
    while day < end:
        day += ONE_DAY
        if _counts(day, pauses):
            days += 1
    return days


def days_left(due, today):
    """Working days from ``today`` to the deadline ``due``; negative (at least -1) once it has passed."""
    if today <= due:
        return running_days(today, due)
    return -max(running_days(due, today), 1)


def read(start, limit, pauses=(), today=None):
    """The clock on ``today``. ``left`` is negative once the deadline has passed (working days overdue)."""
    today = today or datetime.date.today()
    pauses = tuple(pauses)
    due = due_date(start, limit, pauses)
    used = running_days(start, today, pauses)
    if due is not None and today > due:
        left = -running_days(due, today, pauses)
    else:
        left = limit - used
    return ClockReading(
        start=start,
        limit=limit,
        due=due,
        used=used,
        left=left,
        paused=due is None,
        overdue=due is not None and today > due,
    )
