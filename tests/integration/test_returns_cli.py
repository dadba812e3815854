"""`concord import` and `concord status` as an alliance office runs them (no server running)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from concord.cli import build_cli
from tests.api.test_returns_api import PERIOD, csv_for


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), ["--data-dir", str(data_dir), *args],
                                env={"CONCORD_OPERATOR": "olivia"})
    return result.exit_code, result.output


def test_import_dry_run_then_import_then_status(tmp_path: Path) -> None:
    run(tmp_path, "config", "apply")
    file = tmp_path / "rtx.csv"
    file.write_text(csv_for("RTX"))

    dry = run(tmp_path, "import", str(file), "--dry-run", "--as", "RTX")
    done = run(tmp_path, "import", str(file), "--as", "RTX", "--json")
    again = run(tmp_path, "import", str(file), "--as", "RTX")
    status = run(tmp_path, "status", "--period", PERIOD, "--json")

    assert dry[0] == 0 and "dry run: 3 new" in dry[1]
    receipt = json.loads(done[1])
    assert receipt["accepted"] is True and receipt["position"] > 0
    assert receipt["returns"][0]["org_code"] == "RTX"
    assert again[0] == 0 and again[1].startswith("no change")
    rtx = next(r for r in json.loads(status[1]) if r["org_code"] == "RTX")
    assert (rtx["received"], rtx["expected"], rtx["status"]) == (3, 18, "partial")


def test_import_for_another_member_than_as_is_refused_with_rows(tmp_path: Path) -> None:
    run(tmp_path, "config", "apply")
    file = tmp_path / "rxf.csv"
    file.write_text(csv_for("RXF"))

    code, output = run(tmp_path, "import", str(file), "--as", "RTX")

    assert code == 1
    assert "row 2, org_code: [wrong_member]" in output


def test_restatement_from_the_cli_needs_a_reason(tmp_path: Path) -> None:
    run(tmp_path, "config", "apply")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(csv_for("RTX"))
    second.write_text(csv_for("RTX", breaches=10))
    run(tmp_path, "import", str(first))

    refused = run(tmp_path, "import", str(second))
    accepted = run(tmp_path, "import", str(second), "--reason", "coding fix")

    assert refused[0] == 1 and "reason_required" in refused[1]
    assert accepted[0] == 0 and "1 changed" in accepted[1]
