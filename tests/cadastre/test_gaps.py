"""The gap table equals its plain definition on a random offer (fixed seed), on both databases:
each course judged in Python by the rules (visible, kind, level, next entry), each commune's
distance to each of them with domain.md's distance, the smallest then the lowest ref. Both ways of
reading "has a next entry" are checked: before the daily job ran today, and after."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.cadastre.gaps import GapQuery, gap_table
from portal.extensions import db
from portal.geo.distance import distance_km
from portal.geo.gazetteer import get_gazetteer
from portal.offer import codes, rules
from portal.offer.derived import next_starts_are_current, refresh_next_starts
from portal.offer.models import Course
from tests import factories as f

TODAY = dt.date(2026, 11, 27)
QUERIES = [
    GapQuery(("fle",)),
    GapQuery(("fle",), "B1"),
    GapQuery(("alpha_fr", "alpha_nf"), "alpha"),
    GapQuery(("ran",), "C1"),
    GapQuery(codes.COURSE_KINDS, "A2", min_km=5.0),
    GapQuery(("fle", "ran"), None, "Luxembourg"),
    GapQuery(("fle",), "A1", "Communauté germanophone", 2.5),
    GapQuery(("alpha_nf",), "B2", min_km=0.0),
    GapQuery(("fle",), "B1", min_km=12.3),
]


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def random_course(rng: random.Random, ref: str, site_ref: str) -> dict:
    low = rng.randrange(len(codes.LEVELS))
    high = min(len(codes.LEVELS) - 1, low + rng.randrange(3))
    overrides = {"kind": rng.choice(codes.COURSE_KINDS), "level_min": codes.LEVELS[low],
                 "level_max": codes.LEVELS[high], "status": rng.choice(["published"] * 6 + ["draft", "archived"]),
                 "confirmed_at": day(-rng.choice([0, 10, 200, 365, 366, 400]))}
    if rng.random() < 0.4:
        start = rng.choice([None, -300, -10, 0, 1, 60])
        until = rng.choice([None, -1, 0, 30, 400])
        if start is not None and until is not None and until < start:
            start, until = until, start
        return f.course(ref, site_ref, entry_mode="rolling", active_from=None if start is None else day(start),
                        active_until=None if until is None else day(until), **overrides)
    entries = [{"start": day(rng.randint(-60, 200)), "status": rng.choice(["open", "waiting_list", "full"]),
                "registration_deadline": rng.choice([None, day(-1), day(0), day(30)])}
               for _ in range(rng.randint(1, 3))]
    return f.course(ref, site_ref, entry_mode="fixed", entries=entries, **overrides)


def random_offer(rng: random.Random) -> dict:
    """40 sites (some on the very same point as another), 400 courses with refs in random order."""
    gazetteer = get_gazetteer()
    postal_codes = sorted(gazetteer.postal_codes)
    sites = []
    for s in range(40):
        entry = gazetteer.postal_codes[rng.choice(postal_codes)]
        locality = rng.choice(entry.localities)
        site = f.site(f"s{s}", entry.code, locality.name)
        if sites and rng.random() < 0.2:  # the same point as an earlier site
            earlier = rng.choice(sites)
            site = f.site(f"s{s}", earlier["postal_code"], earlier["locality"], **{
                k: earlier[k] for k in ("lat", "lon") if k in earlier})
        elif rng.random() < 0.5:
            site.update(lat=round(locality.lat + rng.uniform(-0.02, 0.02), 5),
                        lon=round(locality.lon + rng.uniform(-0.02, 0.02), 5))
        sites.append(site)
    refs = rng.sample(range(10_000), 400)
    courses = [random_course(rng, f"k{ref:04d}", rng.choice(sites)["ref"]) for ref in refs]
    return f.document(f.operator(sites=sites, courses=courses))


def plain_gaps(query: GapQuery, courses: list[Course], distances: dict) -> tuple[int, list[tuple]]:
    """The definition, course by course: (courses considered, rows in api.md's order)."""
    rank = codes.level_rank(query.level) if query.level else None
    considered = [c for c in courses if rules.is_visible(c, TODAY) and c.kind in query.kinds
                  and (rank is None or rules.level_matches(rank, c.level_min, c.level_max))
                  and rules.next_entry(c, TODAY) is not None]
    rows = []
    for commune in get_gazetteer().communes.values():
        if query.bassin is not None and commune.bassin_efe != query.bassin:
            continue
        if not considered:
            rows.append((commune.nis_code, None, None))
            continue
        km, ref = min((distances[commune.nis_code, c.id], c.ref) for c in considered)
        if query.min_km is None or km > query.min_km:
            rows.append((commune.nis_code, km, ref))
    rows.sort(key=lambda row: (-(row[1] or 0), row[0]))
    return len(considered), rows


@pytest.fixture()
def random_courses(app_context):
    f.load(random_offer(random.Random(12)))
    courses = list(db.session.scalars(select(Course).options(selectinload(Course.entries),
                                                             selectinload(Course.site))))
    distances = {(commune.nis_code, c.id): distance_km(commune.lat, commune.lon, c.site.lat, c.site.lon)
                 for commune in get_gazetteer().communes.values() for c in courses}
    return courses, distances


@pytest.mark.parametrize("job_ran", [False, True], ids=["before the daily job", "after it"])
def test_the_gap_table_is_its_plain_definition(random_courses, job_ran):
    courses, distances = random_courses
    if job_ran:
        refresh_next_starts(TODAY)
    assert next_starts_are_current(TODAY) == job_ran
    seen_ties = 0
    for query in QUERIES:
        table = gap_table(query, get_gazetteer(), TODAY)
        considered, rows = plain_gaps(query, courses, distances)
        assert table.courses_considered == considered and type(table.courses_considered) is int, query
        assert [(g.commune.nis_code, g.nearest_km, g.nearest_course) for g in table.communes] == rows, query
        assert table.population == sum(g.commune.population for g in table.communes)
        seen_ties += sum(1 for nis, km, ref in rows if km is not None and sum(
            1 for c in courses if distances[nis, c.id] == km) > 1)
    assert seen_ties > 0  # the offer does put several courses at a commune's nearest distance


def test_the_random_offer_has_every_case(random_courses):
    """The fixture holds courses the table must drop for each reason, and courses it keeps."""
    courses, _ = random_courses
    visible = [c for c in courses if rules.is_visible(c, TODAY)]
    reasons = {"hidden": [c for c in courses if not rules.is_visible(c, TODAY)],
               "no next entry": [c for c in visible if rules.next_entry(c, TODAY) is None],
               "kept": [c for c in visible if rules.next_entry(c, TODAY) is not None]}
    assert all(len(found) >= 20 for found in reasons.values()), {k: len(v) for k, v in reasons.items()}
