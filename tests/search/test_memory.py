"""The in-memory index (portal.search.memory) against the SQL road, and its freshness.

Both roads of ``search_courses`` must give the same totals and pages for every filter of the
search; the index must see every committed change of the offer, whoever writes it, and only
committed ones (the generation written by database triggers, portal.offer.generation).
"""
from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from flask import current_app
from sqlalchemy import create_engine, event, select, text, update

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import codes, generation
from portal.offer.derived import refresh_next_starts
from portal.offer.generation import current_generation
from portal.offer.models import Course, Entry, Site
from portal.search import memory
from portal.search.filters import parse_filters
from portal.search.queries import count_courses, search_courses
from tests import factories as f
from tests.search.test_queries import Q_WORDS, random_offer, random_place


def _varied_offer(rng: random.Random, today: dt.date) -> dict:
    """random_offer with every list and flag the filters read set at random."""
    document = random_offer(rng, today)
    for operator in document["operators"]:
        for course in operator["courses"]:
            course.update(
                days=rng.sample(codes.DAYS, rng.randint(0, 3)),
                parts_of_day=rng.sample(codes.PARTS_OF_DAY, rng.randint(0, 2)),
                audiences=rng.sample(codes.AUDIENCES, rng.randint(0, 2)),
                sectors=rng.sample(codes.SECTORS, rng.randint(0, 2)),
                cost_eur=rng.choice([0, 0, 25, 120.5]), childcare=rng.random() < 0.3,
                job_oriented=rng.random() < 0.3,
                prepares_for=rng.sample(codes.PREPARES_FOR, rng.randint(0, 1)),
            )
            for entry in course.get("entries", []):
                if rng.random() < 0.5:
                    entry["end"] = (dt.date.fromisoformat(entry["start"]) + dt.timedelta(days=90)).isoformat()
        for site in operator["sites"]:
            site["reception_languages"] = rng.sample(["fr", "ar", "en", "ti"], rng.randint(0, 2))
    return document


def _random_params(rng: random.Random, today: dt.date, bassins: list[str]) -> dict[str, str]:
    params: dict[str, str] = {"per_page": str(rng.choice([5, 20, 100]))}
    choices = {
        "level": lambda: rng.choice(codes.LEVELS),
        "kind": lambda: ",".join(rng.sample(codes.COURSE_KINDS, rng.randint(1, 2))),
        "day": lambda: ",".join(rng.sample(codes.DAYS, rng.randint(1, 2))),
        "part_of_day": lambda: rng.choice(codes.PARTS_OF_DAY),
        "audience": lambda: rng.choice(codes.AUDIENCES),
        "sector": lambda: rng.choice(codes.SECTORS),
        "free": lambda: "1", "childcare": lambda: "1", "job_oriented": lambda: "1",
        "bassin": lambda: rng.choice(bassins),
        "start_from": lambda: (today + dt.timedelta(days=rng.randint(-30, 200))).isoformat(),
        "start_until": lambda: (today + dt.timedelta(days=rng.randint(200, 250))).isoformat(),
        "near": lambda: random_place(rng),
        "sort": lambda: rng.choice(["title", "next_entry", "distance"]),
        "page": lambda: str(rng.choice([1, 1, 2, 3])),
        "q": lambda: " ".join(rng.sample(Q_WORDS, rng.randint(1, 3))),
    }
    for name, value in choices.items():
        if rng.random() < 0.2:
            params[name] = value()
    if params.get("sort") == "distance" and "near" not in params:
        params["near"] = random_place(rng)
    if "near" in params and rng.random() < 0.6:
        params["radius_km"] = str(rng.choice([2, 5, 10, 25.5, 40, 80]))
    return params


def _answer(params: dict[str, str], today: dt.date, road: str) -> tuple[int, int, list]:
    current_app.config["SEARCH_MEMORY_INDEX"] = road == "memory"
    try:
        filters = parse_filters(params, get_gazetteer(), today)
        results = search_courses(filters)
        return results.total, count_courses(filters), [
            (hit.course.ref, hit.distance_km, hit.next_entry, hit.entries_state) for hit in results.hits]
    finally:
        current_app.config["SEARCH_MEMORY_INDEX"] = True


@pytest.mark.parametrize("seed, refreshed", [(11, True), (12, False), (13, False)])
def test_memory_road_equals_the_sql_road(app_context, today, seed, refreshed):
    rng = random.Random(seed)
    f.load(_varied_offer(rng, today))
    if refreshed:
        refresh_next_starts(today)
    bassins = list(get_gazetteer().bassins)  # some hold no course of this offer
    differ, found = [], 0
    for _ in range(120):
        params = _random_params(rng, today, bassins)
        by_sql, by_memory = _answer(params, today, "sql"), _answer(params, today, "memory")
        found += by_sql[0] > 0
        if by_sql != by_memory:
            differ.append((params, by_sql[:2], by_memory[:2]))
    assert not differ, differ[:3]
    assert found > 40  # the searches do find courses, not only empty pages


@pytest.mark.parametrize("seed", [21, 22])
def test_the_api_answers_the_same_from_cards_and_from_the_database(app_context, client, today, seed):
    """Every byte of /api/v1/courses and its GeoJSON: cards made from the in-memory snapshot
    (portal.search.cards) against ORM courses read by the SQL road."""
    rng = random.Random(seed)
    f.load(_varied_offer(rng, today))
    bassins = list(get_gazetteer().bassins)
    compared = 0
    for _ in range(40):
        params = _random_params(rng, today, bassins)
        for path in ("/api/v1/courses", "/api/v1/courses.geojson"):
            answers = []
            for road in ("sql", "memory"):
                current_app.config["SEARCH_MEMORY_INDEX"] = road == "memory"
                try:
                    answers.append(client.get(path, query_string=params).get_data(as_text=True))
                finally:
                    current_app.config["SEARCH_MEMORY_INDEX"] = True
            assert answers[0] == answers[1], params
            compared += '"ref"' in answers[0]
    assert compared > 30


def _refs(params: dict[str, str], today: dt.date) -> list[str]:
    params = {"sort": "title", **params}
    return [hit.course.ref for hit in search_courses(parse_filters(params, get_gazetteer(), today)).hits]


def _two_courses(today: dt.date) -> None:
    f.load_courses(f.course("c-namur", title="Alpha Namur"),
                   f.course("c-fixed", title="Fixe", entry_mode="fixed",
                            entries=[{"start": (today + dt.timedelta(days=10)).isoformat(), "status": "open"}]))


def test_the_index_sees_every_committed_change_whoever_writes_it(app_context, today):
    _two_courses(today)
    assert _refs({}, today) == ["c-namur", "c-fixed"]
    # An ORM change: the course is no longer published.
    db.session.scalar(select(Course).where(Course.ref == "c-namur")).status = "draft"
    db.session.commit()
    assert _refs({}, today) == ["c-fixed"]
    # A Core UPDATE: the entry is full, so the course cannot start in the window any more.
    window = {"start_from": today.isoformat()}
    assert _refs(window, today) == ["c-fixed"]
    db.session.execute(update(Entry).values(status="full"))
    db.session.commit()
    assert _refs(window, today) == []
    # Raw SQL on the site: far from Namur now.
    db.session.execute(text("UPDATE course SET status = 'published'"))
    db.session.execute(text("UPDATE site SET lat = 50.0, lon = 5.9"))  # near Bastogne
    db.session.commit()
    assert _refs({"near": "5000", "radius_km": "20"}, today) == []
    assert len(_refs({"near": "6600", "radius_km": "20"}, today)) == 2


def test_a_rolled_back_change_leaves_the_generation_and_the_answers(app_context, today):
    _two_courses(today)
    before = current_generation()
    assert before is not None
    db.session.execute(update(Course).values(status="draft"))
    assert _refs({}, today) == []  # this transaction sees its own change (the SQL road would too)…
    db.session.rollback()
    assert current_generation() == before
    assert _refs({}, today) == ["c-namur", "c-fixed"]  # …and no one keeps it after the rollback
    # Nor after the next committed change (on SQLite the rolled-back transaction had its own number).
    db.session.execute(update(Course).values(status="draft"))
    _refs({}, today)
    db.session.rollback()
    db.session.execute(update(Course).where(Course.ref == "c-fixed").values(title="Autre"))
    db.session.commit()
    assert _refs({}, today) == ["c-namur", "c-fixed"]


def test_an_api_search_reads_one_number_on_its_own_connection(app_context, client, today):
    """Out of a transaction, the committed generation is read on the thread's own connection:
    an API search sends no statement through the pool (no checkout, ping, BEGIN or ROLLBACK).
    When that connection breaks, the search asks its session and the next one reconnects."""
    _two_courses(today)

    def api_refs() -> list[str]:
        db.session.remove()  # as at the end of a real request (the tests share one app context)
        refs = [item["ref"] for item in client.get("/api/v1/courses?sort=title").get_json()["items"]]
        db.session.remove()
        return refs

    assert api_refs() == ["c-namur", "c-fixed"]  # the index is built
    through_pool: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        through_pool.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert (api_refs(), through_pool) == (["c-namur", "c-fixed"], [])
        generation._READERS.reader.connection.close()
        assert api_refs() == ["c-namur", "c-fixed"]
        assert len(through_pool) == 1 and "offer_generation" in through_pool[0]
        # Reconnected, and still fresh: a change committed by another connection is seen at once.
        with db.engine.begin() as other:
            other.execute(text("UPDATE course SET status = 'draft' WHERE ref = 'c-namur'"))
        through_pool.clear()
        assert api_refs() == ["c-fixed"]
        assert through_pool  # the index read the offer again…
        through_pool.clear()
        assert (api_refs(), through_pool) == (["c-fixed"], [])  # …and the next search reads nothing
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_index_is_rebuilt_only_when_the_offer_changed(app_context, today, monkeypatch):
    _two_courses(today)
    _refs({}, today)
    loads = []
    original = memory.OfferIndex.load.__func__
    monkeypatch.setattr(memory.OfferIndex, "load", classmethod(lambda cls, g: loads.append(g) or original(cls, g)))
    for _ in range(3):
        _refs({"level": "A1"}, today)
    assert loads == []
    db.session.execute(update(Site).values(locality="Ailleurs"))
    db.session.commit()
    _refs({}, today)
    _refs({"sort": "title"}, today)
    assert loads == [current_generation()]


def test_postgresql_bumps_the_generation_at_commit_without_locking_other_writers(app_context, today):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the deferred trigger is PostgreSQL's; SQLite serialises writers itself")
    _two_courses(today)
    before = current_generation()
    other = create_engine(db.engine.url)
    try:
        with other.connect() as long_import:
            # A long transaction has changed the offer and not committed yet…
            long_import.execute(text("UPDATE course SET title = 'Long' WHERE ref = 'c-namur'"))
            # …another writer changes another course and commits meanwhile, unblocked.
            done = threading.Event()

            def short_save():
                with other.begin() as connection:
                    connection.execute(text("SET LOCAL lock_timeout = '2s'"))
                    connection.execute(text("UPDATE course SET title = 'Court' WHERE ref = 'c-fixed'"))
                done.set()

            thread = threading.Thread(target=short_save)
            thread.start()
            thread.join(10)
            assert done.is_set()
            db.session.commit()  # a new snapshot for this session
            middle = current_generation()
            assert middle not in (None, before)
            long_import.commit()
        db.session.commit()
        assert current_generation() not in (None, before, middle)
        assert _refs({"sort": "title"}, today) == ["c-namur", "c-fixed"]
        titles = dict(db.session.execute(select(Course.ref, Course.title)).all())
        assert titles == {"c-fixed": "Court", "c-namur": "Long"}
    finally:
        other.dispose()


def test_reading_the_offer_is_not_held_to_the_visitors_time_limit(app, app_context, client, today, monkeypatch):
    """The index reads the whole offer after a change: worker's work, not the visitor's query."""
    from portal.core.limits import public_query_time_limit
    from portal.search.snapshot import Snapshot

    _two_courses(today)
    monkeypatch.setitem(app.config, "PUBLIC_QUERY_TIMEOUT_MS", 1234)
    limits = []
    original = Snapshot.read.__func__
    monkeypatch.setattr(Snapshot, "read", classmethod(lambda cls: limits.append(public_query_time_limit())
                                                      or original(cls)))
    db.session.execute(update(Course).values(title="Changé"))
    db.session.commit()
    seen = []
    monkeypatch.setattr(memory, "generation_to_keep",
                        lambda original=memory.generation_to_keep: seen.append(public_query_time_limit()) or original())
    assert client.get("/api/v1/courses").json["total"] == 2
    assert limits == [None] and seen == [1234]  # the search itself keeps its limit
