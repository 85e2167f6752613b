"""Writing alerts: asking for one (a confirmation e-mail: double opt-in), confirming it, stopping
it, and the scheduled job ``alerts`` that mails each alert the entries that opened
(``run_alerts``). Every e-mail goes through the outbox, in the alert's language, with its one-click
stop link (also as List-Unsubscribe, RFC 8058)."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update

from portal.accounts.models import normalise_email
from portal.accounts.tokens import TokenError, make_token, read_token
from portal.alerts.models import Alert, AlertNotice
from portal.alerts.queries import (
    Match,
    alerts_to_run,
    asked_since,
    confirmed_alerts_of,
    describe,
    joinable_matches,
    known_entries,
    query_of,
    same_alert,
    search_of,
    words_of,
)
from portal.db import as_naive_utc, utc_now
from portal.extensions import db
from portal.mail import mail_context, send_mail
from portal.search.filters import CourseFilters, InvalidFilters
from portal.urls import public_url_for

CONFIRM_HOURS = 48  # how long the confirmation link works; an alert not confirmed by then is forgotten
LIFETIME_MONTHS = 6
KEEP_LOG = dt.timedelta(days=90)  # what an ended alert sent stays in the log this long (without the address)
MAX_LISTED = 10  # entries written out in one e-mail; the others are counted, with the search's link
CONFIRM, STOP = "passerelle-alert-confirm", "passerelle-alert-stop"
STOP_LINK_DAYS = 400  # longer than any alert lives


def clock() -> dt.datetime:
    """Now, UTC (the clock of alerts; tests fix it)."""
    return utc_now()


def _now(now: dt.datetime | None) -> dt.datetime:
    return as_naive_utc(now) if now is not None else clock()


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


# -- links ---------------------------------------------------------------------------------------
def link_token(purpose: str, alert: Alert) -> str:
    """The signed token of an alert's confirmation or stop link (its id and when it was asked:
    a link never reaches another alert)."""
    return make_token(purpose, [alert.id, alert.created_at.isoformat()])


def alert_from_link(purpose: str, token: str, now: dt.datetime | None = None) -> Alert | None:
    """The alert of a link; None when it is gone (stopped, ended, never confirmed). Raises
    TokenError for a broken link, or a confirmation link older than CONFIRM_HOURS."""
    max_age = CONFIRM_HOURS * 3600 if purpose == CONFIRM else STOP_LINK_DAYS * 86400
    alert_id, asked_at = read_token(purpose, token, max_age)
    alert = db.session.get(Alert, alert_id) if isinstance(alert_id, int) and 0 < alert_id < 2**31 else None
    if alert is None or alert.created_at.isoformat() != asked_at:
        return None
    if purpose == CONFIRM and not alert.confirmed and alert.created_at < _now(now) - dt.timedelta(hours=CONFIRM_HOURS):
        raise TokenError(expired=True)
    return alert


def _language_argument(alert: Alert) -> str | None:
    return None if alert.language == "fr" else alert.language


def search_url(query: str, language: str, *, external: bool = True, endpoint: str = "search.index") -> str:
    """The results page of an alert's search in its language (or another page of that search:
    ``endpoint``)."""
    extra = "" if language == "fr" else ("&" if query else "") + f"lang={language}"
    base = public_url_for(endpoint, lang=None) if external else url_for(endpoint, lang=None)
    return base + ("?" + query + extra if query or extra else "")


def _links(alert: Alert) -> dict[str, str]:
    lang = _language_argument(alert)
    return {"confirm": url_for("alerts.confirm", token=link_token(CONFIRM, alert), lang=lang, _external=True),
            "stop": url_for("alerts.stop", token=link_token(STOP, alert), lang=lang, _external=True),
            "search": search_url(alert.query, alert.language)}


def _stop_headers(links: dict[str, str]) -> dict[str, str]:
    """One-click unsubscription from the mail program itself (RFC 8058: it POSTs to the link)."""
    return {"List-Unsubscribe": f"<{links['stop']}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# -- asking, confirming, stopping -----------------------------------------------------------------
def ask_for_alert(email: str, filters: CourseFilters, language: str, now: dt.datetime | None = None) -> bool:
    """Record an alert waiting for confirmation and e-mail its confirmation link; False (nothing
    written, nothing sent) when the address was sent ALERT_ADDRESS_DAILY_LIMIT confirmations in
    the last 24 hours. The entries one can already join are noted as known: the person saw them."""
    email, now = normalise_email(email), _now(now)
    if asked_since(email, now - dt.timedelta(days=1)) >= current_app.config["ALERT_ADDRESS_DAILY_LIMIT"]:
        return False
    alert = Alert(email=email, query=query_of(filters), language=language, created_at=now)
    db.session.add(alert)
    db.session.flush()
    _note(alert, joinable_matches(filters), now, sent=False)
    db.session.commit()
    with mail_context(alert.language):
        links = _links(alert)
        body = render_template("alerts/email/confirm.txt", words=describe(filters), links=links, hours=CONFIRM_HOURS,
                               months=LIFETIME_MONTHS)
        subject = _("Passerelle: confirm your e-mail alert")
    send_mail([email], subject, body, holds_link=True, headers=_stop_headers(links))
    return True


def confirm_alert(alert: Alert, now: dt.datetime | None = None) -> tuple[str, Alert]:
    """Start an alert: "confirmed"; "renewed" when the address had the same alert already (it
    runs six more months, the new one is forgotten); "already"; or "too_many" (the address has
    ALERT_MAX_PER_ADDRESS alerts running: nothing changes)."""
    now = _now(now)
    if alert.confirmed:
        return "already", alert
    same = same_alert(alert)
    if same is not None:
        same.confirmed_at, same.expires_at = now, months_later(now, LIFETIME_MONTHS)
        forget_alert(alert)
        return "renewed", same
    if confirmed_alerts_of(alert.email) >= current_app.config["ALERT_MAX_PER_ADDRESS"]:
        return "too_many", alert
    alert.confirmed_at, alert.expires_at = now, months_later(now, LIFETIME_MONTHS)
    db.session.commit()
    return "confirmed", alert


def forget_alert(alert: Alert) -> None:
    """Delete an alert (stopped, ended, never confirmed): what it sent stays in the log without it."""
    db.session.execute(delete(AlertNotice).where(AlertNotice.alert_id == alert.id, AlertNotice.sent.is_(False)))
    db.session.execute(update(AlertNotice).where(AlertNotice.alert_id == alert.id).values(alert_id=None))
    db.session.delete(alert)
    db.session.commit()


def _note(alert: Alert, matches: list[Match], now: dt.datetime, sent: bool) -> None:
    db.session.add_all(AlertNotice(alert_id=alert.id, course_id=match.course.id, entry_key=match.key,
                                   entry_start=match.start, noted_at=now, sent=sent) for match in matches)


# -- the scheduled job -----------------------------------------------------------------------------
@dataclass
class AlertRun:
    """What a run did (or, dry, would do)."""

    told: list[tuple[Alert, list[Match]]] = field(default_factory=list)
    invalid: int = 0
    ended: int = 0
    unconfirmed: int = 0
    old_log: int = 0

    def summary(self) -> str:
        entries = sum(len(matches) for _alert, matches in self.told)
        return (f"alerts: {len(self.told)} e-mail(s) about {entries} new entr{'y' if entries == 1 else 'ies'}; "
                f"{self.ended} ended and {self.unconfirmed} unconfirmed alert(s) forgotten; "
                f"{self.invalid} no longer a valid search; {self.old_log} old log line(s) forgotten")


def new_matches(alert: Alert, today: dt.date) -> list[Match] | None:
    """The joinable entries the alert's search finds that it has not met yet; None when its query
    is no longer a valid search."""
    try:
        filters = search_of(alert.query, today)
    except InvalidFilters:
        return None
    known = known_entries(alert)
    return [match for match in joinable_matches(filters) if (match.course.id, match.key) not in known]


def run_alerts(today: dt.date, now: dt.datetime | None = None, *, dry_run: bool = False) -> AlertRun:
    """The daily job: forget ended and unconfirmed alerts, then e-mail each running alert, once,
    the entries that became joinable among its search's courses, and note them. ``dry_run``:
    only say what it would send."""
    now, run = _now(now), AlertRun()
    if not dry_run:
        run.ended, run.unconfirmed, run.old_log = forget_old(now)
    for alert_id in alerts_to_run(now):
        alert = db.session.get(Alert, alert_id)
        matches = new_matches(alert, today)
        if matches is None:
            run.invalid += 1
        elif matches:
            run.told.append((alert, matches))
            if not dry_run:
                tell(alert, matches, today, now)
    return run


def tell(alert: Alert, matches: list[Match], today: dt.date, now: dt.datetime) -> None:
    """E-mail an alert's new entries (MAX_LISTED written out) and note them as sent."""
    matches = sorted(matches, key=lambda match: (match.start, match.course.title_key, match.course.ref))
    with mail_context(alert.language):
        links = _links(alert)
        lang = _language_argument(alert)
        body = render_template(
            "alerts/email/news.txt", alert=alert, words=words_of(alert.query), today=today,
            listed=[(match, url_for("search.course", ref=match.course.ref, lang=lang, _external=True))
                    for match in matches[:MAX_LISTED]], count=len(matches), more=len(matches) - MAX_LISTED, links=links)
        subject = ngettext("Passerelle: a course like your search opens",
                           "Passerelle: %(num)s courses like your search open", len(matches))
    send_mail([alert.email], subject, body, holds_link=True, headers=_stop_headers(links))
    _note(alert, matches, now, sent=True)
    db.session.commit()


def forget_old(now: dt.datetime) -> tuple[int, int, int]:
    """Forget alerts that ended, alerts never confirmed in time, and the log lines of ended
    alerts after KEEP_LOG. Returns how many of each."""
    ended = list(db.session.scalars(select(Alert).where(Alert.expires_at <= now)))
    unconfirmed = list(db.session.scalars(select(Alert).where(
        Alert.confirmed_at.is_(None), Alert.created_at < now - dt.timedelta(hours=CONFIRM_HOURS))))
    for alert in ended + unconfirmed:
        forget_alert(alert)
    old = db.session.execute(delete(AlertNotice).where(AlertNotice.alert_id.is_(None),
                                                       AlertNotice.noted_at < now - KEEP_LOG))
    db.session.commit()
    return len(ended), len(unconfirmed), old.rowcount or 0
