"""The gap page (/cadastre/ecarts) in a real browser, on the demo offer: the choropleth is drawn by
the page's own script from the site's Leaflet (no CSP error, no other host), axe-core finds nothing
at 320 and 1280 px, and without JavaScript the form, the sentence and the table carry everything.
Screenshots in test-artifacts/screenshots/cadastre-gaps-*."""
from __future__ import annotations

import pytest

from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot

PAGE = "/cadastre/ecarts?kind=fle&level=B1&area=wallonia&km=20"


@pytest.mark.parametrize("width", WIDTHS)
def test_choropleth_and_table_without_axe_violation(open_page, live_server, width):
    page, watch = open_page(width)
    goto(page, watch, live_server(PAGE))
    page.wait_for_selector("#map_gaps path.leaflet-interactive")
    assert page.locator("#map_gaps path.leaflet-interactive").count() == 261
    assert page.locator("#table-gaps tbody tr").count() > 0
    assert "FLE B1" in page.locator("p.answer").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # A commune's tooltip: its name, population and distance.
    page.locator("#map_gaps").scroll_into_view_if_needed()
    box = page.locator("#map_gaps").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "km" in page.locator(".leaflet-tooltip").inner_text()
    page.mouse.move(0, 0)
    screenshot(page, "cadastre-gaps", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) at {width} px:\n{report}"
    watch.assert_clean()


def test_the_form_works_without_javascript_and_keeps_errors(open_page, live_server):
    page, watch = open_page(320, javascript=False)
    goto(page, watch, live_server("/cadastre?lang=nl"))
    with page.expect_navigation():
        page.click("a[href^='/cadastre/ecarts']")
    assert page.locator("#km").input_value() == "20"
    page.select_option("#kind", "fle")
    page.select_option("#level", "B1")
    page.select_option("#area", "Namur")
    with page.expect_navigation():
        page.click("form.gap-form button[type=submit]")
    assert "lang=nl" in page.url and "area=Namur" in page.url
    assert page.locator("#table-gaps tbody tr").count() > 0
    page.fill("#km", "ver")
    watch.expected_error_documents.add((page.url.replace("km=20", "km=ver"), 400))
    with page.expect_navigation():
        page.click("form.gap-form button[type=submit]")
    assert page.locator("#km-error").is_visible() and page.locator("#km").input_value() == "ver"
