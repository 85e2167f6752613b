"""The "listen" buttons read a question, a card or the course page aloud with the browser's speech
synthesis (stubbed here: headless chromium has no voices), in the page's language, what operators
wrote with a French voice; without a voice for the language they say so in words."""
from __future__ import annotations

import pytest

from tests.browser.helpers import goto

STUB = """
window.__spoken = [];
const voices = %s;
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speaking: false,
  getVoices: () => voices.map(lang => ({lang: lang, name: lang})),
  addEventListener: () => {},
  cancel: () => {},
  speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); },
}});
Object.defineProperty(window, "SpeechSynthesisUtterance", {configurable: true,
  value: function (text) { this.text = text; }});
"""


def _open(open_page, voices):
    page, watch = open_page(360)
    page.add_init_script(STUB % voices)
    return page, watch


def test_the_level_question_is_read_in_the_page_language(open_page, live_server):
    page, watch = _open(open_page, '["ar-SA", "fr-FR"]')
    goto(page, watch, live_server("/?lang=ar"))
    page.locator("details.refine").evaluate("details => details.open = true")
    page.locator("#field-level .listen-button").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(item["lang"] == "ar" and item["voice"] == "ar-SA" for item in spoken), spoken
    text = " ".join(item["text"] for item in spoken)
    assert "A1" in text and len(text) > 40
    watch.assert_clean()


def test_operator_text_is_read_with_a_french_voice(open_page, live_server):
    page, watch = _open(open_page, '["uk-UA", "fr-FR"]')
    goto(page, watch, live_server("/?near=Namur&radius_km=25&lang=uk"))
    page.locator(".cards > .card").first.locator(".listen-button").click()
    spoken = page.evaluate("window.__spoken")
    langs = [item["lang"] for item in spoken]
    assert "fr" in langs and "uk" in langs, spoken  # the title (French) and the card's words (Ukrainian)
    title = page.locator(".cards > .card .card-title").first.inner_text()
    assert any(item["lang"] == "fr" and title in item["text"] for item in spoken)
    watch.assert_clean()


@pytest.mark.parametrize("voices", ['["fr-FR"]'])
def test_without_a_voice_for_the_language_it_says_so(open_page, live_server, voices):
    page, watch = _open(open_page, voices)
    goto(page, watch, live_server("/?near=Namur&radius_km=25&lang=ti"))
    card = page.locator(".cards > .card").first
    card.locator(".listen-button").click()
    status = card.locator(".listen-status")
    assert status.is_visible() and status.inner_text().strip()
    assert page.evaluate("window.__spoken") == []
    watch.assert_clean()


def test_without_speech_synthesis_there_is_no_button(open_page, live_server):
    page, watch = open_page(360)
    page.add_init_script('Object.defineProperty(window, "speechSynthesis", {configurable: true, value: undefined});')
    goto(page, watch, live_server("/?near=Namur&radius_km=25"))
    assert page.locator(".cards > .card").count() > 0 and page.locator(".listen").first.is_hidden()
    watch.assert_clean()
