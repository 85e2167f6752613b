"""Every page of accounts and of the workspace's new tools in a real browser: axe-core finds
nothing at 320 and 1280 px (sign-in code, forgotten password, broken link, account, second factor,
team, course history, imports with their error report, the bassin's cadastre, the admins' accounts page)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import WIDTHS, axe_report, goto, screenshot
from tests.browser.test_workspace import OPERATOR_REF, sign_in


def check_page(page, name: str, width: int) -> None:
    count, report = axe_report(page)
    screenshot(page, name, width)
    assert count == 0, f"{name}: {report}"


@pytest.mark.parametrize("width", WIDTHS)
def test_public_account_pages(open_page, live_server, width):
    page, watch = open_page(width)
    goto(page, watch, live_server("/mot-de-passe-oublie"))
    check_page(page, "account-forgot", width)
    page.fill("#email", "nobody@example.org")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "nobody@example.org" in page.locator("[role=status]").inner_text()
    check_page(page, "account-forgot-sent", width)
    goto(page, watch, live_server("/mot-de-passe/not-a-token"), status=410)
    assert page.locator("a[href='/mot-de-passe-oublie']").count() == 1
    check_page(page, "account-link-invalid", width)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_tools(open_page, live_server, accounts, width, tmp_path: Path):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["operator"])
    with page.expect_navigation():
        page.click(".private-nav a.who")
    check_page(page, "account", width)

    with page.expect_navigation():
        page.click("a[href='/compte/double-authentification']")
    assert page.locator(".qr svg").is_visible()
    check_page(page, "account-second-factor", width)

    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}"))
    with page.expect_navigation():
        page.click("a[href$='/profil']")
    page.fill("#website", "lire-ecrire.example")
    watch.expected_error_documents.add((live_server(f"/espace/organismes/{OPERATOR_REF}/profil"), 400))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#error-website").is_visible() and page.input_value("#website") == "lire-ecrire.example"
    check_page(page, "workspace-operator-details-error", width)

    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}/equipe"))
    page.fill("#email", "not an e-mail")
    watch.expected_error_documents.add((live_server(f"/espace/organismes/{OPERATOR_REF}/equipe"), 400))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#error-email").is_visible()
    check_page(page, "workspace-team-error", width)

    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}"))
    with page.expect_navigation():
        page.locator("td.row-actions a[href$='/historique']").first.click()
    assert page.locator("ol.history > li").count() >= 1
    check_page(page, "workspace-history", width)

    # An import with mistakes: every problem listed by row and column, nothing saved.
    bad = tmp_path / "cours.csv"
    bad.write_text("ref,site,title,kind,level_min,level_max,entry_mode\n"
                   ",nope,Atelier,fle,B2,A1,fixed\n", encoding="utf-8")
    goto(page, watch, live_server(f"/espace/organismes/{OPERATOR_REF}/import"))
    check_page(page, "workspace-import", width)
    page.set_input_files("input[type=file]", str(bad))
    watch.expected_error_documents.add((live_server(f"/espace/organismes/{OPERATOR_REF}/import"), 400))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "2" in page.locator("main").inner_text()  # the row number
    check_page(page, "workspace-import-errors", width)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_coordinator_cadastre_page(open_page, live_server, accounts, width):
    page, watch = open_page(width)
    sign_in(page, watch, live_server, accounts["coordinator"])
    goto(page, watch, live_server("/espace/bassins/Namur/import"))
    check_page(page, "workspace-bassin-import", width)
    goto(page, watch, live_server("/espace/demandes"))
    check_page(page, "workspace-signups-empty", width)
    watch.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_accounts_page(open_page, live_server, accounts, width):
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.accounts.services import create_user
    from portal.extensions import db
    from tests.people import PASSWORD, with_second_factor

    with live_server.app.app_context():
        if db.session.scalar(select(User).where(User.email == "admin-browser@example.org")) is None:
            with_second_factor(create_user("admin-browser@example.org", PASSWORD, "admin"))
        db.session.remove()
    page, watch = open_page(width)
    sign_in(page, watch, live_server, "admin-browser@example.org")
    goto(page, watch, live_server("/espace/"))
    with page.expect_navigation():
        page.click("main a[href='/espace/comptes']")
    assert page.locator("main table").first.locator("tbody tr").count() >= 3
    check_page(page, "workspace-accounts", width)
    with page.expect_navigation():
        page.locator("main form[action$='/desactiver'] button").first.click()
    assert page.locator("input[name=confirmed]").count() == 1
    check_page(page, "workspace-account-confirm", width)
    with page.expect_navigation():
        page.locator("main form a[href='/espace/comptes']").click()  # cancel: nothing changes
    assert page.url.endswith("/espace/comptes")
    watch.assert_clean()
