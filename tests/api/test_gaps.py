"""HTTP tests of GET /api/v1/cadastre/gaps and .csv (api.md) against hand-computed fixtures.

Distances were computed once with geopy's great_circle from the gazetteer's commune points
(wallonia_communes.csv); "today" is fixed at 2026-11-27 by the test configuration.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from tests import factories as f

API = "/api/v1/cadastre/gaps"
CSV = "/api/v1/cadastre/gaps.csv"
TODAY = dt.date(2026, 11, 27)
DATA_DIR = Path(__file__).resolve().parents[2] / "portal" / "geo" / "data"
with open(DATA_DIR / "wallonia_communes.csv", encoding="utf-8", newline="") as _fh:
    COMMUNES = {row["nis_code"]: row for row in csv.DictReader(_fh)}
ALL_POPULATION = 3_645_243  # the sum of the 261 communes' populations (1 January 2020)
NAMUR, LIEGE, ARLON, EUPEN, FLOREFFE = "92094", "62063", "81001", "63023", "92045"
# The commune points of Namur and Liège: a site there is 0.0 km from its commune.
AT_NAMUR = f.site("site-namur", "5000", "Namur", lat=50.4669, lon=4.8675)
AT_LIEGE = f.site("site-liege", "4000", "Liège", lat=50.6337, lon=5.5675)
# From Namur's point: Liège 52.82 km, Eupen 84.52, Arlon 110.36, Floreffe 8.45.
FROM_NAMUR = {LIEGE: 52.8, EUPEN: 84.5, ARLON: 110.4, FLOREFFE: 8.4, NAMUR: 0.0}
# Due north and south of Namur's point: 10.040, 10.060 and 10.010 km away.
NORTH_10_04 = f.site("north-10-04", "5080", "La Bruyère", lat=50.55719, lon=4.8675)
NORTH_10_06 = f.site("north-10-06", "5080", "La Bruyère", lat=50.55737, lon=4.8675)
SOUTH_10_01 = f.site("south-10-01", "5100", "Wépion", lat=50.37688, lon=4.8675)
ROW_KEYS = ["nis_code", "name", "bassin", "population", "nearest_km", "nearest_course"]


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def rolling(ref: str, site_ref: str = "site-namur", **overrides) -> dict:
    return f.course(ref, site_ref, entry_mode="rolling", **overrides)


def fixed(ref: str, *entries: dict, site_ref: str = "site-namur", **overrides) -> dict:
    return f.course(ref, site_ref, entry_mode="fixed", entries=list(entries), **overrides)


def gaps(client, params: dict | str) -> dict:
    response = client.get(API, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def rows_by_nis(body: dict) -> dict[str, dict]:
    return {row["nis_code"]: row for row in body["communes"]}


def bad(client, query: str, path: str = API) -> dict:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400, (query, response.get_data(as_text=True))
    return response.get_json()["error"]


# -- no course considered ---------------------------------------------------------------------
def test_no_course_considered_lists_every_commune_with_nulls(client):
    f.load_courses(rolling("ran-only", kind="ran"), rolling("draft", status="draft"),
                   fixed("full", {"start": days(10), "status": "full"}), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "min_km": "20"})
    assert list(body) == ["kind", "level", "bassin", "min_km", "courses_considered", "communes", "population"]
    assert (body["kind"], body["level"], body["bassin"], body["min_km"]) == (["fle"], None, None, 20)
    assert body["courses_considered"] == 0
    assert len(body["communes"]) == 261
    assert [row["nis_code"] for row in body["communes"]] == sorted(COMMUNES)
    assert all(row["nearest_km"] is None and row["nearest_course"] is None for row in body["communes"])
    assert body["population"] == ALL_POPULATION
    namur = rows_by_nis(body)[NAMUR]
    assert namur == {"nis_code": NAMUR, "name": "Namur", "bassin": "Namur", "population": 111432,
                     "nearest_km": None, "nearest_course": None}
    assert list(namur) == ROW_KEYS


def test_no_course_at_all_in_a_bassin(client):
    body = gaps(client, {"kind": "alpha_fr", "bassin": "Namur"})
    expected = sorted(nis for nis, row in COMMUNES.items() if row["bassin_efe"] == "Namur")
    assert [row["nis_code"] for row in body["communes"]] == expected and len(expected) == 33
    assert body["population"] == sum(int(COMMUNES[nis]["population"]) for nis in expected)


# -- distances, order, ties --------------------------------------------------------------------
def test_each_commune_gets_its_hand_computed_distance(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle"})
    assert body["courses_considered"] == 1 and len(body["communes"]) == 261
    rows = rows_by_nis(body)
    for nis, km in FROM_NAMUR.items():
        assert (rows[nis]["nearest_km"], rows[nis]["nearest_course"]) == (km, "namur-fle"), nis
    assert rows[LIEGE] == {"nis_code": LIEGE, "name": "Liège", "bassin": "Liège", "population": 197217,
                           "nearest_km": 52.8, "nearest_course": "namur-fle"}
    order = [(-row["nearest_km"], row["nis_code"]) for row in body["communes"]]
    assert order == sorted(order)  # farthest first, then by NIS code
    assert body["communes"][-1]["nis_code"] == NAMUR
    assert body["population"] == ALL_POPULATION


def test_the_nearest_of_several_courses(client):
    f.load_courses(rolling("namur-fle"), rolling("liege-fle", "site-liege"), sites=[AT_NAMUR, AT_LIEGE])
    rows = rows_by_nis(gaps(client, {"kind": "fle"}))
    assert (rows[NAMUR]["nearest_km"], rows[NAMUR]["nearest_course"]) == (0.0, "namur-fle")
    assert (rows[LIEGE]["nearest_km"], rows[LIEGE]["nearest_course"]) == (0.0, "liege-fle")
    assert (rows[FLOREFFE]["nearest_km"], rows[FLOREFFE]["nearest_course"]) == (8.4, "namur-fle")
    assert rows[EUPEN]["nearest_course"] == "liege-fle"
    assert rows[EUPEN]["nearest_km"] == 33.1  # great_circle((50.6279, 6.0365), (50.6337, 5.5675)).km = 33.086…


def test_ties_on_the_same_site_go_to_the_lowest_ref(client):
    f.load_courses(rolling("m-2"), rolling("m-10"), rolling("m-1-b"), sites=[AT_NAMUR])
    rows = rows_by_nis(gaps(client, {"kind": "fle"}))
    assert rows[NAMUR]["nearest_course"] == "m-1-b"  # byte order: "m-1-b" < "m-10" < "m-2"
    assert gaps(client, {"kind": "fle"})["courses_considered"] == 3


def test_ties_at_the_same_rounded_distance_go_to_the_lowest_ref(client):
    # 10.04 km north and 10.01 km south: both 10.0 km; the farther one has the lower ref.
    f.load_courses(rolling("b-south", "south-10-01"), rolling("a-north", "north-10-04"),
                   sites=[NORTH_10_04, SOUTH_10_01])
    rows = rows_by_nis(gaps(client, {"kind": "fle"}))
    assert (rows[NAMUR]["nearest_km"], rows[NAMUR]["nearest_course"]) == (10.0, "a-north")


def test_a_tenth_farther_is_no_tie(client):
    # 10.06 km north rounds to 10.1: the course 10.01 km south is the nearest, whatever its ref.
    f.load_courses(rolling("b-south", "south-10-01"), rolling("a-north", "north-10-06"),
                   sites=[NORTH_10_06, SOUTH_10_01])
    rows = rows_by_nis(gaps(client, {"kind": "fle"}))
    assert (rows[NAMUR]["nearest_km"], rows[NAMUR]["nearest_course"]) == (10.0, "b-south")


# -- which courses count -----------------------------------------------------------------------
def test_only_visible_courses_of_the_kinds_and_level_with_a_next_entry_count(client):
    # At Namur, courses that must not count; at Liège, the one that does.
    f.load_courses(
        rolling("x-draft", status="draft"), rolling("x-archived", status="archived"),
        rolling("x-old", confirmed_at=days(-366)),
        rolling("x-ended", active_from=days(-100), active_until=days(-1)),
        fixed("x-full", {"start": days(10), "status": "full"}),
        fixed("x-closed", {"start": days(10), "status": "open", "registration_deadline": days(-1)}),
        fixed("x-past", {"start": days(-1), "status": "open"}),
        rolling("x-ran", kind="ran"), rolling("x-a2", level_min="alpha", level_max="A2"),
        rolling("x-c1", level_min="C1", level_max="C1"),
        rolling("liege-b1", "site-liege", level_min="A2", level_max="B1", confirmed_at=days(-365)),
        sites=[AT_NAMUR, AT_LIEGE])
    body = gaps(client, {"kind": "fle", "level": "b1"})
    assert body["level"] == "B1" and body["courses_considered"] == 1
    rows = rows_by_nis(body)
    assert (rows[NAMUR]["nearest_km"], rows[NAMUR]["nearest_course"]) == (52.8, "liege-b1")
    assert gaps(client, {"kind": "fle,ran"})["courses_considered"] == 4  # x-a2, x-c1, x-ran, liege-b1
    assert rows_by_nis(gaps(client, {"kind": "ran"}))[NAMUR]["nearest_course"] == "x-ran"


def test_a_fixed_course_counts_with_a_joinable_entry_to_come(client):
    f.load_courses(fixed("waiting", {"start": days(30), "status": "waiting_list"}),
                   fixed("today", {"start": days(0), "status": "open", "registration_deadline": days(0)},
                         site_ref="site-liege"),
                   rolling("later", "site-liege", active_from=days(200)), sites=[AT_NAMUR, AT_LIEGE])
    body = gaps(client, {"kind": "fle"})
    assert body["courses_considered"] == 3
    rows = rows_by_nis(body)
    assert rows[NAMUR]["nearest_course"] == "waiting" and rows[LIEGE]["nearest_course"] == "later"


def test_kinds_are_listed_in_the_scale_order_once(client):
    body = gaps(client, {"kind": "ran, fle,ran", "level": ""})
    assert (body["kind"], body["level"]) == (["fle", "ran"], None)
    assert gaps(client, "kind=ran&kind=alpha_fr")["kind"] == ["alpha_fr", "ran"]


# -- min_km and bassin --------------------------------------------------------------------------
@pytest.mark.parametrize(("min_km", "liege_listed"), [("52.8", False), ("52.79", True), ("52.7", True),
                                                      ("52,8", False), ("52.81", False)])
def test_min_km_is_strict_on_the_rounded_distance(client, min_km, liege_listed):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "min_km": min_km})
    rows = rows_by_nis(body)
    assert (LIEGE in rows) is liege_listed
    assert all(row["nearest_km"] > float(min_km.replace(",", ".")) for row in body["communes"])
    assert body["population"] == sum(row["population"] for row in body["communes"])


def test_min_km_zero_drops_the_communes_at_0_km(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "min_km": "0"})
    assert body["min_km"] == 0 and len(body["communes"]) == 260 and NAMUR not in rows_by_nis(body)
    assert body["population"] == ALL_POPULATION - 111432


def test_min_km_beyond_every_commune_lists_none(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "min_km": "500"})
    assert (body["communes"], body["population"], body["courses_considered"]) == ([], 0, 1)
    assert gaps(client, {"kind": "fle", "min_km": "110.3"})["communes"][0]["nis_code"] == "57097"


def test_bassin_lists_its_communes_and_courses_anywhere_count(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "bassin": "liege"})
    assert body["bassin"] == "Liège"
    expected = {nis for nis, row in COMMUNES.items() if row["bassin_efe"] == "Liège"}
    assert set(rows_by_nis(body)) == expected and len(expected) == 24
    assert rows_by_nis(body)[LIEGE]["nearest_course"] == "namur-fle"
    assert body["population"] == sum(int(COMMUNES[nis]["population"]) for nis in expected)


def test_the_german_speaking_community_is_an_area_of_its_own(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    body = gaps(client, {"kind": "fle", "bassin": "Communaute germanophone", "min_km": "84.5"})
    assert body["bassin"] == "Communauté germanophone"
    # From Namur's point: Bullange 98.7, Burg-Reuland 94.9, Butgenbach 94.8, Amblève 93.2, Saint-Vith 91.7,
    # Raeren 90.9, La Calamine 85.4; Eupen 84.5 and Lontzen 83.9 are not farther than 84.5.
    assert [row["nis_code"] for row in body["communes"]] == [
        "63012", "63087", "63013", "63001", "63067", "63061", "63040"]
    assert {row["bassin"] for row in body["communes"]} == {"Communauté germanophone"}


# -- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "parameter"), [
    ("", "kind"),
    ("kind=", "kind"),
    ("kind=,,", "kind"),
    ("level=A1", "kind"),
    ("kind=xx", "kind"),
    ("kind=fle,xx", "kind"),
    ("kind=fle&level=B3", "level"),
    ("kind=fle&level=A1&level=A2", "level"),
    ("kind=fle&bassin=Atlantide", "bassin"),
    ("kind=fle&bassin=Namur&bassin=Namur", "bassin"),
    ("kind=fle&min_km=-1", "min_km"),
    ("kind=fle&min_km=-0.1", "min_km"),
    ("kind=fle&min_km=abc", "min_km"),
    ("kind=fle&min_km=nan", "min_km"),
    ("kind=fle&min_km=inf", "min_km"),
    ("kind=fle&min_km=-inf", "min_km"),
    ("kind=fle&min_km=1e400", "min_km"),
    ("kind=fle&min_km=1_0", "min_km"),
    ("kind=fle&min_km=10km", "min_km"),
    ("kind=fle&min_km=%00", "min_km"),
    ("kind=fle&min_km=5&min_km=5", "min_km"),
    ("kind=fle&near=5000", "near"),
    ("kind=fle&radius_km=5", "radius_km"),
    ("kind=fle&page=1", "page"),
    ("kind=fle&q=x", "q"),
    ("kind=fle&minkm=5", "minkm"),
    ("kind=fle&lang=xx", "lang"),
    ("kind=fle&lang=fr&lang=en", "lang"),
    ("kind=%00", "kind"),
])
def test_a_bad_parameter_is_a_400_naming_it(client, query, parameter):
    for path in (API, CSV):
        error = bad(client, query, path)
        assert (error["code"], error["parameter"]) == ("invalid_parameter", parameter), (path, query, error)


@pytest.mark.parametrize("query", ["kind=fle&min_km=", "kind=fle&min_km=%20", "kind=fle&min_km=0",
                                   "kind=fle&min_km=1e2", "kind=fle&min_km=.5", "kind=fle&min_km=%D9%A2",
                                   "kind=fle&bassin=", "kind=fle,ran", "kind=fle&lang=", "kind=fle&lang=fa-AF"])
def test_accepted_values(client, query):
    assert client.get(f"{API}?{query}").status_code == 200
    assert client.get(f"{CSV}?{query}").status_code == 200


def test_min_km_echo(client):
    assert gaps(client, "kind=fle&min_km=2,5")["min_km"] == 2.5
    assert gaps(client, "kind=fle&min_km=%D9%A2")["min_km"] == 2  # Arabic-Indic digits, as in the search
    assert gaps(client, "kind=fle&min_km=")["min_km"] is None


@pytest.mark.parametrize(("lang", "words"), [("en", "Choose at least one kind"), ("fr", "au moins un type"),
                                             ("nl", "minstens één soort"), ("de", "mindestens eine Kursart")])
def test_errors_in_the_language_asked(client, lang, words):
    error = bad(client, f"lang={lang}")
    assert words in error["message"]
    assert "km" in bad(client, f"kind=fle&min_km=-1&lang={lang}")["message"]


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_has_the_same_rows_as_json(client):
    f.load_courses(rolling("namur-fle"), rolling("liege-fle", "site-liege"), sites=[AT_NAMUR, AT_LIEGE])
    query = {"kind": "fle", "min_km": "10", "bassin": "Liège"}
    body = gaps(client, query)
    response = client.get(CSV, query_string=query)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_data()
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.splitlines()[0] == "nis_code,name,bassin,population,nearest_km,nearest_course"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) > 5 and rows == [{key: "" if row[key] is None else str(row[key]) for key in ROW_KEYS}
                             for row in body["communes"]]
    assert "Liège" in text


def test_csv_null_cells_are_empty(client):
    response = client.get(CSV, query_string={"kind": "fle", "bassin": "Namur"})
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 34
    assert lines[1:3] == ["91005,Anhée,Namur,7143,,", "91013,Beauraing,Namur,9157,,"]
    assert all(line.endswith(",,") for line in lines[1:])


def test_csv_of_a_commune_at_0_km(client):
    f.load_courses(rolling("namur-fle"), sites=[AT_NAMUR])
    lines = client.get(CSV, query_string={"kind": "fle", "bassin": "Namur"}).get_data(as_text=True).splitlines()
    assert lines[-1] == "92094,Namur,Namur,111432,0.0,namur-fle"
    assert "91143,Vresse-sur-Semois,Namur,2579,66.9,namur-fle" in lines


def test_responses_are_bounded_and_cors_open(client):
    f.load_courses(*[rolling(f"c{i}") for i in range(30)], sites=[AT_NAMUR])
    response = client.get(API, query_string={"kind": "alpha_fr,alpha_nf,fle,ran"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert len(response.get_json()["communes"]) == 261 and len(response.get_data()) < 40_000
