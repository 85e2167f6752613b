#!/usr/bin/env python3
"""Cadastre benchmark: the coverage pages on the synthetic offers of bench/search.py (1k, 10k, 100k
courses at random Walloon postal codes, imported through the real import), timed next to /healthz
(one trivial query) in the same run, on SQLite and PostgreSQL.

Requests go through the WSGI app in-process (Flask's test client): routing, the queries, the
template — everything but the network. Timed: the public page for Wallonia and for each area, and
the coordinators' page as an admin (every operator of Wallonia, or of one bassin, with their
freshness), first counted at each request (CADASTRE_CACHE_SECONDS=0), then with the figures kept by
the worker (the default: only the page is drawn, and the operators counted). Prints figures;
asserts nothing.

    .venv/bin/python bench/cadastre.py                          # 10k on sqlite + postgresql
    .venv/bin/python bench/cadastre.py --sizes 1000,10000,100000 --backends sqlite --rounds 3
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench,
created if missing).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.search import TODAY, bench_app, database_urls, percentile, synthetic_offer  # noqa: E402
from portal.cadastre.kept import _KEPT as kept_figures  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402

ADMIN, PASSWORD, SECRET = "bench-admin@example.org", "bench password 12", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def signed_in_admin(app):
    """A test client signed in as an admin (through the sign-in page and its code page)."""
    from portal.accounts.services import create_user

    with app.app_context():
        user = create_user(ADMIN, PASSWORD, "admin")
        user.totp_secret = SECRET
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    response = client.post("/connexion", data={"email": ADMIN, "password": PASSWORD})
    response = client.post(response.headers["Location"], data={"code": pyotp.TOTP(SECRET).now()})
    assert response.status_code == 302 and "/espace" in response.headers["Location"], response.status_code
    return client


def requests() -> list[tuple[str, str]]:
    """(label, path) of one round."""
    areas = [f"/cadastre?area={quote(name)}" for name in get_gazetteer().bassins]
    return [("public, Wallonia", "/cadastre"), *[("public, one area", path) for path in areas],
            ("coordinators' page, Wallonia (admin)", "/espace/cadastre?area=wallonia"),
            ("coordinators' page, Namur (admin)", "/espace/cadastre?area=Namur")]


def measure(public, admin, rounds: int, mode: str) -> None:
    """Time each page of a round ``rounds`` times, each next to /healthz, and print the figures."""
    plan = requests()
    kept_figures.clear()  # another offer may have been counted under the same key
    for _, path in plan:  # warm caches
        (admin if path.startswith("/espace") else public).get(path)
    times: dict[str, list[float]] = {"/healthz (trivial)": []}
    size_kb: dict[str, float] = {}
    for _ in range(rounds):
        for label, path in plan:
            client = admin if path.startswith("/espace") else public
            started = time.perf_counter()
            response = client.get(path)
            times.setdefault(f"{label}, {mode}", []).append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            size_kb[f"{label}, {mode}"] = len(response.data) / 1024
            started = time.perf_counter()
            public.get("/healthz")
            times["/healthz (trivial)"].append((time.perf_counter() - started) * 1000)
    for label, values in times.items():
        print(f"  {label:48} {len(values):5d} {statistics.median(values):8.1f} "
              f"{percentile(values, 0.95):8.1f} {size_kb.get(label, 0):7.1f}")


def run(backend: str, url: str, sizes: list[int], rounds: int) -> None:
    # The bench signs in without reading the form.
    app = bench_app(url, SESSION_COOKIE_SECURE=False, WTF_CSRF_ENABLED=False)
    for size in sizes:
        with app.app_context():
            db.drop_all()
            db.create_all()
            import_offer(synthetic_offer(size), get_gazetteer(), TODAY)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))
        public, admin = app.test_client(), signed_in_admin(app)
        print(f"\n{backend} — {size:,} courses")
        print(f"  {'request':48} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}")
        for kept in (0, 300):  # counted at each request; then kept by the worker (the default)
            app.config["CADASTRE_CACHE_SECONDS"] = kept
            measure(public, admin, rounds, "kept" if kept else "counted")
        sys.stdout.flush()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 13 pages")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Passerelle cadastre benchmark — {os.cpu_count()} cores, today fixed at {TODAY}")
    for backend, url in database_urls(args.backends.split(",")):
        run(backend, url, sizes, args.rounds)


if __name__ == "__main__":
    main()
