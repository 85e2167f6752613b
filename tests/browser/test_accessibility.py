"""axe-core on every public page, at phone (320 px) and desktop (1280 px) widths; a screenshot
of each page is kept in test-artifacts/screenshots/."""
from __future__ import annotations

import pytest

from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot, wait_for_maps

RESULTS = "/?near=Namur&radius_km=25&level=A2"

# name → (path, expected HTTP status); "course" and "print" are reached from the results.
PAGES = {
    "search": ("/", 200),
    "results": (RESULTS, 200),
    "course": (None, 200),
    "print": (None, 200),
    "embed": ("/embed?bassin=Namur", 200),
    "error-form": ("/?near=Mont", 400),
    "not-found": ("/cours/no-such-course", 404),
}


def _course_path(page, watch, live_server) -> str:
    goto(page, watch, live_server(RESULTS))
    href = page.locator(".cards > .card .card-title a").first.get_attribute("href")
    assert href and href.startswith("/cours/"), href
    return href


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violation(open_page, live_server, name, width):
    page, watch = open_page(width)
    path, status = PAGES[name]
    if name == "course":
        path = _course_path(page, watch, live_server)
    elif name == "print":
        goto(page, watch, live_server(_course_path(page, watch, live_server)))
        path = page.locator("a[href*='/imprimer']").get_attribute("href")
    goto(page, watch, live_server(path), status=status)
    if width >= 1280:
        wait_for_maps(page)
    if name == "error-form":
        assert page.locator(".error-summary").is_visible()
        assert page.locator("#near[aria-invalid=true]").count() == 1
    screenshot(page, name, width)

    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} ({path}) at {width} px:\n{report}"
    watch.assert_clean()


# The same pages read right to left (Arabic) and in Ge'ez letters (Tigrinya).
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["search", "results", "course", "print", "error-form"])
@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_page_in_another_script_has_no_axe_violation(open_page, live_server, lang, name, width):
    page, watch = open_page(width)
    path, status = PAGES[name]
    results = f"{RESULTS}&lang={lang}"
    if name in ("course", "print"):
        goto(page, watch, live_server(results))
        path = page.locator(".cards > .card .card-title a").first.get_attribute("href")
        assert path.endswith(f"lang={lang}"), path  # the links keep the language
        if name == "print":
            goto(page, watch, live_server(path))
            path = page.locator("a[href*='/imprimer']").get_attribute("href")
    else:
        path = f"{path}{'&' if '?' in path else '?'}lang={lang}"
    goto(page, watch, live_server(path), status=status)
    direction = "rtl" if lang == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == lang
    if width >= 1280:
        wait_for_maps(page)
    screenshot(page, f"{name}-{lang}", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} ({path}) at {width} px:\n{report}"
    watch.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_results_on_a_phone_in_french_arabic_and_ukrainian(open_page, live_server, lang):
    """The screenshots the issue asks for: results on a 360 px phone."""
    page, watch = open_page(360)
    goto(page, watch, live_server(f"{RESULTS}&lang={lang}"))
    assert page.locator(".cards > .card").count() > 0
    # No horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"phone-results-{lang}", 360)
    watch.assert_clean()
