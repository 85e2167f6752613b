"""Command-line groups: ``offer import|export|remind``, ``jobs run|status``, ``demo load``,
``translate``; ``users`` is in ``portal.accounts.cli``, ``mail`` in ``portal.mail.cli``."""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.db import is_disk_full
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.offer.models import Course
from portal.offer.services import ImportSummary, WriteConflict, export_offer, import_offer
from portal.offer.validation import MAX_PROBLEMS, OfferDocumentError


@click.group("offer")
def offer_cli() -> None:
    """Import and export the offer (passerelle-offer/1 documents)."""


@contextmanager
def _document_path(name: str) -> Iterator[Path]:
    """The file to import; standard input is first copied to a temporary file (the import reads
    its document twice, as a stream)."""
    if name != "-":
        yield Path(name)
        return
    with tempfile.NamedTemporaryFile(suffix=".json") as copy:
        shutil.copyfileobj(sys.stdin.buffer, copy)
        copy.flush()
        yield Path(copy.name)


def _print_summary(summary: ImportSummary) -> None:
    for name, counts in summary.as_dict().items():
        click.echo(f"{name}: {counts['created']} created, {counts['updated']} updated, "
                   f"{counts['unchanged']} unchanged")


def run_import(document: Any, *, quiet: bool = False, source: str = "cli") -> ImportSummary:
    """Import a document (parsed, or the path of a JSON file, read as a stream), printing progress
    on stderr for large files."""
    def progress(done: int, total: int) -> None:
        if not quiet and total >= 1000:
            click.echo(f"\r{done}/{total} courses…", nl=done == total, err=True)

    return import_offer(document, get_gazetteer(), rules.today(), progress=progress, source=source)


@offer_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@with_appcontext
def import_command(file: str) -> None:
    """Upsert operators, sites and courses by ref from FILE ("-" for stdin). All or nothing. An
    admin's tool: it overwrites whatever changed since the file was made. The file is read as a
    stream: 100,000 courses take about 200 MB (220 MB when every course changed)."""
    try:
        with _document_path(file) as path:
            summary = run_import(path)
    except OfferDocumentError as exc:
        if exc.stopped:
            click.echo(f"Import refused: validation stopped after {MAX_PROBLEMS} problems; nothing was changed.",
                       err=True)
        else:
            click.echo(f"Import refused: {len(exc.errors)} error(s); nothing was changed.", err=True)
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    except WriteConflict:
        click.echo("Import refused: another change wrote some of the same refs at the same moment; nothing was "
                   "changed. Run it again.", err=True)
        sys.exit(1)
    except OperationalError as exc:
        db.session.rollback()
        reason = "the database's disk is full" if is_disk_full(exc) else f"the database failed ({exc.orig})"
        click.echo(f"Import refused: {reason}; nothing was changed.", err=True)
        sys.exit(1)
    _print_summary(summary)


@offer_cli.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8"))
@with_appcontext
def export_command(file: click.File) -> None:
    """Write the whole offer to FILE ("-" for stdout) as a passerelle-offer/1 document."""
    document = export_offer()
    json.dump(document, file, ensure_ascii=False, indent=1)
    file.write("\n")
    if file.name != "<stdout>":
        courses = sum(len(o["courses"]) for o in document["operators"])
        click.echo(f"Exported {len(document['operators'])} operators and {courses} courses.", err=True)


@offer_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Show who would be reminded; send and record nothing.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """E-mail operators whose courses are going stale or have no session open to registration any
    more (the daily job "reminders" does it too). Never twice for a course and a reason."""
    from portal.reminders.queries import plan_reminders
    from portal.reminders.services import send_reminder

    today = rules.today()
    plans = plan_reminders(today)
    sent = 0
    for plan in plans:
        refs = ", ".join(course.ref for course in plan.all_courses)
        what = f"{len(plan.all_courses)} course(s)"
        if not plan.recipients:
            closed = f", {len(plan.closed)} with registrations closed" if plan.closed else ""
            click.echo(f"{plan.operator.ref}: {len(plan.courses)} course(s) going stale{closed} but no active "
                       f"account to write to ({refs})")
            continue
        if dry_run:
            click.echo(f"{plan.operator.ref}: would remind {', '.join(plan.recipients)} of {what} ({refs})")
            continue
        send_reminder(plan, today)
        sent += 1
        click.echo(f"{plan.operator.ref}: reminded {', '.join(plan.recipients)} of {what}")
    if dry_run:
        click.echo(f"Dry run: {sum(1 for p in plans if p.recipients)} reminder(s) would be sent; nothing was sent.")
    else:
        click.echo(f"{sent} reminder(s) sent.")


@click.group("jobs")
def jobs_cli() -> None:
    """Scheduled jobs (call `jobs run` from cron every few minutes)."""


@jobs_cli.command("run")
@click.option("--only", "only", multiple=True, metavar="NAME", help="Run only this job (repeatable).")
@click.option("--force", is_flag=True, help="Run the jobs even if they are not due.")
@with_appcontext
def jobs_run_command(only: tuple[str, ...], force: bool) -> None:
    """Run every job that is due, each at most once at a time across servers; exit 1 if one failed."""
    from portal.jobs.schedule import job_named
    from portal.jobs.services import run_jobs

    unknown = [name for name in only if job_named(name) is None]
    if unknown:
        raise click.BadParameter(f"unknown job {unknown[0]!r}", param_hint="--only")
    outcomes = run_jobs(only=only, force=force)
    for outcome in outcomes:
        if outcome.status in ("ok", "failed"):
            click.echo(f"{outcome.job}: {outcome.status} in {outcome.seconds:.2f} s: {outcome.summary}")
        elif only:
            click.echo(f"{outcome.job}: {outcome.status.replace('_', ' ')}")
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(1)


@jobs_cli.command("status")
@with_appcontext
def jobs_status_command() -> None:
    """Each job: when it is due, its last run and how it ended."""
    from portal.jobs.services import job_overview

    for job, state, last in job_overview():
        when = f"every {job.every}" if job.every is not None else f"daily from {job.daily_at:%H:%M} (Brussels)"
        click.echo(f"{job.name} ({when}): {job.description}")
        if last is None:
            click.echo("  never run")
            continue
        failures = f", {state.failures} failure(s) in a row" if state is not None and state.failures else ""
        click.echo(f"  last run {last.started_at:%Y-%m-%d %H:%M:%S} UTC on {last.host}: {last.status}{failures}"
                   f" — {last.summary or ''}")


@click.group("demo")
def demo_cli() -> None:
    """The demonstration offer (fictional operators in real communes)."""


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has courses.")
@with_appcontext
def demo_load_command(if_empty: bool) -> None:
    """Load the demo offer through the normal import, dates moved to today."""
    from portal.demo import demo_document

    if if_empty and db.session.scalar(select(func.count(Course.id))):
        click.echo("The database already has courses: demo not loaded.")
        return
    try:
        summary = run_import(demo_document(rules.today()), source="demo")
    except OfferDocumentError as exc:  # pragma: no cover - the shipped file is tested
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    _print_summary(summary)


@click.group("translate")
def translate_cli() -> None:
    """Translation catalogues (pybabel): extract, update, compile."""


def _pybabel(*args: str) -> None:
    import subprocess

    from portal.config import BASE_DIR

    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    if subprocess.run(command, cwd=BASE_DIR).returncode:
        raise click.ClickException(f"pybabel {args[0]} failed")


def _extract() -> None:
    """Every translatable string into the template, with the files that use it (not the lines,
    which move): the public pages' strings are told from the workspace's by their files."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--add-location=file",
             "--sort-output", "--width", "100", "-o", "portal/translations/messages.pot", ".")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract every translatable string and merge it into the catalogues."""
    _extract()
    _pybabel("update", "-i", "portal/translations/messages.pot", "-d", "portal/translations",
             "--no-fuzzy-matching", "--width", "100")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogues (.po → .mo)."""
    _pybabel("compile", "-d", "portal/translations")


@translate_cli.command("coverage")
def translate_coverage() -> None:
    """How far each catalogue is: strings wanted, translated, review status, problems."""
    from portal.i18n import LANGUAGES, SOURCE_LOCALE, review_status
    from portal.translations.catalogues import TEMPLATE, coverage, load

    template = load(TEMPLATE)
    status = review_status()
    for language in LANGUAGES:
        if language.locale == SOURCE_LOCALE:
            click.echo(f"{language.code:6} source language of the strings")
            continue
        report = coverage(language.locale, template)
        click.echo(f"{language.code:6} {report.translated:4}/{report.wanted:<4} {report.percent:5.1f} %  "
                   f"{status.get(language.locale, 'draft'):8}  {len(report.problems)} problem(s)")
        for problem in report.problems[:20]:
            click.echo(f"         {problem}")


@translate_cli.command("export")
@click.argument("language")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="CSV file to write (default: the terminal).")
def translate_export(language: str, output) -> None:
    """A CSV sheet of LANGUAGE's strings for a reviewer (English, French reference, translation)."""
    from portal.i18n import BY_CODE, BY_LOCALE, SOURCE_LOCALE
    from portal.translations.catalogues import export_for_review

    found = BY_CODE.get(language) or BY_LOCALE.get(language)
    if found is None or found.locale in (SOURCE_LOCALE, "fr"):
        raise click.BadParameter(f"not a translated language: {language}", param_hint="LANGUAGE")
    output.write(export_for_review(found.locale))


@translate_cli.command("init")
@click.argument("language")
def translate_init(language: str) -> None:
    """Start a catalogue for a new LANGUAGE (e.g. nl)."""
    _extract()
    _pybabel("init", "-i", "portal/translations/messages.pot", "-d", "portal/translations", "-l", language)


# The accounts' group lives with the accounts.
from portal.accounts.cli import users_cli  # noqa: E402,F401
