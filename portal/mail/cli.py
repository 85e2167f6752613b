"""``flask mail deliver|purge``: run the outbox's jobs once, by hand (cron runs them through the
scheduled jobs)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("mail")
def mail_cli() -> None:
    """The outbox of e-mails."""


@mail_cli.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Send the e-mails that are due now (to the log without MAIL_SERVER)."""
    from portal.mail.outbox import deliver_outbox

    click.echo(deliver_outbox())


@mail_cli.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete old delivered, failed and discarded e-mails."""
    from portal.mail.outbox import purge_outbox

    click.echo(purge_outbox())
