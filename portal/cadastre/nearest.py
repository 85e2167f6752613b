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
from dataclasses import dataclass
from typing import NamedTuple

from portal.geo.distance import EARTH_RADIUS, KM_PER_DEGREE_LAT, BoundingBox, bounding_box, distance_km

# Cells hold about this many points on average over the points' extent (within the bounds below,
# in degrees of latitude; a cell is 1.6 times as wide in longitude, about square at 50° N). Courses
# crowd in towns, where the communes' points are: small cells keep the boxes there to a few points
# (measured on bench/search.py's offers: 4 → 20 ms for 261 communes at 10,000 points, 0.5 → 8 ms).
POINTS_PER_CELL = 0.5
SMALLEST_CELL, LARGEST_CELL = 0.005, 0.5
LON_PER_LAT = 1.6
# A cell's number: row × CELL_KEY + column, the column between −CELL_KEY/2 and CELL_KEY/2 (the
# smallest cells' columns run from −22,500 to 22,500 around the Earth).
CELL_KEY = 1 << 20
# Two distances that round to the same 0.1 km differ by less than 0.1 km; the rest covers the
# float noise between the unrounded formula here and geopy's.
TIE_MARGIN_KM = 0.1 + 1e-6
# Past this radius the box is the whole Earth: every point is a candidate.
WHOLE_EARTH_KM = math.pi * EARTH_RADIUS


class Point(NamedTuple):
    """A place courses are given at, with the lowest ref of its courses. (A tuple of floats and a
    string: the garbage collector stops tracking it, so that a request of 10,000 points does not
    make the next full collection longer.)"""

    lat: float
    lon: float
    ref: str


@dataclass(frozen=True)
class Nearest:
    distance_km: float  # rounded to 0.1 km (domain.md)
    ref: str


class _Trig:
    """Positions in radians with the sines and cosines the great-circle formula needs, as lists of
    floats (no object per point: a request then leaves little for the garbage collector)."""

    def __init__(self, points: list[Point]) -> None:
        self.lon = [math.radians(p.lon) for p in points]
        self.sin_lat = [math.sin(math.radians(p.lat)) for p in points]
        self.cos_lat = [math.cos(math.radians(p.lat)) for p in points]

    def unrounded_km(self, lat: float, lon: float, indexes: list[int] | range) -> list[float]:
        """geopy's great_circle formula (atan2 form) from (lat, lon) to each point of ``indexes``,
        without geopy's objects: for picking candidates."""
        sin_a, cos_a, lon_a = math.sin(math.radians(lat)), math.cos(math.radians(lat)), math.radians(lon)
        sin, cos, sqrt, atan2 = math.sin, math.cos, math.sqrt, math.atan2
        found = []
        for i in indexes:
            dlon = self.lon[i] - lon_a
            cos_dlon, sin_b, cos_b = cos(dlon), self.sin_lat[i], self.cos_lat[i]
            y1 = cos_b * sin(dlon)
            y2 = cos_a * sin_b - sin_a * cos_b * cos_dlon
            found.append(EARTH_RADIUS * atan2(sqrt(y1 * y1 + y2 * y2), sin_a * sin_b + cos_a * cos_b * cos_dlon))
        return found


def _row(cell: int) -> int:
    """The row of a cell's number."""
    return (cell + CELL_KEY // 2) // CELL_KEY


def _cell_size(points: list[Point]) -> float:
    """Degrees of latitude per cell: about POINTS_PER_CELL points a cell over the points' extent."""
    if len(points) < 2:
        return LARGEST_CELL
    span = max(max(p.lat for p in points) - min(p.lat for p in points),
               (max(p.lon for p in points) - min(p.lon for p in points)) / LON_PER_LAT)
    return min(LARGEST_CELL, max(SMALLEST_CELL, span / math.sqrt(len(points) / POINTS_PER_CELL)))


class NearestPoints:
    """The points, by grid cell; ``nearest`` answers for one place."""

    def __init__(self, points: list[Point]) -> None:
        self.points = points
        self._trig = _Trig(points)
        self._cell_lat = _cell_size(points)
        self._cell_lon = self._cell_lat * LON_PER_LAT
        self._first_radius = self._cell_lat * KM_PER_DEGREE_LAT
        # The point indexes sorted by cell; each cell (a number: no tuple per point): its
        # (start, stop) in that order.
        cells = [self._cell(p.lat, p.lon) for p in points]
        self._order = sorted(range(len(points)), key=cells.__getitem__)
        self._cells: dict[int, tuple[int, int]] = {}
        for position, index in enumerate(self._order):
            start, _ = self._cells.get(cells[index], (position, position))
            self._cells[cells[index]] = (start, position + 1)
        rows = [_row(cell) for cell in self._cells] or [0]
        columns = [cell - _row(cell) * CELL_KEY for cell in self._cells] or [0]
        self._extent = (min(rows), max(rows), min(columns), max(columns))

    def _cell(self, lat: float, lon: float) -> int:
        return math.floor(lat / self._cell_lat) * CELL_KEY + math.floor(lon / self._cell_lon)

    def nearest(self, lat: float, lon: float) -> Nearest | None:
        """The rounded distance to the nearest point and, among points at that rounded distance,
        the lowest ref; None when there is no point."""
        if not self.points:
            return None
        radius = self._first_radius
        while True:
            indexes = self._in_box(bounding_box(lat, lon, radius)) if radius < WHOLE_EARTH_KM else \
                range(len(self.points))
            distances = self._trig.unrounded_km(lat, lon, indexes)
            if distances:
                closest = min(distances)
                if closest + TIE_MARGIN_KM <= radius or radius >= WHOLE_EARTH_KM:
                    within = closest + TIE_MARGIN_KM
                    return self._decide(lat, lon, [i for i, d in zip(indexes, distances, strict=True) if d <= within])
                radius = closest + TIE_MARGIN_KM
            else:
                radius *= 2

    def _in_box(self, box: BoundingBox) -> list[int]:
        """The points of every cell the box touches (the box clipped to the points' extent)."""
        min_row, max_row, min_column, max_column = self._extent
        rows = range(max(math.floor(box.min_lat / self._cell_lat), min_row),
                     min(math.floor(box.max_lat / self._cell_lat), max_row) + 1)
        columns = range(max(math.floor(box.min_lon / self._cell_lon), min_column),
                        min(math.floor(box.max_lon / self._cell_lon), max_column) + 1)
        return [i for start, stop in self._spans(rows, columns) for i in self._order[start:stop]]

    def _spans(self, rows: range, columns: range) -> list[tuple[int, int]]:
        """The (start, stop) of the cells of those rows and columns that hold points."""
        if len(rows) * len(columns) > len(self._cells):  # fewer cells hold points than the box has
            return [span for cell, span in self._cells.items()
                    if _row(cell) in rows and cell - _row(cell) * CELL_KEY in columns]
        keys = (row * CELL_KEY + column for row in rows for column in columns)
        return [self._cells[key] for key in keys if key in self._cells]

    def _decide(self, lat: float, lon: float, candidates: list[int]) -> Nearest:
        """domain.md's rounded distance over the candidates; the lowest ref among the nearest."""
        distance, ref = min((distance_km(lat, lon, self.points[i].lat, self.points[i].lon), self.points[i].ref)
                            for i in candidates)
        return Nearest(distance, ref)


def nearest_naive(points: list[Point], lat: float, lon: float) -> Nearest | None:
    """Every point's rounded distance, the smallest (then the lowest ref): the plain definition,
    for tests and the benchmark."""
    if not points:
        return None
    distance, ref = min((distance_km(lat, lon, p.lat, p.lon), p.ref) for p in points)
    return Nearest(distance, ref)
