"""HTTP tests of the public API v1 (api.md) against the rules of domain.md.

Every filter test loads courses that the filter must keep *and* courses it must drop.
"Today" is fixed at 2026-11-27 by the test configuration.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from geopy.distance import great_circle

from tests import factories as f

API = "/api/v1/courses"
TODAY = dt.date(2026, 11, 27)
DATA_DIR = Path(__file__).resolve().parents[2] / "portal" / "geo" / "data"

# The parameters of api.md, "GET /api/v1/courses".
API_PARAMETERS = (
    "kind", "level", "near", "radius_km", "start_from", "start_until", "part_of_day", "day",
    "free", "childcare", "job_oriented", "sector", "audience", "bassin", "q", "sort", "page",
    "per_page",
)
ITEM_KEYS = [
    "ref", "url", "title", "kind", "level_min", "level_max", "operator", "site", "distance_km",
    "entry_mode", "next_entry", "next_entry_status", "next_entry_deadline", "entries_state",
    "parts_of_day", "days", "cost_eur",
    "childcare", "job_oriented", "sectors", "confirmed_at", "stale",
]
SITE_KEYS = ["ref", "locality", "postal_code", "nis_code", "bassin_efe", "lat", "lon", "reception_languages"]
# Course keys of exchange-format.md.
EXCHANGE_COURSE_KEYS = (
    "ref", "site", "title", "kind", "level_min", "level_max", "level_note", "registration",
    "registration_note", "job_oriented", "sectors", "prepares_for", "description", "days",
    "parts_of_day", "hours_per_week", "cost_eur", "childcare", "audiences",
    "requires_job_seeker_registration", "requires_valid_residence_permit", "entry_test",
    "entry_mode", "entries", "active_from", "active_until", "confirmed_at", "status",
)

NAMUR = f.site("site-namur", "5000", "Namur")  # gazetteer point 50.4669, 4.8675
LIEGE = f.site("site-liege", "4000", "Liège")  # 50.6337, 5.5675
ARLON = f.site("site-arlon", "6700", "Arlon")  # 49.6833, 5.8167
EUPEN = f.site("site-eupen", "4700", "Eupen")  # 50.6279, 6.0365
POINTS = {"site-namur": (50.4669, 4.8675), "site-liege": (50.6337, 5.5675),
          "site-arlon": (49.6833, 5.8167), "site-eupen": (50.6279, 6.0365)}


# -- helpers ---------------------------------------------------------------------------------
def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def fixed(ref: str, *entries: tuple, **overrides) -> dict:
    """Entries as (start, status) or (start, status, registration_deadline)."""
    return f.course(ref, entry_mode="fixed",
                    entries=[{"start": start, "status": status, "registration_deadline": rest[0] if rest else None}
                             for start, status, *rest in entries],
                    **overrides)


def rolling(ref: str, active_from: str | None = None, active_until: str | None = None,
            **overrides) -> dict:
    return f.course(ref, entry_mode="rolling", active_from=active_from,
                    active_until=active_until, **overrides)


def search(client, params=None, path: str = API) -> dict:
    response = client.get(path, query_string=params or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def refs(client, params=None) -> list[str]:
    params = dict(params or {})
    params.setdefault("per_page", "100")
    return [item["ref"] for item in search(client, params)["items"]]


def ref_set(client, params=None) -> set[str]:
    return set(refs(client, params))


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return round(great_circle(a, b).km, 1)


def bad(client, query, path: str = API, **kwargs) -> dict:
    response = client.get(path, query_string=query, **kwargs)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["message"], str) and error["message"].strip()
    return error


def postal_rows(code: str) -> list[dict]:
    with open(DATA_DIR / "wallonia_postcodes.csv", encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["postal_code"] == code]


def commune_row(nis: str) -> dict:
    with open(DATA_DIR / "wallonia_communes.csv", encoding="utf-8", newline="") as fh:
        return next(row for row in csv.DictReader(fh) if row["nis_code"] == nis)


# -- no filter, item shape -------------------------------------------------------------------
def test_item_has_exactly_the_fields_of_api_md(client):
    f.load(f.document(f.operator(
        "lee-namur", "Lire et Écrire Namur", sites=[dict(NAMUR, reception_languages=["fr", "ar", "en"])],
        courses=[fixed("lee-namur-fle-a1", ("2026-11-01", "open"), ("2027-01-11", "waiting_list"),
                       ("2027-01-04", "full"), ("2027-03-01", "open"),
                       title="Français oral débutant", kind="fle", level_min="A1", level_max="A2",
                       parts_of_day=["morning"], days=["thu", "mon", "tue"], cost_eur=0,
                       childcare=True, job_oriented=False, sectors=[],
                       confirmed_at="2026-11-02")])))
    body = search(client)
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    assert list(body) == ["total", "page", "per_page", "items"]
    [item] = body["items"]
    assert list(item) == ITEM_KEYS
    assert item == {
        "ref": "lee-namur-fle-a1", "url": "https://passerelle.test/cours/lee-namur-fle-a1",
        "title": "Français oral débutant", "kind": "fle", "level_min": "A1", "level_max": "A2",
        "operator": {"ref": "lee-namur", "name": "Lire et Écrire Namur"},
        "site": {"ref": "site-namur", "locality": "Namur", "postal_code": "5000",
                 "nis_code": "92094", "bassin_efe": "Namur", "lat": 50.4669, "lon": 4.8675,
                 "reception_languages": ["fr", "ar", "en"]},
        "distance_km": None,
        "entry_mode": "fixed", "next_entry": "2027-01-11", "next_entry_status": "waiting_list",
        "next_entry_deadline": None, "entries_state": "joinable",
        "parts_of_day": ["morning"], "days": ["mon", "tue", "thu"],
        "cost_eur": 0, "childcare": True, "job_oriented": False, "sectors": [],
        "confirmed_at": "2026-11-02", "stale": False,
    }
    assert list(item["site"]) == SITE_KEYS


def test_a_passed_registration_deadline_closes_the_entry(client):
    """The field report: "S'inscrire avant le 11 novembre" must not read as open later on."""
    f.load_courses(
        fixed("closed", ("2026-12-03", "open", "2026-11-11")),
        fixed("closed-then-open", ("2026-12-03", "open", "2026-11-11"), ("2027-02-01", "open", "2027-01-15")),
        fixed("deadline-today", ("2026-12-03", "waiting_list", "2026-11-27")),
        fixed("full-and-closed", ("2026-12-03", "full"), ("2027-01-03", "open", "2026-11-26")),
        fixed("full", ("2026-12-03", "full", "2026-12-01")),
        fixed("started", ("2026-11-20", "open")),
        rolling("rolling-ended", "2026-01-01", "2026-11-26"),
    )
    items = {item["ref"]: item for item in search(client, {"per_page": 100})["items"]}
    got = {ref: (item["next_entry"], item["next_entry_status"], item["next_entry_deadline"], item["entries_state"])
           for ref, item in items.items()}
    assert got == {
        "closed": (None, None, None, "registration_closed"),
        "closed-then-open": ("2027-02-01", "open", "2027-01-15", "joinable"),
        "deadline-today": ("2026-12-03", "waiting_list", "2026-11-27", "joinable"),
        "full-and-closed": (None, None, None, "registration_closed"),
        "full": (None, None, None, "full"),
        "started": (None, None, None, "none"),
        "rolling-ended": (None, None, None, "none"),
    }
    # "Can start this month" uses joinable entries only.
    refs = {item["ref"] for item in search(client, {"start_until": "2026-12-31", "per_page": 100})["items"]}
    assert refs == {"deadline-today"}
    # The course itself and the GeoJSON say the same.
    assert client.get("/api/v1/courses/closed").get_json()["entries_state"] == "registration_closed"
    features = client.get("/api/v1/courses.geojson?per_page=100").get_json()["features"]
    assert {f["id"]: f["properties"]["entries_state"] for f in features}["closed-then-open"] == "joinable"


def test_next_entry_of_rolling_and_of_courses_without_one(client):
    f.load_courses(
        rolling("r-open"),  # no bounds: today
        rolling("r-later", "2027-02-01", "2027-06-30"),
        rolling("r-ended", "2026-01-01", "2026-11-26"),
        rolling("r-ends-today", None, "2026-11-27"),
        fixed("f-full", ("2027-01-11", "full"), ("2026-11-20", "open")),
        fixed("f-same-day", ("2027-01-11", "waiting_list"), ("2027-01-11", "open")),
        fixed("f-today", ("2026-11-27", "waiting_list")),
    )
    items = {item["ref"]: item for item in search(client, {"per_page": 100})["items"]}
    got = {ref: (item["next_entry"], item["next_entry_status"]) for ref, item in items.items()}
    assert got == {
        "r-open": ("2026-11-27", "open"),
        "r-later": ("2027-02-01", "open"),
        "r-ended": (None, None),
        "r-ends-today": ("2026-11-27", "open"),
        "f-full": (None, None),
        "f-same-day": ("2027-01-11", "open"),
        "f-today": ("2026-11-27", "waiting_list"),
    }


# -- visibility ------------------------------------------------------------------------------
def test_only_published_courses_confirmed_within_365_days_are_listed(client, today):
    def confirmed(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    f.load_courses(
        f.course("published"),
        f.course("draft", status="draft"),
        f.course("archived", status="archived"),
        f.course("old-366", confirmed_at=confirmed(366)),
        f.course("old-365", confirmed_at=confirmed(365)),
        f.course("fresh-180", confirmed_at=confirmed(180)),
        f.course("stale-181", confirmed_at=confirmed(181)),
        f.course("today", confirmed_at=confirmed(0)),
        f.course("draft-fresh", status="draft", confirmed_at=confirmed(0)),
    )
    body = search(client, {"per_page": 100})
    stale = {item["ref"]: item["stale"] for item in body["items"]}
    assert stale == {"published": False, "old-365": True, "fresh-180": False,
                     "stale-181": True, "today": False}
    assert body["total"] == 5
    # The hidden ones stay hidden whatever the filters.
    assert ref_set(client, {"q": "francais", "sort": "title"}) == set(stale)


# -- kind ------------------------------------------------------------------------------------
def test_kind_one_and_several(client):
    f.load_courses(f.course("k-fle", kind="fle"), f.course("k-ran", kind="ran"),
                   f.course("k-anf", kind="alpha_nf"), f.course("k-afr", kind="alpha_fr",
                                                                level_min="alpha"))
    assert ref_set(client, {"kind": "fle"}) == {"k-fle"}
    assert ref_set(client, {"kind": "alpha_fr"}) == {"k-afr"}
    assert ref_set(client, {"kind": "fle,ran"}) == {"k-fle", "k-ran"}
    assert ref_set(client, {"kind": "alpha_nf,alpha_fr,ran"}) == {"k-anf", "k-afr", "k-ran"}
    assert ref_set(client) == {"k-fle", "k-ran", "k-anf", "k-afr"}


# -- level -----------------------------------------------------------------------------------
def test_level_is_contained_in_the_range_bounds_included(client):
    f.load_courses(
        f.course("alpha-a1", level_min="alpha", level_max="A1"),
        f.course("a1-a2", level_min="A1", level_max="A2"),
        f.course("a2-a2", level_min="A2", level_max="A2"),
        f.course("b1-c1", level_min="B1", level_max="C1"),
    )
    assert ref_set(client, {"level": "alpha"}) == {"alpha-a1"}
    assert ref_set(client, {"level": "A1"}) == {"alpha-a1", "a1-a2"}
    assert ref_set(client, {"level": "A2"}) == {"a1-a2", "a2-a2"}
    assert ref_set(client, {"level": "B1"}) == {"b1-c1"}
    assert ref_set(client, {"level": "B2"}) == {"b1-c1"}
    assert ref_set(client, {"level": "C1"}) == {"b1-c1"}


# -- near, distance --------------------------------------------------------------------------
def _three_towns(client):
    f.load_courses(
        f.course("c-namur", site_ref="site-namur"),
        f.course("c-liege", site_ref="site-liege"),
        f.course("c-arlon", site_ref="site-arlon"),
        sites=[NAMUR, LIEGE, ARLON],
    )


def test_near_lat_lon_gives_great_circle_distances_sorted(client):
    _three_towns(client)
    point = (50.5, 5.0)
    body = search(client, {"near": "50.5,5.0"})
    got = [(item["ref"], item["distance_km"]) for item in body["items"]]
    expected = sorted(
        ((ref, km(point, POINTS[site])) for ref, site in
         (("c-namur", "site-namur"), ("c-liege", "site-liege"), ("c-arlon", "site-arlon"))),
        key=lambda pair: pair[1])
    assert got == expected
    assert [ref for ref, _ in got] == ["c-namur", "c-liege", "c-arlon"]


def test_near_postal_code_is_the_mean_of_its_localities(client):
    _three_towns(client)
    rows = postal_rows("6700")
    assert len(rows) > 1
    mean = (sum(float(r["latitude"]) for r in rows) / len(rows),
            sum(float(r["longitude"]) for r in rows) / len(rows))
    items = {item["ref"]: item["distance_km"] for item in search(client, {"near": "6700"})["items"]}
    assert items == {ref: km(mean, POINTS[site]) for ref, site in
                     (("c-namur", "site-namur"), ("c-liege", "site-liege"), ("c-arlon", "site-arlon"))}
    # Not the main locality's point: the Arlon site (placed at the locality Arlon) is not at 0.
    assert items["c-arlon"] == km(mean, POINTS["site-arlon"]) > 0


def test_near_nis_code_is_the_communes_point(client):
    _three_towns(client)
    row = commune_row("81001")
    point = (float(row["latitude"]), float(row["longitude"]))
    items = {item["ref"]: item["distance_km"] for item in search(client, {"near": "81001"})["items"]}
    assert items == {"c-arlon": km(point, POINTS["site-arlon"]),
                     "c-liege": km(point, POINTS["site-liege"]),
                     "c-namur": km(point, POINTS["site-namur"])}
    assert items["c-arlon"] == 0.0
    assert refs(client, {"near": "81001"}) == ["c-arlon", "c-liege", "c-namur"]


def test_near_commune_name_equals_its_nis_code(client):
    _three_towns(client)
    by_nis = search(client, {"near": "62063"})["items"]
    for name in ("Liège", "liege", "LIÈGE"):
        assert search(client, {"near": name})["items"] == by_nis
    assert [(i["ref"], i["distance_km"]) for i in by_nis][0] == ("c-liege", 0.0)


def test_radius_is_inclusive_on_the_rounded_distance(client):
    near = (50.4669, 4.8675)
    edge = (50.5, 4.9521)
    distance = great_circle(near, edge).km
    radius = round(distance, 1)
    # Guard on the data: the true distance is above the radius but rounds to it.
    assert 0.2 < distance * 10 - int(distance * 10) < 0.45 and distance > radius
    f.load_courses(
        f.course("at-centre", site_ref="site-namur"),
        f.course("at-edge", site_ref="site-edge"),
        f.course("beyond", site_ref="site-beyond"),
        sites=[NAMUR, f.site("site-edge", "5000", "Namur", lat=edge[0], lon=edge[1]),
               f.site("site-beyond", "5000", "Namur", lat=50.52, lon=4.9521)],
    )
    params = {"near": "50.4669,4.8675"}
    body = search(client, dict(params, radius_km=str(radius)))
    assert [(i["ref"], i["distance_km"]) for i in body["items"]] == [("at-centre", 0.0), ("at-edge", radius)]
    assert body["total"] == 2
    assert ref_set(client, dict(params, radius_km=f"{radius - 0.1:.1f}")) == {"at-centre"}
    assert ref_set(client, dict(params, radius_km="100")) == {"at-centre", "at-edge", "beyond"}
    assert ref_set(client, params) == {"at-centre", "at-edge", "beyond"}


def test_radius_with_a_postal_code(client):
    _three_towns(client)
    rows = postal_rows("5000")
    mean = (sum(float(r["latitude"]) for r in rows) / len(rows),
            sum(float(r["longitude"]) for r in rows) / len(rows))
    to_liege = km(mean, POINTS["site-liege"])
    assert ref_set(client, {"near": "5000", "radius_km": str(to_liege)}) == {"c-namur", "c-liege"}
    assert ref_set(client, {"near": "5000", "radius_km": f"{to_liege - 0.1:.1f}"}) == {"c-namur"}


# -- start window ----------------------------------------------------------------------------
def _entries_offer():
    f.load_courses(
        fixed("f-jan", ("2027-01-11", "open"), ("2027-03-01", "full")),
        fixed("f-full", ("2027-03-01", "full")),
        fixed("f-feb-wait", ("2027-02-15", "waiting_list")),
        fixed("f-past", ("2026-11-20", "open")),
        fixed("f-today", ("2026-11-27", "open")),
        fixed("f-2030", ("2030-01-07", "open")),
        fixed("f-none"),
        rolling("r-spring", "2027-02-01", "2027-04-30"),
        rolling("r-until-dec", None, "2026-12-31"),
        rolling("r-from-june", "2027-06-01", None),
        rolling("r-always"),
    )


def test_start_window_fixed_entries_not_full_inclusive(client):
    _entries_offer()

    def fixed_refs(params):
        return {r for r in ref_set(client, params) if r.startswith("f-")}

    assert fixed_refs({"start_from": "2027-01-11", "start_until": "2027-01-11"}) == {"f-jan"}
    assert fixed_refs({"start_from": "2027-01-12", "start_until": "2027-03-31"}) == {"f-feb-wait"}
    assert fixed_refs({"start_from": "2027-02-15", "start_until": "2027-03-01"}) == {"f-feb-wait"}
    assert fixed_refs({"start_from": "2027-03-01", "start_until": "2027-03-01"}) == set()
    # No until: no upper bound.
    assert fixed_refs({"start_from": "2027-01-12"}) == {"f-feb-wait", "f-2030"}
    # No from: today (past entries no longer count, today's does).
    assert fixed_refs({"start_until": "2026-12-31"}) == {"f-today"}
    assert fixed_refs({"start_until": "2027-01-11"}) == {"f-today", "f-jan"}
    # An explicit past from is honoured.
    assert fixed_refs({"start_from": "2026-11-01", "start_until": "2026-11-30"}) == {"f-past", "f-today"}


def test_start_window_rolling_overlap(client):
    _entries_offer()

    def rolling_refs(params):
        return {r for r in ref_set(client, params) if r.startswith("r-")}

    assert rolling_refs({"start_from": "2027-04-30", "start_until": "2027-05-31"}) == {"r-spring", "r-always"}
    assert rolling_refs({"start_from": "2027-01-01", "start_until": "2027-02-01"}) == {"r-spring", "r-always"}
    assert rolling_refs({"start_from": "2027-05-01", "start_until": "2027-05-31"}) == {"r-always"}
    assert rolling_refs({"start_from": "2027-05-01", "start_until": "2027-06-01"}) == {"r-always", "r-from-june"}
    assert rolling_refs({"start_from": "2026-12-31", "start_until": "2027-01-31"}) == {"r-until-dec", "r-always"}
    assert rolling_refs({"start_from": "2027-01-01"}) == {"r-spring", "r-from-june", "r-always"}
    assert rolling_refs({"start_until": "2026-12-15"}) == {"r-until-dec", "r-always"}


def test_without_start_window_every_visible_course_is_listed(client):
    _entries_offer()
    assert len(refs(client)) == 11


# -- schedule and conditions ----------------------------------------------------------------
def test_part_of_day_any_of(client):
    f.load_courses(f.course("p-m", parts_of_day=["morning"]),
                   f.course("p-a", parts_of_day=["afternoon"]),
                   f.course("p-ae", parts_of_day=["afternoon", "evening"]),
                   f.course("p-none", parts_of_day=[]))
    assert ref_set(client, {"part_of_day": "evening"}) == {"p-ae"}
    assert ref_set(client, {"part_of_day": "afternoon"}) == {"p-a", "p-ae"}
    assert ref_set(client, {"part_of_day": "morning,evening"}) == {"p-m", "p-ae"}
    assert len(refs(client)) == 4


def test_day_any_of(client):
    f.load_courses(f.course("d-mon", days=["mon"]), f.course("d-tue-sat", days=["tue", "sat"]),
                   f.course("d-sun", days=["sun"]), f.course("d-wed", days=["wed", "fri"]))
    assert ref_set(client, {"day": "sat"}) == {"d-tue-sat"}
    assert ref_set(client, {"day": "mon,sun"}) == {"d-mon", "d-sun"}
    assert ref_set(client, {"day": "thu"}) == set()
    assert len(refs(client)) == 4


def test_free_childcare_job_oriented_sector(client):
    f.load_courses(
        f.course("free-plain", cost_eur=0),
        f.course("paid", cost_eur=120),
        f.course("paid-cheap", cost_eur=0.5, childcare=True),
        f.course("care", job_oriented=True, sectors=["care", "cleaning"], cost_eur=30),
        f.course("build", job_oriented=True, sectors=["construction"]),
        f.course("sector-not-job", job_oriented=False, sectors=["it"]),
    )
    all_refs = {"free-plain", "paid", "paid-cheap", "care", "build", "sector-not-job"}
    assert ref_set(client) == all_refs
    assert ref_set(client, {"free": "1"}) == {"free-plain", "build", "sector-not-job"}
    assert ref_set(client, {"childcare": "1"}) == {"paid-cheap"}
    assert ref_set(client, {"job_oriented": "1"}) == {"care", "build"}
    assert ref_set(client, {"sector": "care"}) == {"care"}
    assert ref_set(client, {"sector": "cleaning"}) == {"care"}
    assert ref_set(client, {"sector": "construction"}) == {"build"}
    assert ref_set(client, {"sector": "horeca"}) == set()
    assert ref_set(client, {"free": "1", "job_oriented": "1"}) == {"build"}


def test_audience_courses_for_all_always_match(client):
    f.load_courses(f.course("a-all", audiences=["all"]), f.course("a-women", audiences=["women"]),
                   f.course("a-js-cpas", audiences=["job_seekers", "cpas"]),
                   f.course("a-all-women", audiences=["all", "women"]))
    assert ref_set(client, {"audience": "women"}) == {"a-all", "a-women", "a-all-women"}
    assert ref_set(client, {"audience": "cpas"}) == {"a-all", "a-js-cpas", "a-all-women"}
    assert ref_set(client, {"audience": "workers"}) == {"a-all", "a-all-women"}
    assert ref_set(client, {"audience": "all"}) == {"a-all", "a-all-women"}


def test_bassin(client):
    f.load_courses(
        f.course("b-namur", site_ref="site-namur"), f.course("b-liege", site_ref="site-liege"),
        f.course("b-arlon", site_ref="site-arlon"), f.course("b-eupen", site_ref="site-eupen"),
        sites=[NAMUR, LIEGE, ARLON, EUPEN],
    )
    assert ref_set(client, {"bassin": "Namur"}) == {"b-namur"}
    assert ref_set(client, {"bassin": "Luxembourg"}) == {"b-arlon"}
    assert ref_set(client, {"bassin": "Liège"}) == {"b-liege"}
    assert ref_set(client, {"bassin": "Communauté germanophone"}) == {"b-eupen"}
    assert ref_set(client, {"bassin": "Hainaut Centre"}) == set()
    bassins = {i["ref"]: i["site"]["bassin_efe"] for i in search(client)["items"]}
    assert bassins == {"b-namur": "Namur", "b-liege": "Liège", "b-arlon": "Luxembourg",
                       "b-eupen": "Communauté germanophone"}


# -- q ---------------------------------------------------------------------------------------
def _text_offer():
    f.load(f.document(
        f.operator("op-lee", "Lire et Écrire Namur", sites=[NAMUR], courses=[
            f.course("q-fr", site_ref="site-namur", title="Français oral débutant",
                     description="Parler au quotidien.")]),
        f.operator("op-cpas", "CPAS de Liège", sites=[f.site("site-rocourt", "4000", "Rocourt")],
                   courses=[f.course("q-ran", site_ref="site-rocourt", kind="ran",
                                     title="Remise à niveau en mathématiques",
                                     description="Calcul et écriture.")]),
    ))


@pytest.mark.parametrize(("q", "expected"), [
    ("FRANCAIS", {"q-fr"}),  # title, case
    ("français", {"q-fr"}),  # title, accent given
    ("Mathematiques", {"q-ran"}),  # title, accent omitted
    ("quotidien", {"q-fr"}),  # description only
    ("écriture", {"q-ran"}),  # description only
    ("ecrire", {"q-fr"}),  # operator name only ("Écrire")
    ("cpas", {"q-ran"}),  # operator name only
    ("rocourt", {"q-ran"}),  # locality only
    ("ROCOURT", {"q-ran"}),
    ("debut", {"q-fr"}),  # substring
    ("francais namur", {"q-fr"}),  # title + operator/locality
    ("quotidien debutant", {"q-fr"}),  # description + title
    ("Calcul  rocourt cpas", {"q-ran"}),  # description + locality + operator, extra space
    ("francais liege", set()),  # each word is in another course
    ("francais zzz", set()),
    ("", {"q-fr", "q-ran"}),
])
def test_q_every_word_accent_and_case_insensitive(client, q, expected):
    _text_offer()
    assert ref_set(client, {"q": q}) == expected


@pytest.mark.parametrize("q", [
    "a b c d e f g h i j k",  # 11 words
    " ".join(["fr"] * 11),  # the same word 11 times is 11 words
    "a b c d e f g h i j¨k",  # the diaeresis becomes a space once accents are removed: 11 words
    "a " * 50,
])
def test_q_has_at_most_10_words(client, q):
    _text_offer()
    for path in (API, "/api/v1/courses.geojson"):
        error = bad(client, {"q": q}, path=path)
        assert (error["code"], error["parameter"]) == ("invalid_parameter", "q")
    assert "10" in bad(client, {"q": q, "lang": "en"})["message"]


def test_q_of_10_words_is_a_search(client):
    _text_offer()
    assert ref_set(client, {"q": "francais oral debutant parler au quotidien lire ecrire namur 5000"}) == set()
    assert ref_set(client, {"q": "francais oral debutant parler au quotidien lire ecrire namur quot"}) == {"q-fr"}


# -- sort ------------------------------------------------------------------------------------
def test_default_sort_without_near_is_next_entry_then_title_then_ref(client):
    f.load_courses(
        rolling("n-today", title="Zeta"),
        fixed("n-dec", ("2026-12-01", "open"), title="Beta"),
        fixed("n-dec-0", ("2026-12-01", "waiting_list"), title="Beta"),
        fixed("n-dec-a", ("2026-12-01", "open"), title="alpha"),
        fixed("n-jan", ("2027-01-11", "waiting_list"), ("2026-12-01", "full"), title="Alpha"),
        rolling("n-feb", "2027-02-01", None, title="Alpha"),
        fixed("n-none-fixed", ("2027-01-01", "full"), ("2026-10-01", "open"), title="Gamma"),
        rolling("n-none-rolling", None, "2026-11-01", title="Delta"),
        fixed("n-no-entries", title="Aardvark"),
    )
    expected = ["n-today", "n-dec-a", "n-dec", "n-dec-0", "n-jan", "n-feb",
                "n-no-entries", "n-none-rolling", "n-none-fixed"]
    assert refs(client) == expected
    assert refs(client, {"sort": "next_entry"}) == expected
    # A page in the middle keeps the same order.
    assert refs(client, {"per_page": "3", "page": "3"}) == expected[6:9]


def test_sort_by_title_folds_case_and_accents_then_ref(client):
    f.load_courses(
        f.course("t3", title="Zèbre"), f.course("t1", title="Écrire au quotidien"),
        f.course("t0", title="ecrire au quotidien"), f.course("t5", title="alpha"),
        f.course("t2", title="Bravo"), f.course("t9", title="Œuvre"),
        # Same title: the ref decides, in plain character order ("-" before letters).
        f.course("x-z", title="Même titre"), f.course("xa", title="meme titre"),
    )
    assert refs(client, {"sort": "title"}) == ["t5", "t2", "t0", "t1", "x-z", "xa", "t9", "t3"]


def test_default_sort_with_near_is_distance_ties_by_title_then_ref(client):
    f.load_courses(
        f.course("far", site_ref="site-arlon", title="A"),
        f.course("mid-b", site_ref="site-liege", title="B"),
        f.course("mid-a2", site_ref="site-liege", title="a"),
        f.course("mid-a1", site_ref="site-liege", title="À"),
        f.course("near", site_ref="site-namur", title="Z"),
        sites=[NAMUR, LIEGE, ARLON],
    )
    expected = ["near", "mid-a1", "mid-a2", "mid-b", "far"]
    assert refs(client, {"near": "5000"}) == expected
    assert refs(client, {"near": "5000", "sort": "distance"}) == expected
    assert refs(client, {"near": "5000", "sort": "title"}) == ["far", "mid-a1", "mid-a2", "mid-b", "near"]
    distances = [i["distance_km"] for i in search(client, {"near": "5000"})["items"]]
    assert distances == sorted(distances) and distances[1] == distances[2] == distances[3]


def test_near_with_next_entry_sort_still_gives_distances(client):
    f.load_courses(
        rolling("later", "2027-03-01", None, site_ref="site-namur"),
        rolling("sooner", "2027-01-01", None, site_ref="site-arlon"),
        sites=[NAMUR, ARLON],
    )
    items = search(client, {"near": "92094", "sort": "next_entry"})["items"]
    assert [(i["ref"], i["distance_km"]) for i in items] == [
        ("sooner", km(POINTS["site-namur"], POINTS["site-arlon"])), ("later", 0.0)]


# -- pagination ------------------------------------------------------------------------------
def test_page_and_per_page(client):
    f.load_courses(*(f.course(f"p{i:02d}", title=f"Cours {i:02d}") for i in range(25)))
    every = [f"p{i:02d}" for i in range(25)]
    body = search(client, {"sort": "title"})
    assert (body["total"], body["page"], body["per_page"]) == (25, 1, 20)
    assert [i["ref"] for i in body["items"]] == every[:20]
    body = search(client, {"sort": "title", "page": "2"})
    assert (body["total"], body["page"], body["per_page"]) == (25, 2, 20)
    assert [i["ref"] for i in body["items"]] == every[20:]
    body = search(client, {"sort": "title", "per_page": "10", "page": "3"})
    assert [i["ref"] for i in body["items"]] == every[20:]
    assert (body["total"], body["page"], body["per_page"]) == (25, 3, 10)
    body = search(client, {"sort": "title", "per_page": "10", "page": "4"})
    assert body["items"] == [] and body["total"] == 25
    assert refs(client, {"sort": "title", "per_page": "100"}) == every
    paged = [r for page in (1, 2, 3, 4, 5) for r in refs(client, {"sort": "title", "per_page": "6",
                                                                  "page": str(page)})]
    assert paged == every
    assert search(client, {"per_page": "1", "kind": "ran"}) == {"total": 0, "page": 1,
                                                                "per_page": 1, "items": []}


# -- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "parameter"), [
    ("level=B3", "level"),
    ("kind=xx", "kind"),
    ("kind=fle,xx", "kind"),
    ("near=5000&radius_km=-1", "radius_km"),
    ("near=5000&radius_km=0", "radius_km"),
    ("near=5000&radius_km=abc", "radius_km"),
    ("near=5000&radius_km=nan", "radius_km"),
    ("near=5000&radius_km=inf", "radius_km"),
    ("radius_km=5", "radius_km"),
    ("start_from=2026-02-30", "start_from"),
    ("start_from=27/11/2026", "start_from"),
    ("start_until=2027-13-01", "start_until"),
    ("start_from=2027-02-01&start_until=2027-01-31", "start_until"),
    ("free=maybe", "free"),
    ("childcare=oui%20bien%20s%C3%BBr", "childcare"),
    ("job_oriented=2", "job_oriented"),
    ("per_page=101", "per_page"),
    ("per_page=0", "per_page"),
    ("per_page=-5", "per_page"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=1.5", "page"),
    ("sort=distance", "sort"),
    ("sort=foo", "sort"),
    ("bassin=Atlantis", "bassin"),
    ("sector=xx", "sector"),
    ("audience=everyone", "audience"),
    ("part_of_day=night", "part_of_day"),
    ("day=monday", "day"),
    ("levle=A1", "levle"),
    ("level=A1&level=A2", "level"),
    ("near=5000&near=4000", "near"),
    ("q=a&q=b", "q"),
    ("free=1&free=1", "free"),
    ("sort=title&sort=title", "sort"),
    ("near=91,5", "near"),
])
def test_bad_parameter_is_a_400_naming_it(client, query, parameter):
    f.load_courses(f.course("c1"))
    for path in (API, "/api/v1/courses.geojson"):
        error = bad(client, query, path=path)
        assert error["code"] == "invalid_parameter"
        assert error["parameter"] == parameter


@pytest.mark.parametrize("near", ["1000", "99999", "Atlantis", "9999", "00000"])
def test_unknown_place_is_its_own_error(client, near):
    error = bad(client, {"near": near})
    assert (error["code"], error["parameter"]) == ("unknown_place", "near")


def test_ambiguous_place_gives_choices(client):
    error = bad(client, {"near": "Mont"})
    assert (error["code"], error["parameter"]) == ("unknown_place", "near")
    assert set(error["choices"]) == {"5530 Mont", "6661 Mont"}
    # Each choice is itself a place the API understands.
    for choice in error["choices"]:
        assert search(client, {"near": choice})["total"] == 0


@pytest.mark.parametrize("language", [{"query": {"lang": "en"}}, {"query": {"lang": "fr"}},
                                      {"headers": {"Accept-Language": "fr-BE,fr;q=0.9"}},
                                      {"headers": {"Accept-Language": "en"}}])
def test_error_messages_in_the_language_asked(client, language):
    query = dict(language.get("query", {}), level="B3")
    error = bad(client, query, headers=language.get("headers", {}))
    assert (error["code"], error["parameter"]) == ("invalid_parameter", "level")
    # `lang` itself is accepted by the search.
    assert search(client, dict(language.get("query", {}), level="A1"))["total"] == 0


ODD_QUERIES = [
    "q=" + "x" * 5000,
    "q=" + "é" * 200,
    "q=" + "mot " * 60,
    "q=%F0%9F%98%80%20%E4%BD%A0%E5%A5%BD",
    "q=%25%25_%5C",
    "q=%00",
    "q=%ED%A0%80",
    "q=%FF%FE",
    "near=%00",
    "near=%F0%9F%98%80",
    "near=" + "9" * 400,
    "near=50.5,4.5,3",
    "near=1e400,5",
    "near=-90,-180&radius_km=1000",
    "near=90,180",
    "near=nan,nan",
    "near=5000&radius_km=nan",
    "near=5000&radius_km=inf",
    "near=5000&radius_km=-inf",
    "near=5000&radius_km=1e400",
    "near=5000&radius_km=0.0000001",
    "near=5000&radius_km=1000",
    "page=99999999999999999999",
    "per_page=99999999999999999999",
    "page=%C2%B2",
    "per_page=%D9%A3",
    "page=%EF%BC%91",
    "start_from=9999-12-31",
    "start_from=0000-01-01",
    "start_until=99999-01-01",
    "start_from=2027-1-1",
    "level=%00",
    "kind=,,,",
    "kind=%00",
    "day=mon,,tue",
    "bassin=%00",
    "sector=%F0%9F%98%80",
    "sort=%00",
    "%00=1",
    "=1",
    "lang=xx",
    "lang=%00",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_inputs_are_never_a_500(client, query):
    f.load_courses(f.course("c1"))
    for path in (API, "/api/v1/courses.geojson"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (query, response.status_code, response.get_data(as_text=True))
        body = response.get_json()
        if response.status_code == 400:
            assert body["error"]["code"] in ("invalid_parameter", "unknown_place")
            assert "parameter" in body["error"]


@pytest.mark.parametrize("ref", ["%00", "a%00b", "x" * 500, "%F0%9F%98%80", "%25", "a%20b"])
def test_odd_refs_are_never_a_500(client, ref):
    f.load_courses(f.course("c1"))
    response = client.get(f"{API}/{ref}")
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "not_found"


# -- one course ------------------------------------------------------------------------------
def test_course_detail_has_exchange_fields_and_item_fields(client):
    entries = [{"start": "2027-01-11", "end": "2027-06-25", "registration_deadline": "2026-12-18",
                "status": "open"},
               {"start": "2027-09-06", "end": None, "registration_deadline": None, "status": "full"}]
    course = fixed("lee-namur-fle-a1", title="Français oral débutant", level_note="test à l'accueil",
                   registration="shared_intake", registration_note="Appeler le lundi",
                   prepares_for=["citizenship"], audiences=["newcomers", "women"], hours_per_week=9,
                   entry_test=True, requires_valid_residence_permit=True, cost_eur=12.5)
    course["entries"] = entries
    f.load(f.document(f.operator("lee-namur", "Lire et Écrire Namur",
                                 sites=[dict(NAMUR, reception_languages=["uk", "ru"])], courses=[course])))
    response = client.get(f"{API}/lee-namur-fle-a1")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    detail = response.get_json()
    assert set(EXCHANGE_COURSE_KEYS) | set(ITEM_KEYS) <= set(detail)
    assert detail["entries"] == entries
    expected_exchange = {k: course[k] for k in EXCHANGE_COURSE_KEYS if k not in ("site", "entries")}
    assert {k: detail[k] for k in expected_exchange} == expected_exchange
    [item] = search(client)["items"]
    for key in ITEM_KEYS:
        if key in ("operator", "site"):
            assert item[key].items() <= detail[key].items(), key
        else:
            assert detail[key] == item[key], key
    assert detail["next_entry"] == "2027-01-11" and detail["distance_km"] is None
    assert detail["site"]["ref"] == "site-namur"
    assert detail["site"]["reception_languages"] == item["site"]["reception_languages"] == ["uk", "ru"]


@pytest.mark.parametrize("ref", ["unknown", "c-draft", "c-archived", "c-old"])
def test_course_detail_404_for_unknown_or_invisible(client, ref, today):
    f.load_courses(f.course("c-ok"), f.course("c-draft", status="draft"),
                   f.course("c-archived", status="archived"),
                   f.course("c-old", confirmed_at=(today - dt.timedelta(days=366)).isoformat()))
    assert client.get(f"{API}/c-ok").status_code == 200
    response = client.get(f"{API}/{ref}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_course_detail_of_a_stale_course(client, today):
    f.load_courses(f.course("c-stale", confirmed_at=(today - dt.timedelta(days=200)).isoformat()))
    detail = search(client, path=f"{API}/c-stale")
    assert detail["stale"] is True and detail["ref"] == "c-stale"


# -- GeoJSON ---------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    {},
    {"near": "5000"},
    {"near": "5000", "radius_km": "80", "kind": "fle,ran"},
    {"sort": "title", "per_page": "2", "page": "2"},
    {"level": "B1"},
])
def test_geojson_is_the_same_search(client, params):
    f.load_courses(
        f.course("g-namur", site_ref="site-namur", title="Un"),
        f.course("g-liege", site_ref="site-liege", kind="ran", title="Deux"),
        f.course("g-arlon", site_ref="site-arlon", title="Trois"),
        f.course("g-eupen", site_ref="site-eupen", kind="alpha_nf", title="Quatre", level_min="alpha",
                 level_max="A1"),
        f.course("g-draft", status="draft"),
        sites=[NAMUR, LIEGE, ARLON, EUPEN],
    )
    items = search(client, params)
    response = client.get("/api/v1/courses.geojson", query_string=params)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    geo = response.get_json()
    assert geo["type"] == "FeatureCollection"
    assert [feature["properties"] for feature in geo["features"]] == items["items"]
    for feature, item in zip(geo["features"], items["items"], strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point",
                                       "coordinates": [item["site"]["lon"], item["site"]["lat"]]}
    site_points = {tuple(reversed(p)) for p in POINTS.values()}
    assert {tuple(ft["geometry"]["coordinates"]) for ft in geo["features"]} <= site_points


# -- OpenAPI, CORS, health --------------------------------------------------------------------
def test_openapi_lists_every_parameter(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    for path in ("/courses", "/courses.geojson"):
        names = {p["name"] for p in doc["paths"][path]["get"]["parameters"]}
        assert set(API_PARAMETERS) <= names, set(API_PARAMETERS) - names
    assert "/courses/{ref}" in doc["paths"]
    item = doc["components"]["schemas"]["CourseItem"]
    assert set(item["required"]) == set(ITEM_KEYS)


@pytest.mark.parametrize("url", [API, f"{API}?level=B3", f"{API}/nope", "/api/v1/courses.geojson",
                                 "/api/v1/openapi.json"])
def test_cors_is_open(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == "ok"
