"""A worker killed in the middle of an import (issue 13, item 4): ``flask offer import`` of 2,500
courses is killed (SIGKILL, nothing of Python runs after it) once it has written 1,000 of them in
its transaction; the database then holds exactly what it held before, whole (SQLite rolls the hot
journal back at the next open; PostgreSQL ends the dead connection's transaction), and the same
import run again goes through."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from portal.config import BASE_DIR
from portal.extensions import db
from portal.offer.models import Course
from portal.offer.services import export_offer
from tests import factories as f
from tests.conftest import _postgres_url, make_app

COURSES = 2500


def big_document() -> dict:
    courses = [f.course(f"many-{number}", "site-a", title=f"Cours {number}") for number in range(COURSES)]
    return f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=courses))


def import_process(url: str, path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="test", PASSERELLE_ENV="development")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "offer", "import", str(path)],
                            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_after_first_thousand(process: subprocess.Popen) -> bytes:
    """SIGKILL the import once it says it wrote 1,000 courses (still inside its transaction)."""
    seen, deadline = b"", time.monotonic() + 120
    while b"1000/" not in seen:
        assert time.monotonic() < deadline and process.poll() is None, seen.decode(errors="replace")[-2000:]
        ready, _, _ = select.select([process.stderr], [], [], 1)
        if ready:
            seen += os.read(process.stderr.fileno(), 4096)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    return seen


@pytest.fixture()
def database(backend, app, app_context, tmp_path):
    """(address, application) of a database holding one course of operator A."""
    base = f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")],
                                 courses=[f.course("kept", "site-a")]))
    if backend == "postgresql":
        f.load(base)
        db.session.commit()
        yield _postgres_url(), app
        return
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    other = make_app(url)
    with other.app_context():
        db.create_all()
        f.load(base)
        db.session.remove()
        db.engine.dispose()
    yield url, other
    with other.app_context():
        db.engine.dispose()


def state(app) -> tuple[int, dict]:
    with app.app_context():
        db.session.expire_all()
        found = (db.session.scalar(sql_select(func.count()).select_from(Course)), export_offer())
        db.session.remove()
        return found


def test_a_killed_import_leaves_nothing_half_written(database, tmp_path):
    url, app = database
    path = tmp_path / "many.json"
    path.write_text(json.dumps(big_document()), encoding="utf-8")
    before = state(app)
    assert before[0] == 1
    said = kill_after_first_thousand(import_process(url, path))
    assert b"1000/2500 courses" in said
    assert state(app) == before  # nothing of the 1,000 written
    again = import_process(url, path)
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-2000:]
    assert state(app)[0] == 1 + COURSES
