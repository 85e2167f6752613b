"""The nearest of many points to a place, fast: a grid of cells (degrees) over the points, boxes
that grow until they hold the nearest point, then domain.md's distance on the few candidates.

Exactness: a box of radius r (``geo.distance.bounding_box``) holds every point within r km. Once
the nearest point of a box is at d ≤ r − TIE_MARGIN_KM, every point whose distance could round to
the same 0.1 km as the nearest one (d' < d + 0.1) is in the box; the unrounded formula below only
picks those few candidates, and ``distance_km`` (the project's rounded distance) with the lowest
ref decides among them. The cell size changes the speed, never the answer.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from portal.geo.distance import EARTH_RADIUS, BoundingBox, bounding_box, distance_km

# About 5.6 km by 5.6 km at Wallonia's latitude.
CELL_LAT = 0.05
CELL_LON = 0.08
FIRST_RADIUS_KM = 5.0
# Two distances that round to the same 0.1 km differ by less than 0.1 km; the rest covers the
# float noise between the unrounded formula here and geopy's.
TIE_MARGIN_KM = 0.1 + 1e-6
# Past this radius the box is the whole Earth: every point is a candidate.
WHOLE_EARTH_KM = math.pi * EARTH_RADIUS


@dataclass(frozen=True)
class Point:
    """A place courses are given at, with the lowest ref of its courses."""

    lat: float
    lon: float
    ref: str


@dataclass(frozen=True)
class Nearest:
    distance_km: float  # rounded to 0.1 km (domain.md)
    ref: str


class _Trig:
    """A position in radians with the sines and cosines the great-circle formula needs."""

    __slots__ = ("lon", "sin_lat", "cos_lat")

    def __init__(self, lat: float, lon: float) -> None:
        lat_rad = math.radians(lat)
        self.lon = math.radians(lon)
        self.sin_lat, self.cos_lat = math.sin(lat_rad), math.cos(lat_rad)


def _unrounded_km(a: _Trig, b: _Trig) -> float:
    """geopy's great_circle formula (atan2 form), without geopy's objects: for picking candidates."""
    dlon = b.lon - a.lon
    cos_dlon = math.cos(dlon)
    y1 = b.cos_lat * math.sin(dlon)
    y2 = a.cos_lat * b.sin_lat - a.sin_lat * b.cos_lat * cos_dlon
    x = a.sin_lat * b.sin_lat + a.cos_lat * b.cos_lat * cos_dlon
    return EARTH_RADIUS * math.atan2(math.sqrt(y1 * y1 + y2 * y2), x)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_LAT), math.floor(lon / CELL_LON)


class NearestPoints:
    """The points, by grid cell; ``nearest`` answers for one place."""

    def __init__(self, points: list[Point]) -> None:
        self.points = points
        self._trig = [_Trig(p.lat, p.lon) for p in points]
        self._cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, point in enumerate(points):
            self._cells[_cell(point.lat, point.lon)].append(index)
        rows = [cell[0] for cell in self._cells] or [0]
        columns = [cell[1] for cell in self._cells] or [0]
        self._extent = (min(rows), max(rows), min(columns), max(columns))

    def nearest(self, lat: float, lon: float) -> Nearest | None:
        """The rounded distance to the nearest point and, among points at that rounded distance,
        the lowest ref; None when there is no point."""
        if not self.points:
            return None
        here = _Trig(lat, lon)
        radius = FIRST_RADIUS_KM
        while True:
            indexes = self._in_box(bounding_box(lat, lon, radius)) if radius < WHOLE_EARTH_KM else \
                range(len(self.points))
            distances = [(_unrounded_km(here, self._trig[i]), i) for i in indexes]
            if distances:
                closest = min(distances)[0]
                if closest + TIE_MARGIN_KM <= radius or radius >= WHOLE_EARTH_KM:
                    return self._decide(lat, lon, closest, distances)
                radius = closest + TIE_MARGIN_KM
            else:
                radius *= 2

    def _in_box(self, box: BoundingBox) -> list[int]:
        """The points of every cell the box touches (the box clipped to the points' extent)."""
        low_row, low_column = _cell(box.min_lat, box.min_lon)
        high_row, high_column = _cell(box.max_lat, box.max_lon)
        min_row, max_row, min_column, max_column = self._extent
        found: list[int] = []
        for row in range(max(low_row, min_row), min(high_row, max_row) + 1):
            for column in range(max(low_column, min_column), min(high_column, max_column) + 1):
                found += self._cells.get((row, column), ())
        return found

    def _decide(self, lat: float, lon: float, closest: float, distances: list[tuple[float, int]]) -> Nearest:
        """domain.md's rounded distance over the candidates; the lowest ref among the nearest."""
        candidates = (self.points[i] for d, i in distances if d <= closest + TIE_MARGIN_KM)
        distance, ref = min((distance_km(lat, lon, p.lat, p.lon), p.ref) for p in candidates)
        return Nearest(distance, ref)


def nearest_naive(points: list[Point], lat: float, lon: float) -> Nearest | None:
    """Every point's rounded distance, the smallest (then the lowest ref): the plain definition,
    for tests and the benchmark."""
    if not points:
        return None
    distance, ref = min((distance_km(lat, lon, p.lat, p.lon), p.ref) for p in points)
    return Nearest(distance, ref)
