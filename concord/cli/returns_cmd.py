"""``concord import`` and ``concord status``: monthly returns from the command line.

With a server running, the file goes through its API (the server owns the warehouse that
validation reads); without one, the CLI opens the warehouse itself. Either way the log gets
the same events, atomically: a killed import leaves no partial return.
"""

from __future__ import annotations

import json
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from concord.cli import Context, pass_context
from concord.cli.remote import RemoteError, find_server
from concord.cli.upload import post_file
from concord.services import build_services
from ingest.parsing import parse_upload
from ingest.returns.commands import Submission, submit_returns
from ingest.returns.issues import UploadRejected
from ingest.returns.periods import parse_period
from warehouse.queries.tracking import submission_status

SHOWN_ISSUES = 50


def register(cli: click.Group) -> None:
    cli.add_command(import_file)
    cli.add_command(status)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show the diff; write nothing.")
@click.option("--as", "as_org", default=None, help="The member this file is for.")
@click.option("--reason", default=None, help="Why held values change (restatements).")
@click.option("--sheet", default=None, help="XLSX sheet (default: the first).")
@click.option("--idempotency-key", default=None, help="Makes a retried import safe.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def import_file(ctx: Context, file: Path, dry_run: bool, as_org: str | None,
                reason: str | None, sheet: str | None, idempotency_key: str | None,
                as_json: bool) -> None:
    """Import a monthly return (CSV or XLSX) with the same report as the API."""
    options = {"dry_run": dry_run, "org_code": as_org, "reason": reason, "sheet": sheet}
    try:
        report = _import(ctx, file, options, idempotency_key, show_progress=not as_json)
    except UploadRejected as exc:
        _print_rejection(exc.message, [i.to_dict() for i in exc.issues], as_json)
        raise SystemExit(1) from None
    except RemoteError as exc:
        if "issues" not in exc.body:
            raise
        _print_rejection(exc.body.get("detail", ""), exc.body["issues"], as_json)
        raise SystemExit(1) from None
    _print_report(report, as_json)


def _import(ctx: Context, file: Path, options: dict[str, Any], key: str | None, *,
            show_progress: bool) -> dict[str, Any]:
    server = find_server(ctx.settings)
    if server is not None:
        query = urllib.parse.urlencode(
            {k: ("true" if v is True else v) for k, v in options.items() if v})
        return post_file(server, file, query, show_progress=show_progress,  # type: ignore[no-any-return]
                         idempotency_key=key)
    services = build_services(ctx.settings)
    try:
        raw = parse_upload(file.read_bytes(), filename=file.name, sheet=options["sheet"])
        submission = Submission(
            raw=raw, actor=ctx.operator, source=f"cli:{file.name}",
            on_behalf_of=options["org_code"], reason=options["reason"], idempotency_key=key,
            dry_run=options["dry_run"],
        )
        report = submit_returns(services.log, services.catalogue(), services.held_returns(),
                                submission, today=datetime.now(UTC).date())
        services.projector.catch_up()
        return report.to_dict()
    finally:
        services.close()


def _print_report(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
        return
    click.echo(report["message"])
    if report.get("position"):
        click.echo(f"log position {report['position']} (submission {report['submission_id']})")
    for ret in report.get("returns", [])[:SHOWN_ISSUES]:
        click.echo(f"  {ret['org_code']} {ret['period']}: version {ret['version']} "
                   f"({ret['new']} new, {ret['changed']} changed, {ret['unchanged']} unchanged)")
    for change in report.get("diff", [])[:SHOWN_ISSUES]:
        was = "" if change["change"] == "new" else f"{change['previous_value']} → "
        click.echo(f"  row {change['row']}: {change['org_code']} {change['measure_code']} "
                   f"{change['period']}: {was}{change['value']} ({change['change']})")
    _print_issues(report.get("warnings", []))


def _print_rejection(message: str, issues: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"accepted": False, "message": message, "issues": issues},
                              indent=2))
        return
    click.echo(message, err=True)
    _print_issues(issues, err=True)


def _print_issues(issues: list[dict[str, Any]], *, err: bool = False) -> None:
    for issue in issues[:SHOWN_ISSUES]:
        where = f"row {issue['row']}" if issue["row"] else "file"
        column = f", {issue['column']}" if issue.get("column") else ""
        click.echo(f"  {issue['severity']}: {where}{column}: [{issue['code']}] "
                   f"{issue['message']}", err=err)
    if len(issues) > SHOWN_ISSUES:
        click.echo(f"  … and {len(issues) - SHOWN_ISSUES} more (use --json for all)", err=err)


@click.command()
@click.option("--period", required=True, help="The month, YYYY-MM.")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def status(ctx: Context, period: str, as_json: bool) -> None:
    """What is due, late or missing for a period, per member."""
    parse_period(period)
    server = find_server(ctx.settings)
    if server is not None:
        rows = server.request("GET", f"/api/v1/submissions?period={period}")
    else:
        services = build_services(ctx.settings)
        try:
            services.projector.catch_up()
            with services.warehouse.reading() as cur:
                rows = submission_status(cur, parse_period(period), services.projector.position())
        finally:
            services.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    click.echo(f"{'member':<10} {'status':<9} {'complete':>8} {'on time':>7}  received")
    for row in rows:
        on_time = {True: "yes", False: "no", None: "-"}[row["on_time"]]
        received = row["first_received_at"] or "-"
        click.echo(f"{row['org_code']:<10} {row['status']:<9} {row['completeness']:>8.0%} "
                   f"{on_time:>7}  {received}")
