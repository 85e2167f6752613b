"""What keeps an import from hurting everyone else: every file is read in a limited child process
(the workbook bombs of the attack are refused quickly, the worker's memory untouched), one import
at a time per machine, so many imports an hour per account, and error reports of at most 200
problems, small and quick whatever the file."""
from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest

from portal.bulk import files as bulk_files
from portal.bulk import limits as bulk_limits
from portal.bulk import reader as bulk_reader
from portal.extensions import db, limiter
from portal.offer.services import export_offer
from portal.offer.validation import MAX_PROBLEMS
from tests import bombs
from tests.bulk.helpers import (
    BASSIN_IMPORT,
    HEADER,
    IMPORT_A,
    course_count,
    make_bulk_people,
    problems_of,
    upload,
)
from tests.conftest import make_app
from tests.html import parse
from tests.people import PASSWORD, sign_in

TOO_COMPLEX = "The file is too complex to read"


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the child process ------------------------------------------------------------------------
def test_an_xlsx_bomb_upload_is_refused_quickly_and_nothing_is_written(app, backend, operator_a):
    """One row of 15 M empty cells in a 62 KB workbook (under the unpacked-size cap) took 87 s and
    4.9 GB in the web worker; read in the child it is refused within the default limits."""
    if backend == "postgresql":
        pytest.skip("reading a file does not touch the database: once is enough")
    data = bombs.wide_row()
    assert len(data) < 100_000
    before, peak = export_offer(), peak_memory_mb()
    started = time.perf_counter()
    response = upload(operator_a, IMPORT_A, "cours.xlsx", data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    [(_row, _column, text)] = problems_of(response)
    assert TOO_COMPLEX in text
    assert elapsed < app.config["IMPORT_PARSE_TIMEOUT_SECONDS"]
    assert peak_memory_mb() - peak < 100  # the gigabytes were the child's
    db.session.expire_all()
    assert export_offer() == before


@pytest.fixture()
def tight_limits():
    """An application whose child processes get little memory and time (the bombs fail sooner)."""
    app = make_app("sqlite://", IMPORT_PARSE_MEMORY_MB=256, IMPORT_PARSE_CPU_SECONDS=3,
                   IMPORT_PARSE_TIMEOUT_SECONDS=10)
    with app.test_request_context("/?lang=en"):
        yield app


@pytest.mark.parametrize("bomb", sorted(bombs.BOMBS))
def test_every_bomb_shape_is_refused_as_too_complex(tight_limits, bomb):
    data = bombs.BOMBS[bomb]()
    peak = peak_memory_mb()
    started = time.perf_counter()
    with pytest.raises(bulk_files.FileRefused) as refused:
        bulk_files.read_upload("xlsx", data)
    assert TOO_COMPLEX in refused.value.problems[0].message
    assert time.perf_counter() - started < 10
    assert peak_memory_mb() - peak < 100


def test_the_wall_clock_limit_kills_the_child(tight_limits):
    tight_limits.config["IMPORT_PARSE_TIMEOUT_SECONDS"] = 0.5
    started = time.perf_counter()
    with pytest.raises(bulk_files.FileRefused) as refused:
        bulk_files.read_upload("xlsx", bombs.many_shared_strings())
    assert TOO_COMPLEX in refused.value.problems[0].message
    assert time.perf_counter() - started < 3


def test_an_honest_workbook_reads_the_same_in_the_child():
    rows = [[2, ["course-a", "site-a", "", "", "Alpha", "alpha_nf"]]]  # site_address, reception_languages empty
    content = bulk_files.xlsx_bytes([dict.fromkeys(bulk_files.COLUMNS, "") | {
        "ref": "course-a", "site": "site-a", "title": "Alpha", "kind": "alpha_nf"}], "cours")
    answer = bulk_limits.read_in_child("xlsx", content, bulk_files._LIMITS)
    assert answer["rows"][0] == [1, list(bulk_files.COLUMNS)]
    assert answer["rows"][1:] == rows
    assert answer == bulk_reader.read("xlsx", content, bulk_files._LIMITS)  # in-process, the same


def test_the_reader_imports_nothing_of_the_portal():
    """The child only turns bytes into text: no database, no application, no configuration."""
    source = Path(bulk_reader.__file__).read_text()
    assert "from portal" not in source and "import portal" not in source


def test_json_with_more_operators_than_a_file_may_hold_is_refused_in_one_line(coordinator):
    """1.5 M empty operators made a 553 MB page in 93 s: now one line, at once."""
    content = '{"format": "passerelle-offer/1", "operators": [' + ",".join(["{}"] * 300_000) + "]}"
    started = time.perf_counter()
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", content)
    assert response.status_code == 400
    assert [text for _row, _column, text in problems_of(response)] == [
        "The file has more than 5000 operators: split it."]
    assert len(response.data) < 50_000 and time.perf_counter() - started < 10


# -- error reports: 200 problems at most ----------------------------------------------------
def test_a_header_of_330000_unknown_columns_is_one_small_quick_problem(operator_a):
    """It made a 158 MB page in 24 s."""
    content = HEADER + "," + ",".join(["x"] * 330_000) + "\n,site-a,T,fle,A1,A2,rolling,,,,\n"
    started = time.perf_counter()
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    [(_row, _column, text)] = problems_of(response)
    assert "has a value past column 100" in text
    assert len(response.data) < 50_000 and time.perf_counter() - started < 5


def test_an_unknown_column_is_named_once(operator_a):
    content = HEADER + ",salle,salle,Salle,remarque\n,site-a,T,fle,A1,A2,rolling,,,,,1,2,3,4\n"
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    assert [column for _row, column, _text in problems_of(response)] == ["salle", "remarque"]


def test_validation_stops_after_200_problems(operator_a):
    """5,000 rows with a bad cell each (and a bad level and day): the first 200 problems, and the
    report says it stopped."""
    rows = [f",site-a,Cours {n},fle,Z{n},A2,rolling,,mun,peut-être," for n in range(5000)]
    before = export_offer()
    started = time.perf_counter()
    response = upload(operator_a, IMPORT_A, "cours.csv", "\n".join([HEADER, *rows]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.one("#problems-title").text == f"Validation stopped after {MAX_PROBLEMS} problems: nothing was saved."
    found = problems_of(response)
    assert len(found) == MAX_PROBLEMS
    assert found[0][:2] == ("2", "job_oriented") and found[-1][0] == "201"  # in the file's order
    assert len(response.data) < 300_000 and elapsed < 15
    db.session.expire_all()
    assert export_offer() == before


def test_json_validation_stops_after_200_problems_too(coordinator):
    operators = [{"ref": f"op-{n}", "sites": [{"ref": f"s-{n}", "postal_code": "5000"}]} for n in range(400)]
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json",
                      json.dumps({"format": "passerelle-offer/1", "operators": operators}))
    assert response.status_code == 400
    found = problems_of(response)
    assert len(found) == MAX_PROBLEMS
    assert (found[0][1], found[1][1], found[-1][1]) == ("operators[0].kind", "operators[0].name", "operators[99].name")
    assert "Validation stopped after 200 problems" in response.get_data(as_text=True)


def test_a_problem_quotes_a_long_cell_cut_short(operator_a):
    content = HEADER + "\n,site-a,T,fle,A1,A2,rolling,," + "x" * 100_000 + ",,"
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    [(_row, column, text)] = problems_of(response)
    assert column == "days" and len(text) < 300


# -- one import at a time ----------------------------------------------------------------------
def test_while_another_import_runs_the_page_says_so_and_keeps_the_form(app, operator_a):
    content = HEADER + "\ncourse-a,site-a,Nouveau titre,fle,A1,A2,rolling,,,,"
    before, count = export_offer(), course_count()
    with bulk_limits.import_slot():  # another worker of this machine is importing
        response = upload(operator_a, IMPORT_A, "cours.csv", content, check_only=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert [text for _row, _column, text in problems_of(response)] == [
        "Another import is running. Try again in a minute."]
    page = parse(response.get_data(as_text=True))
    assert page.one("input[name=check_only]").has("checked")
    db.session.expire_all()
    assert export_offer() == before and course_count() == count
    assert upload(operator_a, IMPORT_A, "cours.csv", content).status_code == 302  # free again


def test_the_slot_is_one_per_machine(app_context):
    with bulk_limits.import_slot(), pytest.raises(bulk_limits.ImportBusy), bulk_limits.import_slot():
        pass
    with bulk_limits.import_slot():  # released
        pass


# -- imports per account -----------------------------------------------------------------------
@pytest.fixture()
def limited_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'limits.db'}", RATELIMIT_ENABLED=True, IMPORT_RATE_LIMIT="2 per hour")
    with app.app_context():
        db.create_all()
        make_bulk_people()
        limiter.reset()
        yield app
        db.session.remove()


def test_imports_per_account_are_limited_and_the_page_says_when_to_try_again(limited_app):
    client = limited_app.test_client()
    sign_in(client, "a@example.org", PASSWORD)
    content = HEADER + "\ncourse-a,site-a,Nouveau titre,fle,A1,A2,rolling,,,,"
    with bulk_limits.import_slot():  # refused as busy: not counted
        assert upload(client, IMPORT_A, "cours.csv", content, check_only=True).status_code == 503
    assert [upload(client, IMPORT_A, "cours.csv", content, check_only=True).status_code
            for _ in range(2)] == [200, 200]
    response = upload(client, IMPORT_A, "cours.csv", content)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    page = parse(response.get_data(as_text=True))
    assert page.one("h1").text == "Too many imports for now"
    assert "You can import again at" in page.one("main").text
    other = limited_app.test_client()  # another account has its own count
    sign_in(other, "admin@example.org", PASSWORD)
    assert upload(other, IMPORT_A, "cours.csv", content, check_only=True).status_code == 200
    assert client.get(IMPORT_A).status_code == 200  # looking at the page is not importing


def test_the_bassin_import_counts_too(limited_app):
    client = limited_app.test_client()
    sign_in(client, "coord@example.org", PASSWORD)
    statuses = [upload(client, BASSIN_IMPORT, "cadastre.json", "{}").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
