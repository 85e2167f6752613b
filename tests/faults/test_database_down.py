"""The database down under load (issue 13, item 4), on a throwaway PostgreSQL cluster this test
creates (initdb, pg_ctl; never the machine's shared server): readers keep asking for the API and the
search page while an importer rewrites 200 courses again and again; the server is stopped
("immediate": as if it crashed) then started again. Meanwhile every answer is a 200 or a 503 —
never a 500 — and once it is back the portal answers by itself (the pool tests its connections);
every import happened whole or not at all (the courses' titles all come from one import)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.models import Course
from portal.offer.services import import_offer
from tests import factories as f
from tests.conftest import TODAY, make_app

COURSES = 200


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own in a temporary folder (run as the postgres user when root)."""

    def __init__(self, bindir: str):
        self.bindir, self.port = bindir, _free_port()
        self.folder = tempfile.mkdtemp(prefix="passerelle-cluster-", dir="/tmp")
        self.data = os.path.join(self.folder, "data")
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *arguments: str) -> None:
        subprocess.run([*self.as_user, os.path.join(self.bindir, tool), *arguments], check=True,
                       capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.folder, "log"), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def crash(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        try:
            self.crash()
        except subprocess.CalledProcessError:
            pass  # not running
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/passerelle"


@pytest.fixture()
def cluster():
    bindir = _bindir()
    if bindir is None or shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) to make a throwaway cluster")
    made = Cluster(bindir)
    made.start()
    admin = create_engine(made.url.replace("/passerelle", "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE passerelle"))
    admin.dispose()
    yield made
    made.remove()


def document(run: int) -> dict:
    courses = [f.course(f"w-{number}", "site-a", title=f"Import {run}") for number in range(COURSES)]
    return f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=courses))


def test_the_database_down_under_load_gives_503s_then_comes_back_with_nothing_half_written(cluster):
    app = make_app(cluster.url, PUBLIC_QUERY_TIMEOUT_MS=2000)
    with app.app_context():
        db.create_all()
        import_offer(document(0), get_gazetteer(), TODAY)
        db.session.remove()
    stop, statuses, imports = threading.Event(), [], {"done": 0, "failed": 0}

    def reader(path: str) -> None:
        client = app.test_client()
        while not stop.is_set():
            response = client.get(path)
            statuses.append((time.monotonic(), response.status_code))
            time.sleep(0.02)

    def importer() -> None:
        run = 0
        with app.app_context():
            while not stop.is_set():
                run += 1
                try:
                    import_offer(document(run), get_gazetteer(), TODAY)
                    imports["done"] += 1
                except Exception:  # noqa: BLE001 - the database went away: this import did not happen
                    imports["failed"] += 1
                    db.session.remove()  # its connection is gone; the next import takes a new one
                    time.sleep(0.1)
            db.session.remove()

    threads = [threading.Thread(target=reader, args=(path,)) for path in ("/api/v1/courses?near=5000", "/?near=5000")]
    threads.append(threading.Thread(target=importer))
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        cluster.crash()
        down_at = time.monotonic()
        time.sleep(3)
        cluster.start()
        up_at = time.monotonic()
        time.sleep(6)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert {status for _at, status in statuses} <= {200, 503}, sorted({s for _a, s in statuses})
    assert any(status == 503 for at, status in statuses if down_at < at < up_at)
    settled = [status for at, status in statuses if at > up_at + 3]
    assert settled and set(settled) == {200}  # back by itself
    assert imports["done"] >= 2 and imports["failed"] >= 1, imports
    with app.app_context():
        titles = set(db.session.scalars(select(Course.title).where(Course.ref.like("w-%"))))
        count = len(db.session.scalars(select(Course.id).where(Course.ref.like("w-%"))).all())
        db.session.remove()
        db.engine.dispose()
    assert count == COURSES and len(titles) == 1, titles  # every import whole, or not at all
