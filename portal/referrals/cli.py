"""``flask referrals remind|purge|counts`` (what the scheduled jobs do, by hand, with ``--dry-run``)
and ``flask services create|list`` (the services whose social workers have accounts)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.db import utc_now
from portal.extensions import db


@click.group("referrals")
def referrals_cli() -> None:
    """Referrals: reminders to operators, closing, deleting old ones, the anonymous counts."""


def _line(referral) -> str:
    return (f"referral {referral.id} to {referral.course.ref} ({referral.operator.ref}), sent "
            f"{referral.sent_at:%Y-%m-%d}, last news {referral.last_event_at:%Y-%m-%d}, {referral.status}")


@referrals_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Show what would be done; send and change nothing.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """Remind operators of referrals unanswered after 5 working days (once); close as "no answer"
    those unanswered after 30 days (the daily job "referrals" does both)."""
    from portal.referrals.services import close_unanswered, remind_operators

    now = utc_now()
    verb = ("would remind", "would close") if dry_run else ("reminded", "closed")
    for referral in remind_operators(now, dry_run=dry_run):
        click.echo(f"{verb[0]} the operator of {_line(referral)}")
    for referral in close_unanswered(now, dry_run=dry_run):
        click.echo(f"{verb[1]} {_line(referral)}")
    if dry_run:
        click.echo("Dry run: nothing was sent or changed.")


@referrals_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Show what would be deleted; delete nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete the referrals 90 days after their last news, keeping their anonymous counts (the
    daily job "referral_purge" does it)."""
    from portal.referrals.services import delete_old

    deleted = delete_old(utc_now(), dry_run=dry_run)
    for referral in deleted:
        click.echo(f"{'would delete' if dry_run else 'deleted'} {_line(referral)}")
    click.echo(f"Dry run: {len(deleted)} referral(s) would be deleted; nothing was deleted." if dry_run
               else f"{len(deleted)} referral(s) deleted, their anonymous counts kept.")


@referrals_cli.command("counts")
@with_appcontext
def counts_command() -> None:
    """The anonymous counts left by deleted referrals: month, course, outcome, answer time, count."""
    from portal.referrals.queries import counts_overview

    for row in counts_overview():
        days = "-" if row["answer_working_days"] is None else f"{row['answer_working_days']} working day(s)"
        click.echo(f"{row['month']}  {row['course'] or '(course deleted)'}  {row['outcome']}  {days}  {row['count']}")


@click.group("services")
def services_cli() -> None:
    """Services (CPAS, Forem offices, associations) whose social workers send referrals."""


@services_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(["cpas", "forem", "cri", "mire", "association", "other"]), required=True)
@click.option("--postal-code", required=True, help="The service's postal code (it gives its bassin).")
@with_appcontext
def services_create(name: str, kind: str, postal_code: str) -> None:
    """Create a service; then `flask users create EMAIL --role social_worker --service REF`."""
    from portal.geo.gazetteer import get_gazetteer
    from portal.normalise import slug
    from portal.offer.refs import unique_ref
    from portal.referrals.models import Service

    postal = get_gazetteer().postal_code(postal_code.strip())
    if postal is None:
        raise click.BadParameter("not a Walloon postal code", param_hint="--postal-code")
    service = Service(ref=unique_ref(Service, slug(name) or "service"), name=name.strip(), kind=kind,
                      postal_code=postal.code, locality=postal.main_locality.name, bassin_efe=postal.bassin_efe)
    db.session.add(service)
    db.session.commit()
    click.echo(f"Created the service {service.ref} ({service.name}, {service.bassin_efe}).")


@services_cli.command("list")
@with_appcontext
def services_list() -> None:
    """Every service: ref, name, bassin, active social workers."""
    from portal.accounts.models import User
    from portal.referrals.models import Service

    workers = dict(db.session.execute(select(User.service_id, func.count(User.id)).where(User.active.is_(True))
                                      .group_by(User.service_id)).all())
    for service in db.session.scalars(select(Service).order_by(Service.ref)):
        click.echo(f"{service.ref}  {service.name}  {service.bassin_efe}  {workers.get(service.id, 0)} worker(s)")
