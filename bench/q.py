#!/usr/bin/env python3
"""Free-text benchmark: the worst ``q`` we can think of, timed through the API next to /healthz.

The offer is bench/search.py's synthetic one (imported through the real import). Each case is ten
distinct words (api.md's cap): short common words that occur in almost every course, substrings
that match hundreds of vocabulary words, words that match nothing, and mixes; ``--long`` adds the
50-word searches of issue 8 (refused with a 400 since the cap). Prints p50 / p95 / max and the
answers' status codes; asserts nothing.

    .venv/bin/python bench/q.py                                  # 3k and 100k, sqlite + postgresql
    .venv/bin/python bench/q.py --sizes 3000 --backends sqlite --rounds 3
    .venv/bin/python bench/q.py --sqlite-dir /tmp/qbench --reuse # keep the offers between runs
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench,
created if missing).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.search import TODAY, bench_app, offer_size, percentile, postgres_url, synthetic_offer  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402

# Ten distinct words each. The synthetic texts: titles from bench/search.py's TITLE_WORDS,
# descriptions add "mot0"…"mot399", operators are "Opérateur N (bench)", sites real localities.
CASES = [
    ("common letters", "e a o r t u i n s l"),
    ("common pairs", "er ou at on re an ti ur en es"),
    ("digits", "1 2 3 4 5 6 7 8 9 0"),
    ("many vocabulary words", "mot mot1 mot2 mot3 ot ot1 ot2 t1 m 1"),
    ("nothing matches", "zzq qxw wxq kjz zjk qqv vqq xjx jxj wqz"),
    ("common + one unknown", "e a o r t u i n s zzq"),
    ("common + one rare", "e a o r t u i n s mot399"),
    ("pairs in every course", "op er at eu ur ra te pe be en"),
    ("mix", "francais e mot1 0 soir ur a bench niveau oral"),
]
LETTERS = "a b c d e f g h i j k l m n o p q r s t u v w x y z"
LONG_CASES = [
    ("50 short words", f"{LETTERS} 0 1 2 3 4 5 6 7 8 9 er ou at on re an ti ur en es in is ra ch"),
    ("45 short words", f"{LETTERS} 0 1 2 3 4 5 6 7 8 9 er ou at on re an ti ur en"),
    ("30 short words", f"{LETTERS} 0 1 2 3"),
]
VARIANTS = [("", "soonest first"), ("sort=title", "by title"), ("near=5000&radius_km=15", "near Namur, 15 km"),
            ("near=5000", "nearest first")]




def build(size: int, backend: str, reuse: bool) -> None:
    if reuse and offer_size() == size:
        print(f"  (reusing the offer of {size:,} courses)")
        return
    db.drop_all()
    db.create_all()
    started = time.perf_counter()
    import_offer(synthetic_offer(size), get_gazetteer(), TODAY)
    print(f"  import of {size:,} courses: {time.perf_counter() - started:.1f} s")
    if backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))


def run(backend: str, url: str, size: int, rounds: int, cases: list, reuse: bool) -> None:
    app = bench_app(url)
    client = app.test_client()
    print(f"\n{backend} — {size:,} courses")
    with app.app_context():
        build(size, backend, reuse)
    client.get("/api/v1/courses")  # today's next starts, connection, caches
    if backend == "postgresql":
        with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    print(f"  {'q':24} {'order':18} {'n':>3} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  answers")
    trivial: list[float] = []
    worst: list[float] = []
    for label, q in cases:
        for extra, order in VARIANTS:
            query = urlencode({"q": q}) + (f"&{extra}" if extra else "")
            times: list[float] = []
            statuses: Counter = Counter()
            total = None
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get(f"/api/v1/courses?{query}")
                times.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] += 1
                if response.status_code == 200:
                    total = response.get_json()["total"]
                started = time.perf_counter()
                client.get("/healthz")
                trivial.append((time.perf_counter() - started) * 1000)
            if not label.endswith("short words"):
                worst += times
            answers = ", ".join(f"{status}×{n}" for status, n in sorted(statuses.items()))
            found = f" ({total:,} found)" if total is not None else ""
            print(f"  {label:24} {order:18} {len(times):3d} {statistics.median(times):9.1f} "
                  f"{percentile(times, 0.95):9.1f} {max(times):9.1f}  {answers}{found}")
            sys.stdout.flush()
    print(f"  {'/healthz (trivial)':43} {len(trivial):3d} {statistics.median(trivial):9.2f} "
          f"{percentile(trivial, 0.95):9.2f} {max(trivial):9.2f}")
    if worst:
        print(f"  {'ALL 10-WORD SEARCHES':43} {len(worst):3d} {statistics.median(worst):9.1f} "
              f"{percentile(worst, 0.95):9.1f} {max(worst):9.1f}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="3000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5, help="times each search is asked")
    parser.add_argument("--long", action="store_true", help="also the 30-, 45- and 50-word searches")
    parser.add_argument("--only", default="", help="only the cases whose label contains this")
    parser.add_argument("--sqlite-dir", default="", help="keep the SQLite offers here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="keep an offer of the right size already there")
    args = parser.parse_args()
    cases = (LONG_CASES if args.long else []) + CASES
    cases = [case for case in cases if args.only in case[0]]
    print(f"Passerelle q benchmark — {os.cpu_count()} cores, today fixed at {TODAY}")
    for backend in args.backends.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    directory = Path(args.sqlite_dir or tmp)
                    directory.mkdir(parents=True, exist_ok=True)
                    run("sqlite", f"sqlite:///{directory / f'q-{size}.db'}", size, args.rounds, cases, args.reuse)
            elif backend == "postgresql":
                url = postgres_url()
                if url:
                    run("postgresql", url, size, args.rounds, cases, args.reuse)


if __name__ == "__main__":
    main()
