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


# ISO 639-1: every two-letter language code in use (183; the withdrawn bh, mo, sh, in, iw, ji
# are not). A site's ``reception_languages`` takes these, in lower case.
ISO_639_1: frozenset[str] = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii
ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi
mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw
sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk
ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# The languages of the portal's public side as ISO 639-1 codes (Dari is ``fa``): the workspace
# offers them as checkboxes, in this order.
PORTAL_LANGUAGES: tuple[str, ...] = ("fr", "nl", "de", "en", "ar", "fa", "ps", "ti", "uk", "ru", "tr")
MAX_RECEPTION_LANGUAGES = 20


def split_language_codes(text: str) -> tuple[list[str], list[str]]:
    """The ISO 639-1 codes of a text ("fr ar", "FR, ar; en"), each once in their order, and the
    other words (not codes), each once."""
    words = dict.fromkeys(text.replace(",", " ").replace(";", " ").replace("/", " ").lower().split())
    return [word for word in words if word in ISO_639_1], [word for word in words if word not in ISO_639_1]
