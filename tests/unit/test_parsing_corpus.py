"""Every parse-stage case in tests/fixtures/bad_uploads/manifest.toml is refused as described."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ingest.parsing import parse_upload
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import UploadRejected

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_uploads"
HEADER = ",".join(INPUT_COLUMNS) + "\r\n"


def _wide_header() -> bytes:
    """100,000 header names: must be refused from the header alone, with one issue."""
    names = ",".join(f"extra_{i}" for i in range(100_000 - len(INPUT_COLUMNS)))
    return (HEADER.strip() + "," + names + "\r\n" + "," * 99_999 + "\r\n").encode()


def _too_many_cells() -> bytes:
    """About 1.45 million lines of 7 columns: over 10 million cells before any is parsed."""
    return (HEADER + "\r\n" * 1_450_000).encode()


GENERATED: dict[str, Callable[[], bytes]] = {
    "wide_100k_columns.csv": _wide_header,
    "too_many_cells.csv": _too_many_cells,
}


def _cases() -> list[dict[str, Any]]:
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return manifest["case"]


def _parse_cases() -> list[Any]:
    return [pytest.param(case, id=case["file"]) for case in _cases() if case["stage"] == "parse"]


def _upload(case: dict[str, Any]) -> bytes:
    if case.get("generated"):
        return GENERATED[case["file"]]()
    return (CORPUS / case["file"]).read_bytes()


@pytest.mark.parametrize("case", _parse_cases())
def test_bad_upload_is_refused_with_the_expected_issue(case: dict[str, Any]) -> None:
    with pytest.raises(UploadRejected) as refused:
        parse_upload(_upload(case), filename=case["file"], sheet=case.get("sheet"))
    issues = refused.value.issues
    matching = [issue for issue in issues if issue.code == case["expect_code"]]
    assert matching, f"no {case['expect_code']} among {issues}"
    found = [
        (issue.row, issue.column or "", case["message_contains"] in issue.message)
        for issue in matching
    ]
    assert (case["expect_row"], case["expect_column"], True) in found, matching


def test_wide_header_is_one_short_issue() -> None:
    with pytest.raises(UploadRejected) as refused:
        parse_upload(_wide_header())
    assert [issue.code for issue in refused.value.issues] == ["too_many_columns"]
    assert len(refused.value.issues[0].message) < 200


def test_every_corpus_file_is_in_the_manifest_and_every_case_has_a_file() -> None:
    listed = {case["file"] for case in _cases()}
    on_disk = {path.name for path in CORPUS.iterdir() if path.is_file()} - {
        "manifest.toml", "validation_cases.toml"}
    generated = {case["file"] for case in _cases() if case.get("generated")}
    assert on_disk - listed == set()
    assert listed - on_disk == generated
    assert generated <= set(GENERATED)


def test_manifest_cases_name_a_stage_and_every_expectation() -> None:
    keys = {"file", "stage", "expect_code", "expect_row", "expect_column", "message_contains"}
    for case in _cases():
        assert keys <= set(case), case["file"]
        assert case["stage"] in {"parse", "validation"}, case["file"]
