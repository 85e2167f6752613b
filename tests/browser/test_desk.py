"""Who answers the phone, in a real browser: the reception's languages on cards and course pages,
the French sentence of "At the desk" and its play button (speech synthesis is stubbed: headless
Chromium has no voice), the button's words when the phone has no French voice or no speech at all,
no button without JavaScript; axe-core finds nothing in French, Arabic and Ukrainian at 320 and
1280 px; the operator ticks the languages in the site form."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.accounts.services import create_user
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.models import Site
from portal.offer.services import import_offer
from tests import factories
from tests.browser.helpers import SCREENSHOT_DIR, WIDTHS, axe_report, goto, screenshot
from tests.browser.test_workspace import PASSWORD, sign_in
from tests.conftest import TODAY

TITLE = "Français pour la vie de tous les jours"
COURSE = "/cours/course-browser-desk"
SENTENCE = f"Bonjour, je voudrais m'inscrire à ce cours\u00a0: {TITLE}. Pouvez-vous m'aider\u00a0?"
EMAIL = "desk@example.org"
# A stand-in for the browser's speech synthesis: records what it is asked to say.
STUB = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: %s});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""
SYNTH = """{
  getVoices: function () { return %s; },
  speak: function (u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); },
  cancel: function () {}, addEventListener: function () {}
}"""


def with_voices(*voices: dict) -> str:
    return STUB % (SYNTH % json.dumps(list(voices)))


@pytest.fixture(scope="session")
def desk_offer(live_server) -> str:
    """An operator in Jambes whose reception speaks Arabic, Ukrainian and English, with a second
    place for the site form; its user."""
    doc = factories.document(factories.operator(
        ref="op-browser-desk", name="Maison des langues (test)",
        sites=[factories.site(ref="site-browser-desk", postal_code="5100", locality="Jambes",
                              reception_languages=["ar", "uk", "en"]),
               factories.site(ref="site-browser-desk-2", postal_code="5100", locality="Jambes", name="Annexe")],
        courses=[factories.course(ref="course-browser-desk", site_ref="site-browser-desk", title=TITLE),
                 factories.course(ref="course-browser-desk-2", site_ref="site-browser-desk-2",
                                  title="Conversation à l'annexe")],
    ))
    with live_server.app.app_context():
        import_offer(doc, get_gazetteer(), TODAY)
        create_user(EMAIL, PASSWORD, "operator", operator_ref="op-browser-desk")
        db.session.remove()
    return EMAIL


def test_the_play_button_reads_the_french_sentence_with_a_french_voice(open_page, live_server, desk_offer):
    page, watch = open_page(320)
    page.add_init_script(with_voices({"lang": "en-US", "name": "English"}, {"lang": "fr-FR", "name": "Amélie"},
                                     {"lang": "fr-BE", "name": "Aurélie"}))
    goto(page, watch, live_server(COURSE + "?lang=ar"))
    sentence = page.locator("[data-desk-sentence]")
    assert sentence.get_attribute("lang") == "fr" and sentence.inner_text().strip() == SENTENCE
    button = page.locator("[data-desk-play]")
    assert button.is_visible()
    button.click()
    page.wait_for_function("() => window.__spoken.length === 1")
    assert page.evaluate("() => window.__spoken") == [{"text": SENTENCE, "lang": "fr-BE", "voice": "Aurélie"}]
    assert page.locator("[data-desk-status]").inner_text() == ""
    watch.assert_clean()


@pytest.mark.parametrize("stub, message", [
    (with_voices({"lang": "en-US", "name": "English"}), "Ce téléphone ne peut pas lire la phrase à voix haute en "
                                                        "français. Montrez plutôt la phrase."),
    (with_voices(), "Ce téléphone ne peut pas lire la phrase à voix haute en français. Montrez plutôt la phrase."),
    (STUB % "undefined", "Ce téléphone ne peut pas lire de phrase à voix haute. Montrez plutôt la phrase."),
], ids=["no French voice", "no voice at all", "no speech synthesis"])
def test_without_a_french_voice_the_button_says_so_in_words(open_page, live_server, desk_offer, stub, message):
    page, watch = open_page(320)
    page.add_init_script(stub)
    goto(page, watch, live_server(COURSE))
    page.locator("[data-desk-play]").click()
    status = page.locator("[data-desk-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == message and status.get_attribute("role") == "status"
    assert page.evaluate("() => (window.__spoken || []).length") == 0
    watch.assert_clean()  # no alert(): the words are on the page


def test_without_javascript_there_is_no_button_and_the_sentence_is_there(open_page, live_server, desk_offer):
    page, watch = open_page(320, javascript=False)
    goto(page, watch, live_server(COURSE + "?lang=uk"))
    assert page.locator("[data-desk-play]").is_hidden()
    assert page.locator("[data-desk-sentence]").is_visible()
    assert page.locator(".desk-meaning span[lang=fr]").inner_text() == TITLE


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_course_page_and_card_have_no_axe_violation(open_page, live_server, desk_offer, lang, width):
    page, watch = open_page(width)
    page.add_init_script(with_voices({"lang": "fr-FR", "name": "Amélie"}))
    goto(page, watch, live_server(f"{COURSE}?lang={lang}"))
    assert page.locator(".course-page .reception").is_visible()
    screenshot(page, f"desk-course-{lang}", width)
    # The parts this test is about, close up.
    page.locator("[data-desk]").screenshot(path=str(SCREENSHOT_DIR / f"desk-section-{lang}-{width}.png"))
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on the course page ({lang}) at {width} px:\n{report}"
    goto(page, watch, live_server(f"/?q=vie+de+tous+les+jours&lang={lang}"))
    card = page.locator("#course-course-browser-desk")
    assert card.locator(".reception").is_visible()
    screenshot(page, f"desk-card-{lang}", width)
    card.screenshot(path=str(SCREENSHOT_DIR / f"desk-card-close-{lang}-{width}.png"))
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on the results ({lang}) at {width} px:\n{report}"
    watch.assert_clean()


def test_the_operator_ticks_the_languages_and_the_card_says_them(open_page, live_server, desk_offer):
    page, watch = open_page(1280)
    sign_in(page, watch, live_server, desk_offer)
    goto(page, watch, live_server("/espace/lieux/site-browser-desk-2/modifier"))
    page.check("input[name=reception_languages][value=ti]")
    page.check("input[name=reception_languages][value=ar]")
    page.fill("#other_languages", "pl zz")
    watch.expected_error_documents.add((live_server("/espace/lieux/site-browser-desk-2/modifier"), 400))
    with page.expect_navigation():
        page.click(".site-form button[type=submit]")
    assert page.locator("#error-other_languages").inner_text().startswith("« zz »")
    assert page.is_checked("input[name=reception_languages][value=ti]")  # kept
    assert page.input_value("#other_languages") == "pl zz"
    screenshot(page, "desk-site-form-error", 1280)
    page.fill("#other_languages", "pl")
    with page.expect_navigation():
        page.click(".site-form button[type=submit]")
    assert "saved=1" in page.url
    with live_server.app.app_context():
        site = db.session.scalar(select(Site).where(Site.ref == "site-browser-desk-2"))
        assert site.reception_languages == ["ar", "ti", "pl"]
        db.session.remove()
    goto(page, watch, live_server("/?q=annexe"))
    assert page.locator("#course-course-browser-desk-2 .reception").inner_text() == (
        "À l'accueil, on parle arabe, tigrigna et polonais.")
    watch.assert_clean()
