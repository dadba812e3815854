"""How numbers, periods and catalogue codes read on a page; pure functions, no Dash."""

from __future__ import annotations

from datetime import date, datetime

NO_VALUE = "—"

IMPROVEMENT_LABELS = {
    "increase": "↑ Higher is better",
    "decrease": "↓ Lower is better",
    "neutral": "No better direction",
}

# Units that are already said by the number's shape, so they are not repeated after it.
_UNITS_SHOWN_BY_SHAPE = ("%", "£", "ratio")


def humanize(code: str) -> str:
    """``clinical_quality`` → ``Clinical quality``."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def improvement_label(improvement: str) -> str:
    return IMPROVEMENT_LABELS.get(improvement, humanize(improvement))


def _trimmed(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float | None, kind: str, unit: str) -> str:
    """A measure's value as a reader expects it: proportions (stored 0..1) as percentages."""
    if value is None:
        return NO_VALUE
    if kind == "proportion":
        return f"{_trimmed(value * 100, 1)}%"
    if kind == "currency" or unit == "£":
        return f"£{value:,.0f}" if abs(value) >= 100 else f"£{value:,.2f}"
    if kind == "count":
        number = f"{value:,.0f}"
    elif kind == "ratio":
        number = f"{value:,.2f}"
    else:
        number = _trimmed(value, 2)
    if not unit or unit in _UNITS_SHOWN_BY_SHAPE or unit.startswith("score"):
        return number
    return f"{number} {unit}"


def format_period(period: date | None) -> str:
    """A month as ``Mar 2019``."""
    return period.strftime("%b %Y") if period else NO_VALUE


def format_moment(moment: datetime | None) -> str:
    """A recorded time as ``23 Nov 2026, 15:30 UTC``."""
    if moment is None:
        return NO_VALUE
    text = moment.strftime("%d %b %Y, %H:%M").lstrip("0")
    return f"{text} {moment.tzname() or ''}".rstrip()


def format_count(count: int | None) -> str:
    return NO_VALUE if count is None else f"{count:,}"
