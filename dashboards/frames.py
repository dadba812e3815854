"""Shape warehouse query rows into what pages show: display rows and tables for the figures.

Tables are ``pyarrow.Table`` (the project's data frame; pandas is not a dependency).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from dashboards.formatting import humanize

Row = Mapping[str, Any]


def member_rows(members: Iterable[Row], peer_groups: Iterable[Row]) -> list[dict[str, str]]:
    """One display row per member; peer groups by name, in the catalogue's order."""
    names = {group["peer_group_code"]: group["name"] for group in peer_groups}
    return [
        {
            "code": member["org_code"],
            "name": member["name"],
            "type": humanize(member["member_type"]),
            "peer_groups": ", ".join(names.get(code, code) for code in member["peer_groups"]),
        }
        for member in members
    ]


def filter_members(rows: Sequence[Row], text: str | None) -> list[Row]:
    """Rows matching every word of ``text`` in any column, ignoring case; all rows if blank."""
    words = (text or "").lower().split()
    if not words:
        return list(rows)

    def matches(row: Row) -> bool:
        haystack = " ".join(str(value) for value in row.values()).lower()
        return all(word in haystack for word in words)

    return [row for row in rows if matches(row)]


def peer_group_sizes(peer_groups: Iterable[Row]) -> pa.Table:
    """``peer_group`` (name) and ``members`` (count), largest first."""
    sized = sorted(
        ((group["name"], len(group["members"])) for group in peer_groups),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return pa.table(
        {
            "peer_group": pa.array([name for name, _ in sized], pa.string()),
            "members": pa.array([size for _, size in sized], pa.int64()),
        }
    )


def domain_coverage(measures: Iterable[Row], latest: Iterable[Row]) -> pa.Table:
    """Per domain, in catalogue order: ``measures`` defined and ``reporting`` (with any value)."""
    reporting_codes = {row["measure_code"] for row in latest}
    defined: dict[str, int] = {}
    reporting: dict[str, int] = {}
    for measure in measures:
        domain = measure["domain"]
        defined[domain] = defined.get(domain, 0) + 1
        reporting[domain] = reporting.get(domain, 0) + (measure["measure_code"] in reporting_codes)
    return pa.table(
        {
            "domain": pa.array([humanize(domain) for domain in defined], pa.string()),
            "measures": pa.array(list(defined.values()), pa.int64()),
            "reporting": pa.array([reporting[domain] for domain in defined], pa.int64()),
        }
    )


def measures_by_domain(measures: Iterable[Row]) -> dict[str, list[Row]]:
    """Measures grouped by domain, domains in the order the catalogue first names them."""
    grouped: dict[str, list[Row]] = {}
    for measure in measures:
        grouped.setdefault(measure["domain"], []).append(measure)
    return grouped
