#!/usr/bin/env python3
"""Open data benchmark: the three files of bench/search.py's synthetic offer (imported through the
real import) built as the daily job builds them, on SQLite and PostgreSQL: the time of a build, the
Python memory it holds at its peak (a second build under tracemalloc, which is slower), each file's
size (and gzipped, as a web server could send it), and serving a file (a full GET and a
revalidation, through the WSGI app in-process). Prints figures; asserts nothing.

    .venv/bin/python bench/opendata.py                       # 10k, 100k on sqlite + postgresql
    .venv/bin/python bench/opendata.py --sizes 10000 --backends sqlite
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench).
"""
from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.search import TODAY, bench_app, database_urls, offer_size, synthetic_offer  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402
from portal.opendata.build import build_files  # noqa: E402
from portal.opendata.store import FILES, build_lock  # noqa: E402


def load(size: int, backend: str) -> None:
    if offer_size() == size:
        print(f"  (reusing the offer of {size:,} courses)")
        return
    db.drop_all()
    db.create_all()
    started = time.perf_counter()
    import_offer(synthetic_offer(size), get_gazetteer(), TODAY)
    print(f"  import of {size:,} courses: {time.perf_counter() - started:.1f} s")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))


def gzipped_size(path: Path) -> int:
    with path.open("rb") as handle:
        return len(gzip.compress(handle.read(), compresslevel=6))


def serve(client, directory: Path) -> None:
    for file in FILES:
        started = time.perf_counter()
        response = client.get(f"/donnees-ouvertes/{file.filename}")
        body = response.get_data()
        full_ms = (time.perf_counter() - started) * 1000
        response.close()
        started = time.perf_counter()
        again = client.get(f"/donnees-ouvertes/{file.filename}", headers={"If-None-Match": response.headers["ETag"]})
        again_ms = (time.perf_counter() - started) * 1000
        again.close()
        print(f"  GET {file.filename:26} {len(body) / 1e6:7.1f} MB in {full_ms:7.1f} ms; "
              f"revalidated: {again.status_code} in {again_ms:.1f} ms")


def run(backend: str, url: str, sizes: list[int]) -> None:
    directory = Path(tempfile.mkdtemp(prefix="passerelle-bench-open-data-"))

    app = bench_app(url, PUBLIC_URL="https://passerelle.example.org", OPEN_DATA_DIR=str(directory))
    try:
        for size in sizes:
            print(f"\n{backend} — {size:,} courses")
            with app.app_context():
                load(size, backend)
                db.session.remove()
            with app.app_context(), build_lock(directory):
                manifest = build_files(directory, TODAY)
                db.session.remove()
            rate = manifest.courses / manifest.seconds
            print(f"  build: {manifest.seconds:.1f} s ({manifest.courses:,} visible courses of {size:,}, "
                  f"{manifest.operators:,} operators, {manifest.sites:,} sites; {rate:,.0f} courses/s)")
            with app.app_context(), build_lock(directory):
                tracemalloc.start()
                build_files(directory, TODAY)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                db.session.remove()
            print(f"  Python memory at the build's peak (tracemalloc): {peak / 1e6:.1f} MB")
            for file in FILES:
                path = directory / file.filename
                print(f"  {file.filename:26} {path.stat().st_size / 1e6:7.1f} MB, "
                      f"gzipped {gzipped_size(path) / 1e6:6.1f} MB")
            serve(app.test_client(), directory)
            sys.stdout.flush()
        with app.app_context():
            db.drop_all()
            db.engine.dispose()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10_000, 100_000])
    parser.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    args = parser.parse_args()
    for backend, url in database_urls(args.backends):
        run(backend, url, args.sizes)


if __name__ == "__main__":
    main()
