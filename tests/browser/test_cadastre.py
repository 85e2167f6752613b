"""The cadastre's pages in a real browser, on the demo offer: axe-core finds nothing on the public
page (Wallonia, a bassin, the German-speaking Community) and on the coordinators' page at 320 and
1280 px; on a phone only the wide tables scroll sideways, inside their frames; the area selector
works without JavaScript. Screenshots in test-artifacts/screenshots/cadastre-*."""
from __future__ import annotations

import pytest

from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot
from tests.browser.test_workspace import sign_in

PUBLIC = {
    "cadastre": "/cadastre",
    "cadastre-namur": "/cadastre?area=Namur",
    "cadastre-german-speaking-de": "/cadastre?area=Communaut%C3%A9%20germanophone&lang=de",
}


# What sticks out of the screen, the tables inside their frames excepted (named in a failure).
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-frame table'))
  .slice(0, 8).map(e => `${e.tagName}.${e.className}#${e.id}`)"""


def _no_page_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        page.evaluate(WIDER_THAN_THE_SCREEN)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_page_has_no_axe_violation(open_page, live_server, name, width):
    page, watch = open_page(width)
    goto(page, watch, live_server(PUBLIC[name]))
    # Kinds × levels (courses, operators), states, pressure, shares, the entry calendar, the areas (the
    # searches without a course near are a table only once some were counted).
    assert page.locator("table.figures-table").count() == 7
    assert page.locator("#table-calendar tbody td").count() == 24 * 13
    assert page.locator("#table-courses tfoot td").last.inner_text().strip() != "0"
    _no_page_scroll(page)
    screenshot(page, name, width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {PUBLIC[name]} at {width} px:\n{report}"
    watch.assert_clean()


def test_the_area_is_chosen_without_javascript(open_page, live_server):
    page, watch = open_page(320, javascript=False)
    goto(page, watch, live_server("/cadastre?lang=nl"))
    assert page.locator("h1").inner_text() == "Het aanbod in cijfers: Wallonië"
    page.select_option("#area", "Namur")
    with page.expect_navigation():
        page.click("form.area-form button[type=submit]")
    assert "area=Namur" in page.url and "lang=nl" in page.url
    assert page.locator("h1").inner_text() == "Het aanbod in cijfers: Namur"
    # A wide table scrolls inside its frame, which the keyboard can reach.
    frame = page.locator(".table-frame").first
    assert frame.get_attribute("tabindex") == "0"
    _no_page_scroll(page)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_coordinators_page_has_no_axe_violation(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["coordinator"])
    with page.expect_navigation():
        page.click("a[href^='/espace/cadastre']")
    assert page.locator("h1").inner_text() == "Cadastre : Namur"
    assert page.locator("#table-operator-freshness tbody tr").count() > 0
    _no_page_scroll(page)
    screenshot(page, "cadastre-coordinator", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on the coordinators' cadastre at {width} px:\n{report}"
    # Another bassin: its figures, not its operators.
    goto(page, watch, live_server("/espace/cadastre?area=Li%C3%A8ge"))
    assert page.locator("#table-courses").count() == 1 and page.locator("#table-operator-freshness").count() == 0
    count, report = axe_report(page)
    assert count == 0, report
    watch.assert_clean()


REPORT = "/cadastre/rapport?area=Li%C3%A8ge&kind=fle&level=B1&km=10"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_has_no_axe_violation(open_page, live_server, width):
    page, watch = open_page(width)
    goto(page, watch, live_server(REPORT))
    assert page.locator("svg.gap-svg path").count() == 24  # the communes of the bassin of Liège
    assert page.locator("svg.gap-svg").bounding_box()["width"] > width / 2
    _no_page_scroll(page)
    screenshot(page, "cadastre-report", width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on the report at {width} px:\n{report}"
    watch.assert_clean()


def test_the_report_prints_on_a_few_a4_pages_with_its_map(open_page, live_server):
    import pypdfium2

    page, watch = open_page(1280)
    goto(page, watch, live_server(REPORT))
    pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True, print_background=True))
    sizes = {tuple(round(value) for value in pdf[index].get_size()) for index in range(len(pdf))}
    assert sizes == {(595, 842)}, sizes  # A4 in points
    assert 2 <= len(pdf) <= 6, f"the report takes {len(pdf)} pages"
    text = pdf[0].get_textpage().get_text_range()
    assert "Rapport : Liège" in text and "Carte des distances" in text
    assert "Télécharger" not in "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    # The map is drawn on the first page: its colours are there, not only white paper.
    image = pdf[0].render(scale=1).to_pil().convert("RGB")
    colours = {colour for _count, colour in image.getcolors(1_000_000)}
    assert (0x41, 0xb6, 0xc4) in colours or (0xa1, 0xda, 0xb4) in colours
    pdf.close()
    watch.assert_clean()
