"""Applies the log to the warehouse in batches, exactly once.

Each batch and the new position are committed in one DuckDB transaction, so a crash
between the two is impossible. A failing event halts the projector at that event (the
batch before it is kept) and is reported; nothing is ever skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb

from ingest.log.store import EventLog, Recorded
from warehouse.db import Warehouse
from warehouse.sqlfiles import first_row

log = logging.getLogger(__name__)

POSITION_SQL = "SELECT position FROM projection_position WHERE name = 'main'"
SET_POSITION_SQL = "UPDATE projection_position SET position = ? WHERE name = 'main'"


class Projection(Protocol):
    """Turns a run of events (all of the topics it handles) into set-based writes."""

    name: str
    topics: frozenset[str] | None  # None: every event


    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None: ...


def topic_of(event: Any) -> str:
    return str(type(event).TOPIC)


@dataclass(frozen=True)
class ProjectionFailure:
    position: int
    topic: str
    error: str


class ProjectorHalted(RuntimeError):
    def __init__(self, failure: ProjectionFailure) -> None:
        super().__init__(
            f"projection stopped at position {failure.position} ({failure.topic}): {failure.error}"
        )
        self.failure = failure


class Projector:
    """Reads events after the stored position and applies them to every projection."""

    def __init__(
        self,
        log: EventLog,
        warehouse: Warehouse,
        projections: Sequence[Projection],
        *,
        batch_size: int = 500,
    ) -> None:
        self.log = log
        self.warehouse = warehouse
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self.failure: ProjectionFailure | None = None
        self._lock = threading.Lock()
        self._advanced = threading.Condition()

    def position(self) -> int:
        cur = self.warehouse.cursor()
        try:
            row = first_row(cur, POSITION_SQL)
        finally:
            cur.close()
        return int(row[0]) if row else 0

    def run_once(self, upto: int | None = None) -> int:
        """Apply one batch; return how many events it held (0 when caught up)."""
        with self._lock:
            batch = self.log.read(self.position(), self.batch_size, upto=upto)
            return self._apply_locked(batch)

    def catch_up(self, upto: int | None = None,
                 progress: Callable[[int], None] | None = None) -> int:
        """Apply batches until the log (or ``upto``) is reached; return the position.

        ``progress`` is told the position after each batch (a rebuild's progress bar).
        Behind by more than a batch (a large upload, a rebuild), the next batch is read and
        decoded in a second thread while this one is written: decoding is Python work and
        DuckDB's writes release the GIL, so the two overlap instead of queueing.
        """
        with ExitStack() as stack:
            reader: ThreadPoolExecutor | None = None
            ahead: Future[list[Recorded]] | None = None
            ahead_after = -1  # the position the batch read ahead starts after
            while True:
                batch = ahead.result() if ahead is not None else []
                with self._lock:
                    after = self.position()
                    if ahead_after != after:  # nothing read ahead, or another caller moved on
                        batch = self.log.read(after, self.batch_size, upto=upto)
                    ahead = None
                    if not batch:
                        return after
                    if len(batch) == self.batch_size:
                        if reader is None:
                            reader = stack.enter_context(ThreadPoolExecutor(
                                1, thread_name_prefix="concord-log-reader"))
                        ahead_after = batch[-1].position
                        ahead = reader.submit(self.log.read, ahead_after, self.batch_size,
                                              upto=upto)
                    self._apply_locked(batch)
                if progress:
                    progress(batch[-1].position)

    def _apply_locked(self, batch: Sequence[Recorded]) -> int:
        if not batch:
            return 0
        try:
            self._commit(batch)
        except Exception:
            self._commit_until_failure(batch)
        self.failure = None
        with self._advanced:
            self._advanced.notify_all()
        return len(batch)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the projector still, e.g. while its warehouse file is swapped."""
        with self._lock:
            yield

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the warehouse holds ``position`` (read-your-writes for the API)."""
        with self._advanced:
            return self._advanced.wait_for(lambda: self.position() >= position, timeout)

    def _commit(self, batch: Sequence[Recorded]) -> None:
        with self.warehouse.transaction() as cur:
            for projection in self.projections:
                topics = projection.topics
                mine = batch if topics is None else [
                    r for r in batch if topic_of(r.event) in topics
                ]
                if mine:
                    projection.apply(cur, mine)
            cur.execute(SET_POSITION_SQL, [batch[-1].position])

    def _commit_until_failure(self, batch: Sequence[Recorded]) -> None:
        """Replay a failed batch one event at a time, keep the good prefix, then halt."""
        for recorded in batch:
            try:
                self._commit([recorded])
            except Exception as exc:
                self.failure = ProjectionFailure(
                    recorded.position, topic_of(recorded.event), f"{type(exc).__name__}: {exc}"
                )
                log.error("projector halted: %s", self.failure)
                raise ProjectorHalted(self.failure) from exc


class ProjectorThread(threading.Thread):
    """Keeps the warehouse within about one poll interval of the log, in the server process."""

    def __init__(self, projector: Projector, interval_s: float, retry_after_failure_s: float = 5.0):
        super().__init__(name="concord-projector", daemon=True)
        self.projector = projector
        self.interval_s = interval_s
        self.retry_after_failure_s = retry_after_failure_s
        self._stop_event = threading.Event()
        self._poke = threading.Event()

    def poke(self) -> None:
        """Wake up now: this process has just written to the log."""
        self._poke.set()

    def stop(self) -> None:
        self._stop_event.set()
        self._poke.set()

    def run(self) -> None:
        while not self._stop_event.is_set():
            wait = self.interval_s
            try:
                self.projector.catch_up()
            except ProjectorHalted:
                wait = self.retry_after_failure_s
            except Exception:
                log.exception("projector could not read the log; retrying")
                wait = self.retry_after_failure_s
            self._poke.wait(wait)
            self._poke.clear()
