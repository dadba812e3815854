"""``concord users …`` and ``concord tokens …``: manage who may sign in, from the console.

The operator at the console acts as admin (``cli:<name>``); every change is an event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime

import click

from concord.cli import Context, pass_context
from concord.services import open_log
from ingest.catalogue.commands import current_catalogue
from ingest.identity import commands
from ingest.log.actor import Role
from ingest.log.errors import ConcordError
from ingest.log.store import EventLog


def register(cli: click.Group) -> None:
    """Add the ``users`` and ``tokens`` groups; registering twice changes nothing."""
    cli.add_command(users)
    cli.add_command(tokens)


@contextmanager
def _open(ctx: Context) -> Iterator[EventLog]:
    """The log for one command; domain errors become a one-line message and exit code 1."""
    log = open_log(ctx.settings)
    try:
        yield log
    except ConcordError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        log.close()


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )


def _json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True))


@click.group()
def users() -> None:
    """People who may sign in, their roles and (for submitters) their member."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--member", "member_code", default=None, help="Member code (submitters only).")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--can-sign-off", is_flag=True, help="May sign off their member's returns.")
@pass_context
def add_user(
    ctx: Context, *, username: str, role: str, member_code: str | None, display_name: str,
    can_sign_off: bool,
) -> None:
    """Register USERNAME; a submitter's member is checked against the applied catalogue."""
    with _open(ctx) as log:
        catalogue = current_catalogue(log)
        known = None if catalogue is None else [m.code for m in catalogue.alliance.members]
        user = commands.add_user(
            log, ctx.operator, username=username, role=role, member_code=member_code,
            display_name=display_name, can_sign_off=can_sign_off, known_members=known,
        )
    binding = f" for member {user.member_code}" if user.member_code else ""
    sign_off = ", may sign off" if user.can_sign_off else ""
    click.echo(f"added user '{user.username}' ({user.role}{binding}{sign_off})")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def list_users(ctx: Context, as_json: bool) -> None:
    """Every registered user, deactivated ones included."""
    with _open(ctx) as log:
        found = commands.list_users(log)
    if as_json:
        _json([asdict(u) for u in found])
        return
    rows = [
        (u.username, u.role, u.member_code or "-", "yes" if u.can_sign_off else "no",
         "active" if u.active else f"deactivated: {u.deactivated_reason}", u.display_name)
        for u in found
    ]
    click.echo(_table(("USERNAME", "ROLE", "MEMBER", "SIGN-OFF", "STATUS", "NAME"), rows))


@click.group()
def tokens() -> None:
    """API tokens: issued to a user, shown once, revoked or expired, never edited."""


@tokens.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for, e.g. 'ETL job'.")
@click.option("--expires-in-days", default=90, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@pass_context
def create_token(
    ctx: Context, username: str, label: str, expires_in_days: int, as_json: bool,
) -> None:
    """Issue a token for USERNAME and print it (it is stored only as a hash)."""
    with _open(ctx) as log:
        issued = commands.create_token(
            log, ctx.operator, username=username, label=label, expires_in_days=expires_in_days,
        )
    warning = "This token will not be shown again: store it now."
    if as_json:
        _json({**asdict(issued), "warning": warning})
        return
    click.echo(f"token {issued.token_id} for '{issued.username}', expires {issued.expires_at}:")
    click.echo(issued.token)
    click.secho(warning, fg="yellow", err=True)


@tokens.command("revoke")
@click.argument("token_id")
@click.option("--reason", required=True, help="Why, for the record.")
@pass_context
def revoke_token(ctx: Context, token_id: str, reason: str) -> None:
    """Stop TOKEN_ID working, for good."""
    with _open(ctx) as log:
        info = commands.revoke_token(log, ctx.operator, token_id, reason)
    click.echo(f"revoked token {info.token_id} of '{info.username}'")


@tokens.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def list_tokens(ctx: Context, as_json: bool) -> None:
    """Every token ever issued, with its state (never its secret)."""
    with _open(ctx) as log:
        found = commands.list_tokens(log)
    if as_json:
        _json([asdict(t) for t in found])
        return
    now = datetime.now(UTC)
    rows = [(t.token_id, t.username, t.label, t.expires_at, _status(t, now)) for t in found]
    click.echo(_table(("TOKEN ID", "USERNAME", "LABEL", "EXPIRES AT", "STATUS"), rows))


def _status(token: commands.TokenInfo, now: datetime) -> str:
    if token.revoked:
        return f"revoked: {token.revoked_reason}"
    return "expired" if now >= datetime.fromisoformat(token.expires_at) else "active"
