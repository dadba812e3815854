"""The home page's sections, each drawn from a ``HomeSnapshot``; layout only, no queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dash import dcc, html

from dashboards import figures, frames, ids
from dashboards.components import data_table, empty_state, section, summary_card
from dashboards.formatting import (
    NO_VALUE,
    format_count,
    format_moment,
    format_period,
    format_value,
    humanize,
    improvement_label,
)

MEMBER_HEADERS = ("Code", "Name", "Type", "Peer groups")
MEMBER_COLUMNS = ("code", "name", "type", "peer_groups")
# Summary charts: nothing to zoom or select, so no mode bar over the plot.
GRAPH_CONFIG = {"displayModeBar": False}


@dataclass(frozen=True)
class HomeSnapshot:
    """Everything the home page shows, read at one log position."""

    position: int
    catalogue: dict[str, Any] | None
    members: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    peer_groups: list[dict[str, Any]] = field(default_factory=list)
    latest: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)


def header(snapshot: HomeSnapshot, *, as_of: str | None, latest_href: str) -> html.Header:
    catalogue = snapshot.catalogue
    title = catalogue["alliance_name"] if catalogue else "No catalogue yet"
    about = (
        f"Catalogue version {catalogue['version']}"
        f" · applied {format_moment(catalogue['recorded_at'])} by {catalogue['actor']}"
        if catalogue
        else "No KPI catalogue had been applied at this point in the log."
    )
    position: list[Any] = [html.Span(f"Data as of log position {snapshot.position}")]
    if as_of:
        position += [
            html.Span(f" · viewing the past (as_of={as_of})", className="past-note"),
            dcc.Link("Show latest", href=latest_href, className="latest-link"),
        ]
    return html.Header(
        [
            html.H1(title, id=ids.HOME_ALLIANCE_NAME),
            html.P(about, id=ids.HOME_CATALOGUE, className="page-meta"),
            html.Div(position, id=ids.HOME_POSITION, className="position-badge"),
        ],
        className="page-header",
    )


def no_catalogue(snapshot: HomeSnapshot) -> html.Div:
    return empty_state(
        "Nothing to show at this position",
        f"At log position {snapshot.position} there were no members or measures yet: "
        "they appear once an administrator applies the KPI catalogue.",
        element_id=ids.HOME_NO_CATALOGUE,
    )


def as_of_error(message: str, *, latest_href: str) -> html.Div:
    state = empty_state("That 'as of' cannot be read", message, element_id=ids.HOME_AS_OF_ERROR)
    state.children.append(
        dcc.Link("Show the latest data", href=latest_href, className="latest-link")
    )
    return state


def summary(snapshot: HomeSnapshot) -> html.Div:
    totals = snapshot.totals
    reporting = totals.get("members_reporting") or 0
    return html.Div(
        [
            summary_card("Members", format_count(len(snapshot.members))),
            summary_card("Measures", format_count(len(snapshot.measures)),
                         note=f"in {len(frames.measures_by_domain(snapshot.measures))} domains"),
            summary_card("Peer groups", format_count(len(snapshot.peer_groups))),
            summary_card("Latest period with data", format_period(totals.get("latest_period"))),
            summary_card("Values held", format_count(totals.get("values_held") or 0),
                         note=f"from {reporting:,} members" if reporting else "no returns yet"),
        ],
        id=ids.HOME_SUMMARY,
        className="cards",
    )


def latest_positions(snapshot: HomeSnapshot) -> html.Section:
    intro = "For each measure: the latest month held, and the alliance median of members' values."
    if not snapshot.latest:
        body: Any = empty_state(
            "No returns received yet",
            "Values appear here once members submit their monthly returns.",
            element_id=ids.HOME_LATEST_EMPTY,
        )
        return section("Latest positions", body, section_id=ids.HOME_LATEST, intro=intro)
    by_code = {row["measure_code"]: row for row in snapshot.latest}
    rows = [_latest_row(measure, by_code.get(measure["measure_code"]), len(snapshot.members))
            for measure in snapshot.measures]
    table = data_table(
        ("Measure", "Domain", "Latest period", "Alliance median", "Members reporting", "Target"),
        rows,
        ("name", "domain", "period", "median", "reporting", "target"),
        table_id=ids.HOME_LATEST_TABLE,
        numeric=("median", "reporting", "target"),
    )
    return section("Latest positions", table, section_id=ids.HOME_LATEST, intro=intro)


def _latest_row(
    measure: dict[str, Any], latest: dict[str, Any] | None, members: int
) -> dict[str, Any]:
    kind, unit = measure["kind"], measure["unit"]
    return {
        "name": measure["name"],
        "domain": humanize(measure["domain"]),
        "period": format_period(latest["latest_period"]) if latest else "No returns",
        "median": format_value(latest["median_value"], kind, unit) if latest else NO_VALUE,
        "reporting": f"{latest['members_reporting']:,} of {members:,}" if latest else NO_VALUE,
        "target": format_value(measure["target"], kind, unit),
    }


def charts(snapshot: HomeSnapshot) -> html.Div:
    peer_figure = figures.peer_group_sizes_figure(
        frames.peer_group_sizes(snapshot.peer_groups),
        min_size=(snapshot.catalogue or {}).get("min_peer_group_size"),
    )
    domain_figure = figures.domain_coverage_figure(
        frames.domain_coverage(snapshot.measures, snapshot.latest)
    )
    return html.Div(
        [
            html.Div([html.H2("Members per peer group"),
                      dcc.Graph(id=ids.HOME_PEER_GROUP_CHART, figure=peer_figure,
                                config=GRAPH_CONFIG)], className="chart-card"),
            html.Div([html.H2("Measures by domain"),
                      dcc.Graph(id=ids.HOME_DOMAIN_CHART, figure=domain_figure,
                                config=GRAPH_CONFIG)], className="chart-card"),
        ],
        className="charts",
    )


def measures(snapshot: HomeSnapshot) -> html.Section:
    groups = []
    for domain, domain_measures in frames.measures_by_domain(snapshot.measures).items():
        rows = [_measure_row(measure) for measure in domain_measures]
        groups.append(html.Div(
            [
                html.H3([humanize(domain), html.Span(f"{len(rows)} measures", className="count")]),
                data_table(("Measure", "Kind", "Unit", "Improvement", "Target"), rows,
                           ("name", "kind", "unit", "improvement", "target"), numeric=("target",)),
            ],
            className="domain-group",
        ))
    return section("Measures", html.Div(groups), section_id=ids.HOME_MEASURES,
                   intro="The KPI catalogue, grouped by domain.")


def _measure_row(measure: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": html.Div([html.Div(measure["name"]),
                          html.Div(measure["measure_code"], className="code")],
                         title=measure["definition"]),
        "kind": humanize(measure["kind"]),
        "unit": measure["unit"],
        "improvement": improvement_label(measure["improvement"]),
        "target": format_value(measure["target"], measure["kind"], measure["unit"]),
    }


def members(snapshot: HomeSnapshot) -> html.Section:
    rows = frames.member_rows(snapshot.members, snapshot.peer_groups)
    controls = html.Div(
        [
            dcc.Input(id=ids.HOME_MEMBERS_FILTER, type="search", debounce=False,
                      placeholder="Filter by code, name, type or peer group",
                      className="filter-box", autoComplete="off"),
            html.Span(member_count_text(len(rows), len(rows)), id=ids.HOME_MEMBERS_COUNT,
                      className="filter-count"),
        ],
        className="filter-bar",
    )
    table = html.Div(
        data_table(MEMBER_HEADERS, rows, MEMBER_COLUMNS, table_id=ids.HOME_MEMBERS_TABLE,
                   body_id=ids.HOME_MEMBERS_BODY),
        className="table-scroll",
    )
    store = dcc.Store(id=ids.HOME_MEMBERS_STORE, data=rows)
    return section("Members", html.Div([controls, table, store]), section_id=ids.HOME_MEMBERS)


def member_count_text(shown: int, total: int) -> str:
    return f"Showing {shown:,} of {total:,} members"
