"""Everything every template may use, registered once by the factory: site-wide globals (as
globals, not context, so that imported macros see them too), the site settings and the map's
assets, and the filters that format numbers as people read them."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal import labels
from portal.offer import codes, rules
from portal.search import forms


def register_templating(app: Flask) -> None:
    app.jinja_env.globals.update(get_locale=get_locale, forms=forms, codes=codes, rules=rules, labels=labels,
                                 symbol=symbol, symbols_used=symbols_used)
    app.context_processor(site_settings)
    app.add_template_filter(format_km, "km")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(as_written, "as_written")


def site_settings() -> dict[str, Any]:
    return {
        "site_name": "Passerelle",
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
        # Fetched by search.js only when a map is shown; the messages are map.js's words.
        "map_assets": {
            "messages": {
                "tiles_error": _("The map cannot load. The list shows every course."),
                "tiles_error_single": _("The map cannot load. The address is written on this page."),
            },
            "css": [url_for("core.vendor", lib="leaflet", filename="leaflet.css"),
                    url_for("core.vendor", lib="markercluster", filename="MarkerCluster.css"),
                    url_for("core.vendor", lib="markercluster", filename="MarkerCluster.Default.css")],
            "js": [url_for("core.vendor", lib="leaflet", filename="leaflet.js"),
                   url_for("core.vendor", lib="markercluster", filename="leaflet.markercluster.js"),
                   url_for("static", filename="js/map.js")],
        },
    }


def symbol(key: str) -> str:
    """``key``, noted as used by this page: the page draws each symbol it used once, at its end."""
    g.setdefault("used_symbols", set()).add(key)
    return key


def symbols_used(prefix: str) -> list[str]:
    """The symbols this page used that start with ``prefix`` (without it), in order."""
    return sorted(key[len(prefix):] for key in g.get("used_symbols", ()) if key.startswith(prefix))


def as_written(text: str | None) -> Markup:
    """Operator-written text inside a translated sentence: kept as written, marked French."""
    return Markup('<span lang="fr">{}</span>').format(text or "")


def format_km(value: float) -> str:
    """3.2 → "3,2" in French: distances as people read them."""
    return format_decimal(value, format="#,##0.#")


def format_number(value: float) -> str:
    return format_decimal(value, format="#,##0.##")
