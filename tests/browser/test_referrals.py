"""A referral end to end in a real browser: a social worker opens a course, reads the consent
notice in the person's language, sends the referral; the operator answers from its inbox in one
click; the worker sees the answer. axe-core finds nothing on any new page at 320 and 1280 px; the
time the browser needs is printed."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.extensions import db
from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot
from tests.browser.test_workspace import PASSWORD, sign_in
from tests.people import make_service, with_second_factor

COURSE = "demo-lee-namur-alpha-emploi-apres-midi"  # fixed entries: "accepted for the entry of …" buttons
SHARED_INTAKE_COURSE = "demo-cpas-namur-alpha-nf-matin"
WORKER = "worker-namur@example.org"


@pytest.fixture(scope="session")
def social_worker(live_server, accounts) -> str:
    with live_server.app.app_context():
        if db.session.scalar(select(User).where(User.email == WORKER)) is None:
            make_service("svc-browser-namur", "CPAS de Namur (navigateur)", "5000")
            with_second_factor(create_user(WORKER, PASSWORD, "social_worker", service_ref="svc-browser-namur"))
        db.session.remove()
    return WORKER


def check_page(page, name: str, width: int) -> None:
    count, report = axe_report(page)
    screenshot(page, name, width)
    assert count == 0, f"{name} at {width} px: {report}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_referral_from_the_worker_to_the_operator_and_back(open_page, live_server, accounts, social_worker, width):
    started = time.monotonic()
    worker, worker_watch = open_page(width)
    sign_in(worker, worker_watch, live_server, social_worker)
    assert worker.url.endswith("/espace/orientations")
    check_page(worker, "referrals-worker", width)

    # 1. From the public course page, the entry point only a signed-in worker sees.
    goto(worker, worker_watch, live_server(f"/cours/{COURSE}"))
    with worker.expect_navigation():
        worker.click(f"a[href='/espace/cours/{COURSE}/orienter']")
    # 2. The notice in the person's language (Arabic: right to left), whatever the page's language.
    worker.select_option("#person-language", "ar")
    with worker.expect_navigation():
        worker.click("form.notice-language button[type=submit]")
    notice = worker.locator("#consent-notice")
    assert notice.get_attribute("lang") == "ar" and notice.get_attribute("dir") == "rtl"
    check_page(worker, "referral-form", width)
    # 3. Sent without consent: refused beside the field, nothing lost.
    worker.fill("#first_name", "Amina")
    worker.fill("#phone", "0470 11 22 33")
    worker_watch.expected_error_documents.add((worker.url, 400))
    with worker.expect_navigation():
        worker.click("form.search-form button[type=submit]")
    assert worker.locator("#error-consent").is_visible() and worker.input_value("#first_name") == "Amina"
    check_page(worker, "referral-form-error", width)
    worker.check("input[name=languages][value=ar]")
    worker.fill("#constraints_note", "Pas le mercredi après-midi.")
    worker.check("#consent")
    with worker.expect_navigation():
        worker.click("form.search-form button[type=submit]")
    assert "sent=1" in worker.url and worker.locator("[role=status]").is_visible()
    referral_id = re.search(r"/espace/orientations/(\d+)", worker.url).group(1)
    check_page(worker, "referral-sent", width)
    worker_watch.assert_clean()

    # 4. The operator reads whom to call in its inbox and answers in one click.
    operator, operator_watch = open_page(width)
    sign_in(operator, operator_watch, live_server, accounts["operator"])
    with operator.expect_navigation():
        operator.click("a[href='/espace/orientations']")
    item = operator.locator(f"#referral-{referral_id}")
    assert "0470 11 22 33" in item.inner_text() and "Amina" in item.inner_text()
    check_page(operator, "referral-inbox", width)
    with operator.expect_navigation():
        item.locator("button", has_text="Acceptée pour l'entrée du").first.click()
    assert f"answered={referral_id}" in operator.url and operator.locator("[role=status]").is_visible()
    operator_watch.assert_clean()

    # 5. The worker sees the answer.
    goto(worker, worker_watch, live_server(f"/espace/orientations/{referral_id}"))
    assert "Acceptée pour l'entrée du" in worker.locator(".referral-status").inner_text()
    check_page(worker, "referral-answered", width)
    worker_watch.assert_clean()
    print(f"\nreferral worker → operator → worker at {width} px: {time.monotonic() - started:.1f} s in the browser")


@pytest.mark.parametrize("width", WIDTHS)
def test_whom_to_call_and_the_worker_sign_up_have_no_axe_violation(open_page, live_server, social_worker, width):
    page, watch = open_page(width)
    goto(page, watch, live_server("/inscription/orientation"))
    check_page(page, "worker-signup", width)
    sign_in(page, watch, live_server, social_worker)
    goto(page, watch, live_server(f"/espace/cours/{SHARED_INTAKE_COURSE}/orienter"))
    assert page.locator("input[name=first_name]").count() == 0 and page.locator("a[href^='tel:']").count()
    check_page(page, "referral-whom-to-call", width)
    watch.assert_clean()
