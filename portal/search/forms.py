"""What the search form shows: choices with plain explanations, and the values to preselect.

Validation is ``filters.parse_filters`` (shared with the API); this module only presents."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "alpha_fr": _l("Alpha for French speakers"),
    "alpha_nf": _l("Alpha for non-French speakers"),
    "fle": _l("French as a foreign language (FLE)"),
    "ran": _l("Brush up (RAN)"),
}
KIND_SHORT = {"alpha_fr": _l("Alpha FR"), "alpha_nf": _l("Alpha NF"), "fle": _l("FLE"), "ran": _l("RAN")}
KIND_HELP = {
    "alpha_fr": _l("You speak French but you did not learn to read and write well at school."),
    "alpha_nf": _l("You do not speak French and you went to school little or not at all."),
    "fle": _l("You do not speak French but you went to school in your language."),
    "ran": _l("You speak French, you went to school, and you want to improve."),
}
LEVEL_LABELS = {
    "alpha": _l("Alpha"), "A1": "A1", "A2": "A2", "B1": "B1", "B2": "B2", "C1": "C1",
}
LEVEL_HELP = {
    "alpha": _l("I cannot read or write yet."),
    "A1": _l("I know a few words and simple sentences."),
    "A2": _l("I can talk about everyday things."),
    "B1": _l("I can manage in most situations."),
    "B2": _l("I can talk easily, also about work."),
    "C1": _l("I speak and write French well."),
}
PART_OF_DAY_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon"), "evening": _l("Evening")}
DAY_LABELS = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
              "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday")}
DAY_SHORT = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"), "fri": _l("Fri"),
             "sat": _l("Sat"), "sun": _l("Sun")}
SECTOR_LABELS = {
    "construction": _l("Construction"), "care": _l("Care and help to people"),
    "cleaning": _l("Cleaning"), "horeca": _l("Hotels and restaurants"), "logistics": _l("Logistics"),
    "retail": _l("Shops"), "industry": _l("Industry"), "agriculture": _l("Agriculture"),
    "transport": _l("Transport"), "it": _l("Computers"), "childcare_work": _l("Working with children"),
    "other": _l("Other sectors"),
}
AUDIENCE_LABELS = {
    "all": _l("Everyone"), "job_seekers": _l("Job seekers"), "cpas": _l("People helped by a CPAS"),
    "newcomers": _l("Newcomers to Belgium"), "women": _l("Women"), "young_adults": _l("Young adults"),
    "workers": _l("Workers"),
}
PREPARES_FOR_LABELS = {
    "qualifying_training_entry_test": _l("the entry test of a vocational training"),
    "skills_validation": _l("skills validation"),
    "ceb": _l("the CEB (primary school certificate)"),
    "citizenship": _l("the citizenship path"),
    "driving_licence_theory": _l("the driving licence theory test"),
    "higher_education": _l("higher education"),
}
SORT_LABELS = {"distance": _l("Nearest first"), "next_entry": _l("Soonest start first"),
               "title": _l("Title (A to Z)")}
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
