"""Request and response schemas of the SPC, funnel and signals API (they are its OpenAPI spec)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from concord.api.common import MONTH, as_of_field

FORMAT = validate.OneOf(["json", "csv"])


class SpcQuerySchema(Schema):
    org_code = fields.String(load_default=None, metadata={
        "description": "One member's chart; omitted: every member with values you may see."})
    as_of = as_of_field()
    format = fields.String(load_default="json", validate=FORMAT, metadata={
        "description": "csv: one row per point."})


class DecisionsQuerySchema(Schema):
    org_code = fields.String(load_default=None, metadata={
        "description": "A member's decisions and the alliance-wide ones; omitted: all."})
    as_of = as_of_field()


class DecisionBodySchema(Schema):
    org_code = fields.String(load_default=None, allow_none=True, metadata={
        "description": "The member whose chart this is for; omitted: every member's chart."})
    reason = fields.String(required=True, validate=validate.Length(min=1))
    meeting = fields.String(required=True, validate=validate.Length(min=1), metadata={
        "description": "The meeting that took the decision, e.g. 'Board 2024-05-14, item 7'."})


class RebaseSchema(DecisionBodySchema):
    period = fields.String(required=True, validate=MONTH, metadata={
        "description": "The first month of the new segment."})


class FixBaselineSchema(DecisionBodySchema):
    n_points = fields.Integer(required=True, validate=validate.Range(min=12), metadata={
        "description": "Each segment's limits are fixed on its first n points (at least 12)."})


class DecisionRecordedSchema(Schema):
    position = fields.Integer(metadata={"description": "The log position of the decision."})
    message = fields.String()


class DecisionSchema(Schema):
    position = fields.Integer()
    measure_code = fields.String()
    org_code = fields.String(allow_none=True)
    decision = fields.String(metadata={
        "description": "rebased, rebase_withdrawn, baseline_fixed or baseline_released"})
    period = fields.String(allow_none=True)
    n_points = fields.Integer(allow_none=True)
    reason = fields.String()
    meeting = fields.String()
    actor = fields.String()
    recorded_at = fields.DateTime()


class SpcPointSchema(Schema):
    period = fields.String()
    value = fields.Float(allow_none=True)
    mean = fields.Float(allow_none=True)
    lpl = fields.Float(allow_none=True)
    upl = fields.Float(allow_none=True)
    relative_to_mean = fields.Integer()
    outside_limits = fields.Boolean()
    close_to_limits = fields.Boolean()
    special_cause_flag = fields.Boolean()
    point_type = fields.String()


class SpcGroupSchema(Schema):
    start_index = fields.Integer()
    end_index = fields.Integer()
    start_period = fields.String()
    end_period = fields.String()
    n = fields.Integer()
    mean = fields.Float(allow_none=True)
    lpl = fields.Float(allow_none=True)
    upl = fields.Float(allow_none=True)
    short_group_warning = fields.Boolean()


class MemberChartSchema(Schema):
    org_code = fields.String()
    variation_icon = fields.String(allow_none=True)
    assurance_type = fields.String(allow_none=True)
    rebase_periods = fields.List(fields.String(), metadata={
        "description": "Rebases in force for this chart (alliance-wide and the member's)."})
    rebase_indices = fields.List(fields.Integer(), metadata={
        "description": "Point indices where those rebases start a segment."})
    fix_after_n_points = fields.Integer(allow_none=True)
    groups = fields.List(fields.Nested(SpcGroupSchema))
    points = fields.List(fields.Nested(SpcPointSchema), metadata={
        "description": "One per month with a value, oldest first; missing months are absent."})


class SpcChartSchema(Schema):
    measure_code = fields.String()
    name = fields.String()
    improvement = fields.String()
    target = fields.Float(allow_none=True)
    position = fields.Integer(metadata={"description": "The snapshot id the charts are read at."})
    members = fields.List(fields.Nested(MemberChartSchema))


class FunnelQuerySchema(Schema):
    period = fields.String(load_default=None, validate=MONTH, metadata={
        "description": "The month; default: the latest month with a value you may see."})
    as_of = as_of_field()
    data_type = fields.String(load_default=None, validate=validate.OneOf(["PR", "SR"]),
                              metadata={"description": "PR (proportions) or SR (ratios)."})
    format = fields.String(load_default="json", validate=FORMAT, metadata={
        "description": "csv: one row per unit."})


class FunnelUnitSchema(Schema):
    org_code = fields.String()
    numerator = fields.Float()
    denominator = fields.Float()
    ratio = fields.Float(allow_none=True)
    zscore = fields.Float(allow_none=True)
    lcl95 = fields.Float(allow_none=True)
    ucl95 = fields.Float(allow_none=True)
    lcl998 = fields.Float(allow_none=True)
    ucl998 = fields.Float(allow_none=True)
    outside95 = fields.Boolean()
    outside998 = fields.Boolean()
    classification = fields.String(metadata={
        "description": "better/worse (or above/below for neutral measures) outside the 99.8% "
                       "limits; inside otherwise."})


class SuppressedUnitSchema(Schema):
    org_code = fields.String()
    reason = fields.String()


class FunnelCurveSchema(Schema):
    denominators = fields.List(fields.Float())
    lcl95 = fields.List(fields.Float(allow_none=True))
    ucl95 = fields.List(fields.Float(allow_none=True))
    lcl998 = fields.List(fields.Float(allow_none=True))
    ucl998 = fields.List(fields.Float(allow_none=True))


class FunnelSchema(Schema):
    measure_code = fields.String()
    period = fields.String(allow_none=True)
    position = fields.Integer()
    data_type = fields.String()
    multiplier = fields.Float()
    improvement = fields.String()
    target = fields.Float(allow_none=True, metadata={
        "description": "The funnel's centre: pooled proportion, or 1 for ratios."})
    phi = fields.Float(allow_none=True)
    tau2 = fields.Float(allow_none=True)
    adjusted = fields.Boolean()
    units = fields.List(fields.Nested(FunnelUnitSchema))
    suppressed = fields.List(fields.Nested(SuppressedUnitSchema))
    curve = fields.Nested(FunnelCurveSchema)


class SignalsQuerySchema(Schema):
    measure_code = fields.String(load_default=None)
    org_code = fields.String(load_default=None)


class SignalSchema(Schema):
    org_code = fields.String()
    measure_code = fields.String()
    period = fields.String()
    rule = fields.String(metadata={
        "description": "special_cause_concern or assurance_consistent_fail"})
    latest_period = fields.String()
    latest_position = fields.Integer(metadata={
        "description": "Log position of the latest value recorded in the series."})
