"""Everything every template may use, registered once by the factory: site-wide globals (as
globals, not context, so that imported macros see them too), the site settings and the map's
assets, and the filters that format numbers as people read them."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for
from flask_babel import format_decimal, get_locale
from markupsafe import Markup

from portal import labels
from portal.offer import codes, rules
from portal.search import forms


def register_templating(app: Flask) -> None:
    from portal.alerts.presenters import alert_urls

    app.jinja_env.globals.update(get_locale=get_locale, forms=forms, codes=codes, rules=rules, labels=labels,
                                 alert_urls=alert_urls)
    app.context_processor(site_settings)
    app.add_template_filter(format_km, "km")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(as_written, "as_written")


def site_settings() -> dict[str, Any]:
    return {
        "site_name": "Passerelle",
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
        # Fetched by search.js only when a map is shown.
        "map_assets": {
            "css": [url_for("core.vendor", lib="leaflet", filename="leaflet.css"),
                    url_for("core.vendor", lib="markercluster", filename="MarkerCluster.css"),
                    url_for("core.vendor", lib="markercluster", filename="MarkerCluster.Default.css")],
            "js": [url_for("core.vendor", lib="leaflet", filename="leaflet.js"),
                   url_for("core.vendor", lib="markercluster", filename="leaflet.markercluster.js"),
                   url_for("static", filename="js/map.js")],
        },
    }


def as_written(text: str | None) -> Markup:
    """Operator-written text inside a translated sentence: kept as written, marked French."""
    return Markup('<span lang="fr">{}</span>').format(text or "")


def format_km(value: float) -> str:
    """3.2 → "3,2" in French: distances as people read them."""
    return format_decimal(value, format="#,##0.#")


def format_number(value: float) -> str:
    return format_decimal(value, format="#,##0.##")
