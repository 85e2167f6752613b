"""The coordinators' cadastre (/espace/cadastre): the same figures as the public page for any area,
and the operators of an area with the freshness of their courses for the coordinators of its bassin
and the admins only (permissions: view_cadastre_operators). The role × route matrix is in
tests/test_permissions.py."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cadastre.areas import GERMAN_SPEAKING, WHOLE_REGION, Area
from portal.extensions import db
from portal.permissions import may
from tests import factories as f
from tests.cadastre.helpers import figures, numbers
from tests.html import parse
from tests.people import make_people, signed_in_client


@pytest.fixture()
def people(app_context):
    """The matrix's people; operator A (Namur) also has a course stale soon, a stale one, a hidden
    one and a draft."""
    people = make_people()
    f.load(f.document(f.operator("op-a", sites=[], courses=[
        f.course("a-ageing", "site-a", confirmed_at="2026-06-15"),  # 165 days
        f.course("a-stale", "site-a", confirmed_at="2026-05-01"),  # 210 days
        f.course("a-hidden", "site-a", confirmed_at="2025-10-01"),  # 422 days: no longer public
        f.course("a-draft", "site-a", status="draft"),
    ])))
    return people


def cadastre(app, email: str, query: str = "") -> str:
    response = signed_in_client(app, email).get(f"/espace/cadastre?lang=en{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def test_a_coordinator_sees_its_bassin_first_with_its_operators_and_their_freshness(app, people):
    html = cadastre(app, people["coordinator"])
    assert parse(html).one("h1").text == "Cadastre: Namur"
    assert parse(html).one("select#area option[selected]")["value"] == "Namur"
    # The figures count the visible courses only: course-a, a-ageing, a-stale.
    assert numbers(html, "table-courses")["All kinds"][-1] == 3
    rows = figures(html, "table-operator-freshness")
    assert rows["Opérateur A (test)"] == ["Non-profit association (ASBL)", "4", "1", "1", "1", "1",
                                          "November 1, 2026"]
    assert "Opérateur B (test)" not in rows
    link = parse(html).by_id("table-operator-freshness").one("tbody th a")
    assert link["href"] == "/espace/organismes/op-a?lang=en" and link["lang"] == "fr"


@pytest.mark.parametrize("area", ["Liège", "wallonia", GERMAN_SPEAKING])
def test_a_coordinator_sees_other_areas_aggregates_without_their_operators(app, people, area):
    html = cadastre(app, people["coordinator"], f"&area={area}")
    assert parse(html).by_id("table-courses") is not None and parse(html).by_id("table-states") is not None
    assert parse(html).by_id("table-operator-freshness") is None
    assert "Opérateur B (test)" not in html and "Opérateur A (test)" not in html
    assert "shown to the coordinators of its bassin and to the administrators" in html
    assert parse(html).one("p.notice a")["href"] == "/espace/cadastre?area=Namur&lang=en"  # back to its own


def test_an_admin_sees_wallonia_first_and_every_area_with_its_operators(app, people):
    html = cadastre(app, people["admin"])
    assert parse(html).one("select#area option[selected]")["value"] == "wallonia"
    assert set(figures(html, "table-operator-freshness")) >= {"Opérateur A (test)", "Opérateur B (test)"}
    liege = figures(cadastre(app, people["admin"], "&area=Liège"), "table-operator-freshness")
    assert [name for name in liege if name != "Operator"] == ["Opérateur B (test)"]


def test_the_rule_decides_who_sees_the_operators_of_an_area(app_context, people):
    def user(who):
        return db.session.scalar(select(User).where(User.email == people[who]))

    namur, liege = Area("Namur", "Namur"), Area("Liège", "Liège")
    german = Area(GERMAN_SPEAKING, GERMAN_SPEAKING)
    assert may(user("coordinator"), "view_cadastre_operators", namur)
    assert not any(may(user("coordinator"), "view_cadastre_operators", area) for area in (liege, WHOLE_REGION, german))
    assert all(may(user("admin"), "view_cadastre_operators", area) for area in (namur, liege, WHOLE_REGION, german))
    for who in ("operator A", "worker A"):
        assert not may(user(who), "view_cadastre_operators", namur) and not may(user(who), "view_cadastre")
    assert not may(None, "view_cadastre")


def test_the_dashboard_links_the_cadastre(app, people):
    for who in ("coordinator", "admin"):
        page = parse(signed_in_client(app, people[who]).get("/espace/?lang=en").get_data(as_text=True))
        assert any(link["href"] == "/espace/cadastre?lang=en" for link in page.select("main a"))


def test_an_unknown_area_is_said_beside_the_selector(app, people):
    response = signed_in_client(app, people["coordinator"]).get("/espace/cadastre?lang=en&area=Atlantis")
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).one("#area-error").text.startswith("“Atlantis” is not an area")


def test_referrals_per_course_are_counts_only(app, people):
    from portal.offer.models import Course
    from portal.referrals.models import ReferralCount
    from tests.referrals.helpers import make_referral

    make_referral("course-a", "worker-a@example.org")
    make_referral("course-a", "worker-a@example.org", status="accepted", first_name="Zeynep")
    make_referral("course-b", "worker-b@example.org")
    course_a = db.session.scalar(select(Course).where(Course.ref == "course-a"))
    db.session.add(ReferralCount(course_id=course_a.id, month="2026-08", outcome="withdrawn", count=2))
    db.session.commit()
    html = cadastre(app, people["coordinator"], "&area=Namur")
    rows = figures(html, "table-referrals")
    assert list(rows) == ["Course", next(header for header in rows if "course-a" in header)]
    cells = rows[next(header for header in rows if "course-a" in header)]
    # Total, then: waiting, will call, accepted, waiting list, not suitable, closed without answer, withdrawn.
    assert cells == ["4", "1", "0", "1", "0", "0", "0", "2"]
    assert "Awa" not in html and "Zeynep" not in html and "0470" not in html
    # Liège's course is in Liège's table.
    assert "course-b" in figures(cadastre(app, people["coordinator"], "&area=Liège"), "table-referrals").__repr__()
