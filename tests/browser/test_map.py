"""The results map: popups and cards linked both ways, Leaflet served from /vendor only, loaded
on demand on phones, and operator text never treated as HTML."""
from __future__ import annotations

import re

from tests.browser.helpers import goto, screenshot

RESULTS = "/?near=Namur&radius_km=25&level=A2"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "leaflet.markercluster.js",
                 "MarkerCluster.css", "MarkerCluster.Default.css")


def wait_for_map(page) -> None:
    """data-ready, then the end of the first zoom animation. map.js sets data-ready right after
    fitBounds, while Leaflet still animates: a "Show on the map" click in those ~250 ms opened
    no popup in 2 runs out of 12 (markercluster's zoomToShowLayer never calls back). That race
    is reported, not tested here: it cannot fail deterministically."""
    page.wait_for_selector("[data-map-panel][data-ready=true]", state="attached")
    page.wait_for_selector(".cards > .card .show-on-map")
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')")
    page.wait_for_timeout(50)


def wait_for_popup(page):
    """The popup is open, faded in, and panned into view (for assertions and screenshots)."""
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_function("""() => {
        const popup = document.querySelector(".leaflet-popup");
        const map = document.querySelector("[data-map]");
        if (!popup || getComputedStyle(popup).opacity !== "1") return false;
        return popup.getBoundingClientRect().top >= map.getBoundingClientRect().top - 1;
    }""")
    return popup


def marker_of(page, title: str):
    """The (unclustered, on screen) markers of a course: Leaflet puts the title on its icon."""
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return page.locator(f".leaflet-marker-icon:not(.marker-cluster)[title={quoted}]")


def test_map_popup_and_card_linked_on_desktop(open_page, live_server):
    page, watch = open_page(1280)
    goto(page, watch, live_server(RESULTS))
    wait_for_map(page)
    assert page.locator("[data-map-show]").is_hidden()
    first = page.locator(".cards > .card").first
    ref = first.get_attribute("data-ref")
    title = first.locator(".card-title").inner_text().strip()

    # Card → map: its button zooms to the marker and opens the popup.
    first.locator(".show-on-map").click()
    popup = wait_for_popup(page)
    assert popup.locator("strong").inner_text() == title
    assert popup.locator("a").get_attribute("href").endswith(f"/cours/{ref}")
    screenshot(page, "map-popup", 1280)

    # Map → card: clicking the marker selects (highlights) the card.
    page.evaluate("document.querySelectorAll('.card.is-selected').forEach(c => c.classList.remove('is-selected'))")
    page.keyboard.press("Escape")
    marker = marker_of(page, title)
    assert marker.count() >= 1, "the card button should zoom until the marker is on its own"
    marker.first.click()
    page.wait_for_selector(f"#course-{ref}.card.is-selected")
    assert page.locator(".card.is-selected").count() == 1
    assert popup.locator("strong").inner_text() == title

    # Leaflet and markercluster come from /vendor (xstatic packages), nothing else from anywhere.
    for name in LEAFLET_FILES:
        loaded = watch.requests_matching(re.escape(name) + r"$")
        assert loaded, f"{name} was not loaded"
        assert all(re.match(re.escape(live_server("/vendor/")), url) for url in loaded), loaded
    assert not [url for url in watch.requests if "leaflet" in url.lower() and "/vendor/" not in url]
    assert watch.requests_matching(r"/tiles-test/\d+/\d+/\d+\.png$")
    watch.assert_clean()


def test_map_loads_only_on_demand_on_phones(open_page, live_server):
    page, watch = open_page(320)
    goto(page, watch, live_server(RESULTS))
    page.wait_for_load_state("load")
    show = page.locator("[data-map-show]")
    show.wait_for()  # search.js unhides the button
    assert page.locator("[data-map]").is_hidden()
    assert not watch.requests_matching(r"/vendor/"), "map assets fetched before asking for the map"
    assert not watch.requests_matching(r"/tiles-test/")
    assert page.evaluate("typeof window.L") == "undefined"
    screenshot(page, "map-before-show", 320)

    show.click()
    wait_for_map(page)
    assert page.locator("[data-map]").is_visible()
    assert page.locator("[data-map] .leaflet-marker-icon").count() > 0
    assert show.is_hidden()
    assert watch.requests_matching(r"/vendor/leaflet/leaflet\.js$")
    assert all(url.startswith(live_server("/vendor/")) for url in watch.requests_matching(r"leaflet"))
    screenshot(page, "map-after-show", 320)
    watch.assert_clean()


def test_popup_text_is_never_html(open_page, live_server, xss_course):
    page, watch = open_page(1280)
    goto(page, watch, live_server(xss_course["search"]))
    wait_for_map(page)
    card = page.locator(f"#course-{xss_course['ref']}")
    assert card.locator(".card-title").inner_text().strip() == xss_course["title"]

    card.locator(".show-on-map").click()
    popup = wait_for_popup(page)
    assert popup.locator("strong").inner_text() == xss_course["title"]
    assert popup.locator("img").count() == 0
    assert page.locator(".leaflet-map-pane img:not(.leaflet-tile)").count() == 0
    # The marker's title attribute is text too.
    assert marker_of(page, xss_course["title"]).count() == 1
    screenshot(page, "map-popup-xss", 1280)
    assert not watch.requests_matching(r"/x$"), "an <img src=x> was created"
    watch.assert_clean()  # includes: no alert() dialog


def test_closed_registrations_on_the_map_and_the_card(open_page, live_server):
    """A course whose only upcoming session's deadline passed: a red diamond on the map, a popup
    and a card saying registrations are closed, with the number to call (demo: Waremme)."""
    ref = "demo-lee-liege-ran-francais-calcul-samedi"
    for width in (320, 1280):
        page, watch = open_page(width)
        goto(page, watch, live_server("/?near=4300&radius_km=5&level=A2"))
        card = page.locator(f"#course-{ref}")
        assert card.get_attribute("data-availability") == "closed"
        assert "Inscriptions closes" in card.locator("p.when").inner_text()
        assert card.locator("p.when a[href^='tel:']").count() == 1
        if width == 320:
            page.locator("[data-map-show]").click()
        wait_for_map(page)
        card.locator(".show-on-map").click()
        popup = wait_for_popup(page)
        assert "Inscriptions closes" in popup.inner_text()
        assert page.locator(".leaflet-marker-icon.marker-closed").count() >= 1
        legend = page.locator("[data-map-legend]").inner_text()
        assert "Inscriptions closes" in legend and "Complet" in legend
        screenshot(page, "map-registrations-closed", width)
        watch.assert_clean()
