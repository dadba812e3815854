"""Marshmallow schemas turning parsed ``alliance.toml`` and ``measures.toml`` into model objects.

They check one table at a time (types, formats, enums, cross-field rules inside a table) and
report every problem marshmallow finds; checks that span entries (duplicates, references to
peer groups) need the raw file and live in :mod:`ingest.catalogue.loader`.

TOML already gives typed values, so the fields here are strict: ``"0.95"`` is not a number and
``true`` is not a count, which marshmallow's default fields would quietly accept or coerce.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from ingest.catalogue.model import (
    DOMAINS,
    IMPROVEMENTS,
    KINDS,
    RATIO_KINDS,
    Alliance,
    Measure,
    Member,
    PeerGroup,
    ReportingCalendar,
    ValidationRules,
)

# Member codes are ODS codes (``RTX``, ``AD913``); everything else is a snake_case identifier
# because it ends up in URLs, column names and event payloads.
MEMBER_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_]{0,31}$"
SNAKE_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_CODE_RULES = {
    MEMBER_CODE_PATTERN: "is not a valid member code (letters, digits and _, up to 32 characters)",
    SNAKE_CODE_PATTERN: "is not a valid code (snake_case: a-z first, then 1-63 of a-z, 0-9, _)",
}

_REQUIRED = {"required": "missing required field", "null": "must not be empty"}
_MISSING_TABLE = {"required": "missing required table"}
_RATIO_KINDS_TEXT = ", ".join(k for k in KINDS if k in RATIO_KINDS)


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="{input!r} is not allowed; use one of: {choices}")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be empty")


class Text(fields.String):
    default_error_messages = {**_REQUIRED, "invalid": "must be a string"}


class Code(Text):
    """A string in one of the code formats; the message says the format so the fix is obvious."""

    def __init__(self, pattern: str, **kwargs: Any) -> None:
        rule = _CODE_RULES[pattern]
        super().__init__(validate=validate.Regexp(pattern, error=f"{{input!r}} {rule}"), **kwargs)


class Name(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=_not_blank, **kwargs)


class WholeNumber(fields.Integer):
    default_error_messages = {**_REQUIRED, "invalid": "must be a whole number"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)


class Number(fields.Float):
    """A finite TOML integer or float, always loaded as ``float`` so documents hash the same."""

    default_error_messages = {
        **_REQUIRED,
        "invalid": "must be a number",
        "special": "must be a finite number",
    }

    def _validated(self, value: Any) -> float:
        if isinstance(value, str):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Array(fields.List):
    default_error_messages = {**_REQUIRED, "invalid": "must be an array"}


class Table(fields.Dict):
    """A free-form TOML table whose values must survive the trip to a JSON event payload."""

    default_error_messages = {**_REQUIRED, "invalid": "must be a table"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        result = super()._deserialize(value, attr, data, **kwargs)
        bad = _first_non_json(result, attr or "")
        if bad:
            raise ValidationError(
                f"value at {bad} is not plain JSON data (dates, times and nan/inf are not "
                "allowed; write dates as strings)"
            )
        return result


def _first_non_json(value: Any, path: str) -> str | None:
    """Dotted path of the first value a JSON document can't hold, else ``None``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _first_non_json(item, f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_non_json(item, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return path
    return None if isinstance(value, str | int | float | bool) else path


class TableSchema(Schema):
    """Base for every TOML table: unknown keys are errors, and the message lists the known ones."""

    class Meta:
        unknown = RAISE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        allowed = ", ".join(self.fields)
        self.error_messages["unknown"] = f"unknown key; allowed keys: {allowed}"
        self.error_messages["type"] = "must be a table"


def _no_repeats(values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"{value!r} is listed more than once")
        seen.add(value)


class PeerGroupSchema(TableSchema):
    code = Code(SNAKE_CODE_PATTERN, required=True)
    name = Name(required=True)
    description = Text(load_default="")

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> PeerGroup:
        return PeerGroup(**data)


class MemberSchema(TableSchema):
    code = Code(MEMBER_CODE_PATTERN, required=True)
    name = Name(required=True)
    type = Code(SNAKE_CODE_PATTERN, required=True)
    peer_groups = Array(Code(SNAKE_CODE_PATTERN), load_default=list, validate=_no_repeats)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Member:
        return Member(**{**data, "peer_groups": tuple(data["peer_groups"])})


class CalendarSchema(TableSchema):
    first_period = Text(
        required=True,
        validate=validate.Regexp(
            PERIOD_PATTERN, error="{input!r} is not a month; use YYYY-MM with month 01-12"
        ),
    )
    due_days_after_month_end = WholeNumber(
        required=True, validate=validate.Range(min=0, error="must be 0 or more, got {input}")
    )
    lock_days_after_due = WholeNumber(
        required=True, validate=validate.Range(min=0, error="must be 0 or more, got {input}")
    )

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> ReportingCalendar:
        return ReportingCalendar(**data)


class ValidationRulesSchema(TableSchema):
    """Optional ``[validation]``: thresholds for upload warnings."""

    outlier_z = Number(load_default=3.5, validate=validate.Range(min=0, min_inclusive=False,
                                                                   error="must be above 0"))
    outlier_window = WholeNumber(load_default=24, validate=validate.Range(
        min=3, error="must be 3 or more, got {input}"))
    outlier_min_history = WholeNumber(load_default=6, validate=validate.Range(
        min=3, error="must be 3 or more, got {input}"))
    change_warning_share = Number(load_default=0.5, validate=validate.Range(
        min=0, min_inclusive=False, error="must be above 0"))
    value_tolerance = Number(load_default=0.0005, validate=validate.Range(
        min=0, error="must be 0 or more"))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> ValidationRules:
        return ValidationRules(**data)


class AllianceHeaderSchema(TableSchema):
    code = Code(SNAKE_CODE_PATTERN, required=True)
    name = Name(required=True)
    min_peer_group_size = WholeNumber(
        load_default=3, validate=validate.Range(min=1, error="must be 1 or more, got {input}")
    )


class AllianceFileSchema(TableSchema):
    """The whole of ``alliance.toml``."""

    alliance = fields.Nested(AllianceHeaderSchema, required=True, error_messages=_MISSING_TABLE)
    calendar = fields.Nested(CalendarSchema, required=True, error_messages=_MISSING_TABLE)
    accountability = Table(load_default=dict)
    validation = fields.Nested(ValidationRulesSchema, load_default=ValidationRules)
    peer_groups = Array(fields.Nested(PeerGroupSchema), load_default=list)
    members = Array(
        fields.Nested(MemberSchema),
        required=True,
        error_messages={"required": "missing; add at least one [[members]] entry"},
        validate=validate.Length(min=1, error="an alliance needs at least one member"),
    )

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Alliance:
        return Alliance(
            **data["alliance"],
            calendar=data["calendar"],
            members=tuple(data["members"]),
            peer_groups=tuple(data["peer_groups"]),
            accountability=data["accountability"],
            validation=data["validation"],
        )


class MeasureSchema(TableSchema):
    code = Code(SNAKE_CODE_PATTERN, required=True)
    name = Name(required=True)
    domain = Text(required=True, validate=_one_of(DOMAINS))
    kind = Text(required=True, validate=_one_of(KINDS))
    unit = Name(required=True)
    improvement = Text(required=True, validate=_one_of(IMPROVEMENTS))
    numerator_label = Name(load_default=None)
    denominator_label = Name(load_default=None)
    multiplier = Number(
        load_default=1.0,
        validate=validate.Range(min=0, min_inclusive=False, error="must be above 0, got {input}"),
    )
    valid_min = Number(load_default=None)
    valid_max = Number(load_default=None)
    target = Number(load_default=None)
    small_number_threshold = WholeNumber(
        load_default=None, validate=validate.Range(min=0, error="must be 0 or more, got {input}")
    )
    definition = Name(required=True)
    source = Name(required=True)
    applies_to = Array(Code(SNAKE_CODE_PATTERN), load_default=list, validate=_no_repeats)

    # Runs even when some fields failed, so one pass reports every problem in the entry; it
    # only looks at the fields that did load.
    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _check_consistency(
        self, data: dict[str, Any], original_data: Mapping[str, Any], **_: Any
    ) -> None:
        errors = measure_consistency_errors(data, given=set(original_data))
        if errors:
            raise ValidationError(errors)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Measure:
        return Measure(**{**data, "applies_to": tuple(data["applies_to"])})


class MeasuresFileSchema(TableSchema):
    """The whole of ``measures.toml``."""

    measures = Array(
        fields.Nested(MeasureSchema),
        required=True,
        error_messages={"required": "missing; add at least one [[measures]] entry"},
        validate=validate.Length(min=1, error="the catalogue needs at least one measure"),
    )

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> tuple[Measure, ...]:
        return tuple(data["measures"])


def measure_consistency_errors(
    data: Mapping[str, Any], given: set[str] | None = None
) -> dict[str, list[str]]:
    """Rules that tie a measure's fields together, keyed by the field to fix.

    ``data`` holds only the fields that loaded; ``given`` names the keys present in the file, so
    a label that is present but malformed is not also reported as missing.
    """
    given = set(data) if given is None else given
    errors: dict[str, list[str]] = {}
    low, high, target = data.get("valid_min"), data.get("valid_max"), data.get("target")
    kind = data.get("kind")
    if low is not None and high is not None and low > high:
        errors.setdefault("valid_min", []).append(f"{low} is above valid_max {high}")
    elif target is not None and (
        (low is not None and target < low) or (high is not None and target > high)
    ):
        errors.setdefault("target", []).append(
            f"{target} is outside the valid range [{low}, {high}]"
        )
    if kind == "proportion":
        # Proportions are stored as fractions; a 0..100 range means someone typed percentages.
        hint = "is outside 0..1; proportions are fractions (0.95, not 95)"
        if low is not None and low < 0:
            errors.setdefault("valid_min", []).append(f"{low} {hint}")
        if high is not None and high > 1:
            errors.setdefault("valid_max", []).append(f"{high} {hint}")
    for label in ("numerator_label", "denominator_label"):
        if kind in RATIO_KINDS and label not in given:
            errors.setdefault(label, []).append(f"required for ratio kinds ({_RATIO_KINDS_TEXT})")
        elif kind is not None and kind not in RATIO_KINDS and label in given:
            errors.setdefault(label, []).append(
                f"only ratio kinds ({_RATIO_KINDS_TEXT}) take a {label.removesuffix('_label')}"
            )
    return errors
