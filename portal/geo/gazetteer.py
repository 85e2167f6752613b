"""The offline gazetteer of Wallonia (``portal/geo/data``): postal codes, localities, communes,
bassins EFE, the other names people give them, and the places outside Wallonia people type.
Loaded once per process; no network call anywhere."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from portal.geo import position
from portal.geo.place_names import BELGIAN_PREFIX, PlaceName, PlaceNames, foreign_postal_code, postal_code_area
from portal.geo.suggestions import MAX_SUGGESTIONS, Candidate, Suggester, allowed_edits, bounded_distance
from portal.normalise import fold_name, western_digits

DATA_DIR = Path(__file__).resolve().parent / "data"

_LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_POSTAL_CODE = re.compile(r"^\d{4}$")
_NIS_CODE = re.compile(r"^\d{5}$")
_POSTAL_CODE_AND_NAME = re.compile(r"^(\d{4})\s+(.+)$")
# No place name is this long: a longer text is unknown at once, without looking for close names.
MAX_QUERY_LENGTH = 100


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
    """No place of that name or code in Wallonia; ``suggestions`` are close names that are known
    (each one resolves: "Charleroi", "5000 Namur")."""

    def __init__(self, query: str = "", suggestions: list[str] | None = None):
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions or []


class OutsideWallonia(UnknownPlace):
    """A place we know that is not in Wallonia; ``area`` is one of ``place_names.AREAS``."""

    def __init__(self, query: str, area: str):
        super().__init__(query)
        self.area = area


class AmbiguousPlace(ValueError):
    """Several places bear that name; ``choices`` are unambiguous spellings ("6661 Mont")."""

    def __init__(self, query: str, choices: list[str]):
        super().__init__(query)
        self.query = query
        self.choices = choices


class InvalidCoordinates(ValueError):
    """``lat,lon`` out of range."""


@dataclass(frozen=True)
class Whereabouts:
    """Where a position is: its nearest locality, how far, inside Wallonia or not."""

    locality: Locality
    distance_km: float
    inside: bool
    in_brussels: bool

    @property
    def near(self) -> str:
        """The locality as the search's ``near`` takes it ("5000 Namur")."""
        return f"{self.locality.postal_code} {self.locality.name}"


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
        self.data_dir = data_dir
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
        self.other_names = PlaceNames(data_dir)

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
        """A reference point from ``lat,lon``, a postal code ("B-5000" too), a NIS code, "5000 Namur"
        or a name (French, German, another language's, another script's). Raises UnknownPlace (with
        suggestions), OutsideWallonia, AmbiguousPlace or InvalidCoordinates."""
        query = western_digits(text).strip()
        if not query or len(query) > MAX_QUERY_LENGTH:
            raise UnknownPlace(text)
        prefixed = BELGIAN_PREFIX.match(query)
        if prefixed:
            query = prefixed.group(1).strip()
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
            raise self._unknown_postal_code(match.group(0), text)
        label = f"{entry.code} {entry.main_locality.name if len(entry.localities) == 1 else entry.commune}"
        return Place(entry.lat, entry.lon, label, postal_code=entry.code, nis_code=entry.nis_code)

    def _at_commune(self, match: re.Match, text: str) -> Place:
        commune = self.commune(match.group(0))
        if commune is None:  # not a Walloon commune's NIS code: a postal code of France, Germany…
            raise OutsideWallonia(text, "foreign_postal_code")
        return _commune_place(commune)

    def _at_postal_code_and_name(self, match: re.Match, text: str) -> Place:
        """"5000 Namur": a locality of that postal code, or its commune."""
        loc = self.locality(match.group(1), match.group(2))
        if loc is not None:
            return _locality_place(loc)
        entry = self.postal_code(match.group(1))
        if entry is None:
            raise self._unknown_postal_code(match.group(1), text)
        commune = self.commune(entry.nis_code)
        if commune is not None and fold_name(entry.commune) == fold_name(match.group(2)):
            return _commune_place(commune)
        if foreign_postal_code(match.group(0)):  # "6211 AB": a Dutch postal code
            raise OutsideWallonia(text, "abroad")
        raise UnknownPlace(text, suggestions=_localities_like(entry, match.group(2)))

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
        other = self._other_name(query, text)
        if other is not None:
            return other
        raise self._not_walloon(query, text)

    def _not_walloon(self, query: str, text: str) -> UnknownPlace:
        """A place outside Wallonia we know, else an unknown one with the closest names."""
        area = self.other_names.area(query)
        if area is None and foreign_postal_code(query):
            area = "abroad"
        if area is not None:
            return OutsideWallonia(text, area)
        return UnknownPlace(text, suggestions=[s.candidate.display for s in self.suggester.closest(fold_name(query))])

    def _other_name(self, query: str, text: str) -> Place | None:
        """A name of place_names.csv: its commune or locality; several places: ambiguous."""
        places = list(dict.fromkeys(self._named_place(row) for row in self.other_names.named(query)))
        if len(places) > 1:
            raise AmbiguousPlace(text, sorted(place.label for place in places))
        return places[0] if places else None

    def _named_place(self, row: PlaceName) -> Place:
        if row.postal_code:
            loc = self.locality(row.postal_code, row.locality)
            if loc is None:
                raise LookupError(f"place_names.csv: {row.name} names an unknown locality")
            return _locality_place(loc)
        return _commune_place(self.communes[row.nis_code])

    def _unknown_postal_code(self, code: str, text: str) -> UnknownPlace:
        """Brussels' and Flanders' postal codes are outside Wallonia; a code in Wallonia's ranges
        that does not exist gets the Walloon codes one digit away ("5999" → "5990 …")."""
        area = postal_code_area(code)
        if area is not None:
            return OutsideWallonia(text, area)
        near = sorted((c for c in self.postal_codes if sum(a != b for a, b in zip(c, code, strict=True)) == 1),
                      key=lambda c: (abs(int(c) - int(code)), c))
        return UnknownPlace(text, suggestions=[f"{c} {self.postal_codes[c].main_locality.name}"
                                               for c in near[:MAX_SUGGESTIONS]])

    # -- suggestions and positions --------------------------------------------------------------
    @cached_property
    def suggester(self) -> Suggester:
        """Every name the gazetteer resolves (and the names of places outside Wallonia), for
        "did you mean…?"."""
        population = {nis: c.population for nis, c in self.communes.items()}
        candidates = [Candidate(fold_name(name), name, c.population)
                      for c in self.communes.values() for name in filter(None, (c.name, c.name_de))]
        candidates += [Candidate(folded, locs[0].name, 0) for folded, locs in self._localities_by_name.items()]
        candidates += [Candidate(fold_name(row.name), row.name, population[row.nis_code])
                       for row in self.other_names.names]
        candidates += [Candidate(fold_name(row.name), row.name, 0, outside=row.area)
                       for row in self.other_names.outside_names]
        return Suggester(candidates)

    @cached_property
    def _outline(self) -> list:
        return position.read_outline(self.data_dir / "wallonia_communes.geojson")

    def whereabouts(self, lat: float, lon: float) -> Whereabouts:
        """The nearest locality to a position, its distance, and whether the position is in
        Wallonia (inside a commune's outline, or within BORDER_MARGIN_KM of a locality)."""
        nearest = min((loc for entry in self.postal_codes.values() for loc in entry.localities),
                      key=lambda loc: position.haversine_km(lat, lon, loc.lat, loc.lon))
        distance = position.haversine_km(lat, lon, nearest.lat, nearest.lon)
        inside = distance <= position.BORDER_MARGIN_KM or any(p.contains(lat, lon) for p in self._outline)
        return Whereabouts(nearest, round(distance, 1), inside, not inside and position.in_brussels(lat, lon))


def _localities_like(entry: PostalCode, name: str) -> list[str]:
    """The localities of a postal code whose name is close to ``name``, else all of them."""
    wanted = fold_name(name)
    limit = allowed_edits(len(wanted))
    close = [loc for loc in entry.localities if bounded_distance(wanted, fold_name(loc.name), limit) <= limit]
    return [f"{loc.postal_code} {loc.name}" for loc in (close or entry.localities)][:MAX_SUGGESTIONS]


def _commune_place(commune: Commune) -> Place:
    return Place(commune.lat, commune.lon, commune.name, nis_code=commune.nis_code)


def _locality_place(loc: Locality) -> Place:
    return Place(loc.lat, loc.lon, f"{loc.postal_code} {loc.name}", postal_code=loc.postal_code, nis_code=loc.nis_code)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded on first use, ~20 ms)."""
    return Gazetteer()
