"""Create a fresh demo data dir: the demo catalogue and three years of returns in its log."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from concord.demo.nhs_ae import ae_summary, load_ae_returns
from concord.demo.replay import ReplaySummary, replay
from concord.demo.synthetic import synthetic_returns
from concord.demo.timeline import demo_timeline
from concord.services import build_services, open_log
from concord.settings import Settings
from ingest.catalogue.commands import ApplyResult, apply_catalogue
from ingest.catalogue.loader import load_catalogue
from ingest.log.actor import Actor
from ingest.log.clock import simulated_clock

DEMO_MARKER = ".concord-demo"
DEMO_START = datetime(2016, 5, 1, 9, 0, tzinfo=UTC)  # the alliance's catalogue, as first agreed


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


@dataclass
class DemoSetup:
    catalogue: ApplyResult
    ae_summary: str
    replay: ReplaySummary


def set_up_demo(settings: Settings, *, history: bool = True,
                progress: Callable[[int, int], None] | None = None) -> DemoSetup:
    """Fresh data dir, the demo catalogue, then (unless ``history`` is off) three years of
    returns: real NHS A&E values and labelled synthetic ones, replayed as they would arrive."""
    fresh_demo_dir(settings.data_dir)
    catalogue = load_catalogue(settings.config_dir)
    with simulated_clock(DEMO_START):
        applied = apply_catalogue(open_log(settings), catalogue, Actor.system(),
                                  source=str(settings.config_dir))
    if not history:
        return DemoSetup(applied, "", ReplaySummary())
    ae = load_ae_returns()
    batches = demo_timeline(catalogue, ae.rows, synthetic_returns(catalogue))
    services = build_services(settings)
    try:
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(batches))

        summary = replay(services, batches, step)
    finally:
        services.close()
    return DemoSetup(applied, ae_summary(ae), summary)
