"""Great-circle distances (geopy's mean Earth radius) and bounding boxes for SQL prefilters."""
from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import EARTH_RADIUS, great_circle

KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS / 180.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km, rounded to 0.1 km, as domain.md defines it."""
    return round(great_circle((lat1, lon1), (lat2, lon2)).km, 1)


@dataclass(frozen=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """A box that holds every point within ``radius_km`` of (lat, lon), with a small margin."""
    # 0.1 km margin covers the rounding of distances to 0.1 km.
    radius = radius_km + 0.1
    dlat = radius / KM_PER_DEGREE_LAT
    max_abs_lat = min(89.9, abs(lat) + dlat)
    dlon = radius / (KM_PER_DEGREE_LAT * math.cos(math.radians(max_abs_lat)))
    return BoundingBox(lat - dlat, lat + dlat, lon - dlon, lon + dlon)
