""""Did you mean…?": the known place names closest to a name that matches none (edit distance on
folded names). The cost is bounded: a name is only compared with names of about its length, the
distance stops growing past the allowed number of edits, and long texts are not compared at all."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Names longer than this (folded) are not names people type: no suggestions.
MAX_LENGTH = 40
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Candidate:
    folded: str
    display: str  # the spelling to show, and to search with
    weight: int  # ties: the larger (a commune's population) first
    outside: str = ""  # an area outside Wallonia ("brussels", …), or "" for a Walloon place

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(self.folded)


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    distance: int


def allowed_edits(length: int) -> int:
    """How many typing errors a name of that length may hold and still be suggested."""
    if length <= 2:
        return 0
    if length <= 5:
        return 1
    if length <= 10:
        return 2
    return 3


def bounded_distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insertions, deletions, substitutions, swaps of neighbours) between a and b,
    or ``limit + 1`` as soon as it is certain to exceed ``limit``. Only a band of ``2·limit + 1``
    cells per row is computed."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    beyond = limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [beyond] * (len(b) + 1)
        current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return beyond
        previous2, previous = previous, current
    return min(previous[len(b)], beyond)


class Suggester:
    """The names a typo may stand for, grouped by length so that a query reads only its neighbours."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self._by_length: dict[int, list[tuple[frozenset[str], Candidate]]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for candidate in candidates:
            key = (candidate.folded, candidate.outside)
            if candidate.folded and key not in seen:
                seen.add(key)
                self._by_length[len(candidate.folded)].append((candidate.letters, candidate))

    def closest(self, folded: str) -> list[Suggestion]:
        """The nearest names (the smallest distance found, and one more), best first, at most
        MAX_SUGGESTIONS; none for a text too short, too long or too far from every name."""
        limit = allowed_edits(len(folded))
        if not limit or len(folded) > MAX_LENGTH:
            return []
        found = list(self._within(folded, limit))
        if not found:
            return []
        best = min(s.distance for s in found)
        found = [s for s in found if s.distance <= best + 1]
        # Walloon places before places outside Wallonia, larger communes first.
        found.sort(key=lambda s: (s.distance, bool(s.candidate.outside), -s.candidate.weight, s.candidate.folded))
        return _distinct(found)[:MAX_SUGGESTIONS]


    def _within(self, folded: str, limit: int) -> Iterator[Suggestion]:
        """The names at most ``limit`` edits away (only those of a length within ``limit``)."""
        letters = frozenset(folded)
        for length in range(len(folded) - limit, len(folded) + limit + 1):
            for candidate_letters, candidate in self._by_length.get(length, ()):
                # Each edit adds or removes at most one distinct letter: a cheap first cut.
                if len(letters - candidate_letters) > limit or len(candidate_letters - letters) > limit:
                    continue
                distance = bounded_distance(folded, candidate.folded, limit)
                if distance <= limit:
                    yield Suggestion(candidate, distance)


def _distinct(suggestions: list[Suggestion]) -> list[Suggestion]:
    shown: set[str] = set()
    kept = []
    for suggestion in suggestions:
        if suggestion.candidate.display not in shown:
            shown.add(suggestion.candidate.display)
            kept.append(suggestion)
    return kept
