"""Referrals ("orientations"): a social worker ("accompagnateur") of a service hands a person on to
a course's operator, who answers in the workspace; reminders, closing, the purge of personal data
and the anonymous counts that stay for the cadastre."""
from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/espace")


from portal.referrals import views  # noqa: E402,F401
