"""The guided route's screens through HTTP: one question each, GET forms whose answers stay in the
URL, back links, the language kept, errors beside the field. Sentences are read on English pages
(the source text); French and the other languages are checked by structure."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from tests import factories as f
from tests.guide.helpers import ROUTE, answer_url, get, path, query
from tests.html import form_fields, parse

SLUGS = ("/trouver", "/trouver/lire", "/trouver/pourquoi", "/trouver/ou", "/trouver/quand", "/trouver/enfants")
QUESTIONS_EN = ("Do you speak French?", "Can you read and write in your own language?",
                "Why do you want to learn French?", "Where do you live?", "When are you free for a course?",
                "Do you need childcare during the course?")


@pytest.fixture()
def offer(app_context):
    f.load_courses(f.course("fle-evening", kind="fle", level_min="A1", level_max="A2", parts_of_day=["evening"],
                            childcare=True))


def test_the_first_question_is_at_trouver(client):
    doc = get(client, "/trouver?lang=en")
    assert doc.one("h1").text == "Do you speak French?"
    assert doc.one(".guide-progress").text == "Question 1 of 6"
    assert "Question 1 of 6: Do you speak French?" in doc.one("title").text
    form = doc.one("form.guide-form")
    assert (form["method"], form["action"]) == ("get", "/trouver/lire")
    buttons = form.select("button.guide-choice")
    assert [(b["name"], b["value"]) for b in buttons] == [("speak", "none"), ("speak", "little"), ("speak", "well")]
    assert [b.one("strong").text for b in buttons] == ["Not at all", "A little", "Well"]
    assert [b.one(".guide-hint").text for b in buttons] == [
        "I do not speak French.", "I know a few words.", "I speak French well."]
    # Each button has its picture, hidden from screen readers (the words say it).
    for button in buttons:
        svg = button.one("svg")
        assert svg["aria-hidden"] == "true" and svg.select("use")  # drawn once per page, in the sprite
    # The first question goes back to the home page, in the language of the page.
    assert doc.one("a.guide-back")["href"] == "/?lang=en"
    assert ("lang", "en") in form_fields(form)


def test_the_questions_are_in_french_by_default(client):
    doc = get(client, "/trouver")
    html = doc.one("html")
    assert (html["lang"], html["dir"]) == ("fr", "ltr")
    assert doc.one("h1").text == "Parlez-vous français ?"  # text collapses the no-break space
    assert doc.one("a.guide-back")["href"] == "/"
    assert not [name for name, _value in form_fields(doc.one("form.guide-form")) if name == "lang"]


def test_each_screen_asks_one_question_and_passes_every_answer_on(client, offer):
    """The whole route, a button at a time, ends on the results page; every screen keeps the answers
    given so far and the language."""
    url = "/trouver?lang=en"
    for number, ((name, value), question) in enumerate(zip(ROUTE, QUESTIONS_EN, strict=True), start=1):
        doc = get(client, url)
        assert doc.one("h1").text == question
        assert doc.one(".guide-progress").text == f"Question {number} of 6"
        assert len(doc.select(".guide-steps li")) == 6 and len(doc.select(".guide-steps li.done")) == number - 1
        url = answer_url(doc, name, value)
        assert ("lang", "en") in query(url)
        assert [pair for pair in query(url) if pair[0] != "lang"] == list(ROUTE[:number])
    assert path(url) == "/trouver/resultats"
    response = client.get(url)
    assert response.status_code == 303
    assert path(response.headers["Location"]) == "/"
    assert ("lang", "en") in query(response.headers["Location"])


@pytest.mark.parametrize("number", range(2, 7))
def test_back_goes_to_the_previous_question_with_its_answer_marked(client, number):
    answers = "&".join(f"{name}={value}" for name, value in ROUTE[:number - 1])
    doc = get(client, f"{SLUGS[number - 1]}?{answers}&lang=en")
    back = doc.one("a.guide-back")["href"]
    assert path(back) == SLUGS[number - 2]
    assert set(query(back)) == {*ROUTE[:number - 1], ("lang", "en")}
    previous = get(client, back)
    name, value = ROUTE[number - 2]
    if name == "near":
        assert previous.one("input#near")["value"] == value
    else:
        [chosen] = previous.select("button.is-chosen")
        assert (chosen["name"], chosen["value"]) == (name, value)
        assert "(your answer)" in chosen.text


def test_changing_an_earlier_answer_keeps_the_later_ones(client):
    doc = get(client, "/trouver/lire?speak=none&read=yes&goal=job&near=5000&time=evening&childcare=no&lang=en")
    url = answer_url(doc, "read", "no")
    assert path(url) == "/trouver/pourquoi"
    assert set(query(url)) == {("speak", "none"), ("read", "no"), ("goal", "job"), ("near", "5000"),
                               ("time", "evening"), ("childcare", "no"), ("lang", "en")}
    assert get(client, url).one("button.is-chosen")["value"] == "job"


def test_reading_is_asked_about_french_to_someone_who_speaks_it_well(client):
    assert get(client, "/trouver/lire?speak=well&lang=en").one("h1").text == "Can you read and write in French?"
    assert get(client, "/trouver/lire?speak=little&lang=en").one("h1").text == (
        "Can you read and write in your own language?")


def test_the_place_question_is_the_search_place_field(client):
    doc = get(client, "/trouver/ou?speak=none&read=yes&goal=daily&lang=en")
    field = doc.one("input#near")
    assert field["name"] == "near" and field["type"] == "text"
    assert doc.one("label[for=near]").text == "Where do you live?"
    assert "hint-near" in field["aria-describedby"]
    # "Use my position" (search.js shows it when the browser has a position to give).
    assert doc.one("button[data-locate]").has("hidden")
    assert any("js/search.js" in script["src"] for script in doc.select("script[src]"))
    # The buttons need no script (listen.js only adds "Listen" where the device can speak).
    assert [script["src"] for script in get(client, "/trouver?lang=en").select("script[src]")] == [
        "/static/js/listen.js"]


@pytest.mark.parametrize("near", ["5000", "Namur", "namur", "5000 Namur", "50.4669,4.8675", "٥٠٠٠", "92094"])
def test_the_place_takes_what_the_search_takes(client, near):
    response = client.get("/trouver/quand", query_string={"speak": "none", "read": "yes", "goal": "daily",
                                                          "near": near, "lang": "en"})
    assert response.status_code == 200
    assert "When are you free" in response.get_data(as_text=True)


@pytest.mark.parametrize(("near", "message"), [
    ("", "Write your postal code or the name of your commune."),
    ("   ", "Write your postal code or the name of your commune."),
    ("Atlantis", "We do not know the place “Atlantis” in Wallonia."),
    ("5999", "We do not know the place “5999” in Wallonia."),
    ("x" * 101, "This is too long for a place."),
])
def test_a_wrong_place_is_an_error_beside_the_field_and_what_was_typed_stays(client, near, message):
    response = client.get("/trouver/quand", query_string={"speak": "none", "read": "yes", "goal": "daily",
                                                          "near": near, "lang": "en"})
    assert response.status_code == 400
    doc = parse(response.get_data(as_text=True))
    assert doc.one("h1").text == "Where do you live?"  # the place question again, not the next one
    assert doc.one("title").text.startswith("Error:")
    field = doc.one("input#near")
    assert field["value"] == near.strip()
    assert field["aria-invalid"] == "true" and "error-near" in field["aria-describedby"]
    assert message in doc.one("#error-near").text
    # The answers before it are kept.
    assert {("speak", "none"), ("read", "yes"), ("goal", "daily")} <= set(form_fields(doc.one("form.guide-form")))


def test_an_ambiguous_place_offers_its_choices_and_each_one_answers(client):
    doc = get(client, "/trouver/quand?speak=none&read=yes&goal=daily&near=Mont&lang=en", status=400)
    assert "Several places are called “Mont”" in doc.one("#error-near").text
    links = doc.select(".choices a")
    assert [a.text for a in links] == ["5530 Mont", "6661 Mont"]
    href = links[1]["href"]
    assert path(href) == "/trouver/quand"
    assert set(query(href)) == {("speak", "none"), ("read", "yes"), ("goal", "daily"), ("near", "6661 Mont"),
                                ("lang", "en")}
    assert get(client, href).one("h1").text == "When are you free for a course?"


@pytest.mark.parametrize(("url", "question"), [
    ("/trouver/pourquoi?speak=maybe&read=yes&lang=en", "Do you speak French?"),
    ("/trouver/ou?speak=none&read=yes&goal=money&lang=en", "Why do you want to learn French?"),
    ("/trouver/resultats?speak=none&read=yes&goal=daily&near=5000&time=night&childcare=no&lang=en",
     "When are you free for a course?"),
    ("/trouver/resultats?speak=none&read=yes&goal=daily&near=5000&time=any&childcare=&lang=en",
     "Do you need childcare during the course?"),
])
def test_a_wrong_answer_asks_its_question_again_with_an_error(client, url, question):
    doc = get(client, url, status=400)
    assert doc.one("h1").text == question
    assert doc.one("#error-choice").text == "Choose one of the answers."
    assert doc.one(".guide-choices")["aria-describedby"] == "error-choice"


@pytest.mark.parametrize(("url", "to"), [
    ("/trouver/lire", "/trouver"),
    ("/trouver/enfants?speak=none&lang=en", "/trouver/lire?speak=none&lang=en"),
    ("/trouver/quand?speak=none&read=yes&goal=daily&lang=en", "/trouver/ou?speak=none&read=yes&goal=daily&lang=en"),
    ("/trouver/resultats?speak=well&read=no&goal=job&near=Arlon&time=morning",
     "/trouver/enfants?speak=well&read=no&goal=job&near=Arlon&time=morning"),
])
def test_a_skipped_question_is_asked(client, url, to):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == to


def test_an_unknown_screen_is_a_404(client):
    get(client, "/trouver/nulle-part", status=404)


def test_an_answer_given_twice_counts_once_and_unknown_parameters_are_ignored(client):
    doc = get(client, "/trouver/pourquoi?speak=none&speak=well&read=yes&foo=bar&lang=en")
    assert doc.one("h1").text == "Why do you want to learn French?"
    assert ("foo", "bar") not in form_fields(doc.one("form.guide-form"))


def test_the_home_page_offers_the_guided_route(client):
    doc = get(client, "/?lang=ar")
    link = doc.one(".guide-start a")
    assert link["href"] == "/trouver?lang=ar"
    assert link.one("svg")["aria-hidden"] == "true"
    assert get(client, "/?lang=en").one(".guide-start a").text == "Help me choose, step by step"


def test_the_route_keeps_and_counts_nothing(client, offer, caplog):
    """No cookie, no row written, nothing logged: the answers live in the URL only."""
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    caplog.set_level(logging.DEBUG)
    url = "/trouver?lang=en"
    for name, value in ROUTE:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers
        url = answer_url(parse(response.get_data(as_text=True)), name, value)
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert [record.getMessage() for record in caplog.records if record.name.startswith("portal")] == []
    assert {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables} == counts
