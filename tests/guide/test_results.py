"""The end of the guided route: the deduced search on the normal results page, widened until it finds
courses (10 → 25 → 50 km, then without the time, childcare, "towards a job"; then the nearest, any
level, any kind), and the note that says what is shown, why, and what was given up."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.guide.deduction import Deduction
from portal.guide.widening import Attempt, attempts, search_arguments
from portal.offer import generation
from tests import factories as f
from tests.guide.helpers import get, path, query
from tests.html import form_fields

NAMUR = f.site("site-namur", "5000", "Namur")
GEMBLOUX = f.site("site-gembloux", "5030", "Gembloux")  # ~17 km from "5000"
CHARLEROI = f.site("site-charleroi", "6000", "Charleroi")  # ~32 km
ARLON = f.site("site-arlon", "6700", "Arlon")  # ~108 km
SITES = [NAMUR, GEMBLOUX, CHARLEROI, ARLON]

# Someone who does not speak French, went to school, wants French for daily life, lives in Namur, is
# free in the evening and needs childcare: FLE, A1, evening, childcare, within 10 km.
ANSWERS = {"speak": "none", "read": "yes", "goal": "daily", "near": "5000", "time": "evening", "childcare": "yes"}
FITS = {"kind": "fle", "level_min": "A1", "level_max": "A2", "parts_of_day": ["evening"], "childcare": True}


def course(ref: str, site: str, **changes) -> dict:
    return f.course(ref, site, **{**FITS, **changes})


def offer(*courses: dict) -> None:
    f.load_courses(*courses, sites=SITES)


def finish(client, lang: str = "en", **changes) -> str:
    """The results URL the route sends to (after its last answer)."""
    answers = {**ANSWERS, **changes, "lang": lang}
    response = client.get("/trouver/resultats?" + urlencode(answers))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def search_of(url: str) -> dict[str, str]:
    return {name: value for name, value in query(url) if name not in ("guide", "lang")}


# -- the attempts, in order --------------------------------------------------------------------
def test_the_attempts_widen_the_distance_then_give_up_one_wish_then_two_then_all():
    found = Deduction(kinds=("fle",), level="A1", job_oriented=True, parts_of_day=("evening",), childcare=True)
    tried = [(sorted(a.dropped), a.radius_km) for a in attempts(found)]
    distances = (10, 25, 50)
    assert tried == [
        *[([], km) for km in distances],
        *[(["job"], km) for km in distances],
        *[(["time"], km) for km in distances],
        *[(["childcare"], km) for km in distances],
        *[(["job", "time"], km) for km in distances],
        *[(["childcare", "job"], km) for km in distances],
        *[(["childcare", "time"], km) for km in distances],
        *[(["childcare", "job", "time"], km) for km in distances],
        (["childcare", "job", "time"], None),
        (["childcare", "job", "level", "time"], None),
        (["childcare", "job", "kinds", "level", "time"], None),
    ]


def test_only_what_was_asked_can_be_given_up():
    assert [(sorted(a.dropped), a.radius_km) for a in attempts(Deduction(kinds=("ran",), level="B1"))] == [
        ([], 10), ([], 25), ([], 50), ([], None), (["level"], None), (["kinds", "level"], None)]


def test_each_attempt_is_a_search_of_the_api():
    found = Deduction(kinds=("alpha_nf", "fle"), level="A1", job_oriented=True, days=("sat", "sun"), childcare=True)
    assert search_arguments(found, "Namur", Attempt(frozenset(), 10)) == [
        ("near", "Namur"), ("radius_km", "10"), ("kind", "alpha_nf,fle"), ("level", "A1"), ("day", "sat,sun"),
        ("childcare", "1"), ("job_oriented", "1")]
    assert search_arguments(found, "Namur", Attempt(frozenset({"time", "childcare", "job", "level"}), None)) == [
        ("near", "Namur"), ("kind", "alpha_nf,fle")]


# -- through HTTP ------------------------------------------------------------------------------
def test_a_course_that_fits_nearby_ends_on_the_deduced_search(client, app_context):
    offer(course("fits", "site-namur"), course("far", "site-arlon"))
    url = finish(client)
    assert path(url) == "/"
    assert query(url) == [("near", "5000"), ("radius_km", "10"), ("kind", "fle"), ("level", "A1"),
                          ("part_of_day", "evening"), ("childcare", "1"), ("guide", "none.yes.daily.evening.yes"),
                          ("lang", "en")]
    doc = get(client, url)
    assert [card["data-ref"] for card in doc.select(".cards .card")] == ["fits"]
    note = doc.one(".guide-note")
    assert note.one(".guide-shown").text == (
        "We show courses of level A1, within 10 km of 5000 Namur, in the evening, and with childcare.")
    assert [item.text for item in note.select(".guide-reasons li")] == [
        "Learn French (FLE): You do not speak French but you went to school in your language.",
        "Level A1: I know a few words and simple sentences."]
    assert all(item.one("svg")["aria-hidden"] == "true" for item in note.select(".guide-reasons li"))
    assert "The centre will test your level" in note.one(".guide-test").text
    assert note.select(".guide-relaxed") == []
    assert note.one(".guide-links a.button")["href"] == "#results-title"
    assert note.one(".guide-links a.button").text == "See the course below"


@pytest.mark.parametrize(("courses", "search", "relaxed"), [
    ([course("gembloux", "site-gembloux")],
     {"radius_km": "25", "part_of_day": "evening", "childcare": "1"},
     ["No such course within 10 km: we looked up to 25 km."]),
    ([course("charleroi", "site-charleroi")],
     {"radius_km": "50", "part_of_day": "evening", "childcare": "1"},
     ["No such course within 10 km: we looked up to 50 km."]),
    # A morning course nearby beats an evening course 32 km away? No: the time goes only when no
    # distance up to 50 km finds a course at that time.
    ([course("morning", "site-namur", parts_of_day=["morning"]), course("charleroi", "site-charleroi")],
     {"radius_km": "50", "part_of_day": "evening", "childcare": "1"},
     ["No such course within 10 km: we looked up to 50 km."]),
    ([course("morning", "site-namur", parts_of_day=["morning"])],
     {"radius_km": "10", "childcare": "1"},
     ["No course in the evening within 50 km: we show courses at any time."]),
    ([course("no-care", "site-gembloux", childcare=False)],
     {"radius_km": "25", "part_of_day": "evening"},
     ["No course with childcare within 50 km: we also show courses without childcare.",
      "No such course within 10 km: we looked up to 25 km."]),
    ([course("morning-no-care", "site-namur", parts_of_day=["morning"], childcare=False)],
     {"radius_km": "10"},
     ["No course in the evening within 50 km: we show courses at any time.",
      "No course with childcare within 50 km: we also show courses without childcare."]),
    ([course("arlon", "site-arlon")],
     {"radius_km": None},
     ["No course in the evening within 50 km: we show courses at any time.",
      "No course with childcare within 50 km: we also show courses without childcare.",
      "No such course within 50 km: here are the nearest ones, further away."]),
    ([course("b1", "site-namur", level_min="B1", level_max="B2")],
     {"radius_km": None, "level": None},
     ["No course in the evening within 50 km: we show courses at any time.",
      "No course with childcare within 50 km: we also show courses without childcare.",
      "No such course within 50 km: here are the nearest ones, further away.",
      "No course at level A1: we show every level."]),
    ([course("alpha", "site-namur", kind="alpha_fr", level_min="alpha", level_max="alpha")],
     {"radius_km": None, "level": None, "kind": None},
     ["No course in the evening within 50 km: we show courses at any time.",
      "No course with childcare within 50 km: we also show courses without childcare.",
      "No such course within 50 km: here are the nearest ones, further away.",
      "No course at level A1: we show every level.",
      "No course of this kind: we show every kind of course."]),
], ids=["25-km", "50-km", "time-kept-over-distance", "any-time", "without-childcare", "neither", "nearest",
        "any-level", "any-kind"])
def test_it_never_ends_on_nothing_and_says_what_it_gave_up(client, app_context, courses, search, relaxed):
    offer(*courses)
    url = finish(client)
    expected = {"near": "5000", "radius_km": "10", "kind": "fle", "level": "A1", **search}
    assert search_of(url) == {name: value for name, value in expected.items() if value is not None}
    doc = get(client, url)
    assert doc.select(".cards .card"), "the route ended on nothing"
    assert [item.text for item in doc.select(".guide-relaxed li")] == relaxed


def test_towards_a_job_is_given_up_first(client, app_context):
    offer(course("plain", "site-namur", job_oriented=False),
          course("job-morning", "site-namur", job_oriented=True, parts_of_day=["morning"]))
    url = finish(client, goal="job")
    assert search_of(url) == {"near": "5000", "radius_km": "10", "kind": "fle", "level": "A1",
                              "part_of_day": "evening", "childcare": "1"}
    relaxed = [item.text for item in get(client, url).select(".guide-relaxed li")]
    assert relaxed == ["No course towards a job within 50 km: we also show other courses."]


def test_a_job_course_is_kept_when_it_fits(client, app_context):
    offer(course("plain", "site-namur", job_oriented=False), course("job", "site-gembloux", job_oriented=True))
    url = finish(client, goal="training")
    assert search_of(url)["job_oriented"] == "1" and search_of(url)["radius_km"] == "25"
    assert "towards a job" in get(client, url).one(".guide-shown").text


def test_an_empty_offer_still_ends_on_the_results_page(client, app_context):
    url = finish(client)
    assert search_of(url) == {"near": "5000"}
    doc = get(client, url)
    assert doc.one("#results-title").text == "No course found"


@pytest.mark.parametrize("road", ["sql", "memory"])
def test_the_widening_costs_a_few_queries(client, app, app_context, road, monkeypatch):
    """Nothing found anywhere, whatever was wished: one count per set of wishes (8) at the widest
    distance, then the 3 counts without a distance. In memory (portal.search.memory) each count
    reads only the offer's generation (through the session, or on the thread's own connection
    once the session's transaction has ended), and the offer is loaded once (6 statements)."""
    monkeypatch.setitem(app.config, "SEARCH_MEMORY_INDEX", road == "memory")
    statements, own_connection_reads = [], []
    read = generation._Reader.read
    monkeypatch.setattr(generation._Reader, "read", lambda self: own_connection_reads.append(1) or read(self))

    def record(*args):
        statements.append(args[2].lower().lstrip())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        finish(client, goal="job")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    if road == "sql":
        assert len(statements) == 8 + 3, statements
        assert all(statement.startswith("select count(") for statement in statements)
    else:
        generations = [statement for statement in statements if "offer_generation" in statement]
        assert len(generations) + len(own_connection_reads) == 8 + 3, statements
        assert len(statements) - len(generations) <= 6, statements
        assert not any(statement.startswith("select count(") for statement in statements)


def test_the_distance_is_the_first_that_finds_a_course(client, app_context):
    """The nearest course within 50 km gives the distance: the same as trying 10, 25 then 50 km."""
    offer(course("gembloux", "site-gembloux"), course("charleroi", "site-charleroi"))
    assert search_of(finish(client))["radius_km"] == "25"
    offer(course("namur", "site-namur"))
    assert search_of(finish(client))["radius_km"] == "10"


def test_two_kinds_are_both_explained(client, app_context):
    offer(course("alpha", "site-namur", kind="alpha_nf", level_min="alpha", level_max="A1"))
    url = finish(client, speak="little", read="little")
    assert search_of(url)["kind"] == "alpha_nf,fle"
    note = get(client, url).one(".guide-note")
    assert note.one(".guide-shown").text.startswith("We show courses of level A1, within 10 km of 5000 Namur")
    assert [item.one("strong").text for item in note.select(".guide-reasons li")] == [
        "Learn French and learn to read and write", "Learn French (FLE)", "Level A1"]


def test_the_weekend_is_the_days_of_the_search(client, app_context):
    offer(course("saturday", "site-namur", days=["sat"], parts_of_day=["morning"]))
    url = finish(client, time="weekend")
    assert search_of(url)["day"] == "sat,sun"
    assert "at the weekend" in get(client, url).one(".guide-shown").text


def test_nationality_says_which_level_it_needs(client, app_context):
    offer(course("fits", "site-namur"))
    note = get(client, finish(client, goal="nationality")).one(".guide-note")
    assert "For Belgian nationality, you must show that you know French at level A2." in note.text


# -- the note on the results page --------------------------------------------------------------
def test_the_answers_can_each_be_changed(client, app_context):
    offer(course("fits", "site-namur"))
    note = get(client, finish(client, lang="ar")).one(".guide-note")
    items = note.select(".guide-answers dl div")
    assert len(items) == 6
    hrefs = [item.one("a")["href"] for item in items]
    assert [path(href) for href in hrefs] == ["/trouver", "/trouver/lire", "/trouver/pourquoi", "/trouver/ou",
                                              "/trouver/quand", "/trouver/enfants"]
    assert all(set(query(href)) == {*ANSWERS.items(), ("lang", "ar")} for href in hrefs)
    assert note.select(".guide-links a")[-1]["href"] == "/trouver?lang=ar"


def test_the_note_is_in_the_language_of_the_page(client, app_context):
    offer(course("fits", "site-namur"))
    doc = get(client, finish(client, lang="fr"))
    assert doc.one(".guide-shown").text == (
        "Nous montrons des cours de niveau A1, à moins de 10 km de 5000 Namur, le soir et avec garde d'enfants.")
    assert "Le centre testera votre niveau" in doc.one(".guide-test").text


def test_the_marker_lasts_one_page(client, app_context):
    """Any change of the search is the person's own: the page's links and forms drop the marker; the
    same page in another language keeps it."""
    offer(course("fits", "site-namur"), course("fits-2", "site-namur"))
    url = finish(client)
    doc = get(client, url)
    assert doc.select(".guide-note")
    links = [a["href"] for a in doc.select(".chips a")]
    assert links and not any("guide=" in href for href in links)
    assert ("guide", "none.yes.daily.evening.yes") not in form_fields(doc.one("form.search-form"))
    assert ("guide", "none.yes.daily.evening.yes") not in form_fields(doc.one("form.sort-form"))
    assert "guide=" not in doc.one("[data-map-panel]")["data-geojson"]
    switcher = {a["hreflang"]: a["href"] for a in doc.select(".language-switcher a")}
    assert "guide=none.yes.daily.evening.yes" in switcher["uk"]
    assert get(client, switcher["uk"]).select(".guide-note")


@pytest.mark.parametrize("marker", ["", "none.yes", "none.yes.daily.evening.yes.more", "x.yes.daily.evening.yes",
                                    "none.yes.daily.evening.maybe", "<script>"])
def test_a_marker_that_is_no_marker_says_nothing(client, app_context, marker):
    offer(course("fits", "site-namur"))
    doc = get(client, "/?" + urlencode({"near": "5000", "guide": marker, "lang": "en"}))
    assert doc.select(".guide-note") == []
    assert doc.select(".cards .card")


def test_the_api_knows_no_marker(client, app_context):
    response = client.get("/api/v1/courses?near=5000&guide=none.yes.daily.evening.yes")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "guide"


def test_no_note_without_a_place_or_on_a_wrong_search(client, app_context):
    offer(course("fits", "site-namur"))
    assert get(client, "/?guide=none.yes.daily.evening.yes").select(".guide-note") == []
    assert get(client, "/?near=Atlantis&guide=none.yes.daily.evening.yes", status=400).select(".guide-note") == []
