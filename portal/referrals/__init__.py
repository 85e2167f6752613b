"""Referrals ("orientations"): a social worker ("accompagnateur") of a service hands a person on to
a course's operator, who answers in the workspace; reminders, closing, the purge of personal data
and the anonymous counts that stay for the cadastre."""
from typing import Any

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/espace")


@bp.app_context_processor
def referral_helpers() -> dict[str, Any]:
    """The public course page asks whether to show the "refer someone" entry point; pages and
    e-mails say a referral's state in words."""
    from portal.referrals.presenters import language_name, referral_status
    from portal.referrals.queries import referral_entry, waiting_count

    return {"referral_entry": referral_entry, "referral_status": referral_status, "language_name": language_name,
            "referrals_waiting": waiting_count}


from portal.referrals import views  # noqa: E402,F401
