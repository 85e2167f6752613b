"""The search as people use it: type a commune, pick a level, filter, open a course; and the same
without JavaScript (the list and the pagination are plain links and forms)."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.helpers import WIDTHS, card_refs, goto, query, screenshot


def search_liege_a2(page, watch, live_server, radius_km: str | None = None) -> None:
    goto(page, watch, live_server("/"))
    page.fill("#near", "Liege")
    page.check(".search-form input[name=level][value=A2]")
    if radius_km is not None:
        page.select_option("#radius_km", radius_km)
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_by_commune_name(open_page, live_server, width):
    page, watch = open_page(width)
    search_liege_a2(page, watch, live_server)

    args = query(page.url)
    assert urlsplit(page.url).path == "/"
    assert args["near"] == ["Liege"]
    assert args["level"] == ["A2"]
    cards = page.locator(".cards > .card")
    assert cards.count() > 0
    assert page.locator("#results-title").inner_text().endswith(("cours trouvé", "cours trouvés"))
    assert page.locator("#near").input_value() == "Liege"
    # Every card is a Liège-area course with a distance from the place searched.
    assert all(re.search(r"\d\s*km", text) for text in page.locator(".cards > .card .where").all_inner_texts())
    screenshot(page, "search-liege-a2", width)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_evening_filter(open_page, live_server, width):
    page, watch = open_page(width)
    search_liege_a2(page, watch, live_server)
    unfiltered = card_refs(page)
    assert page.locator("nav.pagination").count() == 0  # all the Liège A2 courses are listed

    fold = page.locator("details.search-fold")  # after a search, phones fold the form away
    if fold.get_attribute("open") is None:
        fold.locator("summary").first.click()
    details = page.locator("details.more-filters")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    assert page.locator(".search-form input[name=part_of_day][value=evening]").is_visible()
    page.check(".search-form input[name=part_of_day][value=evening]")
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")

    args = query(page.url)
    assert args["part_of_day"] == ["evening"]
    refs = card_refs(page)
    assert refs, "no evening course near Liège in the demo offer"
    assert set(refs) < set(unfiltered)
    # Same courses as the API for the same query, in the same order.
    api_args = [(k, v) for k, values in args.items() for v in values if v]
    api = page.request.get(live_server("/api/v1/courses?" + urlencode(api_args)))
    assert api.ok
    assert refs == [item["ref"] for item in api.json()["items"]]
    schedules = page.locator(".cards > .card .schedule").all_inner_texts()
    assert len(schedules) == len(refs)
    assert all("soir" in text for text in schedules), schedules
    # The details stay open to show what is ticked.
    assert page.locator("details.more-filters[open]").count() == 1
    assert page.locator(".search-form input[name=part_of_day][value=evening]").is_checked()
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_open_a_course_from_the_results(open_page, live_server, width):
    page, watch = open_page(width)
    search_liege_a2(page, watch, live_server)
    link = page.locator(".cards > .card .card-title a").first
    title = link.inner_text().strip()
    href = link.get_attribute("href")

    with page.expect_navigation():
        link.click()

    assert page.url == live_server(href)  # with the search to go back to (back=)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() == title
    assert page.title().startswith(title)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_search_and_pagination_without_javascript(open_page, live_server, width):
    page, watch = open_page(width, javascript=False)
    search_liege_a2(page, watch, live_server)
    assert query(page.url)["near"] == ["Liege"]
    assert page.locator(".cards > .card").count() > 0
    # Without JS: no map, the "Show the map" button stays hidden, the sort has its button.
    assert page.locator("[data-map]").is_hidden()
    assert page.locator("[data-map-show]").is_hidden()
    assert page.locator("[data-autosubmit-button]").is_visible()

    # A wider search has two pages: Next, then Previous.
    search_liege_a2(page, watch, live_server, radius_km="25")
    total_text = page.locator("#results-title").inner_text()
    first_page = card_refs(page)
    assert len(first_page) == 20, total_text
    pagination = page.locator("nav.pagination")
    assert pagination.locator("[aria-current=page]").inner_text() == "Page 1 sur 2"
    with page.expect_navigation():
        pagination.locator("a[rel=next]").click()
    assert query(page.url)["page"] == ["2"]
    assert query(page.url)["near"] == ["Liege"]
    second_page = card_refs(page)
    assert second_page and not set(second_page) & set(first_page)
    assert page.locator("nav.pagination [aria-current=page]").inner_text() == "Page 2 sur 2"
    assert page.locator("nav.pagination a[rel=next]").count() == 0
    screenshot(page, "nojs-results-page2", width)
    with page.expect_navigation():
        page.locator("nav.pagination a[rel=prev]").click()
    assert card_refs(page) == first_page

    # Sorting works through its submit button.
    page.select_option("#sort", "title")
    with page.expect_navigation():
        page.click("[data-autosubmit-button]")
    titles = page.locator(".cards > .card .card-title").all_inner_texts()
    assert query(page.url)["sort"] == ["title"]
    assert len(titles) == 20
    watch.assert_clean()


@pytest.fixture(scope="module")
def comment_title_course(live_server) -> str:
    """A course whose title opens an HTML comment and a script tag inside the JSON-LD block."""
    from portal.extensions import db
    from portal.geo.gazetteer import get_gazetteer
    from portal.offer.services import import_offer
    from tests import factories
    from tests.conftest import TODAY

    doc = factories.document(factories.operator(
        ref="op-browser-jsonld", name="Opérateur JSON-LD (test)",
        sites=[factories.site(ref="site-browser-jsonld", postal_code="5000", locality="Namur")],
        courses=[factories.course(ref="course-browser-jsonld", site_ref="site-browser-jsonld",
                                  title="Cours <!--<script>")]))
    with live_server.app.app_context():
        import_offer(doc, get_gazetteer(), TODAY)
        db.session.remove()
    return "course-browser-jsonld"


def test_a_title_with_markup_does_not_blank_the_course_page(open_page, live_server, comment_title_course):
    page, watch = open_page(1280)
    goto(page, watch, live_server(f"/cours/{comment_title_course}"))
    assert page.locator("h1").inner_text() == "Cours <!--<script>"
    assert page.locator("footer.site-footer").is_visible()
    assert page.locator(".entry-cards, .course-grid").first.is_visible()
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["name"] == "Cours <!--<script>"
    watch.assert_clean()
