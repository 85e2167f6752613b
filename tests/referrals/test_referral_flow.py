"""A referral from the form to the operator's answer, through HTTP: what is sent (and what the
e-mails leave out), the consent notice in the person's language, whom to call instead of the
form, the one-click answers, who reads the person's data (never a coordinator)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.referrals.models import Referral, ReferralCount
from tests import factories as f
from tests.html import parse
from tests.people import mails, make_people, signed_in_client
from tests.referrals.helpers import PERSON, make_referral, user

FORM = "/espace/cours/course-a/orienter"
PERSONAL = ("Awa", "0470", "12 34 56", "wolof", "Parle bien", "mercredi")


@pytest.fixture()
def people(app_context):
    return make_people()


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-([\w-]+)">([^<]*)</p>', page))


def send(app, who="worker-a@example.org", path=FORM, **changes):
    return signed_in_client(app, who).post(path, data={**PERSON, **changes})


def test_a_worker_sends_a_referral_and_the_operator_is_told_without_personal_data(app, people):
    response = send(app)
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert response.headers["Location"].endswith(f"/espace/orientations/{referral.id}?sent=1")
    assert (referral.first_name, referral.phone, referral.email, referral.language_codes, referral.other_languages) == (
        "Awa", "0470 12 34 56", None, ["ar", "fr"], "wolof")
    assert (referral.course.ref, referral.operator.ref, referral.service.ref, referral.worker.email) == (
        "course-a", "op-a", "svc-namur", "worker-a@example.org")
    assert (referral.status, referral.consent_language, referral.notice_version) == ("sent", "ar", 1)
    assert referral.consent_at == referral.sent_at == referral.last_event_at
    [mail] = mails()
    assert mail["to"] == "a@example.org"
    assert f"https://passerelle.test/espace/orientations/{referral.id}" in mail["body"]
    assert "Français oral débutant" in mail["body"]
    assert not [word for word in PERSONAL if word in mail["body"] + mail["subject"]]


def test_the_form_refuses_what_is_missing_and_keeps_what_was_typed(app, people):
    cases = {"consent": ({"consent": ""}, "consent"), "contact": ({"phone": "", "email": ""}, "phone"),
             "phone": ({"phone": "call me"}, "phone"), "email": ({"email": "not-an-address"}, "email"),
             "name": ({"first_name": " "}, "first_name"), "language": ({"languages": ["xx"]}, "languages"),
             "long": ({"level_note": "x" * 501}, "level_note")}
    for name, (changes, field) in cases.items():
        response = send(app, **changes)
        assert response.status_code == 400, name
        page = response.get_data(as_text=True)
        if field != "languages":
            assert field in errors_of(page), (name, errors_of(page))
        assert "Pas le mercredi (enfants)." in page or name == "long"
    assert db.session.scalar(select(func.count(Referral.id))) == 0 and mails() == []


def test_the_notice_is_in_the_person_language_whatever_the_page_language(app, people):
    worker = user("worker-a@example.org")
    worker.language = "en"  # the worker's workspace speaks English
    db.session.commit()
    client = signed_in_client(app, "worker-a@example.org")
    page = parse(client.get(FORM + "?person_language=fr").get_data(as_text=True))
    [notice] = page.select("#consent-notice")
    assert (notice["lang"], notice["dir"]) == ("fr", "ltr")
    assert "votre prénom" in notice.text and "Opérateur A (test)" in notice.text
    assert "Do you agree?" not in notice.text and "Êtes-vous d'accord" in notice.text
    assert page.select("html")[0]["lang"] == "en"  # the page around it stays in English
    # …which also shows the same notice in the worker's language, to follow what is read.
    [here] = page.select("#consent-notice-here")
    assert here["lang"] == "en" and "Do you agree?" in here.text
    assert page.select("form.search-form input[name=person_language]")[0]["value"] == "fr"
    page = parse(client.get(FORM + "?person_language=ar").get_data(as_text=True))
    [notice] = page.select("#consent-notice")
    assert (notice["lang"], notice["dir"]) == ("ar", "rtl")
    assert page.select("form.search-form input[name=person_language]")[0]["value"] == "ar"
    # An unknown language is French; in the worker's own language, the notice is shown once.
    page = parse(client.get(FORM + "?person_language=xx").get_data(as_text=True))
    assert page.select("#consent-notice")[0]["lang"] == "fr"
    page = parse(client.get(FORM + "?person_language=en").get_data(as_text=True))
    assert page.select("#consent-notice")[0]["lang"] == "en" and page.select("#consent-notice-here") == []


def test_a_course_through_a_shared_intake_desk_or_without_account_shows_whom_to_call(app, people):
    f.load(f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=[
        f.course("course-a", "site-a"),
        f.course("shared", "site-a", registration="shared_intake", registration_note="Guichet commun de Namur")])))
    client = signed_in_client(app, "worker-a@example.org")
    page = client.get("/espace/cours/shared/orienter").get_data(as_text=True)
    assert "Guichet commun de Namur" in page and "+32 81 00 00 00" in page and 'name="first_name"' not in page
    assert send(app, path="/espace/cours/shared/orienter").status_code == 409
    user("b@example.org").active = False  # operator B has no active account any more
    db.session.commit()
    page = client.get("/espace/cours/course-b/orienter").get_data(as_text=True)
    assert 'name="first_name"' not in page and "tel:" in page
    assert send(app, path="/espace/cours/course-b/orienter").status_code == 409
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_a_course_that_is_not_public_takes_no_referral(app, people):
    f.load_courses(f.course("draft", status="draft"), sites=[f.site()])
    assert signed_in_client(app, "worker-a@example.org").get("/espace/cours/draft/orienter").status_code == 404


def test_the_course_page_offers_the_form_to_signed_in_social_workers_only(app, people):
    for who, shown in ((None, False), ("a@example.org", False), ("coord@example.org", False),
                       ("worker-a@example.org", True)):
        page = signed_in_client(app, who).get("/cours/course-a").get_data(as_text=True)
        assert ('href="/espace/cours/course-a/orienter"' in page) is shown, who


def test_the_operator_answers_in_one_click_and_the_worker_is_told(app, people):
    referral = make_referral("course-a", "worker-a@example.org")
    operator = signed_in_client(app, "a@example.org")
    inbox = parse(operator.get("/espace/orientations").get_data(as_text=True))
    buttons = inbox.select(f"#referral-{referral.id} form input[name=answer]")
    assert {button["value"] for button in buttons} == {"will_call", "accepted", "waiting_list", "not_suitable"}
    assert "0470 12 34 56" in inbox.text  # the operator reads whom to call
    response = operator.post(f"/espace/orientations/{referral.id}/reponse", data={"answer": "will_call"})
    assert response.status_code == 302 and f"answered={referral.id}" in response.headers["Location"]
    db.session.refresh(referral)
    assert (referral.status, referral.answered_by.email) == ("will_call", "a@example.org")
    assert referral.first_answer_at == referral.answered_at == referral.last_event_at
    [mail] = mails()
    assert mail["to"] == "worker-a@example.org" and f"/espace/orientations/{referral.id}" in mail["body"]
    assert not [word for word in PERSONAL if word in mail["body"] + mail["subject"]]
    # The same answer again (a double click, a colleague): nothing changes, nobody is told twice.
    operator.post(f"/espace/orientations/{referral.id}/reponse", data={"answer": "will_call"})
    assert len(mails()) == 1
    first = referral.first_answer_at
    operator.post(f"/espace/orientations/{referral.id}/reponse", data={"answer": "accepted",
                                                                       "entry_start": "2027-01-11"})
    db.session.refresh(referral)
    assert (referral.status, referral.entry_start.isoformat(), referral.first_answer_at) == (
        "accepted", "2027-01-11", first)
    assert len(mails()) == 2 and "11 janvier 2027" in mails()[-1]["body"]
    worker_page = signed_in_client(app, "worker-a@example.org").get(f"/espace/orientations/{referral.id}")
    assert "11 janvier 2027" in worker_page.get_data(as_text=True)


def test_an_answer_that_needs_more_is_refused_beside_its_field(app, people):
    referral = make_referral("course-a", "worker-a@example.org")
    operator = signed_in_client(app, "a@example.org")
    for data, field in (({"answer": "not_suitable", "reason": " "}, f"reason-{referral.id}"),
                        ({"answer": "accepted"}, f"entry-start-{referral.id}"),
                        ({"answer": "accepted", "entry_start": "1999-01-01"}, f"entry-start-{referral.id}"),
                        ({"answer": "maybe"}, None)):
        response = operator.post(f"/espace/orientations/{referral.id}/reponse", data=data)
        assert response.status_code == 400, data
        if field:
            assert field in errors_of(response.get_data(as_text=True)), data
    db.session.refresh(referral)
    assert referral.status == "sent" and mails() == []
    operator.post(f"/espace/orientations/{referral.id}/reponse",
                  data={"answer": "not_suitable", "reason": "Le cours demande le niveau A2."})
    db.session.refresh(referral)
    assert (referral.status, referral.reason) == ("not_suitable", "Le cours demande le niveau A2.")
    assert "niveau A2" not in mails()[-1]["body"]  # the reason is read in the workspace, not in the e-mail
    page = signed_in_client(app, "worker-a2@example.org").get(f"/espace/orientations/{referral.id}")
    assert "Le cours demande le niveau A2." in page.get_data(as_text=True)


def test_the_workers_of_the_service_share_its_referrals_and_no_one_else_reads_them(app, people):
    mine = make_referral("course-a", "worker-a@example.org", first_name="Awa")
    make_referral("course-b", "worker-b@example.org", first_name="Olena")
    for who, seen in (("worker-a@example.org", {"Awa"}), ("worker-a2@example.org", {"Awa"}),
                      ("worker-b@example.org", {"Olena"}), ("a@example.org", {"Awa"}), ("b@example.org", {"Olena"})):
        page = parse(signed_in_client(app, who).get("/espace/orientations").get_data(as_text=True))
        assert {title.text.split("—")[-1].strip() for title in page.select(".referral-title")} == seen, who
    # A worker sees the answer, not the answer buttons.
    page = signed_in_client(app, "worker-a2@example.org").get(f"/espace/orientations/{mine.id}")
    assert 'name="answer"' not in page.get_data(as_text=True)


def test_a_coordinator_cannot_read_a_referral_personal_data(app, people):
    """The course and the operator are in the coordinator's bassin: it sees the operator, never the
    person: no referral page opens, and none of its pages (nor e-mails to it) holds the data."""
    referral = make_referral("course-a", "worker-a@example.org", email="awa@example.org",
                             level_note="Parle bien, lit un peu.", other_languages="wolof")
    coordinator = signed_in_client(app, "coord@example.org")
    for path in ("/espace/orientations", f"/espace/orientations/{referral.id}"):
        assert coordinator.get(path).status_code == 403
    assert coordinator.post(f"/espace/orientations/{referral.id}/reponse",
                            data={"answer": "will_call"}).status_code == 403
    assert coordinator.post(f"/espace/orientations/{referral.id}/supprimer").status_code == 403
    pages = "".join(coordinator.get(path).get_data(as_text=True) for path in (
        "/espace/", "/espace/organismes/op-a", "/espace/organismes/op-a/equipe", "/espace/demandes",
        "/espace/cours/course-a/historique", "/cours/course-a"))
    assert "Opérateur A (test)" in pages  # it does see the operator
    assert not [word for word in (*PERSONAL, "awa@example.org") if word in pages]
    signed_in_client(app, "a@example.org").post(f"/espace/orientations/{referral.id}/reponse",
                                                data={"answer": "will_call"})
    assert not [mail for mail in mails() if "coord@example.org" in mail["to"]]
    db.session.refresh(referral)
    assert referral.status == "will_call"


def test_a_worker_deletes_a_referral_now_leaving_only_its_count(app, people):
    referral = make_referral("course-a", "worker-a@example.org")
    course_id = referral.course_id
    response = signed_in_client(app, "worker-a2@example.org").post(f"/espace/orientations/{referral.id}/supprimer")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Referral.id))) == 0
    [count] = db.session.scalars(select(ReferralCount)).all()
    assert (count.course_id, count.month, count.outcome, count.answer_working_days, count.count) == (
        course_id, "2026-11", "withdrawn", None, 1)
    assert signed_in_client(app, "a@example.org").get(f"/espace/orientations/{referral.id}").status_code == 404


def test_the_operator_page_says_how_many_referrals_wait(app, people):
    make_referral("course-a", "worker-a@example.org")
    page = signed_in_client(app, "a@example.org").get("/espace/organismes/op-a").get_data(as_text=True)
    assert 'href="/espace/orientations"' in page
    page = signed_in_client(app, "coord@example.org").get("/espace/organismes/op-a").get_data(as_text=True)
    assert 'href="/espace/orientations"' not in page


def test_a_social_worker_starts_on_the_referrals_of_its_service(app, people):
    response = signed_in_client(app, "worker-a@example.org").get("/espace/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/espace/orientations")
