"""What pages show of alerts beyond their own: the way in from the results page."""
from __future__ import annotations

from flask import request, url_for


def alert_urls() -> dict[str, str]:
    """The alert page and the Atom feed of the search on the current page (results or embed):
    its parameters and language, without its page."""
    values: dict[str, list[str]] = {}
    for name, value in request.args.items(multi=True):
        if name not in ("page", "per_page"):
            values.setdefault(name, []).append(value)
    return {"new": url_for("alerts.new", **values), "feed": url_for("alerts.feed", **values)}
