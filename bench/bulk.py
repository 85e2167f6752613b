#!/usr/bin/env python3
"""Bulk benchmark: one operator's courses exported and imported as CSV and XLSX (check only, a real
import that changes every course, and an unchanged re-import), on SQLite and PostgreSQL.

Goes through the same functions as the workspace pages (bulk_services), without HTTP. Prints
figures; asserts nothing.

    .venv/bin/python bench/bulk.py                      # 500 and 3000 courses, sqlite + postgresql
    .venv/bin/python bench/bulk.py --sizes 200 --backends sqlite
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.models import Operator  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402
from portal.workspace import bulk_files  # noqa: E402
from portal.workspace.bulk_services import import_operator_file, operator_rows  # noqa: E402

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


def app_for(url: str):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        PASSERELLE_TODAY = TODAY.isoformat()

    return create_app(BenchConfig)


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    return result, elapsed, label


def run(url: str, backend: str, size: int) -> None:
    app = app_for(url)
    with app.app_context():
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
        for label, name, data, check in (("check CSV (every course changed)", "c.csv", changed, True),
                                         ("import CSV (every course changed)", "c.csv", changed, False),
                                         ("import CSV again (unchanged)", "c.csv", changed, False),
                                         ("import XLSX (title back)", "c.xlsx", xlsx_data, False)):
            outcome, elapsed, _ = timed(label, import_operator_file, operator, name, data, TODAY,
                                        check_only=check)
            assert not outcome.problems, outcome.problems[:3]
            counts = outcome.summary.courses if outcome.summary else None
            figures.append((label, elapsed, f"{counts.created}/{counts.updated}/{counts.unchanged}"
                            if counts else ""))
        for label, elapsed, extra in figures:
            rate = size / elapsed if elapsed else 0
            print(f"{backend:10} {size:6} {label:38} {elapsed * 1000:9.0f} ms {rate:9.0f} courses/s  {extra}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,3000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
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
