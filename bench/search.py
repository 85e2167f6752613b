#!/usr/bin/env python3
"""Search benchmark: synthetic offers of 1k, 10k and 100k courses spread over Wallonia, imported
through the real import, then a mix of realistic API searches timed next to /healthz (a trivial
endpoint doing one query) in the same run, on SQLite and PostgreSQL.

Requests go through the WSGI app in-process (Flask's test client): routing, parsing, the query,
serialisation — everything but the network. Prints figures; asserts nothing.

    .venv/bin/python bench/search.py                       # 1k,10k,100k on sqlite + postgresql
    .venv/bin/python bench/search.py --sizes 1000 --backends sqlite --rounds 50
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench,
created if missing).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.config import Config, _normalise_database_url  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer import codes  # noqa: E402
from portal.offer.models import Course  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402

TODAY = dt.date(2026, 11, 27)
TITLE_WORDS = ["Français", "oral", "écrit", "débutant", "quotidien", "emploi", "lecture", "conversation",
               "calcul", "citoyenneté", "soir", "intensif", "atelier", "métier", "remise à niveau"]
# Descriptions draw from a larger vocabulary with a few very common words, as real texts do.
DESCRIPTION_WORDS = TITLE_WORDS + [f"mot{i}" for i in range(400)]
DESCRIPTION_WEIGHTS = [1 / (rank + 1) for rank in range(len(DESCRIPTION_WORDS))]


def synthetic_offer(size: int, seed: int = 7) -> dict:
    """``size`` courses, 40 per operator, 4 sites per operator, at random Walloon postal codes."""
    rng = random.Random(seed)
    gazetteer = get_gazetteer()
    postal_codes = sorted(gazetteer.postal_codes)
    operators = []
    for o in range(max(1, size // 40)):
        sites = []
        for s in range(4):
            pc = gazetteer.postal_codes[rng.choice(postal_codes)]
            loc = rng.choice(pc.localities)
            sites.append({"ref": f"b-op{o}-s{s}", "postal_code": pc.code, "locality": loc.name,
                          "lat": round(loc.lat + rng.uniform(-0.01, 0.01), 5),
                          "lon": round(loc.lon + rng.uniform(-0.01, 0.01), 5)})
        courses = []
        for c in range(min(40, size - o * 40)):
            lo = rng.randrange(len(codes.LEVELS))
            hi = min(len(codes.LEVELS) - 1, lo + rng.randrange(3))
            rolling = rng.random() < 0.4
            course = {
                "ref": f"b-op{o}-c{c}", "site": sites[c % 4]["ref"],
                "title": " ".join(rng.sample(TITLE_WORDS, 3)), "kind": rng.choice(codes.COURSE_KINDS),
                "level_min": codes.LEVELS[lo], "level_max": codes.LEVELS[hi],
                "description": " ".join(rng.choices(DESCRIPTION_WORDS, DESCRIPTION_WEIGHTS, k=25)),
                "days": rng.sample(codes.DAYS[:6], rng.randint(1, 4)),
                "parts_of_day": rng.sample(codes.PARTS_OF_DAY, rng.randint(1, 2)),
                "cost_eur": rng.choice([0, 0, 0, 25, 75]), "childcare": rng.random() < 0.3,
                "job_oriented": rng.random() < 0.2,
                "sectors": rng.sample(codes.SECTORS, 1) if rng.random() < 0.2 else [],
                "audiences": ["all"] if rng.random() < 0.7 else [rng.choice(codes.AUDIENCES)],
                "entry_mode": "rolling" if rolling else "fixed",
                "confirmed_at": (TODAY - dt.timedelta(days=rng.randint(0, 400))).isoformat(),
                "status": rng.choice(["published"] * 9 + ["draft"]),
            }
            if rolling:
                course["active_from"] = (TODAY + dt.timedelta(days=rng.randint(-200, 90))).isoformat()
                if rng.random() < 0.5:
                    course["active_until"] = (TODAY + dt.timedelta(days=rng.randint(100, 400))).isoformat()
            else:
                course["entries"] = [
                    {"start": (TODAY + dt.timedelta(days=rng.randint(-90, 300))).isoformat(),
                     "status": rng.choice(["open", "open", "waiting_list", "full"])}
                    for _ in range(rng.randint(1, 3))
                ]
            courses.append(course)
        operators.append({"ref": f"b-op{o}", "name": f"Opérateur {o} (bench)", "kind": "asbl",
                          "sites": sites, "courses": courses})
    return {"format": "passerelle-offer/1", "operators": operators}


def search_mix(rng: random.Random) -> list[tuple[str, str]]:
    """Realistic searches: (label, query string)."""
    gazetteer = get_gazetteer()
    pcs = sorted(gazetteer.postal_codes)
    communes = sorted(c.name for c in gazetteer.communes.values())
    until = (TODAY + dt.timedelta(days=90)).isoformat()
    mix = []
    for _ in range(20):
        level = rng.choice(codes.LEVELS)
        mix += [
            ("level+near+radius+dates",
             f"level={level}&near={rng.choice(pcs)}&radius_km={rng.choice([10, 15, 25])}&start_until={until}"),
            ("kind+level+near+radius+evening",
             f"kind=fle,alpha_nf&level={level}&near={rng.choice(communes)}&radius_km=25&part_of_day=evening"),
            ("near, nearest first", f"near={rng.choice(pcs)}&level={level}"),
            ("text", f"q={rng.choice(['francais', 'oral debutant', 'metier', 'conversation soir'])}"),
            ("bassin+level", f"bassin={rng.choice(gazetteer.bassins)}&level={level}"),
            ("all, next entry", f"page={rng.randint(1, 3)}"),
        ]
    return mix


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_app(url: str, **settings):
    """The portal on database ``url`` with today fixed at TODAY (every benchmark's application);
    ``settings`` override the configuration."""
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        PASSERELLE_TODAY = TODAY.isoformat()
        SECRET_KEY = "bench"

    for name, value in settings.items():
        setattr(BenchConfig, name, value)
    return create_app(BenchConfig)


def analyse(backend: str) -> None:
    """What autovacuum does on a live server: statistics (and PostgreSQL's visibility map)."""
    if backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))


def database_urls(backends) -> Iterator[tuple[str, str]]:
    """(backend, address) of each backend asked: SQLite in a temporary folder (removed after),
    PostgreSQL at BENCH_DATABASE_URL when it answers (else it says so and is skipped)."""
    for backend in backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                yield "sqlite", f"sqlite:///{tmp}/bench.db"
        elif backend == "postgresql":
            url = postgres_url()
            if url:
                yield "postgresql", url


def offer_size() -> int:
    """Courses in the database (-1: no tables yet), to keep an offer of the right size."""
    try:
        return db.session.scalar(select(func.count()).select_from(Course)) or 0
    except Exception:  # noqa: BLE001 - no tables yet
        db.session.rollback()
        return -1


def run(backend: str, url: str, sizes: list[int], rounds: int) -> None:
    app = bench_app(url)
    client = app.test_client()
    for size in sizes:
        with app.app_context():
            db.drop_all()
            db.create_all()
            document = synthetic_offer(size)
            started = time.perf_counter()
            import_offer(document, get_gazetteer(), TODAY)
            import_s = time.perf_counter() - started
            analyse(backend)
        rng = random.Random(size)
        mix = search_mix(rng)
        for _, query in mix[:12]:  # warm caches (and compute today's next starts once)
            client.get(f"/api/v1/courses?{query}")
        if backend == "postgresql":
            # What autovacuum does on a live server after the daily update of next starts.
            with app.app_context(), db.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        by_label: dict[str, list[float]] = {}
        all_search: list[float] = []
        trivial: list[float] = []
        for _ in range(rounds):
            for label, query in mix:
                t0 = time.perf_counter()
                response = client.get(f"/api/v1/courses?{query}")
                elapsed = (time.perf_counter() - t0) * 1000
                assert response.status_code == 200, (query, response.get_json())
                by_label.setdefault(label, []).append(elapsed)
                all_search.append(elapsed)
                t0 = time.perf_counter()
                client.get("/healthz")
                trivial.append((time.perf_counter() - t0) * 1000)
        print(f"\n{backend} — {size:,} courses (import {import_s:.1f} s, "
              f"{size / import_s:,.0f} courses/s)")
        print(f"  {'request':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
        print(f"  {'/healthz (trivial)':34} {len(trivial):5d} {statistics.median(trivial):8.2f} "
              f"{percentile(trivial, 0.95):8.2f}")
        for label, values in by_label.items():
            print(f"  {label:34} {len(values):5d} {statistics.median(values):8.2f} "
                  f"{percentile(values, 0.95):8.2f}")
        print(f"  {'ALL SEARCHES':34} {len(all_search):5d} {statistics.median(all_search):8.2f} "
              f"{percentile(all_search, 0.95):8.2f}")
        sys.stdout.flush()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def postgres_url() -> str | None:
    url = make_url(_normalise_database_url(os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/passerelle_bench")))
    try:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": url.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - report and skip
        print(f"PostgreSQL skipped: {exc}")
        return None
    return url.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 120-search mix")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Passerelle search benchmark — {os.cpu_count()} cores, today fixed at {TODAY}")
    for backend, url in database_urls(args.backends.split(",")):
        run(backend, url, sizes, args.rounds)


if __name__ == "__main__":
    main()
