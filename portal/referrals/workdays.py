"""Working days in Wallonia: Monday to Friday, minus Belgium's public holidays (the ``holidays``
package), dates taken in Europe/Brussels whatever the server's zone."""
from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

from portal.offer.rules import BRUSSELS


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("BE", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def local_date(moment: dt.datetime) -> dt.date:
    """The date in Wallonia of a moment stored as naive UTC."""
    return moment.replace(tzinfo=dt.UTC).astimezone(BRUSSELS).date()


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself does not count)."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to ``end`` included (0 for the same day or before)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
