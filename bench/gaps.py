#!/usr/bin/env python3
"""Gap table benchmark: GET /api/v1/cadastre/gaps for the 261 communes on bench/search.py's
synthetic offers (1k, 10k, 100k courses, imported through the real import), timed next to
/healthz in the same run, on SQLite and PostgreSQL.

Each request goes through the WSGI app in-process (routing, parsing, the query, the nearest
course of each commune, JSON). Timed twice: before the daily job has computed today's next starts
(the query then applies the rule itself) and after it (the usual case). Then, for one request, where
the time goes (SQL, grid, JSON) and the plain plan (every commune × every distinct site with
domain.md's distance) on the same points, checked to give the same table. Prints figures; asserts
nothing.

    .venv/bin/python bench/gaps.py                                  # 1k,10k,100k on sqlite + postgresql
    .venv/bin/python bench/gaps.py --sizes 1000,10000 --backends sqlite --rounds 3
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/passerelle_bench,
created if missing).
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.search import TODAY, analyse, bench_app, offer_size, percentile, postgres_url, synthetic_offer  # noqa: E402
from portal.cadastre.gaps import GapQuery, considered_points, gap_table  # noqa: E402
from portal.cadastre.nearest import NearestPoints, nearest_naive  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.geo.gazetteer import get_gazetteer  # noqa: E402
from portal.offer import codes  # noqa: E402
from portal.offer.derived import refresh_next_starts  # noqa: E402
from portal.offer.models import SearchState  # noqa: E402
from portal.offer.services import import_offer  # noqa: E402


def request_mix() -> list[tuple[str, str]]:
    """(label, query string): every kind × level, each kind alone, several kinds, bassin and
    min_km, the CSV."""
    mix = [("one kind + level", f"kind={kind}&level={level}")
           for kind in codes.COURSE_KINDS for level in codes.LEVELS]
    mix += [("one kind", f"kind={kind}") for kind in codes.COURSE_KINDS]
    mix += [("several kinds", "kind=alpha_fr,alpha_nf&level=alpha"), ("several kinds", "kind=fle,ran&level=B1"),
            ("several kinds", "kind=" + ",".join(codes.COURSE_KINDS))]
    mix += [("bassin + min_km", f"kind=fle&level=B1&bassin={bassin}&min_km=20")
            for bassin in ("Luxembourg", "Namur", "Communaute germanophone")]
    mix += [("min_km, all communes", "kind=fle&level=B1&min_km=0")]
    return [(label, f"/api/v1/cadastre/gaps?{query}") for label, query in mix] + [
        ("CSV", "/api/v1/cadastre/gaps.csv?kind=fle&level=B1"),
        ("CSV", "/api/v1/cadastre/gaps.csv?kind=" + ",".join(codes.COURSE_KINDS))]




def build(size: int, backend: str, reuse: bool) -> None:
    if reuse and offer_size() == size:
        print(f"  (reusing the offer of {size:,} courses)")
    else:
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        import_offer(synthetic_offer(size), get_gazetteer(), TODAY)
        print(f"  import of {size:,} courses: {time.perf_counter() - started:.1f} s")
    # As before the daily job's first run today: next starts not known to be current.
    db.session.execute(SearchState.__table__.delete())
    db.session.commit()
    analyse(backend)


def time_mix(client, mix: list[tuple[str, str]], rounds: int) -> tuple[dict[str, list[float]], list[float]]:
    by_label: dict[str, list[float]] = {}
    trivial: list[float] = []
    for _ in range(rounds):
        for label, url in mix:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
            by_label.setdefault(label, []).append(elapsed)
            started = time.perf_counter()
            client.get("/healthz")
            trivial.append((time.perf_counter() - started) * 1000)
    return by_label, trivial


def line(label: str, values: list[float]) -> str:
    return f"  {label:34} {len(values):5d} {statistics.median(values):8.2f} {percentile(values, 0.95):8.2f}"


def report(title: str, by_label: dict[str, list[float]], trivial: list[float]) -> None:
    print(f"  {title}")
    print(f"  {'request':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    print(line("/healthz (trivial)", trivial))
    for label, values in by_label.items():
        print(line(label, values))
    print(line("ALL GAP TABLES", [v for values in by_label.values() for v in values]))
    sys.stdout.flush()


def breakdown(query: GapQuery) -> None:
    """Where one request's time goes, and the plain plan on the same points."""
    gazetteer = get_gazetteer()
    started = time.perf_counter()
    points, considered = considered_points(query, TODAY)
    sql_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    index = NearestPoints(points)
    grid = [index.nearest(c.lat, c.lon) for c in gazetteer.communes.values()]
    grid_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    plain = [nearest_naive(points, c.lat, c.lon) for c in gazetteer.communes.values()]
    plain_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    gap_table(query, gazetteer, TODAY)
    total_ms = (time.perf_counter() - started) * 1000
    kinds = ",".join(query.kinds) + (f" {query.level}" if query.level else "")
    print(f"  breakdown, kind={kinds}: {considered:,} courses considered at {len(points):,} distinct points;"
          f" SQL {sql_ms:.1f} ms, grid (build + 261 nearest) {grid_ms:.1f} ms, gap_table {total_ms:.1f} ms;"
          f" plain plan (261 × {len(points):,} distances) {plain_ms:,.0f} ms; same answers: "
          f"{'yes' if grid == plain else 'NO'}")
    sys.stdout.flush()


def run(backend: str, url: str, size: int, rounds: int, reuse: bool, freeze_gc: bool = False) -> None:
    app = bench_app(url)
    client = app.test_client()
    print(f"\n{backend} — {size:,} courses")
    with app.app_context():
        build(size, backend, reuse)
    mix = request_mix()
    for _, request_url in mix[:6]:  # connection, caches, the gazetteer
        client.get(request_url)
    if freeze_gc:  # what a server could do once started: the garbage collector's full passes skip it all
        gc.freeze()
    report("before the daily job (the next entry rule computed in the query)", *time_mix(client, mix, 1))
    with app.app_context():
        refresh_next_starts(TODAY)
        analyse(backend)
    report("after the daily job (Course.next_start)", *time_mix(client, mix, rounds))
    with app.app_context():
        breakdown(GapQuery(("fle",), "B1"))
        breakdown(GapQuery(codes.COURSE_KINDS))
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 37-request mix")
    parser.add_argument("--sqlite-dir", default="", help="keep the SQLite offers here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="keep an offer of the right size already there")
    parser.add_argument("--freeze-gc", action="store_true", help="gc.freeze() after the warm-up (an experiment)")
    args = parser.parse_args()
    print(f"Passerelle gap table benchmark — {os.cpu_count()} cores, today fixed at {TODAY}")
    for backend in args.backends.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    directory = Path(args.sqlite_dir or tmp)
                    directory.mkdir(parents=True, exist_ok=True)
                    run("sqlite", f"sqlite:///{directory / f'gaps-{size}.db'}", size, args.rounds, args.reuse,
                        args.freeze_gc)
            elif backend == "postgresql":
                url = postgres_url()
                if url:
                    run("postgresql", url, size, args.rounds, args.reuse, args.freeze_gc)


if __name__ == "__main__":
    main()
