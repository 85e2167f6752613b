"""The published offer in each worker's memory, as arrays: the search's filters and sorts without
SQL (``search_courses`` asks this index for a page of ids, then for their cards or ORM courses).

The index holds every published course (visibility also depends on the day: checked per search)
with what the filters and sorts read: kind, levels, flags, masks, dates, its site's place and
bassin, its entries. It is rebuilt when the offer's generation (``portal.offer.generation``,
written by database triggers) differs from the one it was built at, so a search never sees an
older offer than SQL would. The same rules as ``queries`` and ``sql_rules``; the tests hold the
two roads equal on random offers and searches (tests/search/test_memory.py, test_queries.py).
"""
from __future__ import annotations

import datetime as dt
import math
import threading

import numpy as np

from portal.core.limits import without_time_limit
from portal.extensions import db
from portal.geo.distance import EARTH_RADIUS, bounding_box
from portal.geo.gazetteer import Place
from portal.offer import codes, rules
from portal.offer.generation import generation_to_keep
from portal.search.cards import CourseCard
from portal.search.filters import CourseFilters
from portal.search.snapshot import NONE, Snapshot, day_number
from portal.search.text_index import TextIndex

# Cards kept by an index (see cards_of); past this many they are dropped and made again.
MAX_CARDS = 20000


class OfferIndex:
    def __init__(self, generation: int | None, snapshot: Snapshot) -> None:
        self.generation = generation
        self.snapshot = snapshot
        self.courses, self.entries = snapshot.courses, snapshot.entries
        self.bassins, self.next_start_on = snapshot.bassins, snapshot.next_start_on
        self._next_starts: dict[dt.date, np.ndarray] = {}
        self._cards: dict[int, CourseCard] = {}
        self._row_of: dict[int, int] = {}
        self._text_index: TextIndex | None = None

    @classmethod
    def load(cls, generation: int | None) -> OfferIndex:
        return cls(generation, Snapshot.read())

    def cards_of(self, ids: list[int]) -> list[CourseCard]:
        """The cards of ``ids``, in order, made from the snapshot (kept, up to MAX_CARDS)."""
        if not self._row_of:
            self._row_of = {int(course_id): row for row, course_id in enumerate(self.courses.ids)}
        if len(self._cards) + len(ids) > MAX_CARDS:
            self._cards = {}
        cards = []
        for course_id in ids:
            card = self._cards.get(course_id)
            if card is None:
                card = self._cards[course_id] = self.snapshot.card(self._row_of[course_id])
            cards.append(card)
        return cards

    # -- the search ------------------------------------------------------------------------
    def matches(self, filters: CourseFilters) -> np.ndarray:
        """The rows of the visible courses that match ``filters`` (q aside), radius included.
        The place's box (or the bassin) chooses the candidates first; every other test then
        reads only the candidates still in."""
        rows = self._candidates(filters)
        tests = self._tests(filters)
        if isinstance(rows, slice):  # every row: the first test reads whole columns, no copy
            rows = np.flatnonzero(tests.pop(0)(rows))
        for test in tests:
            if not len(rows):
                break
            rows = rows[test(rows)]
        return rows

    def _candidates(self, filters: CourseFilters) -> np.ndarray | slice:
        """The rows in the place's box or the bassin; every row (a slice) without either."""
        c = self.courses
        if filters.place is not None and filters.radius_km is not None:
            return self._in_box(slice(None), filters.place, filters.radius_km)
        if filters.bassin:
            return np.flatnonzero(c.bassin == self.bassins.get(filters.bassin, -1))
        return slice(None)

    def _tests(self, filters: CourseFilters) -> list:
        """The tests of ``filters``, each a function of candidate rows to a mask of them."""
        c = self.courses
        since = rules.visible_since(filters.today).toordinal()
        tests = [lambda rows: c.confirmed[rows] >= since, *self._what(filters), *self._when(filters)]
        if filters.audience:
            # A course for "all" is open to everyone; so is one that names no audience.
            wanted = codes.to_mask([filters.audience, "all"], codes.AUDIENCES)
            tests.append(lambda rows: ((c.audiences[rows] & wanted) != 0) | (c.audiences[rows] == 0))
        if filters.bassin:
            bassin = self.bassins.get(filters.bassin, -1)
            tests.append(lambda rows: c.bassin[rows] == bassin)
        if filters.place is not None and filters.radius_km is not None:
            limit = round(filters.radius_km * 10, 9)
            tests.append(lambda rows: self.tenths_of_km(rows, filters) <= limit)
        return tests + self._text(filters)

    def _text(self, filters: CourseFilters) -> list:
        """The words of q, each in the course's line of index words (as ``words.match_words``),
        found through the vocabulary (portal.search.text_index). At most 10 words, each a pass
        over the vocabulary and at most every (word, course) pair: bounded."""
        if not filters.words:
            return []
        if self._text_index is None:
            self._text_index = TextIndex(self.snapshot.lines)
        text = self._text_index
        return [lambda rows, word=word: text.holding(word)[rows] for word in sorted(set(filters.words))]

    def _what(self, filters: CourseFilters) -> list:
        """Kind, level, cost, childcare, job orientation, sector."""
        c = self.courses
        tests = []
        if filters.kinds:
            allowed = np.zeros(len(codes.COURSE_KINDS), dtype=bool)
            allowed[[codes.COURSE_KINDS.index(kind) for kind in filters.kinds]] = True
            tests.append(lambda rows: allowed[c.kind[rows]])
        if filters.level_rank is not None:
            rank = filters.level_rank
            tests.append(lambda rows: (c.level_min[rows] <= rank) & (c.level_max[rows] >= rank))
        for wanted, column in ((filters.free, c.free), (filters.childcare, c.childcare),
                               (filters.job_oriented, c.job_oriented)):
            if wanted:
                tests.append(lambda rows, column=column: column[rows])
        if filters.sector:
            tests.append(_any_of(c.sectors, codes.to_mask([filters.sector], codes.SECTORS)))
        return tests

    def _when(self, filters: CourseFilters) -> list:
        """Can start in the window, parts of the day, days."""
        c = self.courses
        tests = []
        if filters.start_window is not None:
            window = filters.start_window
            tests.append(lambda rows: self._can_start(rows, *window, filters.today))
        if filters.parts_of_day:
            tests.append(_any_of(c.parts_of_day, codes.to_mask(filters.parts_of_day, codes.PARTS_OF_DAY)))
        if filters.days:
            tests.append(_any_of(c.days, codes.to_mask(filters.days, codes.DAYS)))
        return tests

    def _can_start(self, rows: np.ndarray, start_from: dt.date, start_until: dt.date | None,
                   today: dt.date) -> np.ndarray:
        """rules.can_start_between of the courses of ``rows``."""
        c, e = self.courses, self.entries
        until = day_number(start_until, NONE)
        # The entries of these rows (entries are stored by course row: first[row] to first[row + 1]).
        counts = e.first[rows + 1] - e.first[rows]
        owner = np.repeat(np.arange(len(rows)), counts)
        at = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(e.first[rows], counts)
        in_window = (~e.full[at] & (e.deadline[at] >= today.toordinal())
                     & (e.start[at] >= start_from.toordinal()) & (e.start[at] <= until))
        fixed = np.bincount(owner[in_window], minlength=len(rows)) > 0
        rolling = (c.active_until[rows] >= start_from.toordinal()) & (c.active_from[rows] <= until)
        return np.where(c.rolling[rows], rolling, fixed)

    def next_starts(self, today: dt.date) -> np.ndarray:
        """Course.next_start as the search sorts by it: stored when the daily job ran today,
        else rules.next_entry's date computed here (as the SQL road computes it in the query)."""
        if self.next_start_on == today:
            return self.courses.stored_next
        if today not in self._next_starts:
            self._next_starts = {today: self._compute_next_starts(today)}
        return self._next_starts[today]

    def _compute_next_starts(self, today: dt.date) -> np.ndarray:
        c, e = self.courses, self.entries
        day = today.toordinal()
        fixed = np.full(len(c.ids), NONE, dtype=np.int32)
        usable = ~e.full & (e.deadline >= day) & (e.start >= day)
        np.minimum.at(fixed, e.course[usable], e.start[usable])
        rolling = np.maximum(c.active_from, day)
        rolling = np.where(rolling > c.active_until, NONE, rolling)
        return np.where(c.rolling, rolling, fixed).astype(np.int32)

    def _in_box(self, rows: np.ndarray | slice, place: Place, radius_km: float) -> np.ndarray:
        """The rows (of ``rows``: an array, or a slice for every row) whose site is in the
        bounding box of the circle (the SQL road's prefilter)."""
        box = bounding_box(place.lat, place.lon, radius_km)
        lat, lon = self.courses.lat[rows], self.courses.lon[rows]
        inside = (lat >= box.min_lat) & (lat <= box.max_lat) & (lon >= box.min_lon) & (lon <= box.max_lon)
        return np.flatnonzero(inside) if isinstance(rows, slice) else rows[inside]

    def tenths_of_km(self, rows: np.ndarray, filters: CourseFilters) -> np.ndarray:
        """The distance from the searched place to each row's site in tenths of a km, rounded as
        shown (queries.great_circle_sql and rounded_km)."""
        assert filters.place is not None
        c = self.courses
        lat1, lon1 = math.radians(filters.place.lat), math.radians(filters.place.lon)
        lat2, dlon = np.radians(c.lat[rows]), np.radians(c.lon[rows]) - lon1
        sin_lat2, cos_lat2, cos_dlon = np.sin(lat2), np.cos(lat2), np.cos(dlon)
        y1 = cos_lat2 * np.sin(dlon)
        y2 = math.cos(lat1) * sin_lat2 - math.sin(lat1) * cos_lat2 * cos_dlon
        x = math.sin(lat1) * sin_lat2 + math.cos(lat1) * cos_lat2 * cos_dlon
        km = EARTH_RADIUS * np.arctan2(np.sqrt(y1 * y1 + y2 * y2), x)
        return np.floor(km * 10 + 0.5)

    def page(self, filters: CourseFilters, rows: np.ndarray) -> list[int]:
        """The ids of the page's courses among ``rows``, in the search's order."""
        offset = (filters.page - 1) * filters.per_page
        if offset >= len(rows):
            return []
        if filters.sort == "distance" and filters.place is not None and filters.radius_km is None:
            rows = self._nearest(rows, filters, offset + filters.per_page)
        key = self._sort_key(filters, rows)
        end = min(offset + filters.per_page, len(rows))
        if end < len(rows):
            nearest = np.argpartition(key, end - 1)[:end]
            order = nearest[np.argsort(key[nearest], kind="stable")]
        else:
            order = np.argsort(key, kind="stable")
        return [int(course_id) for course_id in self.courses.ids[rows[order[offset:end]]]]

    def _nearest(self, rows: np.ndarray, filters: CourseFilters, needed: int) -> np.ndarray:
        """Nearest first without a radius: the rows of a circle grown until it holds the rows up
        to this page (any row outside the circle is farther than every row inside it), so that
        distances are computed for a few rows rather than for all."""
        assert filters.place is not None
        radius = 10.0
        while needed < len(rows) and radius < 1200:
            near = self._in_box(rows, filters.place, radius)
            near = near[self.tenths_of_km(near, filters) <= radius * 10]
            if len(near) >= needed:
                return near
            radius *= 2.5
        return rows

    def _sort_key(self, filters: CourseFilters, rows: np.ndarray) -> np.ndarray:
        """One int64 a row: the sort's first key, then the (title_key, ref) rank (unique)."""
        rank = self.courses.rank[rows].astype(np.int64)
        scale = len(self.courses.ids) + 1
        if filters.sort == "distance" and filters.place is not None:
            return self.tenths_of_km(rows, filters).astype(np.int64) * scale + rank
        if filters.sort == "next_entry":
            return self.next_starts(filters.today)[rows].astype(np.int64) * scale + rank
        return rank


def _any_of(column: np.ndarray, mask: int):
    """The test "the course's list (a bit mask) holds at least one of ``mask``"."""
    return lambda rows: (column[rows] & mask) != 0


# -- one index per database and worker -------------------------------------------------------
_INDEXES: dict[str, OfferIndex] = {}
_LOCK = threading.Lock()


def offer_index() -> OfferIndex:
    """This database's index, as of its current generation (rebuilt when the offer changed)."""
    generation = generation_to_keep()
    key = f"{id(db.engine)}:{db.engine.url}"
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None or generation is None or index.generation != generation:
            with without_time_limit():
                index = OfferIndex.load(generation)
            if generation is not None:
                _INDEXES[key] = index
        return index
