"""The operator's workspace in a real browser: sign in, see the freshness of the offer, confirm it
all in one click; axe-core finds nothing on the sign-in and workspace pages at 320 and 1280 px."""
from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.browser.helpers import WIDTHS, axe_report, goto, publish_course, screenshot
from tests.people import TOTP_SECRET

PASSWORD = "correct horse battery"
OPERATOR_REF = "demo-lee-namur"


def sign_in(page, watch, live_server, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in page, and its code page when the account has a second factor."""
    goto(page, watch, live_server("/connexion"))
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/connexion/code" in page.url:
        with live_server.app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            user.totp_last_step = None  # one 30 s step may serve several sign-ins of the tests
            db.session.commit()
            db.session.remove()
        page.fill("#code", pyotp.TOTP(TOTP_SECRET).now())
        with page.expect_navigation():
            page.click("main form button[type=submit]")


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_page_has_no_axe_violation(open_page, live_server, width):
    page, watch = open_page(width)
    goto(page, watch, live_server("/connexion"))
    count, report = axe_report(page)
    screenshot(page, "sign-in", width)
    assert count == 0, report
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_confirms_everything_in_one_click(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["operator"])
    assert page.url.endswith(f"/espace/organismes/{OPERATOR_REF}")
    assert page.locator("h1").inner_text().startswith("Lire et Écrire Namur")
    count, report = axe_report(page)
    screenshot(page, "workspace-operator", width)
    assert count == 0, report
    with page.expect_navigation():
        page.click(".freshness-box button[type=submit]")
    assert "confirmed=" in page.url
    assert page.locator("[role=status]").inner_text().endswith("aujourd'hui.")
    # Every course not archived now shows today's date and no freshness warning.
    assert page.locator("tr.freshness-stale, tr.freshness-ageing").count() == 0
    with page.expect_navigation():
        page.click(".private-nav button[type=submit]")
    assert "/connexion" in page.url
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_coordinator_overview_has_no_axe_violation(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["coordinator"])
    assert page.url.endswith("/espace/")
    assert page.locator("table.data-table tbody tr").count() > 0
    count, report = axe_report(page)
    screenshot(page, "workspace-coordinator", width)
    assert count == 0, report
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_adds_a_course_that_appears_in_public_search(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["operator"])
    page.click("a[href$='/cours/nouveau']")
    count, report = axe_report(page)
    screenshot(page, "workspace-course-new", width)
    assert count == 0, report
    title = f"Atelier d'écriture Quetzal {width}"
    publish_course(page, title, day="wed", start="2027-02-03")
    assert page.locator(".preview .card-title").inner_text() == title
    count, report = axe_report(page)
    screenshot(page, "workspace-course-edit", width)
    assert count == 0, report
    goto(page, watch, live_server("/?q=quetzal"))
    assert title in page.locator(".cards").inner_text()
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_course_form_shows_the_dates_of_the_chosen_entry_mode(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["operator"])
    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}/cours/nouveau"))
    assert page.locator("#status").input_value() == "published"
    assert page.locator("[data-entry-mode=fixed]").is_visible()
    assert not page.locator("[data-entry-mode=rolling]").is_visible()
    page.select_option("#entry_mode", "rolling")
    assert page.locator("[data-entry-mode=rolling]").is_visible()
    assert not page.locator("[data-entry-mode=fixed]").is_visible()
    count, report = axe_report(page)
    screenshot(page, "workspace-course-rolling", width)
    assert count == 0, report
    watch.assert_clean()


def test_an_operator_without_a_place_publishes_its_first_course(open_page, live_server):
    from portal.accounts.services import create_user
    from tests import factories as f
    from tests.people import PASSWORD as PEOPLE_PASSWORD

    with live_server.app.app_context():
        f.load(f.document(f.operator("browser-no-site", name="Atelier sans lieu (test)", sites=[])))
        create_user("no-site@example.org", PEOPLE_PASSWORD, "operator", operator_ref="browser-no-site")
        db.session.remove()
    page, watch = open_page(320)
    sign_in(page, watch, live_server, "no-site@example.org", PEOPLE_PASSWORD)
    page.click("a[href$='/cours/nouveau']")
    assert page.locator("fieldset.new-site").is_visible()
    page.fill("#new_site_street", "Rue de Fer 25")
    page.fill("#new_site_postal_code", "5000")
    page.fill("#new_site_locality", "Namur")
    count, report = axe_report(page)
    screenshot(page, "workspace-course-new-site", 320)
    assert count == 0, report
    publish_course(page, "Premier cours Zinnia", day="mon", start="2027-03-01")
    goto(page, watch, live_server("/?q=zinnia"))
    assert "Premier cours Zinnia" in page.locator(".cards").inner_text()
    watch.assert_clean()
