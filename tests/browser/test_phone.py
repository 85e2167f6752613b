"""The public pages on a phone (360 px; issue 10, part 5): a search lands on its list, the list is
never out of date silently under an edited form, the way back keeps the search, the course page
starts with who to call, text at 200 % never scrolls sideways and words are not cut, the map says
when its tiles cannot load and its clusters wear no colour of the legend, and the first load's
weight in French, Arabic and Tigrinya."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.browser.helpers import axe_report, goto, query, screenshot
from tests.browser.test_map import wait_for_map

PHONE = 360
RESULTS = "/?near=Namur&radius_km=25&level=A2"
# Among the longest course pages of the demo (sessions, notes, conditions).
LONG_COURSE = "/cours/demo-forem-charleroi-ran-test-entree-journee"


def results_top(page) -> float:
    return page.evaluate("document.getElementById('results').getBoundingClientRect().top")


def first_course_path(page, watch, live_server, lang: str = "fr") -> str:
    """The first demo course of the results (every demo operator has a phone; courses other tests
    add to the shared live server may have none)."""
    goto(page, watch, live_server(f"{RESULTS}&lang={lang}"))
    return page.locator(".cards > .card[data-ref^='demo-'] .card-title a").first.get_attribute("href")


# -- landing on the results ------------------------------------------------------------------------
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_search_lands_on_its_results(open_page, live_server, javascript):
    page, watch = open_page(PHONE, javascript=javascript)
    goto(page, watch, live_server("/"))
    page.fill("#near", "Namur")
    page.check(".search-form input[name=level][value=A2]")
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")
    assert urlsplit(page.url).fragment == "results"
    assert query(page.url)["near"] == ["Namur"]
    # The list's heading is at the top of the screen; the form is folded above it.
    assert 0 <= results_top(page) <= 20, results_top(page)
    assert page.locator("#results-title").is_visible()
    fold = page.locator("details.search-fold")
    assert fold.get_attribute("open") is None
    assert "Niveau A2" in fold.locator("summary").first.inner_text()
    screenshot(page, f"phone-landing-{'js' if javascript else 'nojs'}", PHONE)
    # Scrolling up shows the folded form; its summary opens it.
    fold.locator("summary").first.click()
    assert page.locator("#near").is_visible()
    assert page.locator("#near").input_value() == "Namur"
    watch.assert_clean()


def test_wide_screens_show_the_form_open(open_page, live_server):
    page, watch = open_page(1280)
    goto(page, watch, live_server(RESULTS))
    assert page.locator("details.search-fold").get_attribute("open") is not None
    assert page.locator("#near").is_visible()
    watch.assert_clean()


# -- never stale results silently ------------------------------------------------------------------
def api_total(page, live_server, params: dict) -> int:
    response = page.request.get(live_server("/api/v1/courses?" + urlencode({**params, "per_page": 1})))
    assert response.ok
    return response.json()["total"]


def button_text(page) -> str:
    return page.locator("[data-show-count]").text_content().strip()


def test_an_edited_form_marks_the_list_out_of_date_and_counts_the_new_choices(open_page, live_server):
    page, watch = open_page(PHONE)
    goto(page, watch, live_server(RESULTS + "#results"))
    results = page.locator("section.results")
    before = page.locator(".cards > .card").count()
    assert "is-stale" not in (results.get_attribute("class") or "")
    assert button_text(page) == "Chercher"

    page.locator("details.search-fold > summary").click()
    page.select_option("#radius_km", "50")
    # At once: the list says it is for the previous choices (in a live region).
    note = page.locator("[data-stale-note] .stale-note")
    note.wait_for()
    assert note.inner_text().startswith("Ces résultats correspondent à vos anciens choix")
    assert page.locator("[data-stale-note]").get_attribute("aria-live") == "polite"
    assert "is-stale" in results.get_attribute("class")
    assert page.locator(".cards > .card").count() == before  # still there, marked
    # Then the button counts the new choices (the API's total for them).
    expected = api_total(page, live_server, {"near": "Namur", "radius_km": "50", "level": "A2"})
    page.wait_for_function("n => document.querySelector('[data-show-count]').textContent.includes(String(n))",
                           arg=expected)
    assert button_text(page) == f"Voir {expected} cours"
    assert watch.requests_matching(r"/api/v1/courses\?.*per_page=1")
    screenshot(page, "phone-stale-results", PHONE)
    count, report = axe_report(page)
    assert count == 0, report

    # Back to the choices of the list: nothing is out of date any more.
    page.select_option("#radius_km", "25")
    page.wait_for_function("() => !document.querySelector('section.results.is-stale')")
    assert page.locator("[data-stale-note] .stale-note").count() == 0
    assert button_text(page) == "Chercher"

    # A place that does not exist: no count (the API answers 400), the plain button.
    watch.expected_error_documents.add(
        (live_server("/api/v1/courses?near=Nullepart&radius_km=25&level=A2&per_page=1"), 400))
    page.fill("#near", "Nullepart")
    note.wait_for()
    page.wait_for_timeout(800)
    assert button_text(page) == "Chercher"
    page.fill("#near", "Namur")
    page.select_option("#radius_km", "50")
    page.wait_for_function("n => document.querySelector('[data-show-count]').textContent.includes(String(n))",
                           arg=expected)

    # Submitted: the new list, not out of date.
    with page.expect_navigation():
        page.click("[data-show-count]")
    assert query(page.url)["radius_km"] == ["50"]
    assert page.locator("section.results.is-stale").count() == 0
    assert page.locator("#results-title").inner_text().startswith(f"{expected} cours")
    watch.assert_clean()


def test_a_form_restored_by_the_browser_marks_the_list(open_page, live_server):
    """Back from the next page, the browser may restore what was typed: the list, which is for
    the URL's search, must then say it is not for those choices."""
    page, watch = open_page(PHONE)
    goto(page, watch, live_server(RESULTS))
    page.locator("details.search-fold > summary").click()
    page.select_option("#radius_km", "50")
    page.locator("[data-stale-note] .stale-note").wait_for()
    page.locator(".cards > .card .card-title a").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    edited = page.locator("#radius_km").input_value() != "25"
    stale = page.locator("section.results.is-stale").count() == 1
    assert stale == edited, (edited, stale)
    watch.assert_clean()


# -- back to the search ----------------------------------------------------------------------------
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_back_to_the_search_keeps_the_search(open_page, live_server, javascript):
    page, watch = open_page(PHONE, javascript=javascript)
    goto(page, watch, live_server(RESULTS + "&lang=ar&sort=title"))
    search = query(page.url)
    refs = page.locator(".cards > .card").evaluate_all("cards => cards.map(c => c.dataset.ref)")
    with page.expect_navigation():
        page.locator(".cards > .card .card-title a").nth(3).click()
    assert urlsplit(page.url).path.startswith("/cours/")
    with page.expect_navigation():
        page.click("p.back a[data-back]")
    assert urlsplit(page.url).path == "/"
    assert {k: v for k, v in query(page.url).items() if v != [""]} == {k: v for k, v in search.items() if v != [""]}
    assert page.locator(".cards > .card").evaluate_all("cards => cards.map(c => c.dataset.ref)") == refs
    watch.assert_clean()


def test_back_to_the_search_from_a_course_opened_elsewhere(open_page, live_server):
    page, watch = open_page(PHONE)
    path = first_course_path(page, watch, live_server)
    back = dict(parse_qsl(urlsplit(path).query))["back"]
    # A link from elsewhere, with a hostile back: the plain search, on this site.
    goto(page, watch, live_server(urlsplit(path).path + "?back=" + urlencode({"x": "https://evil.example"})))
    assert page.locator("p.back a").get_attribute("href") == "/"
    goto(page, watch, live_server(urlsplit(path).path + "?" + urlencode({"back": back})))
    with page.expect_navigation():
        page.click("p.back a[data-back]")
    assert sorted(parse_qsl(urlsplit(page.url).query)) == sorted(parse_qsl(back))
    assert urlsplit(page.url).fragment == "results"
    watch.assert_clean()


# -- the course page --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_the_course_page_starts_with_call_address_and_registration(open_page, live_server, lang):
    page, watch = open_page(PHONE)
    goto(page, watch, live_server(first_course_path(page, watch, live_server, lang)))
    call = page.locator("a.button-call")
    assert call.get_attribute("href").startswith("tel:")
    # The call button is on the first screen, before the long details.
    box = call.bounding_box()
    assert box["y"] + box["height"] <= 740, box
    assert box["width"] >= PHONE - 80  # a big target, the width of the screen
    assert page.locator(".essential-place a[href^='geo:']").is_visible()
    assert page.locator(".essential-register").is_visible()
    screenshot(page, f"phone-course-{lang}", PHONE)
    watch.assert_clean()


# -- 200 % text, whole words ---------------------------------------------------------------------------
WORDS_CUT = """() => {
  const cut = [];
  const skip = "a[href^='mailto:'], a[href^='http'], .web-address, .visually-hidden, [hidden], script, "
    + ".leaflet-container";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(skip) || !element.getClientRects().length) continue;
    for (const match of node.textContent.matchAll(/[^\\s\\-\\u2010/·,]{2,}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
      if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 4) cut.push(match[0]);
    }
  }
  return cut;
}"""

OVERFLOW = """() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll("body *")].filter(e => {
      const r = e.getBoundingClientRect();
      return r.width && (r.right > window.innerWidth + 1 || r.left < -1) && !e.closest("[hidden], .visually-hidden");
    }).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().width))
})"""


def page_path(page, watch, live_server, name: str, lang: str) -> str:
    suffix = "" if lang == "fr" else f"lang={lang}"
    if name == "home":
        return "/" + ("?" + suffix if suffix else "")
    if name == "results":
        return RESULTS + ("&" + suffix if suffix else "")
    path = LONG_COURSE + ("?" + suffix if suffix else "")
    if name == "course":
        return path
    return LONG_COURSE + "/imprimer" + ("?" + suffix if suffix else "")


def open_everything(page) -> None:
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("name", ["home", "results", "course", "print"])
def test_text_at_200_percent_never_scrolls_sideways(open_page, live_server, name, lang):
    page, watch = open_page(PHONE)
    goto(page, watch, live_server(page_path(page, watch, live_server, name, lang)))
    for size in ("100%", "200%"):
        page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        open_everything(page)
        page.wait_for_timeout(50)
        measured = page.evaluate(OVERFLOW)
        assert measured["scroll"] <= measured["inner"], f"{name} ({lang}) at {size}: {measured}"
        assert page.evaluate(WORDS_CUT) == [], f"{name} ({lang}) at {size}: words cut"
    screenshot(page, f"phone-200-{name}-{lang}", PHONE)
    watch.assert_clean()


# -- the map ------------------------------------------------------------------------------------------
def block_tiles(page) -> None:
    page.route(re.compile(r"/tiles-test/"), lambda route: route.abort("failed"))


def only_tile_errors(watch) -> None:
    """The blocked tiles are logged as failed resources; anything else is a bug."""
    assert watch.page_errors == [] and watch.external_requests == [] and watch.dialogs == []
    assert all("net::ERR_FAILED" in error for error in watch.console_errors), watch.console_errors


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_the_map_says_when_its_tiles_cannot_load(open_page, live_server, width):
    page, watch = open_page(width)
    block_tiles(page)
    goto(page, watch, live_server(RESULTS))
    if width == PHONE:
        page.locator("[data-map-show]").click()
    wait_for_map(page)
    message = page.locator("[data-map-message]")
    message.wait_for()
    assert message.inner_text() == "La carte ne peut pas s'afficher. La liste montre tous les cours."
    assert message.get_attribute("role") == "status"
    assert page.locator(".cards > .card").count() > 0
    screenshot(page, "map-tiles-blocked", width)
    only_tile_errors(watch)

    # The course page's small map says it too.
    goto(page, watch, live_server(LONG_COURSE))
    if width == PHONE:
        page.locator("[data-map-show]").click()
    page.locator("[data-map-message]").wait_for()
    assert page.locator("[data-map-message]").inner_text().startswith("La carte ne peut pas s'afficher.")
    only_tile_errors(watch)


def test_no_message_when_the_tiles_load(open_page, live_server):
    page, watch = open_page(1280)
    goto(page, watch, live_server(RESULTS))
    wait_for_map(page)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    page.wait_for_timeout(200)
    assert page.locator("[data-map-message]").is_hidden()
    watch.assert_clean()


def test_clusters_wear_no_colour_of_the_legend(open_page, live_server):
    page, watch = open_page(1280)
    goto(page, watch, live_server("/?sort=title"))  # all of Wallonia: clusters everywhere
    wait_for_map(page)
    clusters = page.locator(".marker-cluster div")
    assert clusters.count() > 0
    colours = set(clusters.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)"))
    legend = set(page.locator("[data-map-legend] .shape").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"))
    assert len(legend) == 5
    assert colours == {"rgb(255, 255, 255)"}
    assert not colours & legend
    assert page.locator("[data-map-legend] .legend-cluster").is_visible()
    screenshot(page, "map-clusters", 1280)
    watch.assert_clean()


# -- weight of the first load ---------------------------------------------------------------------------
WEIGHT = """() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  return entries.map(e => ({name: e.name, bytes: e.transferSize || e.encodedBodySize || 0}));
}"""


@pytest.mark.parametrize("lang", ["fr", "ar", "ti"])
@pytest.mark.parametrize("name", ["home", "results"])
def test_first_load_on_a_phone_is_light(open_page, live_server, name, lang):
    page, watch = open_page(PHONE)
    goto(page, watch, live_server(page_path(page, watch, live_server, name, lang)))
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    entries = page.evaluate(WEIGHT)
    total = sum(entry["bytes"] for entry in entries)
    print(f"first load on a phone, {name} ({lang}): {total / 1024:.1f} KB in {len(watch.requests)} requests")
    assert len(watch.requests) <= 15, watch.requests
    assert total <= 150 * 1024
    assert not watch.requests_matching(r"/vendor/|/tiles-test/"), "the map loads only when asked on a phone"
    watch.assert_clean()
