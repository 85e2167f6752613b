"""Figures kept a few minutes by this process (``CADASTRE_CACHE_SECONDS``; 0: counted at each call).
The figures of an area move slowly, and counting 100,000 courses takes a second or two. Keys are
bounded by the areas, kinds and levels there are (never by what a visitor types), and yesterday's
figures are dropped."""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from flask import current_app

from portal.extensions import db

# (database, what, area, day) → (when it was counted, on the monotonic clock; the figures)
_KEPT: dict[tuple[str, str, str, dt.date], tuple[float, Any]] = {}


def kept(what: str, area_key: str, on: dt.date, count: Callable[[], Any]) -> Any:
    """What ``count`` gives, kept ``CADASTRE_CACHE_SECONDS`` by this process (0: counted at each
    call). The figures of an area move slowly, and counting 100,000 courses takes a second or two."""
    seconds = current_app.config.get("CADASTRE_CACHE_SECONDS", 0)
    if not seconds:
        return count()
    key = (db.engine.url.render_as_string(), what, area_key, on)
    now = time.monotonic()
    found = _KEPT.get(key)
    if found is not None and now - found[0] < seconds:
        return found[1]
    counted = count()
    for old in [old for old in _KEPT if old[3] != on]:  # yesterday's figures are no one's
        _KEPT.pop(old, None)
    _KEPT[key] = (now, counted)
    return counted


