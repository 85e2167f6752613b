"""The guided route in a real browser: on a 360 px phone without JavaScript from the home page to the
results, every button big enough to tap and as wide as the screen; axe on every screen at 320 and
1280 px (French, and Arabic right to left); screenshots in test-artifacts/screenshots/guide-*."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import WIDTHS, axe_report, goto, query, screenshot, wait_for_maps

ANSWERS = "speak=none&read=yes&goal=job&near=Namur&time=evening&childcare=yes"
# name → (path, status): each screen, a place error, and the results the route ends on.
SCREENS = {
    "speak": ("/trouver", 200),
    "read": ("/trouver/lire?speak=none", 200),
    "goal": ("/trouver/pourquoi?speak=none&read=yes", 200),
    "place": ("/trouver/ou?speak=none&read=yes&goal=job", 200),
    "place-error": ("/trouver/quand?speak=none&read=yes&goal=job&near=Mont", 400),
    "time": ("/trouver/quand?speak=none&read=yes&goal=job&near=Namur", 200),
    "childcare": ("/trouver/enfants?speak=none&read=yes&goal=job&near=Namur&time=evening", 200),
    "results": (f"/trouver/resultats?{ANSWERS}", 200),
}


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _check_buttons(page, width: int) -> None:
    """Every answer is a button at least 48 px high, nearly as wide as the phone's screen."""
    boxes = [button.bounding_box() for button in page.locator(".guide-choice").all()]
    assert boxes
    for box in boxes:
        assert box["height"] >= 48, box
        assert box["width"] >= width - 2 * 24, box  # the page's side padding only


def test_the_guided_route_on_a_phone_without_javascript(open_page, live_server):
    page, watch = open_page(360, javascript=False)
    goto(page, watch, live_server("/"))
    with page.expect_navigation():
        page.click(".guide-start a")
    steps = [("speak", "little"), ("read", "yes"), ("goal", "job"), ("near", "Namur"), ("time", "evening"),
             ("childcare", "yes")]
    for number, (name, value) in enumerate(steps, start=1):
        assert page.locator(".guide-progress").inner_text() == f"Question {number} sur 6"
        assert _no_horizontal_scroll(page)
        screenshot(page, f"guide-phone-{number}-{name}", 360)
        with page.expect_navigation():
            if name == "near":
                assert page.locator("[data-locate]").is_hidden()  # "use my position" needs JavaScript
                page.fill("#near", value)
                page.click(".guide-next button")
            else:
                _check_buttons(page, 360)
                page.click(f"button[name={name}][value={value}]")
        # The browser's back button gives the screen just answered, and forward again.
        if number == 2:
            page.go_back()
            assert page.locator("h1").inner_text() == "Savez-vous lire et écrire dans votre langue\u00a0?"
            page.go_forward()
    assert urlsplit(page.url).path == "/"
    args = query(page.url)
    assert args["guide"] == ["little.yes.job.evening.yes"]
    assert args["kind"] == ["fle"] and args["level"] == ["A1"] and args["near"] == ["Namur"]
    assert page.locator(".guide-note").is_visible()
    assert "Le centre testera votre niveau" in page.locator(".guide-test").inner_text()
    assert page.locator(".cards > .card").count() > 0
    assert _no_horizontal_scroll(page)
    screenshot(page, "guide-phone-7-results", 360)
    # "See the courses" goes down to them.
    page.click(".guide-links a.button")
    assert page.url.endswith("#results-title")
    watch.assert_clean()


def test_the_place_question_uses_the_position_when_there_is_one(open_page, live_server, browser):
    page, watch = open_page(360)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 50.4669, "longitude": 4.8675})
    goto(page, watch, live_server("/trouver/ou?speak=none&read=yes&goal=daily"))
    with page.expect_navigation():
        page.click("[data-locate]")
    assert urlsplit(page.url).path == "/trouver/quand"
    assert query(page.url)["near"] == ["5000 Namur"]  # the nearest locality, not raw coordinates
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_every_screen_has_no_axe_violation(open_page, live_server, name, width):
    page, watch = open_page(width)
    path, status = SCREENS[name]
    goto(page, watch, live_server(path), status=status)
    if name == "results":
        assert page.locator(".guide-note").is_visible()
        if width >= 1280:
            wait_for_maps(page)
    elif width == 320 and name != "place-error" and name != "place":
        _check_buttons(page, 320)
    assert _no_horizontal_scroll(page)
    screenshot(page, f"guide-{name}", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} ({path}) at {width} px:\n{report}"
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["speak", "place-error", "results"])
def test_screens_right_to_left_have_no_axe_violation(open_page, live_server, name, width):
    page, watch = open_page(width)
    path, status = SCREENS[name]
    goto(page, watch, live_server(f"{path}&lang=ar" if "?" in path else f"{path}?lang=ar"), status=status)
    assert page.locator("html").get_attribute("dir") == "rtl"
    if name == "results" and width >= 1280:
        wait_for_maps(page)
    assert _no_horizontal_scroll(page)
    screenshot(page, f"guide-{name}-ar", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} ({path}) at {width} px:\n{report}"
    watch.assert_clean()
