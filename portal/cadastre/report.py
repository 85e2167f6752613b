"""The printable report of one area (issue 12, item 6): the page's figures on a few A4 pages, with
the gap map drawn as SVG (``svg_map``), for the question of the gap page — or, when no kind is
chosen, for every kind. The public report and the coordinators' one differ only in their figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from portal.cadastre.gap_page import GapForm, GapRow, read_form, with_next_entries
from portal.cadastre.gaps import GapQuery, GapTable, kept_gap_table
from portal.cadastre.svg_map import svg_map
from portal.geo.gazetteer import Gazetteer
from portal.offer import codes

MAP_LABEL = "report-map-title"  # the id of the map's heading, which names the SVG


def read_report_form(args: MultiDict, gazetteer: Gazetteer, today: dt.date) -> GapForm:
    """The gap page's form, checked the same way, where no kind means every kind."""
    if args.get("kind", "").strip():
        return read_form(args, gazetteer, today)
    any_kind = MultiDict([(name, value) for name, value in args.items(multi=True) if name != "kind"])
    any_kind["kind"] = codes.COURSE_KINDS[0]  # checked as one kind, then widened to all
    form = read_form(any_kind, gazetteer, today)
    form.values["kind"] = ""
    if form.query is not None:
        form.query = replace(form.query, kinds=codes.COURSE_KINDS)
    return form


@dataclass(frozen=True)
class ReportGaps:
    question: GapQuery  # what the map and the table answer
    table: GapTable  # the communes beyond the distance
    rows: list[GapRow]  # the same, with their nearest course's next entry
    map: Markup  # every commune of the area


def report_gaps(form: GapForm, gazetteer: Gazetteer, today: dt.date) -> ReportGaps | None:
    """The gap section of the report (None while the form has errors): one table of every
    commune for the map, narrowed to the distance for the table."""
    if form.query is None:
        return None
    every = kept_gap_table(replace(form.query, min_km=None), gazetteer, today)
    beyond = every.beyond(form.query.min_km)
    return ReportGaps(beyond.query, beyond, with_next_entries(beyond.communes, today),
                      svg_map(every.communes, MAP_LABEL))
