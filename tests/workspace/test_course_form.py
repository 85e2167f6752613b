"""What operators stumbled on in the course form (issue 9, section 2): a new course is published
unless "not public yet" is chosen; an operator without a place gives it in the course form; the
fields of the other entry mode do not count; a conflict shows both versions in words, the
differences marked; a coordinator is not addressed as the operator."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.accounts.services import create_user
from portal.extensions import db
from portal.offer.models import Course, Site
from tests import factories as f
from tests.html import parse
from tests.people import signed_in_client, with_second_factor
from tests.workspace.test_courses import FORM, PASSWORD, errors_of

NEW = "/espace/organismes/op-a/cours/nouveau"


@pytest.fixture()
def client(app, app_context):
    f.load(f.document(f.operator("op-a", courses=[f.course("c1", title="Français oral débutant", kind="alpha_nf",
                                                            level_min="alpha", level_max="A1", childcare=True)]),
                      f.operator("op-new", name="Nouvel organisme (test)", sites=[])))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    create_user("new@example.org", PASSWORD, "operator", operator_ref="op-new")
    return signed_in_client(app, "a@example.org")


def selected(page: str, name: str) -> str:
    select_node = parse(page).one(f"select[name={name}]")
    return next(option["value"] for option in select_node.select("option") if option.has("selected"))


def test_a_new_course_is_published_unless_not_public_yet_is_chosen(client):
    page = client.get(NEW + "?lang=fr").get_data(as_text=True)
    assert selected(page, "status") == "published"
    statuses = [option.text for option in parse(page).one("select[name=status]").select("option")]
    assert statuses == ["Publié", "Pas encore public", "Archivé"]
    data = {key: value for key, value in FORM.items() if key != "status"}
    data["status"] = selected(page, "status")  # what a browser sends when nobody touches the choice
    assert client.post(NEW, data=data).status_code == 302
    assert client.get("/api/v1/courses/op-a-conversation-du-soir").status_code == 200  # public at once


def test_an_operator_without_a_place_gives_it_in_the_course_form(app, client):
    new_client = signed_in_client(app, "new@example.org")
    page = new_client.get("/espace/organismes/op-new/cours/nouveau").get_data(as_text=True)
    doc = parse(page)
    assert doc.select("select[name=site]") == []
    assert {field["name"] for field in doc.select("fieldset.new-site input")} == {
        "new_site_street", "new_site_postal_code", "new_site_locality"}
    data = dict(FORM, site="", new_site_street="Rue Haute 3", new_site_postal_code="9999",
                new_site_locality="Nulle part")
    refused = new_client.post("/espace/organismes/op-new/cours/nouveau", data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert set(errors_of(page)) == {"new_site_postal_code"}
    # Everything typed is still there.
    for value in ("Rue Haute 3", "9999", "Nulle part", "Conversation du soir", "2027-01-12"):
        assert f'value="{value}"' in page, value
    assert db.session.scalar(select(func.count(Course.id)).where(Course.title == "Conversation du soir")) == 0
    saved = new_client.post("/espace/organismes/op-new/cours/nouveau",
                            data=dict(data, new_site_postal_code="5100", new_site_locality="Jambes"))
    assert saved.status_code == 302
    site = db.session.scalar(select(Site).join(Site.operator).where(Site.operator.has(ref="op-new")))
    assert (site.street, site.postal_code, site.locality, site.commune) == ("Rue Haute 3", "5100", "Jambes", "Namur")
    item = new_client.get("/api/v1/courses/op-new-conversation-du-soir").get_json()
    assert item["site"]["ref"] == site.ref and item["site"]["locality"] == "Jambes"


def test_the_chosen_entry_mode_decides_which_dates_count(client):
    rolling = dict(FORM, title="Tous les jours", entry_mode="rolling", active_from="2027-01-04")
    # The start date typed before switching to a rolling entry is not an error: it does not apply.
    assert client.post(NEW, data=rolling).status_code == 302
    item = client.get("/api/v1/courses/op-a-tous-les-jours").get_json()
    assert (item["entry_mode"], item["entries"], item["active_from"]) == ("rolling", [], "2027-01-04")
    fixed = dict(FORM, title="Dates fixes", active_from="2027-01-04", active_until="2027-02-04")
    assert client.post(NEW, data=fixed).status_code == 302
    item = client.get("/api/v1/courses/op-a-dates-fixes").get_json()
    assert (item["active_from"], item["active_until"], len(item["entries"])) == (None, None, 1)
    page = parse(client.get(NEW).get_data(as_text=True))
    assert {node["data-entry-mode"] for node in page.select("[data-entry-mode]")} == {"fixed", "rolling"}


def test_a_conflict_shows_both_versions_in_words_with_the_differences_marked(client):
    page = client.get("/espace/cours/c1/modifier").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    mine = dict(FORM, title="Version de Bilal", kind="alpha_nf", level_min="alpha", level_max="A1", version=version,
                childcare="y")
    assert client.post("/espace/cours/c1/modifier?lang=fr",
                       data=dict(mine, title="Version de Anne", kind="fle", childcare="")).status_code == 302
    response = client.post("/espace/cours/c1/modifier?lang=fr", data=mine)
    assert response.status_code == 409
    table = parse(response.get_data(as_text=True)).one("table.conflict")
    rows = {row.one("th").text.replace(" (différent)", ""): (row.get("class"), [td.text for td in row.select("td")])
            for row in table.select("tbody tr")}
    assert rows["Titre"] == ("differs", ["Version de Bilal", "Version de Anne"])
    assert rows["Type de cours"] == ("differs", ["Apprendre le français, et à lire et à écrire",
                                                 "Apprendre le français (FLE)"])
    assert rows["Garderie pour les enfants"] == ("differs", ["oui", "non"])
    assert rows["Niveau le plus bas"] == (None, ["Alpha", "Alpha"])
    place = rows["Lieu"][1][0]  # the place by its name and address, not its ref
    assert rows["Lieu"] == (None, [place, place]) and "5000 Namur" in place and "op-a" not in place
    text = table.text
    assert "alpha_nf" not in text and "False" not in text and "confirmed_at" not in text
    marks = [row.get("class") for row in table.select("tbody tr")]
    assert marks == sorted(marks, key=lambda mark: mark != "differs")  # the differences first
    assert sorted(name for name, (mark, _values) in rows.items() if mark) == [
        "Garderie pour les enfants", "Titre", "Type de cours"], rows


def test_a_coordinator_is_not_addressed_as_the_operator(app, client):
    with_second_factor(create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur"))
    coordinator = signed_in_client(app, "coord@example.org")
    page = coordinator.get("/espace/organismes/op-a?lang=fr").get_data(as_text=True).replace("\xa0", " ")
    assert "Cette offre est-elle toujours correcte ?" in page and "Les lieux de cet organisme" in page
    assert "Votre offre" not in page and "Vos cours" not in page and "Vos lieux" not in page
    own = client.get("/espace/organismes/op-a?lang=fr").get_data(as_text=True).replace("\xa0", " ")
    assert "Votre offre est-elle toujours correcte ?" in own and "Vos lieux" in own
