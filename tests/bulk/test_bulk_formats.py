"""What spreadsheets do to text: a CSV opened with another separator must run no formula, and
export → import → export gives the same file, line ends included, whatever the format."""
from __future__ import annotations

import itertools
import json
import re

import pytest

from portal.bulk import files as bulk_files
from portal.extensions import db
from portal.offer.services import export_offer
from tests import factories as f
from tests.bulk.helpers import IMPORT_A, history_count, stored, upload

FORMULA_START = "=+-@\t\r"
TRICKY = {
    "title": 'Cours;=HYPERLINK("https://evil.example","clic")',
    "level_note": "oral,  +33 ou -2;@SUM(A1)",
    "registration_note": "Appeler\n=1+1\tpuis\t-2",
    "description": "Ligne 1\r\nLigne 2\rLigne 3, '=déjà; ''+deux\n  @ici",
}


@pytest.fixture()
def tricky(people):
    f.load(f.document(f.operator("op-a", sites=[], courses=[f.course("course-tricky", "site-a", **TRICKY)])))


def formulas(line: str) -> list[str]:
    """The pieces of a CSV line that a spreadsheet splitting it on any separator would run as
    formulas (after the spaces and the CSV quote they may start with)."""
    pieces = [piece.lstrip(' "') for piece in re.split(r"[;,\t]", line)]
    return [piece for piece in pieces if piece and piece[0] in FORMULA_START]


def test_no_piece_of_a_csv_export_starts_like_a_formula(operator_a, tricky):
    """Only the first character was guarded: "Cours;=HYPERLINK(…)" split on ";" ran the formula."""
    content = operator_a.get("/espace/organismes/op-a/export.csv").data.decode("utf-8-sig")
    assert "Cours;'=HYPERLINK" in content
    for line in re.split(r"\r\n|\n|\r", content):
        assert not formulas(line), line


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_import_export_is_lossless_for_tricky_text(operator_a, tricky, fmt):
    first = operator_a.get(f"/espace/organismes/op-a/export.{fmt}").data
    before, changes = export_offer(), history_count()
    response = upload(operator_a, IMPORT_A, f"cours.{fmt}", first)
    assert response.status_code == 302 and "courses=0-0-3" in response.headers["Location"]
    db.session.expire_all()
    assert export_offer() == before and history_count() == changes
    course = stored("course-tricky")
    assert course["title"] == TRICKY["title"]
    assert course["description"] == "Ligne 1\nLigne 2\nLigne 3, '=déjà; ''+deux\n  @ici"
    if fmt != "xlsx":  # a workbook's zip holds timestamps
        assert operator_a.get(f"/espace/organismes/op-a/export.{fmt}").data == first


def test_a_workbook_with_windows_line_ends_imports_as_the_stored_text(operator_a, tricky):
    """A CRLF came back from a workbook as LF: the import saw a change (and each round trip one)."""
    rows = json.loads(operator_a.get("/espace/organismes/op-a/export.json").data)["operators"][0]["courses"]
    course = next(c for c in rows if c["ref"] == "course-tricky")
    assert "\r" not in course["description"]  # stored with "\n" only
    exported = operator_a.get("/espace/organismes/op-a/export.xlsx").data
    response = upload(operator_a, IMPORT_A, "cours.xlsx", exported)
    assert "courses=0-0-3" in response.headers["Location"]


def test_the_course_form_stores_line_ends_as_newlines(operator_a):
    """Browsers send a text area's lines with "\r\n"."""
    form = {"title": "Conversation du soir", "site": "site-a", "kind": "fle", "level_min": "A2", "level_max": "B1",
            "cost_eur": "0", "entry_mode": "rolling", "status": "published", "registration": "direct",
            "description": "Un\r\nDeux\r\n"}
    assert operator_a.post("/espace/organismes/op-a/cours/nouveau", data=form).status_code == 302
    assert stored("op-a-conversation-du-soir")["description"] == "Un\nDeux"


def test_the_guard_is_undone_exactly():
    for chars in itertools.product("a'=;,\t\n -@\r", repeat=5):
        text = "".join(chars)
        guarded = bulk_files.guard(text)
        assert bulk_files.unguard(guarded) == text, text
        assert not formulas(guarded), text
