"""What the bulk tests share: the offer of the role × route people with a course holding every kind
of cell, uploading a file to an import page, and reading the problems and the stored offer."""
from __future__ import annotations

import csv
import io

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.extensions import db
from portal.offer.history import CourseChange
from portal.offer.models import Course
from portal.offer.services import export_offer
from tests import factories as f
from tests.html import parse
from tests.people import make_people

IMPORT_A = "/espace/organismes/op-a/import"
BASSIN_IMPORT = "/espace/bassins/Namur/import"
ENTRIES = [{"start": "2027-01-11", "end": "2027-06-30", "registration_deadline": None, "status": "open"},
           {"start": "2027-02-01", "end": None, "registration_deadline": "2027-01-25", "status": "full"}]
HEADER = "ref,site,title,kind,level_min,level_max,entry_mode,entries,days,job_oriented,hours_per_week"


def make_bulk_people() -> dict[str, str | None]:
    """``make_people`` and, for operator A, a fixed course with every kind of cell: entries, lists,
    a decimal, text that looks like a formula."""
    people = make_people()
    f.load(f.document(f.operator("op-a", sites=[], courses=[f.course(
        "course-fixed", "site-a", title="=Soir (formule)", entry_mode="fixed", entries=ENTRIES,
        sectors=["care", "cleaning"], job_oriented=True, hours_per_week=4.5, level_note="-oral 3",
        description="Ligne 1\nLigne 2, avec virgule; et point-virgule \"guillemets\"", status="draft")])))
    return people


def upload(client, path: str, name: str, content: bytes | str, *, check_only: bool = False,
           overwrite: bool = False):
    """Post ``content`` as the file ``name`` to an import page (English messages)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    data = {"file": FileStorage(io.BytesIO(content), filename=name)}
    if check_only:
        data["check_only"] = "y"
    if overwrite:
        data["overwrite"] = "y"
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(data)
    return client.post(f"{path}?lang=en", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def problems_of(response) -> list[tuple[str | None, str | None, str]]:
    """(row, column or JSON path, text) of each problem listed on the page."""
    page = parse(response.get_data(as_text=True))
    summary = page.one("div.import-problems[role=alert]")
    assert summary.select_one("h2") is not None
    return [(item.get("data-row"), item.get("data-column") or item.get("data-path"), item.text)
            for item in summary.select("li")]


def course_count() -> int:
    return db.session.scalar(select(func.count(Course.id)))


def history_count() -> int:
    return db.session.scalar(select(func.count(CourseChange.id)))


def stored(ref: str) -> dict:
    db.session.expire_all()
    return next(c for o in export_offer()["operators"] for c in o["courses"] if c["ref"] == ref)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
