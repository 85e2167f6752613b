"""E-mail alerts ("tell me when a course like this opens") and the Atom feed of any search.

An alert is an e-mail address, a search (its query string) and a language: nothing else about the
person. It starts only when the address's owner confirms it from the e-mail it receives (double
opt-in), stops in one click from any of its e-mails, and ends by itself after six months. The
scheduled job ``alerts`` mails each alert, once, every entry that becomes joinable among the
courses its search finds (the public search itself: ``portal.search``)."""
from flask import Blueprint

bp = Blueprint("alerts", __name__)

from portal.alerts import views  # noqa: E402,F401
