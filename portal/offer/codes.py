"""The codes of domain.md, in their canonical order (exports and masks follow this order)."""
from __future__ import annotations

LEVELS: tuple[str, ...] = ("alpha", "A1", "A2", "B1", "B2", "C1")
COURSE_KINDS: tuple[str, ...] = ("alpha_fr", "alpha_nf", "fle", "ran")
OPERATOR_KINDS: tuple[str, ...] = (
    "asbl", "cisp", "promotion_sociale", "lire_et_ecrire", "cpas", "cri", "forem", "commune", "other",
)
SECTORS: tuple[str, ...] = (
    "construction", "care", "cleaning", "horeca", "logistics", "retail", "industry",
    "agriculture", "transport", "it", "childcare_work", "other",
)
PREPARES_FOR: tuple[str, ...] = (
    "qualifying_training_entry_test", "skills_validation", "ceb", "citizenship",
    "driving_licence_theory", "higher_education",
)
AUDIENCES: tuple[str, ...] = (
    "all", "job_seekers", "cpas", "newcomers", "women", "young_adults", "workers",
)
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY: tuple[str, ...] = ("morning", "afternoon", "evening")
REGISTRATION_MODES: tuple[str, ...] = ("direct", "shared_intake")
ENTRY_MODES: tuple[str, ...] = ("fixed", "rolling")
ENTRY_STATUSES: tuple[str, ...] = ("open", "waiting_list", "full")
COURSE_STATUSES: tuple[str, ...] = ("draft", "published", "archived")


def level_rank(level: str) -> int:
    """Position of a level on the scale alpha < A1 < … < C1."""
    return LEVELS.index(level)


def to_mask(values: list[str] | tuple[str, ...], codes: tuple[str, ...]) -> int:
    """Bit mask of a list of codes (bit i = codes[i]); lets SQL filter lists with one AND."""
    mask = 0
    for value in values:
        mask |= 1 << codes.index(value)
    return mask


def from_mask(mask: int, codes: tuple[str, ...]) -> list[str]:
    """The codes of a bit mask, in canonical order."""
    return [code for i, code in enumerate(codes) if mask & (1 << i)]
