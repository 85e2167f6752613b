"""Great-circle distance (geopy, mean Earth radius, 0.1 km) and bounding boxes."""
from __future__ import annotations

import random

import pytest
from geopy.distance import great_circle

from portal.geo.distance import bounding_box, distance_km, great_circle_km

NAMUR = (50.4669, 4.8675)
LIEGE = (50.6337, 5.5675)
ARLON = (49.6833, 5.8167)
TOURNAI = (50.6071, 3.3893)


def test_namur_liege_is_geopy_great_circle_rounded():
    expected = round(great_circle(NAMUR, LIEGE).km, 1)
    result = distance_km(*NAMUR, *LIEGE)
    assert result == expected
    assert result == 52.8  # the spot-check points of the gazetteer README
    assert result == round(result, 1)


@pytest.mark.parametrize("a, b", [(NAMUR, ARLON), (TOURNAI, LIEGE), (ARLON, TOURNAI)])
def test_distance_matches_geopy(a, b):
    assert distance_km(*a, *b) == round(great_circle(a, b).km, 1)


def test_great_circle_km_is_geopy_to_the_last_bit():
    """Not close: equal, so that a distance rounds to the same 0.1 km as geopy's everywhere."""
    rng = random.Random(7)
    for _ in range(20000):
        a = (rng.uniform(-89.9, 89.9), rng.uniform(-179.9, 179.9))
        b = (a[0] + rng.uniform(-3, 3), a[1] + rng.uniform(-3, 3)) if rng.random() < 0.8 else \
            (rng.uniform(-89.9, 89.9), rng.uniform(-179.9, 179.9))
        b = (max(-90.0, min(90.0, b[0])), max(-180.0, min(180.0, b[1])))
        assert great_circle_km(*a, *b) == great_circle(a, b).km, (a, b)


def test_distance_is_symmetric_and_zero_on_same_point():
    assert distance_km(*NAMUR, *LIEGE) == distance_km(*LIEGE, *NAMUR)
    assert distance_km(*NAMUR, *NAMUR) == 0.0


def test_distance_uses_mean_earth_radius_not_ellipsoid():
    """One degree of latitude: 111.2 km on the mean-radius sphere (geodesic would give 111.0-111.3
    depending on latitude)."""
    assert distance_km(50.0, 5.0, 51.0, 5.0) == 111.2


@pytest.mark.parametrize("centre", [NAMUR, ARLON, TOURNAI, (0.0, 0.0), (70.0, 20.0)])
@pytest.mark.parametrize("radius", [0.5, 5, 25, 100])
def test_bounding_box_holds_the_circle(centre, radius):
    box = bounding_box(*centre, radius)
    for bearing in range(0, 360, 15):
        point = great_circle(kilometers=radius).destination(centre, bearing)
        assert box.min_lat <= point.latitude <= box.max_lat, bearing
        assert box.min_lon <= point.longitude <= box.max_lon, bearing


@pytest.mark.parametrize("radius", [1, 10, 50])
def test_bounding_box_is_tight(radius):
    """Points 1 km beyond the radius north, south, east and west are outside the box."""
    box = bounding_box(*NAMUR, radius)
    north, east, south, west = (great_circle(kilometers=radius + 1).destination(NAMUR, b)
                                for b in (0, 90, 180, 270))
    assert north.latitude > box.max_lat
    assert south.latitude < box.min_lat
    assert east.longitude > box.max_lon
    assert west.longitude < box.min_lon


def test_bounding_box_holds_points_whose_rounded_distance_equals_radius():
    """A point at 24.96 km rounds to 25.0 km, so it is within a 25 km radius: the box keeps it."""
    box = bounding_box(*NAMUR, 25)
    for bearing in (0, 90, 180, 270):
        point = great_circle(kilometers=25.04).destination(NAMUR, bearing)
        assert distance_km(*NAMUR, point.latitude, point.longitude) == 25.0
        assert box.min_lat <= point.latitude <= box.max_lat
        assert box.min_lon <= point.longitude <= box.max_lon
