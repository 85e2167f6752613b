"""The selection (issue 11, parts 1 and 2): courses chosen for a person, kept in the URL, and
what a social worker hands over — a bilingual A4 sheet, a short link with its QR code, the texts
to send by e-mail or SMS, a calendar file."""
from flask import Blueprint

bp = Blueprint("selection", __name__)

from portal.selection import views  # noqa: E402,F401
