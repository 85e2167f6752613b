"""What the guided route (``/trouver``) deduces from a person's answers: which kinds of course, one
level, the time of day, childcare and job orientation, as the search's own filters.

The deduction is the small tables below, read row by row; ``tests/guide/test_deduction.py`` has a
case for every row. The words of each answer are in ``portal.labels`` (GUIDE_* tables)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The answers, in the order the buttons show them.
SPEAK: tuple[str, ...] = ("none", "little", "well")  # do you speak French?
READ: tuple[str, ...] = ("yes", "little", "no")  # can you read and write (your language, or French)?
GOALS: tuple[str, ...] = ("daily", "job", "training", "nationality")  # what for?
TIMES: tuple[str, ...] = ("morning", "afternoon", "evening", "weekend", "any")  # when are you free?
CHILDCARE: tuple[str, ...] = ("yes", "no")  # do you need childcare?

# (speak, read) → (kinds, level). The kinds are domain.md's: alpha_nf = does not speak French, little
# or no schooling; fle = does not speak French, went to school in their language; alpha_fr = speaks
# French, does not master reading and writing; ran = speaks French, went to school, wants to improve.
# "read" asks about the person's own language, or about French when they speak it well. "A little"
# reading is little schooling for someone without French (both Alpha and FLE may fit at A1). The level
# is a first guess on domain.md's scale: the centre tests it at registration.
COURSES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("none", "no"): (("alpha_nf",), "alpha"),
    ("none", "little"): (("alpha_nf",), "alpha"),
    ("none", "yes"): (("fle",), "A1"),
    ("little", "no"): (("alpha_nf",), "alpha"),
    ("little", "little"): (("alpha_nf", "fle"), "A1"),
    ("little", "yes"): (("fle",), "A1"),
    ("well", "no"): (("alpha_fr",), "alpha"),
    ("well", "little"): (("alpha_fr",), "A1"),
    ("well", "yes"): (("fle", "ran"), "B1"),
}
# goal → job_oriented: a job and a vocational training both call for courses "towards a job".
JOB_ORIENTED: dict[str, bool] = {"daily": False, "job": True, "training": True, "nationality": False}
# time → (part_of_day, day) of the search.
SCHEDULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "morning": (("morning",), ()),
    "afternoon": (("afternoon",), ()),
    "evening": (("evening",), ()),
    "weekend": ((), ("sat", "sun")),
    "any": ((), ()),
}
# childcare → the search's childcare filter.
NEEDS_CHILDCARE: dict[str, bool] = {"yes": True, "no": False}


@dataclass(frozen=True)
class Deduction:
    """The search a person's answers call for. Empty values mean "no restriction"."""

    kinds: tuple[str, ...] = ()
    level: str | None = None
    job_oriented: bool = False
    parts_of_day: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    childcare: bool = False

    @property
    def has_time(self) -> bool:
        return bool(self.parts_of_day or self.days)


def deduce(answers: Mapping[str, str | None]) -> Deduction:
    """The deduction of ``answers`` (``speak``, ``read``, ``goal``, ``time``, ``childcare``); an
    answer that is missing or not one of its codes restricts nothing."""
    kinds, level = COURSES.get((answers.get("speak") or "", answers.get("read") or ""), ((), None))
    parts_of_day, days = SCHEDULES.get(answers.get("time") or "", ((), ()))
    return Deduction(
        kinds=kinds, level=level,
        job_oriented=JOB_ORIENTED.get(answers.get("goal") or "", False),
        parts_of_day=parts_of_day, days=days,
        childcare=NEEDS_CHILDCARE.get(answers.get("childcare") or "", False),
    )
