"""The entry calendar against hand-computed fixtures (today is 27 November 2026)."""
from __future__ import annotations

import datetime as dt

import pytest

from portal.cadastre.calendar import days_covered, entry_calendar, months_from
from tests import factories as f
from tests.conftest import TODAY

D = dt.date


@pytest.fixture()
def offer(app_context):
    namur = f.site("site-namur", "5000", "Namur")
    liege = f.site("site-liege", "4000", "Liège")
    f.load(f.document(
        f.operator("op-namur", sites=[namur], courses=[
            f.course("fixed-fle", kind="fle", level_min="A1", level_max="A2", entry_mode="fixed", entries=[
                {"start": "2027-01-11", "registration_deadline": "2027-01-04"},
                {"start": "2027-03-01", "status": "full"},
                {"start": "2026-12-07", "status": "waiting_list"},
                {"start": "2026-11-30", "registration_deadline": "2026-11-20"}]),
            f.course("rolling-alpha", kind="alpha_nf", level_min="alpha", level_max="alpha", entry_mode="rolling",
                     active_from="2027-02-10", active_until="2027-04-05"),
            f.course("hidden", kind="fle", level_min="A1", level_max="A1", entry_mode="fixed",
                     confirmed_at="2025-06-01", entries=[{"start": "2027-02-01"}])]),
        f.operator("op-liege", sites=[liege], courses=[
            f.course("fixed-liege", site_ref="site-liege", kind="fle", level_min="A1", level_max="A1",
                     entry_mode="fixed", entries=[{"start": "2027-05-03"}])])))


def row(calendar, kind, level):
    return next(r for r in calendar.rows if (r.kind, r.level) == (kind, level))


def test_months_start_with_this_one():
    months = months_from(TODAY)
    assert len(months) == 12 and months[0] == D(2026, 11, 1) and months[-1] == D(2027, 10, 1)


def test_days_covered_counts_each_day_once_within_the_window():
    assert days_covered([], D(2026, 1, 1), D(2026, 12, 31)) == 0
    assert days_covered([(D(2025, 12, 20), D(2026, 1, 10)), (D(2026, 1, 5), D(2026, 1, 6)),
                         (D(2026, 1, 8), D(2026, 1, 12)), (D(2026, 12, 30), D(2027, 2, 1)),
                         (D(2026, 3, 2), D(2026, 3, 1))], D(2026, 1, 1), D(2026, 12, 31)) == 12 + 2


def test_a_bassins_calendar(offer):
    calendar = entry_calendar(TODAY, bassin="Namur")
    assert len(calendar.rows) == 4 * 6
    fle_a1 = row(calendar, "fle", "A1")
    # December: the waiting-list entry; January: the open one; March is full; the hidden course
    # and the entry whose deadline passed do not count.
    assert fle_a1.per_month == (0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert row(calendar, "fle", "A2").per_month == fle_a1.per_month  # a course counts in each level
    assert row(calendar, "fle", "B1").per_month == (0,) * 12
    # Can start within 30 days: 27 Nov–7 Dec (the 7 December entry), 12 Dec–4 Jan (until the
    # 11 January entry's deadline).
    assert fle_a1.start_days == 11 + 24
    assert round(fle_a1.start_share, 3) == round(35 / 365, 3)
    assert fle_a1.empty_months == (0, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    alpha = row(calendar, "alpha_nf", "alpha")
    assert alpha.per_month == (0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0)  # active 10 February–5 April
    assert alpha.start_days == 21 + 28 + 31 + 5  # from 11 January (30 days before) to 5 April


def test_every_bassin(offer):
    fle_a1 = row(entry_calendar(TODAY), "fle", "A1")
    assert fle_a1.per_month == (0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    assert fle_a1.start_days == 35 + 31  # 3 April–3 May for Liège's entry
    assert row(entry_calendar(TODAY, bassin="Liège"), "fle", "A2").per_month == (0,) * 12


def test_a_rolling_course_without_dates_is_open_every_month_and_every_day(app_context):
    f.load_courses(f.course("always", kind="ran", level_min="B2", level_max="C1"))
    ran = row(entry_calendar(TODAY), "ran", "C1")
    assert ran.per_month == (1,) * 12 and ran.start_days == 365 and ran.empty_months == ()
