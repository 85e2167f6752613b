"""``search_courses`` against a brute-force Python reading of domain.md (portal.offer.rules).

A seeded random offer (kinds, levels, fixed and rolling courses, entries of every status around
"today", old and fresh confirmations, drafts, sites all over Wallonia) is searched with random
filter combinations; every page of the SQL search must equal the Python computation.
"""
from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from geopy.distance import great_circle
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import fold
from portal.offer import codes, rules
from portal.offer.derived import next_starts_are_current, refresh_next_starts
from portal.offer.models import Course
from portal.search.filters import parse_filters
from portal.search.queries import search_courses
from tests import factories as f

TITLES = (
    "Français oral débutant", "francais oral debutant", "FRANÇAIS ORAL DÉBUTANT", "Alpha du soir",
    "alpha du soir", "Écrire au quotidien", "ecrire au quotidien", "Remise à niveau", "Zèbre FLE",
    "Œuvre collective", "oeuvre collective", "atelier-conversation", "Atelier conversation",
    "B1 vers l'emploi", "Lire et écrire", "lire et ecrire",
)
REF_PREFIXES = ("r-", "r", "r_", "r.", "R-", "ra")
DESCRIPTIONS = (
    None, "Parler au quotidien.", "Lire, écrire et calculer au quotidien", "100% oral_débutant",
    "Cours du soir pour l'emploi", "Préparer le CEB", "Français langue étrangère, niveau A2",
)
# Words of q: from the texts above (whole, parts, other accents and cases), and words found nowhere.
Q_WORDS = ("francais", "ORAL", "débu", "soir", "e", "a", "ou", "ecri", "ire", "quotidien", "100%", "_",
           "oral_", "%", "liege", "namur", "cpas", "forem", "0", "1", "zzz", "qx", "œuvre", "oeuvre",
           "l'emploi", "collective", "ran", "ceb", "langue", "it")


# -- the random offer ------------------------------------------------------------------------
def _date(today: dt.date, offset: int) -> str:
    return (today + dt.timedelta(days=offset)).isoformat()


def random_offer(rng: random.Random, today: dt.date, n_courses: int = 150) -> dict:
    gazetteer = get_gazetteer()
    postal_codes = rng.sample(sorted(gazetteer.postal_codes), 30)
    operators = []
    course_number = 0
    for o in range(3):
        sites = []
        for s, code in enumerate(postal_codes[o * 10:(o + 1) * 10]):
            entry = gazetteer.postal_code(code)
            locality = rng.choice([None, rng.choice(entry.localities).name])
            extra = {}
            if rng.random() < 0.3:  # the operator gives its own coordinates
                extra = {"lat": round(entry.lat + rng.uniform(-0.02, 0.02), 4),
                         "lon": round(entry.lon + rng.uniform(-0.02, 0.02), 4)}
            sites.append(f.site(f"o{o}-s{s}", code, locality, **extra))
        courses = []
        for _ in range(n_courses // 3):
            course_number += 1
            courses.append(random_course(rng, today, course_number, rng.choice(sites)["ref"]))
        operators.append(f.operator(f"op-{o}", rng.choice(["Lire et Écrire", "CPAS", "Forem"]) + f" {o}",
                                    sites=sites, courses=courses))
    return f.document(*operators)


def random_course(rng: random.Random, today: dt.date, number: int, site_ref: str) -> dict:
    low = rng.randrange(len(codes.LEVELS))
    high = rng.randrange(low, len(codes.LEVELS))
    data = {
        "ref": f"{rng.choice(REF_PREFIXES)}{rng.randrange(100):02d}-{number}",
        "site_ref": site_ref,
        "title": rng.choice(TITLES), "description": rng.choice(DESCRIPTIONS),
        "kind": rng.choice(codes.COURSE_KINDS),
        "level_min": codes.LEVELS[low], "level_max": codes.LEVELS[high],
        "confirmed_at": _date(today, -rng.randint(0, 400)),
        "status": rng.choices(codes.COURSE_STATUSES, weights=(1, 8, 1))[0],
    }
    if rng.random() < 0.5:
        entries = [random_entry(rng, today) for _ in range(rng.randint(0, 4))]
        return f.course(entry_mode="fixed", entries=entries, **data)
    active_from = rng.choice([None, _date(today, rng.randint(-200, 150))])
    active_until = None
    if rng.random() < 0.6:
        base = dt.date.fromisoformat(active_from) if active_from else today
        low_bound = 0 if active_from else -100
        active_until = (base + dt.timedelta(days=rng.randint(low_bound, 300))).isoformat()
    return f.course(entry_mode="rolling", active_from=active_from, active_until=active_until, **data)


def random_entry(rng: random.Random, today: dt.date) -> dict:
    """An entry around today; its registration deadline passed, today, ahead or none."""
    start = rng.randint(-90, 300)
    entry = {"start": _date(today, start), "status": rng.choices(codes.ENTRY_STATUSES, weights=(5, 2, 3))[0]}
    deadline = rng.random()
    if deadline < 0.25:
        entry["registration_deadline"] = _date(today, rng.randint(-60, -1))
    elif deadline < 0.35:
        entry["registration_deadline"] = _date(today, 0)
    elif deadline < 0.6:
        entry["registration_deadline"] = _date(today, rng.randint(1, max(1, start)))
    return entry


# -- brute force -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Expected:
    ref: str
    distance_km: float | None
    next_entry: rules.NextEntry | None
    entries_state: str


def all_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).options(
        selectinload(Course.entries), selectinload(Course.site), selectinload(Course.operator))))


def brute_force(courses: list[Course], params: dict[str, str], today: dt.date) -> list[Expected]:
    kinds = set(params["kind"].split(",")) if params.get("kind") else None
    level = codes.level_rank(params["level"]) if params.get("level") else None
    place = get_gazetteer().resolve(params["near"]) if params.get("near") else None
    radius = float(params["radius_km"]) if params.get("radius_km") else None
    window = None
    if params.get("start_from") or params.get("start_until"):
        window = (dt.date.fromisoformat(params["start_from"]) if params.get("start_from") else today,
                  dt.date.fromisoformat(params["start_until"]) if params.get("start_until") else None)
    sort = params.get("sort") or ("distance" if place else "next_entry")
    words = fold(params.get("q")).split()
    kept: list[tuple[Course, Expected]] = []
    for course in courses:
        if not rules.is_visible(course, today):
            continue
        texts = [fold(text) for text in (course.title, course.description, course.operator.name,
                                         course.site.locality)]
        if not all(any(word in text for text in texts) for word in words):
            continue
        if kinds is not None and course.kind not in kinds:
            continue
        if level is not None and not rules.level_matches(level, course.level_min, course.level_max):
            continue
        if window is not None and not rules.can_start_between(course, *window, today):
            continue
        distance = None
        if place is not None:
            distance = round(great_circle((place.lat, place.lon), (course.site.lat, course.site.lon)).km, 1)
            if radius is not None and distance > radius:
                continue
        kept.append((course, Expected(course.ref, distance, rules.next_entry(course, today),
                                      rules.entries_state(course, today))))
    if sort == "distance":
        def key(pair):
            return (pair[1].distance_km, fold(pair[0].title), pair[0].ref)
    elif sort == "title":
        def key(pair):
            return (fold(pair[0].title), pair[0].ref)
    else:
        def key(pair):
            nxt = pair[1].next_entry
            return (nxt is None, nxt.start if nxt else dt.date.min, fold(pair[0].title), pair[0].ref)
    return [expected for _, expected in sorted(kept, key=key)]


def sql_pages(params: dict[str, str], today: dt.date) -> tuple[int, list[Expected]]:
    """Every page of search_courses, concatenated."""
    got: list[Expected] = []
    page, total = 1, None
    while True:
        results = search_courses(parse_filters(dict(params, page=str(page)), get_gazetteer(), today))
        assert total is None or results.total == total
        total = results.total
        if not results.hits:
            break
        got += [Expected(hit.course.ref, hit.distance_km, hit.next_entry, hit.entries_state) for hit in results.hits]
        page += 1
    assert page == results.pages + 1 or total == 0
    return total, got


# -- random filters ----------------------------------------------------------------------------
def random_q(rng: random.Random, courses: list[Course]) -> str:
    """Up to 10 words: whole words and pieces of some course's texts, in any case, and now and
    then a word from elsewhere (which may match nothing)."""
    course = rng.choice(courses)
    texts = (course.title, course.description, course.operator.name, course.site.locality)
    own = " ".join(text for text in texts if text).split()
    words = []
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 10])):
        word = rng.choice(own)
        if rng.random() < 0.5:
            start = rng.randrange(len(word))
            word = word[start:start + rng.randint(1, 4)]
        words.append(word.upper() if rng.random() < 0.2 else word)
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = rng.choice(Q_WORDS)
    return " ".join(words)


def random_place(rng: random.Random) -> str:
    gazetteer = get_gazetteer()
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(sorted(gazetteer.postal_codes))
    if choice == 1:
        return rng.choice(sorted(gazetteer.communes))
    if choice == 2:
        return gazetteer.communes[rng.choice(sorted(gazetteer.communes))].name
    return f"{rng.uniform(49.5, 50.8):.4f},{rng.uniform(2.9, 6.3):.4f}"


def random_filters(rng: random.Random, today: dt.date, courses: list[Course]) -> dict[str, str]:
    params: dict[str, str] = {"per_page": str(rng.choice([7, 20, 100]))}
    if rng.random() < 0.5:
        params["level"] = rng.choice(codes.LEVELS)
    if rng.random() < 0.25:
        params["kind"] = ",".join(rng.sample(codes.COURSE_KINDS, rng.randint(1, 3)))
    if rng.random() < 0.6:
        params["near"] = random_place(rng)
        mode = rng.random()
        if mode < 0.3:
            params["radius_km"] = str(rng.choice([3, 10, 25, 42.5, 60, 120]))
        elif mode < 0.6:
            # A radius equal to some site's rounded distance: the inclusive boundary.
            place = get_gazetteer().resolve(params["near"])
            site = rng.choice(courses).site
            distance = round(great_circle((place.lat, place.lon), (site.lat, site.lon)).km, 1)
            if distance > 0:
                params["radius_km"] = str(distance)
    window = rng.random()
    start_from = today + dt.timedelta(days=rng.randint(-60, 200))
    if window < 0.2:
        params["start_from"] = start_from.isoformat()
    elif window < 0.4:
        params["start_until"] = (today + dt.timedelta(days=rng.randint(0, 150))).isoformat()
    elif window < 0.6:
        params["start_from"] = start_from.isoformat()
        params["start_until"] = (start_from + dt.timedelta(days=rng.randint(0, 120))).isoformat()
    if rng.random() < 0.4:
        params["q"] = random_q(rng, courses)
    sorts = ["", "next_entry", "title"] + (["distance"] if "near" in params else [])
    sort = rng.choice(sorts)
    if sort:
        params["sort"] = sort
    return params


@pytest.fixture(params=["real", "tiny"])
def word_thresholds(request, monkeypatch):
    """The limits of match_words as shipped, and tiny ones so that 150 courses take every path
    (listed courses, common words checked on listed courses, too many to list, pages read along
    the sort index)."""
    if request.param == "tiny":
        from portal.search import queries, words

        monkeypatch.setattr(queries, "WALK_ORDER_INDEX_FROM", 5)
        monkeypatch.setattr(words, "MAX_LISTED_WORDS", 2)
        monkeypatch.setattr(words, "MAX_LISTED_COURSES", 6)
    return request.param


@pytest.mark.parametrize("seed, refreshed", [(1, True), (2, False), (3, True), (4, False)])
def test_sql_search_agrees_with_the_python_rules(app_context, today, seed, refreshed, word_thresholds):
    """``refreshed``: the daily job computed every course's next start for today; else the search
    computes the rule in the query (the job has not run yet today)."""
    rng = random.Random(seed)
    f.load(random_offer(rng, today))
    if refreshed:
        refresh_next_starts(today)
    assert next_starts_are_current(today) is refreshed
    courses = all_courses()
    assert len(courses) == 150
    visible = [c for c in courses if rules.is_visible(c, today)]
    assert 60 < len(visible) < 150  # the offer does hold invisible courses
    mismatches = []
    texts_found = 0
    for _ in range(45):
        params = random_filters(rng, today, courses)
        expected = brute_force(courses, params, today)
        texts_found += bool("q" in params and expected)
        total, got = sql_pages(params, today)
        if total != len(expected) or got != expected:
            mismatches.append((params, total, len(expected),
                               [e.ref for e in got][:8], [e.ref for e in expected][:8]))
    assert not mismatches, mismatches
    assert texts_found >= 5  # q is tested on searches that find something too


@pytest.mark.parametrize("near", ["6700", "7500", "50.4669,4.8675", "4700"])
def test_nearest_first_without_radius_on_near_and_far_pages(app_context, today, near):
    rng = random.Random(near)
    f.load(random_offer(rng, today))
    courses = all_courses()
    expected = brute_force(courses, {"near": near}, today)
    assert len(expected) > 50
    per_page = 10
    last = -(-len(expected) // per_page)
    for page in sorted({1, 2, 3, last - 2, last - 1, last, last + 1}):
        results = search_courses(parse_filters({"near": near, "page": str(page), "per_page": str(per_page)},
                                               get_gazetteer(), today))
        assert results.filters.sort == "distance"
        assert results.total == len(expected)
        got = [Expected(hit.course.ref, hit.distance_km, hit.next_entry, hit.entries_state) for hit in results.hits]
        assert got == expected[(page - 1) * per_page:page * per_page], page


def test_search_filters_only_what_is_asked(app_context, today):
    """A sanity check of the brute force itself: with no filter it lists every visible course."""
    rng = random.Random(7)
    f.load(random_offer(rng, today))
    courses = all_courses()
    expected = brute_force(courses, {}, today)
    assert {e.ref for e in expected} == {c.ref for c in courses if rules.is_visible(c, today)}
    assert sql_pages({"per_page": "100"}, today) == (len(expected), expected)


# -- number of statements -----------------------------------------------------------------------
@contextmanager
def counting_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _many_courses(today: dt.date, n: int = 130) -> None:
    sites = [f.site("s-namur", "5000", "Namur"), f.site("s-liege", "4000", "Liège"),
             f.site("s-arlon", "6700", "Arlon"), f.site("s-mons", "7000", "Mons")]
    courses = []
    for i in range(n):
        if i % 2:
            course = f.course(f"c{i:03d}", site_ref=sites[i % 4]["ref"], title=f"Cours {i % 17}",
                              entry_mode="fixed",
                              entries=[{"start": _date(today, i), "status": "open"},
                                       {"start": _date(today, i + 30), "status": "full"}])
        else:
            course = f.course(f"c{i:03d}", site_ref=sites[i % 4]["ref"], title=f"Cours {i % 17}",
                              active_from=_date(today, i - 50))
        courses.append(course)
    f.load_courses(*courses, sites=sites)


@pytest.mark.parametrize("params", [
    {},
    {"sort": "title"},
    {"level": "A1", "kind": "fle", "start_from": "2026-12-01"},
    {"near": "5000", "radius_km": "300"},
    {"near": "5000", "radius_km": "300", "sort": "next_entry"},
    {"q": "cours", "day": "mon", "part_of_day": "morning", "free": "1", "audience": "women"},
])
def test_statements_per_search_are_few_and_do_not_grow_with_the_page(app_context, today, params):
    _many_courses(today)
    gazetteer = get_gazetteer()
    search_courses(parse_filters(params, gazetteer, today))  # warm up (connection, caches)
    counts = {}
    for per_page in (20, 100):
        filters = parse_filters(dict(params, per_page=str(per_page)), gazetteer, today)
        with counting_statements() as statements:
            results = search_courses(filters)
        assert results.total > 100
        assert len(results.hits) == per_page
        # Loading the hits touches no lazy relationship.
        with counting_statements() as lazy:
            for hit in results.hits:
                _ = (hit.course.site.lat, hit.course.operator.name, list(hit.course.entries))
        assert lazy == []
        counts[per_page] = len(statements)
    # q adds its lookups: the words' vocabulary, then their courses.
    assert counts[20] == counts[100] <= (9 if "q" in params else 8), counts


def test_statements_of_nearest_first_without_radius_are_bounded(app_context, today):
    _many_courses(today)
    gazetteer = get_gazetteer()
    search_courses(parse_filters({"near": "5000"}, gazetteer, today))
    for per_page, page in ((20, 1), (100, 1), (20, 6)):
        filters = parse_filters({"near": "5000", "per_page": str(per_page), "page": str(page)}, gazetteer, today)
        with counting_statements() as statements:
            results = search_courses(filters)
        assert len(results.hits) == min(per_page, 130 - (page - 1) * per_page)
        # count + at most 6 growing boxes (or the full sort) + the hits with their relations
        assert len(statements) <= 12, (per_page, page, len(statements))
