"""A killed import (the process is killed mid-file) leaves no partial return."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import write_config, write_values_csv
from concord.services import register_events
from ingest.log.store import EventLog

MEMBERS, MEASURES, MONTHS = 20, 100, 60
VALUES = MEMBERS * MEASURES * MONTHS


def _values_in_log(log_url: str) -> tuple[int, int]:
    """(values, returns) recorded in the log: every value event counted, none skipped."""
    register_events()
    log = EventLog(log_url)
    values, returns, after = 0, set(), 0
    try:
        while batch := log.read(after, 1000):
            for recorded in batch:
                payload = getattr(recorded.event, "values", None)
                if payload:
                    values += len(payload["measure_code"])
                    returns.add(recorded.event.originator_id)
            after = batch[-1].position
    finally:
        log.close()
    return values, len(returns)


def test_killing_an_import_at_any_moment_leaves_all_or_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config", members=MEMBERS, measures=MEASURES)
    csv = tmp_path / "values.csv"
    write_values_csv(csv, members=MEMBERS, measures=MEASURES, months=MONTHS)
    data_dir = tmp_path / "var"
    env = {**os.environ, "CONCORD_DATA_DIR": str(data_dir), "CONCORD_CONFIG_DIR": str(config),
           "CONCORD_OPERATOR": "tester"}
    concord = [sys.executable, "-m", "concord"]
    subprocess.run([*concord, "config", "apply"], env=env, check=True, capture_output=True)
    log_url = f"sqlite:///{data_dir.resolve() / 'events.sqlite'}"
    outcomes = []
    for delay in (0.3, 1.0, 2.0, 3.5):
        proc = subprocess.Popen([*concord, "import", str(csv), "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        values, returns = _values_in_log(log_url)
        assert values in (0, VALUES), f"partial import after a kill at {delay}s: {values}"
        assert returns in (0, MEMBERS * MONTHS)
        outcomes.append(values)

    finished = subprocess.run([*concord, "import", str(csv), "--json"], env=env,
                              capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert _values_in_log(log_url) == (VALUES, MEMBERS * MONTHS)
    verified = subprocess.run([*concord, "verify"], env=env, capture_output=True, text=True,
                              check=False)
    assert verified.returncode == 0, verified.stderr
    print("values in the log after each kill:", outcomes)
