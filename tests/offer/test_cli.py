"""The ``flask offer import|export`` and ``flask demo load`` commands."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.offer.models import Course, Entry, Operator, Site
from portal.offer.services import export_offer
from tests import factories as f


@pytest.fixture()
def runner(app, app_context):
    return app.test_cli_runner()


def row_counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Operator, Site, Course, Entry)}


def summary_lines(result) -> dict[str, tuple[int, int, int]]:
    """{"operators": (created, updated, unchanged), …} read from the command's stdout."""
    found = {}
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"(operators|sites|courses): (\d+) created, (\d+) updated, (\d+) unchanged", line)
        if match:
            found[match.group(1)] = tuple(int(n) for n in match.groups()[1:])
    return found


def write(tmp_path, doc, name="offer.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def two_course_doc(title="Français oral débutant"):
    return f.document(f.operator(courses=[f.course(ref="c1", title=title), f.course(ref="c2")]))


# -- import -------------------------------------------------------------------------------------
def test_import_prints_summary(runner, tmp_path):
    path = write(tmp_path, two_course_doc())
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "operators: 1 created, 0 updated, 0 unchanged",
        "sites: 1 created, 0 updated, 0 unchanged",
        "courses: 2 created, 0 updated, 0 unchanged",
    ]
    assert row_counts() == {"Operator": 1, "Site": 1, "Course": 2, "Entry": 0}


def test_import_again_then_changed(runner, tmp_path):
    path = write(tmp_path, two_course_doc())
    assert runner.invoke(args=["offer", "import", str(path)]).exit_code == 0
    again = runner.invoke(args=["offer", "import", str(path)])
    assert again.exit_code == 0
    assert summary_lines(again) == {"operators": (0, 0, 1), "sites": (0, 0, 1), "courses": (0, 0, 2)}
    changed = runner.invoke(args=["offer", "import", str(write(tmp_path, two_course_doc("Autre titre")))])
    assert changed.exit_code == 0
    assert summary_lines(changed) == {"operators": (0, 0, 1), "sites": (0, 0, 1), "courses": (0, 1, 1)}


def test_bad_file_exit_1_lists_every_error_and_writes_nothing(runner, tmp_path):
    f.load_courses(f.course(ref="c0", title="Avant"))
    before = row_counts()
    doc = f.document(f.operator(courses=[
        f.course(ref="c0", title="Après"),
        f.course(ref="c1", level_min="B3"),
        f.course(ref="c2", childcare="oui"),
        f.course(ref="c3", site="site-ailleurs"),
    ]))
    result = runner.invoke(args=["offer", "import", str(write(tmp_path, doc))])
    assert result.exit_code == 1
    assert result.stdout == ""
    error_lines = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(error_lines) == 3, result.stderr
    assert error_lines[0].startswith("operators[0].courses[1].level_min: 'B3'")
    assert error_lines[1].startswith("operators[0].courses[2].childcare: 'oui'")
    assert error_lines[2].startswith("operators[0].courses[3].site: 'site-ailleurs'")
    assert "3 error(s)" in result.stderr and "nothing was changed" in result.stderr
    assert row_counts() == before
    assert export_offer()["operators"][0]["courses"][0]["title"] == "Avant"


def test_invalid_json_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "passerelle-offer/1", "operators": [\n  {"ref": "op-a",}\n]}', encoding="utf-8")
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.stderr
    assert "line 2" in result.stderr
    assert "Traceback" not in result.output
    assert row_counts()["Operator"] == 0


def test_not_utf8_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(two_course_doc(), ensure_ascii=False).encode("latin-1"))
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr
    assert row_counts()["Course"] == 0


def test_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["offer", "import", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "absent.json" in result.stderr
    assert row_counts()["Operator"] == 0


def test_import_reads_stdin(runner):
    result = runner.invoke(args=["offer", "import", "-"], input=json.dumps(two_course_doc()))
    assert result.exit_code == 0, result.output
    assert summary_lines(result)["courses"] == (2, 0, 0)
    assert sorted(c["ref"] for c in export_offer()["operators"][0]["courses"]) == ["c1", "c2"]


def test_bad_document_on_stdin(runner):
    result = runner.invoke(args=["offer", "import", "-"], input=json.dumps({"format": "x", "operators": []}))
    assert result.exit_code == 1
    assert "format: " in result.stderr


# -- export -------------------------------------------------------------------------------------
def test_export_to_stdout(runner):
    f.load(two_course_doc())
    result = runner.invoke(args=["offer", "export", "-"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document == export_offer()
    assert document["format"] == "passerelle-offer/1"
    assert [c["ref"] for c in document["operators"][0]["courses"]] == ["c1", "c2"]
    assert "Français oral débutant" in result.stdout  # UTF-8, not \u escapes


def test_export_to_file_then_import_into_empty_database(runner, tmp_path):
    f.load(two_course_doc())
    path = tmp_path / "out.json"
    result = runner.invoke(args=["offer", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 operators and 2 courses" in result.stderr
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported == export_offer()
    db.session.execute(Entry.__table__.delete())
    db.session.execute(Course.__table__.delete())
    db.session.execute(Site.__table__.delete())
    db.session.execute(Operator.__table__.delete())
    db.session.commit()
    db.session.expunge_all()
    again = runner.invoke(args=["offer", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert summary_lines(again)["courses"] == (2, 0, 0)
    assert export_offer() == exported


# -- demo ---------------------------------------------------------------------------------------
def test_demo_load_then_if_empty_does_nothing(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    created = summary_lines(result)["courses"][0]
    assert created >= 150
    counts = row_counts()
    assert counts["Course"] == created
    second = runner.invoke(args=["demo", "load", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "courses" not in summary_lines(second)
    assert "already" in second.stdout
    assert row_counts() == counts


def test_demo_load_if_empty_loads_an_empty_database(runner):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert summary_lines(result)["courses"][0] >= 150
    assert row_counts()["Operator"] >= 40


def test_demo_load_twice_is_unchanged(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = row_counts()
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0
    assert summary_lines(again)["courses"] == (0, 0, counts["Course"])
    assert row_counts() == counts


# -- large import -------------------------------------------------------------------------------
def test_large_import_prints_progress(runner, tmp_path):
    courses = [f.course(ref=f"big-{i:04d}", title=f"Cours {i}") for i in range(1200)]
    path = write(tmp_path, f.document(f.operator(courses=courses)))
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1000/1200 courses" in result.stderr
    assert "1200/1200 courses" in result.stderr
    assert summary_lines(result)["courses"] == (1200, 0, 0)
    assert row_counts()["Course"] == 1200


def test_small_import_prints_no_progress(runner, tmp_path):
    result = runner.invoke(args=["offer", "import", str(write(tmp_path, two_course_doc()))])
    assert result.exit_code == 0
    assert "courses…" not in result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("operators", ["1", "true"])
def test_operators_not_a_list_is_a_clear_error_not_a_traceback(runner, tmp_path, operators):
    path = tmp_path / "offer.json"
    path.write_text(f'{{"format": "passerelle-offer/1", "operators": {operators}}}')
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "operators: must be a list" in result.stderr


def test_validation_stops_after_200_problems(runner, tmp_path):
    path = write(tmp_path, f.document(f.operator(courses=[f.course(f"c{n}", kind="x") for n in range(500)])))
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Import refused: validation stopped after 200 problems; nothing was changed."
    assert len(lines) == 201
    assert row_counts()["Course"] == 0


def test_huge_number_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "offer.json"
    path.write_text('{"n": ' + "9" * 5000 + "}")
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1 and "not valid JSON" in result.stderr


def test_import_overwrites_newer_changes_it_is_an_admin_tool(runner, tmp_path):
    """The web imports refuse to undo newer changes; the command line upserts."""
    path = write(tmp_path, two_course_doc())
    assert runner.invoke(args=["offer", "import", str(path)]).exit_code == 0
    f.load(two_course_doc(title="Changé ensuite"))
    db.session.execute(Course.__table__.update().values(confirmed_at=dt.date(2026, 11, 20)))  # after the file
    db.session.commit()
    result = runner.invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 0 and summary_lines(result)["courses"] == (0, 2, 0)
