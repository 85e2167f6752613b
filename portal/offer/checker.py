"""The field checks of the ``passerelle-offer/1`` format, one field at a time: each returns the
normalised value (or None when wrong) and records its error with the field's JSON path. At most
``MAX_PROBLEMS`` errors are collected: the checker then stops the validation (a hostile document
can hold millions of errors; nobody reads past the first few hundred)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from portal.normalise import line_ends, ref_key
from portal.offer.codes import ISO_639_1, MAX_RECEPTION_LANGUAGES
from portal.offer.exchange import json_number

# The exchange format: "at most 200, then the report says that validation stopped".
MAX_PROBLEMS = 200
REF_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,119}$")
# Control characters no text of the offer holds (line ends and tabs aside); PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ValidationStopped(Exception):
    """The checker has collected as many errors as it may: stop validating."""


def shown(value: Any, limit: int = 80) -> str:
    """A value as an error message quotes it (repr), cut short: a message must stay readable
    whatever the file holds."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Checker:
    """Collects errors (at most ``max_errors``, then raises ValidationStopped); each check returns
    the normalised value (or None when wrong)."""

    def __init__(self, max_errors: int = MAX_PROBLEMS) -> None:
        self.errors: list[str] = []
        self.max_errors = max_errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")
        if len(self.errors) >= self.max_errors:
            raise ValidationStopped()

    def obj(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "must be an object")
            return None
        for key in value:
            if key not in allowed:
                self.error(f"{path}.{key if len(key) <= 80 else key[:79] + '…'}", "is not a field of this format")
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool = False,
             max_length: int = 200) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(f"{path}.{key}", "is required")
            return None
        if not isinstance(value, str):
            self.error(f"{path}.{key}", f"{shown(value)} is not a text")
            return None
        value = line_ends(value).strip()
        control = CONTROL.search(value)
        if control is not None:
            self.error(f"{path}.{key}", f"holds a control character (U+{ord(control.group()):04X}), which a text "
                       "may not hold")
            return None
        if len(value) > max_length:
            self.error(f"{path}.{key}", f"is longer than {max_length} characters")
            return None
        return value

    def ref(self, data: dict, key: str, path: str) -> str | None:
        value = self.text(data, key, path, required=True, max_length=120)
        if value is None:
            return None
        value = ref_key(value)
        if not REF_PATTERN.match(value):
            self.error(f"{path}.{key}", f"{shown(value)} is not a valid ref "
                       "(letters, digits, '.', '_', ':', '-')")
            return None
        return value

    def code(self, data: dict, key: str, path: str, choices: tuple[str, ...], what: str,
             *, default: str | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(f"{path}.{key}", "is required")
            return default
        if not isinstance(value, str) or value not in choices:
            self.error(f"{path}.{key}", f"{shown(value)} is not {what} (one of: {', '.join(choices)})")
            return None
        return value

    def codes(self, data: dict, key: str, path: str, choices: tuple[str, ...], what: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", "must be a list")
            return []
        good = set()
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in choices:
                self.error(f"{path}.{key}[{i}]", f"{shown(item)} is not {what} (one of: {', '.join(choices)})")
            else:
                good.add(item)
        return [c for c in choices if c in good]

    def languages(self, data: dict, key: str, path: str) -> list[str]:
        """ISO 639-1 codes (any case, spaces around ignored), in the document's order, each once."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", "must be a list")
            return []
        found: list[str] = []
        for i, item in enumerate(value):
            code = item.strip().lower() if isinstance(item, str) else None
            if code not in ISO_639_1:
                self.error(f"{path}.{key}[{i}]", f"{shown(item)} is not an ISO 639-1 language code "
                           "(two letters, for example 'ar'; 'fa' for Dari)")
            elif code not in found:
                found.append(code)
        if len(found) > MAX_RECEPTION_LANGUAGES:
            self.error(f"{path}.{key}", f"has more than {MAX_RECEPTION_LANGUAGES} languages")
            return found[:MAX_RECEPTION_LANGUAGES]
        return found

    def boolean(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(f"{path}.{key}", f"{shown(value)} is not true or false")
            return False
        return value

    def number(self, data: dict, key: str, path: str, *, minimum: float, maximum: float,
               default: float | None) -> float | int | None:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(f"{path}.{key}", f"{shown(value)} is not a number")
            return default
        if not minimum <= value <= maximum:
            self.error(f"{path}.{key}", f"{shown(value)} is not between {minimum:g} and {maximum:g}")
            return default
        return json_number(value)

    def date(self, data: dict, key: str, path: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{path}.{key}", "is required")
            return None
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            self.error(f"{path}.{key}", f"{shown(value)} is not an ISO date (YYYY-MM-DD)")
            return None
