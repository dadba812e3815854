"""``concord serve`` and ``concord demo``."""

from __future__ import annotations

import dataclasses
import logging

import click
from tqdm import tqdm

from concord.cli import Context, pass_context
from concord.settings import Settings
from ingest.catalogue.loader import CatalogueError


def register(cli: click.Group) -> None:
    cli.add_command(serve)
    cli.add_command(demo)


def _serve(settings: Settings) -> None:
    from concord.server import run_server

    try:
        run_server(settings)
    except CatalogueError as exc:
        message = f"refusing to start: the catalogue is not valid:\n{exc}"
        raise click.ClickException(message) from None


@click.command()
@click.option("--host", default=None, help="Listen address (default $CONCORD_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default $CONCORD_PORT or 8050).")
@pass_context
def serve(ctx: Context, host: str | None, port: int | None) -> None:
    """Serve the API and dashboards; the projector runs inside the server."""
    settings = ctx.settings
    settings = dataclasses.replace(settings, host=host or settings.host, port=port or settings.port)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")
    _serve(settings)


@click.command()
@click.option("--port", type=int, default=None)
@click.option("--no-serve", is_flag=True, help="Set up the demo data dir, then exit.")
@click.option("--no-history", is_flag=True, help="Only the catalogue, no returns.")
@pass_context
def demo(ctx: Context, port: int | None, no_serve: bool, no_history: bool) -> None:
    """Fresh demo alliance (real NHS A&E providers), served at http://127.0.0.1:8050."""
    from concord.demo.setup import DemoDirError, set_up_demo

    settings = dataclasses.replace(
        ctx.settings, anonymous_role="board", port=port or ctx.settings.port
    )
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")
    with tqdm(total=None, desc="loading demo returns", unit="batch") as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            setup = set_up_demo(settings, history=not no_history, progress=progress)
        except (DemoDirError, CatalogueError) as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"demo catalogue version {setup.catalogue.version} recorded in {settings.data_dir}")
    if setup.ae_summary:
        click.echo(setup.ae_summary)
        r = setup.replay
        click.echo(f"replayed {r.batches} batches: {r.values:,} values, {r.restated} restated, "
                   f"{r.warnings:,} warnings, {r.signed_off:,} sign-offs")
    if not no_serve:
        click.echo(f"serving http://{settings.host}:{settings.port}/dashboards/ (Ctrl-C stops)")
        _serve(settings)
