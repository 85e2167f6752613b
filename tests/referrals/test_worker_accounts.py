"""Social workers' accounts ("accompagnateurs"): asked for and validated like operators by the
coordinator of their bassin (joining their service when it is already there), or created from the
command line; a second factor is required, as for coordinators."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Invitation, SignupRequest, User
from portal.extensions import db
from portal.offer.models import Operator
from portal.referrals.models import Service
from tests.people import PASSWORD, link_in, mails, make_people, sign_in, signed_in_client

REQUEST = {"organisation": "CPAS de Gembloux (test)", "kind": "cpas", "postal_code": "5030",
           "contact_name": "Marie Dupont", "email": "Marie@Example.org", "phone": "081 62 00 00",
           "message": "Assistante sociale, insertion."}
NEW_PASSWORD = "a new long password"


@pytest.fixture()
def people(app_context):
    return make_people()


def test_a_social_worker_asks_the_coordinator_validates_and_the_account_needs_a_second_factor(app, people):
    assert app.test_client().post("/inscription/orientation", data=REQUEST).status_code == 200
    request = db.session.scalar(select(SignupRequest))
    assert (request.account, request.bassin_efe, request.kind, request.email) == (
        "social_worker", "Namur", "cpas", "marie@example.org")
    [notice] = mails()
    assert notice["to"] == "coord@example.org" and "compte d'accompagnateur" in notice["subject"]
    coordinator = signed_in_client(app, people["coordinator"])
    page = coordinator.get("/espace/demandes").get_data(as_text=True)
    assert "CPAS de Gembloux (test)" in page and "Valider crée ce service." in page
    assert coordinator.post(f"/espace/demandes/{request.id}/valider").status_code == 302
    service = db.session.scalar(select(Service).where(Service.name == REQUEST["organisation"]))
    assert (service.ref, service.kind, service.bassin_efe, service.locality) == (
        "cpas-de-gembloux-test", "cpas", "Namur", "Gembloux")
    assert db.session.scalar(select(func.count(Operator.id)).where(Operator.name == REQUEST["organisation"])) == 0
    invitation_mail = mails()[-1]
    assert invitation_mail["to"] == "marie@example.org" and "CPAS de Gembloux" in invitation_mail["subject"]
    link = link_in(invitation_mail["body"])
    newcomer = app.test_client()
    assert "CPAS de Gembloux (test)" in newcomer.get(link).get_data(as_text=True)
    response = newcomer.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    # Signed in, but the second factor comes first: it will read personal data.
    assert response.status_code == 302 and "/compte/double-authentification" in response.headers["Location"]
    assert "orientations" in response.headers["Location"]
    worker = db.session.scalar(select(User).where(User.email == "marie@example.org"))
    assert (worker.role, worker.service_id, worker.operator_id, worker.needs_second_factor) == (
        "social_worker", service.id, None, True)
    response = newcomer.get("/espace/orientations")
    assert response.status_code == 302 and "/compte/double-authentification" in response.headers["Location"]


def test_a_colleague_of_a_service_already_there_joins_it(app, people):
    app.test_client().post("/inscription/orientation", data=dict(
        REQUEST, organisation="cpas de namur  (TEST)", postal_code="5000", email="colleague@example.org"))
    request = db.session.scalar(select(SignupRequest))
    coordinator = signed_in_client(app, people["coordinator"])
    assert "CPAS de Namur (test), déjà sur Passerelle" in coordinator.get("/espace/demandes").get_data(as_text=True)
    coordinator.post(f"/espace/demandes/{request.id}/valider")
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "colleague@example.org"))
    assert invitation.service.ref == "svc-namur" and invitation.operator_id is None
    assert db.session.scalar(select(func.count(Service.id))) == 2


def test_the_worker_form_refuses_beside_the_fields(app, people):
    response = app.test_client().post("/inscription/orientation", data=dict(
        REQUEST, organisation="", kind="asbl", postal_code="1000", email="nope"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("organisation", "kind", "email"):
        assert f'id="error-{field}"' in page, field
    assert "Marie Dupont" in page and db.session.scalar(select(func.count(SignupRequest.id))) == 0
    # The operators' form points social workers to theirs.
    assert 'href="/inscription/orientation"' in app.test_client().get("/inscription").get_data(as_text=True)


def test_an_admin_creates_a_service_and_its_worker_from_the_command_line(app, people):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["services", "create", "Forem Namur (test)", "--kind", "forem",
                                 "--postal-code", "5000"])
    assert result.exit_code == 0 and "forem-namur-test" in result.output
    result = runner.invoke(args=["users", "create", "conseil@example.org", "--role", "social_worker",
                                 "--service", "forem-namur-test", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    worker = db.session.scalar(select(User).where(User.email == "conseil@example.org"))
    assert worker.service.name == "Forem Namur (test)" and worker.needs_second_factor
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "social_worker", "--password",
                                 PASSWORD])
    assert result.exit_code != 0 and "service" in result.output
    result = runner.invoke(args=["services", "create", "Nowhere", "--kind", "cpas", "--postal-code", "1000"])
    assert result.exit_code != 0
    listed = runner.invoke(args=["services", "list"]).output
    assert "forem-namur-test  Forem Namur (test)  Namur  1 worker(s)" in listed
    assert "svc-namur" in runner.invoke(args=["users", "list"]).output


def test_a_worker_signs_in_with_the_code_and_lands_on_the_referrals(app, people):
    client = app.test_client()
    response = sign_in(client, "worker-a@example.org")
    assert response.status_code == 302
    assert client.get("/espace/").headers["Location"].endswith("/espace/orientations")
    assert client.get("/espace/orientations").status_code == 200
