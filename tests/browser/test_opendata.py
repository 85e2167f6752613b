"""The open data page in a real browser, on the demo offer: axe-core finds nothing at 320 and 1280 px
(in French and in Dutch), the page never scrolls sideways on a phone even at 200 % text, it works
without JavaScript (it has none), and its links download the files under their dated names.
Screenshots in test-artifacts/screenshots/open-data-*."""
from __future__ import annotations

import csv
import io

import pytest

from portal.opendata.columns import HEADER
from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot
from tests.browser.test_phone import OVERFLOW, WORDS_CUT

PAGES = {"open-data": "/donnees-ouvertes", "open-data-nl": "/donnees-ouvertes?lang=nl"}
# The columns' names are names, like web addresses: longer than a phone's line at 200 %, they
# break after an underscore.
WORDS_CUT_BUT_NAMES = WORDS_CUT.replace('+ ".leaflet-container"', '+ ".leaflet-container, .open-data-columns code"')
assert WORDS_CUT_BUT_NAMES != WORDS_CUT


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_axe_violation(open_page, live_server, name, width):
    page, watch = open_page(width)
    goto(page, watch, live_server(PAGES[name]))
    assert page.locator(".open-data-files a").count() == 3
    screenshot(page, name, width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {PAGES[name]} at {width} px:\n{report}"
    watch.assert_clean()


def test_on_a_phone_at_200_percent_text_nothing_scrolls_sideways(open_page, live_server):
    page, watch = open_page(320)
    goto(page, watch, live_server(PAGES["open-data"]))
    for size in ("100%", "200%"):
        page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        page.wait_for_timeout(50)
        measured = page.evaluate(OVERFLOW)
        assert measured["scroll"] <= measured["inner"], f"at {size}: {measured}"
        assert page.evaluate(WORDS_CUT_BUT_NAMES) == [], f"at {size}: words cut"
    screenshot(page, "open-data-200", 320)
    watch.assert_clean()


def test_without_javascript_the_links_download_the_files(open_page, live_server):
    page, watch = open_page(1280, javascript=False)
    goto(page, watch, live_server("/"))
    page.locator(".site-footer a", has_text="télécharger l'offre").click()
    page.wait_for_url("**/donnees-ouvertes")
    assert " ".join(page.locator("h1").inner_text().split()) == "Données ouvertes : l'offre de cours"
    with page.expect_download() as download_info:
        page.locator(".open-data-files a", has_text="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "passerelle-offre-2026-11-27.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert tuple(rows[0]) == HEADER and len(rows) > 100  # the demo offer
    watch.assert_clean()
