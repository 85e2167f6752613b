"""The languages of a site's reception in the workspace's site form: the portal's eleven languages as
checkboxes named in the page's language, other ISO 639-1 codes typed, errors beside the field and
everything typed kept."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tests.html import parse
from tests.workspace.test_sites import FORM, errors_of, site

EDIT = "/espace/lieux/site-a/modifier"


def form(*ticked: str, other: str = "", **changes: str) -> MultiDict:
    data = MultiDict(dict(FORM, name="Centre", postal_code="5000", locality="Namur", other_languages=other,
                          **changes))
    for code in ticked:
        data.add("reception_languages", code)
    return data


def boxes(page) -> dict[str, tuple[str, bool]]:
    """Each checkbox of the reception's languages: (its label, ticked)."""
    return {box["value"]: (box.parent.text.strip(), box.has("checked"))
            for box in page.select("input[name=reception_languages]")}


def test_the_form_offers_the_portal_languages_named_in_the_page_language(operator_a):
    page = parse(operator_a.get(EDIT).get_data(as_text=True))
    found = boxes(page)
    assert list(found) == ["fr", "nl", "de", "en", "ar", "fa", "ps", "ti", "uk", "ru", "tr"]
    assert found["ar"] == ("Arabe", False) and found["fa"] == ("Persan (dari)", False)
    assert found["ti"] == ("Tigrigna", False) and found["uk"] == ("Ukrainien", False)
    assert [legend.text for legend in page.select("fieldset.reception-languages legend")] == [
        "À l'accueil", "Langues parlées à l'accueil"]
    assert page.one("#other_languages")["value"] == ""
    english = boxes(parse(operator_a.get(EDIT + "?lang=en").get_data(as_text=True)))
    assert english["ar"] == ("Arabic", False) and english["fa"] == ("Persian (Dari)", False)


def test_ticked_and_typed_languages_are_saved_and_shown_again(operator_a):
    response = operator_a.post(EDIT, data=form("uk", "ar", other="PL, es ar"))
    assert response.status_code == 302, errors_of(response.get_data(as_text=True))
    assert site("site-a").reception_languages == ["ar", "uk", "pl", "es"]  # ticked in the portal's order, then typed
    page = parse(operator_a.get(EDIT).get_data(as_text=True))
    ticked = [code for code, (_label, checked) in boxes(page).items() if checked]
    assert ticked == ["ar", "uk"]
    assert page.one("#other_languages")["value"] == "pl es"
    api = operator_a.get("/api/v1/courses/course-a").get_json()
    assert api["site"]["reception_languages"] == ["ar", "uk", "pl", "es"]
    # Untick everything: no language.
    assert operator_a.post(EDIT, data=form()).status_code == 302
    assert site("site-a").reception_languages == []


def test_a_word_that_is_not_a_code_is_an_error_beside_the_field_and_everything_is_kept(operator_a):
    response = operator_a.post(EDIT, data=form("ar", "ti", other="pl polonais fa-AF", street="Rue Neuve 3"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    errors = errors_of(text)
    assert list(errors) == ["other_languages"]
    assert "« polonais fa-af »" in errors["other_languages"] and "pl es" in errors["other_languages"]
    page = parse(text)
    assert page.one("#other_languages")["value"] == "pl polonais fa-AF"
    assert page.one("#other_languages")["aria-invalid"] == "true"
    assert [code for code, (_label, checked) in boxes(page).items() if checked] == ["ar", "ti"]
    assert page.one("#street")["value"] == "Rue Neuve 3"
    assert site("site-a").reception_languages == [] and site("site-a").street == "Rue de Fer 1"


def test_more_than_twenty_languages_is_an_error(operator_a):
    portal = ["fr", "nl", "de", "en", "ar", "fa", "ps", "ti", "uk", "ru", "tr"]
    response = operator_a.post(EDIT, data=form(*portal, other="es it pt pl ro bg sq ku so am"))
    assert response.status_code == 400
    assert errors_of(response.get_data(as_text=True)) == {"other_languages": "Au plus 20 langues."}
    assert operator_a.post(EDIT, data=form(*portal, other="es it pt pl ro bg sq ku so")).status_code == 302
    assert len(site("site-a").reception_languages) == 20


def test_a_forged_checkbox_value_is_refused_beside_the_list(operator_a):
    response = operator_a.post(EDIT, data=form("ar", "xx"))
    assert response.status_code == 400
    assert list(errors_of(response.get_data(as_text=True))) == ["reception_languages"]
    assert site("site-a").reception_languages == []


def test_a_new_site_takes_its_languages(operator_a):
    response = operator_a.post("/espace/organismes/op-a/lieux/nouveau", data=form("ar", other="es"))
    assert response.status_code == 302
    ref = response.headers["Location"].split("/lieux/")[1].split("/")[0]
    assert site(ref).reception_languages == ["ar", "es"]
