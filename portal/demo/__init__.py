"""The demo offer: ``offer.json`` is a passerelle-offer/1 document written for REFERENCE_DATE;
loading it moves every date by the days since, so that the demo never goes stale."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

OFFER_FILE = Path(__file__).resolve().parent / "offer.json"
REFERENCE_DATE = dt.date(2026, 11, 27)
_DATE_KEYS = ("start", "end", "registration_deadline", "active_from", "active_until", "confirmed_at")


def _shift(node: Any, days: dt.timedelta) -> Any:
    if isinstance(node, dict):
        return {key: (_shift_date(value, days) if key in _DATE_KEYS else _shift(value, days))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_shift(item, days) for item in node]
    return node


def _shift_date(value: Any, days: dt.timedelta) -> Any:
    if isinstance(value, str):
        return (dt.date.fromisoformat(value) + days).isoformat()
    return value


def demo_document(today: dt.date) -> dict[str, Any]:
    """The demo document with its dates moved from REFERENCE_DATE to ``today``."""
    document = json.loads(OFFER_FILE.read_text(encoding="utf-8"))
    return _shift(document, today - REFERENCE_DATE)
