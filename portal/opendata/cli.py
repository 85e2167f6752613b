"""``flask opendata build [--dry-run]``: what the daily job ``open_data`` does, by hand."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("opendata")
def opendata_cli() -> None:
    """The open data files of the public offer."""


@opendata_cli.command("build")
@click.option("--dry-run", is_flag=True, help="Say what the files would hold; write nothing.")
@with_appcontext
def build_command(dry_run: bool) -> None:
    """Build the CSV, JSON and GeoJSON files of the visible offer in OPEN_DATA_DIR (unless another
    build is running there)."""
    from portal.offer import rules
    from portal.opendata.build import run_build
    from portal.opendata.queries import visible_offer
    from portal.opendata.store import open_data_dir, read_manifest

    directory = open_data_dir()
    if not dry_run:
        click.echo(run_build(directory, rules.today()))
        return
    offer = visible_offer(rules.today())
    last = read_manifest(directory)
    click.echo(f"Dry run: the files would hold {len(offer.course_ids)} course(s), {len(offer.operators)} "
               f"operator(s) and {offer.sites} site(s), written in {directory}; nothing was written.")
    click.echo(f"Files there now: {last.summary() if last else 'none'}.")
