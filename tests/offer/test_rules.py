"""Unit tests of portal/offer/rules.py and codes.py on in-memory objects (no database)."""
from __future__ import annotations

import datetime as dt

import pytest

from portal.offer import codes, rules
from portal.offer.models import Course, Entry
from portal.offer.rules import NextEntry

TODAY = dt.date(2026, 11, 27)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def fixed(*entries: tuple) -> Course:
    """A fixed course whose entries start ``offset`` days from TODAY with ``status`` (and, when a
    third number is given, a registration deadline that many days from TODAY)."""
    return Course(entry_mode="fixed", entries=[
        Entry(start=day(offset), status=status, registration_deadline=day(rest[0]) if rest else None)
        for offset, status, *rest in entries])


def rolling(active_from: dt.date | None = None, active_until: dt.date | None = None) -> Course:
    return Course(entry_mode="rolling", active_from=active_from, active_until=active_until)


def confirmed(days_ago: int, status: str = "published") -> Course:
    return Course(status=status, confirmed_at=TODAY - dt.timedelta(days=days_ago))


# -- codes --------------------------------------------------------------------------------------
def test_levels_are_ordered_alpha_to_c1():
    assert [codes.level_rank(level) for level in ("alpha", "A1", "A2", "B1", "B2", "C1")] == [0, 1, 2, 3, 4, 5]


def test_level_rank_rejects_unknown_level():
    with pytest.raises(ValueError):
        codes.level_rank("B3")


@pytest.mark.parametrize("learner, expected", [
    ("alpha", False), ("A1", True), ("A2", True), ("B1", True), ("B2", False), ("C1", False),
])
def test_level_match_is_inclusive_on_both_bounds(learner, expected):
    rank = codes.level_rank
    assert rules.level_matches(rank(learner), rank("A1"), rank("B1")) is expected


def test_level_match_single_level_course():
    rank = codes.level_rank
    assert rules.level_matches(rank("alpha"), rank("alpha"), rank("alpha"))
    assert not rules.level_matches(rank("A1"), rank("alpha"), rank("alpha"))


@pytest.mark.parametrize("all_codes", [
    codes.SECTORS, codes.PREPARES_FOR, codes.AUDIENCES, codes.DAYS, codes.PARTS_OF_DAY,
])
def test_masks_round_trip_every_subset_shape(all_codes):
    assert codes.to_mask([], all_codes) == 0
    assert codes.from_mask(0, all_codes) == []
    assert codes.from_mask(codes.to_mask(list(all_codes), all_codes), all_codes) == list(all_codes)
    for i, code in enumerate(all_codes):
        assert codes.to_mask([code], all_codes) == 1 << i
        assert codes.from_mask(1 << i, all_codes) == [code]
    every_other = list(all_codes[::2])
    assert codes.from_mask(codes.to_mask(every_other, all_codes), all_codes) == every_other


def test_mask_gives_canonical_order_and_drops_duplicates():
    mask = codes.to_mask(["sat", "mon", "sat", "wed"], codes.DAYS)
    assert mask == 0b100101
    assert codes.from_mask(mask, codes.DAYS) == ["mon", "wed", "sat"]


def test_mask_rejects_unknown_code():
    with pytest.raises(ValueError):
        codes.to_mask(["monday"], codes.DAYS)


def test_course_list_properties_read_masks():
    course = Course(
        sectors_mask=codes.to_mask(["it", "construction"], codes.SECTORS),
        prepares_for_mask=codes.to_mask(["ceb"], codes.PREPARES_FOR),
        days_mask=codes.to_mask(["sat", "tue"], codes.DAYS),
        parts_of_day_mask=codes.to_mask(["evening", "morning"], codes.PARTS_OF_DAY),
        audiences_mask=codes.to_mask(["women", "all"], codes.AUDIENCES),
        level_min=0, level_max=5,
    )
    assert course.sectors == ["construction", "it"]
    assert course.prepares_for == ["ceb"]
    assert course.days == ["tue", "sat"]
    assert course.parts_of_day == ["morning", "evening"]
    assert course.audiences == ["all", "women"]
    assert (course.level_min_code, course.level_max_code) == ("alpha", "C1")


# -- next entry ---------------------------------------------------------------------------------
def test_next_entry_fixed_earliest_future_start():
    course = fixed((40, "open"), (10, "open"), (20, "open"))
    assert rules.next_entry(course, TODAY) == NextEntry(day(10), "open")


def test_next_entry_fixed_entry_today_counts():
    course = fixed((0, "open"), (5, "open"))
    assert rules.next_entry(course, TODAY) == NextEntry(TODAY, "open")


def test_next_entry_fixed_ignores_past_and_full():
    course = fixed((-1, "open"), (-30, "waiting_list"), (3, "full"), (12, "open"))
    assert rules.next_entry(course, TODAY) == NextEntry(day(12), "open")


def test_next_entry_fixed_reports_waiting_list():
    course = fixed((-3, "open"), (7, "waiting_list"), (30, "open"))
    assert rules.next_entry(course, TODAY) == NextEntry(day(7), "waiting_list")


def test_next_entry_fixed_same_day_prefers_open():
    course = fixed((7, "waiting_list"), (7, "open"))
    assert rules.next_entry(course, TODAY) == NextEntry(day(7), "open")


@pytest.mark.parametrize("entries", [(), ((-1, "open"),), ((5, "full"), (-2, "open"))])
def test_next_entry_fixed_none(entries):
    assert rules.next_entry(fixed(*entries), TODAY) is None


def test_next_entry_rolling_started_is_today():
    assert rules.next_entry(rolling(day(-100), day(100)), TODAY) == NextEntry(TODAY, "open")


def test_next_entry_rolling_future_start_is_active_from():
    assert rules.next_entry(rolling(day(15), day(100)), TODAY) == NextEntry(day(15), "open")


def test_next_entry_rolling_open_ended():
    assert rules.next_entry(rolling(None, None), TODAY) == NextEntry(TODAY, "open")
    assert rules.next_entry(rolling(day(-5), None), TODAY) == NextEntry(TODAY, "open")
    assert rules.next_entry(rolling(day(9), None), TODAY) == NextEntry(day(9), "open")
    assert rules.next_entry(rolling(None, day(3)), TODAY) == NextEntry(TODAY, "open")


def test_next_entry_rolling_ending_today_still_open():
    assert rules.next_entry(rolling(day(-10), TODAY), TODAY) == NextEntry(TODAY, "open")


def test_next_entry_rolling_ended_is_none():
    assert rules.next_entry(rolling(day(-10), day(-1)), TODAY) is None
    assert rules.next_entry(rolling(None, day(-1)), TODAY) is None


# -- joinable entries (registration deadlines) -------------------------------------------------
def test_entry_is_joinable_until_its_deadline_day_included():
    assert rules.is_joinable(Entry(start=day(10), status="open", registration_deadline=day(0)), TODAY)
    assert rules.is_joinable(Entry(start=day(10), status="open", registration_deadline=day(5)), TODAY)
    assert not rules.is_joinable(Entry(start=day(10), status="open", registration_deadline=day(-1)), TODAY)
    assert rules.is_joinable(Entry(start=day(10), status="waiting_list"), TODAY)
    assert not rules.is_joinable(Entry(start=day(10), status="full", registration_deadline=day(5)), TODAY)


def test_next_entry_skips_an_entry_whose_deadline_passed():
    # The field report: "S'inscrire avant le 11 novembre" must not read as open on 30 November.
    course = fixed((3, "open", -19), (60, "open", 40))
    assert rules.next_entry(course, TODAY) == NextEntry(day(60), "open", day(40))
    assert rules.entries_state(course, TODAY) == "joinable"


def test_next_entry_gives_its_deadline():
    assert rules.next_entry(fixed((10, "open", 0)), TODAY) == NextEntry(day(10), "open", TODAY)
    assert rules.next_entry(fixed((10, "waiting_list")), TODAY) == NextEntry(day(10), "waiting_list", None)


def test_same_start_prefers_open_then_no_deadline_then_latest():
    assert rules.next_entry(fixed((7, "open", 2), (7, "open")), TODAY) == NextEntry(day(7), "open")
    assert rules.next_entry(fixed((7, "open", 2), (7, "open", 5)), TODAY) == NextEntry(day(7), "open", day(5))
    assert rules.next_entry(fixed((7, "waiting_list"), (7, "open", 1)), TODAY) == NextEntry(day(7), "open", day(1))


@pytest.mark.parametrize("entries, state", [
    (((3, "open", -19),), "registration_closed"),
    (((3, "waiting_list", -1),), "registration_closed"),
    (((3, "full", -1),), "full"),                       # full says more than closed
    (((3, "full"), (9, "open", -2)), "registration_closed"),
    (((3, "full"), (9, "full")), "full"),
    (((-3, "open"),), "none"),                          # started: not upcoming
    (((-3, "open", -20), (-1, "full")), "none"),
    ((), "none"),
    (((3, "open", -1), (20, "open")), "joinable"),
    (((0, "open", 0),), "joinable"),                    # the deadline is today: still joinable
])
def test_entries_state(entries, state):
    course = fixed(*entries)
    assert rules.entries_state(course, TODAY) == state
    assert (rules.next_entry(course, TODAY) is not None) is (state == "joinable")


def test_entries_state_of_rolling_courses():
    assert rules.entries_state(rolling(day(-5), day(5)), TODAY) == "joinable"
    assert rules.entries_state(rolling(day(-5), day(-1)), TODAY) == "none"


@pytest.mark.parametrize("entries, state, expected", [
    (((3, "open"),), "joinable", "soon"),
    (((3, "waiting_list"),), "joinable", "waiting_list"),
    (((90, "open"),), "joinable", "later"),
    (((3, "open", -1),), "registration_closed", "closed"),
    (((3, "full"),), "full", "full"),
    ((), "none", "later"),
])
def test_availability_of_each_entries_state(entries, state, expected):
    course = fixed(*entries)
    following = rules.next_entry(course, TODAY)
    assert rules.entries_state(course, TODAY) == state
    assert rules.availability(following, TODAY, state) == expected


def test_can_start_between_needs_a_joinable_entry():
    course = fixed((10, "open", -1), (40, "open", 5))
    assert not rules.can_start_between(course, day(0), day(30), TODAY)
    assert rules.can_start_between(course, day(0), day(40), TODAY)
    # The deadline is judged on today, not on the start of the window.
    assert not rules.can_start_between(fixed((10, "open", -1)), day(-30), day(30), TODAY)


# -- can start between --------------------------------------------------------------------------
def test_can_start_between_fixed_inclusive_bounds():
    course = fixed((10, "open"))
    assert rules.can_start_between(course, day(10), day(10), TODAY)
    assert rules.can_start_between(course, day(0), day(10), TODAY)
    assert rules.can_start_between(course, day(10), day(20), TODAY)
    assert not rules.can_start_between(course, day(11), day(20), TODAY)
    assert not rules.can_start_between(course, day(0), day(9), TODAY)


def test_can_start_between_fixed_excludes_full():
    course = fixed((10, "full"), (40, "waiting_list"))
    assert not rules.can_start_between(course, day(0), day(30), TODAY)
    assert rules.can_start_between(course, day(0), day(40), TODAY)


def test_can_start_between_fixed_no_upper_bound():
    course = fixed((300, "open"))
    assert rules.can_start_between(course, TODAY, None, TODAY)
    assert not rules.can_start_between(course, day(301), None, TODAY)
    assert not rules.can_start_between(fixed(), TODAY, None, TODAY)


@pytest.mark.parametrize("active_from, active_until, start_from, start_until, expected", [
    (day(0), day(30), day(10), day(20), True),     # inside
    (day(10), day(20), day(0), day(30), True),     # contains
    (day(0), day(10), day(10), day(20), True),     # touches at the end of the period
    (day(20), day(30), day(10), day(20), True),    # touches at its start
    (day(0), day(9), day(10), day(20), False),     # ended before
    (day(21), day(30), day(10), day(20), False),   # starts after
    (None, day(9), day(10), day(20), False),       # open start, ended before
    (None, day(10), day(10), day(20), True),
    (day(21), None, day(10), day(20), False),      # open end, starts after
    (day(20), None, day(10), day(20), True),
    (None, None, day(10), day(20), True),
    (day(500), None, day(10), None, True),         # no upper bound
    (day(500), day(600), day(601), None, False),
])
def test_can_start_between_rolling_overlap(active_from, active_until, start_from, start_until, expected):
    course = rolling(active_from, active_until)
    assert rules.can_start_between(course, start_from, start_until, TODAY) is expected


# -- visibility and staleness ------------------------------------------------------------------
def test_visible_published_within_365_days():
    assert rules.is_visible(confirmed(0), TODAY)
    assert rules.is_visible(confirmed(365), TODAY)
    assert not rules.is_visible(confirmed(366), TODAY)


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_not_visible_unless_published(status):
    assert not rules.is_visible(confirmed(1, status), TODAY)


def test_stale_after_180_days():
    assert not rules.is_stale(confirmed(0), TODAY)
    assert not rules.is_stale(confirmed(180), TODAY)
    assert rules.is_stale(confirmed(181), TODAY)
    assert rules.is_stale(confirmed(365), TODAY)


def test_visibility_thresholds():
    assert rules.visible_since(TODAY) == dt.date(2025, 11, 27)
    assert rules.stale_before(TODAY) == dt.date(2026, 5, 31)


def test_today_without_app_is_the_date_in_brussels(monkeypatch):
    # 23:30 UTC on 30 November is already 1 December in Wallonia (UTC+1).
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(rules, "_now", lambda zone: late.astimezone(zone))
    assert rules.today() == dt.date(2026, 12, 1)


def test_today_in_brussels_whatever_the_server_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: a day ahead of Brussels at times
    time.tzset()
    try:
        assert rules.today() == dt.datetime.now(rules.BRUSSELS).date()
    finally:
        monkeypatch.undo()
        time.tzset()


def test_today_in_app_is_the_configured_date(app_context, today):
    assert rules.today() == today == dt.date(2026, 11, 27)
