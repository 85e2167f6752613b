"""Where a position is: inside Wallonia or not (the communes' outlines), and the nearest locality of
the gazetteer. Used after "use my position", so that the search shows "5000 Namur", not numbers."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

# The outlines are simplified: a point this close to a locality counts as inside whatever the outline
# says (the data README lists locality points up to 0.5 km outside their commune's outline).
BORDER_MARGIN_KM = 1.0
# Outside Wallonia, the nearest Walloon locality is offered when it is at most this far.
NEAREST_OFFER_KM = 50.0
# Brussels-Capital: every point this close to the Grand-Place is in the region (its nearest border
# with Flanders is about 5 km away, north and south-west).
BRUSSELS_CENTRE = (50.8467, 4.3525)
BRUSSELS_SURE_KM = 4.5

_Ring = list[tuple[float, float]]  # (lon, lat), as GeoJSON writes them


@dataclass(frozen=True)
class _Polygon:
    rings: tuple[_Ring, ...]  # the outer ring, then holes
    min_lon: float
    max_lon: float
    min_lat: float
    max_lat: float

    def contains(self, lat: float, lon: float) -> bool:
        if not (self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon):
            return False
        inside = False
        for ring in self.rings:  # even-odd: a point in a hole crosses one more ring
            inside ^= _in_ring(ring, lat, lon)
        return inside


def _in_ring(ring: _Ring, lat: float, lon: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (xi, yi), (xj, yj) = ring[i], ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def read_outline(path: Path) -> list[_Polygon]:
    """The communes' (simplified) polygons, with their bounding boxes."""
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    polygons = []
    for feature in features:
        geometry = feature["geometry"]
        parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for part in parts:
            rings = tuple([(float(x), float(y)) for x, y in ring] for ring in part)
            lons = [x for x, _ in rings[0]]
            lats = [y for _, y in rings[0]]
            polygons.append(_Polygon(rings, min(lons), max(lons), min(lats), max(lats)))
    return polygons


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (mean Earth radius 6371.009 km, as geopy's great_circle)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.009 * math.asin(min(1.0, math.sqrt(a)))


def in_brussels(lat: float, lon: float) -> bool:
    """Surely in the Brussels-Capital Region (near its centre); False says nothing."""
    return haversine_km(lat, lon, *BRUSSELS_CENTRE) <= BRUSSELS_SURE_KM
