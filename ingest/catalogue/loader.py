"""Load and check ``alliance.toml`` and ``measures.toml`` from a config dir into a ``Catalogue``.

Every problem in both files is collected before anything is raised, so whoever edits the
catalogue fixes it in one pass instead of one error per run.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError

from ingest.catalogue.model import Catalogue
from ingest.catalogue.schemas import AllianceFileSchema, MeasuresFileSchema

ALLIANCE_FILE = "alliance.toml"
MEASURES_FILE = "measures.toml"
NO_ENTRY = "-"

# How each file's top-level keys are named in messages: tables as ``[name]``, arrays of tables
# by what one item is.
_TABLES = ("alliance", "calendar", "accountability", "validation")
_ITEM_NAMES = {"peer_groups": "peer group", "members": "member", "measures": "measure"}
_ENTRY_NUMBER = re.compile(r"\(entry (\d+)\)$")
_ARRAYS_BY_FILE = {ALLIANCE_FILE: ("peer_groups", "members"), MEASURES_FILE: ("measures",)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalogue, located precisely enough to fix without searching."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.entry != NO_ENTRY:
            parts.append(self.entry)
        if self.field != NO_ENTRY:
            parts.append(f"field '{self.field}'")
        return ": ".join([*parts, self.message])


class CatalogueError(ValueError):
    """The config directory does not hold a valid catalogue; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        # ``args`` holds the problems themselves so the error pickles and compares intact.
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def load_catalogue(config_dir: Path) -> Catalogue:
    """Read both catalogue files from ``config_dir``; ``CatalogueError`` lists every problem."""
    problems: list[Problem] = []
    alliance = _load_file(config_dir, ALLIANCE_FILE, AllianceFileSchema(), problems)
    measures = _load_file(config_dir, MEASURES_FILE, MeasuresFileSchema(), problems)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(alliance=alliance, measures=measures)


def _load_file(config_dir: Path, name: str, schema: Schema, problems: list[Problem]) -> Any:
    """The schema's result (``Alliance`` or a tuple of ``Measure``), or ``None`` on any problem."""
    raw = _read_toml(config_dir / name, problems)
    if raw is None:
        return None
    loaded = None
    found: list[Problem] = []
    try:
        loaded = schema.load(raw)
    except ValidationError as error:
        found.extend(_problems_from_messages(name, error.messages, raw))
    found.extend(_cross_entry_problems(name, raw))
    problems.extend(sorted(found, key=_reading_order))
    return loaded


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        message = f"file not found in {path.parent}"
    except tomllib.TOMLDecodeError as error:
        message = _syntax_message(str(error))
    except UnicodeDecodeError:
        message = "not valid UTF-8 text"
    except OSError as error:
        message = f"cannot read file: {error.strerror or error}"
    problems.append(Problem(path.name, NO_ENTRY, NO_ENTRY, message))
    return None


def _syntax_message(text: str) -> str:
    """Put tomllib's position first: ``Expected '=' (at line 3, column 5)`` reads better flipped."""
    match = re.fullmatch(r"(?s)(.*) \(at (line \d+, column \d+|end of document)\)", text)
    if match is None:
        return f"TOML syntax error: {text}"
    return f"TOML syntax error at {match.group(2)}: {match.group(1)}"


def _reading_order(problem: Problem) -> tuple[int, int]:
    """Top-level keys, then tables, then array entries by position, so one entry's problems sit
    together (marshmallow reports unknown keys last and cross-entry checks run afterwards)."""
    if problem.entry == NO_ENTRY:
        return (0, 0)
    if problem.entry.startswith("["):
        return (1, 0)
    section = next(
        rank for rank, noun in enumerate(_ITEM_NAMES.values()) if problem.entry.startswith(noun)
    )
    match = _ENTRY_NUMBER.search(problem.entry)
    return (2 + section, int(match.group(1)) if match else 0)


def _problems_from_messages(
    file: str, messages: Mapping[Any, Any] | list[Any], raw: Mapping[str, Any]
) -> Iterator[Problem]:
    """Turn marshmallow's nested error dict into located problems.

    Shapes handled: ``{"key": [msg]}`` (top-level key), ``{"table": {"field": [msg]}}`` and
    ``{"array": {index: {"field": [msg]}}}``; ``_schema`` means "the value itself".
    """
    if not isinstance(messages, Mapping):
        messages = {"_schema": messages}
    for key, value in messages.items():
        if key in _ITEM_NAMES and isinstance(value, Mapping):
            for index, item_messages in value.items():
                entry = _entry_label(key, raw.get(key), index)
                yield from _field_problems(file, entry, item_messages)
        elif key in _TABLES and isinstance(value, Mapping) and set(value) != {"_schema"}:
            yield from _field_problems(file, f"[{key}]", value)
        else:
            field = NO_ENTRY if key == "_schema" else str(key)
            yield from _field_problems(file, NO_ENTRY, {field: value})


def _field_problems(file: str, entry: str, messages: Any) -> Iterator[Problem]:
    if not isinstance(messages, Mapping):
        messages = {"_schema": messages}
    for field, value in messages.items():
        name = NO_ENTRY if field == "_schema" else str(field)
        for message in _flatten(value):
            yield Problem(file, entry, name, message)


def _flatten(value: Any, prefix: str = "") -> Iterator[str]:
    """Messages under one field; errors inside a list of values say which item (1-based)."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key == "_schema":
                yield from _flatten(inner, prefix)
            else:
                where = f"item {key + 1}" if isinstance(key, int) else str(key)
                yield from _flatten(inner, f"{prefix}{where}: ")
    elif isinstance(value, list):
        for inner in value:
            yield from _flatten(inner, prefix)
    else:
        yield f"{prefix}{value}"


def _entry_label(section: str, items: Any, index: int) -> str:
    """``member 'RTX' (entry 3)``, or ``member (entry 3)`` when the code is missing or odd."""
    noun = _ITEM_NAMES[section]
    item = items[index] if isinstance(items, list) and index < len(items) else None
    code = item.get("code") if isinstance(item, Mapping) else None
    if isinstance(code, str) and code:
        return f"{noun} '{code}' (entry {index + 1})"
    return f"{noun} (entry {index + 1})"


def _cross_entry_problems(file: str, raw: Mapping[str, Any]) -> Iterator[Problem]:
    """Checks that span entries. They read the raw file so they still run when an entry is
    malformed, and skip values that are not strings (the schema already reported those)."""
    for section in _ARRAYS_BY_FILE[file]:
        yield from _duplicate_codes(file, section, raw.get(section))
    if file == ALLIANCE_FILE:
        yield from _undefined_peer_groups(file, raw)


def _tables(items: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield index, item


def _duplicate_codes(file: str, section: str, items: Any) -> Iterator[Problem]:
    first_seen: dict[str, int] = {}
    noun = _ITEM_NAMES[section]
    for index, item in _tables(items):
        code = item.get("code")
        if not isinstance(code, str):
            continue
        if code in first_seen:
            yield Problem(
                file,
                _entry_label(section, items, index),
                "code",
                f"duplicate {noun} code {code!r} (first used by entry {first_seen[code] + 1})",
            )
        else:
            first_seen[code] = index


def _undefined_peer_groups(file: str, raw: Mapping[str, Any]) -> Iterator[Problem]:
    defined = {item.get("code") for _, item in _tables(raw.get("peer_groups"))}
    members = raw.get("members")
    for index, member in _tables(members):
        refs = member.get("peer_groups")
        for ref in refs if isinstance(refs, list) else ():
            if isinstance(ref, str) and ref not in defined:
                yield Problem(
                    file,
                    _entry_label("members", members, index),
                    "peer_groups",
                    f"unknown peer group {ref!r}",
                )
