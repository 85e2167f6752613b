"""``flask users …``: create, list, disable and enable accounts, reset a lost second factor.
Every change is recorded as an account event (source "cli")."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.accounts.admin import (
    AdminRefusal,
    all_accounts,
    disable_user,
    enable_user,
    reset_second_factor,
    user_by_email,
)
from portal.accounts.models import User

REFUSALS = {"last_admin": "this is the last active admin: enable or create another admin first"}


@click.group("users")
def users_cli() -> None:
    """Accounts of operators, coordinators, admins and social workers."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["operator", "coordinator", "admin", "social_worker"]), required=True)
@click.option("--operator", "operator_ref", help="Operator ref (operator users).")
@click.option("--bassin", help="Bassin EFE (coordinators).")
@click.option("--service", "service_ref", help="Service ref (social workers; see `flask services`).")
@click.password_option(help="At least 12 characters; asked when not given.")
@with_appcontext
def users_create(email: str, role: str, operator_ref: str | None, bassin: str | None, service_ref: str | None,
                 password: str) -> None:
    """Create an active user (argon2id-hashed password)."""
    from portal.accounts.services import AccountError, create_user

    try:
        user = create_user(email, password, role, operator_ref=operator_ref, bassin=bassin, service_ref=service_ref)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


def _user(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account has the e-mail {email.strip().lower()!r}")
    return user


@users_cli.command("list")
@with_appcontext
def users_list() -> None:
    """Every account: e-mail, role, operator or bassin, second factor, active, last sign-in."""
    rows = [("e-mail", "role", "operator / bassin", "second factor", "active", "last sign-in")]
    rows += [_account_row(user) for user in all_accounts()]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _account_row(user: User) -> tuple[str, ...]:
    second = "yes" if user.totp_secret else ("to set up again" if user.totp_setup_required else "no")
    belongs = (user.operator.ref if user.operator else user.service.ref if user.service else user.bassin_efe) or "-"
    last = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "never"
    return (user.email, user.role, belongs, second, "yes" if user.active else "no", last)


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable an account: it cannot sign in any more and its sessions end at once."""
    user = _user(email)
    try:
        changed = disable_user(user, actor=None, source="cli")
    except AdminRefusal as refusal:
        raise click.ClickException(REFUSALS[refusal.reason]) from refusal
    click.echo(f"Disabled {user.email}; its sessions ended." if changed else f"{user.email} was already disabled.")


@users_cli.command("enable")
@click.argument("email")
@with_appcontext
def users_enable(email: str) -> None:
    """Enable a disabled account again (same password and second factor)."""
    user = _user(email)
    changed = enable_user(user, actor=None, source="cli")
    click.echo(f"Enabled {user.email}." if changed else f"{user.email} was already enabled.")


@users_cli.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def users_reset_second_factor(email: str) -> None:
    """Forget a lost second factor: the user sets up a new one at the next sign-in."""
    user = _user(email)
    reset_second_factor(user, actor=None, source="cli")
    click.echo(f"Second factor of {user.email} reset: it sets up a new one at the next sign-in; its sessions ended.")
