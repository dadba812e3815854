"""Importing any Concord module must do nothing: no files, threads, connections or env reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("concord", "ingest", "warehouse", "dashboards", "governance")

SCRIPT = """
import importlib, os, pkgutil, sys, threading
os.environ.clear()  # any module that reads settings at import would now break or differ
seen = []
for package in {packages}:
    module = importlib.import_module(package)
    seen.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        seen.append(info.name)
assert threading.active_count() == 1, threading.enumerate()
print(len(seen))
"""


def test_importing_every_module_creates_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(packages=PACKAGES)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 20
    assert list(tmp_path.iterdir()) == []  # no data dir, no database file, no log
