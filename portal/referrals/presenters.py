"""Words of a referral's state, as the pages and the e-mails say it."""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from portal import labels
from portal.i18n import BY_CODE
from portal.referrals.models import Referral


def referral_status(referral: Referral, with_reason: bool = False) -> str:
    """One sentence: "Accepted for the entry of 11 January 2027", "Not suitable: …". The reason
    (written by the operator) only where it may be read (``with_reason``: not in e-mails)."""
    if referral.status == "accepted" and referral.entry_start:
        return _("Accepted for the entry of %(date)s", date=format_date(referral.entry_start, "long"))
    if referral.status == "not_suitable":
        return (_("Not suitable: %(reason)s", reason=referral.reason) if with_reason and referral.reason
                else _("Not suitable (the reason is in the workspace)"))
    return labels.label(labels.REFERRAL_STATUSES, referral.status)


def language_names(referral: Referral) -> list[str]:
    """The languages the person speaks, each named in itself, then the others as the worker wrote them."""
    names = [BY_CODE[code].name for code in referral.language_codes if code in BY_CODE]
    return names + ([referral.other_languages] if referral.other_languages else [])


def language_name(code: str) -> str:
    """A public language named in itself, and in the page's language when that differs:
    "العربية (arabe)"."""
    from babel import Locale
    from flask_babel import get_locale

    language = BY_CODE.get(code)
    if language is None:
        return code
    here = Locale.parse(language.locale).get_display_name(get_locale()) or ""
    return language.name if here.casefold() == language.name.casefold() else f"{language.name} ({here})"
