"""Base aggregate and event classes with stable type names and the actor on every event.

eventsourcing records ``module:qualname`` topics by default, which breaks when code moves.
Every Concord class declares ``TOPIC = "concord:<Name>"`` instead; ``register_event_types``
maps those names back to classes when a process starts (never at import time).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from ingest.log.clock import recorded_now

TOPIC_PREFIX = "concord:"


class ConcordAggregate(Aggregate):
    """An aggregate whose every event names its actor and, where it applies, the member."""

    TOPIC = "concord:ConcordAggregate"

    class Event(Aggregate.Event):
        TOPIC = "concord:ConcordAggregate.Event"
        actor: str
        org_code: str | None

        @staticmethod
        def create_timestamp() -> datetime:
            return recorded_now()

    class Created(Event, Aggregate.Created):
        TOPIC = "concord:ConcordAggregate.Created"


class StableTopicError(TypeError):
    """A class would be stored under a topic that is missing or taken."""


def register_event_types(classes: Iterable[type[Any]]) -> dict[str, type[Any]]:
    """Register each class under its own ``TOPIC``; refuse inherited or duplicate names."""
    registry: dict[str, type[Any]] = {}
    for cls in classes:
        topic = _declared_topic(cls)
        if topic in registry and registry[topic] is not cls:
            raise StableTopicError(f"{topic} is declared by two classes")
        registry[topic] = cls
        register_topic(topic, cls)
    return registry


def _declared_topic(cls: type[Any]) -> str:
    """The TOPIC declared by ``cls`` itself or by the library's same-named re-definition.

    eventsourcing subclasses nested event classes (e.g. for ``@event``), so the class in use
    inherits TOPIC from the class we wrote, which has the same qualified name.
    """
    declarer = next((c for c in cls.__mro__ if "TOPIC" in c.__dict__), None)
    topic = getattr(declarer, "TOPIC", None)
    if (
        declarer is None
        or declarer.__qualname__ != cls.__qualname__
        or not isinstance(topic, str)
        or not topic.startswith(TOPIC_PREFIX)
    ):
        raise StableTopicError(f"{cls.__qualname__} must declare its own TOPIC 'concord:…'")
    return topic


def event_classes_of(aggregate: type[Aggregate]) -> list[type[Any]]:
    """The aggregate class and the event classes nested in it, for registration."""
    found: list[type[Any]] = [aggregate]
    for name, value in vars(aggregate).items():
        # The generic ``Event`` base is never stored, so it needs no name of its own.
        if name != "Event" and isinstance(value, type) and issubclass(value, Aggregate.Event):
            found.append(value)
    return found
