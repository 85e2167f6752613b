#!/usr/bin/env python3
"""The guided route's end (``/trouver/resultats``): the deduced search counted, and widened until it
finds courses, on bench/search.py's synthetic offers, timed next to /healthz in the same run.

Prints, per size and backend: the route's end for random answers at random postal codes (p50, p95,
and how many counts it took), and its worst case: an answer set that finds nothing anywhere (every
try of ``widening.widen``). Asserts nothing.

    .venv/bin/python bench/guide.py                                 # 10k and 100k, SQLite
    .venv/bin/python bench/guide.py --sizes 100000 --backends sqlite postgresql
PostgreSQL: BENCH_GUIDE_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench_guide).
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from bench.search import TODAY, bench_app, percentile, synthetic_offer  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.guide import deduction  # noqa: E402
from portal.guide.widening import RADII_KM, Attempt, attempts, search_arguments  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402
from portal.search.filters import parse_filters  # noqa: E402
from portal.search.queries import count_courses  # noqa: E402

# Every wish: 8 sets of wishes, then 3 tries at any distance.
WISHING = deduction.Deduction(kinds=("alpha_fr",), level="C1", job_oriented=True, parts_of_day=("evening",),
                              childcare=True)


def answer_sets(rng: random.Random, count: int) -> list[dict[str, str]]:
    postal_codes = sorted(get_gazetteer().postal_codes)
    return [{"speak": rng.choice(deduction.SPEAK), "read": rng.choice(deduction.READ),
             "goal": rng.choice(deduction.GOALS), "near": rng.choice(postal_codes),
             "time": rng.choice(deduction.TIMES), "childcare": rng.choice(deduction.CHILDCARE)}
            for _ in range(count)]


def _load(size: int, backend: str) -> None:
    db.drop_all()
    db.create_all()
    import_offer(synthetic_offer(size), get_gazetteer(), TODAY)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))


def _worst_case(near: str) -> float:
    """What ``widening.widen`` does when no try finds a course (ms): a count at the widest distance for
    each set of wishes, then the counts at any distance (every kind has every level in this offer, so
    the tries are run whatever they find)."""
    started = time.perf_counter()
    groups = itertools.groupby(attempts(WISHING), key=lambda attempt: (attempt.dropped, attempt.radius_km is None))
    for (dropped, anywhere), _same in groups:
        args = search_arguments(WISHING, near, Attempt(dropped, None if anywhere else RADII_KM[-1]))
        count_courses(parse_filters(MultiDict(args), get_gazetteer(), TODAY))
    return (time.perf_counter() - started) * 1000


def run(backend: str, url: str, sizes: list[int], rounds: int) -> None:
    app = bench_app(url)
    client = app.test_client()
    counts: list[int] = []
    event_target = None
    for size in sizes:
        with app.app_context():
            _load(size, backend)
            event_target = db.engine

        def on_execute(conn, cursor, statement, *args):
            if statement.lower().lstrip().startswith("select count("):
                counts.append(1)

        event.listen(event_target, "before_cursor_execute", on_execute)
        rng = random.Random(size)
        sets = answer_sets(rng, 40)
        for answers in sets[:5]:  # warm caches
            client.get("/trouver/resultats?" + urlencode(answers))
        route, trivial, worst, taken = [], [], [], []
        for _ in range(rounds):
            for answers in sets:
                counts.clear()
                t0 = time.perf_counter()
                response = client.get("/trouver/resultats?" + urlencode(answers))
                route.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 303, response.status_code
                taken.append(len(counts))
                t0 = time.perf_counter()
                client.get("/healthz")
                trivial.append((time.perf_counter() - t0) * 1000)
        with app.app_context():
            for answers in sets[:10]:
                worst.append(_worst_case(answers["near"]))
        event.remove(event_target, "before_cursor_execute", on_execute)
        print(f"\n{backend} — {size:,} courses")
        print(f"  {'request':40} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
        for label, values in (("/healthz (trivial)", trivial), ("/trouver/resultats (random answers)", route),
                              ("worst case: nothing anywhere (11 counts)", worst)):
            print(f"  {label:40} {len(values):5d} {statistics.median(values):8.2f} {percentile(values, 0.95):8.2f}")
        print(f"  counts per route end: median {statistics.median(taken):.0f}, max {max(taken)}")
        sys.stdout.flush()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    for backend in options.backends:
        if backend == "sqlite":
            handle, path = tempfile.mkstemp(suffix=".db", prefix="passerelle-bench-guide-")
            os.close(handle)
            try:
                run(backend, f"sqlite:///{path}", options.sizes, options.rounds)
            finally:
                os.unlink(path)
        else:
            run(backend, os.environ.get("BENCH_GUIDE_DATABASE_URL",
                                        "postgresql://postgres@127.0.0.1:5432/passerelle_bench_guide"),
                options.sizes, options.rounds)


if __name__ == "__main__":
    main()
