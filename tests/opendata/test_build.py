"""Building the open data files: the daily job (and its command), files replaced whole (a failed build
leaves the last files as they were), one build at a time — a build that is running is not started
again, and requests that find no files build them once between them."""
from __future__ import annotations

import csv
import json
import threading
import time

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.jobs.services import run_jobs
from portal.offer.models import Course, Entry, Site
from portal.offer.validation import validate_document
from portal.opendata import build
from portal.opendata.store import FILES, LOCK, MANIFEST, build_lock, read_manifest
from tests import factories as f
from tests.conftest import TODAY

NAMES = sorted([file.filename for file in FILES] + [MANIFEST, LOCK])


def csv_refs(directory) -> list[str]:
    with (directory / "passerelle-offre.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row["ref"] for row in csv.DictReader(handle)]


@pytest.mark.usefixtures("offer")
def test_the_daily_job_builds_the_files(open_data_dir):
    [outcome] = run_jobs(only=["open_data"], force=True)
    assert outcome.status == "ok", outcome.summary
    assert outcome.summary.startswith("open data of 2026-11-27: 2 course(s), 1 operator(s), 2 site(s) in ")
    assert sorted(path.name for path in open_data_dir.iterdir()) == NAMES  # no temporary file left
    manifest = read_manifest(open_data_dir)
    assert (manifest.date, manifest.courses, manifest.operators, manifest.sites) == ("2026-11-27", 2, 1, 2)
    assert manifest.sizes == {file.key: (open_data_dir / file.filename).stat().st_size for file in FILES}
    assert all((open_data_dir / file.filename).stat().st_mode & 0o777 == 0o644 for file in FILES)


def test_the_job_is_daily_after_the_next_starts():
    from portal.jobs.schedule import job_named

    job, dates = job_named("open_data"), job_named("derived_dates")
    assert job.every is None and job.daily_at > dates.daily_at


@pytest.mark.usefixtures("offer")
def test_a_new_build_replaces_the_files(open_data_dir):
    build.run_build(open_data_dir, TODAY)
    assert csv_refs(open_data_dir) == ["op-a-fixed", "op-a-rolling"]
    f.load(f.document(f.operator("op-c", sites=[f.site("site-c", "7500", "Tournai")],
                                 courses=[f.course("op-c-new", site_ref="site-c")])))
    build.run_build(open_data_dir, TODAY)
    assert csv_refs(open_data_dir) == ["op-a-fixed", "op-a-rolling", "op-c-new"]
    assert read_manifest(open_data_dir).courses == 3
    assert sorted(path.name for path in open_data_dir.iterdir()) == NAMES


@pytest.mark.usefixtures("offer")
def test_a_failed_build_leaves_the_last_files_whole(open_data_dir, monkeypatch):
    build.run_build(open_data_dir, TODAY)
    before = {path.name: path.read_bytes() for path in open_data_dir.iterdir()}

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("portal.opendata.writers.CourseTableWriter.row", broken)
    [outcome] = run_jobs(only=["open_data"], force=True)
    assert outcome.status == "failed" and "disk full" in outcome.summary
    assert {path.name: path.read_bytes() for path in open_data_dir.iterdir()} == before


@pytest.mark.usefixtures("offer")
def test_a_build_removes_what_a_killed_build_left(open_data_dir):
    open_data_dir.mkdir()
    (open_data_dir / ".passerelle-offre.csv.k1ll3d.tmp").write_text("half a file")
    build.run_build(open_data_dir, TODAY)
    assert sorted(path.name for path in open_data_dir.iterdir()) == NAMES


@pytest.mark.usefixtures("offer")
def test_a_running_build_is_not_started_again(open_data_dir, monkeypatch):
    calls = []
    monkeypatch.setattr(build, "build_files", lambda *args: calls.append(args))
    with build_lock(open_data_dir):  # a build is running (another worker, the command line)
        [outcome] = run_jobs(only=["open_data"], force=True)
    assert outcome.status == "ok"
    assert outcome.summary == "another build of the open data is running: not started again"
    assert calls == [] and not (open_data_dir / MANIFEST).exists()


@pytest.mark.usefixtures("offer")
def test_requests_that_find_no_files_build_them_once(app, open_data_dir, monkeypatch):
    """Four visitors at once on a server without files (a fresh install): one builds, the others
    wait for it and serve what it wrote."""
    real = build.build_files
    calls = []

    def slow_build(*args):
        calls.append(threading.current_thread().name)
        time.sleep(0.5)
        return real(*args)

    monkeypatch.setattr(build, "build_files", slow_build)
    statuses: list[int] = []

    def visit(path: str) -> None:
        with app.test_client() as client:
            response = client.get(path)
            statuses.append(response.status_code)
            response.close()

    paths = ["/donnees-ouvertes", *(f"/donnees-ouvertes/{file.filename}" for file in FILES)]
    threads = [threading.Thread(target=visit, args=(path,), name=f"visitor-{n}") for n, path in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200] * 4 and len(calls) == 1
    assert csv_refs(open_data_dir) == ["op-a-fixed", "op-a-rolling"]


@pytest.mark.usefixtures("offer")
def test_a_request_that_waits_too_long_is_asked_to_come_back(client, open_data_dir, monkeypatch):
    monkeypatch.setattr(build, "REQUEST_WAIT_SECONDS", 0.3)
    with build_lock(open_data_dir):
        for path in ("/donnees-ouvertes", "/donnees-ouvertes/passerelle-offre.csv"):
            response = client.get(path)
            assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert client.get("/donnees-ouvertes").status_code == 200  # the lock is free: built now


@pytest.mark.usefixtures("offer")
def test_files_of_another_version_are_built_again(client, open_data_dir):
    build.run_build(open_data_dir, TODAY)
    manifest = json.loads((open_data_dir / MANIFEST).read_text())
    (open_data_dir / MANIFEST).write_text(json.dumps({**manifest, "version": 0, "courses": 99}))
    assert read_manifest(open_data_dir) is None
    client.get("/donnees-ouvertes")
    assert read_manifest(open_data_dir).courses == 2


@pytest.mark.usefixtures("offer")
def test_the_command_builds_or_says_what_it_would_build(app, open_data_dir):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["opendata", "build", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: the files would hold 2 course(s), 1 operator(s) and 2 site(s)" in result.output
    assert "Files there now: none." in result.output
    assert not open_data_dir.exists() or not any(open_data_dir.iterdir())
    result = runner.invoke(args=["opendata", "build"])
    assert result.exit_code == 0 and result.output.startswith("open data of 2026-11-27: 2 course(s)")
    assert read_manifest(open_data_dir).courses == 2
    result = runner.invoke(args=["jobs", "run", "--only", "open_data", "--force"])
    assert result.exit_code == 0 and result.output.startswith("open_data: ok in ")


@pytest.mark.usefixtures("offer")
def test_operators_saving_during_a_build_leave_the_files_whole_and_consistent(app, open_data_dir, monkeypatch):
    """Another worker deletes a course and moves the other to a new site after the build's first
    query: PostgreSQL's build reads its snapshot (the offer as it was); SQLite's leaves out what
    changed (the next build has it). Either way the JSON imports back and the counts agree."""
    first_query = build.visible_offer

    def then_operators_save(today):
        offer = first_query(today)
        with Session(db.engine) as other:  # another worker's connection
            fixed = other.scalars(select(Course).where(Course.ref == "op-a-fixed")).one()
            other.execute(delete(Entry).where(Entry.course_id == fixed.id))
            other.execute(delete(Course).where(Course.id == fixed.id))
            rolling = other.scalars(select(Course).where(Course.ref == "op-a-rolling")).one()
            old = other.get(Site, rolling.site_id)
            new = Site(**{column.key: getattr(old, column.key) for column in Site.__table__.columns
                          if column.key != "id"})
            new.ref = "site-new"
            other.add(new)
            other.flush()
            other.execute(update(Course).where(Course.id == rolling.id).values(site_id=new.id))
            other.commit()
        return offer

    monkeypatch.setattr(build, "visible_offer", then_operators_save)
    summary = build.run_build(open_data_dir, TODAY)
    expected = ["op-a-fixed", "op-a-rolling"] if db.engine.dialect.name == "postgresql" else []
    assert csv_refs(open_data_dir) == expected, summary
    assert read_manifest(open_data_dir).courses == len(expected)
    document = json.loads((open_data_dir / "passerelle-offre.json").read_text(encoding="utf-8"))
    validate_document(document, get_gazetteer())  # every course's site is in the document
    monkeypatch.undo()
    build.run_build(open_data_dir, TODAY)  # the next build has the offer as it is now
    assert csv_refs(open_data_dir) == ["op-a-rolling"]
