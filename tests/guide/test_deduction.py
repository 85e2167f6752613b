"""The guided route's deduction (portal/guide/deduction.py), row by row: each row of each table has
its case here, written out (not read from the module), and missing or unknown answers restrict
nothing."""
from __future__ import annotations

import itertools

import pytest

from portal import labels
from portal.guide import deduction
from portal.guide.deduction import Deduction, deduce
from portal.offer import codes

# (speak, read) → kinds, level: domain.md's kinds, a level of its scale.
COURSE_ROWS = [
    ("none", "no", ("alpha_nf",), "alpha"),
    ("none", "little", ("alpha_nf",), "alpha"),
    ("none", "yes", ("fle",), "A1"),
    ("little", "no", ("alpha_nf",), "alpha"),
    ("little", "little", ("alpha_nf", "fle"), "A1"),
    ("little", "yes", ("fle",), "A1"),
    ("well", "no", ("alpha_fr",), "alpha"),
    ("well", "little", ("alpha_fr",), "A1"),
    ("well", "yes", ("fle", "ran"), "B1"),
]
GOAL_ROWS = [("daily", False), ("job", True), ("training", True), ("nationality", False)]
TIME_ROWS = [
    ("morning", ("morning",), ()),
    ("afternoon", ("afternoon",), ()),
    ("evening", ("evening",), ()),
    ("weekend", (), ("sat", "sun")),
    ("any", (), ()),
]
CHILDCARE_ROWS = [("yes", True), ("no", False)]


@pytest.mark.parametrize(("speak", "read", "kinds", "level"), COURSE_ROWS)
def test_speaking_and_reading_give_the_kinds_and_one_level(speak, read, kinds, level):
    found = deduce({"speak": speak, "read": read})
    assert (found.kinds, found.level) == (kinds, level)
    # Nothing else follows from these two answers.
    assert (found.job_oriented, found.parts_of_day, found.days, found.childcare) == (False, (), (), False)


@pytest.mark.parametrize(("goal", "job_oriented"), GOAL_ROWS)
def test_the_goal_says_whether_the_course_leads_towards_a_job(goal, job_oriented):
    assert deduce({"goal": goal}) == Deduction(job_oriented=job_oriented)


@pytest.mark.parametrize(("time", "parts_of_day", "days"), TIME_ROWS)
def test_the_free_time_gives_the_part_of_the_day_or_the_days(time, parts_of_day, days):
    found = deduce({"time": time})
    assert found == Deduction(parts_of_day=parts_of_day, days=days)
    assert found.has_time is bool(parts_of_day or days)


@pytest.mark.parametrize(("answer", "childcare"), CHILDCARE_ROWS)
def test_childcare(answer, childcare):
    assert deduce({"childcare": answer}) == Deduction(childcare=childcare)


def test_every_row_of_every_table_has_a_case_and_every_answer_a_row():
    assert {(s, r) for s, r, _k, _l in COURSE_ROWS} == set(deduction.COURSES) == set(
        itertools.product(deduction.SPEAK, deduction.READ))
    assert [goal for goal, _j in GOAL_ROWS] == list(deduction.JOB_ORIENTED) == list(deduction.GOALS)
    assert [time for time, _p, _d in TIME_ROWS] == list(deduction.SCHEDULES) == list(deduction.TIMES)
    assert [answer for answer, _c in CHILDCARE_ROWS] == list(deduction.NEEDS_CHILDCARE) == list(deduction.CHILDCARE)


def test_the_table_speaks_the_search_codes():
    for kinds, level in deduction.COURSES.values():
        assert kinds and set(kinds) <= set(codes.COURSE_KINDS) and level in codes.LEVELS
    for parts_of_day, days in deduction.SCHEDULES.values():
        assert set(parts_of_day) <= set(codes.PARTS_OF_DAY) and set(days) <= set(codes.DAYS)


def test_a_whole_set_of_answers():
    assert deduce({"speak": "little", "read": "little", "goal": "training", "time": "weekend",
                   "childcare": "yes"}) == Deduction(kinds=("alpha_nf", "fle"), level="A1", job_oriented=True,
                                                     days=("sat", "sun"), childcare=True)


@pytest.mark.parametrize("answers", [
    {},
    {"speak": None, "read": None, "goal": None, "time": None, "childcare": None},
    {"speak": "", "read": "", "goal": "", "time": "", "childcare": ""},
    {"speak": "fluent", "read": "yes", "goal": "fun", "time": "night", "childcare": "maybe"},
    {"speak": "none"},  # one half of a row is no row
    {"read": "yes"},
    {"speak": "NONE", "read": "YES"},  # codes are exact
], ids=["nothing", "none", "empty", "unknown", "speak-only", "read-only", "case"])
def test_missing_or_unknown_answers_restrict_nothing(answers):
    assert deduce(answers) == Deduction()


def test_the_answers_are_the_words_of_the_catalogue():
    for table, answers in ((labels.GUIDE_SPEAK, deduction.SPEAK), (labels.GUIDE_READ, deduction.READ),
                           (labels.GUIDE_GOALS, deduction.GOALS), (labels.GUIDE_TIMES, deduction.TIMES),
                           (labels.GUIDE_CHILDCARE, deduction.CHILDCARE)):
        assert tuple(table) == answers
