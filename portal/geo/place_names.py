"""Place names as people type them (``data/place_names.csv``, ``data/outside_wallonia.csv``): the
Dutch, German and English names of Walloon communes and localities, the main towns in Arabic,
Cyrillic and Ge'ez letters, and the places, postal codes and countries that are not in Wallonia."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from portal.normalise import fold_name

# Where a place outside Wallonia is: Brussels, Flanders, another country, a foreign postal code
# ("75001"), or a whole area too large to search from (Belgium, Wallonia, a province).
AREAS = ("brussels", "flanders", "abroad", "foreign_postal_code", "wide")

# "B-5000", "BE 5000", "b5000": a Belgian postal code written as on an international letter.
BELGIAN_PREFIX = re.compile(r"^BE?\s*-?\s*(\d{4}(?:\s.*)?)$", re.IGNORECASE)
# Postal codes of the neighbouring countries as people write them: "F-59000", "D 52062", "L-1234",
# "NL-6211", "6211 AB" (Dutch: four digits and two letters).
_FOREIGN_POSTAL_CODE = re.compile(
    r"^(?:(?:F|FR|D|DE|L|LU|NL)\s*-?\s*\d{4,5}(?:\s*[A-Z]{2})?|\d{4}\s?[A-Z]{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceName:
    """Another name of a Walloon commune (``postal_code`` empty) or of one of its localities."""

    name: str
    languages: tuple[str, ...]
    nis_code: str
    postal_code: str
    locality: str
    source: str


@dataclass(frozen=True)
class OutsideName:
    name: str
    languages: tuple[str, ...]
    area: str


def read_place_names(data_dir: Path) -> list[PlaceName]:
    """The rows of ``place_names.csv``."""
    with open(data_dir / "place_names.csv", encoding="utf-8", newline="") as fh:
        return [PlaceName(name=row["name"], languages=tuple(row["languages"].split()), nis_code=row["nis_code"],
                          postal_code=row["postal_code"], locality=row["locality"], source=row["source"])
                for row in csv.DictReader(fh)]


def read_outside_names(data_dir: Path) -> list[OutsideName]:
    """The rows of ``outside_wallonia.csv``."""
    with open(data_dir / "outside_wallonia.csv", encoding="utf-8", newline="") as fh:
        return [OutsideName(name=row["name"], languages=tuple(row["languages"].split()), area=row["area"])
                for row in csv.DictReader(fh)]


def postal_code_area(code: str) -> str | None:
    """Where a Belgian postal code outside Wallonia's ranges lies (bpost's ranges: 1000–1299
    Brussels; 1500–3999 and 8000–9999 Flanders); None for Wallonia's ranges (1300–1499,
    4000–7999, the German-speaking 4700–4799 included) and for what is not a postal code."""
    number = int(code) if code.isdigit() and len(code) == 4 else 0
    if 1000 <= number <= 1299:
        return "brussels"
    if 1500 <= number <= 3999 or 8000 <= number <= 9999:
        return "flanders"
    return None


def foreign_postal_code(text: str) -> bool:
    """A postal code of France, Germany, Luxembourg or the Netherlands, as people write them."""
    return bool(_FOREIGN_POSTAL_CODE.match(text.strip()))


class PlaceNames:
    """The two tables, indexed by folded name."""

    def __init__(self, data_dir: Path) -> None:
        self.names = read_place_names(data_dir)
        self.outside_names = read_outside_names(data_dir)
        self._by_name: dict[str, list[PlaceName]] = defaultdict(list)
        for name in self.names:
            self._by_name[fold_name(name.name)].append(name)
        self._areas: dict[str, str] = {fold_name(name.name): name.area for name in self.outside_names}

    def named(self, name: str) -> list[PlaceName]:
        """The rows of that name (any case, accents, script variants)."""
        return self._by_name.get(fold_name(name), [])

    def area(self, name: str) -> str | None:
        """The area of a place outside Wallonia of that name, if it is one we know."""
        return self._areas.get(fold_name(name))
