"""The offline gazetteer: postal codes, NIS codes, names, coordinates, bassins."""
from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from portal.geo.gazetteer import (
    DATA_DIR,
    AmbiguousPlace,
    Gazetteer,
    InvalidCoordinates,
    UnknownPlace,
    get_gazetteer,
)

WALLOON_BASSINS = {
    "Brabant wallon", "Wallonie picarde", "Hainaut Centre", "Hainaut Sud", "Namur",
    "Huy-Waremme", "Liège", "Verviers", "Luxembourg",
}
ALL_BASSINS = WALLOON_BASSINS | {"Communauté germanophone"}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


@pytest.fixture(scope="module")
def postcode_rows() -> list[dict[str, str]]:
    return read_csv("wallonia_postcodes.csv")


@pytest.fixture(scope="module")
def commune_rows() -> dict[str, dict[str, str]]:
    return {row["nis_code"]: row for row in read_csv("wallonia_communes.csv")}


def mean_point(rows: list[dict[str, str]], code: str) -> tuple[float, float]:
    points = [(float(r["latitude"]), float(r["longitude"])) for r in rows if r["postal_code"] == code]
    assert points, code
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def test_gazetteer_is_cached_once_per_process():
    assert get_gazetteer() is get_gazetteer()


# -- postal codes and NIS codes -------------------------------------------------------------
@pytest.mark.parametrize("code, n_localities", [("4000", 3), ("7100", 5), ("5000", 2), ("1300", 2)])
def test_postal_code_is_mean_of_its_localities(gaz, postcode_rows, code, n_localities):
    lat, lon = mean_point(postcode_rows, code)
    place = gaz.resolve(code)
    assert place.lat == pytest.approx(lat, abs=1e-9)
    assert place.lon == pytest.approx(lon, abs=1e-9)
    assert place.postal_code == code
    assert len(gaz.postal_code(code).localities) == n_localities


def test_postal_code_mean_is_not_main_locality(gaz):
    """4000 has Glain, Liège and Rocourt: the mean differs from Liège's own point."""
    place = gaz.resolve("4000")
    assert (place.lat, place.lon) != (50.6337, 5.5675)
    assert place.lat == pytest.approx((50.6477 + 50.6337 + 50.6758) / 3)
    assert place.lon == pytest.approx((5.5438 + 5.5675 + 5.5462) / 3)


def test_every_postal_code_mean_matches_csv(gaz, postcode_rows):
    codes = {row["postal_code"] for row in postcode_rows}
    assert len(codes) == 606
    for code in codes:
        lat, lon = mean_point(postcode_rows, code)
        entry = gaz.postal_code(code)
        assert (entry.lat, entry.lon) == (pytest.approx(lat), pytest.approx(lon)), code


@pytest.mark.parametrize("nis, name", [("92094", "Namur"), ("62063", "Liège"), ("63040", "La Calamine")])
def test_nis_code_is_commune_point(gaz, commune_rows, nis, name):
    row = commune_rows[nis]
    place = gaz.resolve(nis)
    assert (place.lat, place.lon) == (float(row["latitude"]), float(row["longitude"]))
    assert place.nis_code == nis
    assert place.label == name


def test_postal_code_gives_commune_and_bassin(gaz):
    liege = gaz.postal_code("4000")
    assert (liege.commune, liege.nis_code, liege.bassin_efe) == ("Liège", "62063", "Liège")
    louviere = gaz.postal_code("7110")
    assert (louviere.commune, louviere.nis_code, louviere.bassin_efe) == ("La Louvière", "58001", "Hainaut Centre")
    kelmis = gaz.postal_code("4720")
    assert (kelmis.commune, kelmis.bassin_efe) == ("La Calamine", "Communauté germanophone")
    couvin = gaz.postal_code("5660")
    assert (couvin.commune, couvin.bassin_efe) == ("Couvin", "Hainaut Sud")
    assert gaz.postal_code(" 5000 ").commune == "Namur"


def test_postal_code_lookup_unknown(gaz):
    assert gaz.postal_code("1000") is None
    assert gaz.commune("21004") is None


def test_every_postal_code_maps_to_one_of_ten_bassins(gaz, postcode_rows):
    assert set(gaz.bassins) == ALL_BASSINS
    assert len(gaz.bassins) == 10
    bassins_of: dict[str, set[str]] = defaultdict(set)
    for row in postcode_rows:
        bassins_of[row["postal_code"]].add(row["bassin_efe"])
    for code, bassins in bassins_of.items():
        assert len(bassins) == 1, code
        assert bassins <= ALL_BASSINS, code
        assert gaz.postal_code(code).bassin_efe in ALL_BASSINS
        assert gaz.postal_code(code).bassin_efe == next(iter(bassins))


def test_every_commune_lists_its_postal_codes(gaz):
    assert len(gaz.communes) == 261
    for commune in gaz.communes.values():
        for code in commune.postal_codes:
            assert gaz.postal_code(code).nis_code == commune.nis_code


@pytest.mark.parametrize("query, expected", [
    ("hainaut centre", "Hainaut Centre"),
    ("HUY WAREMME", "Huy-Waremme"),
    ("liege", "Liège"),
    ("Wallonie-Picarde", "Wallonie picarde"),
    ("communaute germanophone", "Communauté germanophone"),
    ("Brabant wallon", "Brabant wallon"),
])
def test_bassin_name_matching(gaz, query, expected):
    assert gaz.bassin(query) == expected


def test_bassin_unknown(gaz):
    assert gaz.bassin("Bruxelles") is None
    assert gaz.bassin("Hainaut") is None


# -- names ---------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["Liege", "liège", "LIÈGE", " Liège "])
def test_liege_resolves(gaz, query):
    place = gaz.resolve(query)
    assert (place.lat, place.lon, place.nis_code) == (50.6337, 5.5675, "62063")


def test_huy_resolves(gaz, commune_rows):
    place = gaz.resolve("huy")
    row = next(r for r in commune_rows.values() if r["commune"] == "Huy")
    assert place.nis_code == row["nis_code"]
    assert (place.lat, place.lon) == (float(row["latitude"]), float(row["longitude"]))


@pytest.mark.parametrize("query", ["La Louvière", "la louviere", "LA-LOUVIERE", "la-louvière"])
def test_la_louviere_resolves(gaz, query):
    place = gaz.resolve(query)
    assert place.nis_code == "58001"
    assert (place.lat, place.lon) == (50.4866, 4.1879)


@pytest.mark.parametrize("query, nis", [
    ("Kelmis", "63040"), ("La Calamine", "63040"), ("Sankt Vith", "63067"), ("sankt-vith", "63067"),
    ("Büllingen", "63012"), ("bullingen", "63012"), ("Amel", "63001"),
])
def test_german_names_resolve(gaz, commune_rows, query, nis):
    place = gaz.resolve(query)
    assert place.nis_code == nis
    assert place.lat == float(commune_rows[nis]["latitude"])


def test_locality_name_resolves_to_its_point(gaz):
    place = gaz.resolve("Rocourt")
    assert (place.lat, place.lon, place.postal_code) == (50.6758, 5.5462, "4000")


def test_postal_code_and_locality(gaz):
    place = gaz.resolve("4000 rocourt")
    assert (place.lat, place.lon) == (50.6758, 5.5462)
    assert gaz.resolve("6661 Mont").postal_code == "6661"


def test_ambiguous_locality_lists_choices(gaz):
    with pytest.raises(AmbiguousPlace) as info:
        gaz.resolve("Mont")
    assert info.value.choices == ["5530 Mont", "6661 Mont"]
    for choice in info.value.choices:
        assert gaz.resolve(choice).postal_code == choice[:4]


@pytest.mark.parametrize("query", ["Atlantis", "Bruxelles", "1000", "9999", "99999", "21004", "", "   ",
                                   "4000 Atlantis"])
def test_unknown_place(gaz, query):
    with pytest.raises(UnknownPlace):
        gaz.resolve(query)


# -- coordinates ---------------------------------------------------------------------------
@pytest.mark.parametrize("query, lat, lon", [
    ("50.4669,4.8675", 50.4669, 4.8675),
    (" 50.5 , 5 ", 50.5, 5.0),
    ("-33.9,18.4", -33.9, 18.4),
    ("90,180", 90.0, 180.0),
])
def test_lat_lon_parsing(gaz, query, lat, lon):
    place = gaz.resolve(query)
    assert (place.lat, place.lon) == (lat, lon)
    assert place.postal_code is None and place.nis_code is None


@pytest.mark.parametrize("query", ["91,5", "50.5,181", "-90.5,4"])
def test_invalid_coordinates(gaz, query):
    with pytest.raises(InvalidCoordinates):
        gaz.resolve(query)


def test_site_point_locality_else_postal_code_mean(gaz, postcode_rows):
    assert gaz.site_point("4000", "Rocourt") == (50.6758, 5.5462)
    assert gaz.site_point("4000", "ROCOURT") == (50.6758, 5.5462)
    lat, lon = mean_point(postcode_rows, "4000")
    assert gaz.site_point("4000", "Nulle part") == (pytest.approx(lat), pytest.approx(lon))
    assert gaz.site_point("4000", None) == (pytest.approx(lat), pytest.approx(lon))
    assert gaz.site_point("1000", "Bruxelles") is None
