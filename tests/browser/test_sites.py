"""An operator places a site with the pin in a real browser: the map shows, dragging the pin (or
moving it with the arrow keys) fills the latitude and longitude, "put the pin back" empties them,
saving keeps the position; axe-core finds nothing at 320 and 1280 px; without JavaScript or tiles
the fields still work."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.services import create_user
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.models import Site
from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot
from tests.browser.test_workspace import PASSWORD, sign_in

OPERATOR_REF = "demo-cpas-namur"
EMAIL = "cpas-namur@example.org"


@pytest.fixture(scope="session")
def site_operator(live_server) -> str:
    with live_server.app.app_context():
        create_user(EMAIL, PASSWORD, "operator", operator_ref=OPERATOR_REF)
        db.session.remove()
    return EMAIL


def stored(live_server, name: str) -> Site | None:
    with live_server.app.app_context():
        found = db.session.scalar(select(Site).where(Site.operator.has(ref=OPERATOR_REF), Site.name == name))
        if found is not None:
            db.session.expunge(found)
        db.session.remove()
        return found


def position(page) -> tuple[str, str]:
    return page.input_value("#lat"), page.input_value("#lon")


def pin_point(page) -> tuple[float, float]:
    return tuple(page.evaluate("() => { const p = window.passerelleSiteMap.marker.getLatLng(); "
                               "return [p.lat, p.lng]; }"))


def wait_for_pin(page, lat: float, lon: float) -> None:
    page.wait_for_function(
        "([lat, lon]) => { const p = window.passerelleSiteMap.marker.getLatLng(); "
        "return Math.abs(p.lat - lat) < 1e-6 && Math.abs(p.lng - lon) < 1e-6; }", arg=[lat, lon])


def drag_pin(page, dx: int, dy: int) -> None:
    pin = page.locator(".site-position .leaflet-marker-icon")
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_places_a_site_with_the_pin(open_page, live_server, site_operator, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, site_operator)
    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}/lieux/nouveau"))
    page.wait_for_selector("[data-site-map][data-ready=true] .leaflet-marker-icon")
    count, report = axe_report(page)
    screenshot(page, "workspace-site-new", width)
    assert count == 0, report

    name = f"Antenne Wépion {width}"
    page.fill("#name", name)
    page.fill("#street", "Chaussée de Dinant 1")
    with page.expect_response(lambda r: "/espace/lieux/position" in r.url):
        page.fill("#postal_code", "5100")
    page.fill("#locality", "Wépion")
    with page.expect_response(lambda r: "/espace/lieux/position" in r.url and "locality=W" in r.url):
        page.locator("#locality").blur()
    wepion = get_gazetteer().locality("5100", "Wépion")
    # The pin moves once the answer is handled, a moment after it arrives.
    wait_for_pin(page, wepion.lat, wepion.lon)
    assert pin_point(page) == pytest.approx((wepion.lat, wepion.lon), abs=1e-6)  # the pin follows the address
    assert position(page) == ("", "")  # …and the fields stay empty: the gazetteer places the site
    assert "Namur" in page.inner_text("#hint-postal_code")
    suggested = page.locator("#localities option").evaluate_all("options => options.map(o => o.value)")
    assert suggested == [loc.name for loc in get_gazetteer().postal_code("5100").localities]

    drag_pin(page, 60, -40)
    lat, lon = position(page)
    assert lat and lon
    assert float(lat) > wepion.lat and float(lon) > wepion.lon  # up and to the right
    assert (float(lat), float(lon)) == pytest.approx(pin_point(page), abs=1e-6)
    assert page.inner_text("[data-map-status]")

    page.click("[data-pin-reset]")
    page.wait_for_function("() => document.getElementById('lat').value === ''")
    assert position(page) == ("", "")
    wait_for_pin(page, wepion.lat, wepion.lon)
    assert pin_point(page) == pytest.approx((wepion.lat, wepion.lon), abs=1e-6)

    drag_pin(page, -50, 30)
    page.focus(".site-position .leaflet-marker-icon")
    before = float(page.input_value("#lon"))
    page.keyboard.press("ArrowRight")
    assert float(page.input_value("#lon")) > before  # keyboard users move the pin too
    lat, lon = position(page)

    with page.expect_navigation():
        page.click(".site-form button[type=submit]")
    assert "saved=1" in page.url
    assert position(page) == (lat, lon)
    page.wait_for_selector("[data-site-map][data-ready=true] .leaflet-marker-icon")
    count, report = axe_report(page)
    screenshot(page, "workspace-site-edit", width)
    assert count == 0, report
    site = stored(live_server, name)
    assert site.coordinates_given and (site.lat, site.lon) == (float(lat), float(lon))
    assert site.commune == "Namur" and site.locality == "Wépion"
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_page_lists_the_sites(open_page, live_server, site_operator, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, site_operator)
    rows = page.locator("section.sites tbody tr")
    assert rows.count() >= 2
    assert page.locator("section.sites a[href$='/espace/lieux/demo-cpas-namur-jambes/modifier']").count() == 1
    count, report = axe_report(page)
    screenshot(page, "workspace-operator-sites", width)
    assert count == 0, report
    watch.assert_clean()


def test_without_tiles_the_pin_still_works(open_page, live_server, site_operator):
    page, watch = open_page(1280)
    sign_in(page, watch, live_server, site_operator)
    page.route("**/tiles-test/**", lambda route: route.abort())
    goto(page, watch, live_server("/espace/lieux/demo-cpas-namur-jambes/modifier"))
    page.wait_for_selector("[data-map-no-tiles]:not([hidden])")
    drag_pin(page, 40, 0)
    assert all(position(page))
    screenshot(page, "workspace-site-no-tiles", 1280)
    # Typed coordinates (a French comma too) move the pin.
    page.fill("#lat", "50,47")
    page.fill("#lon", "4,87")
    page.keyboard.press("Tab")
    assert pin_point(page) == pytest.approx((50.47, 4.87))
    # A pin placed by hand stays when the address changes, and the page says so.
    moved = page.inner_text("[data-map-status]")
    with page.expect_response(lambda r: "/espace/lieux/position" in r.url):
        page.fill("#postal_code", "5000")
    page.wait_for_function("text => document.querySelector('[data-map-status]').textContent !== text", arg=moved)
    assert pin_point(page) == pytest.approx((50.47, 4.87)) and position(page) == ("50,47", "4,87")
    assert watch.page_errors == [] and watch.external_requests == []


def test_without_javascript_the_coordinates_are_typed(open_page, live_server, site_operator):
    page, watch = open_page(320, javascript=False)
    sign_in(page, watch, live_server, site_operator)
    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}/lieux/nouveau"))
    assert not page.locator("[data-map]").is_visible() and not page.locator("[data-pin-reset]").is_visible()
    page.fill("#name", "Antenne sans script")
    page.fill("#postal_code", "5000")
    page.fill("#lat", "50,4655")
    page.fill("#lon", "4,8601")
    with page.expect_navigation():
        page.click(".site-form button[type=submit]")
    assert "saved=1" in page.url
    site = stored(live_server, "Antenne sans script")
    assert (site.lat, site.lon, site.coordinates_given) == (50.4655, 4.8601, True)
    watch.assert_clean()
