""""Did you mean…?": the edit distance, the names it suggests for typos (each one a place the
search knows), and the bound on its cost."""
from __future__ import annotations

import random

import pytest

from portal.geo import suggestions
from portal.geo.gazetteer import MAX_QUERY_LENGTH, OutsideWallonia, UnknownPlace, get_gazetteer
from portal.geo.suggestions import Candidate, Suggester, allowed_edits, bounded_distance


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def full_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook way (every cell)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_bounded_distance_agrees_with_the_full_computation():
    rng = random.Random(10)
    for _ in range(3000):
        a = "".join(rng.choice("abcde") for _ in range(rng.randint(0, 9)))
        b = "".join(rng.choice("abcde") for _ in range(rng.randint(0, 9)))
        limit = rng.randint(0, 3)
        exact = full_distance(a, b)
        assert bounded_distance(a, b, limit) == min(exact, limit + 1), (a, b, limit)


@pytest.mark.parametrize("a, b, distance", [("charleroy", "charleroi", 1), ("naumr", "namur", 1),
                                            ("sharleroi", "charleroi", 1), ("lieje", "liege", 1),
                                            ("namurr", "namur", 1), ("tournai", "tournai", 0)])
def test_typos_are_close(a, b, distance):
    assert bounded_distance(a, b, 3) == distance


@pytest.mark.parametrize("typed, first", [
    ("Charleroy", "Charleroi"), ("Sharleroi", "Charleroi"), ("Namurr", "Namur"), ("Naumr", "Namur"),
    ("Lieje", "Liège"), ("Ottignies Louvain la Neuv", "Ottignies-Louvain-la-Neuve"), ("Mouscronn", "Mouscron"),
    ("Lutich", "Lüttich"), ("Doornick", "Doornik"), ("Шарлероа", "Шарлеруа"), ("ሻርልሮ", "ሻርልሮዋ"),
    ("4000 Liegge", "4000 Liège"), ("6002", "6001 Marcinelle"), ("1399", "1390 Grez-Doiceau"),
    # a name outside Wallonia is suggested too: choosing it says so plainly
    ("Bruxeles", "Bruxelles"),
])
def test_a_typo_gets_the_name_meant(gaz, typed, first):
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve(typed)
    assert not isinstance(info.value, OutsideWallonia)
    assert info.value.suggestions and info.value.suggestions[0] == first
    assert len(info.value.suggestions) <= suggestions.MAX_SUGGESTIONS


@pytest.mark.parametrize("typed", ["Charleroy", "Louvin", "Mont-St-Guibert", "Bastogn", "4001", "7001",
                                   "5000 Namure", "Верьве", "Flobec", "Bruxeles", "Antwerpn"])
def test_every_suggestion_is_a_place_the_search_knows(gaz, typed):
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve(typed)
    assert info.value.suggestions, typed
    for suggestion in info.value.suggestions:
        try:
            gaz.resolve(suggestion)
        except OutsideWallonia:
            pass  # known, and answered plainly


def test_walloon_places_come_before_places_outside_at_the_same_distance():
    suggester = Suggester([Candidate("gant", "Gant", 0, outside="flanders"), Candidate("gand", "Gand", 10),
                           Candidate("gang", "Gang", 5)])
    assert [s.candidate.display for s in suggester.closest("ganx")] == ["Gand", "Gang", "Gant"]


@pytest.mark.parametrize("typed", ["Atlantide", "xyzzy", "Qqqqqqqq", "ab", "5999"])
def test_nothing_close_means_no_suggestion(gaz, typed):
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve(typed)
    assert info.value.suggestions == []


def test_the_cost_is_bounded(gaz, monkeypatch):
    """Only names of about the query's length are compared (and most by a cheap letter test first);
    texts too long for a name are not compared at all."""
    calls = []
    real = suggestions.bounded_distance

    def counting(a, b, limit):
        calls.append(b)
        return real(a, b, limit)

    monkeypatch.setattr(suggestions, "bounded_distance", counting)
    gaz.suggester.closest("charleroy")
    assert 0 < len(calls) < 400
    names = sum(len(group) for group in gaz.suggester._by_length.values())
    assert names > 1500  # …out of that many names
    calls.clear()
    for text in ("a" * suggestions.MAX_LENGTH + "b", "é" * 5000):
        gaz.suggester.closest(text)
    assert calls == []
    with pytest.raises(UnknownPlace) as info:
        gaz.resolve("Charleroi " * (MAX_QUERY_LENGTH // 10 + 1))
    assert info.value.suggestions == []


def test_allowed_edits_grow_with_the_length():
    assert [allowed_edits(n) for n in (1, 2, 3, 5, 6, 10, 11, 30)] == [0, 0, 1, 1, 2, 2, 3, 3]
