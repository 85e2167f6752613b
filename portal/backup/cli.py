"""``flask backup`` and ``flask restore FILE``: the daily job ``backup`` by hand, and its way back."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.option("--list", "listing", is_flag=True, help="List the backups kept; make none.")
@with_appcontext
def backup_command(listing: bool) -> None:
    """Back up the whole database in BACKUP_DIR; delete the backups older than BACKUP_KEEP_DAYS."""
    from portal.backup.services import BackupError, backup_dir, backups, run_backup
    from portal.db import utc_now

    if listing:
        for made, path in backups(backup_dir()):
            click.echo(f"{made:%Y-%m-%d %H:%M:%S} UTC  {path}  {path.stat().st_size / 1e6:.1f} MB")
        return
    try:
        click.echo(run_backup(utc_now()))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: every table is replaced.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Put the database back as it was in the backup PATH (every table is replaced), then delete
    the referrals whose 90 days are over."""
    from portal.backup.services import BackupError, restore_backup
    from portal.db import utc_now

    if not yes:
        click.confirm(f"Every table of the database is replaced by {path.name}. Go on?", abort=True)
    try:
        click.echo(restore_backup(path, utc_now()))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
