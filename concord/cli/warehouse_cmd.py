"""``concord rebuild`` and ``concord verify``: the warehouse is disposable, the log is the truth."""

from __future__ import annotations

import time
from pathlib import Path

import click

from concord.cli import Context, pass_context
from concord.cli.remote import find_server
from concord.services import open_log, projections
from warehouse.checksums import Checksums, differing_tables, table_checksums
from warehouse.db import Warehouse
from warehouse.rebuild import rebuild_into


def register(cli: click.Group) -> None:
    cli.add_command(rebuild)
    cli.add_command(verify)


@click.command()
@pass_context
def rebuild(ctx: Context) -> None:
    """Replay the whole log into a fresh warehouse (through the server if one is running)."""
    settings = ctx.settings
    server = find_server(settings)
    if server is not None:
        result = server.request("POST", "/api/v1/admin/rebuild")
        click.echo(f"rebuilt by the running server to position {result['position']} "
                   f"in {result['seconds']:.2f} s")
        return
    started = time.perf_counter()
    scratch = settings.data_dir / "warehouse.rebuild.duckdb"
    position = rebuild_into(open_log(settings), scratch, projections(),
                            batch_size=settings.projector_batch_size)
    live = settings.warehouse_path
    scratch.replace(live)
    live.with_name(live.name + ".wal").unlink(missing_ok=True)
    click.echo(f"rebuilt {live} to position {position} in {time.perf_counter() - started:.2f} s")


@click.command()
@pass_context
def verify(ctx: Context) -> None:
    """Rebuild into a scratch file and compare every table with the live warehouse."""
    settings = ctx.settings
    live = _live_checksums(ctx)
    scratch = settings.data_dir / "warehouse.verify.duckdb"
    rebuild_into(open_log(settings), scratch, projections(), upto=live.position,
                 batch_size=settings.projector_batch_size)
    rebuilt = _checksums_of(scratch)
    for path in (scratch, scratch.with_name(scratch.name + ".wal")):
        path.unlink(missing_ok=True)
    differing = differing_tables(live, rebuilt)
    if differing:
        raise click.ClickException(
            f"warehouse differs from a rebuild at position {live.position} "
            f"in: {', '.join(differing)}"
        )
    click.echo(f"ok: {len(live.tables)} tables identical to a rebuild at position {live.position}")


def _live_checksums(ctx: Context) -> Checksums:
    server = find_server(ctx.settings)
    if server is not None:
        body = server.request("GET", "/api/v1/admin/checksums")
        return Checksums(int(body["position"]), dict(body["tables"]))
    if not ctx.settings.warehouse_path.exists():
        raise click.ClickException(f"no warehouse at {ctx.settings.warehouse_path}")
    return _checksums_of(ctx.settings.warehouse_path)


def _checksums_of(path: Path) -> Checksums:
    """Checksums of the warehouse at `path`, brought to the code's schema first: a warehouse
    not opened since an upgrade would otherwise differ from the rebuild by its missing
    migrations, not by its data (the server would migrate it the same way when it starts)."""
    warehouse = Warehouse(path)
    try:
        warehouse.migrate()
        return table_checksums(warehouse)
    finally:
        warehouse.close()
