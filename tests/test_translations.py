"""Translations are code: each catalogue holds every string it must (all of them in the workspace
languages, the public pages' in the others), none fuzzy, none left as its source, placeholders
kept, mostly in its own script, compiled; the language comes from the URL only, is kept in every
link, and the browser's language is offered, not imposed."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from portal.config import BASE_DIR
from portal.i18n import BY_CODE, LANGUAGES, SOURCE_LOCALE, WORKSPACE_CODES
from portal.translations import TRANSLATIONS_DIR
from portal.translations.catalogues import TEMPLATE, coverage, load, public_ids, wanted_ids


@pytest.fixture()
def cli_runner(app):
    return app.test_cli_runner()


TRANSLATED = [language.locale for language in LANGUAGES if language.locale != SOURCE_LOCALE]


def test_every_language_but_the_source_has_a_catalogue():
    have = sorted(path.parts[-3] for path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))
    assert have == sorted(TRANSLATED)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_is_complete_natural_and_in_its_script(locale):
    report = coverage(locale)
    assert report.problems == [], "\n".join(report.problems)
    assert report.translated == report.wanted > 0


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_is_compiled(locale):
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime


def test_the_template_has_every_string_of_the_code(tmp_path):
    """Extracting the code again finds no string that the template (hence the checks above) lacks."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=BASE_DIR, check=True,
                   capture_output=True)
    with open(pot, "rb") as handle:
        wanted = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in read_po(handle) if message.id}
    have = {message.id if isinstance(message.id, str) else message.id[0] for message in load(TEMPLATE) if message.id}
    assert sorted(wanted - have) == []


def test_public_strings_are_told_from_the_workspace_ones():
    public = public_ids()
    assert "Find a French course" in public and "Back to the search" in public
    assert "Add a course" not in public and "Second factor" not in public
    assert wanted_ids("ar") == public and wanted_ids("nl") > public


def test_the_checks_catch_a_bad_catalogue(tmp_path, monkeypatch):
    """A string missing, fuzzy, left in English, with a lost placeholder, or in the wrong script
    is each reported."""
    from portal.translations import catalogues

    source = (TRANSLATIONS_DIR / "uk/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    broken = source.replace('msgid "Back to the search"\nmsgstr "', 'msgid "Back to the search"\nmsgstr "x')
    catalogue = read_po(io.BytesIO(broken.encode()), locale="uk")
    catalogue["Find a French course"].string = "Find a French course"
    catalogue["Find a French course"].flags.add("fuzzy")
    catalogue["%(hours)s h a week"].string = "годин на тиждень"
    catalogue["Skip to content"].string = ""
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.id.startswith("Level"):
            message.string = "Level in English words only here, nothing else at all"
    from babel.messages.pofile import write_po

    folder = tmp_path / "uk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalogue)
    monkeypatch.setattr(catalogues, "catalogue_path", lambda locale: tmp_path / locale / "LC_MESSAGES/messages.po")
    problems = "\n".join(catalogues.coverage("uk").problems)
    assert "fuzzy: 'Find a French course'" in problems
    assert "same as its source: 'Find a French course'" in problems
    assert "placeholders differ: '%(hours)s h a week'" in problems
    assert "untranslated: 'Skip to content'" in problems
    # Most public strings still in Cyrillic: the script check needs a catalogue mostly in Latin.
    for message in catalogue:
        if message.id and isinstance(message.string, str) and message.string:
            message.string = "Latin letters " + message.string[:1]
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalogue)
    assert any("in the locale's script" in problem for problem in catalogues.coverage("uk").problems)


def test_catalogues_export_for_reviewers_with_the_french_beside(cli_runner):
    result = cli_runner.invoke(args=["translate", "export", "ar"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(wanted_ids("ar"))
    row = next(row for row in rows if row["english"] == "Back to the search")
    assert row["french"] == "Retour à la recherche" and re.search("[\u0600-\u06ff]", row["ar"])
    assert "portal/templates/search/course.html" in row["files"] and row["correction"] == ""
    refused = cli_runner.invoke(args=["translate", "export", "xx"])
    assert refused.exit_code != 0 and "not a translated language" in refused.output


def test_coverage_command_names_each_language(cli_runner):
    result = cli_runner.invoke(args=["translate", "coverage"])
    assert result.exit_code == 0
    for language in LANGUAGES:
        assert re.search(rf"^{re.escape(language.code)}\s", result.output, re.M), language.code


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_search_page_renders_in_each_language(client, language):
    page = client.get(f"/?lang={language.code}").get_data(as_text=True)
    assert f'<html lang="{language.code}" dir="{language.direction}">' in page
    draft = 'class="draft-translation' in page
    assert draft == (language.code not in ("fr", "en"))


def test_french_without_a_language_and_the_browsers_language_only_offered(client):
    page = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    offer = re.search(r'<p class="language-offer" lang="uk" dir="ltr"><a href="([^"]+)" hreflang="uk">([^<]+)</a>',
                      page)
    assert offer and offer.group(1) == "/?lang=uk" and re.search("[\u0400-\u04ff]", offer.group(2))
    # French asked, or the URL already has a language: no offer.
    assert "language-offer" not in client.get("/", headers={"Accept-Language": "fr-BE"}).get_data(as_text=True)
    assert "language-offer" not in client.get("/?lang=ar", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    # No cookie is set, whatever the language.
    assert "Set-Cookie" not in client.get("/?lang=ar").headers


def test_the_language_is_kept_in_every_link(client):
    from tests import factories as f

    f.load_courses(f.course("c1", title="Conversation"))
    page = client.get("/?lang=fa-AF&near=5000").get_data(as_text=True)
    links = [link for link in re.findall(r'href="(/[^"#]*)"', page) if not link.startswith(("/static", "/vendor"))]
    switcher = set(re.findall(r'<li><a href="([^"]+)" lang=', page))
    assert links and all("lang=fa-AF" in link for link in links if link not in switcher), links
    assert {link.replace("&amp;", "&") for link in switcher} == {
        "/?near=5000" if code == "fr" else f"/?near=5000&lang={code}" for code in BY_CODE}
    course = client.get("/cours/c1?lang=fa-AF").get_data(as_text=True)
    assert 'href="/?lang=fa-AF"' in course and "/cours/c1/imprimer?lang=fa-AF" in course
    # Every link once with one query string, the map's data too.
    assert not any(link.count("?") > 1 for link in links), links
    geojson = re.search(r'data-geojson="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert geojson.count("?") == 1 and "lang=fa-AF" in geojson and "near=5000" in geojson
    # The search form sends it too.
    assert '<input type="hidden" name="lang" value="fa-AF">' in page


def test_digits_typed_in_arabic_or_persian_form_are_understood(client):
    from tests import factories as f

    f.load_courses(f.course("c1"))
    for near in ("٥٠٠٠", "۵۰۰۰"):
        answer = client.get("/api/v1/courses", query_string={"near": near, "radius_km": "١٠"}).get_json()
        assert answer["total"] == 1, answer


def test_workspace_pages_speak_the_accounts_language(app, client):
    from portal.accounts.services import create_user
    from tests.people import PASSWORD, signed_in_client

    user = create_user("nl@example.org", PASSWORD, "admin")
    from tests.people import with_second_factor

    with_second_factor(user)
    signed = signed_in_client(app, "nl@example.org")
    page = signed.get("/compte/").get_data(as_text=True)
    assert '<html lang="fr"' in page and "Langue de l'espace" in page
    answer = signed.post("/compte/langue", data={"language": "nl"})  # CSRF: tests/accounts check it
    assert answer.status_code == 302
    page = signed.get("/compte/").get_data(as_text=True)
    assert '<html lang="nl"' in page
    # A public language that the workspace does not speak is refused beside the field.
    refused = signed.post("/compte/langue", data={"language": "ar"})
    assert refused.status_code == 400 and 'id="error-language"' in refused.get_data(as_text=True)
    # Public pages still follow the URL, not the account.
    assert '<html lang="fr"' in signed.get("/").get_data(as_text=True)
    # Account and workspace pages exist in the workspace languages only: the others fall back to French.
    assert set(WORKSPACE_CODES) == {"fr", "nl", "de", "en"}
    assert '<html lang="fr"' in client.get("/connexion?lang=ar").get_data(as_text=True)
    assert '<html lang="de"' in client.get("/connexion?lang=de").get_data(as_text=True)


def test_api_errors_follow_the_language(client):
    french = client.get("/api/v1/courses?level=B3").get_json()["error"]["message"]
    english = client.get("/api/v1/courses?level=B3&lang=en").get_json()["error"]["message"]
    arabic = client.get("/api/v1/courses?level=B3&lang=ar").get_json()["error"]["message"]
    assert "niveau" in french and "level" in english and re.search("[\u0600-\u06ff]", arabic)
    # The browser's language is not used: French without `lang`.
    assert client.get("/api/v1/courses?level=B3", headers={"Accept-Language": "en"}).get_json()[
        "error"]["message"] == french


def test_e_mails_are_written_in_the_accounts_language(app_context):
    from sqlalchemy import select

    from portal.accounts.onboarding import send_password_reset
    from portal.accounts.services import create_user, set_language
    from portal.extensions import db
    from portal.mail.models import OutboxMessage
    from tests.people import PASSWORD

    set_language(create_user("de@example.org", PASSWORD, "admin"), "de")
    create_user("fr@example.org", PASSWORD, "admin")
    send_password_reset("de@example.org")
    send_password_reset("fr@example.org")
    subjects = dict(db.session.execute(select(OutboxMessage.recipients, OutboxMessage.subject)).all())
    assert subjects["fr@example.org"] == "Passerelle : choisissez un nouveau mot de passe"
    assert subjects["de@example.org"] != subjects["fr@example.org"] and "Passwort" in subjects["de@example.org"]
