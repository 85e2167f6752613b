"""``flask alerts send [--dry-run]``: what the daily job ``alerts`` does, by hand."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("alerts")
def alerts_cli() -> None:
    """E-mail alerts of searches."""


@alerts_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send, note and forget nothing.")
@with_appcontext
def send_command(dry_run: bool) -> None:
    """Forget ended and unconfirmed alerts, then e-mail each alert the entries that opened among
    its search's courses (once per alert and entry)."""
    from portal.alerts.services import run_alerts
    from portal.offer import rules

    run = run_alerts(rules.today(), dry_run=dry_run)
    for alert, matches in run.told:
        entries = ", ".join(f"{match.course.ref} {match.start.isoformat()}" for match in matches)
        verb = "would tell" if dry_run else "told"
        click.echo(f"alert {alert.id} ({alert.email}, {alert.language}): {verb} {len(matches)} entr"
                   f"{'y' if len(matches) == 1 else 'ies'}: {entries}")
    if dry_run:
        click.echo(f"Dry run: {len(run.told)} e-mail(s) would be sent; nothing was sent, noted or forgotten.")
    else:
        click.echo(run.summary())
