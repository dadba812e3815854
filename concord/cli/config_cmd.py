"""``concord config check|apply|history``: validate the catalogue and record its changes."""

from __future__ import annotations

from pathlib import Path

import click

from concord.cli import Context, pass_context
from concord.services import open_log
from ingest.catalogue.commands import apply_catalogue
from ingest.catalogue.loader import CatalogueError, load_catalogue
from ingest.catalogue.model import Catalogue


def register(cli: click.Group) -> None:
    cli.add_command(config)


@click.group()
def config() -> None:
    """Alliance and KPI catalogue (config/alliance.toml, config/measures.toml)."""


def _load(ctx: Context, config_dir: Path | None) -> tuple[Path, Catalogue]:
    directory = config_dir or ctx.settings.config_dir
    try:
        return directory, load_catalogue(directory)
    except CatalogueError as exc:
        raise click.ClickException(f"catalogue in {directory} is not valid:\n{exc}") from None


@config.command("check")
@click.option("--config-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@pass_context
def check(ctx: Context, config_dir: Path | None) -> None:
    """Validate the catalogue files; exit 1 naming every problem."""
    directory, catalogue = _load(ctx, config_dir)
    members, measures = len(catalogue.alliance.members), len(catalogue.measures)
    click.echo(f"{directory}: valid ({members} members, {measures} measures)")


@config.command("apply")
@click.option("--config-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@pass_context
def apply(ctx: Context, config_dir: Path | None) -> None:
    """Record the catalogue in the log if it differs from the last one applied."""
    directory, catalogue = _load(ctx, config_dir)
    log = open_log(ctx.settings)
    result = apply_catalogue(log, catalogue, ctx.operator, source=str(directory))
    if result.changed:
        click.echo(f"catalogue version {result.version} recorded at log position {result.position}")
    else:
        click.echo(f"no change: identical to catalogue version {result.version}")
