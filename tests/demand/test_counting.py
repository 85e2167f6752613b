"""Unmet demand: which public searches are counted, under which key, and that nothing else is kept."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select

from portal.demand import recorder
from portal.demand.models import SearchCount
from portal.demand.queries import PUBLIC_MINIMUM, unmet_demand
from portal.extensions import db
from tests import factories as f
from tests.conftest import TODAY

BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Gecko/20100101 Firefox/132.0"}
NAMUR, GEMBLOUX, ARLON = "92094", "92142", "81001"


@pytest.fixture()
def counting(app):
    """Counting on, every search written at once (the tests of the buffer set their own size)."""
    saved = {key: app.config[key] for key in ("DEMAND_COUNTING", "DEMAND_FLUSH_EVERY", "DEMAND_FLUSH_SECONDS")}
    app.config.update(DEMAND_COUNTING=True, DEMAND_FLUSH_EVERY=1, DEMAND_FLUSH_SECONDS=3600)
    recorder.buffer_of(app).take()
    yield app
    recorder.buffer_of(app).take()
    app.config.update(saved)


@pytest.fixture()
def offer(app_context):
    f.load_courses(f.course("fle-namur", kind="fle", level_min="A1", level_max="B1"),
                   f.course("alpha-namur", kind="alpha_nf", level_min="alpha", level_max="A1"))


def counts() -> list[tuple]:
    return [(row.day, row.nis_code, row.kinds, row.level, row.band, row.count)
            for row in db.session.scalars(select(SearchCount).order_by(SearchCount.id))]


def search(client, query: str, **headers) -> None:
    response = client.get(f"/?{query}", headers={**BROWSER, **headers})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_a_first_page_is_counted_by_commune_kinds_level_and_band(client, offer, counting):
    search(client, "near=5000&radius_km=15&kind=fle&level=A2")
    search(client, "near=5000&radius_km=15&kind=fle&level=A2")  # someone else, the same search
    search(client, "near=Arlon&radius_km=25&kind=fle,alpha_nf")
    search(client, "near=5000&kind=fle&level=C1")  # nothing at that level anywhere
    search(client, "kind=fle")  # no place: found, no distance
    assert counts() == [(TODAY, NAMUR, "fle", "A2", "10", 2), (TODAY, ARLON, "alpha_nf,fle", "", "far", 1),
                        (TODAY, NAMUR, "fle", "C1", "none", 1), (TODAY, "", "fle", "", "", 1)]


def test_the_band_is_the_nearest_match_whatever_the_radius(client, offer, counting):
    distance = client.get("/api/v1/courses?near=5030&kind=fle").get_json()["items"][0]["distance_km"]
    assert 10 < distance <= 25  # Gembloux → Namur
    search(client, "near=5030&radius_km=50&kind=fle&sort=next_entry")
    search(client, "near=5030&radius_km=5&kind=alpha_nf")  # none within 5 km: the nearest beyond
    assert [row[4] for row in counts()] == ["25", "25"]
    assert {row[1] for row in counts()} == {GEMBLOUX}


def test_use_my_position_counts_its_commune(client, offer, counting):
    search(client, "near=50.4669,4.8675&radius_km=10")  # a position in Namur
    assert counts()[0][1:5] == (NAMUR, "", "", "10")
    search(client, "near=50.85,4.35&radius_km=10")  # Brussels: outside Wallonia, no commune
    assert counts()[-1][1] == ""


@pytest.mark.parametrize("path, headers", [
    ("/", {}),  # the home page: no search yet
    ("/?near=5000&kind=fle&page=2", {}),  # another page of the same results
    ("/api/v1/courses?near=5000&kind=fle", {}),
    ("/api/v1/courses.geojson?near=5000&kind=fle", {}),
    ("/?near=5000&kind=fle", {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}),
    ("/?near=5000&kind=fle", {"User-Agent": ""}),
    ("/?near=5000&kind=fle", {"Sec-Purpose": "prefetch"}),
    ("/?level=B3", {}),  # a search with an error
    # The same search shown again: a course added to the selection, another language, another order.
    ("/?near=5000&kind=fle&sel=fle-namur", {"Referer": "http://passerelle.test/?near=5000&kind=fle"}),
    ("/?near=5000&kind=fle&lang=ar&sort=title", {"Referer": "http://passerelle.test/?kind=fle&near=5000"}),
])
def test_what_is_not_a_new_search_is_not_counted(client, offer, counting, path, headers):
    response = client.get(path, headers={**BROWSER, **headers})
    assert response.status_code in (200, 400)
    assert counts() == []


def test_another_search_from_the_results_is_counted(client, offer, counting):
    search(client, "near=5000&kind=alpha_nf", Referer="http://passerelle.test/?near=5000&kind=fle")
    assert len(counts()) == 1


def test_the_embedded_search_and_the_guided_routes_results_count(client, offer, counting):
    assert client.get("/embed?near=5000&kind=fle", headers=BROWSER).status_code == 200
    search(client, "near=5000&radius_km=10&kind=alpha_nf&level=alpha&guide=none.no.daily.evening.yes")
    assert [row[2] for row in counts()] == ["fle", "alpha_nf"]


def test_the_buffer_writes_every_n_searches_and_adds_up(client, offer, counting):
    counting.config["DEMAND_FLUSH_EVERY"] = 3
    search(client, "near=5000&kind=fle")
    search(client, "near=5000&kind=fle")
    assert counts() == []  # still in the worker's buffer
    search(client, "near=5000&kind=alpha_nf")
    assert sorted(row[2:] for row in counts()) == [("alpha_nf", "", "10", 1), ("fle", "", "10", 2)]
    for _ in range(3):
        search(client, "near=5000&kind=fle")
    assert sorted(row[2:] for row in counts()) == [("alpha_nf", "", "10", 1), ("fle", "", "10", 5)]


def test_the_buffer_writes_after_its_time(client, offer, counting):
    counting.config.update(DEMAND_FLUSH_EVERY=1000, DEMAND_FLUSH_SECONDS=0)
    search(client, "near=5000&kind=fle")
    assert len(counts()) == 1


def test_nothing_personal_is_kept(client, offer, counting):
    """The table holds the key and the count: no address, no user agent, no query, no time of day."""
    columns = {column["name"]: str(column["type"]) for column in inspect(db.engine).get_columns("search_count")}
    assert set(columns) == {"id", "day", "nis_code", "kinds", "level", "band", "count"}
    assert columns["day"] == "DATE"
    search(client, "near=5000&kind=fle&q=Ahmed+rue+de+Fer+12", **{"X-Forwarded-For": "203.0.113.9"})
    stored = " ".join(str(value) for value in counts()[0])
    assert "Ahmed" not in stored and "203.0.113" not in stored and "Firefox" not in stored


def test_unmet_demand_by_month_hides_small_counts_in_public(app_context):
    rows = [(TODAY, NAMUR, "fle", "B1", "far", 4), (TODAY - dt.timedelta(days=2), NAMUR, "fle", "B1", "none", 3),
            (TODAY, ARLON, "fle", "B2", "none", 2), (TODAY, GEMBLOUX, "fle", "A1", "10", 50),
            (dt.date(2026, 10, 3), ARLON, "alpha_nf", "", "far", 6), (dt.date(2025, 6, 1), ARLON, "fle", "", "far", 9)]
    db.session.add_all(SearchCount(day=d, nis_code=n, kinds=k, level=lv, band=b, count=c) for d, n, k, lv, b, c in rows)
    db.session.commit()
    everything = [(r.month, r.commune, r.kinds, r.level, r.searches) for r in unmet_demand(TODAY)]
    assert everything == [("2026-11", "Namur", ("fle",), "B1", 7), ("2026-11", "Arlon", ("fle",), "B2", 2),
                          ("2026-10", "Arlon", ("alpha_nf",), "", 6)]  # not within 25 km; the last 12 months
    public = [(r.month, r.commune, r.searches) for r in unmet_demand(TODAY, minimum=PUBLIC_MINIMUM)]
    assert public == [("2026-11", "Namur", 7), ("2026-10", "Arlon", 6)]
    assert [r.commune for r in unmet_demand(TODAY, bassin="Namur")] == ["Namur"]
    assert unmet_demand(TODAY)[0].bassin == "Namur"
