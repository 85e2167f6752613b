"""Refs are compared without surrounding spaces and without regard to case, and stored in lower
case: in files, in JSON documents of any shape, on the command line and in addresses. Malformed
documents are problems, never errors of the server."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.offer.models import Course, Operator, Site
from portal.offer.services import export_offer
from tests import factories as f
from tests.bulk.helpers import BASSIN_IMPORT, HEADER, IMPORT_A, course_count, problems_of, stored, upload
from tests.people import signed_in_client

NOT_A_LIST = ["1", "true", '"op-a"', "{}"]


@pytest.mark.parametrize("operators", NOT_A_LIST)
def test_operators_that_are_not_a_list_are_a_problem_on_the_operator_import(operator_a, operators):
    before = export_offer()
    content = f'{{"format": "passerelle-offer/1", "operators": {operators}}}'
    response = upload(operator_a, IMPORT_A, "offre.json", content)
    assert response.status_code == 400
    assert [(column, text) for _row, column, text in problems_of(response)] == [
        ("operators", "operators: must be a list")]
    db.session.expire_all()
    assert export_offer() == before


@pytest.mark.parametrize("operators", NOT_A_LIST)
def test_operators_that_are_not_a_list_are_a_problem_on_the_bassin_import(coordinator, operators):
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json",
                      f'{{"format": "passerelle-offer/1", "operators": {operators}}}')
    assert response.status_code == 400
    assert [column for _row, column, _text in problems_of(response)] == ["operators"]


@pytest.mark.parametrize("shape", [
    '{"format": "passerelle-offer/1", "operators": [{"ref": "op-a", "sites": 1, "courses": true}]}',
    '{"format": "passerelle-offer/1", "operators": [{"ref": "op-a", "courses": [1, "x", null, {"entries": 3}]}]}',
    '{"format": "passerelle-offer/1", "operators": [{"ref": ["op-a"], "name": {"x": 1}, "kind": [1]}]}',
    '[1, 2]', '"text"', '3',
])
def test_any_json_shape_is_problems_not_an_error(operator_a, coordinator, shape):
    for client, path in ((operator_a, IMPORT_A), (coordinator, BASSIN_IMPORT)):
        response = upload(client, path, "offre.json", shape)
        assert response.status_code == 400 and problems_of(response)


def test_refs_padded_with_spaces_or_in_capitals_are_the_stored_ones(operator_a):
    document = f.document(f.operator(" OP-A ", sites=[f.site(" Site-A ", "5000", "Namur")],
                                     courses=[f.course(" Course-A ", " SITE-A", title="Titre par JSON")]))
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 302, problems_of(response)
    assert "courses=0-1-0" in response.headers["Location"] and "sites=0-0-1" in response.headers["Location"]
    assert stored("course-a")["title"] == "Titre par JSON"
    refs = {model.__name__: set(db.session.scalars(select(model.ref))) for model in (Operator, Site, Course)}
    assert refs == {"Operator": {"op-a", "op-b"}, "Site": {"site-a", "site-b"},
                    "Course": {"course-a", "course-b", "course-fixed"}}


def test_another_operators_course_ref_padded_with_spaces_is_refused(operator_a):
    """It reached the database's unique constraint (a 500)."""
    document = f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")],
                                     courses=[f.course(" course-b ", "site-a", title="Pris à B")]))
    before, count = export_offer(), course_count()
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 400
    assert problems_of(response) == [(None, "operators[0].courses[0].ref", "operators[0].courses[0].ref: course "
                                                                           "'course-b' belongs to operator 'op-b'")]
    db.session.expire_all()
    assert export_offer() == before and course_count() == count


def test_another_operators_site_in_capitals_is_refused(operator_a):
    document = f.document(f.operator("op-a", sites=[f.site("SITE-B", "5000", "Namur")]))
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 400
    assert [text for _row, _column, text in problems_of(response)] == [
        "operators[0].sites[0].ref: site 'site-b' belongs to operator 'op-b'"]


def test_spreadsheet_refs_in_any_case(operator_a):
    content = "\n".join([HEADER, " Course-A ,SITE-A,Titre changé,fle,A1,A2,rolling,,,,",
                         "COURSE-B,site-a,Pris à B,fle,A1,A2,rolling,,,,"])
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    assert problems_of(response) == [("3", "ref", "Row 3, column ref: course 'course-b' belongs to operator 'op-b'")]
    response = upload(operator_a, IMPORT_A, "cours.csv", content.rsplit("\n", 1)[0])
    assert response.status_code == 302 and "courses=0-1-0" in response.headers["Location"]
    assert stored("course-a")["title"] == "Titre changé"


def test_two_refs_differing_only_by_case_are_duplicates(operator_a):
    content = "\n".join([HEADER, "course-a,site-a,Un,fle,A1,A2,rolling,,,,",
                         "COURSE-A,site-a,Deux,fle,A1,A2,rolling,,,,"])
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    assert problems_of(response) == [("3", "ref", "Row 3, column ref: duplicate course ref 'course-a' (also at row 2)")]


def test_a_bassin_import_cannot_reach_another_bassin_through_a_padded_ref(coordinator):
    """Padded refs skipped the ownership lookups of the bassin import."""
    document = f.document(f.operator(" OP-B ", name="Opérateur B (test)", sites=[f.site(" site-b", "5000", "Namur")],
                                     courses=[f.course("COURSE-B ", " Site-B", title="Repris par Namur")]))
    before = export_offer()
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", json.dumps(document))
    assert response.status_code == 400
    paths = {column for _row, column, _text in problems_of(response)}
    assert {"operators[0].ref", "operators[0].sites[0].ref", "operators[0].courses[0].ref"} <= paths
    db.session.expire_all()
    assert export_offer() == before


@pytest.mark.parametrize("path", ["/espace/organismes/OP-A", "/espace/organismes/%20op-a%20/import",
                                  "/espace/cours/COURSE-A/modifier", "/espace/lieux/Site-A/modifier"])
def test_workspace_addresses_find_refs_in_any_case(operator_a, path):
    assert operator_a.get(path).status_code == 200


def test_other_operators_stay_forbidden_in_any_case(app, people):
    client = signed_in_client(app, people["operator B"])
    assert client.get("/espace/cours/COURSE-A/modifier").status_code == 403
    assert client.get("/espace/organismes/Op-A/import").status_code == 403
