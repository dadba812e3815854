"""`concord config apply`, `concord rebuild` and `concord verify` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import duckdb
from click.testing import CliRunner

from concord.cli import build_cli


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), ["--data-dir", str(data_dir), *args],
                                env={"CONCORD_OPERATOR": "olivia"})
    return result.exit_code, result.output


def test_config_apply_records_once_then_reports_no_change(tmp_path: Path) -> None:
    first = run(tmp_path, "config", "apply")
    second = run(tmp_path, "config", "apply")
    assert first[0] == 0 and "version 2 recorded at log position 2" in first[1]
    assert second == (0, "no change: identical to catalogue version 2\n")


def test_rebuild_then_verify_passes(tmp_path: Path) -> None:
    run(tmp_path, "config", "apply")
    code, output = run(tmp_path, "rebuild")
    assert code == 0, output
    assert "to position 2" in output
    code, output = run(tmp_path, "verify")
    assert code == 0, output
    assert "identical to a rebuild at position 2" in output


def test_verify_names_the_table_that_was_altered(tmp_path: Path) -> None:
    run(tmp_path, "config", "apply")
    run(tmp_path, "rebuild")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("UPDATE member_versions SET name = 'Tampered' WHERE org_code = 'RTX'")
    con.close()

    code, output = run(tmp_path, "verify")

    assert code == 1
    assert "member_versions" in output
    assert "catalogue_versions" not in output


def test_verify_brings_a_warehouse_from_an_older_release_up_to_date_first(
    tmp_path: Path,
) -> None:
    run(tmp_path, "config", "apply")
    run(tmp_path, "rebuild")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))  # as release 9 left it
    con.execute("DROP TABLE series_keys")
    con.execute("ALTER TABLE current_values DROP COLUMN series_key")
    con.execute("ALTER TABLE current_values DROP COLUMN month_index")
    con.execute("DELETE FROM schema_migrations WHERE version >= 10")
    con.close()

    code, output = run(tmp_path, "verify")

    assert code == 0, output
    assert "identical to a rebuild at position 2" in output


def test_config_check_names_file_entry_and_field(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    source = Path(__file__).resolve().parents[2] / "config"
    (config / "alliance.toml").write_text((source / "alliance.toml").read_text())
    measures = (source / "measures.toml").read_text().replace('kind = "count"', 'kind = "tally"', 1)
    (config / "measures.toml").write_text(measures)

    code, output = run(tmp_path, "config", "check", "--config-dir", str(config))

    assert code == 1
    assert "measures.toml: measure '" in output
    assert "field 'kind'" in output
