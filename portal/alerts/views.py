"""The public pages of alerts (ask, confirm, stop) and the Atom feed of any search.

Pages of every public language, no account, no cookie. The search is the page's URL: the same
parameters as the results page, validated by the same ``parse_filters``."""
from __future__ import annotations

import dataclasses

from babel import Locale
from flask import Response, current_app, render_template, request

from portal.accounts.tokens import TokenError
from portal.alerts import bp
from portal.alerts.feed import atom_feed
from portal.alerts.forms import AlertForm
from portal.alerts.presenters import alert_urls
from portal.alerts.queries import describe, query_of, words_of
from portal.alerts.services import (
    CONFIRM,
    CONFIRM_HOURS,
    LIFETIME_MONTHS,
    STOP,
    alert_from_link,
    ask_for_alert,
    confirm_alert,
    forget_alert,
    search_url,
)
from portal.extensions import limiter
from portal.geo.gazetteer import get_gazetteer
from portal.i18n import page_language
from portal.offer import rules
from portal.permissions import public
from portal.search.filters import InvalidFilters, language_error, parse_filters
from portal.search.queries import search_courses
from portal.search.views import PAGE_PARAMETERS, page_arguments

FEED_PER_PAGE = 50  # entries of a feed unless per_page says otherwise


def alert_rate_limit() -> str:
    """ALERT_RATE_LIMIT: alerts asked per visitor address (each one e-mails an address)."""
    return current_app.config["ALERT_RATE_LIMIT"]


def _search():
    """The search of this page's URL, or its errors."""
    try:
        return parse_filters(page_arguments(request.args), get_gazetteer(), rules.today(),
                             extra_parameters=PAGE_PARAMETERS), []
    except InvalidFilters as exc:
        return None, exc.errors


@bp.route("/alerte", methods=["GET", "POST"])
@limiter.limit(alert_rate_limit, methods=["POST"])
@public
def new():
    filters, errors = _search()
    if filters is None:
        return render_template("alerts/bad_search.html", errors=errors), 400
    language = page_language().code
    form = AlertForm()
    if form.validate_on_submit():
        # The same answer whether an e-mail went or the address had enough of them today.
        ask_for_alert(form.email.data, filters, language)
        return render_template("alerts/sent.html", email=form.email.data.strip(), hours=CONFIRM_HOURS,
                               search_url=search_url(query_of(filters), language, external=False))
    return render_template("alerts/new.html", form=form, words=describe(filters), months=LIFETIME_MONTHS,
                           language_name=language_in_sentence(page_language().locale),
                           search_url=search_url(query_of(filters), language, external=False),
                           feed_url=alert_urls()["feed"]), 400 if request.method == "POST" else 200


def language_in_sentence(locale: str) -> str:
    """A language named in itself as inside a sentence ("français", not the switcher's "Français")."""
    own = Locale.parse(locale)
    return own.languages.get(locale) or own.get_display_name() or locale


def _broken_link(expired: bool):
    return render_template("alerts/link_invalid.html", expired=expired), 404


@bp.route("/alerte/confirmer/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    """The link of the confirmation e-mail shows a button: a program that opens links in e-mails
    (a virus scanner) cannot start an alert; the owner of the address presses it."""
    try:
        alert = alert_from_link(CONFIRM, token)
    except TokenError as exc:
        return _broken_link(exc.expired)
    if alert is None:
        return _broken_link(True)
    outcome = "waiting"
    if request.method == "POST":
        outcome, alert = confirm_alert(alert)
    elif alert.confirmed:
        outcome = "already"
    return render_template("alerts/confirm.html", alert=alert, outcome=outcome,
                           words=words_of(alert.query),
                           search_url=search_url(alert.query, alert.language, external=False),
                           limit=current_app.config["ALERT_MAX_PER_ADDRESS"]), 409 if outcome == "too_many" else 200


@bp.route("/alerte/arreter/<token>", methods=["GET", "POST"])
@public
def stop(token: str):
    """One click: opening the link stops the alert (and so does the POST of a mail program,
    RFC 8058). Stopping twice says the same."""
    try:
        alert = alert_from_link(STOP, token)
    except TokenError as exc:
        return _broken_link(exc.expired)
    again = None
    if alert is not None:
        again = search_url(alert.query, alert.language, external=False, endpoint="alerts.new")
        forget_alert(alert)
    return render_template("alerts/stopped.html", again=again)


@bp.get("/flux.atom")
@public
def feed():
    """The Atom feed of a search: its courses (FEED_PER_PAGE unless per_page says otherwise), each
    with its next start, for organisations and partner sites."""
    problem = language_error(request.args)
    if problem is None:
        filters, errors = _search()
        problem = errors[0] if errors else None
    if problem is not None:
        return Response(f"{problem.parameter}: {problem.message}\n", status=400, mimetype="text/plain")
    if not request.args.get("per_page"):
        filters = dataclasses.replace(filters, per_page=FEED_PER_PAGE)
    body = atom_feed(search_courses(filters), page_language().code)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=900"  # feed readers come back often
    return response

