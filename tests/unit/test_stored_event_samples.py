"""Events stored by earlier versions of Concord must decode forever.

Each file in tests/fixtures/stored_events is one event as the log held it (topic and
uncompressed state). When an event class is renamed or retyped, add an upcaster; never edit
or delete a sample.
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)

from concord.services import register_events

SAMPLES = sorted((Path(__file__).parent.parent / "fixtures" / "stored_events").glob("*.json"))


def _mapper() -> Mapper:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    return Mapper(transcoder=transcoder)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_stored_sample_still_decodes(sample: Path) -> None:
    register_events()
    data = json.loads(sample.read_text())
    stored = StoredEvent(
        originator_id=UUID(data["originator_id"]),
        originator_version=data["originator_version"],
        topic=data["topic"],
        state=json.dumps(data["state"]).encode(),
    )
    event = _mapper().to_domain_event(stored)
    assert data["topic"] == type(event).TOPIC
    for name, expected in data["expect"].items():
        assert getattr(event, name) == expected, name


def test_every_registered_event_type_has_a_stored_sample() -> None:
    samples = {json.loads(s.read_text())["topic"] for s in SAMPLES}
    event_topics = {t for t, cls in register_events().items() if issubclass(cls, Aggregate.Event)}
    assert event_topics <= samples
