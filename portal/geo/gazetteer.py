"""The offline gazetteer of Wallonia (``portal/geo/data``): postal codes, localities, communes,
bassins EFE. Loaded once per process; no network call anywhere."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.normalise import fold_name

DATA_DIR = Path(__file__).resolve().parent / "data"

_LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_POSTAL_CODE = re.compile(r"^\d{4}$")
_NIS_CODE = re.compile(r"^\d{5}$")
_POSTAL_CODE_AND_NAME = re.compile(r"^(\d{4})\s+(.+)$")


@dataclass(frozen=True)
class Locality:
    postal_code: str
    name: str
    commune: str
    nis_code: str
    bassin_efe: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PostalCode:
    code: str
    localities: tuple[Locality, ...]
    commune: str
    nis_code: str
    bassin_efe: str
    lat: float  # mean of its localities
    lon: float

    @property
    def main_locality(self) -> Locality:
        """The locality named like the commune, else the first one (bpost order)."""
        for locality in self.localities:
            if fold_name(locality.name) == fold_name(self.commune):
                return locality
        return self.localities[0]


@dataclass(frozen=True)
class Commune:
    nis_code: str
    name: str
    name_de: str
    province: str
    bassin_efe: str
    lat: float
    lon: float
    population: int
    postal_codes: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """A resolved reference point."""

    lat: float
    lon: float
    label: str
    postal_code: str | None = None
    nis_code: str | None = None


class UnknownPlace(ValueError):
    """No place of that name or code in Wallonia."""


class AmbiguousPlace(ValueError):
    """Several places bear that name; ``choices`` are unambiguous spellings ("6661 Mont")."""

    def __init__(self, query: str, choices: list[str]):
        super().__init__(query)
        self.query = query
        self.choices = choices


class InvalidCoordinates(ValueError):
    """``lat,lon`` out of range."""


def _read_postal_codes(data_dir: Path) -> dict[str, PostalCode]:
    with open(data_dir / "wallonia_postcodes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code: dict[str, list[Locality]] = defaultdict(list)
    for row in rows:
        by_code[row["postal_code"]].append(Locality(
            postal_code=row["postal_code"], name=row["locality"], commune=row["commune"],
            nis_code=row["nis_code"], bassin_efe=row["bassin_efe"],
            lat=float(row["latitude"]), lon=float(row["longitude"])))
    return {
        code: PostalCode(
            code=code, localities=tuple(localities), commune=localities[0].commune,
            nis_code=localities[0].nis_code, bassin_efe=localities[0].bassin_efe,
            lat=sum(loc.lat for loc in localities) / len(localities),
            lon=sum(loc.lon for loc in localities) / len(localities))
        for code, localities in by_code.items()
    }


def _read_communes(data_dir: Path) -> dict[str, Commune]:
    with open(data_dir / "wallonia_communes.csv", encoding="utf-8", newline="") as fh:
        return {
            row["nis_code"]: Commune(
                nis_code=row["nis_code"], name=row["commune"], name_de=row["commune_de"],
                province=row["province"], bassin_efe=row["bassin_efe"],
                lat=float(row["latitude"]), lon=float(row["longitude"]),
                population=int(row["population"] or 0), postal_codes=tuple(row["postal_codes"].split()))
            for row in csv.DictReader(fh)
        }


class Gazetteer:
    def __init__(self, data_dir: Path = DATA_DIR):
        self.postal_codes: dict[str, PostalCode] = _read_postal_codes(data_dir)
        self.communes: dict[str, Commune] = _read_communes(data_dir)
        self.bassins: tuple[str, ...] = tuple(sorted({c.bassin_efe for c in self.communes.values()}))
        # Names as people type them (any case, accents, hyphens): French and German commune names.
        self._communes_by_name: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.communes.values():
            for name in filter(None, (commune.name, commune.name_de)):
                self._communes_by_name[fold_name(name)].append(commune)
        self._localities_by_name: dict[str, list[Locality]] = defaultdict(list)
        for postal_code in self.postal_codes.values():
            for locality in postal_code.localities:
                self._localities_by_name[fold_name(locality.name)].append(locality)

    # -- look-ups -------------------------------------------------------------------------
    def postal_code(self, code: str) -> PostalCode | None:
        """The postal code's localities, commune, NIS code, bassin and mean coordinates."""
        return self.postal_codes.get(code.strip())

    def commune(self, nis_code: str) -> Commune | None:
        """The commune of a 5-digit NIS code."""
        return self.communes.get(nis_code.strip())

    def locality(self, postal_code: str, name: str | None) -> Locality | None:
        """The locality of that name within the postal code (accent/case-insensitive)."""
        entry = self.postal_code(postal_code)
        if entry is None or not name:
            return None
        wanted = fold_name(name)
        return next((loc for loc in entry.localities if fold_name(loc.name) == wanted), None)

    def site_point(self, postal_code: str, locality: str | None) -> tuple[float, float] | None:
        """Coordinates of a site without its own: the locality's point, else the postal code's."""
        loc = self.locality(postal_code, locality)
        if loc is not None:
            return loc.lat, loc.lon
        entry = self.postal_code(postal_code)
        return (entry.lat, entry.lon) if entry else None

    def communes_named(self, name: str) -> list[Commune]:
        """Communes whose French or German name matches (accent/case/hyphen-insensitive)."""
        return list(dict.fromkeys(self._communes_by_name.get(fold_name(name), [])))

    def bassin(self, name: str) -> str | None:
        """The gazetteer's spelling of a bassin EFE name, matched accent/case-insensitively."""
        wanted = fold_name(name)
        return next((b for b in self.bassins if fold_name(b) == wanted), None)

    def place_names(self) -> list[str]:
        """Every commune and locality name, for suggestions in forms."""
        names = {c.name for c in self.communes.values()}
        names.update(loc.name for pc in self.postal_codes.values() for loc in pc.localities)
        return sorted(names, key=fold_name)

    # -- reference points -------------------------------------------------------------------
    def resolve(self, text: str) -> Place:
        """A reference point from ``lat,lon``, a postal code, a NIS code, "5000 Namur" or a
        commune/locality name. Raises UnknownPlace, AmbiguousPlace or InvalidCoordinates."""
        query = text.strip()
        if not query:
            raise UnknownPlace(text)
        for shape, read in ((_LAT_LON, self._at_coordinates), (_POSTAL_CODE, self._at_postal_code),
                            (_NIS_CODE, self._at_commune), (_POSTAL_CODE_AND_NAME, self._at_postal_code_and_name)):
            match = shape.match(query)
            if match:
                return read(match, text)
        return self._named(query, text)

    def _at_coordinates(self, match: re.Match, text: str) -> Place:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidCoordinates(text)
        return Place(lat, lon, f"{lat:.5f}, {lon:.5f}")

    def _at_postal_code(self, match: re.Match, text: str) -> Place:
        entry = self.postal_code(match.group(0))
        if entry is None:
            raise UnknownPlace(text)
        label = f"{entry.code} {entry.main_locality.name if len(entry.localities) == 1 else entry.commune}"
        return Place(entry.lat, entry.lon, label, postal_code=entry.code, nis_code=entry.nis_code)

    def _at_commune(self, match: re.Match, text: str) -> Place:
        commune = self.commune(match.group(0))
        if commune is None:
            raise UnknownPlace(text)
        return _commune_place(commune)

    def _at_postal_code_and_name(self, match: re.Match, text: str) -> Place:
        """"5000 Namur": a locality of that postal code, or its commune."""
        loc = self.locality(match.group(1), match.group(2))
        if loc is not None:
            return _locality_place(loc)
        entry = self.postal_code(match.group(1))
        commune = self.commune(entry.nis_code) if entry is not None else None
        if commune is not None and fold_name(entry.commune) == fold_name(match.group(2)):
            return _commune_place(commune)
        raise UnknownPlace(text)

    def _named(self, query: str, text: str) -> Place:
        """A commune's name (French or German), else a locality's; several: ambiguous."""
        communes = self.communes_named(query)
        if len(communes) > 1:
            raise AmbiguousPlace(text, sorted(c.name for c in communes))
        if communes:
            return _commune_place(communes[0])
        localities = sorted(self._localities_by_name.get(fold_name(query), []), key=lambda loc: loc.postal_code)
        if len(localities) > 1:
            raise AmbiguousPlace(text, [f"{loc.postal_code} {loc.name}" for loc in localities])
        if localities:
            return _locality_place(localities[0])
        raise UnknownPlace(text)


def _commune_place(commune: Commune) -> Place:
    return Place(commune.lat, commune.lon, commune.name, nis_code=commune.nis_code)


def _locality_place(loc: Locality) -> Place:
    return Place(loc.lat, loc.lon, f"{loc.postal_code} {loc.name}", postal_code=loc.postal_code, nis_code=loc.nis_code)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded on first use, ~20 ms)."""
    return Gazetteer()
