"""Places as people type them, through HTTP: other languages' names and scripts give the same
results as the French name; a typo gets "did you mean…?" links (the API: ``choices``); a place
outside Wallonia is answered plainly on the page and in the API; "use my position" names the
nearest locality (``/lieu-proche``)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.search.test_pages import API, card_refs, expected_cards, get, load_offer

WALLONIA_ONLY_EN = "Passerelle lists courses in Wallonia only."
WALLONIA_ONLY_FR = "Passerelle montre seulement les cours en Wallonie."


@pytest.fixture()
def offer(app_context):
    load_offer()


def api_error(client, params) -> dict:
    response = client.get(API, query_string=params)
    assert response.status_code == 400, response.get_data(as_text=True)
    return response.get_json()["error"]


def near_of(href: str) -> str:
    return parse_qs(urlsplit(href).query)["near"][0]


# -- other names -------------------------------------------------------------------------------
@pytest.mark.parametrize("near, same_as", [
    ("Namen", "Namur"), ("Lüttich", "Liège"), ("Luik", "Liège"), ("Arel", "Arlon"), ("نامور", "Namur"),
    ("Намюр", "Namur"), ("ናሙር", "Namur"), ("Льєж", "Liège"), ("٥٠٠٠", "5000"), ("B-5000", "5000"),
])
def test_another_name_gives_the_same_results(client, offer, near, same_as):
    _, doc = get(client, "/", {"near": near, "radius_km": "25"})
    assert doc.select_one("#error-near") is None
    assert doc.one("input#near")["value"] == near  # what the visitor typed stays in the field
    expected = expected_cards(client, {"near": same_as, "radius_km": "25"})
    assert expected and card_refs(doc) == expected
    assert [item["ref"] for item in client.get(API, query_string={"near": near, "radius_km": "25"})
            .get_json()["items"]] == [item["ref"] for item in client.get(
                API, query_string={"near": same_as, "radius_km": "25"}).get_json()["items"]]


# -- typos -------------------------------------------------------------------------------------
def test_a_typo_is_answered_with_did_you_mean_links(client, offer):
    _, doc = get(client, "/", {"near": "Charleroy", "radius_km": "25", "lang": "en"}, status=400)
    error = doc.one("#error-near").text
    assert "Charleroy" in error and "Did you mean: Charleroi?" in error
    assert doc.one(".field-near .choices ul")["aria-label"] == "Did you mean…?"
    links = doc.select(".field-near .choices a")
    assert [a.text.strip() for a in links] == ["Charleroi"]
    href = links[0]["href"]
    assert near_of(href) == "Charleroi" and parse_qs(urlsplit(href).query)["radius_km"] == ["25"]
    _, page = get(client, href)
    assert page.select("#error-near") == []
    assert card_refs(page) == expected_cards(client, {"near": "Charleroi", "radius_km": "25"})


def test_an_ambiguous_name_still_asks_which_place(client, offer):
    _, doc = get(client, "/", {"near": "Mont", "lang": "en"}, status=400)
    assert doc.one("#hint-near-choices").text == "Which place do you mean?"


def test_a_typo_in_french(client, offer):
    _, doc = get(client, "/", {"near": "Namurr"}, status=400)
    assert doc.one(".field-near .choices ul")["aria-label"] == "Vous cherchez peut-être…"
    assert [a.text.strip() for a in doc.select(".field-near .choices a")] == ["Namur"]


def test_the_api_gives_the_suggestions_in_choices(client, offer):
    error = api_error(client, {"near": "Charleroy", "lang": "en"})
    assert (error["code"], error["parameter"]) == ("unknown_place", "near")
    assert error["choices"] == ["Charleroi"]
    assert "Did you mean: Charleroi?" in error["message"]
    for choice in api_error(client, {"near": "4001"})["choices"]:
        assert client.get(API, query_string={"near": choice}).status_code == 200


def test_nothing_close_has_no_choices(client, offer):
    error = api_error(client, {"near": "Atlantide", "lang": "en"})
    assert "choices" not in error
    assert error["message"] == ("We do not know the place “Atlantide” in Wallonia. "
                                "Give a postal code or a commune.")
    _, doc = get(client, "/", {"near": "Atlantide"}, status=400)
    assert doc.select(".field-near .choices") == []


# -- outside Wallonia --------------------------------------------------------------------------
@pytest.mark.parametrize("near, sentence", [
    ("1000", "“1000” is in Brussels."), ("1050 Ixelles", "“1050 Ixelles” is in Brussels."),
    ("Bruxelles", "“Bruxelles” is in Brussels."), ("بروكسل", "“بروكسل” is in Brussels."),
    ("١٠٠٠", "“1000” is in Brussels."),
])
def test_brussels_is_answered_plainly_with_a_pointer(client, offer, near, sentence):
    _, doc = get(client, "/", {"near": near, "lang": "en"}, status=400)
    error = doc.one("#error-near").text
    assert error.startswith(sentence) and WALLONIA_ONLY_EN in error
    assert "Lire et Écrire Bruxelles" in error and "BAPA" in error
    assert doc.select(".field-near .choices") == []
    assert doc.one("input#near")["aria-invalid"] == "true"
    api = api_error(client, {"near": near, "lang": "en"})
    assert api["code"] == "unknown_place" and api["parameter"] == "near" and "choices" not in api
    assert WALLONIA_ONLY_EN in api["message"] and "Brussels" in api["message"]


@pytest.mark.parametrize("near, sentence", [
    ("9000", "“9000” is in Flanders."), ("Gent", "“Gent” is in Flanders."), ("3790", "“3790” is in Flanders."),
    ("Paris", "“Paris” is not in Belgium."), ("France", "“France” is not in Belgium."),
    ("F-59000", "“F-59000” is not in Belgium."),
    ("75001", "“75001” is not a postal code in Belgium: Belgian postal codes have 4 digits."),
])
def test_flanders_and_abroad_are_answered_plainly(client, offer, near, sentence):
    _, doc = get(client, "/", {"near": near, "lang": "en"}, status=400)
    error = doc.one("#error-near").text
    assert error == f"{sentence} {WALLONIA_ONLY_EN} Give a postal code or a commune in Wallonia."
    assert api_error(client, {"near": near, "lang": "en"})["message"] == error


def test_outside_wallonia_in_french(client, offer):
    _, doc = get(client, "/", {"near": "1000"}, status=400)
    error = doc.one("#error-near").text
    assert "Bruxelles" in error and WALLONIA_ONLY_FR in error
    assert WALLONIA_ONLY_FR in api_error(client, {"near": "Gent", "lang": "fr"})["message"]


def test_a_whole_area_asks_for_a_postal_code(client, offer):
    _, doc = get(client, "/", {"near": "Belgique", "lang": "en"}, status=400)
    assert doc.one("#error-near").text == ("“Belgique” is a large area. Give your postal code or your commune "
                                          "to see the courses near you.")


def test_a_walloon_postal_code_that_does_not_exist_gets_close_codes(client, offer):
    _, doc = get(client, "/", {"near": "6002", "lang": "en"}, status=400)
    links = [a.text.strip() for a in doc.select(".field-near .choices a")]
    assert links[:2] == ["6001 Marcinelle", "6000 Charleroi"]


# -- "use my position" -------------------------------------------------------------------------
def position(client, status: int = 200, **params) -> dict:
    response = client.get("/lieu-proche", query_string=params)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_a_position_in_wallonia_gives_the_nearest_locality(client, offer):
    answer = position(client, lat="50.4669", lon="4.8675", lang="en")
    assert answer["inside"] is True and answer["near"] == "5000 Namur"
    assert answer["message"] == "Your position: near 5000 Namur. Searching…"
    _, doc = get(client, "/", {"near": answer["near"], "radius_km": "15"})
    assert card_refs(doc) == expected_cards(client, {"near": "5000", "radius_km": "15"})


@pytest.mark.parametrize("lat, lon, commune", [("50.63", "5.57", "Liège"), ("49.68", "5.82", "Arlon"),
                                               ("50.63", "6.03", "Eupen"), ("50.41", "4.44", "Charleroi"),
                                               ("50.76", "3.00", "Comines-Warneton"), ("50.75", "3.21", "Mouscron")])
def test_positions_across_wallonia(client, app_context, lat, lon, commune):
    from portal.geo.gazetteer import get_gazetteer

    answer = position(client, lat=lat, lon=lon)
    assert answer["inside"] is True
    assert get_gazetteer().resolve(answer["near"]).nis_code == get_gazetteer().communes_named(commune)[0].nis_code


def test_the_position_is_used_to_the_hundredth_of_a_degree(client, offer):
    assert position(client, lat="50.46691234", lon="4.86749876") == position(client, lat="50.47", lon="4.87")


def test_a_position_in_brussels_is_answered_plainly(client, offer):
    answer = position(client, lat="50.85", lon="4.35", lang="en")
    assert answer["inside"] is False and answer["near"] is None
    assert answer["message"].startswith("Your position is outside Wallonia. " + WALLONIA_ONLY_EN)
    assert "Lire et Écrire Bruxelles" in answer["message"]
    nearest = answer["nearest"]
    assert nearest["near"].endswith("Waterloo") and 5 < nearest["distance_km"] < 30
    assert nearest["text"].startswith(f"Search near {nearest['near']}, the nearest place in Wallonia")
    assert near_of(nearest["url"]) == nearest["near"]
    assert parse_qs(urlsplit(nearest["url"]).query)["lang"] == ["en"]
    get(client, nearest["url"])


def test_a_position_in_flanders_or_far_away(client, offer):
    ghent = position(client, lat="51.05", lon="3.72", lang="en")
    assert ghent["inside"] is False and "Brussels" not in ghent["message"] and ghent["nearest"]
    paris = position(client, lat="48.86", lon="2.35")
    assert paris["inside"] is False and paris["nearest"] is None
    assert paris["message"].startswith("Votre position est en dehors de la Wallonie.")


@pytest.mark.parametrize("params, parameter", [
    ({"lat": "abc", "lon": "4.8"}, "lat"), ({"lat": "95", "lon": "4.8"}, "lat"), ({"lon": "4.8"}, "lat"),
    ({"lat": "50.4", "lon": "181"}, "lon"), ({"lat": "50.4"}, "lon"), ({"lat": "50.4", "lon": "4,8"}, "lon"),
    ({"lat": "5" * 40, "lon": "4.8"}, "lat"), ({"lat": "nan", "lon": "4.8"}, "lat"),
    ({"lat": "1e2", "lon": "4.8"}, "lat"),
])
def test_a_bad_position_is_a_400_naming_it(client, params, parameter):
    response = client.get("/lieu-proche", query_string=params)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.get_json()["error"]["parameter"] == parameter


def test_the_search_form_offers_the_position_lookup(client, offer):
    _, doc = get(client, "/", {"lang": "en"})
    button = doc.one("button[data-locate]")
    assert button.has("hidden")  # shown by the script only: without JavaScript, nothing to press
    assert button["data-url"] == "/lieu-proche?lang=en"
    assert all(button[name] for name in ("data-finding", "data-denied", "data-unavailable", "data-timeout",
                                         "data-failed"))
    status = doc.one("#locate-status")
    assert status["aria-live"] == "polite" and status.text == ""
