"""What the search form shows beyond the codes' words (those are ``portal.labels``): the distances,
the "I can start" dates, and the values to preselect.

Validation is ``filters.parse_filters`` (shared with the API); this module only presents."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

RADIUS_CHOICES = ("5", "10", "15", "25", "50")
DEFAULT_RADIUS = "15"


@dataclass(frozen=True)
class StartChoice:
    value: str
    label: str


def start_choices(today: dt.date, current: str) -> list[StartChoice]:
    """"I can start": options are dates, so the URL stays the API's ``start_until``."""
    choices = [StartChoice("", str(_l("Any time")))]
    for days, label in ((14, _l("Now (within 2 weeks)")), (31, _l("Within a month")),
                        (92, _l("Within 3 months"))):
        choices.append(StartChoice((today + dt.timedelta(days=days)).isoformat(), str(label)))
    if current and current not in {c.value for c in choices}:
        try:
            day = dt.date.fromisoformat(current)
            choices.append(StartChoice(current, str(_l("By %(date)s", date=format_date(day, "long")))))
        except ValueError:
            choices.append(StartChoice(current, current))
    return choices


class FormValues:
    """The values the form shows: what was typed (kept even when invalid), or the defaults."""

    def __init__(self, args: Mapping[str, str], first_visit: bool):
        self._args = args
        self.first_visit = first_visit

    def get(self, name: str) -> str:
        return (self._args.get(name) or "").strip()

    def many(self, name: str) -> list[str]:
        getlist = getattr(self._args, "getlist", None)
        values = getlist(name) if getlist else [self._args.get(name, "")]
        return [item.strip() for value in values for item in (value or "").split(",") if item.strip()]

    @property
    def radius(self) -> str:
        return DEFAULT_RADIUS if self.first_visit else self.get("radius_km")

    def checked(self, name: str, value: str = "1") -> bool:
        return value in self.many(name)
