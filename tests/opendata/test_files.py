"""The three files of the open data, read through HTTP as a reuser gets them: only the visible
courses and their operators and sites, each operator's public contact and never a sign-in address;
the JSON imports back through the one import path; the CSV's header and guarded cells; the GeoJSON's
features are the API's course items."""
from __future__ import annotations

import csv
import io
import json

import pytest

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.services import export_offer, import_offer
from portal.opendata.columns import HEADER
from tests.conftest import TODAY
from tests.opendata.conftest import SIGN_IN_ADDRESSES

BASE = "/donnees-ouvertes"
FILES = ("passerelle-offre.csv", "passerelle-offre.json", "passerelle-offre.geojson")
VISIBLE = ["op-a-fixed", "op-a-rolling"]


def fetch(client, path: str, **kwargs):
    """A response read whole and closed (a file sent by the server stays open until then)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def get_file(client, name: str):
    response = fetch(client, f"{BASE}/{name}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def csv_rows(client) -> list[dict[str, str]]:
    text = get_file(client, "passerelle-offre.csv").get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_each_file_holds_the_visible_courses_only(client):
    assert [row["ref"] for row in csv_rows(client)] == VISIBLE
    document = get_file(client, "passerelle-offre.json").get_json()
    assert [o["ref"] for o in document["operators"]] == ["op-a"]  # op-b has no visible course
    assert [s["ref"] for s in document["operators"][0]["sites"]] == ["site-liege", "site-namur"]  # not Arlon
    assert [c["ref"] for c in document["operators"][0]["courses"]] == VISIBLE
    collection = json.loads(get_file(client, "passerelle-offre.geojson").get_data())
    assert [feature["id"] for feature in collection["features"]] == VISIBLE


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_no_file_holds_a_sign_in_address_but_each_holds_the_public_contact(client):
    for name in FILES:
        text = get_file(client, name).get_data().decode("utf-8")
        for address in (*SIGN_IN_ADDRESSES, "b-signin-1234@private.example", "private.example"):
            assert address not in text, (name, address)
    assert {row["operator_email"] for row in csv_rows(client)} == {"info@a.example.org"}
    operator = get_file(client, "passerelle-offre.json").get_json()["operators"][0]
    assert (operator["email"], operator["phone"], operator["website"]) == (
        "info@a.example.org", "+32 81 00 00 00", "https://a.example.org")
    page = client.get(BASE).get_data(as_text=True)
    assert "private.example" not in page


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_csv_row_of_a_course(client):
    rows = {row["ref"]: row for row in csv_rows(client)}
    fixed, rolling = rows["op-a-fixed"], rows["op-a-rolling"]
    assert list(fixed) == list(HEADER)
    assert HEADER[0] == "ref" and HEADER[-1] == "url"
    # A title a spreadsheet would run as a formula, a line starting with "-": behind a "'".
    assert fixed["title"] == "'=HYPERLINK(\"http://evil.example\")"
    assert fixed["description"] == "Ligne 1\n'-2+3 en colonne"
    assert fixed["operator_phone"] == "'+32 81 00 00 00"
    assert {key: fixed[key] for key in (
        "kind", "level_min", "level_max", "entry_mode", "next_entry", "next_entry_status", "next_entry_deadline",
        "entries_state", "entries", "days", "parts_of_day", "hours_per_week", "cost_eur", "childcare",
        "requires_valid_residence_permit", "requires_job_seeker_registration", "confirmed_at", "stale",
        "operator_ref", "operator_name", "operator_email", "operator_website", "site_ref", "street", "postal_code",
        "locality", "commune", "nis_code", "bassin_efe", "lat", "lon", "reception_languages", "url")} == {
        "kind": "alpha_nf", "level_min": "alpha", "level_max": "A1", "entry_mode": "fixed",
        "next_entry": "2027-02-01", "next_entry_status": "open", "next_entry_deadline": "2027-01-25",
        "entries_state": "joinable",
        "entries": "2027-02-01..2027-06-25 deadline=2027-01-25; 2027-09-06 waiting_list",
        "days": "mon, thu", "parts_of_day": "morning", "hours_per_week": "9", "cost_eur": "0",
        "childcare": "yes", "requires_valid_residence_permit": "yes", "requires_job_seeker_registration": "no",
        "confirmed_at": "2026-11-01", "stale": "no",
        "operator_ref": "op-a", "operator_name": "Opérateur A (test)", "operator_email": "info@a.example.org",
        "operator_website": "https://a.example.org", "site_ref": "site-namur", "street": "Rue de Fer 1",
        "postal_code": "5000", "locality": "Namur", "commune": "Namur", "nis_code": "92094", "bassin_efe": "Namur",
        "lat": "50.4669", "lon": "4.8675", "reception_languages": "fr, ar",
        "url": "https://passerelle.test/cours/op-a-fixed"}
    assert {key: rolling[key] for key in ("entry_mode", "next_entry", "active_from", "active_until", "entries",
                                          "hours_per_week", "cost_eur", "stale", "commune", "bassin_efe")} == {
        "entry_mode": "rolling", "next_entry": TODAY.isoformat(), "active_from": "2026-09-01", "active_until": "",
        "entries": "", "hours_per_week": "4.5", "cost_eur": "20", "stale": "yes", "commune": "Liège",
        "bassin_efe": "Liège"}


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_json_is_the_exchange_format_and_imports_back(client):
    document = get_file(client, "passerelle-offre.json").get_json()
    assert list(document) == ["format", "operators"] and document["format"] == "passerelle-offer/1"
    # Over the same database: nothing changes.
    summary = import_offer(document, get_gazetteer(), TODAY)
    assert {name: counts["created"] + counts["updated"] for name, counts in summary.as_dict().items()} == {
        "operators": 0, "sites": 0, "courses": 0}
    # Into an empty database: the same document comes back out.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    import_offer(document, get_gazetteer(), TODAY)
    assert export_offer() == document


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_geojson_features_are_the_api_items(client):
    collection = json.loads(get_file(client, "passerelle-offre.geojson").get_data())
    assert collection["type"] == "FeatureCollection"
    assert (collection["date"], collection["licence"]) == (TODAY.isoformat(), "CC BY 4.0")
    assert collection["attribution"].startswith(f"Passerelle, {TODAY.isoformat()}. Places: © GeoNames")
    api = {feature["id"]: feature for feature in client.get("/api/v1/courses.geojson").get_json()["features"]}
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"} and feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and 2.5 < lon < 6.5 and 49.4 < lat < 50.9
        assert feature == api[feature["id"]]


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_files_are_served_as_static_files(client):
    for name, mimetype in zip(FILES, ("text/csv", "application/json", "application/geo+json"), strict=True):
        response = get_file(client, name)
        assert response.mimetype == mimetype
        stem, extension = name.rsplit(".", 1)
        assert response.headers["Content-Disposition"] == f"attachment; filename={stem}-2026-11-27.{extension}"
        assert response.headers["Cache-Control"] == "public, max-age=3600"
        assert response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response.headers
        etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
        assert fetch(client, f"{BASE}/{name}", headers={"If-None-Match": etag}).status_code == 304
        assert fetch(client, f"{BASE}/{name}", headers={"If-Modified-Since": modified}).status_code == 304
        part = fetch(client, f"{BASE}/{name}", headers={"Range": "bytes=0-9"})
        assert part.status_code == 206 and part.get_data() == response.get_data()[:10]
    assert fetch(client, f"{BASE}/passerelle-offre.csv?lang=nl").get_data() == get_file(
        client, "passerelle-offre.csv").get_data()


@pytest.mark.usefixtures("open_data_dir", "offer")
@pytest.mark.parametrize("name", ["manifest.json", ".build.lock", "passerelle-offre.xlsx", "..%2fpasserelle.db",
                                  "%2e%2e"])
def test_nothing_else_is_served(client, name):
    client.get(BASE)  # the files exist
    assert fetch(client, f"{BASE}/{name}").status_code == 404


@pytest.mark.usefixtures("open_data_dir", "app_context")
def test_an_empty_offer_gives_empty_files(client):
    assert csv_rows(client) == []
    assert get_file(client, "passerelle-offre.json").get_json() == {"format": "passerelle-offer/1", "operators": []}
    assert json.loads(get_file(client, "passerelle-offre.geojson").get_data())["features"] == []


def test_the_unguarded_columns_are_columns():
    """A typo in the list of columns written without a guard would guard nothing less, but say so."""
    from portal.opendata.columns import UNGUARDED

    assert UNGUARDED < set(HEADER)
    assert {"title", "description", "operator_name", "operator_phone", "street", "transit_note"}.isdisjoint(UNGUARDED)
