"""Reads JSON return rows (the API's body, or an uploaded .json file) into RAW_SCHEMA.

Each object is one row, numbered as its index plus 2 so that messages read like a
spreadsheet's. Numbers become the shortest text that reads back as the same number, so
validation sees what was sent; keys follow the same rules as CSV headers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

import pyarrow as pa

from ingest.parsing.header import canonical_name, unknown_column_message
from ingest.parsing.problems import MAX_CELLS, reject, reject_one
from ingest.parsing.raw_table import raw_table, spreadsheet_rows
from ingest.parsing.sniff import SAVE_AS_UTF8
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import Issue

_MAX_ROWS = MAX_CELLS // len(INPUT_COLUMNS)
_SCALARS = (str, int, float, bool, type(None))


def read_json(data: bytes) -> pa.Table:
    """RAW_SCHEMA rows of a JSON file holding a list of row objects."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        reject_one("not_utf8", f"the JSON is not UTF-8 (byte offset {error.start}); {SAVE_AS_UTF8}")
    except json.JSONDecodeError as error:
        reject_one(
            "bad_json", f"the JSON is malformed: {error.msg} at line {error.lineno}, "
            f"column {error.colno}")
    except (ValueError, RecursionError) as error:  # absurdly long numbers or deep nesting
        reject_one("bad_json", f"the JSON could not be read: {error}")
    return parse_json_rows(document)


def parse_json_rows(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """RAW_SCHEMA rows from a list of row objects, or ``UploadRejected`` listing every problem.

    Values may be strings, numbers or null; nested objects or lists, items that are not
    objects and unknown keys are refused. A missing key is a null cell, for validation.
    """
    if not isinstance(rows, list):
        reject_one("json_not_list", f"expected a JSON list of row objects, got {_kind(rows)}")
    if not rows:
        reject_one("no_rows", "the list of rows is empty")
    if len(rows) > _MAX_ROWS:
        reject_one("too_many_cells", f"{len(rows):,} rows is more than the {_MAX_ROWS:,} allowed")
    issues = [
        Issue(index + 2, None, "not_an_object",
              f"row {index + 2} is {_kind(item)}, not an object of column names to values")
        for index, item in enumerate(rows) if not isinstance(item, dict)
    ]
    objects = [item if isinstance(item, dict) else {} for item in rows]
    objects, key_issues = _canonical_keys(objects)
    issues.extend(key_issues)
    columns = {name: [item.get(name) for item in objects] for name in INPUT_COLUMNS}
    for name, values in columns.items():
        issues.extend(_nested_values(name, values))
    if issues:
        reject(issues)
    arrays = {name: _text_column(values) for name, values in columns.items()}
    return raw_table(arrays, spreadsheet_rows(len(objects)))


def _canonical_keys(objects: list[dict[Any, Any]]) -> tuple[list[dict[Any, Any]], list[Issue]]:
    """Objects keyed by input column names, plus issues for unknown and repeated keys."""
    keys = set(chain.from_iterable(objects))
    names = {key: canonical_name(key) if isinstance(key, str) else str(key) for key in keys}
    issues = _unknown_keys(objects, {key for key, name in names.items()
                                     if name not in INPUT_COLUMNS})
    if all(key == name for key, name in names.items()):
        return objects, issues
    renamed: list[dict[Any, Any]] = []
    for index, item in enumerate(objects):
        row: dict[str, Any] = {}
        for key, value in item.items():
            name = names[key]
            if name in row:
                issues.append(Issue(index + 2, name, "duplicate_column",
                                    f"row {index + 2} gives '{name}' more than once"))
            row[name] = value
        renamed.append(row)
    return renamed, issues


def _unknown_keys(objects: list[dict[Any, Any]], unknown: set[Any]) -> list[Issue]:
    """One issue per unknown key, at the first row using it, saying how many rows do."""
    if not unknown:
        return []
    issues = []
    for key in sorted(unknown, key=str):
        rows = [index + 2 for index, item in enumerate(objects) if key in item]
        where = f"in row {rows[0]}" if len(rows) == 1 else f"in {len(rows)} rows from row {rows[0]}"
        issues.append(Issue(rows[0], str(key), "unknown_column",
                            unknown_column_message(str(key), where)))
    return issues


def _nested_values(name: str, values: list[Any]) -> list[Issue]:
    if set(map(type, values)) <= {str, type(None)}:
        return []
    return [
        Issue(index + 2, name, "nested_value",
              f"'{name}' must be a string, a number or null, not {_kind(value)}")
        for index, value in enumerate(values) if not isinstance(value, _SCALARS)
    ]


def _text_column(values: list[Any]) -> pa.Array:
    if set(map(type, values)) <= {str, type(None)}:
        return pa.array(values, pa.string())
    return pa.array([_json_text(value) for value in values], pa.string())


def _json_text(value: Any) -> str | None:
    """Numbers as the shortest text that reads back the same (``10000.0`` stays ``10000.0``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return {str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)
