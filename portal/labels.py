"""Every code's words, in one place: a short label, a plain explanation that a learner can read, and
the name of its pictogram, all translated when shown.

The code lists stay where the rules use them (``offer/codes.py``, ``offer/rules.py``, …): each table
here gives the words of exactly one of them, in its order, and the section comment names where the
lists live (``tests/test_labels.py`` pairs every table with its list and checks it). This module
imports none of them, so that any module may import it. Forms, chips, tables, the history and the
templates (as the Jinja global ``labels``) take their words from here.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

Text = str | LazyString


@dataclass(frozen=True)
class Label:
    """The words of one code. Pictograms are stable names (``_macros/icons.html`` draws some)."""

    code: str
    short: Text
    explanation: Text = ""
    pictogram: str = ""
    abbreviation: Text | None = None  # where room is short (cards): "Alpha FR", "Mon"; else the short label
    in_sentence: Text | None = None  # inside a sentence, in the case the language wants; else the short label

    def __post_init__(self) -> None:
        for name in ("abbreviation", "in_sentence"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, self.short)

    def __str__(self) -> str:
        return str(self.short)

    def __html__(self) -> Markup:
        # As the translated string itself renders (flask_babel's lazy strings are trusted).
        html = getattr(self.short, "__html__", None)
        return Markup(html()) if html else escape(self.short)


class Table(Mapping[str, Label]):
    """The labels of one code list, in the list's order."""

    def __init__(self, *labels: Label):
        self._labels = {label.code: label for label in labels}

    def __getitem__(self, code: str) -> Label:
        return self._labels[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def label(table: Mapping[str, Label], code: str) -> str:
    """The short label of ``code``, or the code itself when the table does not know it (old data)."""
    found = table.get(code)
    return str(found.short) if found is not None else str(code)


def choices(table: Mapping[str, Label], only: tuple[str, ...] | None = None) -> list[SelectChoice]:
    """WTForms choices (code, short label, translated when the form is shown): the table's codes,
    or ``only`` these, in this order."""
    return [SelectChoice(code, table[code].short) for code in (table if only is None else only)]


_L = Label  # the tables below, one entry a line or two

# -- offer/codes.py: KINDS is COURSE_KINDS, the others have the names of their lists ---
KINDS = Table(
    _L("alpha_fr", _l("Learn to read and write (I speak French)"),
      _l("You speak French but you did not learn to read and write well at school."), "pencil",
      abbreviation=_l("Alpha FR")),
    _L("alpha_nf", _l("Learn French and learn to read and write"),
      _l("You do not speak French and you went to school little or not at all."), "alphabet",
      abbreviation=_l("Alpha NF")),
    _L("fle", _l("Learn French (FLE)"),
      _l("You do not speak French but you went to school in your language."), "speech", abbreviation=_l("FLE")),
    _L("ran", _l("Brush up French and maths (RAN)"),
      _l("You speak French, you went to school, and you want to improve."), "book", abbreviation=_l("RAN")),
)
LEVELS = Table(
    _L("alpha", _l("Alpha"), _l("I cannot read or write yet."), "level-alpha"),
    _L("A1", _l("A1"), _l("I know a few words and simple sentences."), "level-a1"),
    _L("A2", _l("A2"), _l("I can talk about everyday things."), "level-a2"),
    _L("B1", _l("B1"), _l("I can manage in most situations."), "level-b1"),
    _L("B2", _l("B2"), _l("I can talk easily, also about work."), "level-b2"),
    _L("C1", _l("C1"), _l("I speak and write French well."), "level-c1"),
)
OPERATOR_KINDS = Table(
    _L("asbl", _l("Non-profit association (ASBL)"), _l("An association that does not work for profit."), "association"),
    _L("cisp", _l("CISP (socio-professional integration centre)"),
      _l("A centre that helps people towards training and work."), "job"),
    _L("promotion_sociale", _l("Adult education school (promotion sociale)"),
      _l("A school for adults, with courses in the day or in the evening."), "school"),
    _L("lire_et_ecrire", _l("Lire et Écrire"), _l("An association that teaches adults to read and write."), "book"),
    _L("cpas", _l("CPAS"), _l("The public centre for social help of your commune."), "help"),
    _L("cri", _l("Regional integration centre (CRI)"), _l("A centre that helps newcomers to settle in Wallonia."),
      "welcome"),
    _L("forem", _l("Forem"), _l("The public service for jobs and training in Wallonia."), "job-search"),
    _L("commune", _l("Municipality"), _l("The administration of a town or a village."), "town-hall"),
    _L("other", _l("Other"), _l("Another kind of organisation."), "building"),
)
SECTORS = Table(
    _L("construction", _l("Construction"), _l("Building houses, roads and other works."), "helmet"),
    _L("care", _l("Care and help to people"), _l("Helping old, sick or disabled people."), "heart"),
    _L("cleaning", _l("Cleaning"), _l("Cleaning offices, houses and other places."), "broom"),
    _L("horeca", _l("Hotels and restaurants"), _l("Working in hotels, restaurants and cafés."), "cutlery"),
    _L("logistics", _l("Logistics"), _l("Storing, packing and sending goods."), "box"),
    _L("retail", _l("Shops"), _l("Selling in shops and markets."), "shop"),
    _L("industry", _l("Industry"), _l("Working in factories."), "factory"),
    _L("agriculture", _l("Agriculture"), _l("Working on farms, in fields and in gardens."), "tractor"),
    _L("transport", _l("Transport"), _l("Driving people or goods."), "truck"),
    _L("it", _l("Computers"), _l("Working with computers."), "computer"),
    _L("childcare_work", _l("Working with children"), _l("Taking care of children, for example in a crèche."),
      "child"),
    _L("other", _l("Other sectors"), _l("Jobs in other sectors."), "more"),
)
PREPARES_FOR = Table(
    _L("qualifying_training_entry_test", _l("the entry test of a vocational training"),
      _l("The test to start a training for a job."), "test"),
    _L("skills_validation", _l("skills validation"),
      _l("A test that gives you an official paper for what you can already do at work."), "certificate"),
    _L("ceb", _l("the CEB (primary school certificate)"), _l("The certificate of primary school, for adults too."),
      "diploma"),
    _L("citizenship", _l("the citizenship path"), _l("The steps for newcomers to settle in Belgium."), "id-card"),
    _L("driving_licence_theory", _l("the driving licence theory test"), _l("The written test of the driving licence."),
      "car"),
    _L("higher_education", _l("higher education"), _l("Studies after secondary school."), "graduation"),
)
AUDIENCES = Table(
    _L("all", _l("Everyone"), _l("The course is open to everyone."), "people"),
    _L("job_seekers", _l("Job seekers"), _l("People who look for a job."), "job-search"),
    _L("cpas", _l("People helped by a CPAS"), _l("People who get help from a CPAS."), "help"),
    _L("newcomers", _l("Newcomers to Belgium"), _l("People who came to Belgium recently."), "suitcase"),
    _L("women", _l("Women"), _l("The course is for women only."), "woman"),
    _L("young_adults", _l("Young adults"), _l("Young people who have just become adults."), "young-person"),
    _L("workers", _l("Workers"), _l("People who have a job."), "worker"),
)
# A day needs no explanation.
DAYS = Table(
    _L("mon", _l("Monday"), "", "calendar", abbreviation=_l("Mon")),
    _L("tue", _l("Tuesday"), "", "calendar", abbreviation=_l("Tue")),
    _L("wed", _l("Wednesday"), "", "calendar", abbreviation=_l("Wed")),
    _L("thu", _l("Thursday"), "", "calendar", abbreviation=_l("Thu")),
    _L("fri", _l("Friday"), "", "calendar", abbreviation=_l("Fri")),
    _L("sat", _l("Saturday"), "", "calendar", abbreviation=_l("Sat")),
    _L("sun", _l("Sunday"), "", "calendar", abbreviation=_l("Sun")),
)
PARTS_OF_DAY = Table(
    _L("morning", _l("Morning"), _l("The course is in the morning."), "sunrise", in_sentence=_l("morning")),
    _L("afternoon", _l("Afternoon"), _l("The course is in the afternoon."), "sun", in_sentence=_l("afternoon")),
    _L("evening", _l("Evening"), _l("The course is in the evening, often after work."), "moon",
      in_sentence=_l("evening")),
)
REGISTRATION_MODES = Table(
    _L("direct", _l("Contact the operator"), _l("Contact the operator."), "phone"),
    _L("shared_intake", _l("Shared intake desk of the area"),
      _l("Registration goes through the shared intake desk of the area."), "desk"),
)
ENTRY_MODES = Table(
    _L("fixed", _l("Fixed start dates"), _l("The course starts on set dates. Register before one of them."),
      "calendar"),
    _L("rolling", _l("Start any day (rolling entry)"), _l("You can start on any day."), "repeat"),
)
ENTRY_STATUSES = Table(
    _L("open", _l("Open"), _l("There are places. You can register."), "door-open", in_sentence=_l("places open")),
    _L("waiting_list", _l("Waiting list"), _l("The course is full, but you can put your name on a list and wait "
                                             "for a place."), "hourglass", in_sentence=_l("waiting list")),
    _L("full", _l("Full"), _l("There is no place left."), "door-closed", in_sentence=_l("full")),
)
COURSE_STATUSES = Table(
    _L("draft", _l("Not public yet"), _l("A draft: only your team sees it. Publish it when it is ready."),
       "pencil"),
    _L("published", _l("Published"), _l("Everyone can find the course in the search."), "eye"),
    _L("archived", _l("Archived"), _l("No longer public. The course stays in your list, with its history."),
      "archive"),
)

# -- offer/rules.py: ENTRY_STATES, ENTRIES_STATES, AVAILABILITIES, FRESHNESS ---
_CLOSED = _l("The date to register has passed for every coming session.")
_ALL_FULL = _l("Every coming session is full.")
ENTRY_STATES = Table(
    *ENTRY_STATUSES.values(),
    _L("closed", _l("Registrations closed"), _l("The date to register has passed."), "lock"),
)
ENTRIES_STATES = Table(
    _L("joinable", _l("Open for registration"), _l("You can register for the next session."), "door-open"),
    _L("registration_closed", _l("Registrations closed"), _CLOSED, "lock"),
    _L("full", _l("Full"), _ALL_FULL, "door-closed"),
    _L("none", _l("No start date known yet"), _l("The operator has not given a start date yet. Ask them."),
      "question"),
)
# The shapes repeat the colours of the cards and the map (site.css).
AVAILABILITIES = Table(
    _L("soon", _l("Can start within a month"), _l("A session with free places starts within a month."), "circle"),
    _L("waiting_list", _l("Waiting list only"), _l("The next session is full, but it has a waiting list."),
      "square"),
    _L("later", _l("Later start"), _l("The next session starts in more than a month, or its date is not known yet."),
      "triangle"),
    _L("closed", _l("Registrations closed"), _CLOSED, "diamond"),
    _L("full", _l("Full"), _ALL_FULL, "bar"),
)
FRESHNESS = Table(
    _L("fresh", _l("Fresh"), _l("The operator confirmed the course recently."), "check",
      in_sentence=_l("confirmed recently")),
    _L("ageing", _l("Stale soon"), _l("Confirm the course soon, or the public sees it as not confirmed."), "clock",
      in_sentence=_l("stale soon")),
    _L("stale", _l("Stale"), _l("Not confirmed for a long time: the public sees a warning."), "warn",
      in_sentence=_l("shown as stale")),
    _L("hidden", _l("Hidden"), _l("Not confirmed for more than a year: the course is no longer in the public "
                                 "search."), "eye-off", in_sentence=_l("hidden from the public")),
)

# -- search/filters.py: SORTS ---
SORTS = Table(
    _L("distance", _l("Nearest first"), _l("The courses closest to your place come first."), "place"),
    _L("next_entry", _l("Soonest start first"), _l("The courses that start first come first."), "calendar"),
    _L("title", _l("Title (A to Z)"), _l("The courses in the order of their titles."), "sort-alpha"),
)

# -- offer/exchange.py: COURSE_KEYS, ENTRY_KEYS (a course's fields, exchange format words)
COURSE_FIELDS = Table(
    _L("ref", _l("Reference"), _l("The course's identifier, used by files and links."), "tag"),
    _L("site", _l("Place"), _l("Where the course happens."), "place"),
    _L("title", _l("Title"), _l("The name of the course, as learners see it."), "text"),
    _L("kind", _l("Kind of course"), _l("For whom the course is made: Alpha, FLE or RAN."), "book"),
    _L("level_min", _l("Lowest level"), _l("The lowest level of French the course takes."), "level"),
    _L("level_max", _l("Highest level"), _l("The highest level of French the course takes."), "level"),
    _L("level_note", _l("Level, in your words (optional)"), _l("The level in your own words, or the test you use."),
      "text"),
    _L("registration", _l("How to register"),
      _l("Directly with the operator, or through the shared intake desk of the area."), "phone"),
    _L("registration_note", _l("Where and how to register (optional)"), _l("For example: call on Monday morning."),
      "text"),
    _L("job_oriented", _l("Towards a job"), _l("The course prepares for work."), "job"),
    _L("sectors", _l("Job sector"), _l("The sectors of work the course prepares for."), "job"),
    _L("prepares_for", _l("Prepares for"), _l("A test, a training or a step the course prepares for."), "target"),
    _L("description", _l("Description"), _l("What learners do in the course, in plain words."), "text"),
    _L("days", _l("Days"), _l("The days of the week with a lesson."), "calendar"),
    _L("parts_of_day", _l("Part of the day"), _l("Morning, afternoon or evening."), "clock"),
    _L("hours_per_week", _l("Hours a week"), _l("How many hours of lessons each week."), "clock"),
    _L("cost_eur", _l("Cost in euros (0 = free)"), _l("What the course costs the learner."), "euro"),
    _L("childcare", _l("Childcare"), _l("Someone looks after the children during the lessons."), "child"),
    _L("audiences", _l("The course is for"), _l("The people the course is open to."), "people"),
    _L("requires_job_seeker_registration", _l("Forem registration needed"),
      _l("Only people registered at the Forem can join."), "doc"),
    _L("requires_valid_residence_permit", _l("Residence permit needed"),
      _l("Only people with a valid residence permit can join."), "doc"),
    _L("entry_test", _l("Level test first"), _l("Learners take a test before they start."), "test"),
    _L("entry_mode", _l("Entries"), _l("On set dates, or on any day."), "calendar"),
    _L("entries", _l("Start dates"), _l("The days when a new session starts."), "calendar"),
    _L("active_from", _l("Rolling entry: from"), _l("The first day one can start."), "calendar"),
    _L("active_until", _l("Rolling entry: until"), _l("The last day one can start."), "calendar"),
    _L("confirmed_at", _l("Last confirmed"), _l("The last day the operator said the course is still right."),
      "check"),
    _L("status", _l("Status"), _l("Published, draft or archived."), "eye"),
)
ENTRY_FIELDS = Table(
    _L("start", _l("Start"), _l("The first day of the session."), "calendar"),
    _L("end", _l("End"), _l("The last day of the session."), "calendar"),
    _L("registration_deadline", _l("Register before"), _l("The last day to register."), "calendar"),
    _L("status", _l("Places"), _l("Open, waiting list or full."), "door-open"),
)
# Which table names the values of a course field.
FIELD_VALUES: dict[str, Table] = {
    "kind": KINDS, "level_min": LEVELS, "level_max": LEVELS, "registration": REGISTRATION_MODES,
    "sectors": SECTORS, "prepares_for": PREPARES_FOR, "days": DAYS, "parts_of_day": PARTS_OF_DAY,
    "audiences": AUDIENCES, "entry_mode": ENTRY_MODES, "status": COURSE_STATUSES,
}

# -- cadastre/coverage.py: SHARES (what the cadastre counts a share of the offer for; the course's own words) ---
COVERAGE_SHARES = Table(
    _L("evening", _l("In the evening"), PARTS_OF_DAY["evening"].explanation, "moon"),
    _L("saturday", _l("On Saturday"), _l("The course has lessons on Saturday."), "calendar"),
    _L("childcare", _l("With childcare"), COURSE_FIELDS["childcare"].explanation, "child"),
    _L("free", _l("Free"), _l("The course costs the learner nothing."), "euro"),
    _L("job_oriented", COURSE_FIELDS["job_oriented"].short, COURSE_FIELDS["job_oriented"].explanation, "job"),
)

# -- offer/history.py: SOURCES, ACTIONS ---
CHANGE_SOURCES = Table(
    _L("form", _l("course form"), _l("Someone saved the course form."), "form"),
    _L("file", _l("file import"), _l("Someone imported a file of courses."), "file"),
    _L("bassin", _l("bassin import"), _l("A coordinator imported the file of a whole bassin."), "file"),
    _L("confirm", _l("\u201ceverything is still correct\u201d"),
      _l("Someone confirmed that the courses are still right."), "check"),
    _L("cli", _l("command-line import"), _l("An administrator imported a file on the server."), "terminal"),
    _L("demo", _l("demo data"), _l("The demonstration data were loaded."), "demo"),
)
CHANGE_ACTIONS = Table(
    _L("created", _l("Created"), _l("The course was added."), "plus"),
    _L("updated", _l("Changed"), _l("Some details of the course changed."), "pencil"),
    _L("confirmed", _l("Confirmed"), _l("The course was confirmed as still right."), "check"),
)

# -- accounts/models.py: ROLES; accounts/admin.py: ACTIONS, SOURCES ---
ROLES = Table(
    _L("operator", _l("Operator"), _l("Keeps the courses of one organisation up to date."), "building"),
    _L("coordinator", _l("Coordinator"), _l("Follows the operators of one bassin and validates their sign-ups."),
      "map"),
    _L("admin", _l("Administrator"), _l("Manages the whole portal and its accounts."), "key"),
    _L("social_worker", _l("Social worker"),
      _l("Orients people towards courses for a service and follows their referrals."), "people"),
)
ACCOUNT_EVENTS = Table(
    _L("disabled", _l("disabled"), _l("The account can no longer sign in."), "lock"),
    _L("enabled", _l("enabled again"), _l("The account can sign in again."), "unlock"),
    _L("second_factor_reset", _l("second factor reset"),
      _l("The owner sets up a new second factor at the next sign-in."), "key"),
    _L("access_removed", _l("access removed by a colleague"),
      _l("A colleague removed this account from the organisation."), "user-remove"),
)
ACCOUNT_EVENT_SOURCES = Table(
    _L("web", _l("workspace"), _l("Done in the workspace."), "browser"),
    _L("cli", _l("command line"), _l("Done on the server by an administrator."), "terminal"),
)


# -- guide/deduction.py: SPEAK, READ, GOALS, TIMES, CHILDCARE (the guided route's answers: the words
# of its buttons, and in the first person what the person said) ---
GUIDE_SPEAK = Table(
    _L("none", _l("Not at all"), _l("I do not speak French."), "speak-none"),
    _L("little", _l("A little"), _l("I know a few words."), "speak-little"),
    _L("well", _l("Well"), _l("I speak French well."), "speak-well"),
)
GUIDE_READ = Table(
    _L("yes", _l("Yes"), _l("I read and write well."), "read-yes"),
    _L("little", _l("A little"), _l("I read and write a little."), "read-little"),
    _L("no", _l("No"), _l("I cannot read or write."), "read-no"),
)
GUIDE_GOALS = Table(
    _L("daily", _l("Daily life"), _l("To talk with people, go to the doctor, help my children."), "home"),
    _L("job", _l("A job"), _l("To find work, or for my work."), "job"),
    _L("training", _l("A training"), _l("To start a training for a job."), "training"),
    _L("nationality", _l("Belgian nationality"), _l("To ask for Belgian nationality."), "id-card"),
)
GUIDE_TIMES = Table(
    _L("morning", _l("Morning"), _l("I am free in the morning."), "sunrise", in_sentence=_l("in the morning")),
    _L("afternoon", _l("Afternoon"), _l("I am free in the afternoon."), "sun", in_sentence=_l("in the afternoon")),
    _L("evening", _l("Evening"), _l("I am free in the evening."), "moon", in_sentence=_l("in the evening")),
    _L("weekend", _l("Weekend"), _l("I am free on Saturday or Sunday."), "calendar",
      in_sentence=_l("at the weekend")),
    _L("any", _l("Any time"), _l("I am free at any time."), "clock", in_sentence=_l("at any time")),
)
GUIDE_CHILDCARE = Table(
    _L("yes", _l("Yes"), _l("I need someone to look after my children."), "child"),
    _L("no", _l("No"), _l("I do not need childcare."), "child-no"),
)
# -- referrals/codes.py: SERVICE_KINDS, STATUSES, OUTCOMES ---
SERVICE_KINDS = Table(
    _L("cpas", _l("CPAS"), _l("Public social welfare centre of a commune."), "building"),
    _L("forem", _l("Forem office"), _l("The public employment and training service."), "building"),
    _L("cri", _l("CRI (regional integration centre)"), _l("Welcomes newcomers and guides their integration."),
      "building"),
    _L("mire", _l("MIRE"), _l("Helps people towards a job."), "building"),
    _L("association", _l("Association"), _l("An association (ASBL) that helps people."), "building"),
    _L("other", _l("Other service"), _l("Another service that orients people."), "building"),
)
REFERRAL_STATUSES = Table(
    _L("sent", _l("Waiting for the operator's answer"), _l("The operator has not answered yet."), "clock"),
    _L("will_call", _l("The operator will call the person"), _l("The operator will call the person back."),
      "phone"),
    _L("accepted", _l("Accepted"), _l("The person has a place in the course."), "check"),
    _L("waiting_list", _l("On the waiting list"), _l("The person waits for a place."), "clock"),
    _L("not_suitable", _l("Not suitable"), _l("The course does not suit the person; the operator says why."),
      "warn"),
    _L("no_answer", _l("Closed: no answer"), _l("The operator did not answer within 30 days."), "lock"),
)
REFERRAL_OUTCOMES = Table(
    *(REFERRAL_STATUSES[code] for code in ("will_call", "accepted", "waiting_list", "not_suitable", "no_answer")),
    _L("withdrawn", _l("Withdrawn"), _l("Deleted by the social worker before any answer."), "trash"),
)
