"""Great-circle distances (geopy's mean Earth radius) and bounding boxes for SQL prefilters."""
from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import EARTH_RADIUS

KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS / 180.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km, rounded to 0.1 km, as domain.md defines it."""
    return round(great_circle_km(lat1, lon1, lat2, lon2), 1)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """geopy's ``great_circle(...).km`` for valid coordinates, operation for operation (the same
    float), without its Point objects (five times faster: a search page computes 20 to 100)."""
    lat1, lng1, lat2, lng2 = math.radians(lat1), math.radians(lon1), math.radians(lat2), math.radians(lon2)
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin_lat2, cos_lat2 = math.sin(lat2), math.cos(lat2)
    delta_lng = lng2 - lng1
    cos_delta_lng, sin_delta_lng = math.cos(delta_lng), math.sin(delta_lng)
    d = math.atan2(math.sqrt((cos_lat2 * sin_delta_lng) ** 2
                             + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2),
                   sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng)
    return EARTH_RADIUS * d


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
