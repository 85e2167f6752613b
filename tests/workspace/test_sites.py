"""Sites in the workspace: created and edited through the import's rules, placed by the gazetteer
unless the operator places the pin, errors beside their fields, the public search updated at once,
and who may do it (role × route)."""
from __future__ import annotations

import re

import pytest
from geopy.distance import great_circle
from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.models import Site
from tests.conftest import make_app
from tests.html import parse
from tests.people import LOGIN, PASSWORD, check_matrix, make_people, over_matrix, signed_in_client

NEW = "/espace/organismes/op-a/lieux/nouveau"
FORM = {"name": "Maison de quartier", "street": "Rue de Dave 12", "postal_code": "5100", "locality": "jambes",
        "wheelchair_accessible": "y", "transit_note": "Bus 4, arrêt Jambes Gare", "lat": "", "lon": ""}


@pytest.fixture()
def people(app_context):
    return make_people()


@pytest.fixture()
def operator_a(app, people):
    return signed_in_client(app, people["operator A"])


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-([\w-]+)">([^<]*)</p>', page))


def site(ref: str) -> Site:
    db.session.expire_all()
    return db.session.scalar(select(Site).where(Site.ref == ref))


def site_count() -> int:
    return db.session.scalar(select(func.count(Site.id)))


def distance_from_namur(client, course_ref: str) -> float:
    found = client.get("/api/v1/courses?near=5000&per_page=100").get_json()
    return next(item["distance_km"] for item in found["items"] if item["ref"] == course_ref)


def test_new_site_is_placed_by_the_gazetteer(operator_a):
    response = operator_a.post(NEW, data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/espace/lieux/op-a-jambes-maison-de-quartier/modifier?saved=1")
    created = site("op-a-jambes-maison-de-quartier")
    jambes = get_gazetteer().locality("5100", "Jambes")
    assert created.operator.ref == "op-a"
    assert created.locality == "Jambes"  # the gazetteer's spelling of what was typed
    assert (created.commune, created.bassin_efe, created.nis_code) == ("Namur", "Namur", jambes.nis_code)
    assert (created.lat, created.lon, created.coordinates_given) == (jambes.lat, jambes.lon, False)
    assert created.wheelchair_accessible and created.transit_note == "Bus 4, arrêt Jambes Gare"
    # The operator page lists it, with its commune, bassin, courses and where its position comes from.
    page = parse(operator_a.get("/espace/organismes/op-a").get_data(as_text=True))
    rows = {row.select("th")[0].text: row for row in page.select("section.sites tbody tr")}
    assert set(rows) == {"Centre", "Maison de quartier"}
    cells = [cell.text for cell in rows["Maison de quartier"].select("td")]
    assert cells[:4] == ["Rue de Dave 12, 5100 Jambes", "Namur", "Namur", "0"]
    assert rows["Centre"].select("td")[3].text == "1"  # course-a is given there
    edit = rows["Maison de quartier"].one("a")["href"]
    assert edit.endswith("/espace/lieux/op-a-jambes-maison-de-quartier/modifier")
    # A second site of the same name and place gets its own ref.
    assert operator_a.post(NEW, data=FORM).headers["Location"].endswith(
        "/espace/lieux/op-a-jambes-maison-de-quartier-2/modifier?saved=1")


def test_changing_the_address_moves_the_courses_in_the_public_search_at_once(operator_a):
    before = distance_from_namur(operator_a, "course-a")
    data = dict(FORM, name="Centre", street="Grand-Rue 1", postal_code="6830", locality="Bouillon")
    response = operator_a.post("/espace/lieux/site-a/modifier", data=data)
    assert response.status_code == 302
    after = distance_from_namur(operator_a, "course-a")
    bouillon = get_gazetteer().locality("6830", "Bouillon")
    assert before < 3 and after > 70
    item = operator_a.get("/api/v1/courses/course-a").get_json()
    assert (item["site"]["locality"], item["site"]["bassin_efe"]) == ("Bouillon", "Luxembourg")
    assert (item["site"]["lat"], item["site"]["lon"]) == (bouillon.lat, bouillon.lon)
    near = operator_a.get("/api/v1/courses?near=6830%20Bouillon&radius_km=5").get_json()
    assert [i["ref"] for i in near["items"]] == ["course-a"]
    assert operator_a.get("/api/v1/courses?q=bouillon").get_json()["total"] == 1  # its words follow too


def test_coordinates_given_are_kept_marked_and_can_be_given_back_to_the_gazetteer(operator_a):
    # A French decimal comma works; so does a pair pasted from a map ("lat, lon") into the first field.
    response = operator_a.post("/espace/lieux/site-a/modifier",
                               data=dict(FORM, postal_code="5000", locality="Namur", lat="50,4701", lon="4.8702"))
    assert response.status_code == 302
    placed = site("site-a")
    assert (placed.lat, placed.lon, placed.coordinates_given) == (50.4701, 4.8702, True)
    page = operator_a.get("/espace/lieux/site-a/modifier").get_data(as_text=True)
    assert parse(page).one("#lat")["value"] == "50.4701" and parse(page).one("#lon")["value"] == "4.8702"
    centre = get_gazetteer().postal_code("5000")
    assert distance_from_namur(operator_a, "course-a") == round(great_circle((centre.lat, centre.lon),
                                                                             (50.4701, 4.8702)).km, 1)
    operator_a.post("/espace/lieux/site-a/modifier", data=dict(FORM, postal_code="5000", locality="Namur",
                                                               lat="50.4800, 4.8800"))
    assert (site("site-a").lat, site("site-a").lon) == (50.48, 4.88)
    # Emptied fields give the site back to the gazetteer.
    operator_a.post("/espace/lieux/site-a/modifier", data=dict(FORM, postal_code="5000", locality="Namur"))
    namur = get_gazetteer().locality("5000", "Namur")
    back = site("site-a")
    assert (back.lat, back.lon, back.coordinates_given) == (namur.lat, namur.lon, False)
    page = parse(operator_a.get("/espace/lieux/site-a/modifier").get_data(as_text=True))
    assert page.one("#lat").get("value", "") == "" and page.one("#lon").get("value", "") == ""


def test_operator_page_tells_whether_the_position_was_set_by_hand(operator_a):
    def position_cell() -> str:
        page = parse(operator_a.get("/espace/organismes/op-a").get_data(as_text=True))
        return page.select("section.sites tbody td")[4].text

    from_postal_code = position_cell()
    operator_a.post("/espace/lieux/site-a/modifier",
                    data=dict(FORM, postal_code="5000", locality="Namur", lat="50.47", lon="4.87"))
    by_hand = position_cell()
    assert from_postal_code and by_hand and from_postal_code != by_hand


@pytest.mark.parametrize(("lat", "lon", "wrong"), [("48.8566", "2.3522", {"lat", "lon"}),  # Paris
                                                    ("50.94", "6.96", {"lon"}),  # Köln
                                                    ("4.87", "50.47", {"lat", "lon"})])  # swapped
def test_coordinates_outside_wallonia_are_refused_beside_the_fields(operator_a, lat, lon, wrong):
    count = site_count()
    response = operator_a.post(NEW, data=dict(FORM, lat=lat, lon=lon))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = errors_of(page)
    assert set(errors) == wrong
    for name in wrong:  # plain words (the catalogue says them in French), not the file format's
        assert "Wallon" in errors[name] and "is not between" not in errors[name] and "lat and lon" not in errors[name]
    for name in wrong:
        field = parse(page).one(f"#{name}")
        assert "error-" + name in field["aria-describedby"] and field["aria-invalid"] == "true"
    fields = parse(page)
    assert fields.one("#lat")["value"] == lat and fields.one("#lon")["value"] == lon  # kept
    assert fields.one("#name")["value"] == "Maison de quartier"
    assert site_count() == count  # nothing saved


def test_an_edit_with_a_bad_position_changes_nothing(operator_a):
    before = site("site-a")
    kept = (before.postal_code, before.lat, before.lon, before.coordinates_given)
    response = operator_a.post("/espace/lieux/site-a/modifier", data=dict(FORM, lat="51.5", lon="4.8"))
    assert response.status_code == 400 and set(errors_of(response.get_data(as_text=True))) == {"lat"}
    after = site("site-a")
    assert (after.postal_code, after.lat, after.lon, after.coordinates_given) == kept


@pytest.mark.parametrize(("lat", "lon", "wrong"), [("50.47", "", {"lon"}), ("", "4.87", {"lat"}),
                                                    ("nord", "4.87", {"lat"}), ("50.47", "inf", {"lon"})])
def test_half_or_unreadable_coordinates_are_refused_beside_the_field(operator_a, lat, lon, wrong):
    response = operator_a.post(NEW, data=dict(FORM, lat=lat, lon=lon))
    assert response.status_code == 400
    assert set(errors_of(response.get_data(as_text=True))) == wrong


@pytest.mark.parametrize("postal_code", ["9999", "1000", "50", ""])
def test_bad_postal_code_is_shown_beside_it(operator_a, postal_code):
    count = site_count()
    response = operator_a.post(NEW, data=dict(FORM, postal_code=postal_code))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert set(errors_of(page)) == {"postal_code"}
    field = parse(page).one("#postal_code")
    assert field.get("value", "") == postal_code and "error-postal_code" in field["aria-describedby"]
    assert site_count() == count


def test_unknown_locality_is_kept_and_placed_at_the_postal_code(operator_a):
    response = operator_a.post(NEW, data=dict(FORM, postal_code="5000", locality="Bomel"))
    assert response.status_code == 302
    ref = re.search(r"/espace/lieux/([^/]+)/modifier", response.headers["Location"]).group(1)
    placed = site(ref)
    postal = get_gazetteer().postal_code("5000")
    assert placed.locality == "Bomel"  # the import accepts any locality: so does the form
    assert (placed.lat, placed.lon, placed.coordinates_given) == (round(postal.lat, 6), round(postal.lon, 6), False)
    hint = parse(operator_a.get(f"/espace/lieux/{ref}/modifier").get_data(as_text=True)).one("#hint-locality")
    assert "Bomel" in hint.text and "Beez" in hint.text and "Namur" in hint.text  # what we know instead
    # An empty locality is the postal code's main one.
    response = operator_a.post(NEW, data=dict(FORM, name="", postal_code="5100", locality=""))
    assert response.headers["Location"].endswith("/espace/lieux/op-a-dave/modifier?saved=1")
    assert site("op-a-dave").locality == "Dave"


def test_position_lookup_gives_the_gazetteers_point_and_localities(operator_a):
    found = operator_a.get("/espace/lieux/position?postal_code=5100&locality=wepion").get_json()
    wepion = get_gazetteer().locality("5100", "Wépion")
    assert found["locality"] == "Wépion" and (found["lat"], found["lon"]) == (wepion.lat, wepion.lon)
    assert found["commune"] == "Namur" and found["bassin_efe"] == "Namur" and "Jambes" in found["localities"]
    unknown = operator_a.get("/espace/lieux/position?postal_code=9999")
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "unknown_postal_code"


def test_form_pieces_are_linked_where_they_are_needed(app, people):
    operator_page = signed_in_client(app, people["operator A"]).get("/espace/organismes/op-a").get_data(as_text=True)
    assert 'href="/espace/organismes/op-a/lieux/nouveau"' in operator_page
    assert 'href="/espace/lieux/site-a/modifier"' in operator_page
    course_form = signed_in_client(app, people["operator A"]).get("/espace/organismes/op-a/cours/nouveau")
    assert 'href="/espace/organismes/op-a/lieux/nouveau"' in course_form.get_data(as_text=True)
    # A coordinator sees the sites but no way to change them.
    coordinator = signed_in_client(app, people["coordinator"])
    coordinator_page = coordinator.get("/espace/organismes/op-a").get_data(as_text=True)
    assert len(parse(coordinator_page).select("section.sites tbody tr")) == 1
    assert "/lieux/" not in coordinator_page and "/cours/nouveau" not in coordinator_page


def test_admin_creates_a_site_for_an_operator(app, people):
    response = signed_in_client(app, people["admin"]).post("/espace/organismes/op-b/lieux/nouveau",
                                                           data=dict(FORM, name="Annexe", postal_code="4000",
                                                                     locality="Rocourt"))
    assert response.status_code == 302
    created = site("op-b-rocourt-annexe")
    assert created.operator.ref == "op-b" and created.bassin_efe == "Liège"


def test_site_form_needs_its_csrf_token(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'csrf.db'}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        make_people()
        client = app.test_client()

        def token(path: str) -> str:
            page = client.get(path).get_data(as_text=True)
            return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

        signed = client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD,
                                                 "csrf_token": token("/connexion")})
        assert signed.status_code == 302
        form_token = token(NEW)
        assert client.post(NEW, data=FORM).status_code == 400
        assert client.post("/espace/lieux/site-a/modifier", data=dict(FORM, postal_code="6830")).status_code == 400
        assert db.session.scalar(select(func.count(Site.id))) == 2
        assert db.session.scalar(select(Site.postal_code).where(Site.ref == "site-a")) == "5000"
        assert client.post(NEW, data=dict(FORM, csrf_token=form_token)).status_code == 302
        assert db.session.scalar(select(func.count(Site.id))) == 3
        db.session.remove()
        db.engine.dispose()


# (method, path) → expected status per person; LOGIN = redirected to the sign-in page. An empty
# POST reaches the form only for those allowed (400: nothing to save).
MATRIX = {
    ("GET", "/espace/organismes/op-a/lieux/nouveau"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                       "coordinator": 403, "admin": 200},
    ("POST", "/espace/organismes/op-a/lieux/nouveau"): {"anonymous": LOGIN, "operator A": 400, "operator B": 403,
                                                        "coordinator": 403, "admin": 400},
    ("GET", "/espace/organismes/op-b/lieux/nouveau"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                                       "coordinator": 403, "admin": 200},
    ("GET", "/espace/organismes/nope/lieux/nouveau"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                                       "coordinator": 404, "admin": 404},
    ("GET", "/espace/lieux/site-a/modifier"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                               "coordinator": 403, "admin": 200},
    ("POST", "/espace/lieux/site-a/modifier"): {"anonymous": LOGIN, "operator A": 400, "operator B": 403,
                                                "coordinator": 403, "admin": 400},
    ("GET", "/espace/lieux/site-b/modifier"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                               "coordinator": 403, "admin": 200},
    ("POST", "/espace/lieux/site-b/modifier"): {"anonymous": LOGIN, "operator A": 403, "operator B": 400,
                                                "coordinator": 403, "admin": 400},
    ("GET", "/espace/lieux/nope/modifier"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                             "coordinator": 404, "admin": 404},
    ("GET", "/espace/lieux/position?postal_code=5000"): {"anonymous": LOGIN, "operator A": 200, "operator B": 200,
                                                         "coordinator": 200, "admin": 200},
}


@over_matrix(MATRIX)
def test_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)
    assert db.session.scalar(select(Site.postal_code).where(Site.ref == "site-b")) == "4000"
