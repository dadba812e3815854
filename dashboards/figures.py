"""Figures as pure functions: a ``pyarrow.Table`` in, a plotly ``Figure`` out (no Dash, no I/O)."""

from __future__ import annotations

import plotly.graph_objects as go
import pyarrow as pa

PRIMARY = "#005eb8"
SECONDARY = "#9fb8d6"
MUTED = "#6b7785"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def _base_layout(figure: go.Figure, *, height: int, top: int = 8) -> go.Figure:
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 8, "r": 24, "t": top, "b": 8},
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        bargap=0.25,
    )
    return figure


def _empty(message: str, *, height: int) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
        font={"size": 14, "color": MUTED},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _base_layout(figure, height=height)


def peer_group_sizes_figure(table: pa.Table, *, min_size: int | None = None) -> go.Figure:
    """Horizontal bars of members per peer group (columns ``peer_group``, ``members``).

    With ``min_size`` a dashed line marks the smallest group the alliance compares fairly.
    """
    height = 90 + 34 * max(table.num_rows, 1)
    if table.num_rows == 0:
        return _empty("No peer groups defined", height=height)
    names = table.column("peer_group").to_pylist()
    sizes = table.column("members").to_pylist()
    figure = go.Figure(
        go.Bar(
            x=sizes, y=names, orientation="h", marker_color=PRIMARY,
            text=sizes, textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x} members<extra></extra>", name="Members",
        )
    )
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title="Members", rangemode="tozero")
    if min_size is not None:
        figure.add_vline(
            x=min_size, line_dash="dash", line_color=MUTED,
            annotation_text=f"minimum group size {min_size}", annotation_position="top right",
            annotation_font_color=MUTED, annotation_yshift=18,
        )
    return _base_layout(figure, height=height, top=32)


def domain_coverage_figure(table: pa.Table) -> go.Figure:
    """Measures defined per domain beside those with any value (``domain``, ``measures``,
    ``reporting``)."""
    height = 300
    if table.num_rows == 0:
        return _empty("No measures defined", height=height)
    domains = table.column("domain").to_pylist()
    figure = go.Figure(
        [
            go.Bar(
                name="Measures defined", x=domains, y=table.column("measures").to_pylist(),
                marker_color=SECONDARY, hovertemplate="%{x}: %{y} defined<extra></extra>",
            ),
            go.Bar(
                name="With returns", x=domains, y=table.column("reporting").to_pylist(),
                marker_color=PRIMARY, hovertemplate="%{x}: %{y} with returns<extra></extra>",
            ),
        ]
    )
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="Measures", rangemode="tozero", dtick=1)
    figure.update_xaxes(title=None)
    return _base_layout(figure, height=height)
