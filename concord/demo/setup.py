"""Create a fresh demo data dir and record the demo catalogue in its log."""

from __future__ import annotations

import shutil
from pathlib import Path

from concord.services import open_log
from concord.settings import Settings
from ingest.catalogue.commands import ApplyResult, apply_catalogue
from ingest.catalogue.loader import load_catalogue
from ingest.log.actor import Actor

DEMO_MARKER = ".concord-demo"


class DemoDirError(RuntimeError):
    """The chosen data dir holds something that is not an earlier demo: never delete it."""


def fresh_demo_dir(data_dir: Path) -> None:
    """Empty ``data_dir`` if it is an earlier demo; refuse if it holds anything else."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / DEMO_MARKER).exists():
            raise DemoDirError(
                f"{data_dir} is not empty and is not a Concord demo dir; choose another --data-dir"
            )
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text("created by `concord demo`; deleted by the next one\n")


def set_up_demo(settings: Settings) -> ApplyResult:
    fresh_demo_dir(settings.data_dir)
    catalogue = load_catalogue(settings.config_dir)
    log = open_log(settings)
    return apply_catalogue(log, catalogue, Actor.system(), source=str(settings.config_dir))
