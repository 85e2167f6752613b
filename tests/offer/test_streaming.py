"""The import reads a JSON file as a stream, operator by operator, and writes it in batches of
BATCH_COURSES courses: the same result as the document parsed whole, all or nothing across
batches, and memory that does not grow with the file."""
from __future__ import annotations

import json
import tracemalloc

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules, services
from portal.offer.history import CourseChange
from portal.offer.models import Course, CourseWord, Entry, Operator, Site
from portal.offer.services import NewerChanges, export_offer, import_offer
from portal.offer.source import DocumentSource, FileSource
from portal.offer.validation import OfferDocumentError
from tests import factories as f


def write(tmp_path, doc, name="offer.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Operator, Site, Course, Entry, CourseWord, CourseChange)}


def offer(operators: int, courses: int = 4, **course_fields) -> dict:
    """``operators`` operators of ``courses`` courses each, at two sites, with entries."""
    return f.document(*[
        f.operator(ref=f"op-{o}", name=f"Opérateur {o}",
                   sites=[f.site(f"s-{o}-a"), f.site(f"s-{o}-b", "4000", "Liège")],
                   courses=[f.course(f"c-{o}-{c}", site_ref=f"s-{o}-{'ab'[c % 2]}", entry_mode="fixed",
                                     entries=[{"start": "2027-01-11", "status": "open"},
                                              {"start": "2027-03-01", "registration_deadline": "2027-02-20"}],
                                     **{"title": f"Français {o} {c}", **course_fields})
                            for c in range(courses)])
        for o in range(operators)])


@pytest.fixture()
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_COURSES", 5)


def test_a_file_and_the_same_document_parsed_give_the_same_outline_and_operators(tmp_path):
    doc = offer(3)
    doc["operators"][1]["ref"] = "OP-1"  # refs are compared normalised
    from_file, in_memory = FileSource(write(tmp_path, doc)), DocumentSource(doc)
    assert vars(from_file.outline()) == vars(in_memory.outline())
    assert from_file.outline().course_refs == [f"c-{o}-{c}" for o in range(3) for c in range(4)]
    assert list(from_file.operators()) == list(in_memory.operators())


def test_importing_a_file_in_batches_equals_importing_it_parsed_whole(app_context, tmp_path, small_batches):
    doc = offer(6)
    summary = import_offer(write(tmp_path, doc), get_gazetteer(), rules.today())
    assert summary.courses.created == 24 and summary.sites.created == 12
    from_file, stored = export_offer(), counts()
    assert stored["CourseChange"] == 24 and stored["Entry"] == 48
    for model in (CourseWord, CourseChange, Entry, Course, Site, Operator):
        db.session.execute(model.__table__.delete())
    db.session.commit()
    monkey = services.BATCH_COURSES
    services.BATCH_COURSES = 10_000  # one batch
    try:
        import_offer(doc, get_gazetteer(), rules.today())
    finally:
        services.BATCH_COURSES = monkey
    assert export_offer() == from_file and counts() == stored


def test_a_new_course_written_by_the_batch_path_is_found_by_every_reader(app_context, tmp_path):
    """New courses are inserted by Core statements: their derived columns, words and history must
    be what the ORM path (an update) writes."""
    import_offer(write(tmp_path, offer(1, 1, description="Lecture du journal")), get_gazetteer(), rules.today())
    course = db.session.scalar(select(Course))
    assert course.title_key == "francais 0 0"
    assert course.next_start.isoformat() == "2027-01-11"
    assert course.version == 1
    written = {"next_start": course.next_start, "words": db.session.scalar(
        select(func.count()).select_from(CourseWord).where(CourseWord.course_id == course.id))}
    # The same course changed then changed back goes through the ORM: the same derived values.
    doc = offer(1, 1, description="Lecture du journal")
    doc["operators"][0]["courses"][0]["title"] = "Autre"
    import_offer(doc, get_gazetteer(), rules.today())
    import_offer(offer(1, 1, description="Lecture du journal"), get_gazetteer(), rules.today())
    db.session.expire_all()
    course = db.session.scalar(select(Course))
    assert course.title_key == "francais 0 0"
    assert {"next_start": course.next_start, "words": db.session.scalar(
        select(func.count()).select_from(CourseWord).where(CourseWord.course_id == course.id))} == written
    actions = db.session.scalars(select(CourseChange.action).order_by(CourseChange.id)).all()
    assert actions == ["created", "updated", "updated"]


def test_an_error_in_the_last_batch_undoes_the_batches_before_it(app_context, tmp_path, small_batches):
    doc = offer(6)
    doc["operators"][5]["courses"][3]["level_min"] = "B9"
    with pytest.raises(OfferDocumentError) as raised:
        import_offer(write(tmp_path, doc), get_gazetteer(), rules.today())
    assert len(raised.value.errors) == 1
    assert raised.value.errors[0].startswith("operators[5].courses[3].level_min: 'B9' is not a level")
    assert set(counts().values()) == {0}


def test_a_duplicate_ref_in_a_later_batch_is_an_error_and_nothing_is_written(app_context, tmp_path, small_batches):
    doc = offer(4)
    doc["operators"][3]["courses"][0]["ref"] = "c-0-0"
    with pytest.raises(OfferDocumentError) as raised:
        import_offer(write(tmp_path, doc), get_gazetteer(), rules.today())
    assert "duplicate course ref 'c-0-0' (also at operators[0].courses[0])" in raised.value.errors[0]
    assert set(counts().values()) == {0}


def test_a_newer_change_in_a_later_batch_refuses_the_whole_file(app_context, tmp_path, small_batches):
    doc = offer(4)
    import_offer(doc, get_gazetteer(), rules.today())
    before = export_offer()
    changed = offer(4, title="Nouveau titre")
    for operator in changed["operators"]:
        for course in operator["courses"]:
            course["confirmed_at"] = "2026-10-01"  # older than the stored 2026-11-01: made before a change
    with pytest.raises(NewerChanges) as raised:
        import_offer(changed, get_gazetteer(), rules.today(), keep_newer=True)
    assert len(raised.value.changes) == 16
    assert raised.value.changes[-1].path == "operators[3].courses[3]"
    assert export_offer() == before


@pytest.mark.parametrize("text, error", [
    ("", "$: not valid JSON (line 1, column 1: Expecting value)"),
    ('{"format": "passerelle-offer/1", "operators": [', "$: not valid JSON (line 1, column 48"),
    ('[1, 2]', "$: must be an object"),
    ('"text"', "$: must be an object"),
    ('{"format": {"a": 1}, "operators": []}', "format: must be 'passerelle-offer/1'"),
    ('{"format": "passerelle-offer/1", "operators": {"a": []}}', "operators: must be a list"),
    ('{"format": "passerelle-offer/1", "operators": "x", "more": 1}', "$.more: is not a field of this format"),
    ('{"format": "passerelle-offer/1", "operators": []} {}', "$: not valid JSON (line 1, column 51"),
])
def test_a_broken_or_misshapen_file_gets_the_errors_the_parsed_document_would(app_context, tmp_path, text, error):
    path = tmp_path / "offer.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OfferDocumentError) as raised:
        import_offer(path, get_gazetteer(), rules.today())
    assert raised.value.errors[0].startswith(error)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return
    with pytest.raises(OfferDocumentError) as in_memory:
        import_offer(parsed, get_gazetteer(), rules.today())
    assert in_memory.value.errors == raised.value.errors


def test_a_large_broken_file_still_gets_a_clear_error(app_context, tmp_path, monkeypatch):
    from portal.offer import source
    monkeypatch.setattr(source, "EXPLAIN_BYTES", 10)
    path = tmp_path / "offer.json"
    path.write_bytes(b'{"format": "passerelle-offer/1", "operators": [{"ref": "a",}]}')
    with pytest.raises(OfferDocumentError) as raised:
        import_offer(path, get_gazetteer(), rules.today())
    assert raised.value.errors[0].startswith("$: not valid JSON (")


def peak_while_importing(path) -> int:
    tracemalloc.start()
    try:
        import_offer(path, get_gazetteer(), rules.today(), check_only=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_by_the_refs_of_the_file_not_by_its_courses(app_context, tmp_path, monkeypatch):
    """What stays from batch to batch is the file's refs and their JSON paths (under 1 KB a course);
    holding the courses themselves (one batch for the whole file) costs 5–8 KB a course."""
    monkeypatch.setattr(services, "BATCH_COURSES", 100)
    small = peak_while_importing(write(tmp_path, offer(40, 10), "small.json"))   # 400 courses
    large = peak_while_importing(write(tmp_path, offer(160, 10), "large.json"))  # 1,600 courses
    assert (large - small) / 1200 < 2500, (small, large)
