"""A stored course the document changes is written by Core statements (rows.update_courses), as the
ORM wrote it: its version checked against the one loaded and incremented once, its history, its
derived columns, entries and words; a course saved by another between the import's read and its
write is a conflict that undoes the whole import; the courses the document leaves as they are stay
untouched."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import history, rules, services
from portal.offer.derived import words_of
from portal.offer.exchange import course_dict
from portal.offer.history import CourseChange
from portal.offer.models import Course, CourseText, CourseWord, SearchWord
from portal.offer.services import export_offer, import_offer
from tests.offer.test_streaming import offer, peak_while_importing, write


@pytest.fixture()
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_COURSES", 5)  # 2 operators of 4 courses a batch


def stored() -> dict[str, Course]:
    db.session.expire_all()
    return {course.ref: course for course in db.session.scalars(select(Course))}


def history_rows() -> list[tuple[str, str, str]]:
    """(ref, action, changes as JSON) of every recorded change, in order."""
    return [(ref, action, json.dumps(changes, sort_keys=True)) for ref, action, changes in db.session.execute(
        select(Course.ref, CourseChange.action, CourseChange.changes).join(Course, Course.id == CourseChange.course_id)
        .order_by(CourseChange.id))]


def indexed_words(course: Course) -> tuple[set[str], str]:
    words = set(db.session.scalars(select(SearchWord.word).join(CourseWord, CourseWord.word_id == SearchWord.id)
                                   .where(CourseWord.course_id == course.id)))
    return words, db.session.scalar(select(CourseText.words).where(CourseText.course_id == course.id))


def test_a_changed_course_is_written_once_with_its_history_derived_columns_and_words(app_context, small_batches):
    import_offer(offer(3), get_gazetteer(), rules.today())
    before = {ref: (course_dict(course), [entry.id for entry in course.entries]) for ref, course in stored().items()}
    created = history_rows()
    doc = offer(3)
    courses = {course["ref"]: course for operator in doc["operators"] for course in operator["courses"]}
    courses["c-0-0"]["title"] = "Écriture créative"
    courses["c-1-1"]["entries"] = [{"start": "2027-02-01", "status": "open"}]
    courses["c-2-2"]["site"] = "s-2-b"  # from Namur to Liège: a word of the course
    summary = import_offer(doc, get_gazetteer(), rules.today())

    assert vars(summary.courses) == {"created": 0, "updated": 3, "unchanged": 9}
    after = stored()
    changed = {"c-0-0", "c-1-1", "c-2-2"}
    assert {ref: course.version for ref, course in after.items()} == {ref: 2 if ref in changed else 1 for ref in after}
    assert after["c-0-0"].title_key == "ecriture creative"
    assert after["c-1-1"].next_start == dt.date(2027, 2, 1)
    assert after["c-2-2"].site.ref == "s-2-b"
    # Entries are rewritten only when they changed.
    assert {ref: [entry.id for entry in course.entries] == before[ref][1] for ref, course in after.items()} == {
        ref: ref != "c-1-1" for ref in after}
    # One "updated" change per changed course, with the fields as the ORM's path recorded them.
    assert history_rows() == created + [
        (ref, "updated", json.dumps(history.diff(before[ref][0], course_dict(after[ref])), sort_keys=True))
        for ref in sorted(changed)]
    assert json.loads(history_rows()[-3][2]) == {"title": ["Français 0 0", "Écriture créative"]}
    for course in after.values():
        assert indexed_words(course) == (set(words_of(course)), " ".join(words_of(course))), course.ref
    assert "liege" in indexed_words(after["c-2-2"])[0] and "namur" not in indexed_words(after["c-2-2"])[0]


def test_changed_courses_of_a_renamed_operator_are_bumped_once_and_every_course_gets_the_new_name(
        app_context, small_batches):
    import_offer(offer(2), get_gazetteer(), rules.today())
    doc = offer(2)
    doc["operators"][1]["name"] = "Maison des langues"
    doc["operators"][1]["courses"][0]["title"] = "Atelier d'écriture"
    summary = import_offer(doc, get_gazetteer(), rules.today())
    assert (summary.operators.updated, summary.courses.updated) == (1, 1)
    after = stored()
    assert after["c-1-0"].version == 2
    assert [change for change in history_rows() if change[1] == "updated"] == [
        ("c-1-0", "updated", json.dumps({"title": ["Français 1 0", "Atelier d'écriture"]}))]
    for course in after.values():
        assert indexed_words(course) == (set(words_of(course)), " ".join(words_of(course))), course.ref
        assert ("maison" in indexed_words(course)[0]) == course.ref.startswith("c-1-")


def save_meanwhile(monkeypatch, batch: int) -> list[str]:
    """Another save, on its own connection, changes the second course of the ``batch``-th batch
    after the import loaded it and before the import writes it. Returns its ref once done."""
    load, loads, saved = services._StoredOffer.load, [], []

    def load_then_save(operators):
        found = load(operators)
        loads.append(operators)
        if len(loads) == batch:
            saved.append(operators[0]["courses"][1]["ref"])
            table = Course.__table__
            with db.engine.begin() as other:
                other.execute(update(table).where(table.c.ref == saved[0])
                              .values(title="Saved meanwhile", version=table.c.version + 1))
        return found

    monkeypatch.setattr(services._StoredOffer, "load", load_then_save)
    return saved


@pytest.mark.parametrize("batch", [1, 2])
def test_a_course_saved_meanwhile_is_a_conflict_and_nothing_of_the_import_is_written(
        app_context, backend, small_batches, monkeypatch, batch):
    if backend == "sqlite" and batch == 2:
        pytest.skip("SQLite: the import's first batch holds the write lock, no other save can come in")
    import_offer(offer(4), get_gazetteer(), rules.today())
    before, changes = export_offer(), history_rows()
    db.session.commit()
    saved = save_meanwhile(monkeypatch, batch)
    with pytest.raises(StaleDataError):
        import_offer(offer(4, title="Nouveau titre"), get_gazetteer(), rules.today())
    assert saved == [f"c-{2 * (batch - 1)}-1"]
    db.session.expire_all()
    for operator in before["operators"]:
        for course in operator["courses"]:
            if course["ref"] == saved[0]:
                course["title"] = "Saved meanwhile"
    assert export_offer() == before and history_rows() == changes
    assert {ref: course.version for ref, course in stored().items()} == {
        ref: 2 if ref == saved[0] else 1 for ref in stored()}


def test_a_file_changing_every_course_keeps_the_memory_of_its_refs(app_context, tmp_path, monkeypatch):
    """As for new courses (test_streaming): what stays from batch to batch is the file's refs; the
    courses written and the ORM objects loaded for them are let go after each batch."""
    monkeypatch.setattr(services, "BATCH_COURSES", 100)
    import_offer(offer(160, 10), get_gazetteer(), rules.today())
    small = peak_while_importing(write(tmp_path, offer(40, 10, title="Nouveau titre"), "small.json"))  # 400
    large = peak_while_importing(write(tmp_path, offer(160, 10, title="Nouveau titre"), "large.json"))  # 1,600
    assert (large - small) / 1200 < 2500, (small, large)
    assert db.session.scalar(select(func.max(Course.version))) == 1  # checked only: rolled back
