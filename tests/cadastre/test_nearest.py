"""The grid's nearest point equals the plain definition (every point's rounded distance, the
smallest, then the lowest ref) on random point sets, fixed seeds; and on ties built on purpose."""
from __future__ import annotations

import random

import pytest
from geopy.distance import great_circle

from portal.cadastre.nearest import NearestPoints, Point, nearest_naive
from portal.geo.distance import distance_km
from portal.geo.gazetteer import get_gazetteer

# Wallonia's extent, a little wider.
SOUTH, NORTH, WEST, EAST = 49.45, 50.85, 2.8, 6.45


def communes() -> list[tuple[float, float]]:
    return [(c.lat, c.lon) for c in get_gazetteer().communes.values()]


def uniform(rng: random.Random, n: int) -> list[Point]:
    return [Point(rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST), f"r{rng.randrange(10**6):06d}")
            for _ in range(n)]


def clustered(rng: random.Random, n: int) -> list[Point]:
    """Points around a few towns (a few metres to a few km apart), many on the very same spot."""
    towns = rng.sample(communes(), 4)
    points = []
    for _ in range(n):
        lat, lon = rng.choice(towns)
        if rng.random() < 0.3:  # the town's own point: same coordinates, several refs
            points.append(Point(lat, lon, f"c{rng.randrange(1000):03d}"))
        else:
            spread = rng.choice([0.0001, 0.01, 0.05])
            points.append(Point(lat + rng.gauss(0, spread), lon + rng.gauss(0, spread), f"c{rng.randrange(1000):03d}"))
    return points


def grid_aligned(rng: random.Random, n: int) -> list[Point]:
    """Points on cell borders (multiples of the cell size) and on a coarse lattice: many equal distances."""
    return [Point(round(rng.uniform(SOUTH, NORTH) / 0.05) * 0.05, round(rng.uniform(WEST, EAST) / 0.08) * 0.08,
                  rng.choice("abcdef")) for _ in range(n)]


SETS = [(kind, n, seed) for kind in (uniform, clustered, grid_aligned)
        for n in (1, 2, 7, 60, 400, 1500) for seed in (1, 2)]


@pytest.mark.parametrize(("make", "n", "seed"), SETS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_the_grid_answers_as_the_plain_definition(make, n, seed):
    rng = random.Random(f"{make.__name__}-{n}-{seed}")
    points = make(rng, n)
    index = NearestPoints(points)
    # Every commune against the small sets; 100 of them against the large ones (the plain
    # definition costs n distances a place).
    places = communes() if n < 100 else rng.sample(communes(), 100)
    places += [(rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)) for _ in range(40)]
    places += [(p.lat, p.lon) for p in rng.sample(points, min(20, n))]  # on a point: 0.0 km
    for lat, lon in places:
        assert index.nearest(lat, lon) == nearest_naive(points, lat, lon), (lat, lon)


def test_no_point_no_nearest():
    assert NearestPoints([]).nearest(50.5, 4.8) is None
    assert nearest_naive([], 50.5, 4.8) is None


def at(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    destination = great_circle(kilometers=km).destination((lat, lon), bearing)
    return destination.latitude, destination.longitude


@pytest.mark.parametrize("far_km", [10.04, 10.049])
def test_ties_on_the_rounded_distance_go_to_the_lowest_ref(far_km):
    namur = (50.4669, 4.8675)
    far, near = at(*namur, far_km, 0), at(*namur, 10.01, 180)
    points = [Point(*near, "z-near"), Point(*far, "a-far")]
    assert distance_km(*namur, *far) == distance_km(*namur, *near) == 10.0
    found = NearestPoints(points).nearest(*namur)
    assert (found.distance_km, found.ref) == (10.0, "a-far")


def test_a_tenth_further_is_not_a_tie():
    namur = (50.4669, 4.8675)
    points = [Point(*at(*namur, 10.051, 0), "a-far"), Point(*at(*namur, 10.049, 180), "z-near")]
    found = NearestPoints(points).nearest(*namur)
    assert (found.distance_km, found.ref) == (10.0, "z-near")


@pytest.mark.parametrize("km", [0.5, 1.0, 2.0, 5.0, 14.0, 55.0])
@pytest.mark.parametrize("others", [0, 50, 500])
def test_a_tie_across_a_box_edge_is_found(km, others):
    """The nearest point 0.04 km inside a circle, a lower ref 0.04 km outside it, in every
    direction; points far away change the size of the cells (hence of the first box)."""
    namur = (50.4669, 4.8675)
    rng = random.Random(others)
    far = [Point(rng.uniform(49.5, 49.8), rng.uniform(5.6, 6.3), "far") for _ in range(others)]
    for bearing in range(0, 360, 15):
        points = [Point(*at(*namur, km - 0.04, bearing), "b"), Point(*at(*namur, km + 0.04, bearing + 180), "a"), *far]
        found = NearestPoints(points).nearest(*namur)
        assert (found.distance_km, found.ref) == (km, "a"), bearing
