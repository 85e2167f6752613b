"""Alerts in a real browser, without JavaScript as with it: from the results page to the form, the
confirmation e-mail's link and its button, the one-click stop; axe-core finds nothing on any of
these pages at 320 and 1280 px (screenshots in test-artifacts/screenshots/)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot

RESULTS = "/?near=Namur&radius_km=25&level=A2"


def _links_of_last_mail(live_server, to: str) -> tuple[str, str]:
    with live_server.app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipients == to)
                                     .order_by(OutboxMessage.id.desc())).first()
        body = message.body
        db.session.remove()
    confirm, stop = re.findall(r"https://passerelle\.test(/\S+)", body)[:2]
    return confirm, stop


def _check(page, watch, name: str, width: int) -> None:
    screenshot(page, name, width)
    count, report = axe_report(page)
    assert count == 0, f"axe: {count} violation(s) on {name} at {width} px:\n{report}"
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_ask_confirm_and_stop_an_alert(open_page, live_server, width, javascript):
    page, watch = open_page(width, javascript=javascript)
    goto(page, watch, live_server(RESULTS))
    offer = page.locator(".alert-offer a").first
    assert offer.is_visible()
    with page.expect_navigation():
        offer.click()
    assert page.url.startswith(live_server("/alerte?")) and "level=A2" in page.url
    assert page.locator(".alert-search .chip").count() == 3
    suffix = "" if javascript else "-nojs"  # addresses of their own
    if javascript:
        _check(page, watch, "alert-form", width)

    # A wrong address is said beside the field, and kept.
    watch.expected_error_documents.add((page.url, 400))
    page.fill("#email", "not an address")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator("#error-email").is_visible()
    assert page.locator("#email").input_value() == "not an address"
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    if javascript:
        _check(page, watch, "alert-form-error", width)

    email = f"browser-{width}{suffix}@example.org"
    page.fill("#email", email)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator("h1").inner_text() == "Regardez dans votre boîte e-mail"
    assert email in page.locator("main").inner_text()
    if javascript:
        _check(page, watch, "alert-sent", width)

    confirm, stop = _links_of_last_mail(live_server, email)
    goto(page, watch, live_server(confirm))
    assert page.locator("h1").inner_text() == "Démarrer l'alerte ?"
    if javascript:
        _check(page, watch, "alert-confirm", width)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator("h1").inner_text() == "Votre alerte est active"
    if javascript:
        _check(page, watch, "alert-confirmed", width)

    goto(page, watch, live_server(stop))
    assert page.locator("h1").inner_text() == "L'alerte est arrêtée"
    if javascript:
        _check(page, watch, "alert-stopped", width)
    goto(page, watch, live_server(confirm), status=404)
    assert page.locator("h1").inner_text() == "Ce lien ne fonctionne pas"
    if javascript:  # axe runs in the page: it needs JavaScript
        _check(page, watch, "alert-link-invalid", width)
    else:
        watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_alert_pages_read_right_to_left(open_page, live_server, width):
    page, watch = open_page(width)
    goto(page, watch, live_server(RESULTS + "&lang=ar"))
    href = page.locator(".alert-offer a").first.get_attribute("href")
    assert href.endswith("lang=ar"), href
    goto(page, watch, live_server(href))
    assert page.locator("html").get_attribute("dir") == "rtl"
    _check(page, watch, "alert-form-ar", width)


def test_the_feed_of_the_results_is_atom(open_page, live_server):
    page, watch = open_page(1280)
    goto(page, watch, live_server(RESULTS))
    href = page.locator("head link[type='application/atom+xml']").get_attribute("href")
    response = page.request.get(live_server(href))
    assert response.status == 200 and response.headers["content-type"].startswith("application/atom+xml")
    assert "<feed xmlns=\"http://www.w3.org/2005/Atom\"" in response.text()
