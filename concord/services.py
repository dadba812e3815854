"""Wiring: builds the log, warehouse and projector from settings. Nothing runs at import."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from concord.settings import Settings
from governance.spc_decisions import SpcSettings
from ingest.catalogue.aggregate import CatalogueLedger
from ingest.catalogue.commands import current_catalogue
from ingest.catalogue.model import Catalogue
from ingest.identity.aggregates import IDENTITY_AGGREGATES
from ingest.log.errors import Conflict
from ingest.log.events import event_classes_of, register_event_types
from ingest.log.store import EventLog
from ingest.returns.aggregate import MemberReturn, PeriodPublication, SubmissionRecord
from warehouse.db import Warehouse
from warehouse.projections.catalogue import CatalogueProjection
from warehouse.projections.event_index import EventIndexProjection
from warehouse.projections.returns import ReturnsProjection, SubmissionsProjection
from warehouse.projections.signals import SignalsProjection
from warehouse.projections.spc_decisions import SpcDecisionsProjection
from warehouse.projector import Projection, Projector, ProjectorThread
from warehouse.queries.held import WarehouseHeldReturns
from warehouse.rebuild import rebuild_into

READ_YOUR_WRITES_TIMEOUT_S = 5.0

AGGREGATES: tuple[type[Any], ...] = (
    CatalogueLedger, *IDENTITY_AGGREGATES, MemberReturn, PeriodPublication, SubmissionRecord,
    SpcSettings,
)


def register_events() -> dict[str, type[Any]]:
    """Map every stable event name to its class (idempotent)."""
    registry: dict[str, type[Any]] = {}
    for aggregate in AGGREGATES:
        registry |= register_event_types(event_classes_of(aggregate))
    return registry


def open_log(settings: Settings) -> EventLog:
    register_events()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return EventLog(settings.event_store_url, cipher_key=settings.cipher_key)


def projections() -> Sequence[Projection]:
    return (
        EventIndexProjection(), CatalogueProjection(), ReturnsProjection(),
        SubmissionsProjection(), SpcDecisionsProjection(),
        # Signals read what the returns, catalogue and decision projections wrote in the batch.
        SignalsProjection(),
    )


@dataclass
class Services:
    """What a server process holds: the log, the warehouse it owns, and its projector."""

    settings: Settings
    log: EventLog
    warehouse: Warehouse
    projector: Projector
    projector_thread: ProjectorThread | None = field(default=None)

    def catalogue(self) -> Catalogue:
        """The latest applied catalogue, read from the log (uploads validate against it)."""
        catalogue = current_catalogue(self.log)
        if catalogue is None:
            raise Conflict("no catalogue has been applied yet: run `concord config apply`")
        return catalogue

    def held_returns(self) -> WarehouseHeldReturns:
        """What is held, for deciding a submission; the warehouse is caught up first."""
        self.projector.catch_up()
        return WarehouseHeldReturns(self.warehouse.cursor)

    def start_projector(self) -> None:
        self.projector.catch_up()
        self.projector_thread = ProjectorThread(self.projector, self.settings.projector_interval_s)
        self.projector_thread.start()

    def after_write(self, position: int) -> None:
        """Let the caller read what it just wrote: project now, wait until it is in."""
        if position <= 0:
            return
        if self.projector_thread is not None:
            self.projector_thread.poke()
            self.projector.wait_for(position, READ_YOUR_WRITES_TIMEOUT_S)
        else:
            self.projector.catch_up()

    def rebuild_live(self) -> dict[str, float]:
        """Replay the log into a scratch file, then swap it in while the projector waits."""
        started = time.perf_counter()
        scratch = self.settings.data_dir / "warehouse.rebuild.duckdb"
        with self.projector.paused():
            position = rebuild_into(
                self.log, scratch, projections(), batch_size=self.settings.projector_batch_size
            )
            self.warehouse.replace_with(scratch)
        return {"position": position, "seconds": round(time.perf_counter() - started, 3)}

    def close(self) -> None:
        if self.projector_thread is not None:
            self.projector_thread.stop()
            self.projector_thread.join(timeout=5)
        self.warehouse.close()


def build_services(settings: Settings) -> Services:
    log = open_log(settings)
    warehouse = Warehouse(settings.warehouse_path)
    warehouse.migrate()
    projector = Projector(
        log, warehouse, projections(), batch_size=settings.projector_batch_size
    )
    return Services(settings, log, warehouse, projector)
