"""The catalogue's history in the log: one ``CatalogueApplied`` event per change of content."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ingest.log.events import ConcordAggregate
from ingest.log.ids import natural_id


class CatalogueLedger(ConcordAggregate):
    """The single record of every catalogue (alliance + measures) ever applied."""

    TOPIC = "concord:CatalogueLedger"

    class Created(ConcordAggregate.Created):
        TOPIC = "concord:CatalogueLedgerCreated"

    class Applied(ConcordAggregate.Event):
        """Version 1: the whole canonical document, its hash and where it was read from."""

        TOPIC = "concord:CatalogueApplied"
        document: dict[str, Any]
        content_hash: str
        source: str

    @staticmethod
    def create_id(actor: str, org_code: str | None = None) -> UUID:
        return natural_id("catalogue")

    @event(Created)
    def __init__(self, actor: str, org_code: str | None = None) -> None:
        self.content_hash: str | None = None
        self.document: dict[str, Any] | None = None

    @event(Applied)
    def record(
        self,
        actor: str,
        org_code: str | None,
        document: dict[str, Any],
        content_hash: str,
        source: str,
    ) -> None:
        self.document = document
        self.content_hash = content_hash
