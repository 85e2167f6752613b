"""The shipped demo offer (portal/demo/offer.json): valid, and rich enough to show every feature."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.demo import REFERENCE_DATE, demo_document
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import codes, rules
from portal.offer.models import Course, Operator, Site
from portal.offer.validation import validate_document

WALLOON_BASSINS = {
    "Brabant wallon", "Wallonie picarde", "Hainaut Centre", "Hainaut Sud", "Namur",
    "Huy-Waremme", "Liège", "Verviers", "Luxembourg",
}


@pytest.fixture()
def demo(app_context, today):
    """The demo imported through the real import; returns the stored courses."""
    from tests import factories as f

    summary = f.load(demo_document(today))
    assert summary.courses.updated == summary.courses.unchanged == 0
    return db.session.scalars(
        select(Course).options(selectinload(Course.entries), selectinload(Course.site))
    ).all()


def visible(courses, today):
    return [c for c in courses if rules.is_visible(c, today)]


def test_demo_validates():
    offer = validate_document(demo_document(REFERENCE_DATE), get_gazetteer())
    assert len(offer.operators) >= 40
    assert sum(len(o["courses"]) for o in offer.operators) >= 150


def test_demo_dates_move_with_today():
    base = demo_document(REFERENCE_DATE)
    later = demo_document(REFERENCE_DATE + dt.timedelta(days=10))
    shifted = 0
    for op_base, op_later in zip(base["operators"], later["operators"], strict=True):
        for c_base, c_later in zip(op_base["courses"], op_later["courses"], strict=True):
            before = dt.date.fromisoformat(c_base["confirmed_at"])
            assert dt.date.fromisoformat(c_later["confirmed_at"]) == before + dt.timedelta(days=10)
            for e_base, e_later in zip(c_base["entries"], c_later["entries"], strict=True):
                assert dt.date.fromisoformat(e_later["start"]) - dt.date.fromisoformat(e_base["start"]) \
                    == dt.timedelta(days=10)
                shifted += 1
    assert shifted > 0


def test_demo_imports_with_enough_courses_and_operators(demo):
    assert len(demo) >= 150
    operators = db.session.scalars(select(Operator)).all()
    assert len(operators) >= 40
    assert all("(démo)" in operator.name for operator in operators)


def test_demo_covers_every_walloon_bassin(demo, today):
    bassins = {site.bassin_efe for site in db.session.scalars(select(Site))}
    assert WALLOON_BASSINS <= bassins
    assert {c.site.bassin_efe for c in visible(demo, today)} >= WALLOON_BASSINS
    assert WALLOON_BASSINS < set(get_gazetteer().bassins)


def test_demo_has_four_kinds_and_every_level(demo, today):
    shown = visible(demo, today)
    assert {c.kind for c in shown} == set(codes.COURSE_KINDS)
    for rank, level in enumerate(codes.LEVELS):
        assert any(rules.level_matches(rank, c.level_min, c.level_max) for c in shown), level


def test_demo_has_fixed_and_rolling_with_every_entry_status(demo, today):
    shown = visible(demo, today)
    assert {c.entry_mode for c in shown} == {"fixed", "rolling"}
    statuses = {e.status for c in shown for e in c.entries}
    assert statuses == {"open", "waiting_list", "full"}
    assert any(rules.next_entry(c, today) is not None and rules.next_entry(c, today).status == "waiting_list"
               for c in shown)
    assert any(c.entry_mode == "rolling" and rules.next_entry(c, today) is not None for c in shown)
    assert any(c.entry_mode == "fixed" and rules.next_entry(c, today) is not None for c in shown)


def test_demo_has_job_oriented_courses_in_several_sectors(demo, today):
    job = [c for c in visible(demo, today) if c.job_oriented]
    assert job
    assert len({sector for c in job for sector in c.sectors}) >= 3


def test_demo_has_evening_and_saturday_courses(demo, today):
    shown = visible(demo, today)
    assert any("evening" in c.parts_of_day for c in shown)
    assert any("sat" in c.days for c in shown)


def test_demo_has_paid_and_free_courses(demo, today):
    shown = visible(demo, today)
    assert any(c.cost_eur == 0 for c in shown)
    assert any(c.cost_eur > 0 for c in shown)


def test_demo_has_stale_but_visible_courses(demo, today):
    stale = [c for c in visible(demo, today) if rules.is_stale(c, today)]
    assert stale
    assert all(c.confirmed_at < today - dt.timedelta(days=180) for c in stale)


def test_demo_sites_are_walloon(demo):
    gazetteer = get_gazetteer()
    for site in db.session.scalars(select(Site)):
        entry = gazetteer.postal_code(site.postal_code)
        assert entry is not None
        assert site.nis_code == entry.nis_code and site.bassin_efe == entry.bassin_efe


def test_demo_says_which_languages_some_receptions_speak(demo):
    spoken = [site.reception_languages for site in db.session.scalars(select(Site)) if site.reception_languages]
    assert 10 <= len(spoken) < len(db.session.scalars(select(Site)).all())  # some sites, not all
    languages = {code for codes_ in spoken for code in codes_}
    assert {"ar", "fa", "ps", "ti", "uk", "ru", "tr", "nl", "de", "en"} <= languages
    assert any("fr" not in codes_ for codes_ in spoken) and any("fr" in codes_ for codes_ in spoken)
