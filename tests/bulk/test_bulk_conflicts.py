"""Saves at the same moment, and files older than the stored courses: a new course saved twice at
once gets two refs, two imports adding the same course at once are one import and one clear
refusal, and an old export never silently undoes the changes made since."""
from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest
from sqlalchemy import func, insert, select, update

from portal.accounts.models import User
from portal.bulk import files as bulk_files
from portal.bulk import services as bulk_services
from portal.extensions import db
from portal.offer import services as offer_services
from portal.offer.exchange import course_dict
from portal.offer.models import Course, Operator
from portal.offer.services import export_offer
from portal.workspace.courses import services as courses
from tests.bulk.helpers import (
    BASSIN_IMPORT,
    HEADER,
    IMPORT_A,
    course_count,
    csv_rows,
    history_count,
    problems_of,
    stored,
    upload,
)
from tests.conftest import TODAY
from tests.html import parse
from tests.people import signed_in_client

FORM = {"title": "Conversation du soir", "site": "site-a", "kind": "fle", "level_min": "A2", "level_max": "B1",
        "cost_eur": "0", "entry_mode": "rolling", "status": "published", "registration": "direct",
        "days": ["tue"], "parts_of_day": ["evening"]}
NEW_COURSE = "/espace/organismes/op-a/cours/nouveau"


def take_ref_meanwhile(ref: str) -> None:
    """Another save, on its own connection, commits a course under ``ref`` now."""
    row = db.session.execute(select(Course.__table__).where(Course.ref == "course-a")).mappings().one()
    with db.engine.begin() as connection:
        connection.execute(insert(Course.__table__).values(
            {key: value for key, value in row.items() if key != "id"} | {"ref": ref}))


def refs_like(prefix: str) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Course.ref).where(Course.ref.like(f"{prefix}%"))))


# -- a new course saved twice at the same moment -------------------------------------------------
def test_a_new_course_whose_ref_is_taken_meanwhile_takes_the_next(operator_a, monkeypatch):
    """The race forced: another save takes the ref between the form's choice and its write."""
    chosen = courses.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        if not refs_like("op-a-conversation"):
            take_ref_meanwhile(ref)
        return ref

    monkeypatch.setattr(courses, "new_ref", new_ref)
    response = operator_a.post(NEW_COURSE, data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].endswith("/espace/cours/op-a-conversation-du-soir-2/modifier?saved=1")
    assert refs_like("op-a-conversation") == ["op-a-conversation-du-soir", "op-a-conversation-du-soir-2"]


def test_when_every_ref_tried_is_taken_the_form_says_so_and_keeps_the_input(operator_a, monkeypatch):
    chosen = courses.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        take_ref_meanwhile(ref)
        return ref

    monkeypatch.setattr(courses, "new_ref", new_ref)
    response = operator_a.post(f"{NEW_COURSE}?lang=en", data=FORM)
    assert response.status_code == 409
    page = parse(response.get_data(as_text=True))
    assert "were saved at the same moment: yours was not. Save again." in page.one(".error-summary").text
    assert page.one("input[name=title]")["value"] == "Conversation du soir"


def test_a_ref_taken_after_the_import_read_its_owners_is_not_overwritten(operator_a, monkeypatch):
    """The later window: another save commits the ref after the import asked who owns the
    document's refs and before it writes them (the import writes in batches, loading each batch's
    stored courses then): it is a conflict, so the form takes the next ref."""
    read_owners, taken = offer_services._stored_owners, []

    def stored_owners(outline, new_courses):
        owners = read_owners(outline, new_courses)
        if not taken:
            taken.extend(new_courses)
            take_ref_meanwhile(*new_courses)
        return owners

    monkeypatch.setattr(offer_services, "_stored_owners", stored_owners)
    response = operator_a.post(NEW_COURSE, data=FORM)
    assert response.status_code == 302
    assert taken == ["op-a-conversation-du-soir"]
    assert refs_like("op-a-conversation") == ["op-a-conversation-du-soir", "op-a-conversation-du-soir-2"]
    assert stored("op-a-conversation-du-soir")["title"] == "Français oral débutant"  # the other save's, kept


def test_two_saves_of_a_new_course_at_once_on_two_connections(app, backend, people, monkeypatch):
    """Real concurrency: two requests on two threads, both choosing the ref before either writes."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the forced race above covers it")
    clients = [signed_in_client(app, people["operator A"]) for _ in range(2)]
    both_chose = threading.Barrier(2, timeout=10)
    chosen, first = courses.new_ref, threading.local()

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        if not getattr(first, "done", False):
            first.done = True
            both_chose.wait()
        return ref

    monkeypatch.setattr(courses, "new_ref", new_ref)
    statuses: list[int] = []

    def save(client):
        statuses.append(client.post(NEW_COURSE, data=FORM).status_code)

    threads = [threading.Thread(target=save, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302, 302]
    assert refs_like("op-a-conversation") == ["op-a-conversation-du-soir", "op-a-conversation-du-soir-2"]


def test_duplicating_a_course_takes_the_next_ref_too(operator_a, monkeypatch):
    chosen = courses.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        if ref == "op-a-francais-oral-debutant":
            take_ref_meanwhile(ref)
        return ref

    monkeypatch.setattr(courses, "new_ref", new_ref)
    response = operator_a.post("/espace/cours/course-a/dupliquer")
    assert response.status_code == 302
    assert "/espace/cours/op-a-francais-oral-debutant-2/modifier" in response.headers["Location"]


# -- two imports adding the same course at once -------------------------------------------------
NEW_ROW = HEADER + "\n,site-a,Atelier du jeudi,fle,A1,A2,rolling,,,,"


def test_an_import_whose_new_ref_is_taken_meanwhile_is_refused_whole(operator_a, monkeypatch):
    chosen = bulk_services.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        take_ref_meanwhile(ref)
        return ref

    monkeypatch.setattr(bulk_services, "new_ref", new_ref)
    content = NEW_ROW + "\ncourse-a,site-a,Titre changé,fle,A1,A2,rolling,,,,"
    changes = history_count()
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 409
    assert [text for _row, _column, text in problems_of(response)] == [
        "Someone saved some of the same courses at the same moment: nothing was saved from this file. Look at "
        "your courses, then import it again."]
    assert stored("course-a")["title"] == "Français oral débutant" and history_count() == changes
    assert refs_like("op-a-atelier") == ["op-a-atelier-du-jeudi"]  # the other save's, alone


def test_two_imports_adding_the_same_course_at_once_on_two_connections(app, backend, people, monkeypatch):
    """Real concurrency (two servers: the machine's import slot does not cover them)."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the forced race above covers it")
    both_chose = threading.Barrier(2, timeout=10)
    chosen = bulk_services.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        both_chose.wait()
        return ref

    monkeypatch.setattr(bulk_services, "new_ref", new_ref)
    outcomes = []

    def run_import():
        with app.test_request_context("/?lang=en"):
            operator = db.session.scalar(select(Operator).where(Operator.ref == "op-a"))
            outcomes.append(bulk_services.import_operator_file(operator, "cours.csv", NEW_ROW.encode(), TODAY))
            db.session.remove()

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted((bool(o.problems), o.conflict) for o in outcomes) == [(False, False), (True, True)]
    assert refs_like("op-a-atelier") == ["op-a-atelier-du-jeudi"]


# -- an old export over newer changes -------------------------------------------------------------
def edit_in_the_form(ref: str, title: str) -> None:
    """Operator A saves the course's form with a new title (the form's own write, today)."""
    course = db.session.scalar(select(Course).where(Course.ref == ref))
    user = db.session.scalar(select(User).where(User.email == "a@example.org"))
    courses.save_course(course.operator, dict(course_dict(course), title=title), TODAY, actor=user)


def csv_line(**cells: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([cells.get(column, "") for column in bulk_files.COLUMNS])
    return out.getvalue().encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_old_export_does_not_undo_later_form_edits(operator_a, fmt):
    exported = operator_a.get(f"/espace/organismes/op-a/export.{fmt}").data
    edit_in_the_form("course-a", "Changé dans le formulaire")
    before, changes = export_offer(), history_count()
    response = upload(operator_a, IMPORT_A, f"cours.{fmt}", exported)
    assert response.status_code == 409
    [(row, where, text)] = problems_of(response)
    assert (row, where) == (("2", "ref") if fmt != "json" else (None, "operators[0].courses[0]"))
    assert re.search(r"The course “course-a” was changed on .*2026.* by a@example\.org \(course form\), after this "
                     r"file was made\. Importing the file would undo that change", text), text
    db.session.expire_all()
    assert export_offer() == before and history_count() == changes
    page = parse(response.get_data(as_text=True))
    assert page.one("input[name=overwrite]")
    response = upload(operator_a, IMPORT_A, f"cours.{fmt}", exported, overwrite=True)
    assert response.status_code == 302
    assert stored("course-a")["title"] == "Français oral débutant"


def test_a_course_saved_between_the_imports_read_and_its_write_is_a_clear_refusal(operator_a, monkeypatch):
    """The import writes a changed course only if its version is still the one it read (one UPDATE
    with the version in its WHERE): a save in between is a conflict, nothing of the file is saved."""
    load = offer_services._StoredOffer.load

    def load_then_save(operators):
        found = load(operators)
        table = Course.__table__
        with db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.ref == "course-a")
                               .values(title="Sauvé entre-temps", version=table.c.version + 1))
        return found

    monkeypatch.setattr(offer_services._StoredOffer, "load", load_then_save)
    changes = history_count()
    content = (HEADER + "\ncourse-a,site-a,Par fichier,fle,A1,A2,rolling,,,,"
               "\ncourse-fixed,site-a,Aussi,fle,A1,A2,rolling,,,,")
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 409
    assert [text for _row, _column, text in problems_of(response)] == [
        "Someone saved some of the same courses at the same moment: nothing was saved from this file. Look at "
        "your courses, then import it again."]
    assert stored("course-a")["title"] == "Sauvé entre-temps" and stored("course-fixed")["title"] == "=Soir (formule)"
    assert history_count() == changes


def test_a_new_export_of_the_changed_course_imports(operator_a):
    edit_in_the_form("course-a", "Changé dans le formulaire")
    exported = operator_a.get("/espace/organismes/op-a/export.csv").data
    changed = exported.replace("Changé dans le formulaire".encode(), b"Encore change")
    response = upload(operator_a, IMPORT_A, "cours.csv", changed)
    assert response.status_code == 302 and stored("course-a")["title"] == "Encore change"


def test_an_old_export_is_refused_whole_with_every_course_changed_since(operator_a):
    exported = operator_a.get("/espace/organismes/op-a/export.csv").data
    edit_in_the_form("course-a", "Changé")
    edit_in_the_form("course-fixed", "Changé aussi")
    rows = csv_rows(exported)
    assert {row["ref"]: row["version"] for row in rows} == {"course-a": "1", "course-fixed": "1"}
    new = csv_line(site="site-a", title="Nouveau", kind="fle", level_min="A1", level_max="A2", entry_mode="rolling")
    response = upload(operator_a, IMPORT_A, "cours.csv", exported + new)
    assert response.status_code == 409
    assert [(row, where) for row, where, _text in problems_of(response)] == [("2", "ref"), ("3", "ref")]
    assert course_count() == 3  # the new row was not added either


def test_a_file_without_the_version_column_still_imports(operator_a):
    edit_in_the_form("course-a", "Changé")
    response = upload(operator_a, IMPORT_A, "cours.csv", HEADER + "\ncourse-a,site-a,Par fichier,fle,A1,A2,rolling,,,,")
    assert response.status_code == 302 and stored("course-a")["title"] == "Par fichier"


def test_a_course_the_old_file_leaves_as_it_is_is_no_conflict(operator_a):
    exported = operator_a.get("/espace/organismes/op-a/export.csv").data
    edit_in_the_form("course-a", "Changé")
    only_fixed = b"\r\n".join(line for line in exported.split(b"\r\n") if not line.startswith(b"course-a,"))
    response = upload(operator_a, IMPORT_A, "cours.csv", only_fixed)
    assert response.status_code == 302 and "courses=0-0-1" in response.headers["Location"]


def test_a_bad_version_cell_is_a_problem(operator_a):
    content = HEADER + ",version\ncourse-a,site-a,T,fle,A1,A2,rolling,,,,,trois"
    assert problems_of(upload(operator_a, IMPORT_A, "cours.csv", content)) == [
        ("2", "version", "Row 2, column version: “trois” is not a version number: keep the number the export "
                         "wrote, or leave the cell empty.")]


def test_the_bassin_import_refuses_to_undo_newer_changes_too(operator_a, coordinator):
    exported = coordinator.get("/espace/bassins/Namur/export.json").data
    edit_in_the_form("course-a", "Changé par l'opérateur")
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", exported)
    assert response.status_code == 409
    [(_row, where, text)] = problems_of(response)
    assert where == "operators[0].courses[0]" and "by a@example.org (course form)" in text
    assert stored("course-a")["title"] == "Changé par l'opérateur"
    assert upload(coordinator, BASSIN_IMPORT, "cadastre.json", exported, overwrite=True).status_code == 302
    assert stored("course-a")["title"] == "Français oral débutant"


def test_a_confirmation_since_the_file_is_a_newer_change(operator_a):
    """"Everything is still correct" after the export: the old file would move the date back."""
    exported = json.loads(operator_a.get("/espace/organismes/op-a/export.json").data)
    assert operator_a.post("/espace/organismes/op-a/tout-est-correct").status_code == 302
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(exported))
    assert response.status_code == 409
    assert {where for _row, where, _text in problems_of(response)} == {"operators[0].courses[0]",
                                                                      "operators[0].courses[1]"}
    assert db.session.scalar(select(func.count(Course.id)).where(Course.confirmed_at == TODAY)) == 2


def test_a_place_saved_under_a_ref_taken_meanwhile_is_a_clear_refusal(operator_a, monkeypatch):
    from portal.offer.services import WriteConflict
    from portal.workspace.sites import views as site_views

    def taken(*args, **kwargs):
        raise WriteConflict()

    monkeypatch.setattr(site_views, "save_site", taken)
    response = operator_a.post("/espace/organismes/op-a/lieux/nouveau?lang=en",
                               data={"name": "Annexe", "postal_code": "5000", "locality": "Namur"})
    assert response.status_code == 409
    assert "Another place with this name was saved at the same moment" in response.get_data(as_text=True)


def test_a_copy_whose_every_ref_is_taken_is_a_conflict_not_an_error(operator_a, monkeypatch):
    chosen = courses.new_ref

    def new_ref(operator, title, taken=frozenset()):
        ref = chosen(operator, title, taken)
        take_ref_meanwhile(ref)
        return ref

    monkeypatch.setattr(courses, "new_ref", new_ref)
    assert operator_a.post("/espace/cours/course-a/dupliquer").status_code == 409
