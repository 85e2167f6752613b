"""The gap page's choropleth: folium draws the communes of the area coloured by the distance to
their nearest course (bands ≤ 5, 10, 20, 30, > 30 km), from the gazetteer's boundaries, over the
public map's tiles. The page cannot run an inline script (security.py's CSP): the map's script
is served on its own (``views.gap_map_script``) and fills the page's ``<div id="map_gaps">``;
Leaflet is the site's own copy, no CDN is linked, and the legend is the page's HTML."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import folium
from flask import current_app
from flask_babel import gettext as _
from markupsafe import escape

from portal.cadastre.gaps import CommuneGap
from portal.geo.gazetteer import DATA_DIR
from portal.templating import format_km, format_number

# Upper limits of the bands (km); the last band is everything farther.
BANDS = (5, 10, 20, 30)
# ColorBrewer YlGnBu, 5 classes: light to dark as the distance grows (colour-blind safe, and told
# apart by lightness alone in grey).
COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
MAP_ID = "gaps"  # folium names the map's element "map_gaps"


def band(km: float | None) -> int:
    """The band of a distance, 0 to 4 (no course at all: the farthest)."""
    if km is None:
        return len(BANDS)
    return next((i for i, limit in enumerate(BANDS) if km <= limit), len(BANDS))


@lru_cache(maxsize=1)
def boundaries() -> dict[str, dict[str, Any]]:
    """Each commune's GeoJSON geometry, by NIS code."""
    with open(DATA_DIR / "wallonia_communes.geojson", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {feature["properties"]["nis_code"]: feature["geometry"] for feature in features}


def _tooltip(gap: CommuneGap) -> str:
    """Name, population and distance, escaped: the tooltip is set as HTML inside a JS template."""
    distance = (_("%(km)s km to the nearest course", km=format_km(gap.nearest_km))
                if gap.nearest_km is not None else _("No course"))
    text = f"{escape(gap.commune.name)}<br>{escape(_('Population: %(n)s', n=format_number(gap.commune.population)))}" \
           f"<br>{escape(distance)}"
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def features(gaps: list[CommuneGap]) -> dict[str, Any]:
    shapes = boundaries()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shapes[gap.commune.nis_code],
         "properties": {"nis": gap.commune.nis_code, "tip": _tooltip(gap),
                        "fill": COLOURS[band(gap.nearest_km)]}}
        for gap in gaps if gap.commune.nis_code in shapes]}


def map_script(gaps: list[CommuneGap]) -> str:
    """The JavaScript that draws the choropleth in ``#map_gaps`` (Leaflet loaded before it)."""
    m = folium.Map(location=[50.45, 5.0], zoom_start=8, tiles=None, control_scale=True)
    m._id = MAP_ID
    m.default_js, m.default_css = [], []
    # The public map's tiles under the communes, to find one's way (the communes stand alone when
    # the tiles do not load: they are drawn from the page's own data).
    folium.TileLayer(tiles=current_app.config["TILE_URL"], attr=current_app.config["TILE_ATTRIBUTION"],
                     max_zoom=18).add_to(m)
    shapes = features(gaps)
    layer = folium.GeoJson(shapes, name="gaps",
                           style_function=lambda feature: {"fillColor": feature["properties"]["fill"],
                                                           "color": "#444", "weight": 0.6, "fillOpacity": 0.75},
                           tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False))
    layer.add_to(m)
    if shapes["features"]:
        m.fit_bounds(layer.get_bounds())
    root = m.get_root()
    root.render()
    return root.script.render()
