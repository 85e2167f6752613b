"""Who answers the phone, on the public pages: the reception's languages said in the visitor's
language on cards and course pages (the visitor's own language first and plainly; French only when
the operator listed it), and the French sentence to show or play at the desk with its meaning in the
visitor's language. Names of languages come from Babel (CLDR): every ISO 639-1 code has one in every
locale of the portal.

Sentences of languages whose catalogue is still being written are compared with what the catalogue
gives (``said``), with the names of languages written out here."""
from __future__ import annotations

import pytest
from flask_babel import gettext

from portal.i18n import LANGUAGES
from portal.language_names import language_list, language_name
from portal.offer import codes
from portal.search.reception import DESK_SENTENCE
from tests import factories as f
from tests.html import parse

TITLE = "Français oral <débutant> & co"
OWN_AND_OTHERS = "%(language)s is spoken at the reception, and also %(languages)s."
OWN_ONLY = "%(language)s is spoken at the reception."
OTHERS = "At the reception, people speak %(languages)s."
MEANING = "Hello, I would like to register for this course: %(title)s. Can you help me?"


def load(*languages: str, title: str = TITLE) -> None:
    f.load(f.document(f.operator(
        sites=[f.site("site-namur", reception_languages=list(languages)),
               f.site("site-jambes", "5100", "Jambes")],
        courses=[f.course("c1", title=title), f.course("c2", site_ref="site-jambes", title="Sans langues")])))


def said(app, lang: str, msgid: str, **values: str) -> str:
    """``msgid`` as the catalogue of ``lang`` says it."""
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(msgid, **values)


def card_line(client, lang: str, ref: str = "c1") -> str | None:
    page = parse(client.get(f"/?lang={lang}").get_data(as_text=True))
    card = page.one(f"#course-{ref}")
    line = card.select_one(".reception")
    if line is None:
        return None
    assert line.select_one("svg.icon[aria-hidden=true]") is not None  # the speech bubble
    return line.text


def course_page(client, lang: str, ref: str = "c1"):
    response = client.get(f"/cours/{ref}?lang={lang}")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


# -- cards and course pages ---------------------------------------------------------------------
def test_french_visitor_reads_the_languages_in_french_without_french(client):
    load("ar", "en")
    assert card_line(client, "fr") == "À l'accueil, on parle arabe et anglais."
    assert course_page(client, "fr").one(".course-page .reception").text == "À l'accueil, on parle arabe et anglais."


def test_french_is_listed_only_when_the_operator_listed_it(client):
    load("fr", "ar")
    assert card_line(client, "fr") == "On parle français à l'accueil, et aussi arabe."
    load("ar")
    assert "français" not in card_line(client, "fr")


def test_a_site_without_languages_shows_no_line(client):
    load()
    assert card_line(client, "fr") is None and card_line(client, "ar", "c2") is None
    assert course_page(client, "ar").select(".reception") == []


def test_arabic_visitor_reads_their_own_language_first(app, client):
    load("en", "ar")
    expected = said(app, "ar", OWN_AND_OTHERS, language="العربية", languages="الإنجليزية")
    assert card_line(client, "ar") == expected
    assert course_page(client, "ar").one(".course-page .reception").text == expected


def test_ukrainian_visitor_reads_their_own_language_first(app, client):
    load("ru", "uk")
    expected = said(app, "uk", OWN_AND_OTHERS, language="українська", languages="російська")
    assert card_line(client, "uk") == expected
    load("uk")
    assert card_line(client, "uk") == said(app, "uk", OWN_ONLY, language="українська")
    load("ar")
    assert card_line(client, "uk") == said(app, "uk", OTHERS, languages="арабська")


def test_english_sentences_are_plain(client):
    load("en")
    assert card_line(client, "en") == "English is spoken at the reception."
    load("ar", "ti", "fa")
    assert card_line(client, "en") == "At the reception, people speak Arabic, Tigrinya, and Persian (Dari)."


def test_dari_reader_sees_dari(app, client):
    load("fa", "ps")
    assert card_line(client, "fa-AF") == said(app, "fa-AF", OWN_AND_OTHERS, language="دری", languages="پشتو")


def test_every_iso_code_has_a_name_in_every_locale():
    for language in LANGUAGES:
        names = {code: language_name(code, language.locale) for code in codes.ISO_639_1}
        assert all(name and name != code for code, name in names.items()), language.code
    assert language_name("ar", "fr") == "arabe" and language_name("ae", "ps") == "Avestan"  # CLDR lacks it in Pashto
    assert language_list(["ar", "en", "uk"], "fr") == "arabe, anglais et ukrainien"


# -- at the desk --------------------------------------------------------------------------------
def desk(page):
    return page.one("section.desk[data-desk]")


def test_the_desk_sentence_is_french_and_large_whatever_the_language(client):
    load("ar")
    for lang in ("fr", "ar", "uk"):
        section = desk(course_page(client, lang))
        sentence = section.one(".desk-sentence")
        assert sentence["lang"] == "fr" and sentence.has("data-desk-sentence")
        assert sentence.raw_text == ("Bonjour, je voudrais m'inscrire à ce cours\u00a0: Français oral <débutant> & co. "
                                     "Pouvez-vous m'aider\u00a0?")
        assert sentence.raw_text == DESK_SENTENCE.format(title=TITLE)


@pytest.mark.parametrize("lang", ["ar", "uk", "en"])
def test_its_meaning_is_in_the_visitor_language_with_the_title_as_written(app, client, lang):
    load()
    meaning = desk(course_page(client, lang)).one(".desk-meaning")
    title = meaning.one("span[lang=fr]")
    assert title.raw_text == TITLE
    expected = said(app, lang, MEANING, title=TITLE)
    assert meaning.text.endswith(expected)
    if lang == "en":
        assert meaning.text == f"It means: Hello, I would like to register for this course: {TITLE}. Can you help me?"


def test_a_french_visitor_needs_no_meaning(client):
    load()
    assert desk(course_page(client, "fr")).select(".desk-meaning") == []


def test_the_play_button_waits_for_javascript(client):
    load()
    page = course_page(client, "fr")
    button = desk(page).one("button[data-desk-play]")
    assert button.has("hidden")  # shown by desk.js only
    assert button["data-no-voice"] == ("Ce téléphone ne peut pas lire la phrase à voix haute en français. "
                                       "Montrez plutôt la phrase.")
    assert desk(page).one("[data-desk-status][role=status]").text == ""
    assert [s["src"] for s in page.select("script[src]") if "desk.js" in s["src"]] == ["/static/js/desk.js"]
    search = parse(client.get("/").get_data(as_text=True))
    assert not [s for s in search.select("script[src]") if "desk.js" in s["src"]]  # the course page only


def test_the_print_view_has_the_sentence_without_the_button(client):
    load("ar")
    page = parse(client.get("/cours/c1/imprimer?lang=ar").get_data(as_text=True))
    assert page.one(".desk-sentence[lang=fr]").raw_text == DESK_SENTENCE.format(title=TITLE)
    assert page.select("[data-desk-play]") == [] and page.one(".print-sheet .reception")
