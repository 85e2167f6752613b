"""The gap map drawn on the server as SVG, for the printed report: the communes of the area
coloured by the band of their distance to the nearest course (the same bands and colours as the
folium map of the gap page), each with its name and distance as a ``<title>``. No script, no
tiles: it prints sharp on paper and shows without JavaScript.

Wallonia is small, so a plain projection does: longitudes scaled by the cosine of the middle
latitude, north up."""
from __future__ import annotations

import math
from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.cadastre.gap_map import COLOURS, band, boundaries
from portal.cadastre.gaps import CommuneGap
from portal.templating import format_km

WIDTH = 640  # user units of the drawing; the page scales it to its width


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]  # MultiPolygon


class _Projection:
    """Longitude and latitude to the drawing's units: the box of ``points`` fills WIDTH."""

    def __init__(self, points: list[list[float]]):
        self.west = min(p[0] for p in points)
        east = max(p[0] for p in points)
        south = min(p[1] for p in points)
        self.north = max(p[1] for p in points)
        self.stretch = math.cos(math.radians((south + self.north) / 2))
        self.scale = WIDTH / max((east - self.west) * self.stretch, 1e-9)
        self.height = max(1, round((self.north - south) * self.scale))

    def path(self, rings: list[list[list[float]]]) -> str:
        """An SVG path of a commune's rings."""
        return " ".join("M" + "L".join(f"{(lon - self.west) * self.stretch * self.scale:.1f},"
                                       f"{(self.north - lat) * self.scale:.1f}" for lon, lat in ring) + "Z"
                        for ring in rings)


def _title(gap: CommuneGap) -> str:
    distance = (_("%(km)s km to the nearest course", km=format_km(gap.nearest_km))
                if gap.nearest_km is not None else _("No course"))
    return f"{escape(gap.commune.name)}: {escape(distance)}"


def svg_map(gaps: Sequence[CommuneGap], label_id: str) -> Markup:
    """An ``<svg>`` of the communes of ``gaps`` (those with a boundary), labelled by the element
    ``label_id``; empty when none has a boundary."""
    shapes = boundaries()
    drawn = [(gap, _rings(shapes[gap.commune.nis_code])) for gap in gaps if gap.commune.nis_code in shapes]
    if not drawn:
        return Markup("")
    projection = _Projection([point for _gap, rings in drawn for ring in rings for point in ring])
    parts = [f'<svg class="gap-svg" viewBox="0 0 {WIDTH} {projection.height}" role="img" '
             f'aria-labelledby="{escape(label_id)}" xmlns="http://www.w3.org/2000/svg">']
    parts += [f'<path d="{projection.path(rings)}" fill="{COLOURS[band(gap.nearest_km)]}" stroke="#444" '
              f'stroke-width="0.6"><title>{_title(gap)}</title></path>' for gap, rings in drawn]
    parts.append("</svg>")
    return Markup("".join(parts))
