"""Use case: record a catalogue in the log when its content differs from the last one applied."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.catalogue.aggregate import CatalogueLedger
from ingest.catalogue.model import Catalogue
from ingest.log.actor import Actor
from ingest.log.errors import Forbidden
from ingest.log.store import EventLog


@dataclass(frozen=True)
class ApplyResult:
    changed: bool
    version: int
    position: int
    content_hash: str


def apply_catalogue(
    log: EventLog,
    catalogue: Catalogue,
    actor: Actor,
    source: str,
    *,
    expected_version: int | None = None,
) -> ApplyResult:
    """Append ``CatalogueApplied`` unless the same content is already the latest version.

    With ``expected_version`` the change is made on top of that version: if another writer
    has appended since, the log refuses the append and ``Conflict`` (HTTP 409) is raised.
    """
    if actor.role != "admin":
        raise Forbidden("only an admin may change the catalogue")
    digest = catalogue.content_hash()
    ledger_id = CatalogueLedger.create_id(actor.id)
    if log.exists(ledger_id):
        ledger: CatalogueLedger = log.load(ledger_id, version=expected_version)
        if ledger.content_hash == digest and expected_version is None:
            return ApplyResult(False, ledger.version, 0, digest)
    else:
        ledger = CatalogueLedger(actor=actor.id)
    ledger.record(
        actor=actor.id,
        org_code=None,
        document=catalogue.to_document(),
        content_hash=digest,
        source=source,
    )
    position = log.append(ledger)
    return ApplyResult(True, ledger.version, position, digest)


def current_catalogue(log: EventLog) -> Catalogue | None:
    """The latest applied catalogue, straight from the log (the warehouse may lag)."""
    ledger_id = CatalogueLedger.create_id("")
    if not log.exists(ledger_id):
        return None
    ledger: CatalogueLedger = log.load(ledger_id)
    return Catalogue.from_document(ledger.document) if ledger.document else None
