#!/usr/bin/env python3
"""Bulk benchmark: one operator's courses exported and imported as CSV and XLSX (check only, a real
import that changes every course, and an unchanged re-import), on SQLite and PostgreSQL; then
hostile files: the workbook bombs (time and memory of the worker and of the child that reads them)
and the error report of files with thousands of problems (size of the page, time).

Goes through the same functions as the workspace pages (bulk_services), without HTTP, except the
error reports (the import page, through the WSGI app in-process). Prints figures; asserts nothing.

    .venv/bin/python bench/bulk.py                      # 500 and 3000 courses, sqlite + postgresql
    .venv/bin/python bench/bulk.py --sizes 200 --backends sqlite
    .venv/bin/python bench/bulk.py --hostile            # bombs and error reports only
    .venv/bin/python bench/bulk.py --hostile --in-process   # also each bomb read in the worker, as
                                                        # before the child process (minutes, GBs)
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.search import bench_app  # noqa: E402
from portal.bulk import files as bulk_files  # noqa: E402
from portal.bulk import reader as bulk_reader
from portal.bulk.queries import operator_rows  # noqa: E402
from portal.bulk.services import import_operator_file  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.models import Operator  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402
from tests import bombs  # noqa: E402

TODAY = dt.date(2026, 11, 27)
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/passerelle_bench_bulk"


def document(size: int) -> dict:
    sites = [{"ref": f"bench-site-{i}", "postal_code": code, "locality": None}
             for i, code in enumerate(("5000", "5100", "5030", "4000", "6000"))]
    courses = []
    for i in range(size):
        courses.append({
            "ref": f"bench-course-{i}", "site": sites[i % len(sites)]["ref"], "title": f"Français oral {i}",
            "kind": ("fle", "alpha_nf", "alpha_fr", "ran")[i % 4], "level_min": "A1", "level_max": "A2",
            "days": ["mon", "thu"], "parts_of_day": ["morning"], "cost_eur": 0, "entry_mode": "fixed",
            "entries": [{"start": (TODAY + dt.timedelta(days=7 + i % 60)).isoformat(), "status": "open"}],
        })
    return {"format": "passerelle-offer/1", "operators": [
        {"ref": "bench-op", "name": "Opérateur de mesure", "kind": "asbl", "sites": sites, "courses": courses}]}




def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    return result, elapsed, label


def run(url: str, backend: str, size: int) -> None:
    app = bench_app(url)
    with app.test_request_context("/?lang=en"):
        db.drop_all()
        db.create_all()
        import_offer(document(size), get_gazetteer(), TODAY)
        operator = db.session.scalar(select(Operator).where(Operator.ref == "bench-op"))
        figures = []
        rows, seconds, _ = timed("rows", operator_rows, operator)
        csv_data, csv_seconds, _ = timed("csv", bulk_files.csv_bytes, rows)
        figures.append(("export CSV", seconds + csv_seconds, len(csv_data)))
        xlsx_data, xlsx_seconds, _ = timed("xlsx", bulk_files.xlsx_bytes, rows, "cours")
        figures.append(("export XLSX", seconds + xlsx_seconds, len(xlsx_data)))
        changed = csv_data.replace(b"Fran\xc3\xa7ais oral", b"Fran\xc3\xa7ais oral et \xc3\xa9crit")
        # The workbook was exported before the titles changed: importing it is overwriting newer changes.
        for label, name, data, check in (("check CSV (every course changed)", "c.csv", changed, True),
                                         ("import CSV (every course changed)", "c.csv", changed, False),
                                         ("import CSV again (unchanged)", "c.csv", changed, False),
                                         ("import XLSX (title back, overwrite)", "c.xlsx", xlsx_data, False)):
            outcome, elapsed, _ = timed(label, import_operator_file, operator, name, data, TODAY,
                                        check_only=check, overwrite=name.endswith(".xlsx"))
            assert not outcome.problems, outcome.problems[:3]
            counts = outcome.summary.courses if outcome.summary else None
            figures.append((label, elapsed, f"{counts.created}/{counts.updated}/{counts.unchanged}"
                            if counts else ""))
        for label, elapsed, extra in figures:
            rate = size / elapsed if elapsed else 0
            print(f"{backend:10} {size:6} {label:38} {elapsed * 1000:9.0f} ms {rate:9.0f} courses/s  {extra}")
        db.session.remove()
        db.engine.dispose()


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def measure_bomb(name: str, in_process: bool) -> None:
    """(Run in a fresh interpreter.) Read one bomb as the import page does, or in this process as
    before the child process; print the figures as JSON."""
    data = bombs.BOMBS[name]()
    app = bench_app("sqlite://")
    with app.test_request_context("/?lang=en"):
        worker_before = _peak_mb()
        started = time.perf_counter()
        if in_process:
            answer = bulk_reader.read("xlsx", data, bulk_files._LIMITS)
            outcome = answer.get("refused", f"{len(answer.get('rows', []))} rows read")
        else:
            try:
                bulk_files.read_upload("xlsx", data)
                outcome = "read"
            except bulk_files.FileRefused as refused:
                outcome = refused.problems[0].message[:40] + "…"
        elapsed = time.perf_counter() - started
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(json.dumps({"bomb": name, "bytes": len(data), "seconds": elapsed, "outcome": outcome,
                          "worker_peak_mb": _peak_mb(), "worker_before_mb": worker_before,
                          "child_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
                          "child_cpu_s": child.ru_utime + child.ru_stime}))


def bombs_report(in_process: bool) -> None:
    for mode in (("worker", "child") if in_process else ("child",)):
        for name in bombs.BOMBS:
            extra = ["--in-process"] if mode == "worker" else []
            command = [sys.executable, __file__, "--measure-bomb", name, *extra]
            found = json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)
            print(f"bomb {name:20} {found['bytes']:8,} B read in the {mode:6} {found['seconds']:6.1f} s  "
                  f"worker peak {found['worker_peak_mb']:6.0f} MB (before {found['worker_before_mb']:4.0f})  "
                  f"child peak {found['child_peak_mb']:5.0f} MB, cpu {found['child_cpu_s']:5.1f} s  "
                  f"→ {found['outcome']}")


def error_reports() -> None:
    """The import page's answer to files with thousands of problems: status, size, time."""
    from portal.accounts.services import create_user

    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(f"sqlite:///{folder}/bench.db", WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False,
                      RATELIMIT_ENABLED=False, IMPORT_LOCK_FILE=f"{folder}/import.lock")
        with app.app_context():
            db.create_all()
            import_offer(document(10), get_gazetteer(), TODAY)
            create_user("bench@example.org", "benchmark password", "operator", operator_ref="bench-op")
            client = app.test_client()
            client.post("/connexion", data={"email": "bench@example.org", "password": "benchmark password"})
            header = "site,title,kind,level_min,level_max,entry_mode"
            rows = [f",bench-site-0,Cours {n},fle,Z9,A2,rolling,,mun,peut-être" for n in range(5000)]
            files = {
                "CSV, 330,000 columns named x": ("c.csv", (header + "," + ",".join(["x"] * 330_000)
                                                           + "\n,bench-site-0,T,fle,A1,A2,rolling\n").encode()),
                "CSV, 5,000 rows of 3 problems": ("c.csv", "\n".join(
                    [header + ",entries,days,job_oriented", *rows]).encode()),
                "JSON, 1.5 M empty operators": ("o.json", ('{"format": "passerelle-offer/1", "operators": ['
                                                          + ",".join(["{}"] * 1_500_000) + "]}").encode()),
            }
            for label, (name, content) in files.items():
                boundary, body = _multipart(name, content)
                started = time.perf_counter()
                response = client.post("/espace/organismes/bench-op/import?lang=en", data=body,
                                       content_type=f"multipart/form-data; boundary={boundary}")
                elapsed = time.perf_counter() - started
                print(f"report {label:32} {len(content):10,} B → {response.status_code}, page "
                      f"{len(response.data):12,} B in {elapsed:6.2f} s")
            db.session.remove()
            db.engine.dispose()


def _multipart(name: str, content: bytes):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    return encode_multipart({"file": FileStorage(io.BytesIO(content), filename=name)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,3000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--hostile", action="store_true", help="only the bombs and the error reports")
    parser.add_argument("--in-process", action="store_true", help="also read each bomb in the worker, as before")
    parser.add_argument("--measure-bomb", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_bomb:
        measure_bomb(args.measure_bomb, args.in_process)
        return
    if args.hostile:
        bombs_report(args.in_process)
        error_reports()
        return
    for backend in args.backends.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    run(f"sqlite:///{folder}/bench.db", backend, size)
            else:
                url = os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
                server = make_url(url).set(database="postgres")
                engine = create_engine(server, isolation_level="AUTOCOMMIT")
                with engine.connect() as connection:
                    name = make_url(url).database
                    exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
                    if not exists.scalar():
                        connection.execute(text(f'CREATE DATABASE "{name}"'))
                engine.dispose()
                run(url.replace("postgresql://", "postgresql+psycopg://", 1), backend, size)


if __name__ == "__main__":
    main()
