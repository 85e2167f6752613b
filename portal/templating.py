"""Everything every template may use, registered once by the factory: site-wide globals (as
globals, not context, so that imported macros see them too), the site settings and the map's
assets, and the filters that format numbers as people read them."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, url_for
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal import i18n, labels
from portal.offer import codes, rules
from portal.search import forms
from portal.search.reception import desk_sentence, reception_sentence, visitor_language


def register_templating(app: Flask) -> None:
    from portal.alerts.presenters import alert_urls
    from portal.guide.note import guide_note  # the guide builds on the search, which formats with this module
    from portal.referrals import presenters as referral_words
    from portal.referrals import queries as referral_queries
    from portal.selection.refs import MAX_COURSES, current_selection, this_page_with

    app.jinja_env.globals.update(get_locale=get_locale, forms=forms, codes=codes, rules=rules, labels=labels,
                                 switcher_links=i18n.switcher_links, browser_offer=i18n.browser_offer,
                                 LANGUAGES=i18n.LANGUAGES, reception_sentence=reception_sentence,
                                 desk_sentence=desk_sentence, visitor_language=visitor_language, guide_note=guide_note,
                                 # Referrals: the course page's entry point for social workers, the
                                 # words of a referral's state (pages and e-mails), the operator's count.
                                 referral_entry=referral_queries.referral_entry,
                                 referrals_waiting=referral_queries.waiting_count,
                                 referral_status=referral_words.referral_status,
                                 language_name=referral_words.language_name,
                                 symbol=symbol, symbols_used=symbols_used, alert_urls=alert_urls,
                                 # The selection a visitor carries in the URL (see portal.selection.refs).
                                 selection=current_selection, selection_url=this_page_with,
                                 MAX_SELECTED=MAX_COURSES)
    app.context_processor(lambda: {**site_settings(), **i18n.language_context()})
    app.add_template_filter(format_km, "km")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_share, "share")
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


def format_share(value: float | None) -> str:
    """0.237 → "24 %" in French (the locale's way to write a percentage); None → "—"; a share
    above 0 and below 1 % → "< 1 %" (never "0 %" for some courses)."""
    if value is None:
        return "—"
    return f"< {format_percent(0.01)}" if 0 < value < 0.01 else format_percent(value)
