"""The ``concord`` command line. Each command group lives in its own module."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

from concord.settings import Settings
from ingest.log.actor import Actor


class Context:
    """Per-invocation state shared by the commands: the settings, built lazily."""

    def __init__(self, data_dir: Path | None) -> None:
        self._data_dir = data_dir
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            overrides = {"data_dir": self._data_dir} if self._data_dir else {}
            self._settings = Settings.from_env(**overrides)  # type: ignore[arg-type]
        return self._settings

    @property
    def operator(self) -> Actor:
        """The person at the console, recorded as ``cli:<name>`` on every event they cause."""
        return Actor.operator(os.environ.get("CONCORD_OPERATOR") or getpass.getuser())


pass_context = click.make_pass_decorator(Context)


class ConcordGroup(click.Group):
    """Turns expected failures into a one-line error and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from concord.cli.remote import RemoteError
        from ingest.log.errors import ConcordError

        try:
            return super().invoke(ctx)
        except ConcordError as exc:
            raise click.ClickException(exc.message) from None
        except RemoteError as exc:
            raise click.ClickException(f"server answered {exc.status}: {exc}") from None


@click.group(cls=ConcordGroup)
@click.option(
    "--data-dir", type=click.Path(path_type=Path), default=None,
    help="Data directory (default: $CONCORD_DATA_DIR or ./var).",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """Concord: event-sourced performance and accountability for health alliances."""
    ctx.obj = Context(data_dir)


def build_cli() -> click.Group:
    """Attach every command group (idempotent, so tests can call it freely)."""
    from concord.cli import config_cmd, identity, returns_cmd, server_cmd, warehouse_cmd

    for module in (server_cmd, config_cmd, warehouse_cmd, identity, returns_cmd):
        staging = click.Group()
        module.register(staging)
        for name, command in staging.commands.items():
            cli.commands.setdefault(name, command)
    return cli


def main() -> None:
    build_cli()()
