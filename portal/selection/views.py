"""The selection's pages: the sheet to print, the short link with its QR code to scan and the
texts to send, the short link itself, the calendar file."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.db import utc_now
from portal.extensions import csrf, limiter
from portal.i18n import BY_CODE, DEFAULT, LANGUAGES, Language, page_language
from portal.offer import rules
from portal.permissions import public
from portal.selection import bp
from portal.selection.calendar import selection_calendar
from portal.selection.models import ShortLink
from portal.selection.refs import PARAMETER, current_selection, requested_refs, resolve
from portal.selection.services import find_short_link, is_expired, short_link_for
from portal.selection.sheet import PERSON, build_sheet, person_language, qr_svg
from portal.urls import public_url_for


@bp.get("/selection")
@public
def sheet():
    today = rules.today()
    selection = current_selection()
    person, wrong = person_language(request.args.get(PERSON), page_language())
    error = _("Choose a language from the list.") if wrong else None
    return render_template(
        "selection/sheet.html", sheet=build_sheet(selection.courses, person, today), person=person,
        person_error=error, languages=LANGUAGES, dropped=len(requested_refs()) - len(selection.refs),
    ), 400 if wrong else 200


def short_link_rate_limit() -> str:
    return current_app.config["SHORT_LINK_RATE_LIMIT"]


@bp.post("/selection/lien-court")
@public
@limiter.limit(short_link_rate_limit, methods=["POST"])
def make_short_link():
    """Make (or find again) the short link of this selection in the person's language. No CSRF
    token: public pages set no cookie, and a link to public courses is no secret nor a favour."""
    selection = current_selection()
    person, wrong = person_language(request.form.get(PERSON), page_language())
    if wrong:
        abort(400)
    if not selection.refs:
        return redirect(url_for("selection.sheet", person=person.code), 303)
    link = short_link_for(selection.refs, person.code)
    return redirect(url_for("selection.share", code=link.code), 303)


csrf.exempt(make_short_link)


def _link_or_error(code: str) -> ShortLink | tuple[str, int]:
    link = find_short_link(code)
    if link is not None and not is_expired(link):
        return link
    page = render_template("errors/error.html", heading=_("This link does not work any more"),
                           message=_("A link to a list of courses works for six months. Ask for a new one, "
                                     "or search for courses again."))
    return page, 404 if link is None else 410


def _message(language: Language, url: str) -> dict:
    """The e-mail's subject and the short text of the e-mail and the SMS: a line in the person's
    language, one in French when that is another, then the link."""
    lines = []
    for each in dict.fromkeys((language, DEFAULT)):
        with force_locale(each.locale):
            lines.append((each, _("The French courses chosen for you:")))
    with force_locale(language.locale):
        subject = _("French courses chosen for you")
    body = "\n".join([*(text for _language, text in lines), url])
    return {"subject": subject, "lines": lines, "url": url,
            "mailto": f"mailto:?subject={quote(subject)}&body={quote(body)}",
            "sms": f"sms:?body={quote(body)}"}


@bp.get("/selection/partager/<code>")
@public
def share(code: str):
    found = _link_or_error(code)
    if not isinstance(found, ShortLink):
        return found
    language = BY_CODE.get(found.language, DEFAULT)
    url = public_url_for("selection.open_short_link", code=found.code, lang=None)
    selection = resolve(found.ref_list, rules.today())
    return render_template(
        "selection/share.html", link=found, url=url, qr=qr_svg(url), person=language, selection=selection,
        message=_message(language, url),
        sheet_url=url_for("selection.sheet", **{PARAMETER: found.refs, PERSON: found.language}),
        calendar_url=url_for("selection.calendar", **{PARAMETER: found.refs, PERSON: found.language}),
    )


@bp.get("/s/<code>")
@public
def open_short_link(code: str):
    """What the person scanned or received: the sheet in their language."""
    found = _link_or_error(code)
    if not isinstance(found, ShortLink):
        return found
    language = None if found.language == DEFAULT.code else found.language
    return redirect(url_for("selection.sheet", **{PARAMETER: found.refs, "lang": language, PERSON: found.language}))


@bp.get("/selection/calendrier.ics")
@public
def calendar():
    person, wrong = person_language(request.args.get(PERSON), page_language())
    if wrong:
        abort(400)
    body = selection_calendar(current_selection().courses, person, rules.today(), utc_now())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="passerelle-cours.ics"'})
