"""The three files of the open data, written as the courses come (one pass, bounded memory): the
``passerelle-offer/1`` document operator after operator, the CSV row after row, the GeoJSON feature
after feature. One course or operator per line, so that the files read and compare line by line."""
from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from portal.bulk.files import guard
from portal.bulk.reader import cell_text
from portal.offer.exchange import FORMAT, operator_dict, site_dict
from portal.offer.models import Operator, Site
from portal.opendata.columns import COLUMNS, GUARDED, HEADER, Row


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class OfferDocumentWriter:
    """A ``passerelle-offer/1`` document: each operator with its sites, then its courses."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.operators = 0
        self.courses = 0  # of the operator being written
        out.write(_dumps({"format": FORMAT, "operators": []})[:-2])

    def start_operator(self, operator: Operator, sites: list[Site]) -> None:
        self._end_operator()
        head = operator_dict(operator, with_children=False)
        head["sites"] = [site_dict(site) for site in sites]
        head["courses"] = []
        self.out.write(("," if self.operators else "") + "\n" + _dumps(head)[:-2])
        self.operators += 1
        self.courses = 0

    def course(self, exchange: dict[str, Any]) -> None:
        self.out.write(("," if self.courses else "") + "\n" + _dumps(exchange))
        self.courses += 1

    def _end_operator(self) -> None:
        if self.operators:
            self.out.write("]}")

    def close(self) -> None:
        self._end_operator()
        self.out.write("\n]}\n")


class FeatureCollectionWriter:
    """A GeoJSON FeatureCollection; ``members``: its foreign members (title, licence, date…)."""

    def __init__(self, out: TextIO, members: dict[str, Any]) -> None:
        self.out = out
        self.features = 0
        out.write(_dumps({"type": "FeatureCollection", **members, "features": []})[:-2])

    def feature(self, feature: dict[str, Any]) -> None:
        self.out.write(("," if self.features else "") + "\n" + _dumps(feature))
        self.features += 1

    def close(self) -> None:
        self.out.write("\n]}\n")


class CourseTableWriter:
    """The CSV: UTF-8 with a BOM (a spreadsheet reads the accents), comma-separated, a header row;
    every cell that a spreadsheet would run as a formula is written behind a "'" (bulk's guard)."""

    def __init__(self, out: TextIO) -> None:
        out.write("\ufeff")
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.writer.writerow(HEADER)

    def row(self, row: Row) -> None:
        self.writer.writerow([guard(cell_text(column.value(row))) if guarded else cell_text(column.value(row))
                              for column, guarded in zip(COLUMNS, GUARDED, strict=True)])

    def close(self) -> None:
        pass
