"""Places in a real browser: "use my position" (Chromium given a position, or refusing one) puts the
nearest locality's name in the field and searches, or says beside the field why it cannot; a typo
gets "did you mean…?" links; a place outside Wallonia is answered plainly. axe finds nothing at 320
and 1280 px; screenshots in test-artifacts/screenshots/."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import HEIGHTS, WIDTHS, Watch, axe_report, goto, query, screenshot

NAMUR = {"latitude": 50.46694, "longitude": 4.86749}
BRUSSELS = {"latitude": 50.8467, "longitude": 4.3525}


@pytest.fixture()
def open_page_at(browser) -> Iterator[Callable]:
    """``open_page_at(width, position=None, init_script=None)`` → (page, watch): a French context
    that grants the given position (none: the browser refuses to give one)."""
    contexts = []

    def _open(width: int, position: dict | None = None, init_script: str | None = None):
        options = {"viewport": {"width": width, "height": HEIGHTS.get(width, 740)}, "locale": "fr-BE",
                   "service_workers": "block"}
        if position is not None:
            options.update(permissions=["geolocation"], geolocation=position)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        watch = Watch()
        watch.attach(context)
        return context.new_page(), watch

    yield _open
    for context in contexts:
        context.close()


def check_axe(page, name: str, width: int) -> None:
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} at {width} px:\n{report}"


@pytest.mark.parametrize("width", WIDTHS)
def test_use_my_position_names_the_locality_and_searches(open_page_at, live_server, width):
    page, watch = open_page_at(width, NAMUR)
    goto(page, watch, live_server("/"))
    button = page.locator("button[data-locate]")
    assert button.is_visible() and button.inner_text() == "Utiliser ma position"
    with page.expect_navigation():
        button.click()
    assert query(page.url)["near"] == ["5000 Namur"]
    assert page.locator("#near").input_value() == "5000 Namur"
    assert page.locator(".cards > .card").count() > 0
    # The position left the browser rounded to 0.01° (about 1 km), and only to this server.
    lookups = watch.requests_matching(r"/lieu-proche\?")
    assert len(lookups) == 1 and lookups[0].endswith("/lieu-proche?lat=50.47&lon=4.87")
    screenshot(page, "position-namur", width)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_position_outside_wallonia_is_answered_beside_the_field(open_page_at, live_server, width):
    page, watch = open_page_at(width, BRUSSELS)
    goto(page, watch, live_server("/"))
    start = page.url
    page.click("button[data-locate]")
    status = page.locator("#locate-status")
    status.locator("a").wait_for()
    text = status.inner_text()
    assert text.startswith("Votre position est en dehors de la Wallonie. Passerelle montre seulement les cours "
                           "en Wallonie.")
    assert "Lire et Écrire Bruxelles" in text
    assert status.get_attribute("aria-live") == "polite"
    assert "locate-status" in page.locator("#near").get_attribute("aria-describedby").split()
    assert page.url == start and page.locator("#near").input_value() == ""  # nothing searched, nothing typed
    assert page.evaluate("document.activeElement.id") == "near"
    link = status.locator("a")
    assert link.inner_text().startswith("Chercher près de 1410 Waterloo")
    screenshot(page, "position-brussels", width)
    check_axe(page, "position-brussels", width)
    with page.expect_navigation():
        link.click()
    assert query(page.url)["near"] == ["1410 Waterloo"]
    assert page.locator(".cards > .card").count() > 0
    watch.assert_clean()


@pytest.mark.parametrize("code, words", [
    (None, "Vous n'avez pas permis d'utiliser votre position."),
    (2, "Votre position n'est pas disponible."),
    (3, "Trouver votre position a pris trop de temps."),
])
def test_geolocation_errors_are_text_beside_the_field(open_page_at, live_server, code, words):
    # None: Chromium is not allowed to give the position (it refuses); 2 and 3: the device fails.
    fake = None if code is None else (
        "navigator.geolocation.getCurrentPosition = function (ok, fail) {"
        f" setTimeout(function () {{ fail({{code: {code}, message: 'test'}}); }}, 50); }};")
    page, watch = open_page_at(320, None, fake)
    goto(page, watch, live_server("/"))
    page.click("button[data-locate]")
    expect(page.locator("#locate-status")).to_have_text(re.compile("^" + re.escape(words)))
    assert page.locator("button[data-locate]").is_enabled()
    assert not watch.dialogs  # never an alert
    watch.assert_clean()


def test_a_failed_lookup_is_text_too(open_page_at, live_server):
    page, watch = open_page_at(320, NAMUR)
    page.route("**/lieu-proche?*", lambda route: route.fulfill(status=503, body="{}",
                                                               content_type="application/json"))
    goto(page, watch, live_server("/"))
    page.click("button[data-locate]")
    expect(page.locator("#locate-status")).to_have_text(
        re.compile("^" + re.escape("Nous n'avons pas trouvé le lieu de votre position.")))
    assert not watch.page_errors and not watch.dialogs


@pytest.mark.parametrize("width", WIDTHS)
def test_a_typo_gets_did_you_mean_links(open_page_at, live_server, width):
    page, watch = open_page_at(width)
    goto(page, watch, live_server("/"))
    # Typed without input events: the live count (a 400 for a place it does not know) stays out of this test.
    page.locator("#near").evaluate("field => { field.value = 'Charleroy'; }")
    submitted = page.evaluate("() => { const form = document.querySelector('.search-form');"
                              " const action = new URL(form.action); const hash = action.hash; action.hash = '';"
                              " return action + '?' + new URLSearchParams(new FormData(form)) + hash; }")
    watch.expected_error_documents.add((submitted, 400))  # the answer is a 400 page, on purpose
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")
    assert page.url == submitted
    assert page.get_by_role("list", name="Vous cherchez peut-être…").is_visible()
    screenshot(page, "did-you-mean", width)
    check_axe(page, "did-you-mean", width)
    with page.expect_navigation():
        page.locator(".field-near .choices a", has_text="Charleroi").click()
    assert query(page.url)["near"] == ["Charleroi"]
    assert page.locator("#error-near").count() == 0 and page.locator(".cards > .card").count() > 0
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name, path", [
    ("outside-brussels", "/?near=1000"),
    ("outside-brussels-ar", "/?near=%D8%A8%D8%B1%D9%88%D9%83%D8%B3%D9%84&lang=ar"),
    ("did-you-mean-ar", "/?near=%D8%B4%D8%A7%D8%B1%D9%84%D9%88%D8%B1%D9%88%D8%A7&lang=ar"),
    ("did-you-mean-uk", "/?near=%D0%9D%D0%B0%D0%BC%D1%8E%D0%B5&lang=uk"),
])
def test_place_answers_have_no_axe_violation(open_page_at, live_server, name, path, width):
    page, watch = open_page_at(width)
    goto(page, watch, live_server(path), status=400)
    assert page.locator("#error-near").is_visible()
    if name.startswith("did-you-mean"):
        assert page.locator(".field-near .choices a").count() >= 1
    screenshot(page, name, width)
    check_axe(page, name, width)
    watch.assert_clean()
