"""Every public page in every language: it answers, says its language and direction, shows none of
the English source strings of the public side (a string that missed its catalogue would), and keeps
what operators wrote as written, marked French."""
from __future__ import annotations

import re

import pytest

from portal.i18n import LANGUAGES
from portal.translations.catalogues import TEMPLATE, load, public_ids, settings
from tests import factories as f
from tests.html import parse

PAGES = {
    "home": ("/", 200),
    "results": ("/?near=5000&radius_km=25&level=A1", 200),
    "results-list-only": ("/?near=5000&kind=fle&day=mon&page=1", 200),
    "bad-search": ("/?level=B3&near=nowhere-at-all", 400),
    "course": ("/cours/fixed", 200),
    "course-rolling": ("/cours/rolling", 200),
    "print": ("/cours/fixed/imprimer", 200),
    "embed": ("/embed?near=5000", 200),
    "results-with-selection": ("/?near=5000&sel=fixed,rolling", 200),
    "selection-sheet": ("/selection?sel=fixed,rolling&person=uk", 200),
    "not-found": ("/cours/nothing-here", 404),
    "guide-first": ("/trouver", 200),
    "guide-read": ("/trouver/lire?speak=well", 200),
    "guide-place": ("/trouver/ou?speak=none&read=no&goal=daily", 200),
    "guide-place-error": ("/trouver/quand?speak=none&read=no&goal=daily&near=Mont", 400),
    "guide-childcare": ("/trouver/enfants?speak=none&read=no&goal=daily&near=5000&time=any", 200),
    "guide-results": ("/?near=5000&radius_km=10&kind=alpha_nf&level=alpha&childcare=1&guide=none.no.daily.evening.yes",
                      200),
    "alert": ("/alerte?near=5000&radius_km=25&level=A1", 200),
    "alert-bad-search": ("/alerte?level=B3", 400),
    "alert-link-invalid": ("/alerte/arreter/not-a-link", 404),
}


@pytest.fixture()
def offer(app_context):
    f.load(f.document(f.operator(courses=[
        f.course("fixed", title="Lire et écrire ensemble", kind="alpha_nf", level_min="alpha", level_max="A1",
                 entry_mode="fixed", entries=[{"start": "2027-02-01", "registration_deadline": "2027-01-25"}],
                 childcare=True, description="Un cours écrit par l'opérateur.", level_note="oral 1 à 3"),
        f.course("rolling", title="Conversation du soir", parts_of_day=["evening"], cost_eur=20)])))


def _english_strings() -> list[str]:
    """The public side's English sources that a reader would notice: four words and more, no
    placeholder; names and codes excepted."""
    same = set(settings()["all"]["same_as_source"])
    return sorted(text for text in public_ids(load(TEMPLATE))
                  if len(text.split()) >= 4 and "%" not in text and text not in same)


ENGLISH = _english_strings()


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_public_page_in_every_language(client, offer, page, language):
    path, status = PAGES[page]
    _check_page(client, path, status, language)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_share_and_alert_confirmation_pages_in_every_language(client, offer, language):
    """The pages behind a link made for the person: the code to scan of a selection in their
    language, and the confirmation of an e-mail alert asked in their language."""
    from portal.alerts.models import Alert
    from portal.alerts.services import CONFIRM, clock, link_token
    from portal.extensions import db
    from portal.selection.services import short_link_for

    link = short_link_for(["fixed", "rolling"], language.code)
    _check_page(client, f"/selection/partager/{link.code}", 200, language)
    alert = Alert(email="person@example.org", query="near=5000&level=A1", language=language.code,
                  created_at=clock())
    db.session.add(alert)
    db.session.commit()
    _check_page(client, f"/alerte/confirmer/{link_token(CONFIRM, alert)}", 200, language)


def _check_page(client, path: str, status: int, language) -> None:
    url = path + ("&" if "?" in path else "?") + f"lang={language.code}"
    response = client.get(url)
    assert response.status_code == status, url
    html = response.get_data(as_text=True)
    assert f'<html lang="{language.code}" dir="{language.direction}">' in html
    text = parse(html).text
    if language.code != "en":
        leaked = [english for english in ENGLISH if english in text]
        assert leaked == [], f"{url}: English left: {leaked[:5]}"
    # What the operator wrote stays as written, marked French.
    doc = parse(html)
    for written in ("Lire et écrire ensemble", "Un cours écrit par l'opérateur.", "Opérateur A (test)"):
        for node in doc.iter():
            own = " ".join("".join(child for child in node.children if isinstance(child, str)).split())
            if own == written and node.tag not in ("title", "script", "meta"):
                assert _language_of(node) == "fr", (url, written, node.tag)


def _language_of(node) -> str | None:
    return next((each.get("lang") for each in (node, *node.ancestors()) if each.has("lang")), None)


def test_the_english_check_would_catch_a_leak():
    assert "Back to the search" in ENGLISH and len(ENGLISH) > 50
    assert re.search("Back to the search", "← Back to the search")
