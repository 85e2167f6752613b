"""The pages to import and export many courses at once: an operator's courses (CSV, XLSX, JSON)
and a bassin's cadastre (JSON). Parse, authorise (permissions), call one function, render."""
from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.bulk import bp, files
from portal.bulk.files import Problem
from portal.bulk.forms import COLUMN_HELP, ImportForm
from portal.bulk.limits import (
    ImportBusy,
    anonymous,
    counted,
    import_rate_limit,
    import_slot,
    importer,
    too_many_imports,
)
from portal.bulk.queries import bassin_document, operator_document, operator_rows, site_address
from portal.bulk.services import BulkOutcome, import_bassin_file, import_operator_file
from portal.core.views import html_error
from portal.extensions import limiter
from portal.normalise import slug
from portal.offer import rules
from portal.offer.services import Counts, ImportSummary
from portal.permissions import bassin_for, operator_for, signed_in

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_COUNTS = re.compile(r"^(\d{1,6})-(\d{1,6})-(\d{1,6})$")

# Another import running on this machine: try again after this many seconds.
BUSY_RETRY_SECONDS = 60
# Every import page counts towards the account's imports (IMPORT_RATE_LIMIT).
limit_imports = limiter.limit(import_rate_limit, key_func=importer, methods=["POST"], exempt_when=anonymous,
                              deduct_when=counted, on_breach=too_many_imports, scope="imports")


def _download(content: bytes | str, fmt: str, filename: str) -> Response:
    return Response(content, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _summary_args(summary: ImportSummary) -> dict[str, str]:
    return {name: f"{c['created']}-{c['updated']}-{c['unchanged']}" for name, c in summary.as_dict().items()}


def _summary_from_args() -> ImportSummary | None:
    """The counts of a finished import, from the address it redirected to."""
    summary, found = ImportSummary(), False
    for name in ("operators", "sites", "courses"):
        match = _COUNTS.match(request.args.get(name, ""))
        if match:
            setattr(summary, name, Counts(*(int(number) for number in match.groups())))
            found = True
    return summary if found else None


def _upload(form: ImportForm) -> tuple[str, bytes]:
    upload = form.file.data
    try:
        return upload.filename or "", upload.stream.read(files.MAX_BYTES + 1)  # one byte more: "too big"
    finally:
        upload.close()  # a large upload is a temporary file


def _form_problems(form: ImportForm) -> list[Problem]:
    return [Problem(str(message)) for messages in form.errors.values() for message in messages]


# -- an operator's courses --------------------------------------------------------------------
@bp.get("/organismes/<ref>/export.<fmt>")
@signed_in
def operator_export(ref: str, fmt: str):
    if fmt not in files.FORMATS:
        abort(404)
    operator = operator_for(ref, "export_courses")
    filename = f"{operator.ref}-cours-{rules.today().isoformat()}.{fmt}"
    if fmt == "json":
        return _download(_json(operator_document(operator)), fmt, filename)
    rows = operator_rows(operator)
    if fmt == "csv":
        return _download(files.csv_bytes(rows), fmt, filename)
    return _download(files.xlsx_bytes(rows, operator.ref), fmt, filename)


Handled = tuple[BulkOutcome, int, dict[str, str]]


def _handle_import(form: ImportForm, run: Callable[[str, bytes, bool, bool], BulkOutcome],
                   done_url: Callable[[ImportSummary], str]) -> Handled | Response:
    """An import page's request: on GET the last summary (from the query); on POST run the file
    (a redirect when written, so a reload does not import twice) or list its problems (400; 409
    when it would undo newer changes; 503 while another import runs on this machine)."""
    if request.method != "POST":
        return BulkOutcome(summary=_summary_from_args()), 200, {}
    if not form.validate_on_submit():
        return BulkOutcome(_form_problems(form)), 400, {}
    filename, data = _upload(form)
    try:
        with import_slot():
            outcome = run(filename, data, form.check_only.data, form.overwrite.data)
    except ImportBusy:
        return (BulkOutcome([Problem(_("Another import is running. Try again in a minute."))]), 503,
                {"Retry-After": str(BUSY_RETRY_SECONDS)})
    if not outcome.problems and not outcome.checked_only:
        return redirect(done_url(outcome.summary))
    if not outcome.problems:
        return outcome, 200, {}
    return outcome, 409 if outcome.conflict else 400, {}


@bp.errorhandler(429)
def too_many_requests(exc):
    """The page a limit prepared (imports: when to try again), else the usual one."""
    return exc.response if getattr(exc, "response", None) is not None else html_error(exc)


@bp.route("/organismes/<ref>/import", methods=["GET", "POST"])
@limit_imports
@signed_in
def operator_import(ref: str):
    operator = operator_for(ref, "import_courses")
    form = ImportForm()
    handled = _handle_import(form, lambda filename, data, check_only, overwrite: import_operator_file(
        operator, filename, data, rules.today(), actor=current_user, check_only=check_only, overwrite=overwrite),
        lambda summary: url_for("bulk.operator_import", ref=operator.ref, **_summary_args(summary)))
    if not isinstance(handled, tuple):
        return handled
    outcome, status, headers = handled
    sites = sorted(operator.sites, key=lambda site: site.ref)
    return render_template("bulk/import.html", operator=operator, form=form, outcome=outcome,
                           columns=COLUMN_HELP, sites=[(site.ref, site_address(site)) for site in sites],
                           export_url=lambda fmt: url_for("bulk.operator_export", ref=operator.ref, fmt=fmt),
                           formats=files.FORMATS, own=current_user.operator_id == operator.id), status, headers


# -- a bassin's cadastre ----------------------------------------------------------------------
@bp.get("/bassins/<bassin>/export.json")
@signed_in
def bassin_export(bassin: str):
    name = bassin_for(bassin, "export_cadastre")
    words = slug(name, limit=200)
    return _download(_json(bassin_document(name)), "json", f"cadastre-{words}-{rules.today().isoformat()}.json")


@bp.route("/bassins/<bassin>/import", methods=["GET", "POST"])
@limit_imports
@signed_in
def bassin_import(bassin: str):
    name = bassin_for(bassin, "import_cadastre")
    form = ImportForm()
    handled = _handle_import(form, lambda filename, data, check_only, overwrite: import_bassin_file(
        name, filename, data, rules.today(), actor=current_user, check_only=check_only, overwrite=overwrite),
        lambda summary: url_for("bulk.bassin_import", bassin=name, **_summary_args(summary)))
    if not isinstance(handled, tuple):
        return handled
    outcome, status, headers = handled
    return render_template("bulk/import.html", bassin=name, form=form, outcome=outcome,
                           export_url=lambda fmt: url_for("bulk.bassin_export", bassin=name),
                           formats=("json",)), status, headers
