"""The whole operator journey in a real browser, as a newcomer lives it: ask for an account, the
bassin's coordinator validates it, choose a password from the e-mailed link, add a site and a
course with an entry, find the course in the public search. axe-core finds nothing on any page of
the way; the time the browser needs is printed (the issue asks for under 5 minutes by hand)."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.browser.helpers import WIDTHS, axe_report, goto, publish_course, screenshot
from tests.browser.test_workspace import PASSWORD, sign_in
from tests.people import TOTP_SECRET, with_second_factor


class MailBox:
    """The e-mails the live server wrote to its outbox (the delivery job sends them later)."""

    def __init__(self, app) -> None:
        self.app = app

    def link_for(self, email: str) -> str:
        with self.app.app_context():
            bodies = list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipients == email)
                                             .order_by(OutboxMessage.id.desc())))
            db.session.remove()
        for body in bodies:
            found = re.search(r"https?://\S+(/invitation/\S+)", body)
            if found:
                return found.group(1)
        raise AssertionError(f"no e-mail with an invitation to {email}: {bodies}")


@pytest.fixture()
def mailbox(live_server):
    return MailBox(live_server.app)


@pytest.fixture(scope="session")
def journey_coordinator(live_server) -> str:
    with live_server.app.app_context():
        if db.session.scalar(select(User).where(User.email == "coord-journey@example.org")) is None:
            with_second_factor(create_user("coord-journey@example.org", PASSWORD, "coordinator", bassin="Namur"),
                               TOTP_SECRET)
        db.session.remove()
    return "coord-journey@example.org"


def check_page(page, name: str, width: int) -> None:
    count, report = axe_report(page)
    screenshot(page, name, width)
    assert count == 0, f"{name}: {report}"


@pytest.mark.parametrize("width", WIDTHS)
def test_from_sign_up_request_to_a_course_in_public_search(open_page, live_server, journey_coordinator, mailbox,
                                                           width):
    started = time.monotonic()
    organisation = f"Alpha Quinoa {width} (test)"
    email = f"quinoa-{width}@example.org"
    title = f"Français oral Quinoa {width}"

    # 1. The newcomer asks for an account from the sign-in page.
    page, watch = open_page(width)
    goto(page, watch, live_server("/connexion"))
    with page.expect_navigation():
        page.click("a[href='/inscription']")
    check_page(page, "journey-signup", width)
    page.fill("#organisation", organisation)
    page.select_option("#kind", "asbl")
    page.fill("#postal_code", "5000")
    page.fill("#contact_name", "Awa Diallo")
    page.fill("#email", "not an e-mail")
    watch.expected_error_documents.add((live_server("/inscription"), 400))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#error-email").is_visible() and page.input_value("#organisation") == organisation
    check_page(page, "journey-signup-error", width)
    page.fill("#email", email)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Namur" in page.locator("[role=status]").inner_text()
    check_page(page, "journey-signup-sent", width)
    watch.assert_clean()

    # 2. The coordinator of the bassin (password + code) validates it.
    coordinator, coordinator_watch = open_page(width)
    sign_in(coordinator, coordinator_watch, live_server, journey_coordinator)
    with coordinator.expect_navigation():
        coordinator.click("a[href='/espace/demandes']")
    assert organisation in coordinator.locator("main").inner_text()
    check_page(coordinator, "journey-signups", width)
    item = coordinator.locator(".request-list > li", has_text=organisation)
    with coordinator.expect_navigation():
        item.locator("button.button").click()
    assert coordinator.locator("[role=status]").is_visible()
    coordinator_watch.assert_clean()

    # 3. The newcomer opens the e-mailed link and chooses a password: signed in, on its page.
    goto(page, watch, live_server(mailbox.link_for(email)))
    check_page(page, "journey-password", width)
    page.fill("#password", "a long new password")
    page.fill("#password_again", "a long new password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/espace/organismes/" in page.url and "welcome=1" in page.url
    assert page.locator("h1").inner_text() == organisation
    check_page(page, "journey-welcome", width)

    # 4. A site, placed from its postal code.
    with page.expect_navigation():
        page.click("a[href$='/lieux/nouveau']")
    page.fill("#name", "Maison de quartier")
    page.fill("#street", "Rue de Fer 1")
    page.fill("#postal_code", "5000")
    with page.expect_navigation():
        page.click(".site-form button[type=submit]")
    assert "saved=1" in page.url

    # 5. A course with an entry.
    goto(page, watch, page.url.split("/espace/")[0] + "/espace/")
    with page.expect_navigation():
        page.click("a[href$='/cours/nouveau']")
    publish_course(page, title, day="tue", start="2027-01-12")
    check_page(page, "journey-course-saved", width)

    # 6. Anyone finds it at once in the public search, near Namur.
    goto(page, watch, live_server("/?near=5000&radius_km=15&q=quinoa"))
    cards = page.locator(".cards").inner_text()
    assert title in cards and organisation in cards
    watch.assert_clean()
    print(f"\noperator journey at {width} px: {time.monotonic() - started:.1f} s in the browser")
